package contact_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"megafon/outreach/contact"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// The retention job that the server runs (Mount with Retention set) deletes
// a contact on its own once her retention date has passed, and an upload
// nobody started within a week, without anyone calling DeleteExpired.
func TestTheRetentionJobDeletesExpiredContactsOnItsOwn(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			passes := make(chan int, 1)
			m := &contact.Module{Retention: 20 * time.Millisecond}
			contact.WatchRetention(m, func(n int, err error) {
				if err != nil {
					n = -1
				}
				select {
				case passes <- n:
				default: // the test is not listening
				}
			})
			x := &site{t: t, m: m}
			x.s = webtest.New(t, dialect, false, m)
			t.Cleanup(func() { contact.StopRetention(m) })
			x.dm = x.s.City.Orgs[demo.DistrictMothers].ID
			ctx := context.Background()
			kept, expired := x.contact(x.dm), x.contact(x.dm)
			draft, started := x.draft(x.dm), x.draft(x.dm)
			if err := m.Importer().Run(ctx, started); err != nil {
				t.Fatal(err)
			}
			// Their dates pass (the job runs on the real clock).
			past := db.Now(time.Now().Add(-time.Minute))
			// The uploads first: the pass that deletes the contact sees both.
			if _, err := x.s.App.DB.Exec(ctx, `UPDATE contact_imports SET updated_at = $1 WHERE id IN ($2, $3)`,
				past.Add(-contact.AbandonedAfter), draft, started); err != nil {
				t.Fatal(err)
			}
			if _, err := x.s.App.DB.Exec(ctx, `UPDATE contacts SET retain_until = $1 WHERE id = $2`, past, expired); err != nil {
				t.Fatal(err)
			}
			deadline := time.After(time.Minute) // a safety net, not a measurement
			for gone := false; !gone; {
				select {
				case n := <-passes:
					if n < 0 {
						t.Fatal("a retention pass failed")
					}
					_, err := m.Store().Get(ctx, expired)
					gone = errors.Is(err, db.ErrNotFound)
				case <-deadline:
					t.Fatal("the retention job never deleted the expired contact")
				}
			}
			if _, err := m.Store().Get(ctx, kept); err != nil {
				t.Errorf("a contact within her date: %v", err)
			}
			if _, err := m.Importer().Get(ctx, draft); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("an abandoned upload is kept: %v", err)
			}
			if i, err := m.Importer().Get(ctx, started); err != nil || i.State != contact.StateDone {
				t.Errorf("a finished import's record: %+v %v", i, err)
			}
		})
	}
}
