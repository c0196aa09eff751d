package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/i18n"
	"megafon/platform/web/webtest"
	"megafon/server"
)

var widths = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"small phone", 320, 640}, {"desktop", 1280, 900}}

// widthsFor are the window widths each page is checked at in lang: every
// width in Swedish, English, Arabic (right to left) and Somali (long
// words), the two phone widths in the other languages, where the layout is
// the same and only the words differ. The phone comes first.
func widthsFor(lang string) []struct {
	name          string
	width, height int64
} {
	switch lang {
	case "sv", "en", "ar", "so":
		return widths
	}
	return widths[:2]
}

// assertNoSidewaysScroll fails when the page is wider than the window
// (WCAG 1.4.10, reflow), naming the widest elements that stick out.
func assertNoSidewaysScroll(t *testing.T, b *browsertest.Browser, page string) {
	t.Helper()
	var out struct {
		Scroll, Client int
		Culprits       []string
	}
	b.Eval(`(() => {
	  const d = document.documentElement, w = d.clientWidth, culprits = [];
	  if (d.scrollWidth > w) {
	    for (const el of document.body.querySelectorAll("*")) {
	      const r = el.getBoundingClientRect();
	      if (r.right > w + 1 && getComputedStyle(el).position !== "fixed") {
	        culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " right=" + Math.round(r.right));
	        if (culprits.length >= 5) break;
	      }
	    }
	  }
	  return {Scroll: d.scrollWidth, Client: w, Culprits: culprits};
	})()`, &out)
	if out.Scroll > out.Client {
		t.Errorf("%s scrolls sideways: %d px wide in a %d px window; sticking out: %s", page, out.Scroll, out.Client, strings.Join(out.Culprits, ", "))
	}
}

