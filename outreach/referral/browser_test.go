package referral_test

import (
	"fmt"
	"strings"
	"testing"

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

// assertFits fails when the page is wider than the window (WCAG 1.4.10).
func assertFits(t *testing.T, b *browsertest.Browser, what string) {
	t.Helper()
	var out struct{ Scroll, Client int }
	b.Eval(`({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth})`, &out)
	if out.Scroll > out.Client {
		t.Errorf("%s scrolls sideways: %d px in a %d px window", what, out.Scroll, out.Client)
	}
}

// check runs axe and the reflow check at phone and 320 px widths.
func check(t *testing.T, b *browsertest.Browser, what string) {
	t.Helper()
	for _, w := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"320 px", 320, 640}} {
		b.SetViewport(w.w, w.h)
		assertFits(t, b, what+" at "+w.name)
		b.AssertNoAxeViolations(t, what+" at "+w.name)
	}
	b.SetViewport(390, 844)
}

// In Swedish, English and Arabic, at phone and 320 px widths: a volunteer
// files a referral from her phone (once with a problem), the coordinator
// of its administration reads it and shows the contact, and the
// administrator opens the routing table. Every page passes axe-core and
// none scrolls sideways.
func TestAReferralFromThePhoneToTheCityInABrowser(t *testing.T) {
	for _, lang := range []string{"sv", "en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			x := newSite(t, db.SQLite)
			b := browsertest.New(t)
			b.SetViewport(390, 844)
			signIn(b, x.s.URL, volunteer)
			b.SetLanguage(x.s.URL, lang)
			b.Visit(x.s.URL + "/")
			b.Click(`.cards a[href="/referrals"]`)
			b.WaitVisible(`a[href$="/referrals/new"]`)
			check(t, b, "the volunteer's referrals ("+lang+")")
			b.Click(`a[href$="/referrals/new"]`)
			b.WaitVisible("#f-need")
			check(t, b, "the form ("+lang+")")
			// Without a category: the problem, at its place.
			b.SendKeys("#f-need", "Behöver mat, pnr 19811218-9876")
			b.Click(`main form .actions button`)
			b.WaitVisible("#problems")
			check(t, b, "the form with a problem ("+lang+")")
			b.Click(`input[name=category][value=food]`)
			b.Click(`input[name=urgency][value=urgent]`)
			b.Click(`#f-consent`)
			b.SendKeys("#f-contact", "Ring efter 16")
			b.Click(`main form .actions button`)
			b.WaitVisible(".flash")
			check(t, b, "after filing ("+lang+")")
			if got := b.Text("main"); strings.Contains(got, "9876") || strings.Contains(got, "Behöver mat") {
				t.Errorf("the volunteer's list shows the details: %q", got)
			}

			id := x.id(`SELECT MAX(id) FROM referrals`)
			c := browsertest.New(t)
			c.SetViewport(390, 844)
			signIn(c, x.s.URL, coord)
			c.SetLanguage(x.s.URL, lang)
			c.Visit(x.s.URL + "/referrals")
			check(t, c, "the coordinator's referrals ("+lang+")")
			c.Visit(x.s.URL + fmt.Sprintf("/referrals/%d", id))
			check(t, c, "a referral ("+lang+")")
			if got := c.Text("main"); !strings.Contains(got, "Behöver mat") || strings.Contains(got, "9876") {
				t.Errorf("the referral: %q", got)
			}
			c.Click(`form[action$="/contact"] button`)
			c.WaitVisible(`a[href^="/referrals/"]`)
			check(t, c, "its contact ("+lang+")")
			c.Visit(x.s.URL + fmt.Sprintf("/referrals/%d", id))
			c.Click(`form[action$="/move"] button`) // acknowledge
			c.WaitVisible(".flash")
			check(t, c, "an acknowledged referral with the close form ("+lang+")")
			closed := x.id(`SELECT MIN(r.id) FROM referrals r JOIN orgs o ON o.id = r.org_id WHERE o.name = $1 AND r.state = 'closed'`, demo.LabourMarket)
			c.Visit(x.s.URL + fmt.Sprintf("/referrals/%d", closed))
			check(t, c, "a closed referral ("+lang+")")

			a := browsertest.New(t)
			a.SetViewport(390, 844)
			signIn(a, x.s.URL, admin)
			a.SetLanguage(x.s.URL, lang)
			a.Visit(x.s.URL + "/referrals")
			a.Click(`a[href="/referrals/routes"]`)
			a.WaitVisible("#f-route_health")
			check(t, a, "the routing table ("+lang+")")
			if lang == "ar" {
				var dir string
				a.Eval(`document.documentElement.dir`, &dir)
				if dir != "rtl" {
					t.Errorf("the Arabic page's direction: %q", dir)
				}
			}
		})
	}
}
