package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"megafon/cocreation"
	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// smallTargetsJS lists what a person taps on the page (links, buttons,
// disclosures, form fields; a tick box or radio button by its label) that
// is under 44×44 CSS px, unless it is a link inside a sentence (WCAG 2.5.8's
// exception for inline targets).
const smallTargetsJS = `(() => {
  const small = [], seen = new Set();
  const inSentence = el => {
    if (!getComputedStyle(el).display.startsWith("inline") || getComputedStyle(el).display === "inline-flex" || getComputedStyle(el).display === "inline-block") return false;
    const block = el.parentElement.closest("p, li, dd, td, label, legend, h1, h2, h3, div, span");
    if (!block) return false;
    const rest = block.textContent.replace(el.textContent, "");
    return /[\p{L}\p{N}]{2,}/u.test(rest);
  };
  for (const el of document.querySelectorAll("a[href], button, summary, select, textarea, input:not([type=hidden])")) {
    const box = el.matches("input[type=radio], input[type=checkbox]") ? (el.closest("label") || el) : el;
    if (seen.has(box)) continue;
    seen.add(box);
    const r = box.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(box).visibility === "hidden" || box.closest(".skip")) continue;
    if ((r.width < 44 || r.height < 44) && !inSentence(box)) {
      small.push(box.tagName.toLowerCase() + (box.className && typeof box.className === "string" ? "." + box.className.trim().split(/\s+/).join(".") : "") +
        " " + Math.round(r.width) + "×" + Math.round(r.height) + " " + JSON.stringify((box.textContent || box.name || "").trim().slice(0, 40)));
    }
  }
  return small;
})()`

func assertTargetsAtLeast44(t *testing.T, b *browsertest.Browser, page string) {
	t.Helper()
	b.Eval(`document.querySelectorAll("details").forEach(d => d.open = true)`, nil)
	var small []string
	b.Eval(smallTargetsJS, &small)
	if len(small) > 0 {
		t.Errorf("%s: targets under 44×44 px:\n  %s", page, strings.Join(small, "\n  "))
	}
}

// On a 390 px phone every target on the volunteer's pages and on the
// co-creation participant's pages is at least 44×44 CSS px, or a link
// inside a sentence: the home page's cards, the call screen's handbook
// entries (24 px tall before), the answers, the tick boxes.
func TestAVolunteersAndAParticipantsTargetsAreBigEnoughForAThumb(t *testing.T) {
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	ctx := context.Background()

	t.Run("volunteer", func(t *testing.T) {
		b := browsertest.New(t)
		b.SetViewport(phoneWidth, phoneHeight)
		browserSignIn(t, b, s.URL, "+46701000001", demo.Passcode)
		var cid int64
		if err := s.App.DB.QueryRow(ctx, `SELECT id FROM campaigns`).Scan(&cid); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct{ name, path string }{
			{"home", "/"},
			{"campaigns", "/campaigns"},
			{"before a call", "/campaigns/" + strconv.FormatInt(cid, 10) + "/call"},
			{"the callers' handbook", "/operations/1/handbook"},
			{"account", "/account"},
			{"the campaign", "/campaigns/" + strconv.FormatInt(cid, 10)},
			{"an entry of the handbook", "/handbook/1"},
			{"operations", "/operations"},
			{"the operation", "/operations/1"},
			{"notifications", "/notifications"},
		} {
			b.Visit(s.URL + p.path)
			assertTargetsAtLeast44(t, b, p.name)
		}
		b.Visit(s.URL + "/campaigns/" + strconv.FormatInt(cid, 10) + "/call")
		b.Click(".next-button")
		b.WaitVisible(".who")
		assertTargetsAtLeast44(t, b, "the call screen")
		b.Click("#save")
		b.WaitVisible("#problems")
		assertTargetsAtLeast44(t, b, "the call screen with a problem")
	})

	t.Run("participant", func(t *testing.T) {
		var mod *cocreation.Module
		for _, m := range s.App.Modules() {
			if c, ok := m.(*cocreation.Module); ok {
				mod = c
			}
		}
		ps, err := mod.Store().Processes(ctx, nil)
		if err != nil || len(ps) == 0 {
			t.Fatalf("demo processes: %v", err)
		}
		b := browsertest.New(t)
		b.SetViewport(phoneWidth, phoneHeight)
		b.Visit(s.URL + "/join/" + ps[0].JoinCode)
		assertTargetsAtLeast44(t, b, "joining")
		b.SendKeys("#f-name", "Kim")
		b.Click(`input[name=role][value=young_person]`)
		b.Click(`#f-consent`)
		b.Click(`form[action^="/join/"] button.big`)
		b.WaitVisible(".code")
		assertTargetsAtLeast44(t, b, "her home")
		var workshop string
		b.Eval(`(document.querySelector('a[href^="/p/w/"]') || {}).getAttribute?.("href") || ""`, &workshop)
		if workshop == "" {
			t.Fatal("her home links to no workshop")
		}
		b.Visit(s.URL + workshop)
		assertTargetsAtLeast44(t, b, "her workshop")
		b.Visit(s.URL + "/p/consent")
		assertTargetsAtLeast44(t, b, "my data")
		b.Click(`form[action="/p/withdraw"] button`)
		b.WaitVisible("#problems")
		assertTargetsAtLeast44(t, b, "withdrawing, without the tick")
	})
}
