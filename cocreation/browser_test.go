package cocreation_test

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"megafon/cocreation"
	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

const browserFacilitator = "processledare@demo.megafon.se"

// browserWorld is a running server with one process in its workshops
// phase and one workshop with an open prompt, a theme and a note, made
// through the store so that the browser tests need no demo data.
type browserWorld struct {
	s        *webtest.Server
	mod      *cocreation.Module
	process  process.Process
	workshop int64
	prompt   int64
	theme    int64
}

func newBrowserWorld(t *testing.T) *browserWorld {
	t.Helper()
	mod := &cocreation.Module{Poll: 200 * time.Millisecond}
	s := webtest.New(t, db.SQLite, false, mod)
	ctx := context.Background()
	st := mod.Store()
	now := s.App.Now()
	id, err := st.CreateProcess(ctx, s.City.Orgs[demo.SocialAdmin].ID, process.NewProcess{
		Title: "Nämndens mål 2023", Purpose: "Vi sätter socialnämndens mål tillsammans med dem som använder tjänsterna.",
		DecidingBody: "Socialnämnden", Start: now.In(process.Stockholm).AddDate(0, 0, -30).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Translate(ctx, "en", map[process.TextRef]process.TranslationEdit{{Kind: "process", ID: id}: {Title: "The board's goals 2023",
		Body: "We set the social welfare board's goals together with the people who use the services."}}); err != nil {
		t.Fatal(err)
	}
	p, err := st.Process(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if cur, _ := process.CurrentPhase(p.Phases, now); cur.Kind != "workshops" {
		t.Fatalf("current phase %q, want workshops", cur.Kind)
	}
	start := now.Add(-30 * time.Minute).Truncate(time.Minute)
	wid, err := st.SaveWorkshop(ctx, workshop.Workshop{ProcessID: id, Title: "Workshop 1: ekonomiskt bistånd", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Place: "Medborgarhuset, sal 2", Agenda: "Fika. Vad fungerar extra bra? Vad fungerar extra dåligt?", Facilitators: "Gunilla Christiansson",
		Interpreters: "arabiska, somaliska", Accessibility: "Hiss finns. Hörslinga i salen.", Capacity: 30})
	if err != nil {
		t.Fatal(err)
	}
	prompt, err := st.OpenPrompt(ctx, wid, "Vad fungerar extra bra? Vad fungerar extra dåligt?")
	if err != nil {
		t.Fatal(err)
	}
	theme, err := st.AddTheme(ctx, wid, "Väntetider")
	if err != nil {
		t.Fatal(err)
	}
	facilitator := s.User(browserFacilitator)
	if _, err := st.PostNote(ctx, p, wid, prompt, 0, facilitator.ID, "Handläggaren ringde tillbaka samma dag.", "browser-seed-1"); err != nil {
		t.Fatal(err)
	}
	// A note in Arabic, as a participant may write one: it must read right
	// to left on the board.
	if _, err := st.PostNote(ctx, p, wid, prompt, 0, facilitator.ID, "الانتظار على الهاتف طويل جداً", "browser-seed-2"); err != nil {
		t.Fatal(err)
	}
	return &browserWorld{s: s, mod: mod, process: p, workshop: wid, prompt: prompt, theme: theme}
}

func (w *browserWorld) path(format string) string {
	return fmt.Sprintf(format, w.workshop)
}

// joinPath is the join link the workshop's QR code encodes, on the test
// server: the projector shows it beside the code, under the configured
// base address.
func (w *browserWorld) joinPath(t *testing.T) string {
	t.Helper()
	body := w.s.As(browserFacilitator).Get(w.path("/workshops/%d/projector")).Body
	want := fmt.Sprintf("/join/%s?w=%d", w.process.JoinCode, w.workshop)
	if !strings.Contains(body, "http://megafon.test"+strings.ReplaceAll(want, "&", "&amp;")) {
		t.Fatalf("the projector does not show the join link %s", want)
	}
	return want
}

func browserSignIn(b *browsertest.Browser, base, login string) {
	b.ClearCookies()
	b.Visit(base + "/signin")
	b.SendKeys("#f-login", login)
	b.SendKeys("#f-secret", demo.Password)
	b.Click("main form button")
	b.WaitVisible("footer.site form button")
}

var browserWidths = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"desktop", 1280, 900}}

// shoot saves a screenshot under $MEGAFON_SCREENSHOTS when it is set (to
// look at the pages; the test checks nothing in them).
func shoot(b *browsertest.Browser, name string) {
	if dir := os.Getenv("MEGAFON_SCREENSHOTS"); dir != "" {
		b.Screenshot(filepath.Join(dir, name+".png"))
	}
}

// A participant joins by the QR code's link on her phone, gives a
// pseudonym, a role and her consent, and posts a note; the note appears
// on the facilitator's open board within two seconds without a reload;
// the facilitator puts it in a theme with the keyboard alone; without
// JavaScript a plain reload of the board shows it.
func TestBrowserANoteReachesTheOpenBoardLiveAndIsGroupedByKeyboard(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newBrowserWorld(t)
	join := w.joinPath(t)

	board := browsertest.New(t)
	browserSignIn(board, w.s.URL, browserFacilitator)
	board.Visit(w.s.URL + w.path("/workshops/%d/board"))
	board.WaitVisible("#board")
	// Set on this page only: a reload would lose it.
	board.Eval(`window.ccNotReloaded = true; true`, nil)
	var connected bool
	board.Eval(`new Promise(res => { const t0 = Date.now(); (function wait() {
		if (document.documentElement.classList.contains("live-on")) return res(true);
		if (Date.now() - t0 > 5000) return res(false);
		setTimeout(wait, 50); })(); })`, &connected)
	if !connected {
		t.Fatal("the board did not connect to its events within 5 s")
	}

	phone := browsertest.New(t)
	phone.SetViewport(390, 844)
	phone.Visit(w.s.URL + join)
	phone.SendKeys("#f-name", "Sol")
	phone.Click(`input[name=role][value=service_user]`)
	phone.Click(`#f-consent`)
	phone.Click(`form[action^="/join/"] button.big`)
	if got := phone.Text("main"); !strings.Contains(got, "Sol") {
		t.Fatalf("after joining:\n%s", got)
	}
	shoot(phone, "home-after-join-sv-phone")
	var code string
	phone.Eval(`(document.querySelector(".code") || {}).textContent || ""`, &code)
	if strings.TrimSpace(code) == "" {
		t.Error("the home page after joining shows no code to come back with")
	}
	phone.Click(fmt.Sprintf(`a[href="/p/w/%d"]`, w.workshop))
	const text = "Jag fick vänta tre veckor på ett svar."
	phone.SendKeys("#f-text", text)
	posted := time.Now()
	phone.Click(`form[action$="/notes"] button.big`)
	if got := phone.Text("#mine"); !strings.Contains(got, text) {
		t.Fatalf("the participant does not see her note: %q", got)
	}
	shoot(phone, "note-posted-sv-phone")

	var seen struct {
		Found       bool    `json:"found"`
		NotReloaded bool    `json:"notReloaded"`
		Ms          float64 `json:"ms"`
		ID          string  `json:"id"`
	}
	board.Eval(`new Promise(res => { const t0 = performance.now(); (function look() {
		const li = [...document.querySelectorAll("#board .note")].find(n => n.querySelector(".note-text").textContent.trim() === `+jsString(text)+`);
		const ms = performance.now() - t0;
		if (li || ms > 2000) return res({found: !!li, notReloaded: window.ccNotReloaded === true, ms: ms, id: li ? li.dataset.note : ""});
		setTimeout(look, 25); })(); })`, &seen)
	if !seen.Found {
		t.Fatalf("the note did not appear on the open board within 2 s")
	}
	if !seen.NotReloaded {
		t.Fatal("the board was reloaded")
	}
	t.Logf("the note was on the board %.0f ms after the participant's page came back, %v after she pressed Send", seen.Ms, time.Since(posted).Round(time.Millisecond))
	note := "#note-" + seen.ID
	var said string
	board.Eval(`document.getElementById("live-status").textContent`, &said)
	if !strings.Contains(said, "3") || !strings.Contains(said, text) {
		t.Errorf("the status line (read out by screen readers) says %q, want the count and the new note", said)
	}

	// By keyboard: focus the note's "Move to" list, pick the theme with an
	// arrow key, Tab to its button and press Enter.
	board.SendKeys(note+" select[name=theme]", kb.ArrowDown)
	var chosen string
	board.Eval(`document.querySelector(`+jsString(note+" select[name=theme]")+`).value`, &chosen)
	if chosen != fmt.Sprint(w.theme) {
		t.Fatalf("after ArrowDown the list says %q, want theme %d", chosen, w.theme)
	}
	board.SendKeys(note+" select[name=theme]", kb.Tab)
	var focused string
	board.Eval(`document.activeElement.closest(".move-form") ? document.activeElement.tagName : document.activeElement.outerHTML`, &focused)
	if focused != "BUTTON" {
		t.Fatalf("Tab from the list went to %s, not its button", focused)
	}
	board.Eval(`window.ccNotReloaded === true`, &seen.NotReloaded)
	var moved struct {
		InTheme bool   `json:"inTheme"`
		Status  string `json:"status"`
		Focus   string `json:"focus"`
	}
	board.SendKeys(note+" .move-form button", kb.Enter)
	board.Eval(`new Promise(res => { const t0 = Date.now(); (function look() {
		const col = document.querySelector('.column[data-theme="`+fmt.Sprint(w.theme)+`"]');
		const inTheme = !!col.querySelector(`+jsString(note)+`);
		if (inTheme || Date.now() - t0 > 3000) return res({inTheme: inTheme, status: document.getElementById("live-status").textContent,
			focus: document.activeElement ? document.activeElement.id || document.activeElement.tagName : ""});
		setTimeout(look, 25); })(); })`, &moved)
	if !moved.InTheme {
		t.Fatalf("after Enter the note is not in the theme's column")
	}
	if !strings.Contains(moved.Status, "Väntetider") {
		t.Errorf("the status line does not say where the note went: %q", moved.Status)
	}
	var still bool
	board.Eval(`window.ccNotReloaded === true`, &still)
	if !still {
		t.Error("moving a note reloaded the board")
	}

	// Dragging works too: the browser's drag events, dispatched on the
	// first seed note and the theme's column, move it there.
	var dragged bool
	board.Eval(`new Promise(res => {
		const li = [...document.querySelectorAll("#board .note")].find(n => n.textContent.includes("ringde tillbaka"));
		const col = document.querySelector('.column[data-theme="`+fmt.Sprint(w.theme)+`"]');
		const dt = new DataTransfer();
		li.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: dt}));
		col.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: dt}));
		col.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: dt}));
		li.dispatchEvent(new DragEvent("dragend", {bubbles: true, dataTransfer: dt}));
		const t0 = Date.now();
		(function look() {
			if (col.contains(li) || Date.now() - t0 > 3000) return res(col.contains(li));
			setTimeout(look, 25); })(); })`, &dragged)
	if !dragged {
		t.Error("dropping a note on a theme's column did not move it")
	}
	board.Eval(`window.ccNotReloaded === true`, &still)
	if !still {
		t.Error("dragging a note reloaded the board")
	}
	if body := w.s.As(browserFacilitator).Get(w.path("/workshops/%d/print")).Body; !strings.Contains(body[max(0, strings.Index(body, "Väntetider")):], "ringde tillbaka") {
		t.Error("the dragged note is not stored in its theme")
	}

	// A note written in Arabic reads right to left, on the board and on
	// the projector, though the page around it is Swedish.
	for _, page := range []string{"/workshops/%d/board", "/workshops/%d/projector"} {
		board.Visit(w.s.URL + w.path(page))
		var dir string
		board.Eval(`(() => { const p = [...document.querySelectorAll("#board .note-text")].find(e => e.textContent.includes("الانتظار"));
			return p ? getComputedStyle(p).direction + " " + getComputedStyle(p).textAlign : "missing"; })()`, &dir)
		if !strings.HasPrefix(dir, "rtl") {
			t.Errorf("the Arabic note on %s: direction %q, want rtl", page, dir)
		}
	}

	// The projector, already open, shows the next note live too.
	board.Visit(w.s.URL + w.path("/workshops/%d/projector"))
	board.Eval(`window.ccNotReloaded = true; true`, nil)
	board.Eval(`new Promise(res => { const t0 = Date.now(); (function wait() {
		if (document.documentElement.classList.contains("live-on") || Date.now() - t0 > 5000) return res(true);
		setTimeout(wait, 50); })(); })`, nil)
	const second = "Bra bemötande i receptionen."
	phone.SendKeys("#f-text", second)
	phone.Click(`form[action$="/notes"] button.big`)
	var onProjector string
	board.Eval(`new Promise(res => { const t0 = Date.now(); (function look() {
		const p = [...document.querySelectorAll("#board .note-text")].find(p => p.textContent.trim() === `+jsString(second)+`);
		if (p || Date.now() - t0 > 2000) return res(p && window.ccNotReloaded === true ? p.closest(".note").id : "");
		setTimeout(look, 25); })(); })`, &onProjector)
	if onProjector == "" {
		t.Fatal("the second note did not appear on the open projector within 2 s without a reload")
	}
	// Filed in a theme on the board, it moves on the projector too, within
	// the projector's few seconds and without a reload.
	if r := w.s.As(browserFacilitator).Post(fmt.Sprintf("/workshops/%d/notes/%s/theme", w.workshop, strings.TrimPrefix(onProjector, "note-")), url.Values{"theme": {fmt.Sprint(w.theme)}}); r.Status != 303 {
		t.Fatalf("moving the second note: status %d", r.Status)
	}
	var followed bool
	board.Eval(`new Promise(res => { const t0 = Date.now(); (function look() {
		const col = document.querySelector('#board .column[data-theme="`+fmt.Sprint(w.theme)+`"]');
		const there = !!(col && col.querySelector("#`+onProjector+`"));
		if (there || Date.now() - t0 > 10000) return res(there && window.ccNotReloaded === true);
		setTimeout(look, 100); })(); })`, &followed)
	if !followed {
		t.Error("a note moved on the board did not move on the open projector within 10 s without a reload")
	}

	// Without JavaScript: a plain GET of the board shows the note, in its
	// theme, and the forms work by posting.
	fac := w.s.As(browserFacilitator)
	page := fac.Get(w.path("/workshops/%d/board"))
	if page.Status != 200 || !strings.Contains(page.Body, text) {
		t.Fatalf("a plain GET of the board: status %d, note missing", page.Status)
	}
	section := page.Body[strings.Index(page.Body, fmt.Sprintf(`data-theme="%d"`, w.theme)):]
	if !strings.Contains(section[:strings.Index(section, "</section>")], text) {
		t.Error("after the move a plain GET does not show the note in its theme")
	}
	r := fac.Post(fmt.Sprintf("/workshops/%d/notes/%s/theme", w.workshop, seen.ID), url.Values{"theme": {"0"}})
	if r.Status != 303 || !strings.HasPrefix(r.Location, w.path("/workshops/%d/board")) {
		t.Errorf("moving by form without JavaScript: status %d, location %q", r.Status, r.Location)
	}
}

func jsString(s string) string {
	return "`" + strings.NewReplacer("`", "\\`", "\\", "\\\\", "$", "\\$").Replace(s) + "`"
}

// axePage is a page to check: how to get to it, and whether it is a
// participant's (then its targets must suit a finger).
type axePage struct {
	name        string
	participant bool
	visit       func()
}

// checkAxe checks pages in Swedish and English at phone and desktop
// width (one language switch for all of them), that none is an error
// page, and on a participant's page at phone width that every target is
// large enough.
func checkAxe(t *testing.T, b *browsertest.Browser, base string, pages []axePage) {
	t.Helper()
	for _, lang := range []string{"sv", "en"} {
		b.SetLanguage(base, lang)
		for _, wd := range browserWidths {
			b.SetViewport(wd.width, wd.height)
			for _, p := range pages {
				p.visit()
				where := fmt.Sprintf("%s (%s, %s)", p.name, lang, wd.name)
				var shown struct {
					Lang  string `json:"lang"`
					Error bool   `json:"error"`
				}
				b.Eval(`({lang: document.documentElement.lang, error: !!document.querySelector(".error-message")})`, &shown)
				if shown.Error || shown.Lang != lang {
					t.Errorf("%s: an error page or the wrong language (%q) at %s", where, shown.Lang, b.URL())
				}
				b.AssertNoAxeViolations(t, where)
				if p.participant && wd.name == "phone" {
					assertTouchTargets(t, b, where)
				}
				shoot(b, fmt.Sprintf("%s-%s-%s", strings.ReplaceAll(p.name, " ", "-"), lang, wd.name))
			}
		}
	}
}

// assertTouchTargets fails when a link, button or form control shown (a
// tick box or radio button: its label) is less than 44 by 44 CSS pixels.
func assertTouchTargets(t *testing.T, b *browsertest.Browser, where string) {
	t.Helper()
	var small []string
	b.Eval(`(() => {
		const small = [], seen = new Set();
		for (const el of document.querySelectorAll("header a, header button, main a[href], main button, main select, main textarea, main input:not([type=hidden]), main summary")) {
			const box = el.matches("input[type=radio], input[type=checkbox]") ? (el.closest("label") || el) : el;
			if (seen.has(box)) continue;
			seen.add(box);
			// Not shown: hidden, or inside a closed <details> (whose content
			// Chromium now lays out under content-visibility: hidden, so that
			// the closed language switch's buttons have boxes).
			if (!box.checkVisibility({visibilityProperty: true})) continue;
			const r = box.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			if (r.width < 44 || r.height < 44) small.push(box.tagName.toLowerCase() + " " + Math.round(r.width) + "×" + Math.round(r.height) + " " + JSON.stringify((box.textContent || box.name || "").trim().slice(0, 40)));
		}
		return small;
	})()`, &small)
	if len(small) > 0 {
		t.Errorf("targets under 44×44 px on %s:\n  %s", where, strings.Join(small, "\n  "))
	}
}

// Every page of the module passes axe-core (WCAG 2.1 AA) in Swedish and
// English at phone and desktop width, forms also with their problems
// shown.
func TestBrowserEveryCocreationPagePassesAxe(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newBrowserWorld(t)
	join := w.joinPath(t)
	pid := w.process.ID
	paper, err := w.mod.Store().AddFromPaper(context.Background(), pid, w.s.User(browserFacilitator).ID,
		process.Joining{Name: "Karin på papper", Role: "relative", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	withdrawFor := fmt.Sprintf("/processes/%d/participants/%d/withdraw", pid, paper)
	// An Arabic translation of the workshop whose agenda then changed in
	// Swedish: the translations page warns.
	st := w.mod.Store()
	if err := st.Translate(context.Background(), "ar", map[process.TextRef]process.TranslationEdit{
		{Kind: "workshop", ID: w.workshop}: {Title: "ورشة العمل 1", Body: "قهوة. ما الذي يعمل بشكل جيد جدًا؟", TranslatedBy: "Amal Haddad"}}); err != nil {
		t.Fatal(err)
	}
	ws, _ := st.Workshop(context.Background(), w.workshop)
	ws.Agenda = "Fika 17.30. " + ws.Agenda
	if _, err := st.SaveWorkshop(context.Background(), ws); err != nil {
		t.Fatal(err)
	}

	t.Run("facilitator", func(t *testing.T) {
		t.Parallel()
		b := browsertest.New(t)
		browserSignIn(b, w.s.URL, browserFacilitator)
		visit := func(path string) func() { return func() { b.Visit(w.s.URL + path) } }
		submit := func(path, button string) func() {
			return func() {
				b.Visit(w.s.URL + path)
				b.Click(button)
				b.WaitVisible("#problems")
			}
		}
		checkAxe(t, b, w.s.URL, []axePage{
			{"process list", false, visit("/processes")},
			{"process", false, visit(fmt.Sprintf("/processes/%d", pid))},
			{"phases form", false, visit(fmt.Sprintf("/processes/%d/phases", pid))},
			{"new process", false, visit("/processes/new")},
			{"edit process", false, visit(fmt.Sprintf("/processes/%d/edit", pid))},
			{"participants", false, visit(fmt.Sprintf("/processes/%d/participants", pid))},
			{"overview", false, visit(fmt.Sprintf("/processes/%d/overview", pid))},
			{"invite", false, visit(fmt.Sprintf("/processes/%d/invite", pid))},
			{"invite to a workshop in English", false, visit(fmt.Sprintf("/processes/%d/invite?w=%d&lang=en", pid, w.workshop))},
			{"workshop", false, visit(w.path("/workshops/%d"))},
			{"new workshop", false, visit(fmt.Sprintf("/processes/%d/workshops/new", pid))},
			{"edit workshop", false, visit(w.path("/workshops/%d/edit"))},
			{"board", false, visit(w.path("/workshops/%d/board"))},
			{"projector", false, visit(w.path("/workshops/%d/projector"))},
			{"print", false, visit(w.path("/workshops/%d/print"))},
			{"withdraw for a participant", false, visit(withdrawFor)},
			{"withdraw for a participant without the tick", false, submit(withdrawFor, "main form button")},
			{"participants with a problem", false, submit(fmt.Sprintf("/processes/%d/participants", pid), "main form button")},
			{"workshop form with problems", false, submit(fmt.Sprintf("/processes/%d/workshops/new", pid), "main form button")},
			{"board with a problem", false, submit(w.path("/workshops/%d/board"), `form[action$="/themes"] button`)},
			{"process translations", false, visit(fmt.Sprintf("/processes/%d/translations", pid))},
			{"process translated into Arabic", false, visit(fmt.Sprintf("/processes/%d/translations?lang=ar", pid))},
			{"workshop translated into Arabic, its agenda older than the Swedish", false, visit(w.path("/workshops/%d/translations?lang=ar"))},
			{"workshop translation with a problem", false, func() {
				b.Visit(w.s.URL + w.path("/workshops/%d/translations?lang=ti"))
				b.SetValue(fmt.Sprintf("#f-title-workshop-%d", w.workshop), strings.Repeat("ሰ", process.MaxTitle+1))
				b.Click(`main form button`)
				b.WaitVisible("#problems")
			}},
		})
	})

	t.Run("participant", func(t *testing.T) {
		t.Parallel()
		b := browsertest.New(t)
		visit := func(path string) func() { return func() { b.Visit(w.s.URL + path) } }
		submit := func(path, button string, before func()) func() {
			return func() {
				b.Visit(w.s.URL + path)
				if before != nil {
					before()
				}
				b.Click(button)
				b.WaitVisible("#problems")
			}
		}
		checkAxe(t, b, w.s.URL, []axePage{
			{"join", true, visit(join)},
			{"join with problems", true, submit(join, `form[action^="/join/"] button.big`, nil)},
			{"back with code", true, visit("/back")},
			{"back with a wrong code", true, submit("/back", `form[action="/back"] button`, func() { b.SendKeys("#f-code", "WRONG1") })},
			{"withdrawn", true, visit("/p/withdrawn")},
		})

		b.SetViewport(390, 844)
		b.Visit(w.s.URL + join)
		b.SendKeys("#f-name", "Kim")
		b.Click(`input[name=role][value=young_person]`)
		b.Click(`#f-consent`)
		b.Click(`form[action^="/join/"] button.big`)
		b.WaitVisible(".code")
		checkAxe(t, b, w.s.URL, []axePage{
			{"home", true, visit("/p/")},
			{"participant workshop", true, visit(w.path("/p/w/%d"))},
			{"participant workshop with a problem", true, submit(w.path("/p/w/%d"), `form[action$="/notes"] button.big`, nil)},
			{"consent", true, visit("/p/consent")},
			{"withdraw with a problem", true, submit("/p/consent", `form[action="/p/withdraw"] button`, nil)},
		})
	})
}

// TestBrowserScreenshotsForTheDocs saves the pictures in docs/screenshots
// from the demo data, when MEGAFON_DOC_SCREENSHOTS names the folder.
func TestBrowserScreenshotsForTheDocs(t *testing.T) {
	// With MEGAFON_DOC_SCREENSHOTS set to a folder the pictures go there
	// (docs/screenshots); otherwise they are taken all the same, so that
	// the pages they show are checked in every run, and thrown away.
	dir := os.Getenv("MEGAFON_DOC_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	mod := &cocreation.Module{}
	s := webtest.New(t, db.SQLite, true, mod)
	ctx := context.Background()
	ps, err := mod.Store().Processes(ctx, nil)
	if err != nil || len(ps) == 0 {
		t.Fatalf("demo processes: %v", err)
	}
	var live workshop.Workshop
	for _, p := range ps {
		ws, _ := mod.Store().Workshops(ctx, p.ID)
		for _, w := range ws {
			if now := s.App.Now(); w.StartsAt.Before(now) && w.EndsAt.After(now) {
				live = w
			}
		}
	}
	if live.ID == 0 {
		t.Fatal("no demo workshop on now")
	}
	p, _ := mod.Store().Process(ctx, live.ProcessID)
	b := browsertest.New(t)
	b.SetViewport(390, 844)
	b.Visit(fmt.Sprintf("%s/join/%s?w=%d", s.URL, p.JoinCode, live.ID))
	screenshotTop(t, b, filepath.Join(dir, "cc-join-phone.png"), 1100)
	browserSignIn(b, s.URL, browserFacilitator)
	b.SetViewport(1280, 900)
	b.Visit(fmt.Sprintf("%s/workshops/%d/board", s.URL, live.ID))
	b.WaitVisible(".live-on #board")
	screenshotTop(t, b, filepath.Join(dir, "cc-board-desktop.png"), 900)
}

// screenshotTop saves the top height pixels of the page, compressed hard
// (the pictures live in the repository).
func screenshotTop(t *testing.T, b *browsertest.Browser, path string, height int) {
	t.Helper()
	full := filepath.Join(t.TempDir(), "full.png")
	b.Screenshot(full)
	f, err := os.Open(full)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	r := img.Bounds()
	r.Max.Y = min(r.Max.Y, r.Min.Y+height)
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(out, img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)); err != nil {
		t.Fatal(err)
	}
}
