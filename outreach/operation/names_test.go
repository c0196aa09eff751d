package operation_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"megafon/platform/db"
	"megafon/platform/demo"
)

// A line break in an operation's name once made every e-mail about its
// level fail for good: names are one line, and an old bad name still
// reaches the outbox as one line.
func TestAnOperationsNameIsOneLineAndAnOldBadNameCannotPoisonTheOutbox(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s, _ := newServer(t, dialect)
			lead := s.City.Orgs[demo.CityManagement].ID
			form := func(name string) url.Values {
				return url.Values{"name": {name}, "starts_on": {"2021-04-01"}, "lead_org_id": {fmt.Sprint(lead)}, "level": {"1"}}
			}
			edit := url.Values{"name": {"Covid\r\nvecka 2"}, "starts_on": {"2021-04-01"}, "lead_org_id": {fmt.Sprint(s.City.Orgs[demo.LabourMarket].ID)}}
			const msg = "Skriv namnet på en rad utan styrtecken, högst 200 tecken."
			run(t, s, []step{
				{"a line break", otherCoord, "POST", "/operations", form("Covid\nBcc: alla@stad.se"), 422, []string{msg}, nil},
				{"a tab", otherCoord, "POST", "/operations", form("Covid\tvecka 2"), 422, []string{msg}, nil},
				{"too long", otherCoord, "POST", "/operations", form(strings.Repeat("n", 201)), 422, []string{msg}, nil},
				{"an edit too", leadCoord, "POST", "/operations/1", edit, 422, []string{msg}, nil},
			})
			ctx := context.Background()
			var n int
			s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM operations WHERE name LIKE '%Bcc%' OR name LIKE '%vecka 2%'`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d operations saved with a bad name", n)
			}
			// A name stored before the check.
			if _, err := s.App.DB.Exec(ctx, `UPDATE operations SET name = $1 WHERE id = 1`, "Covid-19\r\nBcc: alla@stad.se"); err != nil {
				t.Fatal(err)
			}
			s.App.DB.Exec(ctx, `UPDATE people SET email = 'amina@example.test' WHERE phone = $1`, volunteer)
			run(t, s, []step{
				{"the level changes", leadCoord, "POST", "/operations/1/level", url.Values{"level": {"3"}, "reason": {"Fler frågor"}}, 303, nil, nil},
			})
			rows, err := s.App.DB.Query(ctx, `SELECT subject FROM outbox`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			mails := 0
			for rows.Next() {
				var subject string
				rows.Scan(&subject)
				mails++
				if strings.ContainsAny(subject, "\r\n") || !strings.Contains(subject, "Covid-19 Bcc") {
					t.Errorf("queued subject %q", subject)
				}
			}
			if mails == 0 {
				t.Fatal("no e-mail was queued")
			}
		})
	}
}
