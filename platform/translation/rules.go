package translation

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/feature/plural"

	"megafon/platform/i18n"
)

// MaxMessageRunes bounds one plural form of a translation: the longest
// Swedish message is about 250 characters, and a translation four times
// as long would break the buttons and headings it stands in.
const MaxMessageRunes = 1000

// Row is one row of a translator's sheet, as read: the cells that matter,
// each already through the input filter (Bad says why one was not).
type Row struct {
	Number  int // as the spreadsheet numbers it
	Key     string
	Form    string // plural form; empty for a message without plurals
	Text    string // the translation
	Checked string // the "checked" cell: x, or empty
	Hash    string // SourceHash of the Swedish text the sheet was made from
	Bad     Reason // a cell the input filter refused
}

// Reason is why a row was rejected, or a note on one that was kept: the
// last part of a translation key ("translation.reason.<reason>").
type Reason string

// Why a row is rejected.
const (
	UnknownKey   Reason = "unknown_key"
	UnknownForm  Reason = "unknown_form" // a plural form the language has not
	NoPlural     Reason = "no_plural"    // a plural form for a message without plurals
	Placeholders Reason = "placeholders" // not the Swedish text's {{.Name}}s
	Template     Reason = "template"     // braces that are no placeholder
	Control      Reason = "control"      // a control character or broken text
	TooLong      Reason = "too_long"
	Empty        Reason = "empty"
	Duplicate    Reason = "duplicate"    // the key and form again
	CheckedMark  Reason = "checked_mark" // something other than x in the checked column
	Sibling      Reason = "sibling"      // another form of the message was rejected
)

// Result is what became of a row.
type Result string

const (
	Updated   Result = "updated"
	Unchanged Result = "unchanged"
	Rejected  Result = "rejected"
)

// Outcome is what became of one row, and why.
type Outcome struct {
	Row    int               `json:"row"`
	Key    string            `json:"key"`
	Form   string            `json:"form,omitempty"`
	Result Result            `json:"result"`
	Reason Reason            `json:"reason,omitempty"`
	Args   map[string]string `json:"args,omitempty"`
	// Stale marks a row checked against a Swedish text that has changed
	// since: kept, but not counted as checked.
	Stale bool `json:"stale,omitempty"`
}

// Change is a message to save and apply.
type Change struct {
	Key     string
	Message i18n.Message
	// CheckedAgainst is the hash of the Swedish text a fluent speaker
	// checked the message against, or "" when nobody has.
	CheckedAgainst string
}

// Plan is what an import of a sheet does: every row's outcome, and the
// messages that change.
type Plan struct {
	Lang     string
	Outcomes []Outcome // one per row, in the sheet's order
	Changes  []Change  // in the order of their first row
}

// Count returns how many rows had result r.
func (p Plan) Count(r Result) int {
	n := 0
	for _, o := range p.Outcomes {
		if o.Result == r {
			n++
		}
	}
	return n
}

// Stale counts the rows kept but not counted as checked, because the
// Swedish text changed after they were checked.
func (p Plan) Stale() int {
	n := 0
	for _, o := range p.Outcomes {
		if o.Stale {
			n++
		}
	}
	return n
}

