package helpline_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"megafon/outreach/helpline"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// Who is signed in.
const (
	admin      = "admin@demo.megafon.se"
	coord      = "samordnare@demo.megafon.se"       // the lead administration's coordinator
	otherCoord = "slf@demo.megafon.se"              // a coordinator of another administration
	facil      = "processledare@demo.megafon.se"    // social administration
	board      = "ledamot@demo.megafon.se"          // social welfare board
	lead       = "gruppledare@demo.megafon.se"      // District Mothers, in the operation
	otherLead  = "ledare@somaliska.demo.megafon.se" // Somali association, invited only
	amina      = "+46701000001"                     // District Mother, Arabic and Swedish
	selam      = "+46701000003"                     // District Mother, Tigrinya, Swedish and English
	khadra     = "+46701000006"                     // Somali association volunteer, outside
	out        = ""
)

var everyone = []string{out, admin, coord, otherCoord, facil, board, lead, otherLead, amina, khadra}

type env struct {
	s     *webtest.Server
	mod   *helpline.Module
	op    operation.Operation
	line  helpline.Line
	clock atomic.Pointer[time.Time]
}

// newEnv starts the app with the demo city, its operation and its help
// line, on a fake clock: Wednesday 2 December 2026 at 11:00 in Sweden.
func newEnv(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	e := &env{mod: &helpline.Module{}}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	e.clock.Store(&now)
	e.s = webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, e.mod)
	e.s.App.Now = func() time.Time { return *e.clock.Load() }
	ctx := context.Background()
	for _, m := range e.s.App.Modules() {
		if sd, ok := m.(demo.Seeder); ok && (m.Name() == "operation" || m.Name() == "helpline") {
			if err := sd.SeedDemo(ctx, e.s.App, e.s.City); err != nil {
				t.Fatal(err)
			}
		}
	}
	ops := &operation.Store{DB: e.s.App.DB, Now: e.s.App.Now}
	all, err := ops.All(ctx)
	if err != nil || len(all) == 0 {
		t.Fatalf("demo operation: %v", err)
	}
	e.op = all[0]
	lines, err := e.mod.Store().Lines(ctx, nil)
	if err != nil || len(lines) != 1 {
		t.Fatalf("demo line: %v %v", lines, err)
	}
	e.line = lines[0]
	return e
}

func (e *env) set(t time.Time) { e.clock.Store(&t) }

// shiftWhere finds a shift of the demo line.
func (e *env) shiftWhere(t *testing.T, ok func(helpline.Shift) bool) helpline.Shift {
	t.Helper()
	now := e.s.App.Now()
	shifts, err := e.mod.Store().LineShifts(context.Background(), e.line.ID, now, now.AddDate(0, 0, 14))
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range shifts {
		if ok(sh) {
			return sh
		}
	}
	t.Fatal("no such shift")
	return helpline.Shift{}
}

