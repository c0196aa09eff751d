package campaign_test

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

	"megafon/outreach/campaign"
	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web"
	"megafon/platform/web/webtest"
)

// Who is signed in.
const (
	admin      = "admin@demo.megafon.se"
	coord      = "samordnare@demo.megafon.se"       // the lead administration's coordinator
	otherCoord = "slf@demo.megafon.se"              // a coordinator of another administration
	facil      = "processledare@demo.megafon.se"    // social administration
	board      = "ledamot@demo.megafon.se"          // social welfare board
	lead       = "gruppledare@demo.megafon.se"      // District Mothers, in the campaign
	otherLead  = "ledare@somaliska.demo.megafon.se" // Somali association, not in the campaign
	amina      = "+46701000001"                     // District Mother, Arabic and Swedish
	fadumo     = "+46701000002"                     // District Mother, Somali and Swedish
	khadra     = "+46701000006"                     // Somali association volunteer, outside
	out        = ""
)

var everyone = []string{out, admin, coord, otherCoord, facil, board, lead, otherLead, amina, khadra}

// fakeContacts is a contact register for tests: a hundred contacts for each of
// the groups it was given, in five languages, with names and numbers that
// follow from their ids. Reveal writes the audit entry, as the contact
// module does.
type fakeContacts struct {
	mu        sync.Mutex
	groups    map[int64]bool
	dnc       map[int64]bool
	audit     *audit.Log
	reveals   atomic.Int64
	languages [][]string
}

func newFakeContacts() *fakeContacts {
	return &fakeContacts{groups: map[int64]bool{}, dnc: map[int64]bool{},
		languages: [][]string{{"ar"}, {"so", "sv"}, {"ti"}, {"prs"}, {"ar", "sv"}}}
}

func (f *fakeContacts) ForGroups(_ context.Context, orgIDs []int64) ([]campaign.Contact, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []campaign.Contact
	for _, g := range orgIDs {
		if !f.groups[g] {
			continue
		}
		for i := range 100 {
			id := g*1000 + int64(i)
			if f.dnc[id] {
				continue
			}
			out = append(out, campaign.Contact{ID: id, OrgID: g, Languages: f.languages[i%len(f.languages)], District: []string{"Drottninghög", "Dalhem", ""}[i%3]})
		}
	}
	return out, nil
}

func (f *fakeContacts) Reveal(ctx context.Context, id int64, viewer *auth.User, addr string) (campaign.Revealed, error) {
	f.reveals.Add(1)
	if err := f.audit.Record(ctx, audit.Entry{ActorID: viewer.ID, ActorName: viewer.Name, Action: audit.ViewPersonal, Subject: fmt.Sprint("contact:", id), Addr: addr}); err != nil {
		return campaign.Revealed{}, err
	}
	return campaign.Revealed{Name: fmt.Sprintf("Resident %d", id), Phone: fmt.Sprintf("+4670%07d", id)}, nil
}

func (f *fakeContacts) DoNotCall(_ context.Context, id int64, _ *auth.User) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dnc[id] = true
	return nil
}

func (f *fakeContacts) Callable(_ context.Context, id int64) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.groups[id/1000] && !f.dnc[id], nil
}

// handbookTables mounts only the handbook's tables, for the call script.
type handbookTables struct{}

func (handbookTables) Name() string                { return "handbook-tables" }
func (handbookTables) Migrations() []db.Migrations { return []db.Migrations{handbook.Migrations} }
func (handbookTables) Mount(*web.App)              {}

type env struct {
	s        *webtest.Server
	contacts *fakeContacts
	c        campaign.Campaign
	clock    atomic.Pointer[time.Time]
}

func (e *env) advance(d time.Duration) { t := e.clock.Load().Add(d); e.clock.Store(&t) }

