package cocreation_test

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"megafon/cocreation"
	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// Who asks, in the role-by-route table and the scenarios.
const (
	out        = ""
	admin      = "admin@demo.megafon.se"
	coord      = "samordnare@demo.megafon.se"       // Labour Market Administration
	facil      = "processledare@demo.megafon.se"    // Social Administration: the process is hers
	otherFacil = "processledare@arbetsmarknad.test" // a facilitator of the Labour Market Administration, made here
	board      = "ledamot@demo.megafon.se"          // Social Administration's board member
	lead       = "gruppledare@demo.megafon.se"      // District Mothers
	vol        = "+46701000001"                     // a District Mother
	pt         = "participant"                      // joined the Social Administration's process, cookie only
	otherPt    = "participant of another process"   // joined the Labour Market process
)

var everyone = []string{out, admin, coord, facil, otherFacil, board, lead, vol, pt, otherPt}

// env is a running server with two processes of two administrations, in
// their workshops phase on a fake clock, each with a workshop, an open
// prompt, a note and a participant. It makes its own fixtures: the demo
// data of the module is not used.
type env struct {
	s       *webtest.Server
	st      *workshop.Store
	clock   atomic.Pointer[time.Time]
	proc    process.Process   // Social Administration's
	other   process.Process   // Labour Market Administration's
	ws      int64             // a workshop of proc
	otherWs int64             // a workshop of other
	prompt  int64             // open prompt of ws
	note    int64             // a note in ws by pt
	codes   map[string]string // participants' short codes
	clients map[string]*webtest.Client
}

func (e *env) now() time.Time          { return *e.clock.Load() }
func (e *env) setNow(t time.Time)      { e.clock.Store(&t) }
func (e *env) advance(d time.Duration) { e.setNow(e.now().Add(d)) }

// the interface text of key in lang, as the catalogue has it (the key
// itself until the catalogue has the text).
func (e *env) tr(lang, key string, args ...any) string {
	return e.s.App.Catalogue.T(lang, key, args...)
}

func newEnv(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	e := &env{codes: map[string]string{}, clients: map[string]*webtest.Client{}}
	e.setNow(time.Date(2023, 3, 1, 10, 0, 0, 0, process.Stockholm))
	mod := &cocreation.Module{Poll: 50 * time.Millisecond}
	e.s = webtest.New(t, dialect, false, mod)
	e.s.App.Now = e.now
	e.st = mod.Store()
	ctx := context.Background()
	labour := e.s.City.Orgs[demo.LabourMarket].ID
	if _, err := e.s.App.Auth.CreatePerson(ctx, auth.NewPerson{Name: "Lena Lindqvist", Email: otherFacil}, labour, auth.Facilitator, demo.Password); err != nil {
		t.Fatal(err)
	}
	e.proc = e.process(t, e.s.City.Orgs[demo.SocialAdmin].ID, "Socialnämndens mål 2023")
	e.other = e.process(t, labour, "Arbetsmarknadsnämndens mål 2023")
	e.ws, e.prompt = e.workshop(t, e.proc, "Första workshopen")
	e.otherWs, _ = e.workshop(t, e.other, "Annan workshop")
	for _, who := range everyone {
		switch who {
		case out:
			e.clients[who] = e.s.Client()
		case pt:
			e.clients[who], e.codes[who] = e.join(t, e.proc, "Fatima Testsson", "26_40", "housing")
		case otherPt:
			e.clients[who], e.codes[who] = e.join(t, e.other, "Olle Annansson", "65_plus", "elderly_care")
		default:
			e.clients[who] = e.s.As(who)
		}
	}
	e.note = e.post(t, e.clients[pt], e.ws, e.prompt, "Bra bemötande i receptionen")
	return e
}

