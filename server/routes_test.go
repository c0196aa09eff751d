package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// Who is signed in, in the role-by-route table.
type who string

const (
	out       who = ""
	admin     who = "admin@demo.megafon.se"
	coord     who = "samordnare@demo.megafon.se"       // Labour Market Administration
	facil     who = "processledare@demo.megafon.se"    // Social Administration
	board     who = "ledamot@demo.megafon.se"          // Social Administration
	lead      who = "gruppledare@demo.megafon.se"      // District Mothers
	otherLead who = "ledare@somaliska.demo.megafon.se" // another partner group
	vol       who = "+46701000001"                     // a District Mother
)

var everyone = []who{out, admin, coord, facil, board, lead, otherLead, vol}

// routeCase is one route's request and the status each person gets.
type routeCase struct {
	pattern string // as registered
	method  string
	path    func(s *webtest.Server) string
	form    url.Values
	want    map[who]int // everyone not listed gets def
	def     int
	also    []who // people asked besides everyone
}

func fixed(p string) func(*webtest.Server) string { return func(*webtest.Server) string { return p } }

func orgPath(name, suffix string) func(*webtest.Server) string {
	return func(s *webtest.Server) string { return fmt.Sprintf("/orgs/%d%s", s.City.Orgs[name].ID, suffix) }
}

func aminaMembership(suffix string) func(*webtest.Server) string {
	return func(s *webtest.Server) string {
		return fmt.Sprintf("/memberships/%d%s", s.User(string(vol)).Memberships[0].ID, suffix)
	}
}

// signedInOnly is the usual answer to someone signed out: GETs go to the
// sign-in page, POSTs get 401.
func signedIn(m map[who]int, def int, method string) map[who]int {
	if _, ok := m[out]; !ok {
		if method == http.MethodGet {
			m[out] = http.StatusSeeOther
		} else {
			m[out] = http.StatusUnauthorized
		}
	}
	return m
}

var platformRoutes = []routeCase{
	{pattern: "GET /{$}", method: "GET", path: fixed("/"), def: 200},
	{pattern: "GET /signin", method: "GET", path: fixed("/signin"), want: map[who]int{out: 200}, def: 303},
	{pattern: "POST /signin", method: "POST", path: fixed("/signin"), def: 422},
	{pattern: "POST /signout", method: "POST", path: fixed("/signout"), def: 303},
	{pattern: "GET /invite/{token}", method: "GET", path: fixed("/invite/forged"), def: 404},
	{pattern: "POST /invite/{token}", method: "POST", path: fixed("/invite/forged"), def: 404},
	{pattern: "GET /account", method: "GET", path: fixed("/account"), want: map[who]int{}, def: 200},
	{pattern: "POST /account/signout-everywhere", method: "POST", path: fixed("/account/signout-everywhere"), want: map[who]int{}, def: 303},
	{pattern: "GET /people", method: "GET", path: fixed("/people"), want: map[who]int{admin: 200, coord: 200, lead: 200, otherLead: 200}, def: 403},
	{pattern: "POST /orgs", method: "POST", path: fixed("/orgs"), want: map[who]int{admin: 422}, def: 403},
	{pattern: "GET /orgs/{id}", method: "GET", path: orgPath(demo.DistrictMothers, ""), want: map[who]int{admin: 200, lead: 200, coord: 404, otherLead: 404}, def: 403},
	{pattern: "GET /orgs/{id}", method: "GET", path: orgPath(demo.LabourMarket, ""), want: map[who]int{admin: 200, coord: 200, lead: 404, otherLead: 404}, def: 403},
	{pattern: "POST /orgs/{id}/invite", method: "POST", path: orgPath(demo.DistrictMothers, "/invite"), form: url.Values{"role": {"volunteer"}},
		want: map[who]int{admin: 422, lead: 422, coord: 404, otherLead: 404}, def: 403},
	{pattern: "POST /memberships/{id}/role", method: "POST", path: aminaMembership("/role"), form: url.Values{"role": {"group_lead"}},
		want: map[who]int{admin: 303, lead: 303, coord: 404, otherLead: 404}, def: 403},
	{pattern: "POST /memberships/{id}/remove", method: "POST", path: aminaMembership("/remove"),
		want: map[who]int{admin: 303, lead: 303, coord: 404, otherLead: 404}, def: 403},
	{pattern: "GET /audit", method: "GET", path: fixed("/audit"), want: map[who]int{admin: 200}, def: 403},
	{pattern: "GET /healthz", method: "GET", path: fixed("/healthz"), want: map[who]int{out: 200}, def: 200},
	{pattern: "GET /readyz", method: "GET", path: fixed("/readyz"), want: map[who]int{out: 200}, def: 200},
	{pattern: "GET /metrics", method: "GET", path: fixed("/metrics"), want: map[who]int{out: 200}, def: 200},
	{pattern: "GET /assets/{file}", method: "GET", path: fixed("/assets/style.css"), want: map[who]int{out: 200}, def: 200},
	{pattern: "POST /lang", method: "POST", path: fixed("/lang"), form: url.Values{"lang": {"en"}}, want: map[who]int{out: 303}, def: 303},
	// The topics chart: the lead administration's coordinators, administrators
	// and the leads of groups taking part; not a group only invited (otherLead)
	// nor a volunteer. Unknown filter values are refused, never a 500.
	{pattern: "GET /operations/{id}/topics", method: "GET", path: demoOperation("/topics"),
		want: map[who]int{admin: 200, coord: 200, lead: 200, otherLead: 404}, def: 403},
	{pattern: "GET /operations/{id}/topics", method: "GET", path: demoOperation("/topics?lang=fr&district=Nowhere&weeks=99"),
		want: map[who]int{admin: 422, coord: 422, lead: 422, otherLead: 404}, def: 403},
}

