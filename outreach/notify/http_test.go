package notify_test

import (
	"context"
	"database/sql"
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
