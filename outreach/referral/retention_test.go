package referral_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/referral"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// The retention job that the server runs (Mount with Retention set)
// deletes the contact of a referral closed longer ago than the retention
// time on its own, and leaves the open ones' alone.
func TestTheRetentionJobDeletesTheContactsOfLongClosedReferralsOnItsOwn(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			m := &referral.Module{Retention: 20 * time.Millisecond, ContactRetention: time.Hour}
			x := &site{t: t, s: webtest.New(t, dialect, true, &notify.Module{}, &operation.Module{}, m)}
			t.Cleanup(func() { referral.StopRetention(m) })
			ctx := context.Background()
			// A referral with a contact, closed now.
			f := referral.Filing{Category: referral.Money, Urgency: referral.Soon, Need: "x", Consent: true, Contact: "ring 0701234567", Key: strings.Repeat("ab", 16)}
			if _, err := f.Clean(); err != nil {
				t.Fatal(err)
			}
			opID := x.id(`SELECT id FROM operations WHERE name = $1`, operation.DemoName)
			closed, err := m.Store().File(ctx, x.s.User(volunteer), opID, x.s.City.Orgs[demo.DistrictMothers].ID, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, to := range []referral.State{referral.Acknowledged, referral.Closed} {
				if err := m.Store().Move(ctx, closed, x.s.User(coord), to, referral.Helped, nil, ""); err != nil {
					t.Fatal(err)
				}
			}
			open := x.newReferral(demo.LabourMarket)
			// Closed two hours ago: past the hour (the job runs on the real clock).
			if _, err := x.s.App.DB.Exec(ctx, `UPDATE referrals SET closed_at = $1 WHERE id = $2`, db.Now(time.Now().Add(-2*time.Hour)), closed); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) { // a bound on a hang, not a timing assertion
				if x.count(`SELECT COUNT(*) FROM referrals WHERE id = $1 AND contact_enc IS NULL AND contact_deleted_at IS NOT NULL`, closed) == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the retention job never deleted the contact")
				}
			}
			if n := x.count(`SELECT COUNT(*) FROM referrals WHERE id = $1 AND contact_enc IS NOT NULL`, open); n != 1 {
				t.Error("the retention job deleted an open referral's contact")
			}
		})
	}
}
