package handbook

import (
	"html/template"

	"megafon/platform/richtext"
)

// Handbook text reaches a page only through platform/richtext, the one
// function that shows what people wrote in any language (see there).

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
