package calls_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/audit"
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
	lead       = "gruppledare@demo.megafon.se"      // District Mothers: Somali, Swedish, English
	otherLead  = "ledare@somaliska.demo.megafon.se" // Somali association, invited only
	amina      = "+46701000001"                     // District Mother: Arabic, Swedish
	selam      = "+46701000003"                     // District Mother: Tigrinya, Swedish, English
	khadra     = "+46701000006"                     // Somali association (outside): Somali, Arabic, Swedish
	out        = ""
)

var everyone = []string{out, admin, coord, otherCoord, facil, board, lead, otherLead, amina, selam, khadra}

// fakeRoster is the help line's shifts as a test sets them.
type fakeRoster struct {
	mu    sync.Mutex
	shift map[int64][]helpline.LineLanguage
}

func (f *fakeRoster) Line(context.Context, int64) (helpline.Line, error) {
	return helpline.Line{}, calls.ErrNotFound
}
func (f *fakeRoster) OpenAt(context.Context, int64, string, time.Time) (bool, error) {
	return true, nil
}
func (f *fakeRoster) OnShift(context.Context, int64, string, time.Time) ([]helpline.OnDuty, error) {
	return nil, nil
}
func (f *fakeRoster) ShiftLanguages(_ context.Context, person int64, _ time.Time) ([]helpline.LineLanguage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.shift[person], nil
}

func (f *fakeRoster) set(person int64, ll ...helpline.LineLanguage) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shift[person] = ll
}

type env struct {
	s      *webtest.Server
	mod    *calls.Module
	store  *calls.Store
	op     operation.Operation
	line   int64
	roster *fakeRoster
	clock  atomic.Pointer[time.Time]
}

func (e *env) now() time.Time { return *e.clock.Load() }