// newEnv starts the app with the demo city; the District Mothers have
// contacts, so the demo campaign is theirs alone; the operation has a
// verified call script in Swedish and Arabic. The clock is fake.
func newEnv(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	e := &env{contacts: newFakeContacts()}
	now := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	e.clock.Store(&now)
	mod := &campaign.Module{Contacts: e.contacts}
	// The platform seeds the organisations first; the contacts follow the
	// District Mothers by name once they exist.
	e.s = webtest.New(t, dialect, false, &notify.Module{}, &operation.Module{}, handbookTables{}, &question.Module{}, mod)
	e.s.App.Now = func() time.Time { return *e.clock.Load() }
	e.contacts.audit = e.s.App.Audit
	e.contacts.groups[e.s.City.Orgs[demo.DistrictMothers].ID] = true
	ctx := context.Background()
	for _, m := range e.s.App.Modules() {
		if sd, ok := m.(demo.Seeder); ok && (m.Name() == "operation" || m.Name() == "campaign") {
			if err := sd.SeedDemo(ctx, e.s.App, e.s.City); err != nil {
				t.Fatal(err)
			}
		}
	}
	ops := &operation.Store{DB: e.s.App.DB, Now: e.s.App.Now}
	all, _ := ops.All(ctx)
	hb := handbook.NewStore(e.s.App.DB, e.s.App.Now)
	c := e.s.User(coord)
	entry, err := hb.CreateEntry(ctx, c, all[0].ID, handbook.EntryDraft{Kind: handbook.CallScript, Topics: []string{"vaccination"}, ValidUntil: "2099-12-31",
		Translations: []handbook.Translation{{Lang: "sv", Title: "Samtalsmanus vaccination", Body: "Hej, jag ringer från Stadsdelsmammorna."}, {Lang: "ar", Title: "نص مكالمة التطعيم", Body: "مرحبا، أتصل من أمهات الأحياء."}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []handbook.Action{handbook.Submit, handbook.Verify} {
		if err := hb.Move(ctx, c, entry, a); err != nil {
			t.Fatal(err)
		}
	}
	st := mod.Store()
	cs, err := st.ForOperations(ctx, []int64{all[0].ID})
	if err != nil || len(cs) != 1 {
		t.Fatalf("demo campaign: %v %v", cs, err)
	}
	d := campaign.DraftOf(cs[0])
	d.ScriptEntryID = entry
	if err := st.Update(ctx, cs[0].ID, d); err != nil {
		t.Fatal(err)
	}
	e.c, _ = st.Get(ctx, cs[0].ID)
	return e
}

func (e *env) path(format string) string { return fmt.Sprintf(format, e.c.ID) }

var callScreen = regexp.MustCompile(`/campaigns/\d+/calls/(\d+)\?seq=(\d+)`)

// next presses Next as the client and returns the call screen's path.
func next(t *testing.T, e *env, c *webtest.Client) string {
	t.Helper()
	r := c.Post(e.path("/campaigns/%d/next"), nil)
	if r.Status != http.StatusSeeOther || !callScreen.MatchString(r.Location) {
		t.Fatalf("Next: %d %s\n%s", r.Status, r.Location, webtest.Text(c.Get(r.Location).Body))
	}
	return r.Location
}

func TestRoleByRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	opID := e.c.OperationID
	type row struct {
		method, path string
		form         url.Values
		want         map[string]int
	}
	get, post := http.MethodGet, http.MethodPost
	signedOut := func(m string) int {
		if m == get {
			return http.StatusSeeOther
		}
		return http.StatusUnauthorized
	}
	// Per route: the status of everyone listed; everyone else gets def.
	routes := []struct {
		method, path string
		form         url.Values
		want         map[string]int
		def          int
	}{
		{get, "/campaigns", nil, map[string]int{admin: 200, coord: 200, otherCoord: 200, lead: 200, otherLead: 200, amina: 200, khadra: 200}, 403},
		{get, fmt.Sprintf("/operations/%d/campaigns/new", opID), nil, map[string]int{admin: 200, coord: 200, otherCoord: 403}, 403},
		{post, fmt.Sprintf("/operations/%d/campaigns", opID), url.Values{"name": {""}}, map[string]int{admin: 422, coord: 422, otherCoord: 403}, 403},
		{get, e.path("/campaigns/%d"), nil, map[string]int{admin: 200, coord: 200, otherCoord: 200, lead: 200, amina: 200, otherLead: 404, khadra: 404}, 403},
		{get, e.path("/campaigns/%d/edit"), nil, map[string]int{admin: 200, coord: 200, otherCoord: 403}, 403},
		{post, e.path("/campaigns/%d"), url.Values{"name": {""}}, map[string]int{admin: 422, coord: 422, otherCoord: 403}, 403},
		{post, e.path("/campaigns/%d/fill"), nil, map[string]int{admin: 303, coord: 303, otherCoord: 403}, 403},
		{get, e.path("/campaigns/%d/translate?lang=ar"), nil, map[string]int{admin: 200, coord: 200, otherCoord: 403}, 403},
		{post, e.path("/campaigns/%d/translate"), url.Values{"lang": {"sv"}}, map[string]int{admin: 422, coord: 422, otherCoord: 403}, 403},
		{get, e.path("/campaigns/%d/progress.json"), nil, map[string]int{admin: 200, coord: 200, otherCoord: 200, lead: 200, amina: 404, otherLead: 404, khadra: 404}, 403},
		{get, e.path("/campaigns/%d/export?format=csv"), nil, map[string]int{admin: 200, coord: 200, otherCoord: 200, lead: 200, amina: 404, otherLead: 404, khadra: 404}, 403},
		{get, e.path("/campaigns/%d/call"), nil, map[string]int{lead: 200, amina: 200, otherLead: 404, khadra: 404}, 403},
		{post, e.path("/campaigns/%d/next"), nil, map[string]int{lead: 303, amina: 303, otherLead: 404, khadra: 404}, 403},
		{get, e.path("/campaigns/%d/calls/1?seq=1"), nil, map[string]int{lead: 404, amina: 404, otherLead: 404, khadra: 404}, 403},
		{post, e.path("/campaigns/%d/calls/1"), url.Values{"seq": {"1"}, "outcome": {"completed"}}, map[string]int{lead: 409, amina: 409, otherLead: 404, khadra: 404}, 403},
		{get, "/assets/campaign/campaign.css", nil, map[string]int{}, 200},
	}
	clients := map[string]*webtest.Client{}
	for _, who := range everyone {
		if who == out {
			clients[who] = e.s.Client()
		} else {
			clients[who] = e.s.As(who)
		}
	}
	registered := map[string]bool{}
	for _, ri := range e.s.App.Routes() {
		registered[ri.Pattern] = true
	}
	for _, rt := range routes {
		for _, who := range everyone {
			want, ok := rt.want[who]
			if !ok {
				want = rt.def
				if who == out && rt.def != 200 {
					want = signedOut(rt.method)
				}
			}
			c := clients[who]
			var r *webtest.Response
			if rt.method == get {
				r = c.Get(rt.path)
			} else {
				form := url.Values{}
				for k, v := range rt.form {
					form[k] = v
				}
				r = c.Post(rt.path, form)
			}
			if r.Status != want {
				t.Errorf("%s %s as %q: %d, want %d\n%.300s", rt.method, rt.path, who, r.Status, want, webtest.Text(r.Body))
			}
		}
	}
	// Every campaign route is in the table.
	for p := range registered {
		if !strings.Contains(p, "campaign") {
			continue
		}
		found := false
		for _, rt := range routes {
			if strings.HasPrefix(p, rt.method+" ") && routeMatches(strings.TrimPrefix(p, rt.method+" "), rt.path) {
				found = true
			}
		}
		if !found {
			t.Errorf("route %s is not in the role-by-route table", p)
		}
	}
}

// routeMatches reports whether a concrete path fits a pattern's shape.
func routeMatches(pattern, path string) bool {
	path, _, _ = strings.Cut(path, "?")
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

func TestAVolunteerCallsAndRecordsACompletedCallOnce(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			// She speaks Arabic only here, so the script is in Arabic.
			e.s.App.DB.Exec(context.Background(), `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina)
			a := e.s.As(amina)
			r := a.Get(e.path("/campaigns/%d/call"))
			if r.Status != 200 || !strings.Contains(webtest.Text(r.Body), "Nästa") {
				t.Fatalf("start page: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			screen := next(t, e, a)
			r = a.Get(screen)
			text := webtest.Text(r.Body)
			for _, want := range []string{"Resident", `href="tel:&#43;4670`, "نص مكالمة التطعيم", "Har du fått en kallelse till vaccination?", "Genomfört", "Ring inte igen", "Vaccination"} {
				if !strings.Contains(r.Body, want) && !strings.Contains(text, want) {
					t.Errorf("call screen lacks %q", want)
				}
			}
			if !strings.Contains(r.Body, `lang="ar" dir="rtl"`) {
				t.Error("the Arabic script is not marked as Arabic, right to left")
			}
			if e.contacts.reveals.Load() != 1 {
				t.Errorf("%d reveals, want 1", e.contacts.reveals.Load())
			}
			m := callScreen.FindStringSubmatch(screen)
			form := webtest.Form("seq", m[2], "outcome", "completed", "a0", "yes", "a1", "Vårdcentralen",
				"asked_text", "Kan jag välja vaccin?", "asked_topics", "vaccination", "escalate", "1")
			post := strings.SplitN(screen, "?", 2)[0]
			r = a.Post(post, form)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("record: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if r := a.Get(r.Location); !strings.Contains(webtest.Text(r.Body), "Samtalet registrerades") {
				t.Errorf("no thanks after recording: %s", webtest.Text(r.Body))
			}
			// A double tap: the same form again records nothing more.
			r = a.Post(post, form)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("second tap: %d %s", r.Status, webtest.Text(r.Body))
			}
			if r := a.Get(r.Location); !strings.Contains(webtest.Text(r.Body), "redan registrerat") {
				t.Errorf("second tap not reported as already recorded: %s", webtest.Text(r.Body))
			}
			var calls, escalated int
			e.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM campaign_calls WHERE caller_id = $1 AND idempotency_key NOT LIKE 'demo-%'`, e.s.User(amina).ID).Scan(&calls)
			e.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM resident_questions WHERE state = 'escalated' AND text = 'Kan jag välja vaccin?'`).Scan(&escalated)
			if calls != 1 || escalated != 1 {
				t.Fatalf("%d calls, %d escalated questions; want 1 and 1", calls, escalated)
			}
			// The coordinator sees it in the progress, live and exported, without personal data.
			c := e.s.As(coord)
			r = c.Get(e.path("/campaigns/%d/progress.json"))
			if r.Status != 200 || !strings.Contains(r.Body, `"completed":`) {
				t.Fatalf("progress.json: %d %s", r.Status, r.Body)
			}
			r = c.Get(e.path("/campaigns/%d/export?format=csv"))
			if r.Status != 200 || !strings.Contains(r.Body, "Genomfört") || !strings.Contains(r.Body, "Vårdcentralen") {
				t.Fatalf("csv: %d %.500s", r.Status, r.Body)
			}
			for _, personal := range []string{"Resident", "+4670", "Kan jag välja vaccin?"} {
				if strings.Contains(r.Body, personal) {
					t.Errorf("export contains %q", personal)
				}
			}
			r = c.Get(e.path("/campaigns/%d/export?format=xlsx"))
			if r.Status != 200 || !strings.HasPrefix(r.Body, "PK") {
				t.Errorf("xlsx: %d", r.Status)
			}
			if r := c.Get(e.path("/campaigns/%d/export?format=pdf")); r.Status != 400 {
				t.Errorf("unknown export format: %d", r.Status)
			}
		})
	}
}

