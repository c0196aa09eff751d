package account_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web"
	"megafon/platform/web/webtest"
)

// outbox stands for the notify module's e-mail outbox.
type outbox struct {
	mu   sync.Mutex
	sent map[string][]string // address -> bodies
}

func (*outbox) Name() string                { return "outbox" }
func (*outbox) Migrations() []db.Migrations { return nil }
func (*outbox) Mount(*web.App)              {}
func (*outbox) SendsEmail() bool            { return true }
func (o *outbox) QueueEmail(_ context.Context, to, _, body string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sent == nil {
		o.sent = map[string][]string{}
	}
	o.sent[to] = append(o.sent[to], body)
	return nil
}

func (o *outbox) link(to string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.sent[to]) == 0 {
		return ""
	}
	return strings.TrimPrefix(between(o.sent[to][len(o.sent[to])-1]+" ", "http://megafon.test", "\n"), "")
}

func inviteLinkOn(page *webtest.Response) string {
	return between(page.Body, `id="invite-link" type="text" readonly value="`, `"`)
}

func TestAGroupLeadWhoInvitesAPendingAdministratorGetsNoLinkToHerAccount(t *testing.T) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mail := &outbox{}
			s := webtest.New(t, d, false, mail)
			cityMgmt := "/orgs/" + itoa(s.City.Orgs[demo.CityManagement].ID)
			mothers := "/orgs/" + itoa(s.City.Orgs[demo.DistrictMothers].ID)

			alva := s.As(admin)
			if r := alva.Post(cityMgmt+"/invite", webtest.Form("name", "Nora Nilsson", "email", "nora@example.se", "role", "admin")); r.Status != http.StatusSeeOther {
				t.Fatalf("invite an administrator: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			adminsLink := strings.TrimPrefix(inviteLinkOn(alva.Get(cityMgmt)), "http://megafon.test")
			if adminsLink == "" {
				t.Fatal("the administrator got no link for a new person")
			}

			hodan := s.As(lead)
			if r := hodan.Post(mothers+"/invite", webtest.Form("name", "Nora", "email", "NORA@example.se", "role", "volunteer")); r.Status != http.StatusSeeOther {
				t.Fatalf("invite her address: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			page := hodan.Get(mothers)
			mustContain(t, page, 200, "en ny inbjudan har skickats till hennes e-postadress")
			if link := inviteLinkOn(page); link != "" || strings.Contains(page.Body, "/invite/") {
				t.Fatalf("the group lead was shown a link to the pending administrator: %q", link)
			}

			mailed := mail.link("nora@example.se")
			if !strings.HasPrefix(mailed, "/invite/") {
				t.Fatalf("no invitation went to her own address: %q", mailed)
			}
			nora := s.Client()
			if r := nora.Post(mailed, webtest.Form("secret", "ett långt lösenord", "secret_again", "ett långt lösenord")); r.Status != http.StatusSeeOther {
				t.Fatalf("accept the mailed link: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			// Once she has an account, no other link of hers works.
			mustContain(t, s.Client().Get(adminsLink), http.StatusGone, "Inbjudningslänken har redan använts.")
			r := s.Client().Post(adminsLink, webtest.Form("secret", "ett annat långt lösenord", "secret_again", "ett annat långt lösenord"))
			if r.Status != http.StatusGone {
				t.Fatalf("accepting the older link: %d, want 410", r.Status)
			}
			entries, err := s.App.Audit.List(context.Background(), auditFilter("invite_accept"))
			if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, "by person:"+itoa(s.User(lead).ID)) || !strings.Contains(entries[0].Detail, "invitation ") {
				t.Fatalf("the audit does not say which invitation and whose: %+v %v", entries, err)
			}
		})
	}
}

func TestWithoutEmailInvitingAPendingPersonShowsNoLink(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		cityMgmt := "/orgs/" + itoa(s.City.Orgs[demo.CityManagement].ID)
		mothers := "/orgs/" + itoa(s.City.Orgs[demo.DistrictMothers].ID)
		s.As(admin).Post(cityMgmt+"/invite", webtest.Form("name", "Nora Nilsson", "email", "nora@example.se", "role", "admin"))
		hodan := s.As(lead)
		if r := hodan.Post(mothers+"/invite", webtest.Form("name", "Nora", "email", "nora@example.se", "role", "volunteer")); r.Status != http.StatusSeeOther {
			t.Fatalf("invite her address: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		page := hodan.Get(mothers)
		mustContain(t, page, 200, "hon använder inbjudan hon redan har")
		if strings.Contains(page.Body, "/invite/") {
			t.Fatal("the group lead was shown a link to the pending administrator")
		}
	})
}

// TestAnAccountSetUpThroughAWeakerLinkLosesItsPasswordWhenGivenMore: a
// group lead invited a future coordinator's address as a volunteer,
// accepted the link herself, and when an administrator later made that
// address a coordinator she was signed in as one. The password only
// proved she held the lead's link; the address's owner now sets a new one.
func TestAnAccountSetUpThroughAWeakerLinkLosesItsPasswordWhenGivenMore(t *testing.T) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mail := &outbox{}
			s := webtest.New(t, d, false, mail)
			cityMgmt := "/orgs/" + itoa(s.City.Orgs[demo.CityManagement].ID)
			mothers := "/orgs/" + itoa(s.City.Orgs[demo.DistrictMothers].ID)
			const password = "ett långt lösenord 2026"
			signIn := func() int {
				r := s.Client().Post("/signin", webtest.Form("login", "ny.samordnare@example.se", "secret", password))
				return r.Status
			}

			hodan := s.As(lead)
			if r := hodan.Post(mothers+"/invite", webtest.Form("name", "Ny", "email", "ny.samordnare@example.se", "role", "volunteer")); r.Status != http.StatusSeeOther {
				t.Fatalf("the lead invites the address: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			link := strings.TrimPrefix(inviteLinkOn(hodan.Get(mothers)), "http://megafon.test")
			squatter := s.Client()
			if r := squatter.Post(link, webtest.Form("secret", password, "secret_again", password)); r.Status != http.StatusSeeOther {
				t.Fatalf("the lead accepts her own link: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if got := signIn(); got != http.StatusSeeOther {
				t.Fatalf("the lead's password before: %d", got)
			}

			alva := s.As(admin)
			if r := alva.Post(cityMgmt+"/invite", webtest.Form("name", "Ny Samordnare", "email", "ny.samordnare@example.se", "role", "coordinator")); r.Status != http.StatusSeeOther {
				t.Fatalf("the administrator makes the address a coordinator: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			mustContain(t, alva.Get(cityMgmt), 200, "lösenord har tagits bort")
			if got := signIn(); got == http.StatusSeeOther {
				t.Fatal("the password set through the lead's link still signs in, now as a coordinator")
			}
			if r := squatter.Get("/account"); r.Status == http.StatusOK {
				t.Error("the session opened with the lead's link still works")
			}
			if mailed := mail.link("ny.samordnare@example.se"); !strings.HasPrefix(mailed, "/invite/") {
				t.Errorf("no new link went to the address: %q", mailed)
			}
		})
	}
}