// newEnv starts the app with the demo city and its operation, a help line
// of it in Swedish, Arabic, Tigrinya and Somali, and a fake clock.
func newEnv(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	e := &env{roster: &fakeRoster{shift: map[int64][]helpline.LineLanguage{}}}
	now := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
	e.clock.Store(&now)
	e.mod = &calls.Module{Roster: e.roster}
	e.s = webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, &handbook.Module{}, &question.Module{}, &helpline.Module{}, e.mod)
	e.s.App.Now = e.now
	ctx := context.Background()
	for _, m := range e.s.App.Modules() {
		if sd, ok := m.(demo.Seeder); ok && m.Name() == "operation" {
			if err := sd.SeedDemo(ctx, e.s.App, e.s.City); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, err := (&operation.Store{DB: e.s.App.DB, Now: e.now}).All(ctx)
	if err != nil || len(all) == 0 {
		t.Fatalf("demo operation: %v", err)
	}
	e.op, e.store = all[0], e.mod.Store()
	e.line = insertLine(t, e.s.App.DB, e.op.ID, "+46101234567", now, "sv", "ar", "ti", "so")
	return e
}

func insertLine(t testing.TB, d *db.DB, op int64, number string, now time.Time, langs ...string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := d.WriteRow(ctx, `INSERT INTO helplines (operation_id, name, public_number, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		op, "Covid-linjen", number, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for i, l := range langs {
		if _, err := d.Exec(ctx, `INSERT INTO helpline_languages (helpline_id, lang, menu_key) VALUES ($1, $2, $3)`, id, l, i+1); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

var callN atomic.Int64

// missed is a missed call from caller in lang with a callback request.
func (e *env) missed(t *testing.T, caller, lang string) int64 {
	t.Helper()
	ctx := context.Background()
	c, err := e.store.Arrive(ctx, e.line, "46elks", fmt.Sprintf("m%d", callN.Add(1)), caller, e.now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.ChooseLanguage(ctx, c.ID, lang); err != nil {
		t.Fatal(err)
	}
	if err := e.store.End(ctx, c.ID, calls.NoAnswer, e.now()); err != nil {
		t.Fatal(err)
	}
	id, err := e.store.RequestCallback(ctx, c.ID, e.now())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// answered is a call in lang that login answered, three minutes long.
func (e *env) answered(t *testing.T, login, lang string) int64 {
	t.Helper()
	ctx := context.Background()
	c, err := e.store.Arrive(ctx, e.line, "twilio", fmt.Sprintf("a%d", callN.Add(1)), "+46709998877", e.now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.ChooseLanguage(ctx, c.ID, lang); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Answer(ctx, c.ID, e.s.User(login).ID, 0, e.now()); err != nil {
		t.Fatal(err)
	}
	if err := e.store.End(ctx, c.ID, calls.HungUp, e.now().Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestRoleByRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	ar := e.missed(t, "+46701112233", "ar")
	held := e.missed(t, "+46701112244", "sv")
	if _, err := e.store.Take(context.Background(), held, e.s.User(amina).ID); err != nil {
		t.Fatal(err)
	}
	call := e.answered(t, amina, "ar")
	op := e.op.ID
	get, post := http.MethodGet, http.MethodPost
	routes := []struct {
		pattern, method, path string
		form                  url.Values
		want                  map[string]int
		def                   int
	}{
		{"GET /helpline/calls", get, "/helpline/calls", nil, map[string]int{admin: 200, coord: 200, otherCoord: 200, lead: 200, otherLead: 200, amina: 200, selam: 200, khadra: 200}, 403},
		{"GET /helpline/calls/new", get, "/helpline/calls/new", nil, map[string]int{lead: 200, amina: 200, selam: 200, otherLead: 404, khadra: 404}, 403},
		{"POST /helpline/calls", post, "/helpline/calls", url.Values{"lang": {"sv"}}, map[string]int{lead: 422, amina: 422, selam: 422, otherLead: 404, khadra: 404}, 403},
		{"GET /helpline/calls/{id}/log", get, fmt.Sprintf("/helpline/calls/%d/log", call), nil, map[string]int{amina: 200, lead: 404, selam: 404, otherLead: 404, khadra: 404}, 403},
		{"POST /helpline/calls/{id}/log", post, fmt.Sprintf("/helpline/calls/%d/log", call), url.Values{"lang": {"fa"}, "key": {"0123456789abcdef0123456789abcdef"}}, map[string]int{amina: 422, lead: 404, selam: 404, otherLead: 404, khadra: 404}, 403},
		{"GET /helpline/callbacks", get, "/helpline/callbacks", nil, map[string]int{lead: 200, otherLead: 200, amina: 200, selam: 200, khadra: 200}, 403},
		{"GET /helpline/callbacks/{id}", get, fmt.Sprintf("/helpline/callbacks/%d", held), nil, map[string]int{amina: 200, lead: 404, selam: 404, otherLead: 404, khadra: 404}, 403},
		{"POST /helpline/callbacks/{id}/outcome", post, fmt.Sprintf("/helpline/callbacks/%d/outcome", held), url.Values{"attempt": {"0"}},
			map[string]int{amina: 422, lead: 404, selam: 404, otherLead: 404, khadra: 404}, 403},
		// Last: taking the Arabic one lets go of the Swedish one she held.
		{"POST /helpline/callbacks/{id}/take", post, fmt.Sprintf("/helpline/callbacks/%d/take", ar), nil, map[string]int{amina: 303, lead: 404, selam: 404, otherLead: 404, khadra: 404}, 403},
		{"GET /operations/{id}/helpline/calls", get, fmt.Sprintf("/operations/%d/helpline/calls", op), nil, map[string]int{admin: 200, coord: 200, otherCoord: 200}, 403},
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
		if (strings.Contains(ri.Pattern, "/helpline/calls") || strings.Contains(ri.Pattern, "/helpline/callbacks")) && !listed[ri.Pattern] {
			t.Errorf("route %q is in no row of the table", ri.Pattern)
		}
	}
}

var (
	keyField = regexp.MustCompile(`name="key" value="([^"]+)"`)
	flash    = regexp.MustCompile(`(?s)class="flash[^"]*"[^>]*>(.*?)</`)
)

