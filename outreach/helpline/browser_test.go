package helpline_test

import (
	"fmt"
	"strings"
	"testing"

	"megafon/outreach/helpline"
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

func TestOnHerPhoneAVolunteerTakesAnOpenShift(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	e := newEnv(t, db.SQLite)
	base := e.s.URL
	line := fmt.Sprintf("/helplines/%d", e.line.ID)
	b := browsertest.New(t)

	signIn(b, base, coord)
	for _, p := range []string{"/helplines", line, line + "/edit", line + "/hours", line + "/coverage", fmt.Sprintf("/operations/%d/helpline/new", e.op.ID)} {
		axeEverywhere(t, b, base, p)
	}
	signIn(b, base, lead)
	for _, p := range []string{line + "/shifts", line + "/coverage", line} {
		axeEverywhere(t, b, base, p)
	}

	signIn(b, base, selam)
	axeEverywhere(t, b, base, "/shifts/mine")
	b.SetViewport(390, 844)
	b.Visit(base + "/shifts/mine")
	gap := e.shiftWhere(t, func(sh helpline.Shift) bool { return sh.PersonID == 0 })
	take := fmt.Sprintf(`form[action="/shifts/%d/take"] button`, gap.ID)
	b.WaitVisible(take)
	var overflow bool
	b.Eval(`document.documentElement.scrollWidth > window.innerWidth`, &overflow)
	if overflow {
		t.Error("my shifts is wider than the phone")
	}
	b.Click(take)
	b.WaitVisible(".flash")
	if got := b.Text(".flash"); !strings.Contains(got, "Passet är ditt.") {
		t.Fatalf("after taking: flash %q", got)
	}
	if got := b.Text("main"); !strings.Contains(got, "Torsdag 2026-12-03, 18:00–21:00") {
		t.Fatalf("the shift is not among hers:\n%s", got)
	}
	b.AssertNoAxeViolations(t, "my shifts after taking one (sv, phone)")
	// The calendar address is shown once, at phone width too.
	b.Click(`form[action="/shifts/calendar"] button`)
	b.WaitVisible("#feed-url")
	b.AssertNoAxeViolations(t, "my shifts with the calendar address (sv, phone)")
}
