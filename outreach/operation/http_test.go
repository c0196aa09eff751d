package operation_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// Demo people by what they are to the demo operation (1), led by the
// Labour Market Administration with the District Mothers taking part and
// the Somali women's association invited; operation 2 is led by City
// Management with only the Somali association taking part.
const (
	signedOut     = ""
	admin         = "admin@demo.megafon.se"
	leadCoord     = "samordnare@demo.megafon.se"
	otherCoord    = "slf@demo.megafon.se"
	facilitator   = "processledare@demo.megafon.se"
	board         = "ledamot@demo.megafon.se"
	groupLead     = "gruppledare@demo.megafon.se"      // District Mothers: in 1, outside 2
	invitedLead   = "ledare@somaliska.demo.megafon.se" // Somali association: invited to 1, in 2
	volunteer     = "+46701000001"                     // District Mothers
	outsideVolunt = "+46701000006"                     // Somali association
)

type fakeSignals struct{ overdue int }

func (f fakeSignals) Signals(context.Context, int64, time.Time) (operation.Signals, error) {
	return operation.Signals{OverdueEscalations: f.overdue}, nil
}

func newServer(t *testing.T, dialect db.Dialect) (*webtest.Server, *operation.Module) {
	t.Helper()
	ops := &operation.Module{}
	s := webtest.New(t, dialect, true, &notify.Module{}, ops)
	ctx := context.Background()
	st := ops.Store()
	slf := s.User(otherCoord)
	id, err := st.Create(ctx, slf, operation.Draft{Name: "Vaccinationsveckan", StartsOn: "2021-04-01", LeadOrgID: s.City.Orgs[demo.CityManagement].ID, Level: 1})
	if err != nil {
		t.Fatal(err)
	}
	st.Invite(ctx, slf, id, s.City.Orgs[demo.SomaliAssoc].ID)
	if err := st.Join(ctx, id, s.City.Orgs[demo.SomaliAssoc].ID); err != nil {
		t.Fatal(err)
	}
	return s, ops
}

func client(s *webtest.Server, who string) *webtest.Client {
	if who == signedOut {
		return s.Client()
	}
	return s.As(who)
}

func TestWhoMayUseEachOperationRoute(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s, _ := newServer(t, dialect)
			clients := map[string]*webtest.Client{}
			c := func(who string) *webtest.Client {
				if clients[who] == nil {
					clients[who] = client(s, who)
				}
				return clients[who]
			}
			get := func(path string) func(*webtest.Client) *webtest.Response {
				return func(c *webtest.Client) *webtest.Response { return c.Get(path) }
			}
			post := func(path string, kv ...string) func(*webtest.Client) *webtest.Response {
				return func(c *webtest.Client) *webtest.Response {
					f := url.Values{}
					for i := 0; i+1 < len(kv); i += 2 {
						f.Set(kv[i], kv[i+1])
					}
					return c.Post(path, f)
				}
			}
			sa := fmt.Sprint(s.City.Orgs[demo.SomaliAssoc].ID)
			dm := fmt.Sprint(s.City.Orgs[demo.DistrictMothers].ID)
			type row struct {
				route string
				do    func(*webtest.Client) *webtest.Response
				want  map[string]int
			}
			rows := []row{
				{"GET /operations", get("/operations"), map[string]int{signedOut: 303, admin: 200, leadCoord: 200, otherCoord: 200, facilitator: 403, board: 403, groupLead: 200, invitedLead: 200, volunteer: 200}},
				{"GET /operations/1", get("/operations/1"), map[string]int{signedOut: 303, admin: 200, leadCoord: 200, otherCoord: 200, facilitator: 403, board: 403, groupLead: 200, invitedLead: 200, volunteer: 200, outsideVolunt: 404}},
				{"GET /operations/2", get("/operations/2"), map[string]int{groupLead: 404, volunteer: 404, invitedLead: 200, outsideVolunt: 200, leadCoord: 200}},
				{"GET /operations/999", get("/operations/999"), map[string]int{admin: 404, leadCoord: 404}},
				{"GET /operations/new", get("/operations/new"), map[string]int{signedOut: 303, admin: 200, leadCoord: 200, groupLead: 403, volunteer: 403, facilitator: 403}},
				{"POST /operations (empty form)", post("/operations"), map[string]int{signedOut: 401, admin: 422, leadCoord: 422, groupLead: 403, volunteer: 403, facilitator: 403}},
				{"POST /operations/1 (empty form)", post("/operations/1"), map[string]int{signedOut: 401, admin: 422, leadCoord: 422, otherCoord: 403, groupLead: 403, volunteer: 403}},
				{"POST /operations/2 (outside)", post("/operations/2"), map[string]int{leadCoord: 403, groupLead: 403}},
				{"GET /operations/1/edit", get("/operations/1/edit"), map[string]int{admin: 200, leadCoord: 200, otherCoord: 403, groupLead: 403, volunteer: 403}},
				{"GET /operations/2/edit", get("/operations/2/edit"), map[string]int{leadCoord: 403, otherCoord: 200}},
				{"POST /operations/1/invite", post("/operations/1/invite", "org_id", sa), map[string]int{signedOut: 401, otherCoord: 403, groupLead: 403, volunteer: 403, leadCoord: 422}},
				{"POST /operations/2/level", post("/operations/2/level", "level", "2", "reason", "x"), map[string]int{signedOut: 401, admin: 403, leadCoord: 403, groupLead: 403, invitedLead: 403, volunteer: 403}},
				{"POST /operations/1/join (not her group)", post("/operations/1/join", "org_id", sa), map[string]int{groupLead: 403, volunteer: 403, leadCoord: 403}},
				{"POST /operations/2/leave (outside)", post("/operations/2/leave", "org_id", dm), map[string]int{groupLead: 404}},
				{"GET /levels", get("/levels"), map[string]int{signedOut: 303, admin: 200, leadCoord: 200, groupLead: 200, volunteer: 200, facilitator: 403, board: 403}},
				{"GET /levels/edit", get("/levels/edit"), map[string]int{admin: 200, leadCoord: 403, groupLead: 403}},
				{"POST /levels", post("/levels"), map[string]int{leadCoord: 403, volunteer: 403}},
			}
			for _, r := range rows {
				for who, want := range r.want {
					if got := r.do(c(who)).Status; got != want {
						t.Errorf("%s as %q: %d, want %d", r.route, who, got, want)
					}
				}
			}
		})
	}
}

