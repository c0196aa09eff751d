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
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// revealSite is a campaign of District Mothers over three contacts of the
// real register, in Arabic, Somali and Swedish, so that Amina and Fadumo
// can each hold one.
type revealSite struct {
	s        *webtest.Server
	campaign int64
	names    map[int64]string // contact id → name
}

func newRevealSite(t *testing.T, dialect db.Dialect, contacts *contact.Module) *revealSite {
	t.Helper()
	s := webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, handbookTables{}, &question.Module{}, contacts, &campaign.Module{})
	ctx := context.Background()
	for _, m := range s.App.Modules() {
		if m.Name() == "operation" {
			if err := m.(*operation.Module).SeedDemo(ctx, s.App, s.City); err != nil {
				t.Fatal(err)
			}
		}
	}
	x := &revealSite{s: s, names: map[int64]string{}}
	dm := s.City.Orgs[demo.DistrictMothers].ID
	for i, langs := range [][]string{{"ar"}, {"so"}, {"ar"}} {
		name := fmt.Sprintf("Boende %d", i)
		id, err := contacts.Store().Add(ctx, dm, contact.NewContact{Phone: fmt.Sprintf("070-123 45 6%d", i), Name: name,
			Languages: langs, District: "Dalhem", Basis: contact.BasisConsent, RetainUntil: time.Now().AddDate(1, 0, 0)}, s.User(lead))
		if err != nil {
			t.Fatal(err)
		}
		x.names[id] = name
	}
	var opID int64
	s.App.DB.QueryRow(ctx, `SELECT id FROM operations`).Scan(&opID)
	r := s.As(coord).Post(fmt.Sprintf("/operations/%d/campaigns", opID), webtest.Form("name", "Vaccin", "goal", "10", "starts_on", "2021-03-01", "ends_on", "2021-04-30",
		"languages", "ar", "languages", "so", "groups", fmt.Sprint(dm), "lease_minutes", "15", "r_no_answer_max", "3", "r_no_answer_gap", "180"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Status, webtest.Text(r.Body))
	}
	s.App.DB.QueryRow(ctx, `SELECT id FROM campaigns`).Scan(&x.campaign)
	return x
}

// claim presses Next for c and returns her screen and the contact she holds.
func (x *revealSite) claim(t *testing.T, c *webtest.Client) (string, int64) {
	t.Helper()
	r := c.Post(fmt.Sprintf("/campaigns/%d/next", x.campaign), nil)
	m := callScreen.FindStringSubmatch(r.Location)
	if m == nil {
		t.Fatalf("next: %d %s\n%s", r.Status, r.Location, webtest.Text(r.Body))
	}
	var contactID int64
	x.s.App.DB.QueryRow(context.Background(), `SELECT contact_id FROM campaign_queue WHERE id = $1`, m[1]).Scan(&contactID)
	return r.Location, contactID
}

