package process

import (
	"fmt"
	"net/http"
	"net/url"

	"megafon/platform/audit"
	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// langRow is a translation language on the translations page: how far its
// translations are, and its name in itself.
type langRow struct {
	LangState
	Self, HTML, Dir string
}

// translationItem is one text on the translations form: its Swedish, the
// translation stored (or what she sent back) and whether it is older
// than the Swedish.
type translationItem struct {
	Ref                   TextRef
	N                     int // a prompt's number on the page
	Sv                    Source
	HasBody               bool
	TitleKey, BodyKey     string
	Max                   int
	Tr                    Translation
	Had                   bool
	StaleTitle, StaleBody bool
	Checked               bool // by a fluent speaker, against the Swedish now
	Shown                 string
	// What she ticked, when the form comes back with a problem.
	TickChecked, TickCurrent bool
}

// TranslationsPage is where a facilitator translates a process's or a
// workshop's texts, one language at a time.
type TranslationsPage struct {
	Action string // the page's own path
	Back   string
	Name   Shown // what is being translated, by its Swedish name
	States []langRow
	Lang   string // the language of the form; "" for none yet
	Items  []translationItem
}

// NewTranslationsPage is the page of texts: every language's state, and
// the form of lang when it is one of TranslationLangs.
func NewTranslationsPage(action, back string, name Shown, texts []Translatable, lang string) TranslationsPage {
	d := TranslationsPage{Action: action, Back: back, Name: name}
	for _, st := range LangStates(texts) {
		ui := i18n.UILang(st.Lang)
		d.States = append(d.States, langRow{LangState: st, Self: ui.Name, HTML: ui.HTML, Dir: i18n.Dir(ui.HTML)})
	}
	if !IsTranslationLang(lang) {
		return d
	}
	d.Lang = lang
	prompt := 0
	for _, x := range texts {
		t, had := x.Texts[lang]
		if !had {
			t = Translation{Lang: lang}
		}
		it := translationItem{Ref: x.Ref, Sv: x.Sv, Tr: t, Had: had, Checked: had && t.CheckedAgainst(x.Sv), Shown: x.Sv.Hash()}
		it.StaleTitle, it.StaleBody = t.Stale(x.Sv)
		switch x.Ref.Kind {
		case "process":
			it.TitleKey, it.BodyKey, it.Max = "cc.title_sv", "cc.purpose_sv", MaxTitle
		case "workshop":
			it.TitleKey, it.BodyKey, it.Max = "cc.workshop.title", "cc.workshop.agenda", MaxTitle
		case "prompt":
			prompt++
			it.N, it.TitleKey, it.Max = prompt, "cc.prompt.title", MaxPrompt
		}
		it.HasBody = it.BodyKey != "" && (x.Sv.Body != "" || t.Body != "")
		d.Items = append(d.Items, it)
	}
	return d
}

// readTranslations reads the form's edits: only of the texts the form was
// shown with (a prompt opened since is not in it, and its translation is
// left alone).
func readTranslations(form url.Values, texts []Translatable) map[TextRef]TranslationEdit {
	edits := map[TextRef]TranslationEdit{}
	for _, x := range texts {
		r := x.Ref
		if _, ok := form[r.Field("shown")]; !ok {
			continue
		}
		edits[r] = TranslationEdit{Title: form.Get(r.Field("title")), Body: form.Get(r.Field("body")), TranslatedBy: form.Get(r.Field("by")),
			Checked: form.Get(r.Field("checked")) == "1", Current: form.Get(r.Field("current")) == "1", Shown: form.Get(r.Field("shown"))}
	}
	return edits
}

// keepTyped puts what she sent back in the form's items, against the
// Swedish as it is now, so that a problem costs her nothing she typed.
func keepTyped(d *TranslationsPage, edits map[TextRef]TranslationEdit) {
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

// SaveTranslations is the POST of a translations page: the edits saved
// together and audited, or the form again with its problems.
func (m *Pages) SaveTranslations(w http.ResponseWriter, r *http.Request, d func(lang string) TranslationsPage, texts []Translatable, subject string) error {
	lang := r.FormValue("lang")
	if !IsTranslationLang(lang) {
		return ErrNotFound
	}
	edits := readTranslations(r.PostForm, texts)
	if err := m.Store.Translate(r.Context(), lang, edits); err != nil {
		if _, ok := problem.As(err); !ok {
			return err
		}
		page := d(lang)
		keepTyped(&page, edits)
		return m.App.RenderForm(w, r, "cocreation/translations", page, err)
	}
	u := web.User(r)
	if err := m.App.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: "cc.translate", Subject: subject, Detail: lang,
		Addr: web.ClientAddr(r)}); err != nil {
		return fmt.Errorf("audit translation: %w", err)
	}
	m.App.Flash(r, "cc.flash.translations_saved")
	return web.Redirect(w, r, d(lang).Action+"?lang="+url.QueryEscape(lang))
}