// Check decides what an import of rows into lang does, given the
// catalogue's entries for lang (Catalogue.Entries). Every row gets an
// outcome. A message is taken whole or not at all: when one of its forms
// is rejected, its other rows are too.
func Check(lang i18n.Lang, rows []Row, entries []i18n.Entry) Plan {
	byKey := make(map[string]*i18n.Entry, len(entries))
	for i := range entries {
		byKey[entries[i].Key] = &entries[i]
	}
	plan := Plan{Lang: lang.Code, Outcomes: make([]Outcome, len(rows))}
	seen := map[string]int{}      // key + form -> row number
	keyRows := map[string][]int{} // key -> indexes of its rows that passed
	var keys []string             // in order of first good row
	for i, row := range rows {
		o := Outcome{Row: row.Number, Key: row.Key, Form: row.Form, Result: Rejected}
		plan.Outcomes[i] = o
		e := byKey[row.Key]
		reject := func(r Reason, args ...string) {
			plan.Outcomes[i].Reason = r
			if len(args) > 0 {
				plan.Outcomes[i].Args = map[string]string{}
				for j := 0; j+1 < len(args); j += 2 {
					plan.Outcomes[i].Args[args[j]] = args[j+1]
				}
			}
		}
		form := formOf(row.Form, e)
		switch {
		case row.Bad != "":
			reject(row.Bad, "Max", strconv.Itoa(MaxMessageRunes))
		case e == nil:
			reject(UnknownKey)
		case !e.Swedish.Plural() && form != "other":
			reject(NoPlural, "Form", row.Form)
		case e.Swedish.Plural() && !slices.Contains(lang.Forms, form):
			reject(UnknownForm, "Form", row.Form, "Forms", strings.Join(lang.Forms, ", "))
		case !validCheckMark(row.Checked):
			reject(CheckedMark)
		case strings.TrimSpace(row.Text) == "":
			reject(Empty)
		case utf8.RuneCountInString(row.Text) > MaxMessageRunes:
			reject(TooLong, "Max", strconv.Itoa(MaxMessageRunes))
		default:
			if missing, extra, ok := placeholdersDiffer(lang, e.Swedish, form, row.Text); !ok {
				reject(Template, "Example", "{{.Count}}")
			} else if len(missing)+len(extra) > 0 {
				reject(Placeholders, "Missing", listOrDash(missing), "Extra", listOrDash(extra))
			} else if first := seen[row.Key+"#"+form]; first != 0 {
				// Last, so that a row wrong in itself says what is wrong.
				reject(Duplicate, "Row", strconv.Itoa(first))
			}
		}
		if e != nil && form != "" {
			if _, dup := seen[row.Key+"#"+form]; !dup {
				seen[row.Key+"#"+form] = row.Number
			}
		}
		if e == nil {
			continue
		}
		if _, ok := keyRows[row.Key]; !ok {
			keys = append(keys, row.Key)
		}
		keyRows[row.Key] = append(keyRows[row.Key], i)
	}
	for _, key := range keys {
		if c, ok := decide(lang, byKey[key], rows, keyRows[key], plan.Outcomes); ok {
			plan.Changes = append(plan.Changes, c)
		}
	}
	return plan
}

// decide settles the rows of one message (indexes idx into rows and
// outcomes) and returns the change, if the message changes.
func decide(lang i18n.Lang, e *i18n.Entry, rows []Row, idx []int, outcomes []Outcome) (Change, bool) {
	firstBad := 0
	for _, i := range idx {
		if outcomes[i].Reason != "" {
			firstBad = rows[i].Number
			break
		}
	}
	if firstBad != 0 {
		for _, i := range idx {
			if outcomes[i].Reason == "" {
				outcomes[i].Reason, outcomes[i].Args = Sibling, map[string]string{"Row": strconv.Itoa(firstBad)}
			}
		}
		return Change{}, false
	}
	hasForms := e.Swedish.Plural()
	msg := i18n.Message{}
	// Forms the sheet leaves out keep their present text.
	for f, s := range e.Text {
		if (hasForms && slices.Contains(lang.Forms, f)) || f == "other" {
			msg[f] = s
		}
	}
	hash := i18n.SourceHash(e.Swedish)
	allMarked, stale, checkedAgainst := true, false, ""
	for _, i := range idx {
		msg[formOf(rows[i].Form, e)] = rows[i].Text
		if rows[i].Checked == "" {
			allMarked = false
		} else if rows[i].Hash != hash {
			stale = true
			if validHash(rows[i].Hash) {
				checkedAgainst = rows[i].Hash
			}
		}
	}
	// Every form must have been in the sheet for the message to count
	// as checked: a form nobody saw was checked by nobody.
	if hasForms {
		for _, f := range lang.Forms {
			if !coversForm(rows, idx, e, f) {
				allMarked = false
			}
		}
	}
	switch {
	case !allMarked:
		checkedAgainst = ""
	case !stale:
		checkedAgainst = hash
	}
	checked := checkedAgainst == hash
	changed := checked != e.Checked
	for _, i := range idx {
		o := &outcomes[i]
		f := formOf(rows[i].Form, e)
		o.Stale = rows[i].Checked != "" && rows[i].Hash != hash
		if changed || e.Text[f] != msg[f] {
			o.Result = Updated
		} else {
			o.Result = Unchanged
		}
	}
	for f, s := range msg {
		if e.Text[f] != s {
			changed = true
		}
	}
	if len(msg) != len(e.Text) {
		changed = true
	}
	if !changed {
		return Change{}, false
	}
	return Change{Key: e.Key, Message: msg, CheckedAgainst: checkedAgainst}, true
}