// People that referrals tell apart from everyone: a coordinator of
// another administration than the one the referral went to, and a
// volunteer of a group that does not take part in the operation.
const (
	otherCoord who = "slf@demo.megafon.se" // City Management
	otherVol   who = "+46701000006"        // Somali association, invited, not taking part
)

// referralDemo seeds the demo operation and referrals into s once and
// answers a query about them.
var referralSeeded sync.Map // *webtest.Server -> *sync.Once

func referralDemo(s *webtest.Server, query string, args ...any) int64 {
	once, _ := referralSeeded.LoadOrStore(s, &sync.Once{})
	once.(*sync.Once).Do(func() {
		for _, m := range s.App.Modules() {
			if m.Name() != "operation" && m.Name() != "referral" {
				continue
			}
			if err := m.(demo.Seeder).SeedDemo(context.Background(), s.App, s.City); err != nil {
				panic(err)
			}
		}
	})
	var id int64
	if err := s.App.DB.QueryRow(context.Background(), query, args...).Scan(&id); err != nil {
		panic(err)
	}
	return id
}

// labourReferral is the path of a new referral with a contact, routed to
// the Labour Market Administration (samordnare's).
func labourReferral(suffix string) func(*webtest.Server) string {
	return func(s *webtest.Server) string {
		return fmt.Sprintf("/referrals/%d%s", referralDemo(s, `SELECT MIN(r.id) FROM referrals r JOIN orgs o ON o.id = r.org_id
			WHERE o.name = $1 AND r.state = 'new' AND r.contact_enc IS NOT NULL`, demo.LabourMarket), suffix)
	}
}

func demoOperation(suffix string) func(*webtest.Server) string {
	return func(s *webtest.Server) string {
		return fmt.Sprintf("/operations/%d%s", referralDemo(s, `SELECT id FROM operations WHERE name = $1`, operation.DemoName), suffix)
	}
}

var referralPeople = []who{otherCoord, otherVol}

var referralRoutes = []routeCase{
	{pattern: "GET /referrals", method: "GET", path: fixed("/referrals"), also: referralPeople,
		want: map[who]int{admin: 200, coord: 200, vol: 200, otherCoord: 200, otherVol: 200}, def: 403},
	{pattern: "GET /operations/{id}/referrals/new", method: "GET", path: demoOperation("/referrals/new"), also: referralPeople,
		want: map[who]int{vol: 200, otherVol: 404}, def: 403},
	{pattern: "POST /operations/{id}/referrals", method: "POST", path: demoOperation("/referrals"), also: referralPeople,
		want: map[who]int{vol: 422, otherVol: 404}, def: 403},
	{pattern: "GET /referrals/{id}", method: "GET", path: labourReferral(""), also: referralPeople,
		want: map[who]int{coord: 200, otherCoord: 404}, def: 403},
	{pattern: "POST /referrals/{id}/move", method: "POST", path: labourReferral("/move"), form: url.Values{"to": {"acknowledged"}}, also: referralPeople,
		want: map[who]int{coord: 303, otherCoord: 404}, def: 403},
	{pattern: "POST /referrals/{id}/contact", method: "POST", path: labourReferral("/contact"), also: referralPeople,
		want: map[who]int{coord: 200, otherCoord: 404}, def: 403},
	{pattern: "GET /referrals/routes", method: "GET", path: fixed("/referrals/routes"), also: referralPeople,
		want: map[who]int{admin: 200}, def: 403},
	{pattern: "POST /referrals/routes", method: "POST", path: fixed("/referrals/routes"), form: url.Values{"route_health": {"999999"}}, also: referralPeople,
		want: map[who]int{admin: 422}, def: 403},
}

// routeTables are the tables run here.
var routeTables = [][]routeCase{platformRoutes, referralRoutes}