func TestOnlyTheVolunteerWhoTookACallbackSeesItsNumberAndCoordinatorsSeeNone(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			id := e.missed(t, "+46701112233", "ar")
			number := regexp.MustCompile(`701\D?112\D?233`)
			a, s, k := e.s.As(amina), e.s.As(selam), e.s.As(khadra)
			// In Amina's queue (Arabic is hers), not in Selam's, nor in
			// Khadra's (her group does not take part), and without a number.
			if q := a.Get("/helpline/callbacks"); q.Status != 200 || !strings.Contains(q.Body, fmt.Sprintf("/helpline/callbacks/%d/take", id)) || number.MatchString(q.Body) {
				t.Fatalf("Amina's queue: %d\n%s", q.Status, webtest.Text(q.Body))
			}
			for who, c := range map[string]*webtest.Client{"selam": s, "khadra": k} {
				if q := c.Get("/helpline/callbacks"); strings.Contains(q.Body, fmt.Sprintf("/helpline/callbacks/%d/", id)) {
					t.Errorf("%s sees the Arabic request", who)
				}
				if r := c.Post(fmt.Sprintf("/helpline/callbacks/%d/take", id), nil); r.Status != http.StatusNotFound {
					t.Errorf("%s takes it: %d", who, r.Status)
				}
			}
			// On an Arabic shift, Selam sees it first.
			e.roster.set(e.s.User(selam).ID, helpline.LineLanguage{LineID: e.line, Lang: "ar"})
			if q := s.Get("/helpline/callbacks"); !strings.Contains(q.Body, fmt.Sprintf("/helpline/callbacks/%d/take", id)) {
				t.Errorf("on an Arabic shift Selam does not see it:\n%s", webtest.Text(q.Body))
			}
			r := a.Post(fmt.Sprintf("/helpline/callbacks/%d/take", id), nil)
			if r.Status != http.StatusSeeOther || r.Location != fmt.Sprintf("/helpline/callbacks/%d", id) {
				t.Fatalf("take: %d %s", r.Status, r.Location)
			}
			// Taken: gone from Selam's queue, and hers to take no more.
			if q := s.Get("/helpline/callbacks"); strings.Contains(q.Body, fmt.Sprintf("/helpline/callbacks/%d/", id)) {
				t.Error("a request Amina holds is still in Selam's queue")
			}
			if r := s.Post(fmt.Sprintf("/helpline/callbacks/%d/take", id), nil); r.Status != http.StatusSeeOther || r.Location != "/helpline/callbacks" {
				t.Errorf("Selam taking a held request: %d %s", r.Status, r.Location)
			}
			screen := a.Get(r.Location)
			if screen.Status != 200 || !regexp.MustCompile(`href="tel:(\+|&#43;|%2[bB])46701112233"`).MatchString(screen.Body) || screen.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("the callback screen: %d %q\n%s", screen.Status, screen.Header.Get("Cache-Control"), webtest.Text(screen.Body))
			}
			if r := s.Get(fmt.Sprintf("/helpline/callbacks/%d", id)); r.Status != http.StatusNotFound || number.MatchString(r.Body) {
				t.Errorf("Selam opens Amina's callback: %d", r.Status)
			}
			views, err := e.s.App.Audit.List(context.Background(), audit.Filter{Action: audit.ViewPersonal, Subject: "callback:"})
			if err != nil || len(views) != 1 || views[0].ActorID != e.s.User(amina).ID {
				t.Errorf("audited views: %+v %v", views, err)
			}
			// The outcome: reached. Then the log of that call, by hand.
			done := a.Post(fmt.Sprintf("/helpline/callbacks/%d/outcome", id), url.Values{"attempt": {"0"}, "outcome": {"completed"}})
			if done.Status != http.StatusSeeOther || !strings.HasPrefix(done.Location, "/helpline/calls/new?") {
				t.Fatalf("outcome: %d %s\n%s", done.Status, done.Location, webtest.Text(done.Body))
			}
			// No number anywhere else: her pages, the log form, the coordinator's view.
			for _, p := range []struct {
				c    *webtest.Client
				path string
			}{{a, "/helpline/calls"}, {a, done.Location}, {a, "/helpline/callbacks"}, {e.s.As(coord), fmt.Sprintf("/operations/%d/helpline/calls", e.op.ID)}} {
				r := p.c.Get(p.path)
				if r.Status != 200 || number.MatchString(r.Body) {
					t.Errorf("GET %s: %d, shows the number: %v", p.path, r.Status, number.MatchString(r.Body))
				}
			}
			if r := a.Get(fmt.Sprintf("/helpline/callbacks/%d", id)); r.Status != http.StatusNotFound {
				t.Errorf("the screen after the outcome: %d", r.Status)
			}
		})
	}
}

