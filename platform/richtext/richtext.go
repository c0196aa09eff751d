// Package richtext shows text that people wrote (a handbook answer, a
// workshop's agenda, a translation) on a page: escaped, with its line
// breaks, and in right-to-left text with each run of Latin letters and
// digits isolated, so that an address or a number reads the right way
// round inside Arabic or Dari. Every page that shows such text goes
// through it, so that the rule holds in one place.
package richtext

import (
	"html"
	"html/template"
	"regexp"
	"strings"

	"megafon/platform/i18n"
	"megafon/platform/input"
)

// latinRun is a run of Latin letters, digits and the punctuation of
// addresses and numbers (1177.se, 010-123 45 67, www.krisinformation.se),
// from a letter or digit to a letter or digit: a full stop, colon or
// dash after it belongs to the sentence around it, and inside the
// isolate it would stand between the number and the words before it.
var latinRun = regexp.MustCompile(`[A-Za-z0-9](?:[A-Za-z0-9.:/@+_\-]*[A-Za-z0-9])?(?:[ \-][0-9](?:[0-9\-]*[0-9])?)*`)

// Text turns a plain text in the language lang (a BCP 47 tag) into HTML:
// escaped, with line breaks kept, and in right-to-left languages each Latin
// address or number isolated in <bdi dir="ltr">, so that "1177.se" is not
// printed "se.1177". Bidirectional embedding, override and isolate controls
// are dropped: the web's input filter removes them from new text, but text
// stored before it, or brought by the demo, an import or the API, may carry
// an override that shows "1177" as "7711".
func Text(text, lang string) template.HTML {
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

// Title is a title as HTML, wherever it is shown: on one line, without
// bidirectional controls, isolated in <bdi> with its language's direction
// (so an Arabic title in a Swedish list, a table or a <title> neither takes
// nor gives direction to the text around it), and with Latin runs isolated
// inside as in Text.
func Title(title, lang string) template.HTML {
	return template.HTML(`<bdi dir="` + i18n.Dir(lang) + `">` + string(Text(Line(title), lang)) + `</bdi>`)
}

// Line is a title where no markup may go (a <title>, an <option>): one
// line, without bidirectional controls.
func Line(title string) string {
	return strings.Join(strings.Fields(input.StripBidiControls(title)), " ")
}