// process makes a process of org whose workshops phase is today.
func (e *env) process(t *testing.T, org int64, title string) process.Process {
	t.Helper()
	ctx := context.Background()
	id, err := e.st.CreateProcess(ctx, org, process.NewProcess{Title: title, Purpose: "Vad fungerar?",
		Start: e.now().AddDate(0, 0, -30).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.Translate(ctx, "en", map[process.TextRef]process.TranslationEdit{{Kind: "process", ID: id}: {Title: "Goals 2023"}}); err != nil {
		t.Fatal(err)
	}
	p, err := e.st.Process(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if cur, _ := process.CurrentPhase(p.Phases, e.now()); cur.Kind != "workshops" {
		t.Fatalf("current phase %q, want workshops", cur.Kind)
	}
	return p
}

// workshop makes a workshop of p tomorrow with an open prompt.
func (e *env) workshop(t *testing.T, p process.Process, title string) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	w, err := workshop.WorkshopForm{Title: title, Date: e.now().AddDate(0, 0, 1).Format(time.DateOnly), Start: "17:00", End: "19:00", Place: "Medborgarhuset"}.Clean()
	if err != nil {
		t.Fatal(err)
	}
	w.ProcessID = p.ID
	id, err := e.st.SaveWorkshop(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	prompt, err := e.st.OpenPrompt(ctx, id, "Vad fungerar extra bra?")
	if err != nil {
		t.Fatal(err)
	}
	return id, prompt
}

var codeOnPage = regexp.MustCompile(`<p class="code" dir="ltr">([A-Z0-9]+)</p>`)

// join lets a new browser join p through its invitation link and returns
// it with the short code it was shown.
func (e *env) join(t *testing.T, p process.Process, name, age, service string) (*webtest.Client, string) {
	t.Helper()
	c := e.s.Client()
	if r := c.Get("/join/" + p.JoinCode); r.Status != http.StatusOK {
		t.Fatalf("join form: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	form := webtest.Form("name", name, "role", "service_user", "age_band", age, "lang", "sv", "consent", "yes")
	if service != "" {
		form.Set("services", service)
	}
	r := c.Post("/join/"+p.JoinCode, form)
	if r.Status != http.StatusSeeOther || r.Location != "/p/" {
		t.Fatalf("join: %d %q\n%s", r.Status, r.Location, webtest.Text(r.Body))
	}
	r = c.Get("/p/")
	m := codeOnPage.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("home after joining: %d, no code\n%s", r.Status, webtest.Text(r.Body))
	}
	return c, m[1]
}

// post posts a note as a participant and returns its id.
func (e *env) post(t *testing.T, c *webtest.Client, ws, prompt int64, text string) int64 {
	t.Helper()
	r := c.Post(fmt.Sprintf("/p/w/%d/notes", ws), webtest.Form("prompt", fmt.Sprint(prompt), "text", text, "nonce", fmt.Sprintf("nonce-%d", time.Now().UnixNano())))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("post note: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	c.Get(r.Location) // as a browser does, which shows the thanks
	notes, err := e.st.Notes(context.Background(), ws, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(notes) - 1; i >= 0; i-- {
		if notes[i].Text == strings.TrimSpace(text) {
			return notes[i].ID
		}
	}
	t.Fatalf("note %q not saved", text)
	return 0
}

// do sends a request as who: a GET, or a POST of form.
func (e *env) do(who, method, path string, form url.Values) *webtest.Response {
	c := e.clients[who]
	if method == http.MethodGet {
		return c.Get(path)
	}
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	return c.Post(path, f)
}

// getStream opens an event stream as who and reads what arrives within d.
func (e *env) getStream(who, path string, d time.Duration) *webtest.Response {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.s.URL+path, nil)
	return e.clients[who].Do(req)
}

// routeMatches reports whether a concrete path fits a pattern's shape
// (net/http's: a trailing slash matches what follows, {$} only itself).
func routeMatches(pattern, path string) bool {
	path, _, _ = strings.Cut(path, "?")
	exact := strings.HasSuffix(pattern, "{$}")
	pattern = strings.TrimSuffix(pattern, "{$}")
	if strings.HasSuffix(pattern, "/") && !exact {
		return strings.HasPrefix(path, pattern)
	}
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

func TestRoleByRoute(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			testRoleByRoute(t, dialect)
		})
	}
}

func testRoleByRoute(t *testing.T, dialect db.Dialect) {
	e := newEnv(t, dialect)
	get, post := http.MethodGet, http.MethodPost
	p := func(format string) string { return fmt.Sprintf(format, e.proc.ID) }
	w := func(format string) string { return fmt.Sprintf(format, e.ws) }
	note := func(format string) string { return fmt.Sprintf(format, e.ws, e.note) }
	// Facilitator pages: administrators and the process's facilitators;
	// other roles are refused, those of another administration told
	// nothing. A participant's cookie is no sign-in.
	facilitators := func(ok int) map[string]int {
		return map[string]int{admin: ok, facil: ok, otherFacil: 404, coord: 403, board: 403, lead: 403, vol: 403}
	}
	readers := func(ok int) map[string]int {
		return map[string]int{admin: ok, facil: ok, board: ok, otherFacil: 404, coord: 403, lead: 403, vol: 403}
	}
	creators := func(ok int) map[string]int {
		return map[string]int{admin: ok, facil: ok, otherFacil: ok, coord: 403, board: 403, lead: 403, vol: 403}
	}
	// Participant pages: her own process's; another process's is 404;
	// without a participant cookie a page asks for the code, a post is 401.
	own := func(ok, otherProcess int, method string) map[string]int {
		m := map[string]int{pt: ok, otherPt: otherProcess}
		for _, who := range everyone {
			if _, set := m[who]; !set {
				if method == get {
					m[who] = 303
				} else {
					m[who] = 401
				}
			}
		}
		return m
	}
	all := func(status int) map[string]int {
		m := map[string]int{}
		for _, who := range everyone {
			m[who] = status
		}
		return m
	}
	type route struct {
		pattern string // as registered
		method  string
		path    string
		form    url.Values
		want    map[string]int // everyone signed in who is not listed: 403
	}
	routes := []route{
		{"GET /assets/cocreation/{file}", get, "/assets/cocreation/cc.css", nil, all(200)},
		{"GET /processes", get, "/processes", nil, map[string]int{admin: 200, facil: 200, otherFacil: 200, board: 200}},
		{"GET /processes/new", get, "/processes/new", nil, creators(200)},
		{"POST /processes", post, "/processes", url.Values{"title": {""}, "org": {fmt.Sprint(e.proc.OrgID)}}, creators(422)},
		{"GET /processes/{id}", get, p("/processes/%d"), nil, readers(200)},
		{"GET /processes/{id}/edit", get, p("/processes/%d/edit"), nil, facilitators(200)},
		{"POST /processes/{id}", post, p("/processes/%d"), url.Values{"title": {""}}, facilitators(422)},
		{"GET /processes/{id}/phases", get, p("/processes/%d/phases"), nil, facilitators(200)},
		{"POST /processes/{id}/phases", post, p("/processes/%d/phases"), url.Values{"kind0": {"workshops"}, "starts0": {"2023-02-30"}, "ends0": {"2023-03-10"}}, facilitators(422)},
		{"GET /processes/{id}/translations", get, p("/processes/%d/translations?lang=ar"), nil, facilitators(200)},
		{"POST /processes/{id}/translations", post, p("/processes/%d/translations"), url.Values{"lang": {"ar"}, p("shown-process-%d"): {""}, p("title-process-%d"): {strings.Repeat("ع", 201)}}, facilitators(422)},
		{"POST /processes/{id}/copy", post, p("/processes/%d/copy"), nil, facilitators(303)},
		{"GET /processes/{id}/qr.png", get, p("/processes/%d/qr.png"), nil, facilitators(200)},
		{"GET /processes/{id}/participants/{pid}/withdraw", get, fmt.Sprintf("/processes/%d/participants/%d/withdraw", e.proc.ID, e.participantID(t, pt)), nil, facilitators(200)},
		{"POST /processes/{id}/participants/{pid}/withdraw", post, fmt.Sprintf("/processes/%d/participants/%d/withdraw", e.proc.ID, e.participantID(t, pt)), nil, facilitators(422)},
		{"GET /processes/{id}/invite", get, p("/processes/%d/invite"), nil, facilitators(200)},
		{"POST /processes/{id}/invite", post, p("/processes/%d/invite"), url.Values{"emails": {""}}, facilitators(422)},
		{"GET /processes/{id}/participants", get, p("/processes/%d/participants"), nil, facilitators(200)},
		{"POST /processes/{id}/participants", post, p("/processes/%d/participants"), url.Values{"name": {""}, "role": {"service_user"}}, facilitators(422)},
		{"GET /processes/{id}/overview", get, p("/processes/%d/overview"), nil, readers(200)},
		{"GET /processes/{id}/workshops/new", get, p("/processes/%d/workshops/new"), nil, facilitators(200)},
		{"POST /processes/{id}/workshops", post, p("/processes/%d/workshops"), url.Values{"title": {""}}, facilitators(422)},
		{"GET /workshops/{id}", get, w("/workshops/%d"), nil, facilitators(200)},
		{"GET /workshops/{id}/edit", get, w("/workshops/%d/edit"), nil, facilitators(200)},
		{"POST /workshops/{id}", post, w("/workshops/%d"), url.Values{"title": {""}}, facilitators(422)},
		{"GET /workshops/{id}/translations", get, w("/workshops/%d/translations?lang=so"), nil, facilitators(200)},
		{"POST /workshops/{id}/translations", post, w("/workshops/%d/translations"), url.Values{"lang": {"so"}, w("shown-workshop-%d"): {""}, w("title-workshop-%d"): {strings.Repeat("x", 201)}}, facilitators(422)},
		{"POST /workshops/{id}/attendance", post, w("/workshops/%d/attendance"), nil, facilitators(303)},
		{"POST /workshops/{id}/prompts", post, w("/workshops/%d/prompts"), url.Values{"prompt": {""}}, facilitators(422)},
		{"POST /workshops/{id}/prompts/{prompt}", post, fmt.Sprintf("/workshops/%d/prompts/%d", e.ws, e.prompt), url.Values{"open": {"1"}}, facilitators(303)},
		{"GET /workshops/{id}/board", get, w("/workshops/%d/board"), nil, facilitators(200)},
		{"GET /workshops/{id}/events", get, w("/workshops/%d/events"), nil, facilitators(200)},
		{"GET /workshops/{id}/projector", get, w("/workshops/%d/projector"), nil, facilitators(200)},
		{"GET /workshops/{id}/export.csv", get, w("/workshops/%d/export.csv"), nil, facilitators(200)},
		{"GET /workshops/{id}/print", get, w("/workshops/%d/print"), nil, facilitators(200)},
		{"POST /workshops/{id}/pause", post, w("/workshops/%d/pause"), url.Values{"paused": {"0"}}, facilitators(303)},
		{"POST /workshops/{id}/themes", post, w("/workshops/%d/themes"), url.Values{"theme": {""}}, facilitators(422)},
		{"POST /workshops/{id}/notes", post, w("/workshops/%d/notes"), url.Values{"prompt": {fmt.Sprint(e.prompt)}, "text": {""}}, facilitators(422)},
		{"POST /workshops/{id}/notes/{note}/theme", post, note("/workshops/%d/notes/%d/theme"), url.Values{"theme": {"0"}}, facilitators(303)},
		{"POST /workshops/{id}/notes/{note}/mark", post, note("/workshops/%d/notes/%d/mark"), url.Values{"mark": {""}}, facilitators(303)},
		{"POST /workshops/{id}/notes/{note}/merge", post, note("/workshops/%d/notes/%d/merge"), url.Values{"into": {fmt.Sprint(e.note)}}, facilitators(422)},
		// The other administration's process, the other way round.
		{"GET /processes/{id}", get, fmt.Sprintf("/processes/%d", e.other.ID), nil, map[string]int{admin: 200, otherFacil: 200, facil: 404, board: 404, coord: 403, lead: 403, vol: 403}},
		{"GET /processes/{id}/participants", get, fmt.Sprintf("/processes/%d/participants", e.other.ID), nil, map[string]int{admin: 200, otherFacil: 200, facil: 404, coord: 403, board: 403, lead: 403, vol: 403}},
		{"GET /workshops/{id}/board", get, fmt.Sprintf("/workshops/%d/board", e.otherWs), nil, map[string]int{admin: 200, otherFacil: 200, facil: 404, coord: 403, board: 403, lead: 403, vol: 403}},
		{"GET /p/w/{id}", get, fmt.Sprintf("/p/w/%d", e.otherWs), nil, own(404, 200, get)},
		{"GET /join/{code}", get, "/join/" + e.proc.JoinCode, nil, func() map[string]int { m := all(200); m[pt] = 303; return m }()},
		// She who is in already goes straight on; everyone else is told the name is missing.
		{"POST /join/{code}", post, "/join/" + e.proc.JoinCode, url.Values{"name": {""}, "role": {"service_user"}, "consent": {"yes"}}, func() map[string]int { m := all(422); m[pt] = 303; return m }()},
		{"GET /back", get, "/back", nil, all(200)},
		{"POST /back", post, "/back", url.Values{"code": {""}}, all(422)},
		{"GET /p/{$}", get, "/p/", nil, own(200, 200, get)},
		{"GET /p/consent", get, "/p/consent", nil, own(200, 200, get)},
		{"POST /p/withdraw", post, "/p/withdraw", nil, own(422, 422, post)},
		// Anyone may read that withdrawing is done; she who still takes part goes to her page.
		{"GET /p/withdrawn", get, "/p/withdrawn", nil, func() map[string]int { m := all(200); m[pt], m[otherPt] = 303, 303; return m }()},
		{"GET /p/w/{id}", get, w("/p/w/%d"), nil, own(200, 404, get)},
		{"POST /p/w/{id}/signup", post, w("/p/w/%d/signup"), nil, own(303, 404, post)},
		{"POST /p/w/{id}/notes", post, w("/p/w/%d/notes"), url.Values{"prompt": {fmt.Sprint(e.prompt)}, "text": {""}}, own(422, 404, post)},
	}

	// Every route the module registers is in the table, and every row is
	// a registered route: the routes of a server without the module are
	// the platform's.
	platform := map[string]bool{}
	for _, r := range webtest.New(t, db.SQLite, false).App.Routes() {
		platform[r.Pattern] = true
	}
	registered := map[string]bool{}
	for _, r := range e.s.App.Routes() {
		if !platform[r.Pattern] {
			registered[r.Pattern] = true
		}
	}
	covered := map[string]bool{}
	for _, rt := range routes {
		covered[rt.pattern] = true
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		if !registered[rt.pattern] {
			t.Errorf("the table has %s, which the module does not register", rt.pattern)
		} else if method != rt.method || !routeMatches(pattern, rt.path) {
			t.Errorf("row %s asks %s %s", rt.pattern, rt.method, rt.path)
		}
	}
	for pattern := range registered {
		if !covered[pattern] {
			t.Errorf("route %s is in no row of the role-by-route table", pattern)
		}
	}

	for _, rt := range routes {
		for _, who := range everyone {
			want, ok := rt.want[who]
			if !ok {
				switch {
				case (who == out || who == pt || who == otherPt) && rt.method == get:
					want = 303 // to the sign-in page
				case who == out || who == pt || who == otherPt:
					want = 401
				default:
					want = 403
				}
			}
			var r *webtest.Response
			if strings.HasSuffix(rt.pattern, "/events") {
				r = e.getStream(who, rt.path, 2*time.Second)
			} else {
				r = e.do(who, rt.method, rt.path, rt.form)
			}
			if r.Status != want {
				name := who
				if who == out {
					name = "signed out"
				}
				t.Errorf("%s %s as %s: %d, want %d\n%.300s", rt.method, rt.path, name, r.Status, want, webtest.Text(r.Body))
			}
		}
	}
}

// pages a participant sees.
func participantPages(e *env) []string {
	return []string{"/p/", "/p/consent", fmt.Sprintf("/p/w/%d", e.ws)}
}

func TestAParticipantOfOneProcessCannotReadOrPostIntoAnothersWorkshop(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	o := e.clients[otherPt]
	if r := o.Get(fmt.Sprintf("/p/w/%d", e.ws)); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Första workshopen") {
		t.Errorf("another process's workshop: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	before, _ := e.st.Notes(context.Background(), e.ws, 0)
	for _, path := range []string{fmt.Sprintf("/p/w/%d/notes", e.ws), fmt.Sprintf("/p/w/%d/signup", e.ws)} {
		r := o.Post(path, webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Inte min process", "nonce", "intruder-nonce-1"))
		if r.Status != http.StatusNotFound {
			t.Errorf("POST %s from another process: %d", path, r.Status)
		}
	}
	after, _ := e.st.Notes(context.Background(), e.ws, 0)
	if len(after) != len(before) {
		t.Errorf("a participant of another process posted into the workshop: %d notes, want %d", len(after), len(before))
	}
	if signed, _ := e.st.SignedUp(context.Background(), e.ws, participantID(t, e, otherPt)); signed {
		t.Error("a participant of another process signed up for the workshop")
	}
	// Her own home lists only her own process's workshops.
	if r := o.Get("/p/"); strings.Contains(r.Body, "Första workshopen") || strings.Contains(r.Body, fmt.Sprintf("/p/w/%d\"", e.ws)) {
		t.Errorf("her home shows another process's workshop:\n%s", webtest.Text(r.Body))
	}
}

// participantID is the id of a participant client, from the database.
func participantID(t *testing.T, e *env, who string) int64 {
	t.Helper()
	name := map[string]string{pt: "Fatima Testsson", otherPt: "Olle Annansson"}[who]
	for _, p := range []process.Process{e.proc, e.other} {
		ps, err := e.st.Participants(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ps {
			if x.Name == name {
				return x.ID
			}
		}
	}
	t.Fatalf("participant %s: none named %q", who, name)
	return 0
}

func TestAParticipantNeverSeesAnotherParticipantsPersonalData(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	// Karin is in the same process and workshop, with an age band and
	// services no one else has.
	karin, _ := e.join(t, e.proc, "Karin Grannsdotter", "under_18", "mental_health")
	if r := karin.Post(fmt.Sprintf("/p/w/%d/signup", e.ws), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("sign up: %d", r.Status)
	}
	e.post(t, karin, e.ws, e.prompt, "Karins lapp om väntetider")
	if r := e.clients[pt].Post(fmt.Sprintf("/p/w/%d/signup", e.ws), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("sign up: %d", r.Status)
	}
	secret := []string{"Karin Grannsdotter", "Olle Annansson", e.tr("sv", "cc.age.under_18"), e.tr("sv", "cc.service.mental_health"),
		e.tr("sv", "cc.age.65_plus"), e.tr("sv", "cc.service.elderly_care")}
	for _, path := range participantPages(e) {
		r := e.clients[pt].Get(path)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.Status)
		}
		for _, s := range secret {
			if strings.Contains(r.Body, s) {
				t.Errorf("%s shows %q to another participant", path, s)
			}
		}
	}
	// She sees her own data and her own note; not Karin's note.
	if r := e.clients[pt].Get("/p/consent"); !strings.Contains(r.Body, "Fatima Testsson") || !strings.Contains(r.Body, e.tr("sv", "cc.age.26_40")) {
		t.Errorf("her own data is not on her page:\n%s", webtest.Text(r.Body))
	}
	r := e.clients[pt].Get(fmt.Sprintf("/p/w/%d", e.ws))
	if !strings.Contains(r.Body, "Bra bemötande i receptionen") || strings.Contains(r.Body, "Karins lapp") {
		t.Errorf("the workshop page shows others' notes or not hers:\n%s", webtest.Text(r.Body))
	}
	// Facilitators' pages are not reached with a participant's cookie.
	for _, path := range []string{fmt.Sprintf("/processes/%d/participants", e.proc.ID), fmt.Sprintf("/workshops/%d", e.ws),
		fmt.Sprintf("/workshops/%d/board", e.ws), fmt.Sprintf("/workshops/%d/export.csv", e.ws), fmt.Sprintf("/processes/%d/overview", e.proc.ID)} {
		r := karin.Get(path)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") || strings.Contains(r.Body, "Fatima") {
			t.Errorf("%s with a participant's cookie: %d %s", path, r.Status, r.Location)
		}
	}
}

func TestPostingOutsideThePhaseIsRefusedWithAClearMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.clients[pt]
	var proposals process.Phase
	for _, ph := range e.proc.Phases {
		if ph.Kind == "proposals" {
			proposals = ph
		}
	}
	day, _ := time.ParseInLocation(time.DateOnly, proposals.StartsOn, process.Stockholm)
	e.setNow(day.Add(10 * time.Hour))
	before, _ := e.st.Notes(context.Background(), e.ws, 0)
	r := c.Post(fmt.Sprintf("/p/w/%d/notes", e.ws), webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "För sent?", "nonce", "late-nonce-123"))
	if r.Status != http.StatusConflict || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.phase_closed.post_note")) {
		t.Errorf("a note in the proposals phase: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if !strings.Contains(r.Body, "För sent?") {
		t.Error("what she wrote is lost when the phase is closed")
	}
	if after, _ := e.st.Notes(context.Background(), e.ws, 0); len(after) != len(before) {
		t.Error("a note was saved outside its phase")
	}
	// Signing up is for the invitation and workshops phases.
	if r := c.Post(fmt.Sprintf("/p/w/%d/signup", e.ws), nil); r.Status != http.StatusConflict || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.phase_closed.sign_up")) {
		t.Errorf("sign-up in the proposals phase: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	// A facilitator still types in what was said on paper.
	f := e.clients[facil]
	f.Get(fmt.Sprintf("/workshops/%d/board", e.ws))
	if r := f.Post(fmt.Sprintf("/workshops/%d/notes", e.ws), webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Från papperslappen", "nonce", "paper-late-1")); r.Status != http.StatusSeeOther {
		t.Errorf("a paper note in the proposals phase: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	// After the decision no one joins any more: the link has expired.
	last := e.proc.Phases[len(e.proc.Phases)-1]
	end, _ := time.ParseInLocation(time.DateOnly, last.EndsOn, process.Stockholm)
	e.setNow(end)
	if r := e.s.Client().Get("/join/" + e.proc.JoinCode); r.Status != http.StatusGone {
		t.Errorf("join after the process: %d", r.Status)
	}
}

func TestWithdrawingConsentAnonymisesAndDeletesPersonalData(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			c := e.clients[pt]
			id := participantID(t, e, pt)
			if r := c.Post(fmt.Sprintf("/p/w/%d/signup", e.ws), nil); r.Status != http.StatusSeeOther {
				t.Fatalf("sign up: %d", r.Status)
			}
			// Without ticking the box nothing happens.
			r := c.Post("/p/withdraw", nil)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.confirm_withdraw")) {
				t.Fatalf("withdraw without confirming: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			r = c.Post("/p/withdraw", webtest.Form("confirm", "yes"))
			if r.Status != http.StatusSeeOther || r.Location != "/p/withdrawn" {
				t.Fatalf("withdraw: %d %q\n%s", r.Status, r.Location, webtest.Text(r.Body))
			}
			// She lands on a page that says it is done, with nothing about
			// her on it and the way to the public pages.
			done := c.Get(r.Location)
			if done.Status != http.StatusOK || !strings.Contains(done.Body, e.tr("sv", "cc.withdrawn.title")) || !strings.Contains(done.Body, `href="/"`) ||
				strings.Contains(done.Body, "Fatima") || strings.Contains(done.Body, "/signin\"") {
				t.Errorf("the page after withdrawing: %d\n%s", done.Status, webtest.Text(done.Body))
			}
			var name, role, age, services, consent string
			var token, code *string
			if err := e.s.App.DB.QueryRow(context.Background(), `SELECT name, role, age_band, services, consent_version, token_hash, code_hash FROM cc_participants WHERE id = $1`, id).
				Scan(&name, &role, &age, &services, &consent, &token, &code); err != nil {
				t.Fatal(err)
			}
			if name != "" || role != "" || age != "" || services != "" || token != nil || code != nil {
				t.Errorf("personal data kept after withdrawal: %q %q %q %q %v %v", name, role, age, services, token, code)
			}
			// The old cookie opens nothing; the code neither.
			for _, path := range participantPages(e) {
				if r := c.Get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/back") {
					t.Errorf("%s with the old cookie: %d %s", path, r.Status, r.Location)
				}
			}
			if r := c.Post(fmt.Sprintf("/p/w/%d/notes", e.ws), webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Igen", "nonce", "after-withdraw")); r.Status != http.StatusUnauthorized {
				t.Errorf("a note with the old cookie: %d", r.Status)
			}
			if r := e.s.Client().Post("/back", webtest.Form("code", e.codes[pt])); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("the code after withdrawal: %d", r.Status)
			}
			// Her note stays, as "a participant", on every facilitator page.
			f := e.clients[facil]
			anon := e.tr("sv", "cc.participant.anonymous")
			for _, path := range []string{fmt.Sprintf("/workshops/%d/board", e.ws), fmt.Sprintf("/processes/%d/participants", e.proc.ID)} {
				r := f.Get(path)
				if strings.Contains(r.Body, "Fatima") || !strings.Contains(r.Body, anon) {
					t.Errorf("%s after withdrawal: name shown or not anonymous\n%s", path, webtest.Text(r.Body))
				}
			}
			if r := f.Get(fmt.Sprintf("/workshops/%d/board", e.ws)); !strings.Contains(r.Body, "Bra bemötande i receptionen") {
				t.Error("her note is gone from the board")
			}
			if r := f.Get(fmt.Sprintf("/workshops/%d", e.ws)); strings.Contains(r.Body, "Fatima") {
				t.Error("her name is on the attendance list")
			}
			counts, _ := e.st.ParticipantCounts(context.Background(), e.proc.ID)
			if counts.Total != 0 {
				t.Errorf("she is still counted: %+v", counts)
			}
		})
	}
}

