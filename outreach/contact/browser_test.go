package contact_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"megafon/outreach/contact"
	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
)

func signIn(b *browsertest.Browser, base, login, secret string) {
	b.Visit(base + "/signin")
	b.SendKeys("#f-login", login)
	b.SendKeys("#f-secret", secret)
	b.Click("main form button")
	b.WaitVisible("footer.site form button")
}

// At phone width, in Swedish and English: a group lead maps the columns of
// an uploaded list, sees the preview, starts the import and watches it run
// to the end, finds the rejected rows with their row numbers and reasons,
// and reveals one number; a running import, the do-not-call list and the
// city's counts are shown too. Every page passes axe-core.
func TestAGroupLeadImportsAListFromHerPhone(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			x := newSite(t, db.SQLite)
			ctx := context.Background()
			x.contact(x.dm)
			if _, err := x.m.Store().AddDoNotCall(ctx, "0701234571", 0); err != nil {
				t.Fatal(err)
			}
			retain := time.Now().AddDate(1, 0, 0)
			draft, err := x.m.Importer().Upload(ctx, x.dm, x.s.User(lead), "lista.csv", []byte(messy), contact.BasisConsent, "samtycke", retain)
			if err != nil {
				t.Fatal(err)
			}
			running := x.draft(x.dm)
			// A run that has just committed a batch, in another process.
			if _, err := x.s.App.DB.Exec(ctx, `UPDATE contact_imports SET state = 'running', claim = 1, updated_at = $1 WHERE id = $2`,
				db.Now(time.Now()), running); err != nil {
				t.Fatal(err)
			}
			b := browsertest.New(t)
			b.SetViewport(390, 844)
			signIn(b, x.s.URL, lead, demo.Password)
			b.SetLanguage(x.s.URL, lang)
			for _, p := range []string{"/contacts", fmt.Sprintf("/contacts/groups/%d", x.dm), fmt.Sprintf("/contacts/groups/%d/new", x.dm),
				fmt.Sprintf("/contacts/groups/%d/do-not-call", x.dm), fmt.Sprintf("/contacts/groups/%d/imports", x.dm),
				fmt.Sprintf("/contacts/imports/%d", running)} {
				b.Visit(x.s.URL + p)
				b.AssertNoAxeViolations(t, p+" "+lang)
			}

			b.Visit(x.s.URL + fmt.Sprintf("/contacts/imports/%d", draft))
			b.AssertNoAxeViolations(t, "mapping and preview "+lang)
			if got := b.Text("main"); !strings.Contains(got, "klingon") || strings.Contains(got, "701234567") {
				t.Errorf("preview: %q", got)
			}
			b.SetValue("#f-col3", "") // the district is not imported
			b.Click(`button[name=then][value=start]`)
			// The page follows the import to its end: the running page (which
			// already lists rejected rows) reloads as the finished one.
			for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
				var running bool
				b.Eval(`!!document.querySelector("[data-import-progress]")`, &running)
				if !running {
					break
				}
				if time.Now().After(deadline) { // a bound on a hang, not a timing assertion
					t.Fatal("the import page never showed the finished import")
				}
			}
			b.WaitVisible(`a[href$="rejected.csv"]`)
			b.AssertNoAxeViolations(t, "finished import "+lang)
			got := b.Text("main")
			for _, want := range map[string][]string{
				"sv": {"Klar", "Inte ett användbart telefonnummer", "Står på spärrlistan"},
				"en": {"Finished", "Not a usable phone number", "On the do-not-call list"},
			}[lang] {
				if !strings.Contains(got, want) {
					t.Errorf("finished import: %q missing in %q", want, got)
				}
			}
			i, _ := x.m.Importer().Get(ctx, draft)
			if i.State != contact.StateDone || i.Imported != 4 || i.Rejected != 5 {
				t.Errorf("import %+v", i)
			}

			b.Visit(x.s.URL + fmt.Sprintf("/contacts/groups/%d", x.dm))
			b.Click(".card form button.link")
			b.WaitVisible(`a[href^="tel:"]`)
			b.AssertNoAxeViolations(t, "revealed number "+lang)

			city := browsertest.New(t)
			city.SetViewport(390, 844)
			signIn(city, x.s.URL, coord, demo.Password)
			city.SetLanguage(x.s.URL, lang)
			city.Visit(x.s.URL + "/contacts")
			city.AssertNoAxeViolations(t, "city counts "+lang)
			if got := city.Text("main"); strings.Contains(got, "•") {
				t.Errorf("the city sees a number: %q", got)
			}
		})
	}
}
