package handbook

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
// addresses and numbers (1177.se, 010-123 45 67, www.krisinformation.se).
var latinRun = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9.:/@+_\-]*(?:[ \-][0-9][0-9\-]*)*`)

// RichText turns a plain text of an entry into HTML: escaped, with line
// breaks kept, and in right-to-left languages each Latin address or number
// isolated in <bdi dir="ltr">, so that "1177.se" is not printed "se.1177".
// Bidirectional embedding, override and isolate controls are dropped: the
// web's input filter removes them from new text, but text stored before it,
// or brought by the demo, an import or the API, may carry an override that
// shows "1177" as "7711".
//
// Every page that shows handbook text, or other text that may be written
// right to left, goes through RichText (or RichTitle, RichUserText,
// FieldDiff.HTML, which share its work), and a browser test measures the
// order of the digits on each.
func RichText(text, lang string) template.HTML {
	return richParts([]DiffPart{{Same, text}}, i18n.Dir(lang) == "rtl")
}

// RichUserText is RichText for a text whose language nobody recorded (a
// campaign's question, a resident's name), isolated in <bdi> with the
// direction of its first strong letter, as dir="auto" would find it.
func RichUserText(text string) template.HTML {
	dir := TextDir(text)
	return template.HTML(`<bdi dir="` + dir + `">` + string(richParts([]DiffPart{{Same, text}}, dir == "rtl")) + `</bdi>`)
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

// HTML is the word diff as HTML: removed words in <del>, added ones in
// <ins>, and in a right-to-left language each Latin address or number
// isolated whole, even where the diff changed a part of it.
func (d FieldDiff) HTML(lang string) template.HTML { return richParts(d, i18n.Dir(lang) == "rtl") }

// richParts is the one place that writes text as HTML for RichText and the
// functions beside it: parts of a text (a diff's, or a single one), each
// escaped and marked by its operation, with line breaks, and with the Latin
// runs of right-to-left text found over the whole text and isolated, the
// <del> and <ins> closed and opened again at their edges.
func richParts(parts []DiffPart, rtl bool) template.HTML {
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
		setTag(tagOf[parts[part].Op])
		b.WriteString(strings.ReplaceAll(html.EscapeString(all[at:next]), "\n", "<br>"))
		at = next
	}
	setTag("")
	if inRun {
		b.WriteString("</bdi>")
	}
	return template.HTML(b.String())
}

var tagOf = map[DiffOp]string{Removed: "del", Added: "ins"}

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
