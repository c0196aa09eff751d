package question_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// When the city's answer is verified, every caller of the operation hears
// of it: in the app, and by e-mail or SMS where she chose them; and a
// volunteer who opened the handbook before sees the answer there as new
// since her last visit.
func TestAVerifiedAnswerReachesEveryCallerAsSheChose(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			qm, hm := &question.Module{}, &handbook.Module{}
			s := webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, hm, qm)
			var clock atomic.Pointer[time.Time]
			start := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
			clock.Store(&start)
			s.App.Now = func() time.Time { return *clock.Load() }
			ctx := context.Background()
			for _, m := range s.App.Modules() {
				if op, ok := m.(*operation.Module); ok {
					if err := op.SeedDemo(ctx, s.App, s.City); err != nil {
						t.Fatal(err)
					}
				}
			}
			var opID int64
			if err := s.App.DB.QueryRow(ctx, `SELECT id FROM operations ORDER BY id LIMIT 1`).Scan(&opID); err != nil {
				t.Fatal(err)
			}
			amina, fadumo, coord := s.User("+46701000001"), s.User("+46701000002"), s.User("samordnare@demo.megafon.se")
			// Amina wants SMS; Fadumo chose nothing and has no address.
			if r := s.As("+46701000001").Post("/notifications/channels", webtest.Form("sms", "1")); r.Status != 303 {
				t.Fatalf("Amina's choice: %d", r.Status)
			}
			// Her shift yesterday: she read the handbook.
			if r := s.As("+46701000001").Get(fmt.Sprintf("/operations/%d/handbook", opID)); r.Status != 200 {
				t.Fatalf("handbook: %d", r.Status)
			}
			later := start.Add(20 * time.Hour)
			clock.Store(&later)

			d := question.Draft{OperationID: opID, Source: question.FromVolunteer, AskedBy: amina.ID, OrgID: s.City.Orgs[demo.DistrictMothers].ID,
				Language: "ar", Text: "هل اللقاح مجاني للأطفال؟", Summary: "Är vaccinet gratis för barn?", Escalate: true}
			if _, err := d.Clean(); err != nil {
				t.Fatal(err)
			}
			qid, _, err := qm.Store().Record(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			hb := hm.Store()
			entry, err := qm.Store().AnswerNew(ctx, hb, qid, coord, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"vaccination"}, ValidUntil: "2099-12-31",
				Translations: []handbook.Translation{{Lang: "sv", Title: "Vaccinet är gratis för barn", Body: "Ja, för alla barn från 12 år."}}})
			if err != nil {
				t.Fatal(err)
			}
			if err := hb.Move(ctx, coord, entry, handbook.Submit); err != nil {
				t.Fatal(err)
			}
			// Nobody hears of a draft.
			var n int
			s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE msg_key = 'question.notice.answered'`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d notices before the answer was verified", n)
			}
			if err := hb.Move(ctx, coord, entry, handbook.Verify); err != nil {
				t.Fatal(err)
			}

			link := fmt.Sprintf("/handbook/%d", entry)
			for _, who := range []int64{amina.ID, fadumo.ID, coord.ID} {
				var got string
				if err := s.App.DB.QueryRow(ctx, `SELECT link FROM notifications WHERE person_id = $1 AND msg_key = 'question.notice.answered'`, who).Scan(&got); err != nil || got != link {
					t.Errorf("person %d: notice %q %v, want a link to %s", who, got, err, link)
				}
			}
			rows, err := s.App.DB.Query(ctx, `SELECT person_id, channel, to_addr, body FROM outbox ORDER BY person_id, channel`)
			if err != nil {
				t.Fatal(err)
			}
			channels := map[int64][]string{}
			for rows.Next() {
				var id int64
				var ch, to, body string
				if err := rows.Scan(&id, &ch, &to, &body); err != nil {
					t.Fatal(err)
				}
				channels[id] = append(channels[id], ch+" "+to)
				if !strings.Contains(body, "http://megafon.test"+link) {
					t.Errorf("%s to %d without the link: %q", ch, id, body)
				}
			}
			rows.Close()
			if got := strings.Join(channels[amina.ID], ","); got != "sms +46701000001" {
				t.Errorf("Amina's channels: %q, want her SMS only", got)
			}
			if got := channels[fadumo.ID]; len(got) != 0 {
				t.Errorf("Fadumo chose nothing and has no address, yet: %v", got)
			}
			if got := strings.Join(channels[coord.ID], ","); got != "email samordnare@demo.megafon.se" {
				t.Errorf("the coordinator's channels: %q, want e-mail by default", got)
			}

			// At her next shift the answer is new in her handbook, and the
			// notice's link opens it.
			a := s.As("+46701000001")
			page := a.Get(fmt.Sprintf("/operations/%d/handbook", opID)).Body
			i := strings.Index(page, "Vaccinet är gratis för barn")
			if i < 0 || !strings.Contains(page[i:i+200], "Nytt") {
				t.Errorf("the answer is not new in her handbook:\n%s", webtest.Text(page))
			}
			if r := a.Get(link); r.Status != 200 || !strings.Contains(r.Body, "Vaccinet är gratis för barn") {
				t.Errorf("the notice's link: %d", r.Status)
			}
			// Once seen, it is no longer new.
			page = a.Get(fmt.Sprintf("/operations/%d/handbook", opID)).Body
			if i := strings.Index(page, "Vaccinet är gratis för barn"); i < 0 || strings.Contains(page[i:i+200], "Nytt") {
				t.Errorf("still new after her visit")
			}
		})
	}
}