func TestRoleByRoute(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			ctx := context.Background()
			op, line := e.op.ID, e.line.ID
			phones, err := e.mod.Store().Phones(ctx, line)
			if err != nil || len(phones) != 4 {
				t.Fatalf("phones: %v %v", phones, err)
			}
			gap := e.shiftWhere(t, func(sh helpline.Shift) bool { return sh.PersonID == 0 })
			selams := e.shiftWhere(t, func(sh helpline.Shift) bool { return sh.PersonID == e.s.User(selam).ID })
			aminas := e.shiftWhere(t, func(sh helpline.Shift) bool {
				return sh.PersonID == e.s.User(amina).ID && sh.Start.After(e.s.App.Now())
			})
			friday := e.shiftWhere(t, func(sh helpline.Shift) bool { return sh.Start.Weekday() == time.Friday && sh.PersonID != 0 })
			get, post := http.MethodGet, http.MethodPost
			routes := []struct {
				pattern, method, path string
				form                  url.Values
				want                  map[string]int
				def                   int
			}{
				{"GET /helplines", get, "/helplines", nil, map[string]int{coord: 200, otherCoord: 200, lead: 200, otherLead: 200, amina: 200, khadra: 200}, 403},
				{"GET /operations/{id}/helpline/new", get, fmt.Sprintf("/operations/%d/helpline/new", op), nil, map[string]int{coord: 200}, 403},
				{"POST /operations/{id}/helpline", post, fmt.Sprintf("/operations/%d/helpline", op), nil, map[string]int{coord: 422}, 403},
				{"GET /helplines/{id}", get, fmt.Sprintf("/helplines/%d", line), nil,
					map[string]int{coord: 200, otherCoord: 200, lead: 200, otherLead: 200, amina: 200, khadra: 404}, 403},
				{"GET /helplines/{id}/edit", get, fmt.Sprintf("/helplines/%d/edit", line), nil, map[string]int{coord: 200}, 403},
				{"POST /helplines/{id}", post, fmt.Sprintf("/helplines/%d", line), nil, map[string]int{coord: 422}, 403},
				{"GET /helplines/{id}/hours", get, fmt.Sprintf("/helplines/%d/hours", line), nil, map[string]int{coord: 200}, 403},
				{"POST /helplines/{id}/hours", post, fmt.Sprintf("/helplines/%d/hours", line), url.Values{"h_sv_1": {"nio till fem"}}, map[string]int{coord: 422}, 403},
				{"POST /helplines/{id}/exceptions", post, fmt.Sprintf("/helplines/%d/exceptions", line), nil, map[string]int{coord: 422}, 403},
				{"POST /helplines/{id}/exceptions/{ex}/delete", post, fmt.Sprintf("/helplines/%d/exceptions/999999/delete", line), nil, map[string]int{coord: 404}, 403},
				{"POST /helplines/{id}/phones", post, fmt.Sprintf("/helplines/%d/phones", line), nil, map[string]int{coord: 422}, 403},
				{"POST /phones/{id}/handover", post, fmt.Sprintf("/phones/%d/handover", phones[0].ID), nil, map[string]int{coord: 422, lead: 422}, 403},
				{"GET /helplines/{id}/shifts", get, fmt.Sprintf("/helplines/%d/shifts", line), nil, map[string]int{lead: 200}, 403},
				{"POST /helplines/{id}/shifts", post, fmt.Sprintf("/helplines/%d/shifts", line), nil, map[string]int{lead: 422}, 403},
				{"GET /helplines/{id}/coverage", get, fmt.Sprintf("/helplines/%d/coverage", line), nil, map[string]int{coord: 200, otherCoord: 200, lead: 200}, 403},
				{"GET /shifts/mine", get, "/shifts/mine", nil, map[string]int{amina: 200, khadra: 200}, 403},
				{"POST /shifts/{id}/take", post, fmt.Sprintf("/shifts/%d/take", gap.ID), nil, map[string]int{amina: 409, khadra: 404}, 403},
				{"POST /shifts/{id}/giveback", post, fmt.Sprintf("/shifts/%d/giveback", selams.ID), nil, map[string]int{amina: 409, khadra: 409}, 403},
				{"POST /shifts/{id}/swap", post, fmt.Sprintf("/shifts/%d/swap", aminas.ID), url.Values{"to": {fmt.Sprint(e.s.User(khadra).ID)}}, map[string]int{amina: 422, khadra: 409}, 403},
				{"POST /swaps/{id}/accept", post, "/swaps/999999/accept", nil, map[string]int{amina: 409, khadra: 409}, 403},
				{"POST /swaps/{id}/decline", post, "/swaps/999999/decline", nil, map[string]int{amina: 409, khadra: 409}, 403},
				{"POST /shifts/calendar", post, "/shifts/calendar", nil, map[string]int{amina: 200, khadra: 200}, 403},
				{"POST /shifts/{id}/cancel", post, fmt.Sprintf("/shifts/%d/cancel", friday.ID), nil, map[string]int{lead: 303, otherLead: 404}, 403},
				{"GET /calendar/{file}", get, "/calendar/" + strings.Repeat("ab", 32) + ".ics", nil, map[string]int{out: 404}, 404},
				{"GET /assets/helpline/{file}", get, "/assets/helpline/helpline.css", nil, map[string]int{out: 200}, 200},
			}
			clients := map[string]*webtest.Client{}
			for _, who := range everyone {
				if who == out {
					clients[who] = e.s.Client()
				} else {
					clients[who] = e.s.As(who)
				}
			}
			listed := map[string]bool{}
			for _, rt := range routes {
				listed[rt.pattern] = true
				for _, who := range everyone {
					want, ok := rt.want[who]
					if !ok {
						want = rt.def
						if who == out {
							want = http.StatusSeeOther
							if rt.method == post {
								want = http.StatusUnauthorized
							}
						}
					}
					var r *webtest.Response
					if rt.method == get {
						r = clients[who].Get(rt.path)
					} else {
						form := url.Values{}
						for k, v := range rt.form {
							form[k] = v
						}
						r = clients[who].Post(rt.path, form)
					}
					if r.Status != want {
						t.Errorf("%s %s as %q: %d, want %d\n%.300s", rt.method, rt.path, who, r.Status, want, webtest.Text(r.Body))
					}
				}
			}
			for _, ri := range e.s.App.Routes() {
				if (strings.Contains(ri.Pattern, "helpline") || strings.Contains(ri.Pattern, "shifts") || strings.Contains(ri.Pattern, "swaps") ||
					strings.Contains(ri.Pattern, "phones") || strings.Contains(ri.Pattern, "calendar")) && !listed[ri.Pattern] {
					t.Errorf("route %q is in no row of the table", ri.Pattern)
				}
			}
		})
	}
}

