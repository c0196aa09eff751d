package web

import (
	"testing"

	"megafon/platform/i18n"
)

// Every interface language names the content languages: a Dari page
// failed on every page that named one (CLDR has no names in Dari).
func TestEveryInterfaceLanguageNamesLanguages(t *testing.T) {
	a := &App{Catalogue: i18n.New()}
	for _, ui := range i18n.Codes() {
		langname := a.funcs(ui)["langname"].(func(string) string)
		for _, code := range []string{"ar", "en", "so", "ti", "uk", "bs", "sv", "fa"} {
			if n := langname(code); n == "" {
				t.Errorf("in %s, %s has no name", ui, code)
			}
		}
	}
	if n := a.funcs("prs")["langname"].(func(string) string)("ar"); n == "ar" {
		t.Errorf("a Dari page names Arabic %q, not in Persian script", n)
	}
}
