package cocreation_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"megafon/cocreation"
	"megafon/cocreation/process"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var s []byte
	for ; i > 0; i /= 10 {
		s = append([]byte{byte('0' + i%10)}, s...)
	}
	return string(s)
}

// outbox is an e-mail queue that keeps what it was given.
type outbox struct {
	mu   sync.Mutex
	sent []string
}

func (o *outbox) SendsEmail() bool { return true }
func (o *outbox) QueueEmail(_ context.Context, to, subject, body string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, to+"|"+subject+"|"+body)
	return nil
}

func TestAFacilitatorInvitesByEmailAndSMSWithTheJoinLink(t *testing.T) {
	onBoth(t, func(t *testing.T, dialect db.Dialect) {
		mail := &outbox{}
		mod := &cocreation.Module{Mail: mail}
		s := webtest.New(t, dialect, false, mod)
		ctx := context.Background()
		id, err := mod.Store().CreateProcess(ctx, s.City.Orgs[demo.SocialAdmin].ID, process.NewProcess{Title: "Socialnämndens mål", Start: process.Day(s.App.Now())})
		if err != nil {
			t.Fatal(err)
		}
		if err := mod.Store().Translate(ctx, "en", map[process.TextRef]process.TranslationEdit{{Kind: "process", ID: id}: {Title: "Board goals"}}); err != nil {
			t.Fatal(err)
		}
		p, _ := mod.Store().Process(ctx, id)
		path := "/processes/" + itoa(int(id)) + "/invite"
		f := s.As("processledare@demo.megafon.se")

		page := f.Get(path + "?lang=en")
		if page.Status != 200 || !strings.Contains(page.Body, "sms:?&amp;body=") || !strings.Contains(webtest.Text(page.Body), "/join/"+p.JoinCode) {
			t.Fatalf("invite page %d: no SMS link or join link", page.Status)
		}

		bad := f.Post(path, webtest.Form("emails", "sara@example.se\nsara(at)example.se", "lang", "sv"))
		if bad.Status != 422 || !strings.Contains(webtest.Text(bad.Body), "sara(at)example.se") || len(mail.sent) != 0 {
			t.Fatalf("a wrong address: %d, %d queued", bad.Status, len(mail.sent))
		}
		if !strings.Contains(bad.Body, "sara@example.se\nsara(at)example.se") {
			t.Fatal("the addresses typed were lost")
		}

		ok := f.Post(path, webtest.Form("emails", "sara@example.se, ali@example.se", "lang", "en"))
		if ok.Status != 303 || len(mail.sent) != 2 {
			t.Fatalf("invite: %d, %d queued", ok.Status, len(mail.sent))
		}
		for _, m := range mail.sent {
			if !strings.Contains(m, "|Invitation: Board goals|") || !strings.Contains(m, "http://megafon.test/join/"+p.JoinCode) || !strings.Contains(m, "no password") {
				t.Fatalf("e-mail: %q", m)
			}
		}

		for _, who := range []string{"ledamot@demo.megafon.se", "samordnare@demo.megafon.se"} {
			if r := s.As(who).Post(path, webtest.Form("emails", "x@example.se")); r.Status != 403 && r.Status != 404 {
				t.Fatalf("%s invited: %d", who, r.Status)
			}
		}
		if len(mail.sent) != 2 {
			t.Fatalf("%d queued after refusals", len(mail.sent))
		}
	})
}

func TestWithoutAMailServerTheInvitePageSaysSoAndSendsNothing(t *testing.T) {
	onBoth(t, func(t *testing.T, dialect db.Dialect) {
		mod := &cocreation.Module{}
		s := webtest.New(t, dialect, false, mod)
		id, err := mod.Store().CreateProcess(context.Background(), s.City.Orgs[demo.SocialAdmin].ID, process.NewProcess{Title: "Mål", Start: process.Day(s.App.Now())})
		if err != nil {
			t.Fatal(err)
		}
		f := s.As("processledare@demo.megafon.se")
		path := "/processes/" + itoa(int(id)) + "/invite"
		want := s.App.Catalogue.T("sv", "cc.error.no_mail")
		if r := f.Get(path); r.Status != 200 || !strings.Contains(webtest.Text(r.Body), want) {
			t.Fatalf("page %d without the note", r.Status)
		}
		if r := f.Post(path, webtest.Form("emails", "a@example.se")); r.Status != 422 || !strings.Contains(webtest.Text(r.Body), want) {
			t.Fatalf("post %d", r.Status)
		}
	})
}

// onBoth runs fn on SQLite and PostgreSQL, in parallel.
func onBoth(t *testing.T, fn func(t *testing.T, dialect db.Dialect)) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			fn(t, dialect)
		})
	}
}
