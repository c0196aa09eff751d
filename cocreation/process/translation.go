package process

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"html/template"
	"slices"
	"unicode/utf8"

	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/richtext"
)

// Swedish is the language facilitators write a process, its workshops and
// its prompts in: the source of every translation.
const Swedish = "sv"

// TranslationLangs are the languages a facilitator translates into: every
// interface language but Swedish, in the order of the language switch.
func TranslationLangs() []string {
	var out []string
	for _, l := range i18n.Codes() {
		if l != Swedish {
			out = append(out, l)
		}
	}
	return out
}

// IsTranslationLang reports whether lang is one of TranslationLangs.
func IsTranslationLang(lang string) bool { return lang != Swedish && i18n.IsUILang(lang) }

// Source is the Swedish of a text: a process's name and purpose, a
// workshop's name and agenda, a prompt (Title alone).
type Source struct{ Title, Body string }

// hash identifies the Swedish a facilitator was shown, so that a
// translation saved after the Swedish changed under her is caught.
func (s Source) Hash() string {
	h := sha256.Sum256([]byte(s.Title + "\x00" + s.Body))
	return hex.EncodeToString(h[:8])
}

// Translation is a facilitator's translation of one text into one
// interface language, with who translated it and whether a fluent speaker
// checked it. From is the Swedish it was made from: when the Swedish
// changes, the part made from the older text is stale, and is not counted
// as checked until someone looks at it again (the lesson of RapidPro,
// whose translations went stale without a word).
type Translation struct {
	Lang         string
	Title, Body  string
	TranslatedBy string
	Checked      bool
	From         Source
}

// Stale reports which parts of the translation were made from an older
// Swedish text than sv.
func (t Translation) Stale(sv Source) (title, body bool) {
	return t.Title != "" && t.From.Title != sv.Title, t.Body != "" && t.From.Body != sv.Body
}

// CheckedAgainst reports whether a fluent speaker checked the translation
// against the Swedish as it is now.
func (t Translation) CheckedAgainst(sv Source) bool {
	title, body := t.Stale(sv)
	return t.Checked && !title && !body
}

// TranslationEdit is what a facilitator sends for one text in one
// language. Emptied, the translation is removed.
type TranslationEdit struct {
	Title, Body, TranslatedBy string
	// Checked: a fluent speaker has checked it against the Swedish shown.
	Checked bool
	// Current: it still says what the Swedish says since it changed.
	Current bool
	// Shown identifies the Swedish she was shown (Source.hash); empty
	// means the Swedish as it is now.
	Shown string
}

// Apply is the translation saved from an edit, given the stored one (had:
// whether there is one) and the Swedish now; keep is false when the edit
// removes it. A part whose words change is from the Swedish now; one left
// as it was keeps the Swedish it was made from, stale or not, unless she
// says that it still holds or that a fluent speaker checked it. Checked
// lasts only while neither the translation nor its Swedish changes: a
// fluent speaker checked these words against that text.
func (e TranslationEdit) Apply(old Translation, had bool, sv Source) (t Translation, keep bool) {
	t = Translation{Lang: old.Lang, Title: e.Title, Body: e.Body, TranslatedBy: e.TranslatedBy}
	if t.Title == "" && t.Body == "" {
		return t, false
	}
	if !had {
		old = Translation{From: sv}
	}
	t.From, t.Checked = old.From, old.CheckedAgainst(sv)
	if t.Title != old.Title {
		t.From.Title, t.Checked = sv.Title, false
	}
	if t.Body != old.Body {
		t.From.Body, t.Checked = sv.Body, false
	}
	if e.Checked || e.Current {
		t.From = sv
	}
	if e.Checked {
		t.Checked = true
	}
	return t, true
}

// Shown is a text as one reader sees it: the translation into her
// language, else the Swedish. Pages show it through platform/richtext with
// its language and direction on its element (WCAG 3.1.2).
type Shown struct {
	Text    string
	Code    string // the language it is in: the reader's, or Swedish
	Stale   bool   // translated from an older Swedish text
	Checked bool   // by a fluent speaker, against the Swedish now
	Swedish string // the Swedish now, beside a stale translation
}

// Show is what a reader of lang sees of the Swedish text sv, which tr
// translates, made from the Swedish from ("" when there is no
// translation). A text with no Swedish is not shown in any language.
func Show(lang, sv, tr, from string, checked bool) Shown {
	switch {
	case sv == "":
		return Shown{Code: Swedish}
	case lang == Swedish || tr == "":
		return Shown{Text: sv, Code: Swedish, Checked: true}
	}
	stale := from != sv
	return Shown{Text: tr, Code: lang, Stale: stale, Checked: checked && !stale, Swedish: sv}
}

// Lang is the text's lang attribute: Easy Swedish is Swedish to a browser
// and a screen reader.
func (s Shown) Lang() string {
	if s.Code == "" {
		return Swedish
	}
	if i18n.IsUILang(s.Code) {
		return i18n.UILang(s.Code).HTML
	}
	return s.Code
}

