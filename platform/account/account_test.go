package account_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

const (
	admin       = "admin@demo.megafon.se"
	coordinator = "samordnare@demo.megafon.se"
	facilitator = "processledare@demo.megafon.se"
	boardMember = "ledamot@demo.megafon.se"
	lead        = "gruppledare@demo.megafon.se"
	otherLead   = "ledare@somaliska.demo.megafon.se"
	volunteer   = "+46701000001"
)

func each(t *testing.T, fn func(t *testing.T, s *webtest.Server)) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, webtest.New(t, d, false))
		})
	}
}

func mustContain(t *testing.T, r *webtest.Response, status int, texts ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d\n%s", r.Status, status, webtest.Text(r.Body))
	}
	body := webtest.Text(r.Body)
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("page does not say %q:\n%s", s, body)
		}
	}
}

func TestSignInSwitchLanguageAndSignOut(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		c := s.Client()
		mustContain(t, c.Get("/"), 200, "Välkommen till Megafon", "Logga in")

		r := c.Post("/signin", webtest.Form("login", coordinator, "secret", "fel lösenord"))
		mustContain(t, r, http.StatusUnprocessableEntity, "Fel e-post, telefonnummer, lösenord eller kod.")

		r = c.Post("/signin", webtest.Form("login", "", "secret", ""))
		mustContain(t, r, http.StatusUnprocessableEntity, "Fyll i det här fältet.")

		r = c.Post("/signin", webtest.Form("login", coordinator, "secret", demo.Password, "next", "/account"))
		if r.Status != http.StatusSeeOther || r.Location != "/account" {
			t.Fatalf("sign in: %d to %q", r.Status, r.Location)
		}
		mustContain(t, c.Get("/account"), 200, "Sara Samordnare", "Samordnare, Arbetsmarknadsförvaltningen")

		r = c.Post("/lang", webtest.Form("lang", "en", "next", "/account"))
		if r.Status != http.StatusSeeOther || r.Location != "/account" {
			t.Fatalf("switch language: %d to %q", r.Status, r.Location)
		}
		mustContain(t, c.Get("/account"), 200, "My account", "Coordinator, Arbetsmarknadsförvaltningen")

		// The choice is remembered in the profile: a new device signs in in English.
		other := s.As(coordinator)
		mustContain(t, other.Get("/"), 200, "Hello Sara Samordnare")

		r = c.Post("/signout", nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", r.Status)
		}
		r = c.Get("/account")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") {
			t.Fatalf("after sign-out /account: %d to %q, want the sign-in page", r.Status, r.Location)
		}
	})
}

func TestAVolunteerSignsInWithPhoneAndPasscode(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		c := s.Client()
		r := c.Post("/signin", webtest.Form("login", "070-100 00 01", "secret", demo.Passcode))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("sign in with a Swedish-format number: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		mustContain(t, c.Get("/"), 200, "Hej Amina Haddad", "Volontär, Stadsdelsmammorna")
	})
}

func TestSignOutEverywhereEndsEveryOtherSession(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		phone, laptop := s.As(lead), s.As(lead)
		mustContain(t, laptop.Get("/account"), 200, "Hodan Ali")
		if r := phone.Post("/account/signout-everywhere", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere: %d", r.Status)
		}
		if r := laptop.Get("/account"); r.Status != http.StatusSeeOther {
			t.Fatalf("the laptop is still signed in: %d", r.Status)
		}
	})
}

func TestBadRequestsGetClearMessagesNotErrors(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		c := s.As(coordinator)
		// Missing or wrong CSRF token.
		r := c.PostRaw("/account/signout-everywhere", url.Values{})
		mustContain(t, r, http.StatusForbidden, "Formuläret var för gammalt")
		r = c.PostRaw("/account/signout-everywhere", webtest.Form("csrf_token", "forged"))
		mustContain(t, r, http.StatusForbidden, "Formuläret var för gammalt")
		// An oversized form.
		r = c.Post("/signin", webtest.Form("login", strings.Repeat("x", 2<<20), "secret", "x"))
		mustContain(t, r, http.StatusRequestEntityTooLarge, "Det du skickade var för stort.")
		// An unknown interface language.
		r = c.Post("/lang", webtest.Form("lang", "xx"))
		mustContain(t, r, http.StatusBadRequest, "Gränssnittet finns inte på språket ”xx”")
		// A path id that is not a number, and one that does not exist.
		mustContain(t, c.Get("/orgs/abc"), http.StatusNotFound, "Sidan finns inte")
		mustContain(t, c.Get("/orgs/999999"), http.StatusNotFound, "Sidan finns inte")
		// JSON clients get JSON.
		req, _ := http.NewRequest("GET", s.URL+"/orgs/999999", nil)
		req.Header.Set("Accept", "application/json")
		r = c.Do(req)
		if r.Status != 404 || !strings.Contains(r.Body, `"code":"error.not_found"`) {
			t.Fatalf("JSON 404: %d %s", r.Status, r.Body)
		}
	})
}