func TestAVolunteerNeverSeesAContactHeldByAnother(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	a, b := e.s.As(amina), e.s.As(lead) // both call District Mothers' contacts; the lead speaks Somali
	seen := map[string]string{}
	for range 3 {
		for who, c := range map[string]*webtest.Client{amina: a, lead: b} {
			s := next(t, e, c)
			id := callScreen.FindStringSubmatch(s)[1]
			if other, ok := seen[id]; ok && other != who {
				t.Fatalf("entry %s went to %s and %s", id, other, who)
			}
			seen[id] = who
			r := c.Post(strings.SplitN(s, "?", 2)[0], webtest.Form("seq", callScreen.FindStringSubmatch(s)[2], "outcome", "busy"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("record: %d %s", r.Status, webtest.Text(r.Body))
			}
		}
	}
}

func TestALateOutcomeAfterTheLeaseWentToAnotherIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	// Only one Arabic contact is left due, so the second volunteer gets the same one.
	ctx := context.Background()
	e.s.App.DB.Exec(ctx, `UPDATE campaign_queue SET state = 'done' WHERE languages NOT LIKE '%,ar,%' OR id NOT IN (SELECT MIN(id) FROM campaign_queue WHERE state = 'queued' AND languages LIKE '%,ar,%')`)
	a := e.s.As(amina)
	screen := next(t, e, a)
	e.advance(time.Duration(e.c.LeaseMinutes+1) * time.Minute)
	// Fadumo speaks Somali and Swedish; the lead takes the Arabic contact here
	// through a second Arabic speaker: Amina's colleague who also speaks Arabic.
	e.s.App.DB.Exec(ctx, `UPDATE people SET languages = 'ar' WHERE phone = $1`, fadumo)
	f := e.s.As(fadumo)
	other := next(t, e, f)
	if callScreen.FindStringSubmatch(other)[1] != callScreen.FindStringSubmatch(screen)[1] {
		t.Fatalf("the expired contact did not go to the next volunteer: %s then %s", screen, other)
	}
	r := a.Post(strings.SplitN(screen, "?", 2)[0], webtest.Form("seq", callScreen.FindStringSubmatch(screen)[2], "outcome", "completed"))
	if r.Status != http.StatusConflict || !strings.Contains(webtest.Text(r.Body), "gick till en annan volontär") {
		t.Fatalf("late outcome: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if r := a.Get(screen); r.Status != http.StatusNotFound {
		t.Errorf("the lost call screen: %d", r.Status)
	}
}

func TestBadInputIsRefusedInTheUsersLanguageAndNothingIsSaved(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	a := e.s.As(amina)
	screen := next(t, e, a)
	seq := callScreen.FindStringSubmatch(screen)[2]
	post := strings.SplitN(screen, "?", 2)[0]
	cases := []struct {
		name string
		form url.Values
		want string
	}{
		{"no outcome", webtest.Form("seq", seq), "Välj hur samtalet slutade"},
		{"callback without a time", webtest.Form("seq", seq, "outcome", "callback"), "Ange en tid framåt"},
		{"an answer not offered", webtest.Form("seq", seq, "outcome", "completed", "a1", "Posten"), "Välj ett av svaren"},
		{"escalation without a question", webtest.Form("seq", seq, "outcome", "completed", "escalate", "1"), "Skriv frågan du inte kunde svara på"},
		{"unknown topic", webtest.Form("seq", seq, "outcome", "completed", "asked_topics", "weather"), "Välj ämnen ur listan"},
	}
	for _, tc := range cases {
		r := a.Post(post, tc.form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), tc.want) {
			t.Errorf("%s: %d\n%.400s", tc.name, r.Status, webtest.Text(r.Body))
		}
	}
	if r := a.Post(post, webtest.Form("seq", "x", "outcome", "completed")); r.Status != http.StatusBadRequest {
		t.Errorf("a bad seq: %d", r.Status)
	}
	var n int
	e.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM campaign_calls WHERE caller_id = $1 AND idempotency_key NOT LIKE 'demo-%'`, e.s.User(amina).ID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d calls saved from bad input", n)
	}
	// English, too.
	r := a.Post("/lang", webtest.Form("lang", "en", "next", "/"))
	_ = r
	r = a.Post(post, webtest.Form("seq", seq))
	if !strings.Contains(webtest.Text(r.Body), "Choose how the call ended") {
		t.Errorf("English error: %.300s", webtest.Text(r.Body))
	}
}

func TestACoordinatorCreatesACampaignAndItsQueueFills(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.s.As(coord)
	dm := e.s.City.Orgs[demo.DistrictMothers].ID
	form := webtest.Form("name", "Testning hösten", "goal", "200", "starts_on", "2021-09-01", "ends_on", "2021-10-31",
		"languages", "ti", "groups", fmt.Sprint(dm), "lease_minutes", "10",
		"q0_kind", "choice", "q0_text", "Var testar du dig?", "q0_choices", "Vårdcentralen, Apoteket",
		"r_no_answer_max", "3", "r_no_answer_gap", "180", "r_busy_max", "3", "r_busy_gap", "30",
		"r_voicemail_max", "3", "r_voicemail_gap", "180", "r_callback_max", "5", "r_callback_gap", "0", "r_other_language_max", "5", "r_other_language_gap", "0")
	r := c.Post(fmt.Sprintf("/operations/%d/campaigns", e.c.OperationID), form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	r = c.Get(r.Location)
	if !strings.Contains(webtest.Text(r.Body), "Testning hösten") || !strings.Contains(webtest.Text(r.Body), "Invånare i kön 20") {
		t.Fatalf("new campaign page: %s", webtest.Text(r.Body))
	}
	bad := webtest.Form("name", "", "goal", "-3", "starts_on", "2021-09-01", "ends_on", "2021-08-01", "lease_minutes", "0",
		"q0_kind", "choice", "q0_text", "Var?", "q0_choices", "bara ett", "groups", "999999")
	r = c.Post(fmt.Sprintf("/operations/%d/campaigns", e.c.OperationID), bad)
	text := webtest.Text(r.Body)
	for _, want := range []string{"Ge kampanjen ett namn", "Ange målet", "Slutdatumet får inte vara före", "En flervalsfråga behöver två", "En vald grupp deltar inte", "Ange hur länge"} {
		if !strings.Contains(text, want) {
			t.Errorf("bad form lacks %q", want)
		}
	}
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad form: %d", r.Status)
	}
}

func TestEveryPageRendersInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	for _, lang := range []string{"sv", "en"} {
		c, a := e.s.As(coord), e.s.As(amina)
		c.Post("/lang", webtest.Form("lang", lang, "next", "/"))
		a.Post("/lang", webtest.Form("lang", lang, "next", "/"))
		pages := map[string]*webtest.Client{"/campaigns": c, e.path("/campaigns/%d"): c, e.path("/campaigns/%d/edit"): c,
			e.path("/campaigns/%d/translate?lang=ar"):                    c,
			fmt.Sprintf("/operations/%d/campaigns/new", e.c.OperationID): c, e.path("/campaigns/%d/call"): a}
		for p, cl := range pages {
			if r := cl.Get(p); r.Status != 200 || regexp.MustCompile(`campaign\.[a-z_]+\.[a-z_]`).MatchString(r.Body) {
				t.Errorf("%s in %s: %d, untranslated: %v", p, lang, r.Status, regexp.MustCompile(`campaign\.[a-z_.]+`).FindAllString(r.Body, 3))
			}
		}
		s := next(t, e, a)
		if r := a.Get(s); r.Status != 200 || regexp.MustCompile(`>[^<]*campaign\.[a-z_]`).MatchString(r.Body) {
			t.Errorf("call screen in %s: %d", lang, r.Status)
		}
	}
}

// A resident tells the volunteer her personal identity number and asks to
// be called back; the volunteer answered another question with the
// script. The number never reaches the database and she is told so; the
// question records the entry and the version she had open, and the
// callback wish.
func TestACallsQuestionIsMaskedAndKeepsTheEntryItWasAnsweredWith(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	ctx := context.Background()
	e.s.App.DB.Exec(ctx, `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina)
	a := e.s.As(amina)
	screen := next(t, e, a)
	page := a.Get(screen)
	version := regexp.MustCompile(fmt.Sprintf(`value="(%d:\d+)"`, e.c.ScriptEntryID)).FindStringSubmatch(page.Body)
	if version == nil {
		t.Fatalf("the call screen offers no answer with the script:\n%.1500s", page.Body)
	}
	m := callScreen.FindStringSubmatch(screen)
	post := strings.SplitN(screen, "?", 2)[0]
	// An entry that is not the campaign's is refused with a message.
	r := a.Post(post, webtest.Form("seq", m[2], "outcome", "completed", "asked_text", "Fråga", "answered_with", "999:1"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), "Välj en post ur kampanjens handbok") {
		t.Fatalf("a foreign entry: %d\n%.500s", r.Status, webtest.Text(r.Body))
	}
	r = a.Post(post, webtest.Form("seq", m[2], "outcome", "completed", "asked_text", "رقمي الشخصي 850709-9805، هل أحتاج موعدا؟",
		"asked_topics", "vaccination", "escalate", "1", "callback_ok", "1", "asked_summary", "Behöver hon boka tid? (pnr 850709-9805)"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if r := a.Get(r.Location); !strings.Contains(webtest.Text(r.Body), "Vi tog bort personnummer") {
		t.Errorf("she is not told what was removed: %.400s", webtest.Text(r.Body))
	}
	var n, held, callbacks int
	e.s.App.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN text LIKE '%9805%' OR summary LIKE '%9805%' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN callback THEN 1 ELSE 0 END), 0) FROM resident_questions WHERE source = 'campaign' AND text LIKE '%موعدا%'`).Scan(&n, &held, &callbacks)
	if n != 1 || held != 0 || callbacks != 1 {
		t.Fatalf("%d questions, %d holding the number, %d with a callback", n, held, callbacks)
	}
	// The next call: answered on the spot with the script's version.
	screen = next(t, e, a)
	m = callScreen.FindStringSubmatch(screen)
	post = strings.SplitN(screen, "?", 2)[0]
	r = a.Post(post, webtest.Form("seq", m[2], "outcome", "completed", "asked_text", "Är vaccinet gratis?", "answered_with", version[1]))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	var entry, ver int64
	var spot bool
	e.s.App.DB.QueryRow(ctx, `SELECT entry_id, version_id, on_the_spot FROM resident_questions WHERE text = 'Är vaccinet gratis?'`).Scan(&entry, &ver, &spot)
	if fmt.Sprintf("%d:%d", entry, ver) != version[1] || !spot {
		t.Fatalf("recorded %d:%d on the spot %v, want %s", entry, ver, spot, version[1])
	}
}
