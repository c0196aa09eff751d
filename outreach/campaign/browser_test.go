package campaign_test

import (
	"context"
	"strings"
	"testing"

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

// At phone width, in Swedish and English: a volunteer presses Next, sees
// the script in the resident's language, records "completed" with two
// answers and a question; a second volunteer never gets that contact.
// Every page passes axe-core.
func TestAVolunteerCallsFromHerPhone(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, db.SQLite)
			e.s.App.DB.Exec(context.Background(), `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina)
			b := browsertest.New(t)
			b.SetViewport(390, 844)
			signIn(b, e.s.URL, amina, demo.Passcode)
			b.SetLanguage(e.s.URL, lang)
			b.Visit(e.s.URL + e.path("/campaigns/%d/call"))
			b.AssertNoAxeViolations(t, "call start "+lang)
			b.Click(".next-button")
			b.WaitVisible(".who")
			screen := b.URL()
			if got := b.Text("#script-h + div h3"); got != "نص مكالمة التطعيم" {
				t.Errorf("script title %q, want the Arabic one", got)
			}
			b.AssertNoAxeViolations(t, "call screen "+lang)
			b.Click(`input[name=a0][value=yes]`)
			b.Click(`input[name=a1][value="Vårdcentralen"]`)
			b.Click(`input[name=outcome][value=completed]`)
			b.Click("details.asked > summary")
			b.SendKeys("#f-asked_text", "Kan jag välja vaccin?")
			b.Click(`input[name=asked_topics][value=vaccination]`)
			b.Click("#save")
			b.WaitVisible(".next-button")
			thanks := map[string]string{"sv": "Samtalet registrerades", "en": "The call was recorded"}[lang]
			if got := b.Text("main"); !strings.Contains(got, thanks) {
				t.Errorf("after recording: %q", got)
			}

			other := browsertest.New(t)
			other.SetViewport(390, 844)
			signIn(other, e.s.URL, lead, demo.Password)
			other.Visit(e.s.URL + e.path("/campaigns/%d/call"))
			other.Click(".next-button")
			other.WaitVisible("main")
			if other.URL() == screen {
				t.Fatalf("the second volunteer got the same contact: %s", screen)
			}

			desk := browsertest.New(t)
			desk.SetViewport(1280, 900)
			signIn(desk, e.s.URL, coord, demo.Password)
			desk.SetLanguage(e.s.URL, lang)
			for _, p := range []string{e.path("/campaigns/%d"), e.path("/campaigns/%d/edit"), "/campaigns"} {
				desk.Visit(e.s.URL + p)
				desk.AssertNoAxeViolations(t, p+" "+lang)
			}
		})
	}
}