type step struct {
	name    string
	who     string
	method  string
	path    string
	form    url.Values
	status  int
	must    []string
	mustNot []string
}

func run(t *testing.T, s *webtest.Server, steps []step) {
	t.Helper()
	clients := map[string]*webtest.Client{}
	for _, st := range steps {
		c := clients[st.who]
		if c == nil {
			c = client(s, st.who)
			clients[st.who] = c
		}
		var r *webtest.Response
		if st.method == "POST" {
			r = c.Post(st.path, st.form)
		} else {
			r = c.Get(st.path)
		}
		if r.Status != st.status {
			t.Errorf("%s: status %d, want %d\n%s", st.name, r.Status, st.status, webtest.Text(r.Body))
			continue
		}
		text := webtest.Text(r.Body)
		for _, m := range st.must {
			if !strings.Contains(text, m) {
				t.Errorf("%s: %q missing in\n%s", st.name, m, text)
			}
		}
		for _, m := range st.mustNot {
			if strings.Contains(text, m) {
				t.Errorf("%s: %q must not appear", st.name, m)
			}
		}
	}
}

func TestTheLeadCoordinatorChangesTheLevelWithAReasonAndEveryMemberIsTold(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s, ops := newServer(t, dialect)
			ops.AddSignalSource(fakeSignals{overdue: 4})
			reason := "Vaccinationen börjar och frågorna ökar snabbt"
			run(t, s, []step{
				{"the volunteer reads what level 2 means for her", volunteer, "GET", "/operations/1", nil, 200,
					[]string{"Nivå 2: Stöttad", "Vad nivån betyder för dig", "Svar på eskalerade frågor kommer inom ett dygn.", "Många nya frågor om testning"},
					[]string{"Förslag", "Ändra stödnivå", "Bjud in"}},
				{"the group lead reads her own text", groupLead, "GET", "/operations/1", nil, 200,
					[]string{"Rapportera varje vecka till samordnaren"}, []string{"Ändra stödnivå"}},
				{"the lead coordinator sees the suggestion and the form", leadCoord, "GET", "/operations/1", nil, 200,
					[]string{"Förslag: höj till nivå 3 (Gemensam)", "4 eskalerade frågor", "Megafon ändrar aldrig nivån själv", "Ändra stödnivå", "Somaliska kvinnoföreningen"}, nil},
				{"the other administration's coordinator reads but cannot change", otherCoord, "GET", "/operations/1", nil, 200,
					[]string{"Förslag"}, []string{"Ändra stödnivå", "Bjud in"}},
				{"no reason", leadCoord, "POST", "/operations/1/level", url.Values{"level": {"3"}, "reason": {"  "}}, 422,
					[]string{"Skriv varför nivån ändras."}, nil},
				{"same level", leadCoord, "POST", "/operations/1/level", url.Values{"level": {"2"}, "reason": {"x"}}, 422,
					[]string{"Insatsen har redan den nivån."}, nil},
				{"no such level", leadCoord, "POST", "/operations/1/level", url.Values{"level": {"x"}, "reason": {"x"}}, 422,
					[]string{"Välj en av de fyra nivåerna."}, nil},
				{"still level 2", volunteer, "GET", "/operations/1", nil, 200, []string{"Nivå 2: Stöttad"}, nil},
				{"changed", leadCoord, "POST", "/operations/1/level", url.Values{"level": {"3"}, "reason": {reason}}, 303, nil, nil},
				{"the history shows who and why", groupLead, "GET", "/operations/1", nil, 200,
					[]string{"Nivå 3: Gemensam", "2 → 3", "Sara Samordnare", reason}, nil},
				{"the volunteer is notified", volunteer, "GET", "/notifications", nil, 200,
					[]string{"Covid-19-information: stödnivån ändrades från 2 till 3 av Sara Samordnare. Skäl: " + reason}, nil},
				{"a volunteer of an invited group is not", outsideVolunt, "GET", "/notifications", nil, 200,
					[]string{"Du har inga aviseringar."}, nil},
			})
			var queued int
			s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE subject LIKE '%Covid-19-information%'`).Scan(&queued)
			if queued != 2 { // the lead coordinator and the group lead have e-mail; volunteers have phones
				t.Errorf("%d e-mails queued, want 2", queued)
			}
		})
	}
}

func TestOperationsAreCreatedAndGroupsJoinOnInvitation(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s, _ := newServer(t, dialect)
			lm := fmt.Sprint(s.City.Orgs[demo.LabourMarket].ID)
			cm := fmt.Sprint(s.City.Orgs[demo.CityManagement].ID)
			sa := fmt.Sprint(s.City.Orgs[demo.SomaliAssoc].ID)
			run(t, s, []step{
				{"bad input", leadCoord, "POST", "/operations", url.Values{"name": {""}, "starts_on": {"igår"}, "lead_org_id": {lm}, "level": {"1"}}, 422,
					[]string{"Skriv ett namn.", "Skriv ett datum som 2021-03-01."}, nil},
				{"another administration as lead", leadCoord, "POST", "/operations", url.Values{"name": {"x"}, "starts_on": {"2021-05-01"}, "lead_org_id": {cm}, "level": {"1"}}, 422,
					[]string{"Välj en förvaltning där du är samordnare."}, nil},
				{"created", leadCoord, "POST", "/operations", url.Values{"name": {"Värmebölja 2021"}, "starts_on": {"2021-06-01"}, "lead_org_id": {lm}, "level": {"1"}}, 303, nil, nil},
				{"listed", leadCoord, "GET", "/operations", nil, 200, []string{"Värmebölja 2021", "Nivå 1: Självgående"}, nil},
				{"invisible to a volunteer", volunteer, "GET", "/operations", nil, 200, nil, []string{"Värmebölja 2021"}},
				{"invite", leadCoord, "POST", "/operations/3/invite", url.Values{"org_id": {sa}}, 303, nil, nil},
				{"the invited lead sees the invitation", invitedLead, "GET", "/operations/3", nil, 200, []string{"Somaliska kvinnoföreningen är inbjuden att vara med", "Gå med"}, nil},
				{"her volunteer does not, yet", outsideVolunt, "GET", "/operations/3", nil, 404, nil, nil},
				{"join", invitedLead, "POST", "/operations/3/join", url.Values{"org_id": {sa}}, 303, nil, nil},
				{"joining twice", invitedLead, "POST", "/operations/3/join", url.Values{"org_id": {sa}}, 409, []string{"Gruppen har ingen inbjudan att svara på."}, nil},
				{"now her volunteer does", outsideVolunt, "GET", "/operations/3", nil, 200, []string{"Värmebölja 2021"}, nil},
				{"leave", invitedLead, "POST", "/operations/3/leave", url.Values{"org_id": {sa}}, 303, nil, nil},
				{"and no longer", outsideVolunt, "GET", "/operations/3", nil, 404, nil, nil},
				{"in English", leadCoord, "POST", "/lang", url.Values{"lang": {"en"}, "next": {"/operations/3"}}, 303, nil, nil},
				{"English page", leadCoord, "GET", "/operations/3", nil, 200, []string{"Level 1: Self-run", "Level history", "The operation was created"}, []string{"Nivå"}},
			})
		})
	}
}

func TestAnAdministratorRewordsTheLevels(t *testing.T) {
	s, _ := newServer(t, db.SQLite)
	form := url.Values{}
	for n, h := range map[string]string{"1": "72", "2": "12", "3": "4", "4": "1"} {
		form.Set("answer_in_"+n, h)
	}
	form.Set("reporting_1", "none")
	form.Set("reporting_2", "weekly")
	form.Set("reporting_3", "daily")
	form.Set("reporting_4", "continuous")
	form.Set("text_2_for_volunteer_sv", "Ring som vanligt; svar inom en halv dag.")
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("answer_in_3", "48")
	bad.Set("answer_in_4", "noll")
	run(t, s, []step{
		{"form", admin, "GET", "/levels/edit", nil, 200, []string{"Svarstid i timmar", "Staden håller handboken verifierad"}, nil},
		{"out of order", admin, "POST", "/levels", bad, 422, []string{"Skriv ett antal timmar större än 0."}, nil},
		{"saved", admin, "POST", "/levels", form, 303, nil, nil},
		{"the volunteer reads the new text", volunteer, "GET", "/operations/1", nil, 200, []string{"Ring som vanligt; svar inom en halv dag."}, nil},
		{"and the new time", volunteer, "GET", "/levels", nil, 200, []string{"12 timmar"}, nil},
	})
}
