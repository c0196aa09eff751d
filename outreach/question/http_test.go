package question_test

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

	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// Who is signed in.
const (
	admin      = "admin@demo.megafon.se"
	coord      = "samordnare@demo.megafon.se"       // the lead administration's coordinator
	coord2     = "samordnare2@demo.megafon.se"      // her colleague, who verifies
	otherCoord = "slf@demo.megafon.se"              // a coordinator of another administration
	facil      = "processledare@demo.megafon.se"    // social administration
	board      = "ledamot@demo.megafon.se"          // social welfare board
	lead       = "gruppledare@demo.megafon.se"      // District Mothers, in the operation
	otherLead  = "ledare@somaliska.demo.megafon.se" // Somali association, invited only
	amina      = "+46701000001"                     // District Mother, Arabic and Swedish
	khadra     = "+46701000006"                     // Somali association volunteer, outside
	out        = ""
)

var everyone = []string{out, admin, coord, otherCoord, facil, board, lead, otherLead, amina, khadra}

type env struct {
	s     *webtest.Server
	op    operation.Operation
	store *question.Store
	clock atomic.Pointer[time.Time]
}

// newEnv starts the app with the demo city and its operation, with a fake
// clock.
func newEnv(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	e := &env{}
	now := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
	e.clock.Store(&now)
	mod := &question.Module{}
	e.s = webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, &handbook.Module{}, mod)
	e.s.App.Now = func() time.Time { return *e.clock.Load() }
	ctx := context.Background()
	for _, m := range e.s.App.Modules() {
		if sd, ok := m.(demo.Seeder); ok && m.Name() == "operation" {
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
	e.op, e.store = all[0], mod.Store()
	return e
}

// escalate records an escalated question in Arabic from Amina.
func (e *env) escalate(t *testing.T, text string) int64 {
	t.Helper()
	d := question.Draft{OperationID: e.op.ID, Source: question.FromVolunteer, AskedBy: e.s.User(amina).ID, Language: "ar",
		Topics: []string{"vaccination"}, Text: text, Summary: "Är vaccinet gratis?", Escalate: true}
	if _, err := d.Clean(); err != nil {
		t.Fatal(err)
	}
	id, _, err := e.store.Record(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRoleByRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	q := e.escalate(t, "هل اللقاح مجاني؟")
	op := e.op.ID
	get, post := http.MethodGet, http.MethodPost
	routes := []struct {
		pattern, method, path string
		form                  url.Values
		want                  map[string]int
		def                   int
	}{
		{"GET /questions", get, "/questions", nil, map[string]int{admin: 200, coord: 200, otherCoord: 200, lead: 200, otherLead: 200, amina: 200, khadra: 200}, 403},
		{"GET /operations/{id}/questions", get, fmt.Sprintf("/operations/%d/questions", op), nil, map[string]int{admin: 200, coord: 200, otherCoord: 404}, 403},
		{"GET /operations/{id}/questions/new", get, fmt.Sprintf("/operations/%d/questions/new", op), nil, map[string]int{lead: 200, amina: 200, otherLead: 404, khadra: 404}, 403},
		{"POST /operations/{id}/questions", post, fmt.Sprintf("/operations/%d/questions", op), url.Values{"key": {"k1"}, "language": {"sv"}},
			map[string]int{lead: 422, amina: 422, otherLead: 404, khadra: 404}, 403},
		{"GET /questions/{id}", get, fmt.Sprintf("/questions/%d", q), nil, map[string]int{admin: 200, coord: 200, otherCoord: 404}, 403},
		{"POST /questions/{id}/take", post, fmt.Sprintf("/questions/%d/take", q), nil, map[string]int{admin: 303, coord: 303, otherCoord: 404}, 403},
		{"POST /questions/{id}/merge", post, fmt.Sprintf("/questions/%d/merge", q), nil, map[string]int{admin: 422, coord: 422, otherCoord: 404}, 403},
		{"POST /questions/{id}/answer", post, fmt.Sprintf("/questions/%d/answer", q), url.Values{"mode": {"new"}, "valid_until": {"2021-12-31"}},
			map[string]int{admin: 422, coord: 422, otherCoord: 404}, 403},
		{"POST /questions/{id}/close", post, fmt.Sprintf("/questions/%d/close", q), nil, map[string]int{admin: 422, coord: 422, otherCoord: 404}, 403},
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
				form := url.Values{} // Post adds the client's CSRF token to it
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
		if strings.Contains(ri.Pattern, "questions") && !listed[ri.Pattern] {
			t.Errorf("route %q is in no row of the table", ri.Pattern)
		}
	}
}

var flash = regexp.MustCompile(`(?s)class="flash[^"]*"[^>]*>(.*?)</`)

func TestAVolunteerIsToldWhatWasMaskedAndTheDatabaseNeverHoldsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.s.As(amina)
	form := c.Get(fmt.Sprintf("/operations/%d/questions/new", e.op.ID))
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(form.Body)
	if form.Status != 200 || key == nil {
		t.Fatalf("form: %d", form.Status)
	}
	vals := url.Values{"key": {key[1]}, "language": {"ar"}, "text": {"رقمه الشخصي 850709-9805 هل يحتاج إلى موعد؟"},
		"summary": {"Behöver han en tid? Pnr 850709-9805"}, "topics": {"vaccination"}, "escalate": {"1"}}
	r := c.Post(fmt.Sprintf("/operations/%d/questions", e.op.ID), vals)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%.500s", r.Status, webtest.Text(r.Body))
	}
	page := c.Get(r.Location)
	if !strings.Contains(page.Body, "personnummer") {
		t.Fatalf("the volunteer is not told what was removed:\n%.800s", webtest.Text(page.Body))
	}
	// A double tap (the same form sent again) records nothing more.
	again := url.Values{}
	for k, v := range vals {
		if k != "csrf_token" {
			again[k] = v
		}
	}
	if r := c.Post(fmt.Sprintf("/operations/%d/questions", e.op.ID), again); r.Status != http.StatusSeeOther {
		t.Fatalf("second tap: %d", r.Status)
	}
	var n, held int
	ctx := context.Background()
	if err := e.s.App.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN text LIKE '%9805%' OR summary LIKE '%9805%' THEN 1 ELSE 0 END), 0) FROM resident_questions`).Scan(&n, &held); err != nil {
		t.Fatal(err)
	}
	if n != 1 || held != 0 {
		t.Fatalf("%d questions stored, %d holding the number", n, held)
	}
	// 5,000 characters: a message in her language, nothing stored.
	long := url.Values{"key": {"other"}, "language": {"ar"}, "text": {strings.Repeat("س", 5000)}}
	if r := e.s.As(amina).Post(fmt.Sprintf("/operations/%d/questions", e.op.ID), long); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("5,000 characters: %d", r.Status)
	}
}

func TestTheCityAnswersAnEscalationThroughTheHandbook(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	q := e.escalate(t, "هل اللقاح مجاني؟")
	other := e.escalate(t, "هل التطعيم بالمجان؟")
	c := e.s.As(coord)
	triage := c.Get(fmt.Sprintf("/operations/%d/questions", e.op.ID))
	if triage.Status != 200 || !strings.Contains(triage.Body, "هل اللقاح مجاني؟") || !strings.Contains(triage.Body, `lang="ar"`) {
		t.Fatalf("triage: %d\n%.600s", triage.Status, webtest.Text(triage.Body))
	}
	if r := c.Post(fmt.Sprintf("/questions/%d/merge", q), url.Values{"from": {fmt.Sprint(other)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("merge: %d %.300s", r.Status, webtest.Text(r.Body))
	}
	r := c.Post(fmt.Sprintf("/questions/%d/answer", q), url.Values{"mode": {"new"}, "title": {"Är vaccinet gratis?"}, "body": {"Ja. Ring 0771-11 77 00."}, "valid_until": {"2021-12-31"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/handbook/") {
		t.Fatalf("answer: %d %s %.300s", r.Status, r.Location, webtest.Text(r.Body))
	}
	got, err := e.store.Get(context.Background(), q)
	if err != nil || got.State != question.Answering || got.Asks != 2 {
		t.Fatalf("after answering: %+v %v", got, err)
	}
	// A question whose answer is in review may still be closed (the
	// wrong operation, say); answering it after that is refused.
	if r := c.Post(fmt.Sprintf("/questions/%d/close", q), url.Values{"reason": {"Fel insats"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("close: %d", r.Status)
	}
	if r := c.Post(fmt.Sprintf("/questions/%d/answer", q), url.Values{"mode": {"new"}, "title": {"Igen"}, "valid_until": {"2021-12-31"}}); r.Status != http.StatusConflict {
		t.Fatalf("answering a closed question: %d, want 409\n%.300s", r.Status, webtest.Text(r.Body))
	}
}
