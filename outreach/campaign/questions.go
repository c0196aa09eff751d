package campaign

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"megafon/outreach/handbook"
	"megafon/platform/i18n"
	"megafon/platform/input"
	"megafon/platform/problem"
)

// QuestionTranslation is a question's text and choices in one language.
// Answers are still stored as the Swedish choice, so reports do not change
// with the language of the call: only the labels are translated.
type QuestionTranslation struct {
	Text         string   `json:"text"`
	Choices      []string `json:"choices,omitempty"` // in the order of the Swedish ones
	TranslatedBy string   `json:"translated_by,omitempty"`
	Checked      bool     `json:"checked,omitempty"`
	// Source is the SourceHash of the Swedish it was made from: when the
	// Swedish changes, the translation is stale.
	Source string `json:"source"`
}

// SourceHash identifies the Swedish of a question (kind, text and
// choices), so that a translation of one wording does not count for the
// next.
func (q Question) SourceHash() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s", q.Kind, q.Text)
	for _, c := range q.Choices {
		fmt.Fprintf(h, "\x00%s", c)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Fresh returns the question's translation into lang when there is one
// made from its present Swedish.
func (q Question) Fresh(lang string) (QuestionTranslation, bool) {
	t, ok := q.Translations[lang]
	if !ok || t.Text == "" || t.Source != q.SourceHash() || len(t.Choices) != len(q.Choices) {
		return QuestionTranslation{}, false
	}
	return t, true
}

// Stale reports whether the question has a translation into lang that
// was made from other Swedish.
func (q Question) Stale(lang string) bool {
	_, has := q.Translations[lang]
	_, fresh := q.Fresh(lang)
	return has && !fresh
}

// Wording is a question as a page shows it in one language: the text and
// choice labels carry their language, and the choices' values stay the
// Swedish that is stored as the answer.
type Wording struct {
	Lang     string // BCP 47, for the lang attribute
	Dir      string
	Text     template.HTML
	Choices  []ChoiceHTML
	Fallback bool // the Swedish, for want of a fresh translation
}

// In is the question in lang when a fresh translation exists, else in
// Swedish, marked as such. All of it goes through handbook.RichUserText,
// which keeps numbers in order inside right-to-left text.
func (q Question) In(lang string) Wording {
	t, ok := q.Fresh(lang)
	if lang == handbook.Swedish || !ok {
		return Wording{Lang: handbook.Swedish, Dir: "ltr", Text: q.TextHTML(), Choices: q.ChoicesHTML(), Fallback: lang != handbook.Swedish}
	}
	w := Wording{Lang: i18n.UILang(lang).HTML, Dir: i18n.Dir(lang), Text: handbook.RichUserText(t.Text)}
	for i, c := range q.Choices {
		w.Choices = append(w.Choices, ChoiceHTML{Value: c, HTML: handbook.RichUserText(t.Choices[i])})
	}
	return w
}

// Translatable lists the languages a campaign's questions may be
// translated into: the interface languages but Swedish, their source.
func Translatable() []string {
	var out []string
	for _, l := range i18n.Langs {
		if l.Code != handbook.Swedish {
			out = append(out, l.Code)
		}
	}
	return out
}

// QuestionsDraft is what a coordinator submits on the translation page:
// one language's translation of each question, by question number; a
// question left empty has no translation in that language.
type QuestionsDraft struct {
	Lang         string
	TranslatedBy string
	Checked      bool
	Texts        map[int]string
	Choices      map[int][]string
	Sources      map[int]string // the SourceHash of the Swedish shown beside the fields
}

// Clean checks the draft against the campaign's questions with the limits
// of the Swedish: a language of the interface other than Swedish, each
// text and choice on one line of at most maxQuestionRunes, every choice
// of a translated question translated, and who translated on one line.
func (d *QuestionsDraft) Clean(qs []Question) error {
	var l problem.List
	if !slices.Contains(Translatable(), d.Lang) {
		l.Add("lang", "campaign.error.translation_lang")
	}
	by, err := input.Line(strings.TrimSpace(d.TranslatedBy), 200)
	if err != nil {
		l.Add("translated_by", "campaign.error.translated_by", "Max", 200)
	}
	d.TranslatedBy = by
	for i, q := range qs {
		text, err := input.Line(strings.TrimSpace(d.Texts[i]), maxQuestionRunes)
		if err != nil {
			l.Add(fmt.Sprintf("t%d_text", i), "campaign.error.translation_text", "Max", maxQuestionRunes)
		}
		d.Texts[i] = text
		cs := d.Choices[i]
		for j := range q.Choices {
			c := ""
			if j < len(cs) {
				c = strings.TrimSpace(cs[j])
			}
			c, err := input.Line(c, maxQuestionRunes)
			if err != nil || (c == "" && text != "") {
				l.Add(fmt.Sprintf("t%d_c%d", i, j), "campaign.error.translation_choice", "Max", maxQuestionRunes)
			}
			if j < len(cs) {
				cs[j] = c
			}
		}
	}
	return l.Err()
}

// Apply returns the questions with the draft's translations in place.
// A translation records the Swedish it was made from as the page showed
// it, so one made while a coordinator changed the Swedish is stale at once.
func (d QuestionsDraft) Apply(qs []Question) []Question {
	out := slices.Clone(qs)
	for i := range out {
		q := &out[i]
		ts := map[string]QuestionTranslation{}
		for k, v := range q.Translations {
			ts[k] = v
		}
		if d.Texts[i] == "" {
			delete(ts, d.Lang)
		} else {
			src := d.Sources[i]
			if src == "" {
				src = q.SourceHash()
			}
			var cs []string
			if len(q.Choices) > 0 {
				cs = slices.Clone(d.Choices[i][:len(q.Choices)])
			}
			ts[d.Lang] = QuestionTranslation{Text: d.Texts[i], Choices: cs, TranslatedBy: d.TranslatedBy, Checked: d.Checked, Source: src}
		}
		q.Translations = ts
		if len(ts) == 0 {
			q.Translations = nil
		}
	}
	return out
}

// KeepTranslations carries the translations of the old questions over to
// the edited ones: to the question with the same Swedish wherever it now
// is, else to the question in the same place, where they are stale until
// translated again but spare the translator retyping.
func KeepTranslations(old, edited []Question) []Question {
	out := slices.Clone(edited)
	for i := range out {
		for _, o := range old {
			if len(o.Translations) > 0 && o.SourceHash() == out[i].SourceHash() {
				out[i].Translations = o.Translations
				break
			}
		}
		if out[i].Translations == nil && i < len(old) {
			out[i].Translations = old[i].Translations
		}
	}
	return out
}