func TestALogWithBadInputIsRefusedInHerLanguageAndNothingIsSaved(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.Postgres)
	call := e.answered(t, amina, "ar")
	a := e.s.As(amina)
	form := a.Get(fmt.Sprintf("/helpline/calls/%d/log", call))
	key := keyField.FindStringSubmatch(form.Body)
	if form.Status != 200 || key == nil {
		t.Fatalf("log form: %d", form.Status)
	}
	path := fmt.Sprintf("/helpline/calls/%d/log", call)
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no language", url.Values{"key": {key[1]}}, "Choose a language the help line offers"},
		{"a language the line does not offer", url.Values{"key": {key[1]}, "lang": {"fa"}}, "Choose a language the help line offers"},
		{"a topic not on the list", url.Values{"key": {key[1]}, "lang": {"ar"}, "topics": {"weather"}}, "Choose topics from the list"},
		{"a question too long", url.Values{"key": {key[1]}, "lang": {"ar"}, "q0_text": {strings.Repeat("س", question.MaxTextRunes+1)}}, "1000"},
		{"an escalation in Arabic without a summary", url.Values{"key": {key[1]}, "lang": {"ar"}, "q0_text": {"سؤال"}, "q0_escalate": {"1"}}, "Swedish"},
		{"a forged key", url.Values{"key": {"x"}, "lang": {"ar"}}, "expired"},
	} {
		c.form.Set("csrf_token", "")
		c.form.Del("csrf_token")
		r := a.Post(path, c.form)
		if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
			t.Errorf("%s: %d", c.name, r.Status)
			continue
		}
		a.Post("/lang", webtest.Form("lang", "en", "next", "/"))
		r = a.Post(path, c.form)
		if !strings.Contains(webtest.Text(r.Body), c.want) {
			t.Errorf("%s: no %q in\n%.600s", c.name, c.want, webtest.Text(r.Body))
		}
	}
	var logs, qs int
	ctx := context.Background()
	if err := e.s.App.DB.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM helpline_call_logs), (SELECT COUNT(*) FROM resident_questions)`).Scan(&logs, &qs); err != nil {
		t.Fatal(err)
	}
	if logs+qs != 0 {
		t.Errorf("%d logs and %d questions saved from bad input", logs, qs)
	}
	// The good one, twice (a double tap): one log, one question.
	good := url.Values{"key": {key[1]}, "lang": {"ar"}, "topics": {"vaccination"}, "answered": {"yes"}, "q0_text": {"هل اللقاح مجاني؟"}}
	for range 2 {
		if r := a.Post(path, good); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", r.Status, webtest.Text(r.Body))
		}
	}
	if err := e.s.App.DB.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM helpline_call_logs), (SELECT COUNT(*) FROM resident_questions WHERE source = 'helpline')`).Scan(&logs, &qs); err != nil {
		t.Fatal(err)
	}
	if logs != 1 || qs != 1 {
		t.Errorf("%d logs and %d questions, want one each", logs, qs)
	}
	if r := a.Get("/helpline/calls"); !strings.Contains(r.Body, "No calls to log") {
		t.Errorf("the call is still to log:\n%s", webtest.Text(r.Body))
	}
}

func TestAManualLogRefusesALineNotHersAndAnImpossibleTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	other := insertLine(t, e.s.App.DB, mustOtherOp(t, e), "+46107777777", e.now(), "sv")
	a := e.s.As(amina)
	a.Post("/lang", webtest.Form("lang", "en", "next", "/"))
	form := a.Get("/helpline/calls/new")
	key := keyField.FindStringSubmatch(form.Body)
	if form.Status != 200 || key == nil {
		t.Fatalf("form: %d", form.Status)
	}
	base := func() url.Values {
		return url.Values{"key": {key[1]}, "line": {fmt.Sprint(e.line)}, "lang": {"sv"}, "started_at": {"2021-03-01T10:30"}, "minutes": {"5"}}
	}
	for _, c := range []struct {
		name string
		edit func(url.Values)
		want string
	}{
		{"another operation's line", func(v url.Values) { v.Set("line", fmt.Sprint(other)) }, "Choose one of your help lines"},
		{"a time in the future", func(v url.Values) { v.Set("started_at", "2021-03-02T10:00") }, "not in the future"},
		{"no time", func(v url.Values) { v.Del("started_at") }, "not in the future"},
		{"minutes that are not a number", func(v url.Values) { v.Set("minutes", "five") }, "from 0 to 240"},
		{"a day of minutes", func(v url.Values) { v.Set("minutes", "1440") }, "from 0 to 240"},
	} {
		v := base()
		c.edit(v)
		r := a.Post("/helpline/calls", v)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), c.want) {
			t.Errorf("%s: %d\n%.500s", c.name, r.Status, webtest.Text(r.Body))
		}
	}
	var n int
	if err := e.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM helpline_calls`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d calls saved (%v)", n, err)
	}
	r := a.Post("/helpline/calls", base())
	if r.Status != http.StatusSeeOther {
		t.Fatalf("a good manual log: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if m := flash.FindStringSubmatch(a.Get(r.Location).Body); m == nil || !strings.Contains(m[1], "logged") {
		t.Errorf("no word that it was logged")
	}
}

func mustOtherOp(t *testing.T, e *env) int64 {
	t.Helper()
	ops := &operation.Store{DB: e.s.App.DB, Now: e.now}
	id, err := ops.Create(context.Background(), e.s.User(coord), operation.Draft{Name: "Värmebölja", StartsOn: "2021-01-01",
		LeadOrgID: e.s.City.Orgs[demo.LabourMarket].ID, Level: operation.LevelSupported})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