// Per object: a volunteer sees the contact she holds on her call screen
// and no other (another volunteer's held contact, an unclaimed one); the
// group's lead keeps the group view; other groups and the city see none.
func TestAVolunteerSeesOnlyTheContactSheHolds(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			x := newRevealSite(t, dialect, &contact.Module{})
			a, f := x.s.As(amina), x.s.As(fadumo)
			aScreen, aHeld := x.claim(t, a)
			fScreen, fHeld := x.claim(t, f)
			var unheld int64
			for id := range x.names {
				if id != aHeld && id != fHeld {
					unheld = id
				}
			}
			reveal := func(id int64) string { return fmt.Sprintf("/contacts/%d/reveal", id) }
			type want struct {
				status int
				name   string // shown when status is 200, absent otherwise
			}
			for _, c := range []struct {
				who, what string
				get       bool
				path      string
				want      want
			}{
				{amina, "her own held contact on her call screen", true, aScreen, want{200, x.names[aHeld]}},
				{amina, "another volunteer's held contact on that call screen", true, fScreen, want{404, x.names[fHeld]}},
				{amina, "another volunteer's held contact in the group view", false, reveal(fHeld), want{404, x.names[fHeld]}},
				{amina, "an unclaimed contact in the group view", false, reveal(unheld), want{404, x.names[unheld]}},
				{amina, "her own held contact in the group view", false, reveal(aHeld), want{404, x.names[aHeld]}},
				{fadumo, "her own held contact on her call screen", true, fScreen, want{200, x.names[fHeld]}},
				{lead, "a volunteer's held contact in the group view", false, reveal(fHeld), want{200, x.names[fHeld]}},
				{lead, "an unclaimed contact in the group view", false, reveal(unheld), want{200, x.names[unheld]}},
				{lead, "a volunteer's call screen", true, fScreen, want{404, x.names[fHeld]}},
				{otherLead, "another group's contact", false, reveal(unheld), want{404, x.names[unheld]}},
				{khadra, "another group's contact", false, reveal(unheld), want{404, x.names[unheld]}},
				{otherCoord, "a group's contact", false, reveal(unheld), want{403, x.names[unheld]}},
				{coord, "a volunteer's call screen", true, aScreen, want{403, x.names[aHeld]}},
			} {
				cl := x.s.As(c.who)
				var r *webtest.Response
				if c.get {
					r = cl.Get(c.path)
				} else {
					r = cl.Post(c.path, nil)
				}
				shown := strings.Contains(webtest.Text(r.Body), c.want.name)
				if r.Status != c.want.status || shown != (c.want.status == 200) {
					t.Errorf("%s, %s: %d, name shown %v; want %d", c.who, c.what, r.Status, shown, c.want.status)
				}
			}
		})
	}
}

// A burst of reveals is refused in the person's language and flagged, in
// the app, to her group's lead, once.
func TestABurstOfRevealsIsRefusedAndFlaggedToTheGroupLead(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			x := newRevealSite(t, dialect, &contact.Module{RevealsPerMinute: 3})
			a := x.s.As(amina)
			screen, _ := x.claim(t, a)
			for i := range 3 {
				if r := a.Get(screen); r.Status != 200 {
					t.Fatalf("reveal %d: %d", i+1, r.Status)
				}
			}
			for range 2 {
				r := a.Get(screen)
				if r.Status != http.StatusTooManyRequests || !strings.Contains(webtest.Text(r.Body), "Du har tittat på många nummer på kort tid") {
					t.Fatalf("fourth reveal within a minute: %d\n%s", r.Status, webtest.Text(r.Body))
				}
			}
			r := x.s.As(lead).Get("/notifications")
			text := webtest.Text(r.Body)
			if r.Status != 200 || strings.Count(text, "Amina Haddad bad om fler än 3 namn och nummer") != 1 {
				t.Fatalf("the lead's notifications: %d\n%s", r.Status, text)
			}
			var others int
			x.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM notifications WHERE msg_key = 'contact.notice.reveal_burst' AND person_id <> $1`,
				x.s.User(lead).ID).Scan(&others)
			if others != 0 {
				t.Errorf("%d notices to people other than the group's lead", others)
			}
		})
	}
}

// TestABurstByTheGroupsOnlyLeadIsFlaggedToTheAdministrators: the burst
// notice went to the other leads of her groups, and a group's only lead
// could take twenty numbers a minute without anyone being told.
func TestABurstByTheGroupsOnlyLeadIsFlaggedToTheAdministrators(t *testing.T) {
	t.Parallel()
	x := newRevealSite(t, db.SQLite, &contact.Module{RevealsPerMinute: 3})
	l := x.s.As(lead)
	l.Get(fmt.Sprintf("/contacts/groups/%d", x.s.City.Orgs[demo.DistrictMothers].ID))
	statuses := []int{}
	for id := range x.names {
		for range 2 {
			statuses = append(statuses, l.Post(fmt.Sprintf("/contacts/%d/reveal", id), nil).Status)
		}
	}
	if statuses[3] != http.StatusTooManyRequests {
		t.Fatalf("reveals by the lead with a limit of 3: %v", statuses)
	}
	r := x.s.As(admin).Get("/notifications")
	if text := webtest.Text(r.Body); r.Status != 200 || !strings.Contains(text, "bad om fler än 3 namn och nummer") {
		t.Errorf("the administrator's notifications: %d\n%s", r.Status, text)
	}
}