func TestSignInIsThrottledAfterRepeatedFailures(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		c := s.Client()
		for i := 0; i < auth.DefaultThrottle.PerAccount; i++ {
			c.Post("/signin", webtest.Form("login", coordinator, "secret", "fel"))
		}
		r := c.Post("/signin", webtest.Form("login", coordinator, "secret", demo.Password))
		mustContain(t, r, http.StatusTooManyRequests, "För många misslyckade inloggningar")
		// The refusal is not audited: the failure that began the lockout says so.
		entries, err := s.App.Audit.List(context.Background(), auditFilter("signin_failed"))
		if err != nil || len(entries) != auth.DefaultThrottle.PerAccount || entries[0].Detail != "bad credentials; locked out" {
			t.Fatalf("audit has %d failed sign-ins (%v), want %d, the last saying locked out: %+v", len(entries), err, auth.DefaultThrottle.PerAccount, entries)
		}
	})
}

func TestAGroupLeadInvitesAVolunteerWhoSetsAPasscode(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		c := s.As(lead)
		mothers := s.City.Orgs[demo.DistrictMothers]
		path := "/orgs/" + itoa(mothers.ID)
		r := c.Post(path+"/invite", webtest.Form("name", "Nasra Abdi", "phone", "0702223344", "languages", "so, sv", "role", "volunteer", "secret_kind", "passcode"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("invite: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		page := c.Get(path)
		mustContain(t, page, 200, "Nasra Abdi", "Inbjuden")
		link := between(page.Body, `id="invite-link" type="text" readonly value="`, `"`)
		if !strings.HasPrefix(link, "http://megafon.test/invite/") {
			t.Fatalf("no invitation link on the page: %q", link)
		}
		invitePath := strings.TrimPrefix(link, "http://megafon.test")

		nasra := s.Client()
		mustContain(t, nasra.Get(invitePath), 200, "Hej Nasra Abdi!", "Välj en kod")
		r = nasra.Post(invitePath, webtest.Form("secret", "123456", "secret_again", "123456"))
		mustContain(t, r, http.StatusUnprocessableEntity, "Koden ska vara 8 till 12 siffror.")
		r = nasra.Post(invitePath, webtest.Form("secret", "12345678", "secret_again", "87654321"))
		mustContain(t, r, http.StatusUnprocessableEntity, "De två fälten är inte lika.")
		r = nasra.Post(invitePath, webtest.Form("secret", "24681012", "secret_again", "24681012"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("accept: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		mustContain(t, nasra.Get("/"), 200, "Välkommen! Ditt konto är klart", "Volontär, Stadsdelsmammorna")

		// The link works once.
		mustContain(t, s.Client().Get(invitePath), http.StatusGone, "Inbjudningslänken har redan använts.")
		mustContain(t, s.Client().Get("/invite/forged-token"), http.StatusNotFound, "Inbjudningslänken finns inte.")
		// Bad input in the invitation form is shown beside the fields.
		r = c.Post(path+"/invite", webtest.Form("name", "", "phone", "12", "languages", "klingon!", "role", "volunteer"))
		mustContain(t, r, http.StatusUnprocessableEntity, "Fyll i det här fältet.", "Skriv ett telefonnummer", "”klingon!” är ingen språkkod")
		// A group lead cannot make a coordinator, nor invite into another group.
		r = c.Post(path+"/invite", webtest.Form("name", "X", "email", "x@example.se", "role", "coordinator"))
		mustContain(t, r, http.StatusUnprocessableEntity, "Välj ett av alternativen.")
		other := s.City.Orgs[demo.SomaliAssoc]
		r = c.Post("/orgs/"+itoa(other.ID)+"/invite", webtest.Form("name", "X", "email", "x@example.se", "role", "volunteer"))
		if r.Status != http.StatusNotFound {
			t.Fatalf("invite into another group: %d, want 404", r.Status)
		}
	})
}

func TestTheAdministratorReadsTheAuditLog(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		s.Client().Post("/signin", webtest.Form("login", lead, "secret", "fel"))
		c := s.As(admin)
		mustContain(t, c.Get("/audit"), 200, "Granskningslogg", "Misslyckad inloggning", "Inloggning", "Alva Admin")
		r := c.Get("/audit?action=signin_failed")
		body := webtest.Text(r.Body)
		if !strings.Contains(body, "login:"+lead) || strings.Contains(body, "person:") {
			t.Fatalf("filtered audit log:\n%s", body)
		}
		mustContain(t, c.Get("/audit?from=yesterday"), http.StatusUnprocessableEntity, "Skriv ett datum")
	})
}

func TestLanguageNamesInTheirOwnScriptRunRightToLeft(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		r := s.As(volunteer).Get("/account")
		if !strings.Contains(r.Body, `<span lang="ar" dir="rtl">العربية</span>`) {
			t.Fatalf("the Arabic name of Arabic is not marked right-to-left:\n%s", r.Body)
		}
	})
}