// tablesElsewhere names, by path prefix, the modules whose role-by-route
// tables live beside their handlers (they need the module's own demo
// data). A route is covered when this file's tables list it or its module's
// table file exists.
var tablesElsewhere = map[string]string{
	"/operations":                     "outreach/operation/http_test.go",
	"/levels":                         "outreach/operation/http_test.go",
	"/notifications":                  "outreach/notify/http_test.go",
	"/operations/{id}/handbook":       "outreach/handbook/http_test.go",
	"/handbook/":                      "outreach/handbook/http_test.go",
	"/assets/handbook/":               "outreach/handbook/http_test.go",
	"/campaigns":                      "outreach/campaign/http_test.go",
	"/operations/{id}/campaigns":      "outreach/campaign/http_test.go",
	"/assets/campaign/":               "outreach/campaign/http_test.go",
	"/contacts":                       "outreach/contact/http_test.go",
	"/processes":                      "cocreation/http_test.go",
	"/workshops/":                     "cocreation/http_test.go",
	"/assets/cocreation/":             "cocreation/http_test.go",
	"/join/":                          "cocreation/http_test.go",
	"/back":                           "cocreation/http_test.go",
	"/p/":                             "cocreation/http_test.go",
	"/translations":                   "platform/translation/http_test.go",
	"/questions":                      "outreach/question/http_test.go",
	"/operations/{id}/questions":      "outreach/question/http_test.go",
	"/helplines":                      "outreach/helpline/http_test.go",
	"/operations/{id}/helpline":       "outreach/helpline/http_test.go",
	"/phones/":                        "outreach/helpline/http_test.go",
	"/shifts/":                        "outreach/helpline/http_test.go",
	"/swaps/":                         "outreach/helpline/http_test.go",
	"/calendar/":                      "outreach/helpline/http_test.go",
	"/assets/helpline/":               "outreach/helpline/http_test.go",
	"/helpline/calls":                 "outreach/helpline/calls/http_test.go",
	"/helpline/callbacks":             "outreach/helpline/calls/http_test.go",
	"/operations/{id}/helpline/calls": "outreach/helpline/calls/http_test.go",
	"/hooks/":                         "outreach/helpline/telephony/http_test.go",
	"/telephony/":                     "outreach/helpline/telephony/http_test.go",
	"/helplines/{id}/telephony":       "outreach/helpline/telephony/http_test.go",
}

func coveredElsewhere(pattern string) (string, bool) {
	path := pattern
	if i := strings.Index(path, " "); i >= 0 {
		path = path[i+1:]
	}
	best := ""
	for prefix := range tablesElsewhere {
		if strings.HasPrefix(path, prefix) && len(prefix) > len(best) {
			best = prefix
		}
	}
	if best == "" {
		return "", false
	}
	_, err := os.Stat(filepath.Join("..", tablesElsewhere[best]))
	return tablesElsewhere[best], err == nil
}

func TestEveryRouteAnswersEveryRoleAsSpecified(t *testing.T) {
	covered := map[string]bool{}
	for _, table := range routeTables {
		for _, rc := range table {
			covered[rc.pattern] = true
		}
	}
	s0 := webtest.New(t, db.SQLite, false, server.Modules()...)
	for _, r := range s0.App.Routes() {
		if covered[r.Pattern] {
			continue
		}
		if file, ok := coveredElsewhere(r.Pattern); !ok {
			t.Errorf("route %q (%s) is in no role-by-route table (looked here and in %q)", r.Pattern, r.Access.Name, file)
		}
	}
	for _, table := range routeTables {
		for _, rc := range table {
			rc := rc
			want := rc.want
			if want == nil {
				want = map[who]int{}
			}
			if rc.pattern != "GET /{$}" && !strings.HasPrefix(rc.pattern, "GET /signin") && rc.want != nil {
				want = signedIn(want, rc.def, rc.method)
			}
			t.Run(rc.pattern, func(t *testing.T) {
				t.Parallel()
				// A server of its own: some requests change what the next would see.
				for _, w := range append(everyone[:len(everyone):len(everyone)], rc.also...) {
					s := webtest.New(t, db.SQLite, false, server.Modules()...)
					c := s.Client()
					if w != out {
						c.SignIn(string(w))
					}
					status, ok := want[w]
					if !ok {
						status = rc.def
					}
					var r *webtest.Response
					form := url.Values{}
					for k, v := range rc.form {
						form[k] = v
					}
					if rc.method == http.MethodGet {
						r = c.Get(rc.path(s))
					} else {
						r = c.Post(rc.path(s), form)
					}
					if r.Status != status {
						name := string(w)
						if w == out {
							name = "signed out"
						}
						t.Errorf("%s %s as %s: %d, want %d", rc.method, rc.path(s), name, r.Status, status)
					}
				}
			})
		}
	}
}
