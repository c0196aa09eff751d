package handbook

import (
	"html"
	"html/template"
	"regexp"
	"strings"

	"megafon/platform/i18n"
)

// latinRun is a run of Latin letters, digits and the punctuation of
// addresses and numbers (1177.se, 010-123 45 67, www.krisinformation.se).
var latinRun = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9.:/@+_\-]*(?:[ \-][0-9][0-9\-]*)*`)

// RichText turns a plain text of an entry into HTML: escaped, with line
// breaks kept, and in right-to-left languages each Latin address or number
// isolated in <bdi dir="ltr">, so that "1177.se" is not printed "se.1177".
func RichText(text, lang string) template.HTML {
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