var problemText = regexp.MustCompile(`(?s)id="problems".*?</`)

func TestAVolunteerTakesAnOpenShiftAndAGapCloses(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	coverage := fmt.Sprintf("/helplines/%d/coverage", e.line.ID)
	page := e.s.As(coord).Get(coverage)
	if page.Status != 200 || !strings.Contains(page.Body, "Ingen på pass") || !strings.Contains(page.Body, `class="gap"`) {
		t.Fatalf("coverage shows no gap: %d\n%.1500s", page.Status, webtest.Text(page.Body))
	}
	c := e.s.As(selam)
	mine := c.Get("/shifts/mine")
	gap := e.shiftWhere(t, func(sh helpline.Shift) bool { return sh.PersonID == 0 })
	if !strings.Contains(mine.Body, fmt.Sprintf(`action="/shifts/%d/take"`, gap.ID)) {
		t.Fatalf("Selam is not offered the open Tigrinya shift:\n%.1500s", webtest.Text(mine.Body))
	}
	if r := c.Post(fmt.Sprintf("/shifts/%d/take", gap.ID), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("take: %d %.500s", r.Status, webtest.Text(r.Body))
	}
	if r := c.Get("/shifts/mine"); !strings.Contains(r.Body, "Passet är ditt.") {
		t.Fatalf("no message after taking:\n%.800s", webtest.Text(r.Body))
	}
	// Taking it again, as someone else: a clear message in her language.
	other := e.s.As(amina)
	other.Post("/lang", url.Values{"lang": {"en"}, "next": {"/"}})
	r := other.Post(fmt.Sprintf("/shifts/%d/take", gap.ID), nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "does not speak every language") {
		t.Fatalf("Amina takes a Tigrinya shift: %d\n%.800s", r.Status, webtest.Text(r.Body))
	}
	page = e.s.As(coord).Get(coverage)
	if strings.Contains(page.Body, `class="gap"`) {
		t.Fatalf("the gap is still shown:\n%.1500s", webtest.Text(page.Body))
	}
}

func TestAGroupLeadPlansAShiftAndTheRulesSayNoClearly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.s.As(lead)
	path := fmt.Sprintf("/helplines/%d/shifts", e.line.ID)
	amina := e.s.User(amina).ID
	// Amina is on Arabic 17–21 on Friday 4 December: planning her again then is refused.
	form := url.Values{"day": {"2026-12-04"}, "from": {"18:00"}, "to": {"20:00"}, "langs": {"sv"}, "person": {fmt.Sprint(amina)}}
	r := c.Post(path, form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Volontären har redan ett pass den tiden.") {
		t.Fatalf("an overlapping shift: %d\n%.1000s", r.Status, webtest.Text(r.Body))
	}
	form.Set("from", "06:00")
	form.Set("to", "08:00")
	r = c.Post(path, form)
	// The language by its name in the reader's language, not its code.
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "utanför öppettiderna på svenska") {
		t.Fatalf("outside the hours: %d\n%.1000s", r.Status, webtest.Text(r.Body))
	}
	form = url.Values{"day": {"2026-12-11"}, "from": {"09:00"}, "to": {"21:00"}, "langs": {"ar"}}
	r = c.Post(path, form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a shift across the closed afternoon: %d", r.Status)
	}
	form.Set("to", "11:00")
	if r := c.Post(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("an open Arabic morning: %d\n%.1000s", r.Status, webtest.Text(r.Body))
	}
	if r := c.Get(r.Location); !strings.Contains(r.Body, "Passet är planerat.") {
		t.Fatalf("no message:\n%.800s", webtest.Text(r.Body))
	}
}

