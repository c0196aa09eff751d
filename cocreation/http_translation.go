package cocreation

import (
	"fmt"
	"net/http"
	"net/url"

	"megafon/cocreation/process"
	"megafon/platform/audit"
	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// langRow is a translation language on the translations page: how far its
// translations are, and its name in itself.
type langRow struct {
	process.LangState
	Self, HTML, Dir string
}

// translationItem is one text on the translations form: its Swedish, the
// translation stored (or what she sent back) and whether it is older
// than the Swedish.
type translationItem struct {
	Ref                   process.TextRef
	N                     int // a prompt's number on the page
	Sv                    process.Source
	HasBody               bool
	TitleKey, BodyKey     string
	Max                   int
	Tr                    process.Translation
	Had                   bool
	StaleTitle, StaleBody bool
	Checked               bool // by a fluent speaker, against the Swedish now
	Shown                 string
	// What she ticked, when the form comes back with a problem.
	TickChecked, TickCurrent bool
}

// translationsPage is where a facilitator translates a process's or a
// workshop's texts, one language at a time.
type translationsPage struct {
	Action string // the page's own path
	Back   string
	Name   process.Shown // what is being translated, by its Swedish name
	States []langRow
	Lang   string // the language of the form; "" for none yet
	Items  []translationItem
}

// newTranslationsPage is the page of texts: every language's state, and
// the form of lang when it is one of TranslationLangs.
func newTranslationsPage(action, back string, name process.Shown, texts []process.Translatable, lang string) translationsPage {
	d := translationsPage{Action: action, Back: back, Name: name}
	for _, st := range process.LangStates(texts) {
		ui := i18n.UILang(st.Lang)
		d.States = append(d.States, langRow{LangState: st, Self: ui.Name, HTML: ui.HTML, Dir: i18n.Dir(ui.HTML)})
	}
	if !process.IsTranslationLang(lang) {
		return d
	}
	d.Lang = lang
	prompt := 0
	for _, x := range texts {
		t, had := x.Texts[lang]
		if !had {
			t = process.Translation{Lang: lang}
		}
		it := translationItem{Ref: x.Ref, Sv: x.Sv, Tr: t, Had: had, Checked: had && t.CheckedAgainst(x.Sv), Shown: x.Sv.Hash()}
		it.StaleTitle, it.StaleBody = t.Stale(x.Sv)
		switch x.Ref.Kind {
		case "process":
			it.TitleKey, it.BodyKey, it.Max = "cc.process.title_sv", "cc.process.purpose_sv", process.MaxTitle
		case "workshop":
			it.TitleKey, it.BodyKey, it.Max = "cc.workshop.title", "cc.workshop.agenda", process.MaxTitle
		case "prompt":
			prompt++
			it.N, it.TitleKey, it.Max = prompt, "cc.prompt.title", process.MaxPrompt
		}
		it.HasBody = it.BodyKey != "" && (x.Sv.Body != "" || t.Body != "")
		d.Items = append(d.Items, it)
	}
	return d
}

// readTranslations reads the form's edits: only of the texts the form was
// shown with (a prompt opened since is not in it, and its translation is
// left alone).
func readTranslations(form url.Values, texts []process.Translatable) map[process.TextRef]process.TranslationEdit {
	edits := map[process.TextRef]process.TranslationEdit{}
	for _, x := range texts {
		r := x.Ref
		if _, ok := form[r.Field("shown")]; !ok {
			continue
		}
		edits[r] = process.TranslationEdit{Title: form.Get(r.Field("title")), Body: form.Get(r.Field("body")), TranslatedBy: form.Get(r.Field("by")),
			Checked: form.Get(r.Field("checked")) == "1", Current: form.Get(r.Field("current")) == "1", Shown: form.Get(r.Field("shown"))}
	}
	return edits
}

// keepTyped puts what she sent back in the form's items, against the
// Swedish as it is now, so that a problem costs her nothing she typed.
func keepTyped(d *translationsPage, edits map[process.TextRef]process.TranslationEdit) {
	for i := range d.Items {
		it := &d.Items[i]
		e, ok := edits[it.Ref]
		if !ok {
			continue
		}
		it.Tr.Title, it.Tr.Body, it.Tr.TranslatedBy = e.Title, e.Body, e.TranslatedBy
		it.TickChecked, it.TickCurrent = e.Checked, e.Current
		it.HasBody = it.BodyKey != "" && (it.Sv.Body != "" || e.Body != "")
	}
}

// saveTranslations is the POST of a translations page: the edits saved
// together and audited, or the form again with its problems.
func (m *Module) saveTranslations(w http.ResponseWriter, r *http.Request, d func(lang string) translationsPage, texts []process.Translatable, subject string) error {
	lang := r.FormValue("lang")
	if !process.IsTranslationLang(lang) {
		return errNotFound
	}
	edits := readTranslations(r.PostForm, texts)
	if err := m.store.Translate(r.Context(), lang, edits); err != nil {
		if _, ok := problem.As(err); !ok {
			return err
		}
		page := d(lang)
		keepTyped(&page, edits)
		return m.app.RenderForm(w, r, "cocreation/translations", page, err)
	}
	u := web.User(r)
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: "cc.translate", Subject: subject, Detail: lang,
		Addr: web.ClientAddr(r)}); err != nil {
		return fmt.Errorf("audit translation: %w", err)
	}
	m.app.Flash(r, "cc.flash.translations_saved")
	return web.Redirect(w, r, d(lang).Action+"?lang="+url.QueryEscape(lang))
}