// shot saves a screenshot where a person can look at it: in
// MEGAFON_SCREENSHOTS when set (docs/screenshots for the README), else in
// the test's temporary folder.
func shot(t *testing.T, b *browsertest.Browser, name string) {
	dir := os.Getenv("MEGAFON_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	b.Screenshot(filepath.Join(dir, name+".png"))
}

func browserSignIn(t *testing.T, b *browsertest.Browser, base, login, secret string) {
	t.Helper()
	b.Visit(base + "/signin")
	b.SendKeys("#f-login", login)
	b.SendKeys("#f-secret", secret)
	b.Click("main form button")
	b.WaitVisible("footer.site form button")
}

func TestABrowserSignsInSwitchesLanguageAndSignsOut(t *testing.T) {
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	b := browsertest.New(t)
	b.SetViewport(390, 844)
	b.Visit(s.URL + "/")
	if got := b.Text("h1"); got != "Välkommen till Megafon" {
		t.Fatalf("start page h1 = %q", got)
	}
	b.AssertNoAxeViolations(t, "welcome (sv, phone)")

	// A wrong password: a clear message, focus on the summary.
	b.Visit(s.URL + "/signin")
	b.SendKeys("#f-login", "samordnare@demo.megafon.se")
	b.SendKeys("#f-secret", "fel lösenord")
	b.Click("main form button")
	b.WaitVisible("#problems")
	if got := b.Text("#problems"); !strings.Contains(got, "Fel e-post, telefonnummer, lösenord eller kod.") {
		t.Fatalf("problem summary = %q", got)
	}
	b.AssertNoAxeViolations(t, "sign-in with a problem (sv, phone)")

	browserSignIn(t, b, s.URL, "samordnare@demo.megafon.se", demo.Password)
	if got := b.Text("h1"); got != "Hej Sara Samordnare" {
		t.Fatalf("home h1 = %q", got)
	}
	b.PickLanguage("en")
	if got := b.Text("h1"); got != "Hello Sara Samordnare" {
		t.Fatalf("after switching to English h1 = %q", got)
	}
	var lang string
	b.Eval(`document.documentElement.lang`, &lang)
	if lang != "en" {
		t.Fatalf("html lang = %q after switching", lang)
	}
	shot(t, b, "home-coordinator-phone")
	b.SetViewport(1280, 900)
	shot(t, b, "home-coordinator-desktop")

	b.Click("footer.site form button")
	b.WaitVisible(`a.button[href="/signin"]`)
	if got := b.Text("h1"); got != "Welcome to Megafon" {
		t.Fatalf("after sign-out h1 = %q (the language should be remembered)", got)
	}
}

// TestEveryPageHasNoAxeViolations visits one page of every shape, as the
// first demo person who can see it, in Swedish and English, at phone and
// desktop width, and runs axe-core's WCAG 2.0/2.1 A and AA rules.
func TestEveryPageHasNoAxeViolations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs axe on every page")
	}
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	type page struct{ who, path string }
	var pages []page
	shapes := map[string]bool{}
	for _, login := range crawlAs {
		c := s.Client()
		if login != "" {
			c.SignIn(login)
		}
		for _, p := range crawl(t, c, 1, false, func(string, *webtest.Response) {}) {
			shape := digits.ReplaceAllString(strings.SplitN(p, "?", 2)[0], "N")
			if !shapes[shape] {
				shapes[shape] = true
				pages = append(pages, page{login, p})
			}
		}
	}
	// MEGAFON_CRAWL_ONLY=regexp checks only the pages whose path matches,
	// to look again at a few after a fix.
	if only := os.Getenv("MEGAFON_CRAWL_ONLY"); only != "" {
		re := regexp.MustCompile(only)
		kept := pages[:0]
		for _, p := range pages {
			if re.MatchString(p.path) {
				kept = append(kept, p)
			}
		}
		pages = kept
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].who < pages[j].who })
	t.Logf("checking %d page shapes", len(pages))
	// MEGAFON_PAGE_SHOTS=dir saves every page shape there, to look at.
	pageShots := os.Getenv("MEGAFON_PAGE_SHOTS")
	b := browsertest.New(t)
	// Per person: sign in once, switch language once per language, and
	// load each page once per language; the window is then resized and
	// checked at each width without loading it again.
	for i := 0; i < len(pages); {
		who := pages[i].who
		j := i
		for j < len(pages) && pages[j].who == who {
			j++
		}
		group := pages[i:j]
		i = j
		b.ClearCookies()
		if who != "" {
			secret := demo.Password
			if strings.HasPrefix(who, "+") {
				secret = demo.Passcode
			}
			b.SetViewport(1280, 900)
			browserSignIn(t, b, s.URL, who, secret)
		}
		for _, lang := range i18n.Codes() {
			b.SetViewport(1280, 900)
			b.SetLanguage(s.URL, lang)
			for _, p := range group {
				b.SetViewport(widths[0].width, widths[0].height)
				b.Visit(s.URL + p.path)
				for _, w := range widthsFor(lang) {
					what := fmt.Sprintf("%s (%s, %s, as %q)", p.path, lang, w.name, who)
					b.SetViewport(w.width, w.height)
					assertNoSidewaysScroll(t, b, what)
					if axeAt(lang, w.name) {
						b.AssertNoAxeViolations(t, what)
					}
					if pageShots != "" {
						name := strings.Trim(digits.ReplaceAllString(strings.SplitN(p.path, "?", 2)[0], "N"), "/")
						name = strings.NewReplacer("/", "_", ".", "_").Replace(name)
						b.Screenshot(filepath.Join(pageShots, fmt.Sprintf("%s-%s-%s.png", name, lang, w.name)))
					}
				}
			}
		}
	}
}

// axeAt says where axe runs: at every width in Swedish and English, at the
// phone's in the other languages (the same elements, other words; the
// sideways-scroll check covers the other widths).
func axeAt(lang, width string) bool {
	return i18n.UILang(lang).Source || width == "phone"
}

// TestTheHomeCardsAreTappableAllOver: the start page's cards looked 358×50
// px but only the 22 px of their words answered a tap.
func TestTheHomeCardsAreTappableAllOver(t *testing.T) {
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	b := browsertest.New(t)
	b.SetViewport(390, 844)
	browserSignIn(t, b, s.URL, "+46701000001", demo.Passcode)
	var cards []struct{ CardW, CardH, LinkW, LinkH float64 }
	b.Eval(`[...document.querySelectorAll(".cards > .card")].map(c => {
	  const a = c.querySelector("a").getBoundingClientRect(), r = c.getBoundingClientRect();
	  return {CardW: r.width, CardH: r.height, LinkW: a.width, LinkH: a.height};
	})`, &cards)
	if len(cards) == 0 {
		t.Fatal("the volunteer's start page has no cards")
	}
	for i, c := range cards {
		if c.LinkH < 44 || c.LinkW < c.CardW-4 || c.LinkH < c.CardH-4 {
			t.Errorf("card %d: %.0f×%.0f px, its link %.0f×%.0f px: want the whole card, at least 44 px tall", i, c.CardW, c.CardH, c.LinkW, c.LinkH)
		}
	}
}