func TestTheCalendarFeedListsHerShiftsAndIsRenewed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.s.As(selam)
	r := c.Post("/shifts/calendar", nil)
	m := regexp.MustCompile(`value="http://megafon.test(/calendar/[0-9a-f]{64}\.ics)"`).FindStringSubmatch(r.Body)
	if r.Status != 200 || m == nil {
		t.Fatalf("renew: %d\n%.800s", r.Status, webtest.Text(r.Body))
	}
	feed := e.s.Client().Get(m[1])
	if feed.Status != 200 || !strings.HasPrefix(feed.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", feed.Status, feed.Header.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(strings.NewReader(feed.Body))
	if err != nil {
		t.Fatal(err)
	}
	mine, err := e.mod.Store().PersonShifts(context.Background(), e.s.User(selam).ID, e.s.App.Now().AddDate(0, 0, -30))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != len(mine) || len(mine) == 0 {
		t.Fatalf("%d events for %d shifts", len(events), len(mine))
	}
	for i, ev := range events {
		start, err := ev.GetStartAt()
		if err != nil || !start.Equal(mine[i].Start) {
			t.Errorf("event %d starts %v (%v), want %v", i, start, err, mine[i].Start)
		}
		end, _ := ev.GetEndAt()
		if !end.Equal(mine[i].End) {
			t.Errorf("event %d ends %v, want %v", i, end, mine[i].End)
		}
		if s := ev.GetProperty(ics.ComponentPropertySummary); s == nil || !strings.Contains(s.Value, "Covid-linjen") {
			t.Errorf("event %d: summary %v", i, s)
		}
	}
	if strings.Contains(feed.Body, "Amina") || strings.Contains(feed.Body, "+46701000001") {
		t.Fatal("the feed shows another volunteer")
	}
	if r := c.Post("/shifts/calendar", nil); r.Status != 200 {
		t.Fatalf("renew again: %d", r.Status)
	}
	if r := e.s.Client().Get(m[1]); r.Status != http.StatusNotFound {
		t.Fatalf("the old address after renewing: %d", r.Status)
	}
}

func TestRemindersGoOnceInTheVolunteersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	ctx := context.Background()
	aminaID := e.s.User(amina).ID
	if err := e.s.App.Auth.SetUILang(ctx, aminaID, "ar"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.App.DB.Exec(ctx, `INSERT INTO notification_channels (person_id, email, sms, updated_at) VALUES ($1, FALSE, TRUE, $2)`, aminaID, e.s.App.Now()); err != nil {
		t.Fatal(err)
	}
	// 15:00 in Sweden: Amina's Arabic evening shift starts at 17:00.
	e.set(time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC))
	n, err := e.mod.SendReminders(ctx)
	if err != nil || n == 0 {
		t.Fatalf("reminders: %d %v", n, err)
	}
	if again, err := e.mod.SendReminders(ctx); err != nil || again != 0 {
		t.Fatalf("a second run: %d %v", again, err)
	}
	var body string
	if err := e.s.App.DB.QueryRow(ctx, `SELECT body FROM outbox WHERE person_id = $1 AND channel = 'sms'`, aminaID).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "تذكير") || !strings.Contains(body, "17:00") {
		t.Fatalf("Amina's SMS: %q", body)
	}
}

// A form without the hours' boxes (not ours, or cut short) is refused:
// it must not close the line all week.
func TestAnHoursFormWithoutItsBoxesClosesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	count := func() int {
		var n int
		if err := e.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM helpline_hours WHERE helpline_id = $1`, e.line.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if before == 0 {
		t.Fatal("the demo line has no hours")
	}
	r := e.s.As(coord).Post(fmt.Sprintf("/helplines/%d/hours", e.line.ID), url.Values{"h_xx_9": {"09:00-10:00"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a form without the boxes: %d, want 422\n%.800s", r.Status, webtest.Text(r.Body))
	}
	if after := count(); after != before {
		t.Fatalf("the line's hours went from %d to %d", before, after)
	}
}
