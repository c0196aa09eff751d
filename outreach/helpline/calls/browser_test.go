package calls_test

import (
	"fmt"
	"strings"
	"testing"

	"megafon/outreach/helpline"
	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
)

func signIn(b *browsertest.Browser, base, login string) {
	secret := demo.Password
	if strings.HasPrefix(login, "+") {
		secret = demo.Passcode
	}
	b.Visit(base + "/signin")
	b.SendKeys("#f-login", login)
	b.SendKeys("#f-secret", secret)
	b.Click("main form button")
	b.WaitVisible("footer.site form button")
}

// check runs axe and the reflow check at phone and 320 px widths.
func check(t *testing.T, b *browsertest.Browser, what string) {
	t.Helper()
	for _, w := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"320 px", 320, 640}} {
		b.SetViewport(w.w, w.h)
		var out struct{ Scroll, Client int }
		b.Eval(`({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth})`, &out)
		if out.Scroll > out.Client {
			t.Errorf("%s at %s scrolls sideways: %d px in a %d px window", what, w.name, out.Scroll, out.Client)
		}
		b.AssertNoAxeViolations(t, what+" at "+w.name)
	}
	b.SetViewport(390, 844)
}

// In Swedish and English, on a phone: a volunteer on an Arabic shift sees
// a callback request, takes it, sees the tel: link, records that she
// reached the resident; then logs a call she answered from "calls to
// log", with a question. The coordinator reads the counts. Every page
// passes axe-core and none scrolls sideways.
func TestAVolunteerCallsBackAndLogsACallOnHerPhone(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, db.SQLite)
			e.roster.set(e.s.User(amina).ID, helpline.LineLanguage{LineID: e.line, Lang: "ar"})
			id := e.missed(t, "+46701112233", "ar")
			call := e.answered(t, amina, "ar")
			b := browsertest.New(t)
			b.SetViewport(390, 844)
			signIn(b, e.s.URL, amina)
			b.SetLanguage(e.s.URL, lang)
			b.Visit(e.s.URL + "/")
			b.Click(`.cards a[href="/helpline/calls"]`)
			b.WaitVisible(`a[href="/helpline/callbacks"]`)
			check(t, b, "her calls ("+lang+")")
			b.Click(`a[href="/helpline/callbacks"]`)
			b.WaitVisible(fmt.Sprintf(`form[action="/helpline/callbacks/%d/take"] button`, id))
			check(t, b, "the callback queue ("+lang+")")
			if strings.Contains(b.Text("main"), "112233") {
				t.Error("the queue shows the number")
			}
			b.Click(fmt.Sprintf(`form[action="/helpline/callbacks/%d/take"] button`, id))
			b.WaitVisible(`a#tel[href="tel:+46701112233"]`)
			check(t, b, "the callback screen ("+lang+")")
			// Save without an outcome: the problem at its place.
			b.Click(`#save`)
			b.WaitVisible("#e-outcome")
			check(t, b, "the callback screen with a problem ("+lang+")")
			b.Click(`input[name=outcome][value=completed]`)
			b.Click(`#save`)
			b.WaitVisible(`#f-started_at`)
			check(t, b, "the log of the call back, by hand ("+lang+")")

			b.Visit(e.s.URL + "/helpline/calls")
			b.Click(fmt.Sprintf(`a[href="/helpline/calls/%d/log"]`, call))
			b.WaitVisible(`input[name=lang][value=ar]`)
			check(t, b, "the log form ("+lang+")")
			b.Click(`input[name=topics][value=vaccination]`)
			b.Click(`details.card summary`)
			b.SendKeys(`#f-q0_text`, "هل اللقاح مجاني؟")
			b.Click(`#save`)
			b.WaitVisible(".flash")
			check(t, b, "after logging ("+lang+")")
			var n int
			if err := e.s.App.DB.QueryRow(t.Context(), `SELECT COUNT(*) FROM resident_questions WHERE source = 'helpline' AND call_id = $1`, call).Scan(&n); err != nil || n != 1 {
				t.Errorf("%d questions of the call (%v)", n, err)
			}
			if strings.Contains(b.Text("main"), fmt.Sprintf("/helpline/calls/%d/log", call)) {
				t.Error("the logged call is still to log")
			}

			c := browsertest.New(t)
			c.SetViewport(390, 844)
			signIn(c, e.s.URL, coord)
			c.SetLanguage(e.s.URL, lang)
			c.Visit(e.s.URL + "/helpline/calls")
			c.Click(fmt.Sprintf(`a[href="/operations/%d/helpline/calls"]`, e.op.ID))
			c.WaitVisible("table")
			check(t, c, "the coordinator's counts ("+lang+")")
			if strings.Contains(c.Text("main"), "112233") || strings.Contains(c.Text("main"), "998877") {
				t.Error("the coordinator sees a number")
			}
		})
	}
}