func TestComingBackOnAnotherDeviceWithTheShortCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	code := e.codes[pt]
	laptop := e.s.Client()
	// Typed as people type it: small letters, a space, a dash.
	typed := strings.ToLower(code[:4]) + " - " + code[4:]
	r := laptop.Post("/back", webtest.Form("code", typed, "next", fmt.Sprintf("/p/w/%d", e.ws)))
	if r.Status != http.StatusSeeOther || r.Location != fmt.Sprintf("/p/w/%d", e.ws) {
		t.Fatalf("come back: %d %s\n%s", r.Status, r.Location, webtest.Text(r.Body))
	}
	if r := laptop.Get(r.Location); r.Status != http.StatusOK || !strings.Contains(r.Body, "Bra bemötande i receptionen") {
		t.Errorf("her workshop on the laptop: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	// The newest device wins: the phone is asked for the code again, and
	// the code still works there.
	phone := e.clients[pt]
	if r := phone.Get("/p/"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/back") {
		t.Errorf("the phone's old token: %d %s", r.Status, r.Location)
	}
	if r := phone.Post("/back", webtest.Form("code", code)); r.Status != http.StatusSeeOther || r.Location != "/p/" {
		t.Errorf("come back on the phone: %d %s", r.Status, r.Location)
	}
	// A next that leads off the site is not followed.
	if r := e.s.Client().Post("/back", webtest.Form("code", code, "next", "//evil.example/")); r.Status != http.StatusSeeOther || r.Location != "/p/" {
		t.Errorf("come back with a foreign next: %d %s", r.Status, r.Location)
	}
}

func TestWrongCodesAreThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.s.Client()
	// Codes of the wrong form are no guesses: they are not counted.
	for i := 0; i < 12; i++ {
		if r := c.Post("/back", webtest.Form("code", "abc")); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a code too short, %d: %d", i+1, r.Status)
		}
	}
	wrong := "ZZZZZZZZ"
	if wrong == e.codes[pt] || wrong == e.codes[otherPt] {
		wrong = "YYYYYYYY"
	}
	for i := 0; i < process.CodeTries; i++ {
		r := c.Post("/back", webtest.Form("code", wrong))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.bad_code")) {
			t.Fatalf("wrong code %d: %d\n%s", i+1, r.Status, webtest.Text(r.Body))
		}
	}
	// Now even the right code waits.
	r := c.Post("/back", webtest.Form("code", e.codes[pt]))
	if r.Status != http.StatusTooManyRequests || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.too_many_codes")) {
		t.Errorf("the right code after all the wrong ones: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	e.advance(16 * time.Minute)
	if r := c.Post("/back", webtest.Form("code", e.codes[pt])); r.Status != http.StatusSeeOther {
		t.Errorf("the right code after the window: %d\n%s", r.Status, webtest.Text(r.Body))
	}
}

