package translation

import (
	"reflect"
	"strings"
	"testing"

	"megafon/platform/i18n"
)

var (
	arabic  = i18n.UILang("ar")
	bosnian = i18n.UILang("bs")
)

// entries is a catalogue of two messages: a greeting with a name and a
// count of calls with plural forms, translated into lang and unchecked.
func entries(lang string) []i18n.Entry {
	hello := i18n.Entry{Key: "a.hello", Swedish: i18n.Message{"other": "Hej {{.Name}}"}, English: i18n.Message{"other": "Hello {{.Name}}"}}
	calls := i18n.Entry{Key: "a.calls", Swedish: i18n.Message{"one": "{{.Count}} samtal", "other": "{{.Count}} samtal"},
		English: i18n.Message{"one": "{{.Count}} call", "other": "{{.Count}} calls"}}
	switch lang {
	case "ar":
		hello.Text = i18n.Message{"other": "مرحبا {{.Name}}"}
		calls.Text = i18n.Message{"zero": "لا مكالمات", "one": "مكالمة واحدة", "two": "مكالمتان", "few": "{{.Count}} مكالمات", "many": "{{.Count}} مكالمة", "other": "{{.Count}} مكالمة"}
	case "bs":
		hello.Text = i18n.Message{"other": "Zdravo {{.Name}}"}
		calls.Text = i18n.Message{"one": "{{.Count}} poziv", "few": "{{.Count}} poziva", "other": "{{.Count}} poziva"}
	}
	return []i18n.Entry{calls, hello}
}

var svHello = i18n.SourceHash(i18n.Message{"other": "Hej {{.Name}}"})
var svCalls = i18n.SourceHash(i18n.Message{"one": "{{.Count}} samtal", "other": "{{.Count}} samtal"})

func TestEachRowIsRejectedWithItsReason(t *testing.T) {
	tests := []struct {
		name   string
		lang   i18n.Lang
		row    Row
		reason Reason
		args   map[string]string
	}{
		{"a key no message has", arabic, Row{Key: "a.nothing", Text: "x"}, UnknownKey, nil},
		{"a plural form Bosnian has not", bosnian, Row{Key: "a.calls", Form: "many", Text: "{{.Count}} poziva"}, UnknownForm,
			map[string]string{"Form": "many", "Forms": "one, few, other"}},
		{"a plural form on a message without plurals", arabic, Row{Key: "a.hello", Form: "one", Text: "مرحبا {{.Name}}"}, NoPlural, map[string]string{"Form": "one"}},
		{"the Swedish text's placeholder left out", arabic, Row{Key: "a.hello", Text: "مرحبا"}, Placeholders,
			map[string]string{"Missing": "{{.Name}}", "Extra": "–"}},
		{"a placeholder the Swedish has not", arabic, Row{Key: "a.hello", Text: "مرحبا {{.Name}} {{.Who}}"}, Placeholders,
			map[string]string{"Missing": "–", "Extra": "{{.Who}}"}},
		{"the count left out of Arabic few (3 to 10)", arabic, Row{Key: "a.calls", Form: "few", Text: "مكالمات"}, Placeholders,
			map[string]string{"Missing": "{{.Count}}", "Extra": "–"}},
		{"the count left out of Bosnian one (1, 21, 31 ...)", bosnian, Row{Key: "a.calls", Form: "one", Text: "jedan poziv"}, Placeholders,
			map[string]string{"Missing": "{{.Count}}", "Extra": "–"}},
		{"a template action, which would run on every page", arabic, Row{Key: "a.hello", Text: `{{printf "%099999999d" 1}} {{.Name}}`}, Template, map[string]string{"Example": "{{.Count}}"}},
		{"a stray brace", arabic, Row{Key: "a.hello", Text: "مرحبا {{.Name}} }}"}, Template, map[string]string{"Example": "{{.Count}}"}},
		{"a control character in a cell", arabic, Row{Key: "a.hello", Text: "مرحبا", Bad: Control}, Control, map[string]string{"Max": "1000"}},
		{"too long", arabic, Row{Key: "a.hello", Text: "{{.Name}} " + strings.Repeat("ب", MaxMessageRunes)}, TooLong, map[string]string{"Max": "1000"}},
		{"an empty translation", arabic, Row{Key: "a.hello", Text: "  "}, Empty, nil},
		{"something other than x in the checked column", arabic, Row{Key: "a.hello", Text: "مرحبا {{.Name}}", Checked: "yes"}, CheckedMark, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.row.Number = 2
			plan := Check(tc.lang, []Row{tc.row}, entries(tc.lang.Code))
			o := plan.Outcomes[0]
			if o.Result != Rejected || o.Reason != tc.reason || !reflect.DeepEqual(o.Args, tc.args) {
				t.Errorf("outcome %+v, want rejected for %s with %v", o, tc.reason, tc.args)
			}
			if len(plan.Changes) != 0 {
				t.Errorf("changes %+v, want none", plan.Changes)
			}
		})
	}
}

func TestTheCountMayBeLeftOutOnlyWhereAFormIsOneNumber(t *testing.T) {
	rows := []Row{
		{Number: 2, Key: "a.calls", Form: "zero", Text: "لا مكالمات اليوم"},
		{Number: 3, Key: "a.calls", Form: "one", Text: "مكالمة واحدة اليوم"},
		{Number: 4, Key: "a.calls", Form: "two", Text: "مكالمتان اليوم"},
	}
	plan := Check(arabic, rows, entries("ar"))
	for _, o := range plan.Outcomes {
		if o.Result != Updated {
			t.Errorf("row %d: %+v, want updated", o.Row, o)
		}
	}
}

