package handbook_test

import (
	"fmt"
	"strings"
	"testing"

	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
)

var widths = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"desktop", 1280, 900}}

func signIn(b *browsertest.Browser, base, login string) {
	secret := demo.Password
	if strings.HasPrefix(login, "+") {
		secret = demo.Passcode
	}
	b.ClearCookies()
	b.Visit(base + "/signin")
	b.SendKeys("#f-login", login)
	b.SendKeys("#f-secret", secret)
	b.Click("main form button")
	b.WaitVisible("footer.site form button")
}

// axeEverywhere checks a page in Swedish and English at phone and desktop
// width.
func axeEverywhere(t *testing.T, b *browsertest.Browser, base, path string) {
	t.Helper()
	for _, lang := range []string{"sv", "en"} {
		b.SetLanguage(base, lang)
		for _, w := range widths {
			b.SetViewport(w.width, w.height)
			b.Visit(base + path)
			b.AssertNoAxeViolations(t, fmt.Sprintf("%s (%s, %s)", path, lang, w.name))
		}
	}
	b.SetLanguage(base, "sv")
}

func TestInABrowserACoordinatorVerifiesAndVolunteersFindTheEntryInArabicAndSomali(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	s := newServer(t, db.SQLite, false)
	b := browsertest.New(t)
	id := entryID(t, s, "Kan jag resa till mitt hemland?") // in review in the demo
	entry := fmt.Sprintf("/handbook/%d", id)

	signIn(b, s.URL, leadCoord)
	for _, p := range []string{"/operations/1/handbook/manage", entry, entry + "/edit", "/operations/1/handbook/new",
		fmt.Sprintf("/handbook/%d/diff", entryID(t, s, "Hur bokar jag tid för vaccination?"))} {
		axeEverywhere(t, b, s.URL, p)
	}
	b.SetViewport(390, 844)
	b.Visit(s.URL + entry)
	b.Click(`form:has(input[value="verify"]) button`)
	if got := b.Text("main"); !strings.Contains(got, "Inlägget är verifierat") || !strings.Contains(got, "De som ringer ser version 1") {
		t.Fatalf("after verifying:\n%s", got)
	}

	for _, c := range []struct{ who, query, want string }{
		{amina, "السفر", "هل يمكنني السفر إلى بلدي الأصلي؟"},
		{fadumo, "safri", "Ma u safri karaa waddankaygii hooyo?"},
	} {
		signIn(b, s.URL, c.who)
		b.SetViewport(390, 844)
		b.Visit(s.URL + "/operations/1/handbook")
		b.SendKeys("#f-q", c.query)
		b.Submit("#f-q")
		if got := b.Text("main"); !strings.Contains(got, c.want) || !strings.Contains(got, "1 svar") {
			t.Fatalf("%s searching %q:\n%s", c.who, c.query, got)
		}
		b.AssertNoAxeViolations(t, "search results with "+c.query)
	}
	// Amina's pages carry Arabic content, right to left.
	signIn(b, s.URL, amina)
	axeEverywhere(t, b, s.URL, "/operations/1/handbook")
	axeEverywhere(t, b, s.URL, fmt.Sprintf("/handbook/%d", entryID(t, s, "Är vaccinet mot covid-19 gratis?")))
	axeEverywhere(t, b, s.URL, "/operations/1/handbook/print/ar")
	var dir string
	b.Visit(s.URL + "/operations/1/handbook/print/ar")
	b.Eval(`document.querySelector("main").dir`, &dir)
	if dir != "rtl" {
		t.Fatalf("Arabic print page main dir = %q", dir)
	}
}

// The demo entry whose Somali is out of date: its review page and edit
// form mark it, and Fadumo reads the Swedish with a note, on a phone, in
// Swedish, English and Arabic, without an accessibility fault.
func TestInABrowserAnOutOfDateTranslationIsMarkedForEditorsAndSwedishForCallers(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	s := newServer(t, db.SQLite, false)
	b := browsertest.New(t)
	entry := fmt.Sprintf("/handbook/%d", entryID(t, s, "Är vaccinet säkert?"))

	signIn(b, s.URL, leadCoord)
	for _, p := range []string{entry, entry + "/edit", "/operations/1/handbook/manage"} {
		axeEverywhere(t, b, s.URL, p)
	}
	b.SetViewport(390, 844)
	b.Visit(s.URL + entry + "/edit")
	if got := b.Text("main"); !strings.Contains(got, "Äldre än den svenska texten") || !strings.Contains(got, "Stämmer fortfarande med den nya svenska texten") {
		t.Fatalf("the edit form does not mark the Somali:\n%s", got)
	}

	signIn(b, s.URL, fadumo)
	for _, p := range []string{"/operations/1/handbook", entry, "/operations/1/handbook/print/so"} {
		axeEverywhere(t, b, s.URL, p)
	}
	b.SetViewport(390, 844)
	b.Visit(s.URL + entry)
	if got := b.Text("main"); !strings.Contains(got, "Ring 1177 om du får hög feber") || !strings.Contains(got, "Översättningen till somaliska håller på att uppdateras") {
		t.Fatalf("Fadumo's entry:\n%s", got)
	}
	// At 320 px in the Arabic interface: right to left around the Swedish,
	// nothing wider than the screen.
	b.SetLanguage(s.URL, "ar")
	b.SetViewport(320, 640)
	for _, p := range []string{entry, "/operations/1/handbook"} {
		b.Visit(s.URL + p)
		b.AssertNoAxeViolations(t, p+" (ar, 320 px)")
		var wide bool
		b.Eval(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &wide)
		if wide {
			t.Errorf("%s is wider than 320 px in Arabic", p)
		}
	}
	var lang string
	b.Visit(s.URL + entry)
	b.Eval(`document.querySelector("article.entry h1").lang`, &lang)
	if lang != "sv" {
		t.Errorf("the Swedish title's lang = %q", lang)
	}
	b.SetLanguage(s.URL, "sv")
}