// Dir is the text's direction, for its dir attribute.
func (s Shown) Dir() string { return i18n.Dir(s.Lang()) }

// HTML is the text for a page (richtext.Text); its element carries Lang
// and Dir.
func (s Shown) HTML() template.HTML { return richtext.Text(s.Text, s.Code) }

// TitleHTML is the text as a title (richtext.Title).
func (s Shown) TitleHTML() template.HTML { return richtext.Title(s.Text, s.Code) }

// Inline is the title inside other text, its language on it.
func (s Shown) Inline() template.HTML {
	return template.HTML(`<span lang="` + html.EscapeString(s.Lang()) + `">` + string(s.TitleHTML()) + `</span>`)
}

// Plain is the title where no markup may go (a <title>, an <option>).
func (s Shown) Plain() string { return richtext.Line(s.Text) }

// SwedishHTML is the Swedish now, shown beside a stale translation.
func (s Shown) SwedishHTML() template.HTML { return richtext.Text(s.Swedish, Swedish) }

// ProcessText is a process's name and purpose as a reader sees them.
type ProcessText struct{ Title, Purpose Shown }

// In is the process's name and purpose for a reader of lang.
func (p Process) In(lang string) ProcessText {
	t := p.Texts[lang]
	return ProcessText{Title: Show(lang, p.Title, t.Title, t.From.Title, t.Checked), Purpose: Show(lang, p.Purpose, t.Body, t.From.Body, t.Checked)}
}

// Source is the process's Swedish name and purpose.
func (p Process) Source() Source { return Source{p.Title, p.Purpose} }

// TextRef names a text facilitators translate: a process (its name and
// purpose), a workshop (its name and agenda) or a prompt.
type TextRef struct {
	Kind string // "process", "workshop" or "prompt"
	ID   int64
}

// textKinds say, for each kind of text, which column of cc_translations
// names it, where its Swedish is and how long its parts may be.
var textKinds = map[string]struct {
	column, swedish string
	maxTitle        int
	hasBody         bool
}{
	"process":  {"process_id", `SELECT title, purpose FROM cc_processes WHERE id = $1`, MaxTitle, true},
	"workshop": {"workshop_id", `SELECT title, agenda FROM cc_workshops WHERE id = $1`, MaxTitle, true},
	"prompt":   {"prompt_id", `SELECT text, '' FROM cc_prompts WHERE id = $1`, MaxPrompt, false},
}

// Field is the name of a part of the text's form ("title", "body", "by",
// "checked", "current", "shown"), with which problems find their field.
func (r TextRef) Field(part string) string { return fmt.Sprintf("%s-%s-%d", part, r.Kind, r.ID) }

// clean trims an edit of the text r and checks its lengths.
func (e *TranslationEdit) clean(r TextRef) error {
	k := textKinds[r.Kind]
	var l problem.List
	e.Title, e.Body, e.TranslatedBy = CleanLine(e.Title), CleanText(e.Body), CleanLine(e.TranslatedBy)
	if !k.hasBody {
		e.Body = ""
	}
	if utf8.RuneCountInString(e.Title) > k.maxTitle {
		l.Add(r.Field("title"), "cc.error.too_long")
	}
	if utf8.RuneCountInString(e.Body) > MaxText {
		l.Add(r.Field("body"), "cc.error.too_long")
	}
	if utf8.RuneCountInString(e.TranslatedBy) > MaxTitle {
		l.Add(r.Field("by"), "cc.error.too_long")
	}
	return l.Err()
}

func kindOrder(kind string) int {
	return map[string]int{"process": 0, "workshop": 1, "prompt": 2}[kind]
}