func TestAFacilitatorsPaperEntryIsMarkedAsSuch(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			f := e.clients[facil]
			f.Get(fmt.Sprintf("/processes/%d/participants", e.proc.ID))
			r := f.Post(fmt.Sprintf("/processes/%d/participants", e.proc.ID), webtest.Form("name", "Gösta på papper", "role", "relative"))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.paper_consent")) {
				t.Fatalf("added from paper without the signed consent: %d", r.Status)
			}
			r = f.Post(fmt.Sprintf("/processes/%d/participants", e.proc.ID), webtest.Form("name", "Gösta på papper", "role", "relative", "consent", "yes"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("add from paper: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if r := f.Get(r.Location); !strings.Contains(r.Body, "Gösta på papper") || !strings.Contains(r.Body, e.tr("sv", "cc.participants.paper")) {
				t.Errorf("the participant from paper is not marked:\n%s", webtest.Text(r.Body))
			}
			f.Get(fmt.Sprintf("/workshops/%d/board", e.ws))
			r = f.Post(fmt.Sprintf("/workshops/%d/notes", e.ws), webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Skrivet på lapp: mer tid"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("paper note: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			notes, _ := e.st.Notes(context.Background(), e.ws, 0)
			var paper workshop.Note
			for _, n := range notes {
				if n.Text == "Skrivet på lapp: mer tid" {
					paper = n
				}
			}
			if !paper.FromPaper {
				t.Fatalf("the note is not marked as from paper: %+v", paper)
			}
			mark := e.tr("sv", "cc.note.paper")
			b := f.Get(fmt.Sprintf("/workshops/%d/board", e.ws)).Body
			if i := strings.Index(b, fmt.Sprintf(`id="note-%d"`, paper.ID)); i < 0 || !strings.Contains(b[i:min(len(b), i+600)], mark) {
				t.Errorf("the board does not mark the paper note with %q", mark)
			}
			if i := strings.Index(b, fmt.Sprintf(`id="note-%d"`, e.note)); i < 0 || strings.Contains(b[i:min(len(b), i+300)], mark) {
				t.Error("the participant's own note is marked as from paper")
			}
			if b := f.Get(fmt.Sprintf("/workshops/%d/print", e.ws)).Body; !strings.Contains(b, mark) {
				t.Error("the print view does not mark the paper note")
			}
			csv := f.Get(fmt.Sprintf("/workshops/%d/export.csv", e.ws)).Body
			if !strings.Contains(csv, "Skrivet på lapp: mer tid;0;;"+e.tr("sv", "cc.csv.yes")) {
				t.Errorf("the CSV does not mark the paper note:\n%s", csv)
			}
		})
	}
}

// streamingClient is a plain HTTP client signed in as a demo person, for reading
// an event stream as it arrives (webtest's client reads a body to its end).
func streamingClient(t *testing.T, e *env, login string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(e.s.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	resp, err = c.PostForm(e.s.URL+"/signin", url.Values{"csrf_token": {string(m[1])}, "login": {login}, "secret": {demo.Password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %v %v", login, resp, err)
	}
	resp.Body.Close()
	return c
}

// openEvents opens an event stream and hands on what it reads, line by line,
// until the test ends.
func openEvents(t *testing.T, c *http.Client, e *env, path, lastEventID string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.s.URL+path, nil)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 100)
	go func() {
		defer resp.Body.Close()
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// readEventsUntil reads the stream's lines until one holds want, and returns them.
func readEventsUntil(t *testing.T, lines <-chan string, want string) string {
	t.Helper()
	var got strings.Builder
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended without %q:\n%s", want, got.String())
			}
			got.WriteString(l + "\n")
			if strings.Contains(l, want) {
				return got.String()
			}
		case <-timeout:
			t.Fatalf("no %q in the stream within 10 seconds:\n%s", want, got.String())
		}
	}
}

// TestAHEADOfTheStreamEnds: HEAD matches the GET route, and the stream
// loop held such a request (and a connection) open until the client gave
// up. The handler itself must return.
func TestAHEADOfTheStreamEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	f := streamingClient(t, e, facil)
	target := fmt.Sprintf("%s/workshops/%d/events", e.s.URL, e.ws)
	u, _ := url.Parse(target)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a bound on a hang
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodHead, target, nil)
	for _, c := range f.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.s.App.Handler().ServeHTTP(rec, req)
	if ctx.Err() != nil {
		t.Fatal("HEAD of the event stream was held open until the deadline")
	}
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/event-stream") {
		t.Errorf("HEAD of the event stream: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestTheBoardStreamsANotePostedByAParticipant(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			f := streamingClient(t, e, facil)
			// The board was opened with the notes up to e.note.
			lines := openEvents(t, f, e, fmt.Sprintf("/workshops/%d/events?after=%d", e.ws, e.note), "")
			id := e.post(t, e.clients[pt], e.ws, e.prompt, "Live: väntetiden är för lång")
			got := readEventsUntil(t, lines, "Live: väntetiden är för lång")
			if !strings.Contains(got, fmt.Sprintf("id: %d\nevent: note\ndata: ", id)) {
				t.Errorf("the note is not an event of its own with its id:\n%s", got)
			}
			if strings.Contains(got, "Bra bemötande") {
				t.Error("the stream repeats a note from before ?after=")
			}
			if strings.Contains(got, "Fatima") {
				t.Error("the stream names the author")
			}
			// A dropped connection resumes after the last event it had.
			again := readEventsUntil(t, openEvents(t, f, e, fmt.Sprintf("/workshops/%d/events", e.ws), fmt.Sprint(e.note)), "Live: väntetiden är för lång")
			if strings.Contains(again, "Bra bemötande") {
				t.Errorf("resuming after %d repeats older notes:\n%s", e.note, again)
			}
		})
	}
}

// Adding a theme to a long board brings the facilitator back to the new
// theme, with a word beside it that it was added, once; without a script.
func TestAnAddedThemeIsWhereTheBoardOpens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	f := e.clients[facil]
	r := f.Post(fmt.Sprintf("/workshops/%d/themes", e.ws), webtest.Form("theme", "Bemötande"))
	themes, _ := e.st.Themes(context.Background(), e.ws)
	if len(themes) != 1 {
		t.Fatalf("themes: %+v", themes)
	}
	want := fmt.Sprintf("/workshops/%d/board#theme-%d", e.ws, themes[0].ID)
	if r.Status != http.StatusSeeOther || r.Location != want {
		t.Fatalf("add a theme: %d %q, want 303 to %s", r.Status, r.Location, want)
	}
	page := f.Get(r.Location)
	section := page.Body[max(0, strings.Index(page.Body, fmt.Sprintf(`id="theme-%d"`, themes[0].ID))):]
	section = section[:max(0, strings.Index(section, "</section>"))]
	said := e.tr("sv", "cc.board.theme_added", "Theme", "Bemötande")
	if page.Status != http.StatusOK || !strings.Contains(section, `tabindex="-1"`) || !strings.Contains(webtest.Text(section), said) {
		t.Errorf("the board after adding a theme: %d, the theme's column:\n%s", page.Status, section)
	}
	if strings.Count(webtest.Text(page.Body), said) != 1 {
		t.Error("the confirmation is not said once, beside the theme")
	}
	if again := f.Get(r.Location); strings.Contains(webtest.Text(again.Body), said) {
		t.Error("the confirmation is said again on the next visit")
	}
}

func TestTheCSVExportHasNoPersonalDataAndDefusesFormulas(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.clients[pt]
	for _, text := range []string{`=HYPERLINK("http://evil.example","klicka")`, "+46 70 123", "-1+2", "@SUM(A1)", "Vanlig lapp"} {
		e.post(t, c, e.ws, e.prompt, text)
	}
	f := e.clients[facil]
	f.Get(fmt.Sprintf("/workshops/%d/board", e.ws))
	if r := f.Post(fmt.Sprintf("/workshops/%d/themes", e.ws), webtest.Form("theme", "=1+1 tema")); r.Status != http.StatusSeeOther {
		t.Fatalf("theme: %d", r.Status)
	}
	themes, _ := e.st.Themes(context.Background(), e.ws)
	if err := e.st.MoveNote(context.Background(), e.ws, e.note, themes[0].ID); err != nil {
		t.Fatal(err)
	}
	formula, err := e.st.OpenPrompt(context.Background(), e.ws, "=cmd|' /C calc'!A0")
	if err != nil {
		t.Fatal(err)
	}
	e.post(t, c, e.ws, formula, "Svar på en konstig fråga")
	r := f.Get(fmt.Sprintf("/workshops/%d/export.csv", e.ws))
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	for _, name := range []string{"Fatima", "Testsson", e.tr("sv", "cc.age.26_40"), e.tr("sv", "cc.service.housing"), "service_user"} {
		if strings.Contains(r.Body, name) {
			t.Errorf("the CSV holds personal data %q", name)
		}
	}
	rows := strings.Split(strings.TrimPrefix(r.Body, "\uFEFF"), "\n")
	for _, row := range rows[1:] {
		for _, cell := range strings.Split(row, ";") {
			cell = strings.TrimPrefix(cell, `"`)
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("a cell starts a formula: %q in %q", cell, row)
			}
		}
	}
	if !strings.Contains(r.Body, "Vanlig lapp") || !strings.Contains(r.Body, "'=HYPERLINK") {
		t.Errorf("the CSV lacks the notes:\n%s", r.Body)
	}
}

func TestTheProjectorViewIsReadOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	r := e.clients[facil].Get(fmt.Sprintf("/workshops/%d/projector", e.ws))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Bra bemötande i receptionen") {
		t.Fatalf("projector: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	// The module's part of the page: the layout around it has the
	// language switch and sign-out.
	main := r.Body
	i, j := strings.Index(main, `<div class="projector`), strings.Index(main, "</main>")
	if i < 0 || j < i {
		t.Fatalf("no projector view in the page:\n%s", r.Body)
	}
	main = main[i:j]
	for _, s := range []string{"<form", "<select", "<button", "<textarea", "draggable", "/notes/", "/themes"} {
		if strings.Contains(main, s) {
			t.Errorf("the projector view has %q", s)
		}
	}
	if strings.Contains(r.Body, "Fatima") {
		t.Error("the projector shows a participant's name")
	}
	if !strings.Contains(r.Body, e.proc.JoinCode) {
		t.Error("the projector does not show how to join")
	}
}