func coversForm(rows []Row, idx []int, e *i18n.Entry, form string) bool {
	for _, i := range idx {
		if formOf(rows[i].Form, e) == form {
			return true
		}
	}
	return false
}

// formOf is the plural form a row names: a message without plurals has
// only "other", which its row may leave empty.
func formOf(form string, e *i18n.Entry) string {
	if form == "" && (e == nil || !e.Swedish.Plural()) {
		return "other"
	}
	return form
}

func validCheckMark(s string) bool { return s == "" || s == "x" || s == "X" }

var hashPattern = regexp.MustCompile(`^[0-9a-f]{12}$`)

func validHash(s string) bool { return hashPattern.MatchString(s) }

var (
	action      = regexp.MustCompile(`\{\{(.*?)\}\}`)
	placeholder = regexp.MustCompile(`^\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*$`)
)

// placeholderNames lists the {{.Name}} placeholders of s; ok is false
// when s has braces that are not one (a template action, which would run
// when the message is shown, or a stray "{{").
func placeholderNames(s string) (names []string, ok bool) {
	for _, m := range action.FindAllStringSubmatch(s, -1) {
		p := placeholder.FindStringSubmatch(m[1])
		if p == nil {
			return nil, false
		}
		if !slices.Contains(names, p[1]) {
			names = append(names, p[1])
		}
	}
	rest := action.ReplaceAllString(s, "")
	if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		return nil, false
	}
	return names, true
}

// placeholdersDiffer compares the placeholders of a translation's form
// with the Swedish message's. A translation may use only placeholders the
// Swedish has, and must use those of the Swedish "other" form; {{.Count}}
// may be left out only in a form that stands for one number alone (the
// Arabic "two" says "two" in the word), never where the form covers
// several (Bosnian "one" is also 21 and 31).
func placeholdersDiffer(lang i18n.Lang, swedish i18n.Message, form, text string) (missing, extra []string, ok bool) {
	got, ok := placeholderNames(text)
	if !ok {
		return nil, nil, false
	}
	var all []string
	for _, s := range swedish {
		names, _ := placeholderNames(s)
		for _, n := range names {
			if !slices.Contains(all, n) {
				all = append(all, n)
			}
		}
	}
	required, _ := placeholderNames(swedish["other"])
	if slices.Contains(all, "Count") && !slices.Contains(required, "Count") {
		required = append(required, "Count")
	}
	for _, n := range required {
		if n == "Count" && swedish.Plural() && singleNumber(lang, form) {
			continue
		}
		if !slices.Contains(got, n) {
			missing = append(missing, "{{."+n+"}}")
		}
	}
	for _, n := range got {
		if !slices.Contains(all, n) {
			extra = append(extra, "{{."+n+"}}")
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra, true
}

var formNames = map[plural.Form]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many"}

// singleNumber reports whether the plural form stands for one whole
// number only in lang's plural rules (English "one": 1; Bosnian "one":
// 1, 21, 31 ...).
func singleNumber(lang i18n.Lang, form string) bool {
	n := 0
	for i := 0; i <= 1000 && n < 2; i++ {
		if formNames[plural.Cardinal.MatchPlural(lang.Plural, i, 0, 0, 0, 0)] == form {
			n++
		}
	}
	return n == 1
}

func listOrDash(l []string) string {
	if len(l) == 0 {
		return "–"
	}
	return strings.Join(l, ", ")
}
