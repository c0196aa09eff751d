package operation_test

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

func TestInABrowserTheLevelChangesWithAReasonAndTheVolunteerIsTold(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	s, ops := newServer(t, db.SQLite)
	ops.AddSignalSource(fakeSignals{overdue: 3})
	b := browsertest.New(t)
	signIn(b, s.URL, leadCoord)
	for _, p := range []string{"/operations", "/operations/1", "/operations/new", "/operations/1/edit", "/levels"} {
		axeEverywhere(t, b, s.URL, p)
	}
	b.SetViewport(390, 844)
	b.Visit(s.URL + "/operations/1")
	// Without a reason: the problem is shown beside the field, nothing changes.
	b.Click(`input[name="level"][value="3"]`)
	b.Click(`form[action$="/level"] button`)
	if got := b.Text("#problems"); !strings.Contains(got, "Skriv varför nivån ändras.") {
		t.Fatalf("problem summary = %q", got)
	}
	b.AssertNoAxeViolations(t, "level change without a reason")
	b.Click(`input[name="level"][value="3"]`)
	b.SendKeys("#f-reason", "Vaccinationen börjar och frågorna ökar")
	b.Click(`form[action$="/level"] button`)
	if got := b.Text("main"); !strings.Contains(got, "Nivå 3: Gemensam") || !strings.Contains(got, "Vaccinationen börjar och frågorna ökar") {
		t.Fatalf("after the change:\n%s", got)
	}

	signIn(b, s.URL, volunteer)
	axeEverywhere(t, b, s.URL, "/notifications")
	axeEverywhere(t, b, s.URL, "/operations/1")
	b.Visit(s.URL + "/notifications")
	if got := b.Text("main"); !strings.Contains(got, "stödnivån ändrades från 2 till 3") {
		t.Fatalf("notifications:\n%s", got)
	}
	signIn(b, s.URL, admin)
	axeEverywhere(t, b, s.URL, "/levels/edit")
	signIn(b, s.URL, invitedLead)
	axeEverywhere(t, b, s.URL, "/operations/1")
}