// count is the number of rows of a table, for "nothing half-saved".
func (e *env) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := e.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// saved is a snapshot of what forms write, to show that a refused form
// saved nothing.
func (e *env) saved(t *testing.T) string {
	t.Helper()
	var phases string
	for _, ph := range mustProcess(t, e, e.proc.ID).Phases {
		phases += ph.Kind + ph.StartsOn + ph.EndsOn + ph.Name + ";"
	}
	w, _ := e.st.Workshop(context.Background(), e.ws)
	return fmt.Sprintf("notes %d participants %d workshops %d processes %d themes %d prompts %d phases %s workshop %s %s",
		e.count(t, "cc_notes"), e.count(t, "cc_participants"), e.count(t, "cc_workshops"), e.count(t, "cc_processes"),
		e.count(t, "cc_themes"), e.count(t, "cc_prompts"), phases, w.Title, w.StartsAt)
}

func mustProcess(t *testing.T, e *env, id int64) process.Process {
	t.Helper()
	p, err := e.st.Process(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadInputIsRefusedClearlyAndNothingIsHalfSaved(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			testBadInput(t, dialect)
		})
	}
}

func testBadInput(t *testing.T, dialect db.Dialect) {
	e := newEnv(t, dialect)
	long := strings.Repeat("Väntetiden är lång. ", 500)[:len("Väntetiden är lång. ")*500-1] + "!" // 10,000 characters
	p := func(format string) string { return fmt.Sprintf(format, e.proc.ID) }
	w := func(format string) string { return fmt.Sprintf(format, e.ws) }
	day := e.now().AddDate(0, 0, 3).Format(time.DateOnly)
	workshop := func(kv ...string) url.Values {
		f := webtest.Form("title", "Ny workshop", "date", day, "start", "17:00", "end", "19:00", "place", "Biblioteket")
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	phases := func(kv ...string) url.Values {
		f := url.Values{}
		for i, ph := range e.proc.Phases {
			k := fmt.Sprint(i)
			f.Set("kind"+k, ph.Kind)
			f.Set("starts"+k, ph.StartsOn)
			f.Set("ends"+k, ph.EndsOn)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	note := func(text string) url.Values {
		return webtest.Form("prompt", fmt.Sprint(e.prompt), "text", text, "nonce", fmt.Sprintf("bad-input-%d", time.Now().UnixNano()))
	}
	join := func(kv ...string) url.Values {
		f := webtest.Form("name", "Ny Person", "role", "service_user", "consent", "yes", "lang", "sv")
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	otherPrompts, _ := e.st.Prompts(context.Background(), e.otherWs)
	otherPrompt := otherPrompts[0].ID
	tests := []struct {
		name   string
		who    string
		method string
		path   string
		form   url.Values
		status int
		key    string   // the message shown, by its catalogue key
		keep   []string // what she typed, still in the form
	}{
		{"an empty note", pt, "POST", w("/p/w/%d/notes"), note("   \n "), 422, "cc.error.note_empty", nil},
		{"a 10,000-character note", pt, "POST", w("/p/w/%d/notes"), note(long), 422, "cc.error.note_long", []string{long}},
		{"a note to a prompt of another workshop", pt, "POST", w("/p/w/%d/notes"), webtest.Form("prompt", "999999", "text", "Min lapp", "nonce", "wrong-prompt-1"), 422, "cc.error.prompt_closed", []string{"Min lapp"}},
		{"a note to a prompt that is not a number", pt, "POST", w("/p/w/%d/notes"), webtest.Form("prompt", "första", "text", "Min lapp", "nonce", "wrong-prompt-2"), 422, "cc.error.prompt_closed", []string{"Min lapp"}},
		{"an empty paper note", facil, "POST", w("/workshops/%d/notes"), note(""), 422, "cc.error.note_empty", nil},
		{"a 10,000-character paper note", facil, "POST", w("/workshops/%d/notes"), note(long), 422, "cc.error.note_long", []string{long}},
		{"a forged invitation link", out, "GET", "/join/forged-link", nil, 404, "cc.error.bad_link", nil},
		{"joining by a forged invitation link", out, "POST", "/join/forged-link", join(), 404, "cc.error.bad_link", nil},
		{"an unknown role when joining", out, "POST", "/join/" + e.proc.JoinCode, join("role", "king"), 422, "cc.error.role", []string{"Ny Person"}},
		{"an unknown age band when joining", out, "POST", "/join/" + e.proc.JoinCode, join("age_band", "ancient"), 422, "form.invalid_choice", []string{"Ny Person"}},
		{"an unknown service when joining", out, "POST", "/join/" + e.proc.JoinCode, join("services", "spa"), 422, "form.invalid_choice", []string{"Ny Person"}},
		{"joining without consent", out, "POST", "/join/" + e.proc.JoinCode, join("consent", ""), 422, "cc.error.consent", []string{"Ny Person"}},
		{"an unknown role on paper", facil, "POST", p("/processes/%d/participants"), webtest.Form("name", "Pappersperson", "role", "admin"), 422, "cc.error.role", []string{"Pappersperson"}},
		{"a workshop on 30 February", facil, "POST", p("/processes/%d/workshops"), workshop("date", "2023-02-30"), 422, "cc.error.date", []string{"Ny workshop"}},
		{"a workshop date in another format", facil, "POST", p("/processes/%d/workshops"), workshop("date", "15/3/2023"), 422, "cc.error.date", []string{"Ny workshop"}},
		{"a workshop that ends before it starts", facil, "POST", p("/processes/%d/workshops"), workshop("end", "16:00"), 422, "cc.error.ends_before", []string{"Ny workshop"}},
		{"a workshop at 25 o'clock", facil, "POST", w("/workshops/%d"), workshop("start", "25:00"), 422, "cc.error.time", []string{"Ny workshop", `value="25:00"`}},
		{"a workshop ending at five in the afternoon", facil, "POST", w("/workshops/%d"), workshop("end", "5pm"), 422, "cc.error.time", []string{"Ny workshop", `value="5pm"`}},
		{"a workshop with a javascript: link", facil, "POST", w("/workshops/%d"), workshop("video_url", "javascript:alert(1)"), 422, "cc.error.url", []string{"Ny workshop"}},
		{"a workshop with minus places", facil, "POST", w("/workshops/%d"), workshop("capacity", "-3"), 422, "cc.error.capacity", []string{"Ny workshop"}},
		{"a process starting on no date", facil, "POST", "/processes", webtest.Form("title", "Ny process", "start", "i vår", "org", fmt.Sprint(e.proc.OrgID)), 422, "cc.error.date", []string{"Ny process"}},
		{"a process in an administration that is not hers", facil, "POST", "/processes", webtest.Form("title", "Ny process", "org", fmt.Sprint(e.other.OrgID)), 422, "form.invalid_choice", []string{"Ny process"}},
		{"a process in an administration that is not a number", facil, "POST", "/processes", webtest.Form("title", "Ny process", "org", "social"), 422, "form.invalid_choice", []string{"Ny process"}},
		{"a phase on 31 April", facil, "POST", p("/processes/%d/phases"), phases("ends2", "2023-04-31"), 422, "cc.error.date", nil},
		{"a phase that ends before it starts", facil, "POST", p("/processes/%d/phases"), phases("ends2", "2000-01-01"), 422, "cc.error.ends_before", nil},
		{"a phase of an unknown kind", facil, "POST", p("/processes/%d/phases"), phases("kind3", "party"), 422, "form.invalid_choice", nil},
		{"a custom phase without a name", facil, "POST", p("/processes/%d/phases"), phases("kind9", "custom", "starts9", "2024-01-01", "ends9", "2024-02-01"), 422, "cc.error.phase_name", nil},
		{"no phases at all", facil, "POST", p("/processes/%d/phases"), url.Values{}, 422, "cc.error.no_phases", nil},
		{"more phases than any process needs", facil, "POST", p("/processes/%d/phases"), func() url.Values {
			f := url.Values{}
			for i := 0; i <= process.MaxPhases; i++ {
				f.Set(fmt.Sprint("kind", i), "workshops")
				f.Set(fmt.Sprint("starts", i), "2023-03-01")
				f.Set(fmt.Sprint("ends", i), "2023-03-02")
			}
			return f
		}(), 422, "cc.error.too_many_phases", nil},
		{"a theme without a name", facil, "POST", w("/workshops/%d/themes"), webtest.Form("theme", " "), 422, "form.required", nil},
		{"a note moved to a theme that is not a number", facil, "POST", fmt.Sprintf("/workshops/%d/notes/%d/theme", e.ws, e.note), webtest.Form("theme", "tema"), 422, "form.invalid_choice", nil},
		{"a note moved to another workshop's theme", facil, "POST", fmt.Sprintf("/workshops/%d/notes/%d/theme", e.ws, e.note), webtest.Form("theme", "999999"), 422, "form.invalid_choice", nil},
		{"an unknown mark", facil, "POST", fmt.Sprintf("/workshops/%d/notes/%d/mark", e.ws, e.note), webtest.Form("mark", "gold"), 422, "form.invalid_choice", nil},
		{"a note merged into itself", facil, "POST", fmt.Sprintf("/workshops/%d/notes/%d/merge", e.ws, e.note), webtest.Form("into", fmt.Sprint(e.note)), 422, "cc.error.merge_self", nil},
		{"a note merged into no note", facil, "POST", fmt.Sprintf("/workshops/%d/notes/%d/merge", e.ws, e.note), webtest.Form("into", "x"), 422, "form.invalid_choice", nil},
		{"an empty prompt", facil, "POST", w("/workshops/%d/prompts"), webtest.Form("prompt", ""), 422, "form.required", nil},
		{"a process id that is not a number", facil, "GET", "/processes/abc", nil, 404, "error.not_found", nil},
		{"a process id below one", facil, "GET", "/processes/-1", nil, 404, "error.not_found", nil},
		{"a process id beyond int64", facil, "GET", "/processes/99999999999999999999", nil, 404, "error.not_found", nil},
		{"a process that does not exist", facil, "GET", "/processes/424242", nil, 404, "error.not_found", nil},
		{"a workshop id that is not a number", facil, "GET", "/workshops/1e3/board", nil, 404, "error.not_found", nil},
		{"a workshop that does not exist", facil, "GET", "/workshops/424242/board", nil, 404, "error.not_found", nil},
		{"a note id that is not a number", facil, "POST", w("/workshops/%d/notes/abc/mark"), webtest.Form("mark", ""), 404, "error.not_found", nil},
		{"a note that does not exist", facil, "POST", w("/workshops/%d/notes/424242/mark"), webtest.Form("mark", ""), 404, "error.not_found", nil},
		{"a prompt id that is not a number", facil, "POST", w("/workshops/%d/prompts/abc"), webtest.Form("open", "1"), 404, "error.not_found", nil},
		{"a participant's workshop that is not a number", pt, "GET", "/p/w/abc", nil, 404, "error.not_found", nil},
		{"a participant's workshop that does not exist", pt, "GET", "/p/w/424242", nil, 404, "error.not_found", nil},
		{"an asset that is not there", out, "GET", "/assets/cocreation/missing.css", nil, 404, "error.not_found", nil},
		{"an asset folder", out, "GET", "/assets/cocreation/", nil, 404, "error.not_found", nil},
		{"a file outside the assets", out, "GET", "/assets/cocreation/..%2fmodule.go", nil, 404, "error.not_found", nil},
		{"an empty code", out, "POST", "/back", webtest.Form("code", ""), 422, "cc.error.bad_code", nil},
		{"a code of the wrong length", out, "POST", "/back", webtest.Form("code", "zq9"), 422, "cc.error.bad_code", []string{`value="zq9"`}},
		{"a prompt of another workshop", facil, "POST", fmt.Sprintf("/workshops/%d/prompts/%d", e.ws, otherPrompt), webtest.Form("open", "0"), 404, "error.not_found", nil},
	}
	for _, tt := range tests {
		before := e.saved(t)
		c := e.clients[tt.who]
		var r *webtest.Response
		if tt.method == "GET" {
			r = c.Get(tt.path)
		} else {
			// Every form is posted from its page, as a browser does.
			r = c.Post(tt.path, tt.form)
		}
		text := webtest.Text(r.Body)
		if r.Status != tt.status {
			t.Errorf("%s: %d, want %d\n%.400s", tt.name, r.Status, tt.status, text)
			continue
		}
		msg := e.tr("sv", tt.key, "Max", process.MaxNote, "N", 10000)
		if tt.key == "cc.error.too_many_phases" {
			msg = e.tr("sv", tt.key, "Max", process.MaxPhases)
		}
		if tt.key != "" && !strings.Contains(text, msg) {
			t.Errorf("%s: the page does not say %q (%s)\n%.400s", tt.name, msg, tt.key, text)
		}
		for _, k := range tt.keep {
			if !strings.Contains(r.Body, k) && !strings.Contains(r.Body, html.EscapeString(k)) && !strings.Contains(r.Body, template.HTMLEscapeString(k)) {
				t.Errorf("%s: what was typed is not kept in the form (%.40q…)", tt.name, k)
			}
		}
		if after := e.saved(t); after != before {
			t.Errorf("%s: something was saved:\n before %s\n after  %s", tt.name, before, after)
		}
	}
}

// withCookie sends a request as c with a participant cookie set by hand:
// a forged or an old token.
func withCookie(c *webtest.Client, e *env, method, path, token string, form url.Values) *webtest.Response {
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequest(method, e.s.URL+path, nil)
	} else {
		if form == nil {
			form = url.Values{}
		}
		form.Set("csrf_token", c.CSRF())
		req, _ = http.NewRequest(method, e.s.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "megafon_participant", Value: token})
	return c.Do(req)
}

func TestAForgedOrReusedTokenOpensNothingAndLosesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	// The phone's token, replaced when she came back on the laptop.
	phone := e.clients[pt]
	laptop := e.s.Client()
	if r := laptop.Post("/back", webtest.Form("code", e.codes[pt])); r.Status != http.StatusSeeOther {
		t.Fatalf("come back: %d", r.Status)
	}
	before := e.saved(t)
	for name, c := range map[string]*webtest.Client{"a reused token": phone, "a forged token": nil} {
		token := ""
		if c == nil {
			c = e.s.Client()
			token = "Zm9yZ2VkLXRva2VuLXRoYXQtbG9va3MtcmVhbC1lbm91Z2gtMTIzNDU2Nzg"
		}
		send := func(method, path string, form url.Values) *webtest.Response {
			if token == "" {
				if method == http.MethodGet {
					return c.Get(path)
				}
				return c.Post(path, form)
			}
			return withCookie(c, e, method, path, token, form)
		}
		for _, path := range participantPages(e) {
			r := send(http.MethodGet, path, nil)
			if r.Status != http.StatusSeeOther || r.Location != "/back?next="+url.QueryEscape(path) {
				t.Errorf("%s: GET %s: %d %s", name, path, r.Status, r.Location)
			}
		}
		// A note she wrote with an old token: she is asked for her code,
		// told why, and what she wrote is still there to copy.
		r := send(http.MethodPost, fmt.Sprintf("/p/w/%d/notes", e.ws), note(e, "Det jag skrev på telefonen"))
		text := webtest.Text(r.Body)
		if r.Status != http.StatusUnauthorized || !strings.Contains(text, e.tr("sv", "cc.error.not_participant")) {
			t.Errorf("%s: a note: %d\n%.400s", name, r.Status, text)
		}
		if !strings.Contains(text, "Det jag skrev på telefonen") || !strings.Contains(r.Body, `action="/back"`) {
			t.Errorf("%s: the note is lost, or no way back with the code:\n%.600s", name, text)
		}
		for _, path := range []string{fmt.Sprintf("/p/w/%d/signup", e.ws), "/p/withdraw"} {
			if r := send(http.MethodPost, path, webtest.Form("confirm", "yes")); r.Status != http.StatusUnauthorized || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.not_participant")) {
				t.Errorf("%s: POST %s: %d", name, path, r.Status)
			}
		}
	}
	if after := e.saved(t); after != before {
		t.Errorf("something was saved with a bad token:\n before %s\n after  %s", before, after)
	}
	// On the phone she types her code, and her note is back in its box.
	if r := phone.Post("/back", webtest.Form("code", e.codes[pt], "next", fmt.Sprintf("/p/w/%d", e.ws))); r.Status != http.StatusSeeOther {
		t.Fatalf("come back: %d", r.Status)
	}
	r := phone.Get(fmt.Sprintf("/p/w/%d", e.ws))
	if !regexp.MustCompile(`<textarea id="f-text"[^>]*>Det jag skrev på telefonen</textarea>`).MatchString(r.Body) {
		t.Errorf("her note is not back in its box:\n%s", webtest.Text(r.Body))
	}
	if r := phone.Get(fmt.Sprintf("/p/w/%d", e.ws)); strings.Contains(r.Body, "Det jag skrev på telefonen") {
		t.Error("the note waits in the box after it was shown once")
	}
	if p, err := e.st.Participant(context.Background(), participantID(t, e, pt)); err != nil || p.Withdrawn {
		t.Errorf("a bad token withdrew her: %+v %v", p, err)
	}
}

func note(e *env, text string) url.Values {
	return webtest.Form("prompt", fmt.Sprint(e.prompt), "text", text, "nonce", fmt.Sprintf("n-%d", time.Now().UnixNano()))
}

func TestAnExpiredOrForgedInvitationSaysSoInTheUsersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.s.Client()
	if r := c.Post("/lang", webtest.Form("lang", "en")); r.Status != http.StatusSeeOther {
		t.Fatalf("language: %d", r.Status)
	}
	join := webtest.Form("name", "Late Larry", "role", "relative", "consent", "yes", "lang", "en")
	for _, tt := range []struct {
		name, path string
		status     int
		key        string
	}{
		{"a forged link", "/join/not-a-real-code", 404, "cc.error.bad_link"},
		{"an empty code", "/join/%20", 404, "cc.error.bad_link"},
	} {
		for _, method := range []string{"GET", "POST"} {
			r := e.do2(c, method, tt.path, join)
			if r.Status != tt.status || !strings.Contains(webtest.Text(r.Body), e.tr("en", tt.key)) || e.tr("en", tt.key) == e.tr("sv", tt.key) {
				t.Errorf("%s (%s): %d\n%.300s", tt.name, method, r.Status, webtest.Text(r.Body))
			}
		}
	}
	before := e.saved(t)
	e.setNow(mustProcess(t, e, e.proc.ID).JoinUntil.Add(time.Minute))
	for _, method := range []string{"GET", "POST"} {
		r := e.do2(c, method, "/join/"+e.proc.JoinCode, join)
		if r.Status != http.StatusGone || !strings.Contains(webtest.Text(r.Body), e.tr("en", "cc.error.link_expired")) {
			t.Errorf("an expired link (%s): %d\n%.300s", method, r.Status, webtest.Text(r.Body))
		}
	}
	if after := e.saved(t); after != before {
		t.Errorf("joining by an expired link saved something:\n before %s\n after  %s", before, after)
	}
}

