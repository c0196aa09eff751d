package i18n

import (
	"testing"
	"testing/fstest"
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
	if m := c.Missing(); len(m) != 0 {
		t.Errorf("Missing() = %v, want none", m)
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