func TestAMessageIsTakenWholeOrNotAtAll(t *testing.T) {
	rows := []Row{
		{Number: 2, Key: "a.calls", Form: "one", Text: "{{.Count}} poziv danas"},
		{Number: 3, Key: "a.calls", Form: "few", Text: "poziva danas"}, // no count
		{Number: 4, Key: "a.calls", Form: "other", Text: "{{.Count}} poziva danas"},
		{Number: 5, Key: "a.calls", Form: "other", Text: "{{.Count}} poziva"},
	}
	plan := Check(bosnian, rows, entries("bs"))
	want := []Reason{Sibling, Placeholders, Sibling, Duplicate}
	for i, o := range plan.Outcomes {
		if o.Result != Rejected || o.Reason != want[i] {
			t.Errorf("row %d: %+v, want rejected for %s", o.Row, o, want[i])
		}
	}
	if plan.Outcomes[0].Args["Row"] != "3" || plan.Outcomes[3].Args["Row"] != "4" {
		t.Errorf("the rows named: %v, %v", plan.Outcomes[0].Args, plan.Outcomes[3].Args)
	}
	if len(plan.Changes) != 0 {
		t.Errorf("changes %+v", plan.Changes)
	}
}

func TestRowsAreUpdatedUnchangedOrCheckedAgainstTheSwedishTheyShowed(t *testing.T) {
	allForms := func(mark, hash string) []Row {
		var rows []Row
		for i, f := range arabic.Forms {
			rows = append(rows, Row{Number: 10 + i, Key: "a.calls", Form: f, Text: entries("ar")[0].Text[f], Checked: mark, Hash: hash})
		}
		return rows
	}
	tests := []struct {
		name    string
		rows    []Row
		results []Result
		stale   []bool
		change  *Change
	}{
		{"the same text, not checked", []Row{{Number: 2, Key: "a.hello", Text: "مرحبا {{.Name}}", Hash: svHello}},
			[]Result{Unchanged}, []bool{false}, nil},
		{"a new text", []Row{{Number: 2, Key: "a.hello", Text: "أهلًا {{.Name}}", Hash: svHello}},
			[]Result{Updated}, []bool{false}, &Change{Key: "a.hello", Message: i18n.Message{"other": "أهلًا {{.Name}}"}}},
		{"checked against today's Swedish", []Row{{Number: 2, Key: "a.hello", Text: "مرحبا {{.Name}}", Checked: "x", Hash: svHello}},
			[]Result{Updated}, []bool{false}, &Change{Key: "a.hello", Message: i18n.Message{"other": "مرحبا {{.Name}}"}, CheckedAgainst: svHello}},
		{"checked against a Swedish text changed since", []Row{{Number: 2, Key: "a.hello", Text: "أهلًا {{.Name}}", Checked: "X", Hash: "0123456789ab"}},
			[]Result{Updated}, []bool{true}, &Change{Key: "a.hello", Message: i18n.Message{"other": "أهلًا {{.Name}}"}, CheckedAgainst: "0123456789ab"}},
		{"checked unchanged text against a changed Swedish text", []Row{{Number: 2, Key: "a.hello", Text: "مرحبا {{.Name}}", Checked: "x", Hash: "0123456789ab"}},
			[]Result{Unchanged}, []bool{true}, nil},
		{"every plural form checked", allForms("x", svCalls),
			[]Result{Updated, Updated, Updated, Updated, Updated, Updated}, make([]bool, 6),
			&Change{Key: "a.calls", Message: entries("ar")[0].Text, CheckedAgainst: svCalls}},
		{"some plural forms checked is not checked", allForms("x", svCalls)[:3],
			[]Result{Unchanged, Unchanged, Unchanged}, make([]bool, 3), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := Check(arabic, tc.rows, entries("ar"))
			for i, o := range plan.Outcomes {
				if o.Result != tc.results[i] || o.Stale != tc.stale[i] || o.Reason != "" {
					t.Errorf("row %d: %+v, want %s, stale %v", o.Row, o, tc.results[i], tc.stale[i])
				}
			}
			switch {
			case tc.change == nil && len(plan.Changes) > 0:
				t.Errorf("changes %+v, want none", plan.Changes)
			case tc.change != nil && (len(plan.Changes) != 1 || !reflect.DeepEqual(plan.Changes[0], *tc.change)):
				t.Errorf("changes %+v, want %+v", plan.Changes, *tc.change)
			}
		})
	}
}

func TestACheckedMessageBecomesUncheckedWhenTheMarkIsRemoved(t *testing.T) {
	es := entries("ar")
	es[1].Checked = true
	plan := Check(arabic, []Row{{Number: 2, Key: "a.hello", Text: "مرحبا {{.Name}}", Hash: svHello}}, es)
	if plan.Outcomes[0].Result != Updated || len(plan.Changes) != 1 || plan.Changes[0].CheckedAgainst != "" {
		t.Fatalf("plan %+v", plan)
	}
}

func TestPlaceholdersAreReadOnlyInTheirOneForm(t *testing.T) {
	for _, tc := range []struct {
		text  string
		names []string
		ok    bool
	}{
		{"Hej {{.Name}}, du har {{ .Count }} samtal", []string{"Name", "Count"}, true},
		{"inga", nil, true},
		{"{{.Name}} {{.Name}}", []string{"Name"}, true},
		{"{{template \"x\"}}", nil, false},
		{"{{.Name | printf \"%s\"}}", nil, false},
		{"{{ {{.Name}}", nil, false},
		{"{{.Name}", nil, false},
		{"{{}}", nil, false},
	} {
		names, ok := placeholderNames(tc.text)
		if ok != tc.ok || !reflect.DeepEqual(names, tc.names) {
			t.Errorf("placeholderNames(%q) = %v, %v; want %v, %v", tc.text, names, ok, tc.names, tc.ok)
		}
	}
}