func (e *env) do2(c *webtest.Client, method, path string, form url.Values) *webtest.Response {
	if method == http.MethodGet {
		return c.Get(path)
	}
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	return c.Post(path, f)
}

func TestADoubleSubmittedNoteIsSavedOnce(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			c := e.clients[pt]
			page := c.Get(fmt.Sprintf("/p/w/%d", e.ws)).Body
			m := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(page)
			if m == nil {
				t.Fatal("the note form has no nonce")
			}
			before := e.count(t, "cc_notes")
			form := webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Två tryck på Skicka", "nonce", m[1])
			for i := 0; i < 2; i++ {
				if r := c.Post(fmt.Sprintf("/p/w/%d/notes", e.ws), form); r.Status != http.StatusSeeOther {
					t.Fatalf("post %d: %d\n%s", i+1, r.Status, webtest.Text(r.Body))
				}
			}
			if n := e.count(t, "cc_notes"); n != before+1 {
				t.Errorf("%d notes saved, want 1", n-before)
			}
			// The same nonce in another participant's post, or another
			// workshop's, is no duplicate of hers: it is saved, not an error.
			o := e.clients[otherPt]
			otherPrompt, _ := e.st.Prompts(context.Background(), e.otherWs)
			r := o.Post(fmt.Sprintf("/p/w/%d/notes", e.otherWs), webtest.Form("prompt", fmt.Sprint(otherPrompt[0].ID), "text", "Annan process", "nonce", m[1]))
			if r.Status != http.StatusSeeOther {
				t.Errorf("the same nonce in another workshop: %d\n%.300s", r.Status, webtest.Text(r.Body))
			}
			if n := e.count(t, "cc_notes"); n != before+2 {
				t.Errorf("the other workshop's note: %d notes, want %d", n, before+2)
			}
			// A facilitator's double click on a paper note is one note too.
			f := e.clients[facil]
			board := f.Get(fmt.Sprintf("/workshops/%d/board", e.ws)).Body
			pm := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(board)
			if pm == nil {
				t.Fatal("the paper note form has no nonce")
			}
			for i := 0; i < 2; i++ {
				if r := f.Post(fmt.Sprintf("/workshops/%d/notes", e.ws), webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Från papper, två klick", "nonce", pm[1])); r.Status != http.StatusSeeOther {
					t.Fatalf("paper post %d: %d", i+1, r.Status)
				}
			}
			if n := e.count(t, "cc_notes"); n != before+3 {
				t.Errorf("a double-clicked paper note: %d notes, want %d", n, before+3)
			}
			// Joining twice from the same browser is one participant.
			parts := e.count(t, "cc_participants")
			if r := c.Post("/join/"+e.proc.JoinCode, webtest.Form("name", "Fatima Testsson", "role", "service_user", "consent", "yes")); r.Status != http.StatusSeeOther {
				t.Errorf("joining again: %d", r.Status)
			}
			if n := e.count(t, "cc_participants"); n != parts {
				t.Errorf("joining again made %d more participants", n-parts)
			}
		})
	}
}

