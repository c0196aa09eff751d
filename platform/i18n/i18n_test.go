package i18n

import (
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/feature/plural"
)

func TestCatalogueTranslatesWithPluralsAndFallsBackToTheKey(t *testing.T) {
	c := New()
	c.MustLoad(fstest.MapFS{
		"sv.json": {Data: []byte(`{"hello": "Hej {{.Name}}", "calls": {"one": "{{.Count}} samtal", "other": "{{.Count}} samtal totalt"}}`)},
		"en.json": {Data: []byte(`{"hello": "Hello {{.Name}}", "calls": {"one": "{{.Count}} call", "other": "{{.Count}} calls"}}`)},
	})
	tests := []struct {
		lang, key, want string
		args            []any
	}{
		{"sv", "hello", "Hej Amina", []any{"Name", "Amina"}},
		{"en", "hello", "Hello Amina", []any{"Name", "Amina"}},
		{"en", "calls", "1 call", []any{"Count", 1}},
		{"en", "calls", "1500 calls", []any{"Count", 1500}},
		{"sv", "calls", "2 samtal totalt", []any{"Count", 2}},
		{"sv", "nope", "nope", nil},
	}
	for _, tt := range tests {
		if got := c.T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if m := c.Missing(); len(m["sv"]) != 0 || len(m["en"]) != 0 || len(m["ar"]) != 2 {
		t.Errorf("Missing() = %v, want every key missing only in the languages without a file", m)
	}
	if u := c.Unknown(); len(u) != 1 || u[0] != "sv:nope" {
		t.Errorf("Unknown() = %v, want [sv:nope]", u)
	}
}

func TestMissingFindsAKeyOnlyOneLanguageHas(t *testing.T) {
	c := New()
	c.MustLoad(fstest.MapFS{
		"sv.json": {Data: []byte(`{"a": "A", "b": "B"}`)},
		"en.json": {Data: []byte(`{"a": "A"}`)},
	})
	m := c.Missing()
	if len(m["en"]) != 1 || m["en"][0] != "b" || len(m["sv"]) != 0 {
		t.Fatalf("Missing() = %v, want en: [b]", m)
	}
}

func TestAKeyDefinedTwiceIsAnError(t *testing.T) {
	c := New()
	fsys := fstest.MapFS{"sv.json": {Data: []byte(`{"a": "A"}`)}, "en.json": {Data: []byte(`{"a": "A"}`)}}
	c.MustLoad(fsys)
	if err := c.Load(fsys); err == nil {
		t.Fatal("loading the same keys twice succeeded")
	}
}

func TestDirIsRightToLeftForArabicScripts(t *testing.T) {
	for code, want := range map[string]string{"ar": "rtl", "prs": "rtl", "fa-AF": "rtl", "ur": "rtl", "he": "rtl",
		"sv": "ltr", "so": "ltr", "ti": "ltr", "bs": "ltr", "en": "ltr", "xx-garbage-!!": "ltr", "": "ltr"} {
		if got := Dir(code); got != want {
			t.Errorf("Dir(%q) = %s, want %s", code, got, want)
		}
	}
}

func TestNormalizeTag(t *testing.T) {
	for in, want := range map[string]string{"SV": "sv", "prs-af": "prs-AF", " ar ": "ar", "ti": "ti", "so": "so"} {
		got, err := NormalizeTag(in)
		if err != nil || got != want {
			t.Errorf("NormalizeTag(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "xx-!!", "und", "123", "klingon language"} {
		if got, err := NormalizeTag(bad); err == nil {
			t.Errorf("NormalizeTag(%q) = %q, want an error", bad, got)
		}
	}
}

func TestATranslationCountsAsCheckedOnlyAgainstTheSwedishItWasCheckedAgainst(t *testing.T) {
	c := New()
	sv := Message{"other": "Spara"}
	c.MustLoad(fstest.MapFS{
		"sv.json":         {Data: []byte(`{"save": "Spara", "next": "Nästa"}`)},
		"en.json":         {Data: []byte(`{"save": "Save", "next": "Next"}`)},
		"so.json":         {Data: []byte(`{"save": "Keydi", "next": "Xiga"}`)},
		"so.checked.json": {Data: []byte(`{"save": "` + SourceHash(sv) + `", "next": "0000"}`)},
	})
	if s, ok := c.Translate("so", "save"); s != "Keydi" || !ok {
		t.Errorf("so save = %q checked %v, want Keydi checked", s, ok)
	}
	if s, ok := c.Translate("so", "next"); s != "Xiga" || ok {
		t.Errorf("so next = %q checked %v, want Xiga unchecked (checked against other Swedish)", s, ok)
	}
	if _, ok := c.Translate("sv", "next"); !ok {
		t.Error("Swedish, the source, counts as unchecked")
	}
	if tr, ch := c.Counts("so"); tr != 2 || ch != 1 {
		t.Errorf("Counts(so) = %d, %d; want 2, 1", tr, ch)
	}
	if err := c.Override("so", "next", Message{"other": "Ku xiga"}, SourceHash(Message{"other": "Nästa"})); err != nil {
		t.Fatal(err)
	}
	if s, ok := c.Translate("so", "next"); s != "Ku xiga" || !ok {
		t.Errorf("after override so next = %q checked %v", s, ok)
	}
	if err := c.Override("sv", "next", Message{"other": "x"}, ""); err == nil {
		t.Error("Swedish was overridden")
	}
	if err := c.Override("so", "nope", Message{"other": "x"}, ""); err == nil {
		t.Error("an unknown key was overridden")
	}
	if err := c.Override("so", "next", Message{"other": "x", "few": "y"}, ""); err == nil {
		t.Error("Somali got a plural form it has not")
	}
}

func TestArabicPluralsUseEveryFormAndMissingAsksForEach(t *testing.T) {
	c := New()
	c.MustLoad(fstest.MapFS{
		"sv.json": {Data: []byte(`{"calls": {"one": "{{.Count}} samtal", "other": "{{.Count}} samtal"}, "plain": "{{.Count}} st"}`)},
		"en.json": {Data: []byte(`{"calls": {"one": "{{.Count}} call", "other": "{{.Count}} calls"}, "plain": "{{.Count}} pcs"}`)},
		"ar.json": {Data: []byte(`{"calls": {"zero": "لا مكالمات", "one": "مكالمة واحدة", "two": "مكالمتان", "few": "{{.Count}} مكالمات", "other": "{{.Count}} مكالمة"}, "plain": "{{.Count}} قطعة"}`)},
	})
	for n, want := range map[int]string{0: "لا مكالمات", 1: "مكالمة واحدة", 2: "مكالمتان", 5: "5 مكالمات", 11: "11 مكالمة", 100: "100 مكالمة"} {
		if got := c.T("ar", "calls", "Count", n); got != want {
			t.Errorf("ar calls %d = %q, want %q", n, got, want)
		}
	}
	// A message without plurals, given a count, reads the same for every count.
	for _, n := range []int{0, 1, 2, 5, 11} {
		if got := c.T("ar", "plain", "Count", n); !strings.HasSuffix(got, "قطعة") {
			t.Errorf("ar plain %d = %q", n, got)
		}
	}
	if m := c.Missing()["ar"]; len(m) != 1 || m[0] != "calls#many" {
		t.Errorf("Missing()[ar] = %v, want [calls#many]", m)
	}
}

// The plural forms written down for each language are the ones CLDR's
// rules (in x/text) give for whole numbers.
func TestEachLanguageListsThePluralFormsOfItsRules(t *testing.T) {
	names := map[plural.Form]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many"}
	for _, l := range Langs {
		seen := map[string]bool{}
		for n := 0; n < 1000; n++ {
			seen[names[plural.Cardinal.MatchPlural(l.Plural, n, 0, 0, 0, 0)]] = true
		}
		for f := range seen {
			if !containsString(l.Forms, f) {
				t.Errorf("%s: CLDR has form %s, the language lists %v", l.Code, f, l.Forms)
			}
		}
		seen["other"] = true // every language has it, Ukrainian for fractions only
		if len(seen) != len(l.Forms) {
			t.Errorf("%s: CLDR has forms %v for whole numbers, the language lists %v", l.Code, seen, l.Forms)
		}
	}
}