// Translate saves a facilitator's translations into lang, all or none:
// each edit of a text is applied (TranslationEdit.Apply) to what is stored
// against the Swedish as it is in the same transaction. A text whose
// Swedish is no longer the one she was shown saves nothing: she reads the
// new Swedish first.
func (s *Store) Translate(ctx context.Context, lang string, edits map[TextRef]TranslationEdit) error {
	if !IsTranslationLang(lang) {
		return problem.Field("lang", "form.invalid_choice")
	}
	type edit struct {
		r TextRef
		e TranslationEdit
	}
	var todo []edit
	var l problem.List
	for r, e := range edits {
		if _, ok := textKinds[r.Kind]; !ok {
			return fmt.Errorf("translate: no text kind %q", r.Kind)
		}
		if err := e.clean(r); err != nil {
			pl, _ := problem.As(err)
			l = append(l, pl...)
		}
		todo = append(todo, edit{r, e})
	}
	// In the order of the page: the process or workshop, then its prompts.
	slices.SortFunc(todo, func(a, b edit) int {
		return cmp.Or(cmp.Compare(kindOrder(a.r.Kind), kindOrder(b.r.Kind)), cmp.Compare(a.r.ID, b.r.ID))
	})
	slices.SortStableFunc(l, func(a, b *problem.Error) int { return cmp.Compare(a.Field, b.Field) })
	if err := l.Err(); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, x := range todo {
			r, e, k := x.r, x.e, textKinds[x.r.Kind]
			var sv Source
			if err := tx.QueryRowContext(ctx, k.swedish, r.ID).Scan(&sv.Title, &sv.Body); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			} else if err != nil {
				return fmt.Errorf("translate %s %d: %w", r.Kind, r.ID, err)
			}
			if e.Shown != "" && e.Shown != sv.Hash() {
				l = append(l, &problem.Error{Kind: problem.Conflict, Key: "cc.error.swedish_changed", Field: r.Field("title")})
				continue
			}
			old := Translation{Lang: lang}
			err := tx.QueryRowContext(ctx, `SELECT title, body, translated_by, checked, source_title, source_body FROM cc_translations WHERE `+k.column+` = $1 AND lang = $2`, r.ID, lang).
				Scan(&old.Title, &old.Body, &old.TranslatedBy, &old.Checked, &old.From.Title, &old.From.Body)
			had := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("translate %s %d: %w", r.Kind, r.ID, err)
			}
			t, keep := e.Apply(old, had, sv)
			if !keep {
				if _, err := tx.ExecContext(ctx, `DELETE FROM cc_translations WHERE `+k.column+` = $1 AND lang = $2`, r.ID, lang); err != nil {
					return fmt.Errorf("translate %s %d: %w", r.Kind, r.ID, err)
				}
				continue
			}
			// One row per text and language: a partial unique index per
			// kind of text, named in the conflict target with its condition.
			if _, err := tx.ExecContext(ctx, `INSERT INTO cc_translations (`+k.column+`, lang, title, body, translated_by, checked, source_title, source_body)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (`+k.column+`, lang) WHERE `+k.column+` IS NOT NULL DO UPDATE SET title = excluded.title, body = excluded.body,
				translated_by = excluded.translated_by, checked = excluded.checked, source_title = excluded.source_title, source_body = excluded.source_body`,
				r.ID, lang, t.Title, t.Body, t.TranslatedBy, t.Checked, t.From.Title, t.From.Body); err != nil {
				return fmt.Errorf("translate %s %d: %w", r.Kind, r.ID, err)
			}
		}
		// Nothing is saved when one text's Swedish moved under her.
		return l.Err()
	})
}

// TranslationColumns are what is read of a translation, after the id of
// what it translates.
const TranslationColumns = `t.lang, t.title, t.body, t.translated_by, t.checked, t.source_title, t.source_body`

// translations reads the translations a query selects (the translated
// text's id, then TranslationColumns) by text and language.
func (s *Store) Translations(ctx context.Context, query string, arg int64) (map[int64]map[string]Translation, error) {
	rows, err := s.DB.Query(ctx, query, arg)
	if err != nil {
		return nil, fmt.Errorf("translations: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]Translation{}
	for rows.Next() {
		var id int64
		var t Translation
		if err := rows.Scan(&id, &t.Lang, &t.Title, &t.Body, &t.TranslatedBy, &t.Checked, &t.From.Title, &t.From.Body); err != nil {
			return nil, fmt.Errorf("translations: %w", err)
		}
		if out[id] == nil {
			out[id] = map[string]Translation{}
		}
		out[id][t.Lang] = t
	}
	return out, rows.Err()
}

// LangState sums up the translations of a page's texts into one language:
// how many parts there are to translate (names, purposes, agendas,
// prompts), how many are translated, how many of those a fluent speaker
// checked against the Swedish now, and how many are older than the
// Swedish.
type LangState struct {
	Lang                              string
	Parts, Translated, Checked, Stale int
}

// Translatable is a text with its Swedish and translations, for the
// states and the form.
type Translatable struct {
	Ref   TextRef
	Sv    Source
	Texts map[string]Translation
}

// LangStates counts, for every translation language, the parts of texts
// translated, checked and stale.
func LangStates(texts []Translatable) []LangState {
	var out []LangState
	for _, lang := range TranslationLangs() {
		st := LangState{Lang: lang}
		for _, x := range texts {
			t, has := x.Texts[lang]
			staleTitle, staleBody := t.Stale(x.Sv)
			for _, part := range []struct {
				sv, tr string
				stale  bool
			}{{x.Sv.Title, t.Title, staleTitle}, {x.Sv.Body, t.Body, staleBody}} {
				if part.sv == "" {
					continue
				}
				st.Parts++
				if !has || part.tr == "" {
					continue
				}
				st.Translated++
				if part.stale {
					st.Stale++
				} else if t.Checked {
					st.Checked++
				}
			}
		}
		out = append(out, st)
	}
	return out
}

// StaleLangs are the languages with a part older than the Swedish.
func StaleLangs(states []LangState) []string {
	var out []string
	for _, s := range states {
		if s.Stale > 0 {
			out = append(out, s.Lang)
		}
	}
	return out
}
