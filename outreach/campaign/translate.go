package campaign

import (
	"fmt"
	"net/http"
	"slices"

	"megafon/platform/audit"
	"megafon/platform/i18n"
	"megafon/platform/web"
)

// translateData is the page where a coordinator translates a campaign's
// questions into one language, with the Swedish beside each field.
type translateData struct {
	C     Campaign
	Langs []string
	Lang  string
	Dir   string
	HTML  string // the lang attribute of the language
	Draft QuestionsDraft
	Rows  []translateRow
}

type translateRow struct {
	Q       Question
	Text    string
	Choices []string // one per Swedish choice
	Source  string
	Stale   bool
}

func (m *Module) translateForm(w http.ResponseWriter, r *http.Request) error {
	c, _, err := m.editable(r)
	if err != nil {
		return err
	}
	lang := r.FormValue("lang")
	if !slices.Contains(Translatable(), lang) {
		lang = "en"
		if l := web.Lang(r); slices.Contains(Translatable(), l) {
			lang = l
		}
	}
	d := QuestionsDraft{Lang: lang, Texts: map[int]string{}, Choices: map[int][]string{}, Sources: map[int]string{}}
	for i, q := range c.Questions {
		if t, ok := q.Translations[lang]; ok {
			d.Texts[i], d.Choices[i] = t.Text, t.Choices
			d.TranslatedBy = t.TranslatedBy
			d.Checked = d.Checked || t.Checked
		}
	}
	// A translation made from other Swedish is never shown as checked.
	for i, q := range c.Questions {
		if q.Stale(lang) || (d.Texts[i] != "" && !q.Translations[lang].Checked) {
			d.Checked = false
		}
	}
	m.app.Render(w, r, http.StatusOK, "campaign/translate", translation(c, d))
	return nil
}

func translation(c Campaign, d QuestionsDraft) *translateData {
	t := &translateData{C: c, Langs: Translatable(), Lang: d.Lang, Draft: d}
	t.Dir, t.HTML = "auto", ""
	if slices.Contains(t.Langs, d.Lang) {
		t.Dir, t.HTML = i18n.Dir(d.Lang), i18n.UILang(d.Lang).HTML
	}
	for i, q := range c.Questions {
		row := translateRow{Q: q, Text: d.Texts[i], Choices: make([]string, len(q.Choices)), Source: q.SourceHash(), Stale: q.Stale(d.Lang)}
		copy(row.Choices, d.Choices[i])
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (m *Module) translate(w http.ResponseWriter, r *http.Request) error {
	c, _, err := m.editable(r)
	if err != nil {
		return err
	}
	d := QuestionsDraft{Lang: r.PostFormValue("lang"), TranslatedBy: r.PostFormValue("translated_by"), Checked: r.PostFormValue("checked") == "1",
		Texts: map[int]string{}, Choices: map[int][]string{}, Sources: map[int]string{}}
	for i, q := range c.Questions {
		d.Texts[i] = r.PostFormValue(fmt.Sprintf("t%d_text", i))
		d.Sources[i] = r.PostFormValue(fmt.Sprintf("t%d_source", i))
		for j := range q.Choices {
			d.Choices[i] = append(d.Choices[i], r.PostFormValue(fmt.Sprintf("t%d_c%d", i, j)))
		}
	}
	if err := d.Clean(c.Questions); err != nil {
		return m.app.RenderForm(w, r, "campaign/translate", translation(c, d), err)
	}
	if err := m.store.TranslateQuestions(r.Context(), c.ID, d); err != nil {
		return err
	}
	m.recent.forget(c.ID)
	u := web.User(r)
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: "campaign.translate",
		Subject: fmt.Sprintf("campaign:%d", c.ID), Detail: "questions into " + d.Lang, Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	m.app.Flash(r, "campaign.flash.translated")
	return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d/translate?lang=%s", c.ID, d.Lang))
}
