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

	"golang.org/x/text/unicode/bidi"

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
	return Parts([]Part{{Text: text}}, i18n.Dir(lang) == "rtl")
}

// UserText is Text for a text whose language nobody recorded (a campaign's
// question, a resident's name), isolated in <bdi> with the direction of its
// first strong letter, as dir="auto" would find it.
func UserText(text string) template.HTML {
	dir := TextDir(text)
	return template.HTML(`<bdi dir="` + dir + `">` + string(Parts([]Part{{Text: text}}, dir == "rtl")) + `</bdi>`)
}

// TextDir is the direction of a text's first strong letter ("ltr" when it
// has none), as the browser's dir="auto" finds it.
func TextDir(text string) string {
	for _, r := range input.StripBidiControls(text) {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return "ltr"
		case bidi.R, bidi.AL:
			return "rtl"
		}
	}
	return "ltr"
}

// Part is a piece of a text, marked with the element it stands in ("del"
// or "ins" in a diff, "" for none).
type Part struct {
	Tag  string
	Text string
}

// Parts is the one place that writes people's text as HTML, for Text and
// the functions beside it and for the handbook's diffs: parts of a text (a diff's, or a single one), each
// escaped and marked by its operation, with line breaks, and with the Latin
// runs of right-to-left text found over the whole text and isolated, the
// <del> and <ins> closed and opened again at their edges.
func Parts(parts []Part, rtl bool) template.HTML {
	var text strings.Builder
	ends := make([]int, len(parts)) // where each part ends in text
	for i, p := range parts {
		text.WriteString(input.StripBidiControls(p.Text))
		ends[i] = text.Len()
	}
	all := text.String()
	var runs [][]int
	if rtl {
		runs = latinRun.FindAllStringIndex(all, -1)
	}
	var b strings.Builder
	tag, inRun := "", false
	setTag := func(want string) {
		if want == tag {
			return
		}
		if tag != "" {
			b.WriteString("</" + tag + ">")
		}
		if want != "" {
			b.WriteString("<" + want + ">")
		}
		tag = want
	}
	part, run := 0, 0
	for at := 0; at < len(all); {
		for ends[part] <= at {
			part++
		}
		for run < len(runs) && runs[run][1] <= at {
			run++
		}
		next, nowInRun := ends[part], false
		if run < len(runs) {
			if runs[run][0] <= at {
				nowInRun, next = true, min(next, runs[run][1])
			} else {
				next = min(next, runs[run][0])
			}
		}
		if nowInRun != inRun {
			setTag("")
			if nowInRun {
				b.WriteString(`<bdi dir="ltr">`)
			} else {
				b.WriteString("</bdi>")
			}
			inRun = nowInRun
		}
		setTag(parts[part].Tag)
		b.WriteString(strings.ReplaceAll(html.EscapeString(all[at:next]), "\n", "<br>"))
		at = next
	}
	setTag("")
	if inRun {
		b.WriteString("</bdi>")
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
