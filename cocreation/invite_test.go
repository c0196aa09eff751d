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

func TestParseAddresses(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
		problem  string
	}{
		{"one a line", "sara@example.se\nali@example.se\n", []string{"sara@example.se", "ali@example.se"}, ""},
		{"commas, semicolons and spaces", "a@x.se, b@x.se; c@x.se d@x.se", []string{"a@x.se", "b@x.se", "c@x.se", "d@x.se"}, ""},
		{"pasted from a mail program", "Sara Ek <sara@example.se>; \"Ali, A\" <ali@example.se>", []string{"sara@example.se", "ali@example.se"}, ""},
		{"repeats once, whatever the case", "a@x.se\nA@X.SE\n a@x.se ", []string{"a@x.se"}, ""},
		{"a wrong address refuses all", "a@x.se\nnot-an-address\nb@localhost", nil, "cc.error.bad_emails"},
		{"nothing", " \n ,; ", nil, "cc.error.no_emails"},
		{"too many", strings.Repeat("x@y.se\n", 1) + manyAddresses(process.MaxInvitations+1), nil, "cc.error.many_emails"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := process.ParseAddresses(c.in)
			if key := problemKey(err); key != c.problem {
				t.Fatalf("problem %q, want %q (%v)", key, c.problem, err)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func manyAddresses(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("p" + strings.Repeat("a", i%7) + string(rune('a'+i%26)) + itoa(i) + "@example.se\n")
	}
	return b.String()
}

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

// FuzzParseAddresses: whatever is pasted, no panic, and what comes back is
// either a problem or 1..MaxInvitations distinct addresses with an @.
func FuzzParseAddresses(f *testing.F) {
	for _, s := range []string{"a@x.se", "Sara <s@x.se>; b@x.se", "\"a,b\" <c@d.se>", "<>", "@", "a@b@c", "\x00\xff", "a@x.se\r\nb@x.se"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := process.ParseAddresses(in)
		if err != nil {
			if got != nil {
				t.Fatalf("addresses with a problem: %q", got)
			}
			return
		}
		if len(got) == 0 || len(got) > process.MaxInvitations {
			t.Fatalf("%d addresses", len(got))
		}
		seen := map[string]bool{}
		for _, a := range got {
			if !strings.Contains(a, "@") || strings.ContainsAny(a, "\r\n") || seen[strings.ToLower(a)] {
				t.Fatalf("address %q in %q", a, got)
			}
			seen[strings.ToLower(a)] = true
		}
	})
}
