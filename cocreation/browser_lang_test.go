package cocreation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"megafon/cocreation/process"
	"megafon/platform/browsertest"
)

// assertNoSidewaysScroll fails when the page is wider than the window
// (WCAG 1.4.10), naming what sticks out.
func assertNoSidewaysScroll(t *testing.T, b *browsertest.Browser, where string) {
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
	      if ((r.right > w + 1 || r.left < -1) && getComputedStyle(el).position !== "fixed") {
	        culprits.push(el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " " + Math.round(r.left) + "–" + Math.round(r.right));
	        if (culprits.length >= 5) break;
	      }
	    }
	  }
	  return {Scroll: d.scrollWidth, Client: w, Culprits: culprits};
	})()`, &out)
	if out.Scroll > out.Client {
		t.Errorf("%s scrolls sideways: %d px wide in a %d px window; sticking out: %s", where, out.Scroll, out.Client, strings.Join(out.Culprits, ", "))
	}
}

// assertBoxesTakeTheirDirectionFromWhatIsTyped fails when a box a
// participant writes in has no dir="auto": Arabic typed into it would run
// the wrong way.
func assertBoxesTakeTheirDirectionFromWhatIsTyped(t *testing.T, b *browsertest.Browser, where string) {
	t.Helper()
	var without []string
	b.Eval(`[...document.querySelectorAll("main textarea:not([readonly]), main input:not([type]), main input[type=text], main input[type=search]")]
		.filter(e => e.getAttribute("dir") !== "auto").map(e => e.outerHTML.slice(0, 120))`, &without)
	if len(without) > 0 {
		t.Errorf("%s: boxes a participant writes in without dir=\"auto\":\n  %s", where, strings.Join(without, "\n  "))
	}
}

// checkPhonePage checks the page shown at 320 and 390 px: axe, no
// sideways scroll, targets of 44 px, and boxes that follow what is typed.
// It leaves the window at 390 px.
func checkPhonePage(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	for _, w := range []int64{320, 390} {
		b.SetViewport(w, 844)
		where := fmt.Sprintf("%s (ar, %d px)", name, w)
		b.AssertNoAxeViolations(t, where)
		assertNoSidewaysScroll(t, b, where)
		assertTouchTargets(t, b, where)
		assertBoxesTakeTheirDirectionFromWhatIsTyped(t, b, where)
		shoot(b, fmt.Sprintf("%s-ar-%d", strings.ReplaceAll(name, " ", "-"), w))
	}
}

// langOf is the language and direction in which the first element of sel
// whose text contains text is read: its nearest lang attribute and its
// computed direction.
func langOf(b *browsertest.Browser, sel, text string) (lang, dir string) {
	var out struct{ Lang, Dir string }
	b.Eval(`(() => { const el = [...document.querySelectorAll(`+jsString(sel)+`)].find(e => e.textContent.includes(`+jsString(text)+`));
		if (!el) return {Lang: "missing", Dir: ""};
		return {Lang: el.closest("[lang]").getAttribute("lang"), Dir: getComputedStyle(el).direction}; })()`, &out)
	return out.Lang, out.Dir
}

// charLefts is where each character of s stands on the screen, in the
// first text of an element of sel that holds it: the left edge of each,
// measured with DOM ranges, as a reader sees them (not as the HTML says).
func charLefts(t *testing.T, b *browsertest.Browser, sel, s string) []float64 {
	t.Helper()
	var lefts []float64
	b.Eval(`(() => {
		for (const root of document.querySelectorAll(`+jsString(sel)+`)) {
			const text = root.textContent, i = text.indexOf(`+jsString(s)+`);
			if (i < 0) continue;
			// The characters i... of the element's text, across its text nodes.
			const out = [], walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
			let n, at = 0;
			while ((n = walk.nextNode()) && out.length < `+fmt.Sprint(len([]rune(s)))+`) {
				for (let k = 0; k < n.data.length && out.length < `+fmt.Sprint(len([]rune(s)))+`; k++, at++) {
					if (at < i) continue;
					const r = document.createRange();
					r.setStart(n, k); r.setEnd(n, k + 1);
					out.push(r.getBoundingClientRect().left);
				}
			}
			return out;
		}
		return [];
	})()`, &lefts)
	if len(lefts) != len([]rune(s)) {
		t.Fatalf("%q is not on the page in %s", s, sel)
	}
	return lefts
}

// readsLeftToRight reports whether the characters at lefts stand each to
// the right of the one before.
func readsLeftToRight(lefts []float64) bool {
	for i := 1; i < len(lefts); i++ {
		if lefts[i] <= lefts[i-1] {
			return false
		}
	}
	return true
}

// A participant who reads Arabic, on a 390 px phone: she joins, reads the
// workshop's name, agenda and question in Arabic (the times in the agenda
// the right way round) and what is not translated in Swedish marked as
// such; each of her pages passes axe, fits 320 and 390 px, has targets of
// 44 px and boxes that follow what she types. Then she withdraws and
// lands on a page, in Arabic, that says it is done.
func TestBrowserAParticipantReadsArabicAndWithdraws(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newBrowserWorld(t)
	ctx := context.Background()
	st := w.mod.Store()
	if err := st.Translate(ctx, "ar", map[process.TextRef]process.TranslationEdit{
		{Kind: "workshop", ID: w.workshop}: {Title: "ورشة العمل 1: المساعدة المالية", Body: "قهوة عند 17.30\nما الذي يعمل بشكل جيد جدًا؟ ما الذي يعمل بشكل سيئ جدًا؟\nإذا تأخرت، اتصل على 1177.",
			TranslatedBy: "Amal Haddad", Checked: true},
		{Kind: "prompt", ID: w.prompt}: {Title: "ما الذي يعمل بشكل جيد جدًا؟ ما الذي يعمل بشكل سيئ جدًا؟"},
	}); err != nil {
		t.Fatal(err)
	}
	join := w.joinPath(t)

	b := browsertest.New(t)
	b.SetViewport(390, 844)
	b.SetLanguage(w.s.URL, "ar")
	b.Visit(w.s.URL + "/back")
	checkPhonePage(t, b, "back with a code")
	b.Visit(w.s.URL + join)
	b.Click(`form[action^="/join/"] button.big`)
	b.WaitVisible("#problems")
	checkPhonePage(t, b, "join with problems")
	b.Visit(w.s.URL + join)
	checkPhonePage(t, b, "join")
	// The process has no Arabic: its name is the Swedish, read as Swedish,
	// left to right, in the Arabic page.
	if lang, dir := langOf(b, "main .lead", "Nämndens mål 2023"); lang != "sv" || dir != "ltr" {
		t.Errorf("the Swedish name on the Arabic join page: lang %q, direction %q", lang, dir)
	}
	b.SendKeys("#f-name", "سلمى")
	b.Click(`input[name=role][value=service_user]`)
	b.Click(`#f-consent`)
	b.Click(`form[action^="/join/"] button.big`)
	b.WaitVisible(".code")
	var page struct{ Lang, Dir string }
	b.Eval(`({Lang: document.documentElement.lang, Dir: document.documentElement.dir})`, &page)
	if page.Lang != "ar" || page.Dir != "rtl" {
		t.Fatalf("after joining in Arabic the page is %+v", page)
	}
	checkPhonePage(t, b, "home")

	b.Visit(w.s.URL + w.path("/p/w/%d"))
	b.Click("main details summary") // the agenda
	checkPhonePage(t, b, "participant workshop")
	if got := b.Text("main h1"); got != "ورشة العمل 1: المساعدة المالية" {
		t.Errorf("the workshop's name in Arabic: %q", got)
	}
	if lang, dir := langOf(b, "main h1", "ورشة"); lang != "ar" || dir != "rtl" {
		t.Errorf("the Arabic name: lang %q, direction %q", lang, dir)
	}
	if lang, dir := langOf(b, "main .question", "ما الذي"); lang != "ar" || dir != "rtl" {
		t.Errorf("the Arabic question: lang %q, direction %q", lang, dir)
	}
	if lang, dir := langOf(b, "main dd", "Medborgarhuset"); lang != "sv" || dir != "ltr" {
		t.Errorf("the place, in Swedish on the Arabic page: lang %q, direction %q", lang, dir)
	}
	if at := charLefts(t, b, "main details .prose", "17.30"); !readsLeftToRight(at) {
		t.Errorf("the time 17.30 in the Arabic agenda is laid out at %v, not left to right", at)
	}
	// The full stop that ends "call 1177." stands at the sentence's end,
	// left of the number, not between the number and the words.
	if at := charLefts(t, b, "main details .prose", "1177."); !readsLeftToRight(at[:4]) || at[4] >= at[0] {
		t.Errorf("\"1177.\" in the Arabic agenda is laid out at %v: the number reversed, or the full stop inside it", at)
	}
	// She writes her note in Arabic; the box follows her.
	b.SendKeys("#f-text", "الانتظار طويل، 3 أسابيع")
	var boxDir string
	b.Eval(`getComputedStyle(document.getElementById("f-text")).direction`, &boxDir)
	if boxDir != "rtl" {
		t.Errorf("Arabic typed into the note's box runs %s", boxDir)
	}
	b.Click(`form[action$="/notes"] button.big`)
	if got := b.Text("#mine"); !strings.Contains(got, "الانتظار") {
		t.Errorf("her note: %q", got)
	}

	b.Visit(w.s.URL + "/p/consent")
	checkPhonePage(t, b, "my data")
	b.Click("#f-confirm")
	b.Click(`form[action="/p/withdraw"] button`)
	b.WaitVisible("main h1")
	if u := b.URL(); !strings.HasSuffix(u, "/p/withdrawn") {
		t.Fatalf("after withdrawing she is at %s", u)
	}
	checkPhonePage(t, b, "withdrawn")
	var done struct {
		Lang, H1, Main string
		Home           bool
	}
	b.Eval(`({Lang: document.documentElement.lang, H1: document.querySelector("main h1").textContent.trim(),
		Main: document.querySelector("main").textContent, Home: !!document.querySelector('main a[href="/"]')})`, &done)
	if want := w.s.App.Catalogue.T("ar", "cc.withdrawn.title"); done.Lang != "ar" || !strings.HasPrefix(done.H1, want) {
		t.Errorf("the page after withdrawing is %q %q, want Arabic %q", done.Lang, done.H1, want)
	}
	if strings.Contains(done.Main, "سلمى") || !done.Home {
		t.Errorf("the page after withdrawing names her, or has no way to the public pages:\n%s", done.Main)
	}
	// The way back leads to the public start page, still in Arabic.
	b.Click(`main a[href="/"]`)
	b.Eval(`({Lang: document.documentElement.lang, Dir: document.documentElement.dir})`, &page)
	if page.Lang != "ar" || strings.Contains(b.URL(), "/signin") {
		t.Errorf("the way back: %s in %+v", b.URL(), page)
	}
}

