package campaign_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"megafon/outreach/campaign"
	"megafon/outreach/contact"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// With the real contact register (mounted after the campaigns, to show the
// order does not matter): a coordinator creates a campaign, its queue
// fills from the group's encrypted contacts, a volunteer calls one (the
// number decrypted on her screen and the view audited), and a resident who
// says "do not call again" leaves the queue and the register's list.
func TestCallingWithTheContactRegister(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			contacts := &contact.Module{}
			s := webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, handbookTables{}, &campaign.Module{}, contacts)
			ctx := context.Background()
			for _, m := range s.App.Modules() {
				if m.Name() == "operation" {
					if err := m.(*operation.Module).SeedDemo(ctx, s.App, s.City); err != nil {
						t.Fatal(err)
					}
				}
			}
			dm := s.City.Orgs[demo.DistrictMothers].ID
			lead := s.User(lead)
			for i, langs := range [][]string{{"ar"}, {"ar", "sv"}, {"so"}} {
				if _, err := contacts.Store().Add(ctx, dm, contact.NewContact{Phone: fmt.Sprintf("070-123 45 6%d", i), Name: fmt.Sprintf("Boende %d", i),
					Languages: langs, District: "Dalhem", Basis: contact.BasisConsent, RetainUntil: time.Now().AddDate(1, 0, 0)}, lead); err != nil {
					t.Fatal(err)
				}
			}
			var opID int64
			s.App.DB.QueryRow(ctx, `SELECT id FROM operations`).Scan(&opID)
			c := s.As(coord)
			form := webtest.Form("name", "Vaccin", "goal", "10", "starts_on", "2021-03-01", "ends_on", "2021-04-30", "languages", "ar",
				"groups", fmt.Sprint(dm), "lease_minutes", "15", "r_no_answer_max", "3", "r_no_answer_gap", "180")
			r := c.Post(fmt.Sprintf("/operations/%d/campaigns", opID), form)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("create: %d %s", r.Status, webtest.Text(r.Body))
			}
			if text := webtest.Text(c.Get(r.Location).Body); !strings.Contains(text, "Invånare i kön 2") {
				t.Fatalf("queue of the Arabic campaign: %s", text)
			}
			a := s.As(amina)
			var id int64
			s.App.DB.QueryRow(ctx, `SELECT id FROM campaigns`).Scan(&id)
			r = a.Post(fmt.Sprintf("/campaigns/%d/next", id), nil)
			screen := r.Location
			r = a.Get(screen)
			if r.Status != 200 || !strings.Contains(r.Body, `href="tel:&#43;46701234 56`) && !strings.Contains(r.Body, `href="tel:&#43;467012345`) {
				t.Fatalf("call screen: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if !strings.Contains(webtest.Text(r.Body), "Boende") {
				t.Errorf("no name on the call screen")
			}
			var audited int
			s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE subject LIKE 'contact:%'`).Scan(&audited)
			if audited == 0 {
				t.Error("revealing the number was not audited")
			}
			seq := callScreen.FindStringSubmatch(screen)[2]
			r = a.Post(strings.SplitN(screen, "?", 2)[0], webtest.Form("seq", seq, "outcome", "do_not_call"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("do not call: %d %s", r.Status, webtest.Text(r.Body))
			}
			cs, err := contacts.Store().ForGroups(ctx, []int64{dm})
			if err != nil || len(cs) != 2 {
				t.Fatalf("after do-not-call the register lists %d contacts (%v), want 2", len(cs), err)
			}
		})
	}
}
