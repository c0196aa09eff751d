package handbook

import (
	"html/template"

	"megafon/platform/i18n"
	"megafon/platform/richtext"
)

// Handbook text reaches a page only through platform/richtext, the one
// function that shows what people wrote in any language (see there).

// RichText is richtext.Text, for the handbook's callers.
func RichText(text, lang string) template.HTML { return richtext.Text(text, lang) }

// RichTitle is richtext.Title, for the handbook's callers.
func RichTitle(title, lang string) template.HTML { return richtext.Title(title, lang) }

// RichUserText is richtext.UserText, for the handbook's callers.
func RichUserText(text string) template.HTML { return richtext.UserText(text) }

// HTML is the word diff as HTML: removed words in <del>, added ones in
// <ins>, and in a right-to-left language each Latin address or number
// isolated whole, even where the diff changed a part of it.
func (d FieldDiff) HTML(lang string) template.HTML {
	parts := make([]richtext.Part, len(d))
	for i, p := range d {
		parts[i] = richtext.Part{Tag: tagOf[p.Op], Text: p.Text}
	}
	return richtext.Parts(parts, i18n.Dir(lang) == "rtl")
}

var tagOf = map[DiffOp]string{Removed: "del", Added: "ins"}

// TitleHTML is the translation's title for a page (richtext.Title).
func (t Translation) TitleHTML() template.HTML { return richtext.Title(t.Title, t.Lang) }

// BodyHTML is the translation's body for a page (richtext.Text).
func (t Translation) BodyHTML() template.HTML { return richtext.Text(t.Body, t.Lang) }

// SwedishTitleHTML is the version's Swedish title for a page (richtext.Title).
func (v Version) SwedishTitleHTML() template.HTML { return richtext.Title(v.SwedishTitle(), Swedish) }

// TitleHTML is the entry's Swedish title for a page (richtext.Title).
func (e EditorEntry) TitleHTML() template.HTML { return richtext.Title(e.Title(), Swedish) }

// PlainTitle is the title where no markup may go (a <title>, an <option>):
// one line, without bidirectional controls.
func (t Translation) PlainTitle() string { return richtext.Line(t.Title) }