// On a board many screens long, a facilitator who adds a theme is brought
// back to it, with a word beside it that it was added, and the focus
// there; a plain form post, nothing of the board's script.
func TestBrowserAnAddedThemeIsWhereTheBoardOpens(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newBrowserWorld(t)
	ctx := context.Background()
	st := w.mod.Store()
	facilitator := w.s.User(browserFacilitator)
	for i := range 60 {
		if _, err := st.PostNote(ctx, w.process, w.workshop, w.prompt, 0, facilitator.ID, fmt.Sprintf("Lapp nummer %d om väntetider och bemötande i receptionen", i+1),
			fmt.Sprintf("long-board-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	b := browsertest.New(t)
	browserSignIn(b, w.s.URL, browserFacilitator)
	for _, vp := range []struct {
		name          string
		width, height int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		b.SetViewport(vp.width, vp.height)
		b.Visit(w.s.URL + w.path("/workshops/%d/board"))
		name := "Bemötande " + vp.name
		b.SendKeys("#f-theme", name)
		b.Click(`form[action$="/themes"] button`)
		b.WaitVisible(".column .flash")
		var at struct {
			Hash, Said, Focus string
			Top, Height       float64
			ScrollY, Page     float64
		}
		b.Eval(`(() => { const col = document.querySelector(location.hash); const r = col ? col.getBoundingClientRect() : {top: -1};
			return {Hash: location.hash, Said: col ? (col.querySelector(".flash") || {}).textContent || "" : "", Focus: document.activeElement.id,
				Top: r.top, Height: innerHeight, ScrollY: scrollY, Page: document.documentElement.scrollHeight}; })()`, &at)
		want := w.s.App.Catalogue.T("sv", "cc.board.theme_added", "Theme", name)
		if !strings.HasPrefix(at.Hash, "#theme-") || !strings.Contains(at.Said, want) {
			t.Errorf("%s: after adding a theme the page is at %q, saying %q", vp.name, at.Hash, at.Said)
		}
		if at.Top < -2 || at.Top > at.Height/2 || at.ScrollY == 0 {
			t.Errorf("%s: the new theme is not in view: %.0f px from the top of a %.0f px window, scrolled %.0f of %.0f", vp.name, at.Top, at.Height, at.ScrollY, at.Page)
		}
		if "#"+at.Focus != at.Hash {
			t.Errorf("%s: the focus is on %q, not on the new theme", vp.name, at.Focus)
		}
		t.Logf("%s: the board is %.0f px long; the new theme opens %.0f px down, in view", vp.name, at.Page, at.ScrollY)
		b.AssertNoAxeViolations(t, "board after adding a theme ("+vp.name+")")
		shoot(b, "board-theme-added-"+vp.name)
	}
}