// Control characters are refused by the platform before any handler
// (platform/input): every co-creation form that carries one is answered
// 422 with a message that says what to fix, and nothing is saved.
func TestControlCharactersNeverReachTheDatabase(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			before := e.saved(t)
			f := e.clients[facil]
			f.Get(fmt.Sprintf("/workshops/%d/board", e.ws))
			for _, tt := range []struct {
				what string
				c    *webtest.Client
				path string
				form url.Values
			}{
				{"a note", e.clients[pt], fmt.Sprintf("/p/w/%d/notes", e.ws), note(e, "Noll\x00byte och\x1b escape")},
				{"a name", e.s.Client(), "/join/" + e.proc.JoinCode, webtest.Form("name", "Nul\x00Person", "role", "service_user", "consent", "yes")},
				{"a theme", f, fmt.Sprintf("/workshops/%d/themes", e.ws), webtest.Form("theme", "Tema\x00")},
				{"a workshop", f, fmt.Sprintf("/workshops/%d", e.ws), webtest.Form("title", "Titel\x00", "date", "2023-03-05", "start", "17:00", "end", "19:00", "place", "Här\x00")},
				{"a process", f, fmt.Sprintf("/processes/%d", e.proc.ID), webtest.Form("title", "Process\x00", "purpose", "Syfte\x00")},
			} {
				r := tt.c.Post(tt.path, tt.form)
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "error.input.control")) {
					t.Errorf("%s with a NUL byte: %d\n%.300s", tt.what, r.Status, webtest.Text(r.Body))
				}
			}
			if after := e.saved(t); after != before {
				t.Errorf("forms with control characters saved something:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

func TestThePhasesFormSavesEveryRowItIsSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	f := e.clients[facil]
	f.Get(fmt.Sprintf("/processes/%d/phases", e.proc.ID))
	// The rows as the page numbers them, then a phase added far down (a
	// page of many phases), and the empty row for a new one.
	form := url.Values{}
	for i, ph := range e.proc.Phases {
		k := fmt.Sprint(i)
		form.Set("kind"+k, ph.Kind)
		form.Set("name"+k, ph.Name)
		form.Set("starts"+k, ph.StartsOn)
		form.Set("ends"+k, ph.EndsOn)
	}
	form.Set("skip2", "1")
	form.Set("kind35", "custom")
	form.Set("name35", "Återkoppling till deltagarna")
	form.Set("starts35", "2024-01-08")
	form.Set("ends35", "2024-01-19")
	form.Set("kind36", "custom")
	if r := f.Post(fmt.Sprintf("/processes/%d/phases", e.proc.ID), form); r.Status != http.StatusSeeOther {
		t.Fatalf("save phases: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	got := mustProcess(t, e, e.proc.ID).Phases
	if len(got) != len(e.proc.Phases)+1 || got[len(got)-1].Name != "Återkoppling till deltagarna" || !got[2].Skipped {
		t.Errorf("saved phases: %+v", got)
	}
}

func TestANoteWrittenAsThePromptClosesIsNotLost(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.clients[pt]
	c.Get(fmt.Sprintf("/p/w/%d", e.ws))
	if err := e.st.SetPromptOpen(context.Background(), e.ws, e.prompt, false); err != nil {
		t.Fatal(err)
	}
	r := c.Post(fmt.Sprintf("/p/w/%d/notes", e.ws), note(e, "Skrev precis när frågan stängdes"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.prompt_closed")) {
		t.Errorf("a note to a closed prompt: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if !strings.Contains(r.Body, "Skrev precis när frågan stängdes") {
		t.Error("what she wrote is lost")
	}
}

func TestAnInvitationToAWorkshopLeadsToItsOwnProcessOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	form := webtest.Form("name", "Via QR", "role", "young_person", "consent", "yes")
	for w, want := range map[int64]string{e.ws: fmt.Sprintf("/p/?w=%d", e.ws), e.otherWs: "/p/"} {
		c := e.s.Client()
		c.Get(fmt.Sprintf("/join/%s?w=%d", e.proc.JoinCode, w))
		f := url.Values{"w": {fmt.Sprint(w)}}
		for k, v := range form {
			f[k] = v
		}
		if r := c.Post("/join/"+e.proc.JoinCode, f); r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("joining by the link of workshop %d: %d %s, want %s", w, r.Status, r.Location, want)
		}
	}
}

func TestBoardMembersAndOtherAdministrationsSeeNoParticipantsNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	for _, path := range []string{fmt.Sprintf("/processes/%d", e.proc.ID), fmt.Sprintf("/processes/%d/overview", e.proc.ID), "/processes"} {
		r := e.clients[board].Get(path)
		if r.Status != http.StatusOK || strings.Contains(r.Body, "Fatima") {
			t.Errorf("%s as a board member: %d, or a participant's name shown", path, r.Status)
		}
	}
	if r := e.clients[board].Get(fmt.Sprintf("/processes/%d/overview", e.proc.ID)); !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.role.service_user")+" 1") {
		t.Errorf("the overview does not count her:\n%s", webtest.Text(r.Body))
	}
	// A facilitator of another administration does not see the process listed.
	if r := e.clients[otherFacil].Get("/processes"); strings.Contains(r.Body, e.proc.Title) || !strings.Contains(r.Body, e.other.Title) {
		t.Errorf("another administration's list:\n%s", webtest.Text(r.Body))
	}
	// What a facilitator shares (print, CSV, projector) names no one.
	for _, path := range []string{"/workshops/%d/print", "/workshops/%d/export.csv", "/workshops/%d/projector"} {
		if r := e.clients[facil].Get(fmt.Sprintf(path, e.ws)); r.Status != http.StatusOK || strings.Contains(r.Body, "Fatima") {
			t.Errorf("%s: %d, or a participant's name shown", fmt.Sprintf(path, e.ws), r.Status)
		}
	}
}

func TestAFullWorkshopTakesNoMoreThanItsPlacesEvenAtOnce(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			w, err := e.st.Workshop(context.Background(), e.ws)
			if err != nil {
				t.Fatal(err)
			}
			w.Capacity = 3
			if _, err := e.st.SaveWorkshop(context.Background(), w); err != nil {
				t.Fatal(err)
			}
			var people []*webtest.Client
			for i := 0; i < 12; i++ {
				c, _ := e.join(t, e.proc, fmt.Sprintf("Deltagare %d", i), "", "")
				c.Get(fmt.Sprintf("/p/w/%d", e.ws))
				people = append(people, c)
			}
			statuses := make(chan int, len(people))
			start := make(chan struct{})
			for _, c := range people {
				go func() {
					<-start
					statuses <- c.Post(fmt.Sprintf("/p/w/%d/signup", e.ws), nil).Status
				}()
			}
			close(start)
			got := map[int]int{}
			for range people {
				got[<-statuses]++
			}
			if got[http.StatusSeeOther] != 3 || got[http.StatusConflict] != len(people)-3 {
				t.Errorf("sign-ups at once: %v, want 3 × 303 and the rest 409", got)
			}
			if n := e.count(t, "cc_signups"); n != 3 {
				t.Errorf("%d signed up for 3 places", n)
			}
		})
	}
}

// views are the audit log's views of personal data about subject, newest
// first.
func (e *env) views(t *testing.T, subject string) []audit.Entry {
	t.Helper()
	all, err := e.s.App.Audit.List(context.Background(), audit.Filter{Action: audit.ViewPersonal})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, en := range all {
		if en.Subject == subject {
			out = append(out, en)
		}
	}
	return out
}

// Pages that show a participant's personal data are never kept by a
// browser or a proxy (a shared computer in a library, the back button
// after she signed out) and every view of them is in the audit log.
func TestPagesWithPersonalDataAreNotCachedAndTheirViewsAreAudited(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			me := e.participantID(t, pt)
			for _, tt := range []struct {
				who, path, subject, detail string
				actor                      int64
			}{
				{facil, fmt.Sprintf("/processes/%d/participants", e.proc.ID), fmt.Sprintf("cc_process:%d", e.proc.ID), "participants", e.s.User(facil).ID},
				{facil, fmt.Sprintf("/processes/%d/participants/%d/withdraw", e.proc.ID, me), fmt.Sprintf("cc_participant:%d", me), "withdraw", e.s.User(facil).ID},
				{pt, "/p/consent", fmt.Sprintf("cc_participant:%d", me), "my data", 0},
			} {
				before := e.views(t, tt.subject)
				r := e.do(tt.who, http.MethodGet, tt.path, nil)
				if r.Status != http.StatusOK || !strings.Contains(r.Body, "Fatima Testsson") {
					t.Fatalf("%s: %d, or her name is not on it", tt.path, r.Status)
				}
				if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
					t.Errorf("%s: Cache-Control %q, want no-store", tt.path, cc)
				}
				after := e.views(t, tt.subject)
				if len(after) != len(before)+1 || after[0].Detail != tt.detail || after[0].ActorID != tt.actor {
					t.Errorf("%s: the view is not in the audit log as %q by %d: %+v", tt.path, tt.detail, tt.actor, after)
				}
				if tt.who == pt && after[0].Addr != "" {
					t.Errorf("%s: her address %q is kept in the log", tt.path, after[0].Addr)
				}
			}
		})
	}
}

func TestEveryPageThatNamesParticipantsIsInTheAuditLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	if r := e.clients[pt].Post(fmt.Sprintf("/p/w/%d/signup", e.ws), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("sign up: %d", r.Status)
	}
	f := e.clients[facil]
	for _, tt := range []struct{ path, subject, detail string }{
		{fmt.Sprintf("/processes/%d/participants", e.proc.ID), fmt.Sprintf("cc_process:%d", e.proc.ID), "participants"},
		{fmt.Sprintf("/workshops/%d", e.ws), fmt.Sprintf("cc_workshop:%d", e.ws), "attendance"},
	} {
		r := f.Get(tt.path)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Fatima Testsson") {
			t.Fatalf("%s: %d, or her name is not on it", tt.path, r.Status)
		}
		entries, err := e.s.App.Audit.List(context.Background(), audit.Filter{Action: audit.ViewPersonal, ActorID: e.s.User(facil).ID})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, en := range entries {
			found = found || (en.Subject == tt.subject && en.Detail == tt.detail)
		}
		if !found {
			t.Errorf("%s shows her name and is not in the audit log: %+v", tt.path, entries)
		}
	}
	// Pages that name no one are not logged as views of personal data.
	before, _ := e.s.App.Audit.List(context.Background(), audit.Filter{Action: audit.ViewPersonal})
	for _, path := range []string{"/workshops/%d/board", "/workshops/%d/projector", "/workshops/%d/print", "/workshops/%d/export.csv"} {
		if r := f.Get(fmt.Sprintf(path, e.ws)); strings.Contains(r.Body, "Fatima Testsson") {
			t.Errorf("%s names her", path)
		}
	}
	if after, _ := e.s.App.Audit.List(context.Background(), audit.Filter{Action: audit.ViewPersonal}); len(after) != len(before) {
		t.Errorf("pages without names were logged: %d entries, were %d", len(after), len(before))
	}
}

