package notify_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"megafon/outreach/notify"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

func TestEveryoneSignedInReadsOnlyHerOwnNotifications(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s := webtest.New(t, dialect, false, &notify.Module{})
			amina := s.User("+46701000001")
			err := s.App.DB.Tx(context.Background(), func(tx *sql.Tx) error {
				return notify.Add(context.Background(), tx, time.Now(), s.App.Catalogue.T, "", "notify.title",
					[]notify.Recipient{{PersonID: amina.ID, Lang: "sv"}}, notify.Message{Key: "notify.none"})
			})
			if err != nil {
				t.Fatal(err)
			}
			// Role by route: every signed-in person has the page; signed out
			// goes to sign in.
			for _, c := range []struct {
				who, method, path string
				want              int
			}{
				{"", "GET", "/notifications", 303},
				{"", "POST", "/notifications/read", 401},
				{"admin@demo.megafon.se", "GET", "/notifications", 200},
				{"samordnare@demo.megafon.se", "GET", "/notifications", 200},
				{"processledare@demo.megafon.se", "GET", "/notifications", 200},
				{"ledamot@demo.megafon.se", "GET", "/notifications", 200},
				{"gruppledare@demo.megafon.se", "POST", "/notifications/read", 303},
				{"+46701000002", "GET", "/notifications", 200},
				{"", "POST", "/notifications/channels", 401},
				{"admin@demo.megafon.se", "POST", "/notifications/channels", 303},
				{"ledamot@demo.megafon.se", "POST", "/notifications/channels", 303},
				{"+46701000002", "POST", "/notifications/channels", 303},
			} {
				c0 := s.Client()
				if c.who != "" {
					c0 = s.As(c.who)
				}
				var got int
				if c.method == "POST" {
					got = c0.Post(c.path, nil).Status
				} else {
					got = c0.Get(c.path).Status
				}
				if got != c.want {
					t.Errorf("%s %s as %q: %d, want %d", c.method, c.path, c.who, got, c.want)
				}
			}
			a := s.As("+46701000001")
			if r := a.Get("/notifications"); !strings.Contains(r.Body, "Markera alla som lästa") {
				t.Fatalf("Amina's notice missing:\n%s", webtest.Text(r.Body))
			}
			if r := s.As("+46701000002").Get("/notifications"); strings.Contains(r.Body, "Markera alla") {
				t.Fatal("another volunteer sees Amina's notice")
			}
			a.Post("/notifications/read", nil)
			if r := a.Get("/notifications"); strings.Contains(r.Body, "Markera alla som lästa") {
				t.Fatal("still unread after marking read")
			}
		})
	}
}

// A person chooses her own channels on the notifications page; the form
// names nobody, so nobody can set another's; a channel she cannot be
// reached by, or a value no checkbox sends, is refused with 422.
func TestEachPersonChoosesHerOwnChannels(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s := webtest.New(t, dialect, false, &notify.Module{})
			ctx := context.Background()
			store := &notify.Store{DB: s.App.DB, Now: time.Now}
			amina, fadumo, lead := s.User("+46701000001"), s.User("+46701000002"), s.User("gruppledare@demo.megafon.se")
			a := s.As("+46701000001")
			r := a.Get("/notifications")
			if r.Status != 200 || !strings.Contains(r.Body, `name="sms"`) || !strings.Contains(r.Body, "Du har ingen e-postadress i ditt konto") {
				t.Fatalf("the form: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control %q", cc)
			}
			for _, c := range []struct {
				name string
				form []string
			}{
				{"e-mail without an address", []string{"email", "1"}},
				{"a value no checkbox sends", []string{"sms", "yes"}},
				{"a long value", []string{"email", strings.Repeat("1", 5000)}},
			} {
				if r := a.Post("/notifications/channels", webtest.Form(c.form...)); r.Status != 422 {
					t.Errorf("%s: %d, want 422", c.name, r.Status)
				}
			}
			// Someone else's id in the form changes nothing but her own.
			if r := a.Post("/notifications/channels", webtest.Form("sms", "1", "person_id", fmt.Sprint(fadumo.ID))); r.Status != 303 {
				t.Fatalf("choose SMS: %d %s", r.Status, webtest.Text(r.Body))
			}
			if c, _ := store.Channels(ctx, amina.ID, amina.Email); !c.SMS || c.Email || !c.Chosen {
				t.Errorf("Amina's choice: %+v", c)
			}
			if c, _ := store.Channels(ctx, fadumo.ID, fadumo.Email); c.Chosen || c.SMS {
				t.Errorf("Fadumo's choice changed: %+v", c)
			}
			if r := a.Get("/notifications"); !strings.Contains(r.Body, `name="sms" value="1" checked`) {
				t.Errorf("the saved choice is not shown:\n%s", r.Body)
			}
			// The group lead has an address: by default e-mail, and she may turn it off.
			if c, _ := store.Channels(ctx, lead.ID, lead.Email); !c.Email || c.SMS {
				t.Errorf("the lead's default: %+v", c)
			}
			if r := s.As("gruppledare@demo.megafon.se").Post("/notifications/channels", nil); r.Status != 303 {
				t.Fatalf("turn e-mail off: %d", r.Status)
			}
			if c, _ := store.Channels(ctx, lead.ID, lead.Email); c.Email || !c.Chosen {
				t.Errorf("the lead's choice: %+v", c)
			}
		})
	}
}