// processTexts are the process's texts to translate: its name and purpose.
func processTexts(p process.Process) []process.Translatable {
	return []process.Translatable{{Ref: process.TextRef{Kind: "process", ID: p.ID}, Sv: p.Source(), Texts: p.Texts}}
}

func (m *Module) processTranslations(w http.ResponseWriter, r *http.Request) error {
	p, err := m.processFor(r, true)
	if err != nil {
		return err
	}
	lang := r.URL.Query().Get("lang")
	if lang != "" && !process.IsTranslationLang(lang) {
		return errNotFound
	}
	page := newTranslationsPage(fmt.Sprintf("/processes/%d/translations", p.ID), fmt.Sprintf("/processes/%d", p.ID), p.In(process.Swedish).Title, processTexts(p), lang)
	m.app.Render(w, r, http.StatusOK, "cocreation/translations", page)
	return nil
}

func (m *Module) translateProcess(w http.ResponseWriter, r *http.Request) error {
	p, err := m.processFor(r, true)
	if err != nil {
		return err
	}
	texts := processTexts(p)
	page := func(lang string) translationsPage {
		// Against the Swedish as it is now, which may have moved.
		if now, err := m.store.Process(r.Context(), p.ID); err == nil {
			p = now
		}
		return newTranslationsPage(fmt.Sprintf("/processes/%d/translations", p.ID), fmt.Sprintf("/processes/%d", p.ID), p.In(process.Swedish).Title, processTexts(p), lang)
	}
	return m.saveTranslations(w, r, page, texts, fmt.Sprintf("cc_process:%d", p.ID))
}

// workshopTexts are the workshop's texts to translate: its name and
// agenda, and its prompts.
func workshopTexts(ws Workshop, prompts []Prompt) []process.Translatable {
	out := []process.Translatable{{Ref: process.TextRef{Kind: "workshop", ID: ws.ID}, Sv: ws.Source(), Texts: ws.Texts}}
	for _, q := range prompts {
		out = append(out, process.Translatable{Ref: process.TextRef{Kind: "prompt", ID: q.ID}, Sv: q.Source(), Texts: q.Texts})
	}
	return out
}

func (m *Module) workshopTextsFor(r *http.Request, ws Workshop) ([]process.Translatable, error) {
	prompts, err := m.store.Prompts(r.Context(), ws.ID)
	if err != nil {
		return nil, err
	}
	return workshopTexts(ws, prompts), nil
}

func (m *Module) workshopTranslations(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	lang := r.URL.Query().Get("lang")
	if lang != "" && !process.IsTranslationLang(lang) {
		return errNotFound
	}
	texts, err := m.workshopTextsFor(r, ws)
	if err != nil {
		return err
	}
	page := newTranslationsPage(fmt.Sprintf("/workshops/%d/translations", ws.ID), fmt.Sprintf("/workshops/%d", ws.ID), ws.In(process.Swedish).Title, texts, lang)
	m.app.Render(w, r, http.StatusOK, "cocreation/translations", page)
	return nil
}

func (m *Module) translateWorkshop(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	texts, err := m.workshopTextsFor(r, ws)
	if err != nil {
		return err
	}
	page := func(lang string) translationsPage {
		now, nowTexts := ws, texts
		if x, err := m.store.Workshop(r.Context(), ws.ID); err == nil {
			if t, err := m.workshopTextsFor(r, x); err == nil {
				now, nowTexts = x, t
			}
		}
		return newTranslationsPage(fmt.Sprintf("/workshops/%d/translations", ws.ID), fmt.Sprintf("/workshops/%d", ws.ID), now.In(process.Swedish).Title, nowTexts, lang)
	}
	return m.saveTranslations(w, r, page, texts, fmt.Sprintf("cc_workshop:%d", ws.ID))
}