// joinForm loads the join form as c and returns its nonce and the
// browser's join cookie that the nonce is bound to (nil: none).
func (e *env) joinForm(t *testing.T, c *webtest.Client) (string, *http.Cookie) {
	t.Helper()
	r := c.Get("/join/" + e.proc.JoinCode)
	m := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("the join form has no nonce")
	}
	for _, line := range r.Header.Values("Set-Cookie") {
		if ck, err := http.ParseSetCookie(line); err == nil && ck.Name == "megafon_join" {
			if !ck.HttpOnly {
				t.Error("the join cookie is readable by scripts")
			}
			return m[1], ck
		}
	}
	return m[1], nil
}

// postWith posts form as c with cookie added by hand: the same browser's
// cookie on another connection.
func (e *env) postWith(c *webtest.Client, path string, form url.Values, cookie *http.Cookie) *webtest.Response {
	form.Set("csrf_token", c.CSRF())
	req, _ := http.NewRequest(http.MethodPost, e.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	return c.Do(req)
}

func TestADoubleTapOnJoinMakesOneParticipant(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			// Two requests of one browser, both sent before the first
			// answer set a participant cookie: two clients sending the
			// same form with the browser's join cookie.
			first, second := e.s.Client(), e.s.Client()
			nonce, browser := e.joinForm(t, first)
			if browser == nil {
				t.Fatal("the join form set no join cookie")
			}
			form := webtest.Form("name", "Dubbeltryck", "role", "relative", "lang", "sv", "consent", "yes", "nonce", nonce)
			before := e.count(t, "cc_participants")
			for i, c := range []*webtest.Client{first, second} {
				if r := e.postWith(c, "/join/"+e.proc.JoinCode, cloneForm(form), browser); r.Status != http.StatusSeeOther {
					t.Fatalf("join %d: %d\n%s", i+1, r.Status, webtest.Text(r.Body))
				}
			}
			if n := e.count(t, "cc_participants"); n != before+1 {
				t.Fatalf("%d participants made, want 1", n-before)
			}
			// The browser keeps the last answer's cookie: that one works,
			// and shows her code.
			home := second.Get("/p/")
			if home.Status != http.StatusOK || !strings.Contains(home.Body, "Dubbeltryck") || codeOnPage.FindStringSubmatch(home.Body) == nil {
				t.Fatalf("home after the second tap: %d\n%s", home.Status, webtest.Text(home.Body))
			}
			// The same form much later is no double tap: it says so, and
			// nobody's credentials change.
			e.advance(time.Hour)
			late := e.s.Client()
			r := e.postWith(late, "/join/"+e.proc.JoinCode, cloneForm(form), browser)
			if r.Status != http.StatusConflict || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.join_again")) {
				t.Fatalf("the form again an hour later: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if again := second.Get("/p/"); again.Status != http.StatusOK {
				t.Fatalf("her cookie stopped working: %d", again.Status)
			}
			if n := e.count(t, "cc_participants"); n != before+1 {
				t.Fatalf("%d participants, want 1", n-before)
			}
		})
	}
}

// A join form's nonce is no credential: sent again at once from another
// browser (copied from the page, a shared computer's history, a proxy's
// log), it is refused with "type your code", makes no one, and her
// cookie and code still work.
func TestAJoinFormReplayedFromAnotherBrowserTakesOverNobody(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			her := e.s.Client()
			nonce, _ := e.joinForm(t, her)
			form := webtest.Form("name", "Ersättare", "role", "relative", "lang", "sv", "consent", "yes", "nonce", nonce)
			if r := her.Post("/join/"+e.proc.JoinCode, cloneForm(form)); r.Status != http.StatusSeeOther {
				t.Fatalf("join: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			home := her.Get("/p/")
			code := codeOnPage.FindStringSubmatch(home.Body)
			if code == nil {
				t.Fatalf("no code after joining\n%s", webtest.Text(home.Body))
			}
			before := e.count(t, "cc_participants")
			for name, other := range map[string]func() *webtest.Client{
				"a browser that never saw the form": e.s.Client,
				"a browser with a join form of its own": func() *webtest.Client {
					c := e.s.Client()
					e.joinForm(t, c)
					return c
				},
			} {
				c := other()
				r := c.Post("/join/"+e.proc.JoinCode, cloneForm(form))
				if r.Status != http.StatusConflict || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.join_again")) {
					t.Errorf("%s: replay answered %d\n%s", name, r.Status, webtest.Text(r.Body))
				}
				if p := c.Get("/p/"); p.Status == http.StatusOK || strings.Contains(p.Body, "Ersättare") {
					t.Errorf("%s: the replay made it a participant: %d", name, p.Status)
				}
			}
			if n := e.count(t, "cc_participants"); n != before {
				t.Errorf("replays made %d participants", n-before)
			}
			if p := her.Get("/p/"); p.Status != http.StatusOK || !strings.Contains(p.Body, "Ersättare") {
				t.Errorf("her cookie stopped working: %d", p.Status)
			}
			if r := e.s.Client().Post("/back", webtest.Form("code", code[1])); r.Status != http.StatusSeeOther {
				t.Errorf("her code stopped working: %d", r.Status)
			}
		})
	}
}

// cloneForm copies a form: Post adds the client's own CSRF token to it.
func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// participantID is the id of a participant client's participant.
func (e *env) participantID(t *testing.T, who string) int64 {
	t.Helper()
	ps, err := e.st.Participants(context.Background(), e.proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if !p.Withdrawn && !p.FromPaper {
			return p.ID
		}
	}
	t.Fatalf("no participant for %s", who)
	return 0
}

func TestAFacilitatorWithdrawsForSomeoneWhoAskedOnPaper(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			f := e.clients[facil]
			f.Get(fmt.Sprintf("/processes/%d/participants", e.proc.ID))
			if r := f.Post(fmt.Sprintf("/processes/%d/participants", e.proc.ID), webtest.Form("name", "Karin Papper", "role", "relative", "age_band", "65_plus", "consent", "yes")); r.Status != http.StatusSeeOther {
				t.Fatalf("add from paper: %d", r.Status)
			}
			var karin process.Participant
			ps, _ := e.st.Participants(context.Background(), e.proc.ID)
			for _, p := range ps {
				if p.Name == "Karin Papper" {
					karin = p
				}
			}
			if karin.ID == 0 || karin.ConsentVersion != process.ConsentVersion {
				t.Fatalf("Karin not saved with her consent: %+v", karin)
			}
			path := fmt.Sprintf("/processes/%d/participants/%d/withdraw", e.proc.ID, karin.ID)
			if list := f.Get(fmt.Sprintf("/processes/%d/participants", e.proc.ID)).Body; !strings.Contains(list, path) {
				t.Fatal("the participants page has no way to withdraw for her")
			}
			if r := f.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, "Karin Papper") {
				t.Fatalf("confirm page: %d", r.Status)
			}
			if r := f.Post(path, nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.confirm_withdraw_for")) {
				t.Fatalf("without the tick: %d", r.Status)
			}
			// Another administration's facilitator cannot, nor for another process.
			if r := e.clients[otherFacil].Post(path, webtest.Form("confirm", "yes")); r.Status != http.StatusNotFound {
				t.Fatalf("the other administration: %d", r.Status)
			}
			if r := f.Post(fmt.Sprintf("/processes/%d/participants/%d/withdraw", e.other.ID, karin.ID), webtest.Form("confirm", "yes")); r.Status != http.StatusNotFound {
				t.Fatalf("through another process: %d", r.Status)
			}
			if r := f.Post(path, webtest.Form("confirm", "yes")); r.Status != http.StatusSeeOther {
				t.Fatalf("withdraw: %d", r.Status)
			}
			after, _ := e.st.Participant(context.Background(), karin.ID)
			if !after.Withdrawn || after.Name != "" || after.AgeBand != "" || after.Role != "" || after.ConsentVersion != "" || !after.ConsentedAt.IsZero() {
				t.Fatalf("not anonymised: %+v", after)
			}
			if r := f.Get(path); r.Status != http.StatusNotFound {
				t.Fatalf("withdrawn twice: %d", r.Status)
			}
		})
	}
}

func TestParticipantsOfAFinishedProcessAreForgotten(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			ctx := context.Background()
			if n, err := e.st.ForgetFinished(ctx); err != nil || n != 0 {
				t.Fatalf("while running: %d forgotten, %v", n, err)
			}
			var last string
			for _, ph := range e.proc.Phases {
				last = max(last, ph.EndsOn)
			}
			end, _ := time.ParseInLocation(time.DateOnly, last, process.Stockholm)
			e.setNow(end.Add(12 * time.Hour))
			if n, _ := e.st.ForgetFinished(ctx); n != 0 {
				t.Fatalf("on its last day: %d forgotten", n)
			}
			before := e.count(t, "cc_notes")
			e.setNow(end.Add(36 * time.Hour))
			n, err := e.st.ForgetFinished(ctx)
			if err != nil || n == 0 {
				t.Fatalf("the day after: %d forgotten, %v", n, err)
			}
			ps, _ := e.st.Participants(ctx, e.proc.ID)
			for _, p := range ps {
				if !p.Withdrawn || p.Name != "" || p.Role != "" {
					t.Fatalf("left: %+v", p)
				}
			}
			if e.count(t, "cc_notes") != before {
				t.Fatal("notes were deleted")
			}
			if r := e.clients[pt].Get("/p/"); r.Status == http.StatusOK {
				t.Fatal("her cookie still opens the process")
			}
			if n, _ := e.st.ForgetFinished(ctx); n != 0 {
				t.Fatalf("forgotten twice: %d", n)
			}
		})
	}
}

func TestHerLatestLanguageFollowsHerToAnotherDevice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	phone := e.clients[pt]
	if r := phone.Post("/lang", webtest.Form("lang", "en", "next", "/p/")); r.Status != http.StatusSeeOther {
		t.Fatalf("switch language: %d", r.Status)
	}
	if r := phone.Get("/p/"); r.Status != http.StatusOK || !strings.Contains(r.Body, `<html lang="en"`) {
		t.Fatalf("her home after switching: %d", r.Status)
	}
	laptop := e.s.Client()
	r := laptop.Post("/back", webtest.Form("code", e.codes[pt]))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("come back: %d", r.Status)
	}
	if r := laptop.Get(r.Location); r.Status != http.StatusOK || !strings.Contains(r.Body, `<html lang="en"`) {
		t.Errorf("on the laptop her page is not in English: %d\n%.200s", r.Status, r.Body)
	}
}
