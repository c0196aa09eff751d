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
	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// With the real contact register: residents who asked to hear the answer
// but were since blocked (by another group's "do not call", which holds
// for every group) or deleted are never called back; the one still in
// the register is.
func TestACallbackAsksTheRegisterWhetherTheResidentMayStillBeCalled(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			contacts := &contact.Module{}
			qm := &question.Module{}
			s := webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, handbookTables{}, qm, contacts, &campaign.Module{})
			ctx := context.Background()
			for _, m := range s.App.Modules() {
				if m.Name() == "operation" {
					if err := m.(*operation.Module).SeedDemo(ctx, s.App, s.City); err != nil {
						t.Fatal(err)
					}
				}
			}
			dm, som := s.City.Orgs[demo.DistrictMothers].ID, s.City.Orgs[demo.SomaliAssoc].ID
			add := func(org int64, phone, login string) int64 {
				id, err := contacts.Store().Add(ctx, org, contact.NewContact{Phone: phone, Languages: []string{"ar"}, Basis: contact.BasisConsent,
					RetainUntil: time.Now().AddDate(1, 0, 0)}, s.User(login))
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			blocked, deleted, kept := add(dm, "0701234560", lead), add(dm, "0701234561", lead), add(dm, "0701234562", lead)
			somCopy := add(som, "0701234560", otherLead) // the blocked resident, in another group
			var opID int64
			s.App.DB.QueryRow(ctx, `SELECT id FROM operations`).Scan(&opID)
			r := s.As(coord).Post(fmt.Sprintf("/operations/%d/campaigns", opID), webtest.Form("name", "Vaccin", "goal", "10", "starts_on", "2021-03-01",
				"ends_on", "2021-04-30", "languages", "ar", "groups", fmt.Sprint(dm), "lease_minutes", "15", "r_no_answer_max", "3", "r_no_answer_gap", "180"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("create: %d %s", r.Status, webtest.Text(r.Body))
			}
			var id int64
			s.App.DB.QueryRow(ctx, `SELECT id FROM campaigns`).Scan(&id)
			a := s.As(amina)
			asked := map[int64]string{} // contact -> queue entry
			for range 3 {
				r := a.Post(fmt.Sprintf("/campaigns/%d/next", id), nil)
				m := callScreen.FindStringSubmatch(r.Location)
				if m == nil {
					t.Fatalf("Next: %d %s", r.Status, r.Location)
				}
				var cid int64
				s.App.DB.QueryRow(ctx, `SELECT contact_id FROM campaign_queue WHERE id = $1`, m[1]).Scan(&cid)
				asked[cid] = m[1]
				r = a.Post(strings.SplitN(r.Location, "?", 2)[0], webtest.Form("seq", m[2], "outcome", "completed",
					"asked_text", "هل اللقاح مجاني؟", "escalate", "1", "asked_summary", "Är vaccinet gratis?", "callback_ok", "1"))
				if r.Status != http.StatusSeeOther {
					t.Fatalf("record: %d %s", r.Status, webtest.Text(r.Body))
				}
			}
			if err := contacts.CampaignContacts().DoNotCall(ctx, somCopy, s.User(otherLead)); err != nil {
				t.Fatal(err)
			}
			if err := contacts.Store().Delete(ctx, deleted); err != nil {
				t.Fatal(err)
			}
			// The city answers them all at once: merged into one.
			coordinator := s.User(coord)
			var qs []int64
			rows, _ := s.App.DB.Query(ctx, `SELECT id FROM resident_questions WHERE summary = 'Är vaccinet gratis?' ORDER BY id`)
			for rows.Next() {
				var q int64
				rows.Scan(&q)
				qs = append(qs, q)
			}
			rows.Close()
			if len(qs) != 3 {
				t.Fatalf("%d questions", len(qs))
			}
			if err := qm.Store().Merge(ctx, qs[0], qs[1:], coordinator); err != nil {
				t.Fatal(err)
			}
			hb := handbook.NewStore(s.App.DB, s.App.Now)
			entry, err := hb.CreateEntry(ctx, coordinator, opID, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"vaccination"}, ValidUntil: "2099-12-31",
				Translations: []handbook.Translation{{Lang: "sv", Title: "Vaccinet är gratis", Body: "Ja."}, {Lang: "ar", Title: "اللقاح مجاني", Body: "نعم."}}})
			if err != nil {
				t.Fatal(err)
			}
			for _, act := range []handbook.Action{handbook.Submit, handbook.Verify} {
				if err := hb.Move(ctx, coordinator, entry, act); err != nil {
					t.Fatal(err)
				}
			}
			if err := qm.Store().AnswerWith(ctx, qs[0], entry, coordinator, true); err != nil {
				t.Fatal(err)
			}
			var queues []string
			rows, _ = s.App.DB.Query(ctx, `SELECT queue_id FROM campaign_answer_callbacks`)
			for rows.Next() {
				var q string
				rows.Scan(&q)
				queues = append(queues, q)
			}
			rows.Close()
			if len(queues) != 1 || queues[0] != asked[kept] {
				t.Fatalf("callbacks on entries %v; want only %s (blocked %s, deleted %s)", queues, asked[kept], asked[blocked], asked[deleted])
			}
			r = a.Post(fmt.Sprintf("/campaigns/%d/next", id), nil)
			if m := callScreen.FindStringSubmatch(r.Location); m == nil || m[1] != asked[kept] {
				t.Fatalf("Next: %s, want the callback to %s", r.Location, asked[kept])
			}
			if r := a.Get(r.Location); !strings.Contains(r.Body, "اللقاح مجاني") {
				t.Errorf("the callback's screen lacks the answer:\n%s", webtest.Text(r.Body))
			}
		})
	}
}
