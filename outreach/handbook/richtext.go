package handbook

import (
	"html"
	"html/template"
	"regexp"
	"strings"

	"megafon/platform/i18n"
	"megafon/platform/input"
)

// latinRun is a run of Latin letters, digits and the punctuation of
// addresses and numbers (1177.se, 010-123 45 67, www.krisinformation.se).
var latinRun = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9.:/@+_\-]*(?:[ \-][0-9][0-9\-]*)*`)

// RichText turns a plain text of an entry into HTML: escaped, with line
// breaks kept, and in right-to-left languages each Latin address or number
// isolated in <bdi dir="ltr">, so that "1177.se" is not printed "se.1177".
// Bidirectional embedding, override and isolate controls are dropped: the
// web's input filter removes them from new text, but text stored before it,
// or brought by the demo, an import or the API, may carry an override that
// shows "1177" as "7711".
func RichText(text, lang string) template.HTML {
	text = input.StripBidiControls(text)
	rtl := i18n.Dir(lang) == "rtl"
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<br>")
		}
		if !rtl {
			b.WriteString(html.EscapeString(line))
			continue
		}
		last := 0
		for _, m := range latinRun.FindAllStringIndex(line, -1) {
			b.WriteString(html.EscapeString(line[last:m[0]]))
			b.WriteString(`<bdi dir="ltr">` + html.EscapeString(line[m[0]:m[1]]) + `</bdi>`)
			last = m[1]
		}
		b.WriteString(html.EscapeString(line[last:]))
	}
	return template.HTML(b.String())
}

// RichTitle is a title as HTML, wherever it is shown: on one line, without
// bidirectional controls, isolated in <bdi> with its language's direction
// (so an Arabic title in a Swedish list, a table or a <title> neither takes
// nor gives direction to the text around it), and with Latin runs isolated
// inside as in RichText.
func RichTitle(title, lang string) template.HTML {
	title = strings.Join(strings.Fields(input.StripBidiControls(title)), " ")
	return template.HTML(`<bdi dir="` + i18n.Dir(lang) + `">` + string(RichText(title, lang)) + `</bdi>`)
}

// TitleHTML is the translation's title for a page (RichTitle).
func (t Translation) TitleHTML() template.HTML { return RichTitle(t.Title, t.Lang) }

// BodyHTML is the translation's body for a page (RichText).
func (t Translation) BodyHTML() template.HTML { return RichText(t.Body, t.Lang) }

// SwedishTitleHTML is the version's Swedish title for a page (RichTitle).
func (v Version) SwedishTitleHTML() template.HTML { return RichTitle(v.SwedishTitle(), Swedish) }

// TitleHTML is the entry's Swedish title for a page (RichTitle).
func (e EditorEntry) TitleHTML() template.HTML { return RichTitle(e.Title(), Swedish) }

// PlainTitle is the title where no markup may go (a <title>, an <option>):
// one line, without bidirectional controls.
func (t Translation) PlainTitle() string {
	return strings.Join(strings.Fields(input.StripBidiControls(t.Title)), " ")
}
