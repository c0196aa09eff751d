package contact_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"megafon/outreach/contact"
	"megafon/platform/audit"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// Who is signed in.
const (
	out        = ""
	admin      = "admin@demo.megafon.se"
	coord      = "samordnare@demo.megafon.se"       // a coordinator of the city
	otherCoord = "slf@demo.megafon.se"              // a coordinator of another administration
	facil      = "processledare@demo.megafon.se"    // social administration
	board      = "ledamot@demo.megafon.se"          // social welfare board
	lead       = "gruppledare@demo.megafon.se"      // District Mothers
	otherLead  = "ledare@somaliska.demo.megafon.se" // Somali association
	amina      = "+46701000001"                     // a District Mother
	khadra     = "+46701000006"                     // a Somali association volunteer
)

var everyone = []string{out, admin, coord, otherCoord, facil, board, lead, otherLead, amina, khadra}

// site is a running server with the contact module and a few contacts of
// the District Mothers.
type site struct {
	t   *testing.T
	s   *webtest.Server
	m   *contact.Module
	dm  int64 // District Mothers
	som int64 // Somali association
	n   int
}

func newSite(t *testing.T, dialect db.Dialect) *site {
	m := &contact.Module{}
	s := webtest.New(t, dialect, false, m)
	return &site{t: t, s: s, m: m, dm: s.City.Orgs[demo.DistrictMothers].ID, som: s.City.Orgs[demo.SomaliAssoc].ID}
}

// contact adds a new contact to group org and returns its id.
func (x *site) contact(org int64) int64 {
	x.t.Helper()
	x.n++
	id, err := x.m.Store().Add(context.Background(), org, contact.NewContact{Phone: fmt.Sprintf("0702%06d", x.n), Name: "Amal Hassan",
		Languages: []string{"ar"}, District: "Dalhem", Basis: contact.BasisConsent, RetainUntil: time.Now().AddDate(1, 0, 0)}, x.s.User(lead))
	if err != nil {
		x.t.Fatal(err)
	}
	return id
}

// draft uploads a small list for group org and returns the import's id.
func (x *site) draft(org int64) int64 {
	x.t.Helper()
	x.n++
	x.m.Importer().Wait() // a group reads one file at a time
	data := fmt.Sprintf("Namn;Telefon;Språk\nAmal;0703%06d;arabiska\nBo;saknas;somaliska\n", x.n)
	id, err := x.m.Importer().Upload(context.Background(), org, x.s.User(lead), "lista.csv", []byte(data), contact.BasisConsent, "", time.Now().AddDate(1, 0, 0))
	if err != nil {
		x.t.Fatal(err)
	}
	return id
}

type routeCase struct {
	method, pattern string
	path            func(x *site) string
	form            url.Values
	want            map[string]int // everyone else gets def
	def             int
}

func p(format string, f func(x *site) int64) func(x *site) string {
	return func(x *site) string { return fmt.Sprintf(format, f(x)) }
}

func dm(x *site) int64        { return x.dm }
func som(x *site) int64       { return x.som }
func dmContact(x *site) int64 { return x.contact(x.dm) }
func dmDraft(x *site) int64   { return x.draft(x.dm) }

// The role-by-route table of the contact module: who gets what on every
// route. A group's contacts are its own; the city sees counts only.
var routes = []routeCase{
	{"GET", "GET /contacts", func(*site) string { return "/contacts" }, nil,
		map[string]int{out: 303, facil: 403, board: 403}, 200},
	{"GET", "GET /contacts/groups/{id}", p("/contacts/groups/%d", dm), nil,
		map[string]int{out: 303, lead: 200, amina: 200, otherLead: 404, khadra: 404}, 403},
	{"GET", "GET /contacts/groups/{id}", p("/contacts/groups/%d", som), nil,
		map[string]int{out: 303, otherLead: 200, khadra: 200, lead: 404, amina: 404}, 403},
	{"GET", "GET /contacts/groups/{id}/new", p("/contacts/groups/%d/new", dm), nil,
		map[string]int{out: 303, lead: 200, otherLead: 404}, 403},
	{"POST", "POST /contacts/groups/{id}/new", p("/contacts/groups/%d/new", dm), url.Values{"phone": {"070"}},
		map[string]int{out: 401, lead: 422, otherLead: 404}, 403},
	{"GET", "GET /contacts/groups/{id}/do-not-call", p("/contacts/groups/%d/do-not-call", dm), nil,
		map[string]int{out: 303, lead: 200, otherLead: 404}, 403},
	{"POST", "POST /contacts/groups/{id}/do-not-call", p("/contacts/groups/%d/do-not-call", dm), url.Values{"phone": {"x"}, "scope": {"city"}},
		map[string]int{out: 401, lead: 422, otherLead: 404}, 403},
	{"GET", "GET /contacts/groups/{id}/imports", p("/contacts/groups/%d/imports", dm), nil,
		map[string]int{out: 303, lead: 200, otherLead: 404}, 403},
	{"POST", "POST /contacts/groups/{id}/imports", p("/contacts/groups/%d/imports", dm), nil,
		map[string]int{out: 401, lead: 422, otherLead: 404}, 403},
	{"POST", "POST /contacts/{id}/reveal", p("/contacts/%d/reveal", dmContact), nil,
		map[string]int{out: 401, lead: 200, amina: 404, otherLead: 404, khadra: 404}, 403},
	{"POST", "POST /contacts/{id}/delete", p("/contacts/%d/delete", dmContact), url.Values{"confirm": {"yes"}},
		map[string]int{out: 401, lead: 303, otherLead: 404}, 403},
	{"POST", "POST /contacts/{id}/do-not-call", p("/contacts/%d/do-not-call", dmContact), url.Values{"scope": {"city"}, "confirm": {"yes"}},
		map[string]int{out: 401, lead: 303, otherLead: 404}, 403},
	{"GET", "GET /contacts/imports/{id}", p("/contacts/imports/%d", dmDraft), nil,
		map[string]int{out: 303, lead: 200, otherLead: 404}, 403},
	{"POST", "POST /contacts/imports/{id}/mapping", p("/contacts/imports/%d/mapping", dmDraft), url.Values{"col0": {"name"}, "col1": {"phone"}, "col2": {"languages"}},
		map[string]int{out: 401, lead: 303, otherLead: 404}, 403},
	{"POST", "POST /contacts/imports/{id}/start", p("/contacts/imports/%d/start", dmDraft), nil,
		map[string]int{out: 401, lead: 303, otherLead: 404}, 403},
	{"POST", "POST /contacts/imports/{id}/resume", p("/contacts/imports/%d/resume", dmDraft), nil,
		map[string]int{out: 401, lead: 409, otherLead: 404}, 403},
	{"POST", "POST /contacts/imports/{id}/rollback", p("/contacts/imports/%d/rollback", dmDraft), nil,
		map[string]int{out: 401, lead: 409, otherLead: 404}, 403},
	{"POST", "POST /contacts/imports/{id}/discard", p("/contacts/imports/%d/discard", dmDraft), nil,
		map[string]int{out: 401, lead: 303, otherLead: 404}, 403},
	{"GET", "GET /contacts/imports/{id}/progress.json", p("/contacts/imports/%d/progress.json", dmDraft), nil,
		map[string]int{out: 303, lead: 200, otherLead: 404}, 403},
	{"GET", "GET /contacts/assets/{file}", func(*site) string { return "/contacts/assets/import.js" }, nil, map[string]int{}, 200},
	{"GET", "GET /contacts/imports/{id}/rejected.csv", p("/contacts/imports/%d/rejected.csv", dmDraft), nil,
		map[string]int{out: 303, lead: 200, otherLead: 404}, 403},
}

func TestEveryRouteAnswersEveryRoleAsSpecified(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			covered := map[string]bool{}
			for _, rc := range routes {
				covered[rc.pattern] = true
			}
			for _, r := range x.s.App.Routes() {
				if strings.HasPrefix(r.Pattern, "GET /contacts") || strings.HasPrefix(r.Pattern, "POST /contacts") {
					if !covered[r.Pattern] {
						t.Errorf("route %s is not in the table", r.Pattern)
					}
				}
			}
			clients := map[string]*webtest.Client{}
			for _, who := range everyone {
				if who == out {
					clients[who] = x.s.Client()
				} else {
					clients[who] = x.s.As(who)
				}
			}
			for _, rc := range routes {
				for _, who := range everyone {
					want, ok := rc.want[who]
					if !ok {
						want = rc.def
					}
					path := rc.path(x)
					var r *webtest.Response
					if rc.method == "GET" {
						r = clients[who].Get(path)
					} else {
						form := url.Values{}
						for k, v := range rc.form {
							form[k] = v
						}
						r = clients[who].Post(path, form)
					}
					if r.Status != want {
						name := who
						if who == out {
							name = "signed out"
						}
						t.Errorf("%s %s as %s: %d, want %d", rc.method, path, name, r.Status, want)
					}
				}
			}
		})
	}
}

// upload posts a file as a browser's form would.
func upload(t *testing.T, c *webtest.Client, s *webtest.Server, path, name string, data []byte, fields map[string]string) *webtest.Response {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("csrf_token", c.CSRF())
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

func mustHave(t *testing.T, what string, r *webtest.Response, status int, want []string, not []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, webtest.Text(r.Body))
	}
	text := webtest.Text(r.Body)
	for _, w := range want {
		if !strings.Contains(text, w) && !strings.Contains(r.Body, w) {
			t.Errorf("%s: %q missing in\n%s", what, w, text)
		}
	}
	for _, n := range not {
		if strings.Contains(r.Body, n) {
			t.Errorf("%s: %q must not appear", what, n)
		}
	}
}

func TestAGroupLeadImportsAMessyListAndDownloadsTheRejectedRows(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			ctx := context.Background()
			if _, err := x.m.Store().AddDoNotCall(ctx, "0701234571", 0); err != nil {
				t.Fatal(err)
			}
			c := x.s.As(lead)
			r := upload(t, c, x.s, fmt.Sprintf("/contacts/groups/%d/imports", x.dm), "lista.csv", []byte(messy),
				map[string]string{"basis": "consent", "basis_note": "samtycke", "retain_until": time.Now().AddDate(1, 0, 0).Format("2006-01-02")})
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/contacts/imports/") {
				t.Fatalf("upload: %d %s\n%s", r.Status, r.Location, webtest.Text(r.Body))
			}
			page := r.Location
			r = c.Get(page)
			mustHave(t, "mapping and preview", r, 200,
				[]string{"Kolumner", "Telefonnummer", "Rad", "+46 ••• ••• •67", "Inte ett användbart telefonnummer", "Okänt språk: klingon",
					"upprepar rad 2", "Står på spärrlistan"},
				[]string{"701234567", "Åsa"})
			var id int64
			fmt.Sscanf(page, "/contacts/imports/%d", &id)
			// Map the district away, then import.
			r = c.Post(page+"/mapping", webtest.Form("col0", "name", "col1", "phone", "col2", "languages", "col3", "", "then", "start"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("start: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			x.m.Importer().Wait()
			r = c.Get(page)
			mustHave(t, "finished import", r, 200, []string{"Klar", "Importerade", "Rader som inte importerades", "Upprepas i filen", "upprepar rad 2", "Står på spärrlistan", "Språk saknas"}, nil)
			r = c.Get(page + "/progress.json")
			mustHave(t, "progress", r, 200, []string{`"state":"done"`, `"total":9`, `"imported":4`, `"rejected":5`}, nil)
			r = c.Get(page + "/rejected.csv")
			mustHave(t, "rejected rows", r, 200, []string{"Rad;Kolumn;Orsak;Detalj", "6;Telefon;Inte ett användbart telefonnummer", "10;;Står på spärrlistan"}, []string{"0701234571"})
			list, _, _ := x.m.Store().List(ctx, x.dm, 0, 10)
			if len(list) != 4 || list[0].District != "" {
				t.Errorf("imported %+v", list)
			}
			// The same header next time: the mapping is remembered.
			r = upload(t, c, x.s, fmt.Sprintf("/contacts/groups/%d/imports", x.dm), "igen.csv", []byte(messy),
				map[string]string{"basis": "consent", "retain_until": time.Now().AddDate(1, 0, 0).Format("2006-01-02")})
			i, _ := x.m.Importer().Get(ctx, id+1)
			if fmt.Sprint(i.Mapping.Columns) != "[name phone languages ]" {
				t.Errorf("remembered mapping %v", i.Mapping.Columns)
			}
		})
	}
}

func TestBadUploadsAreExplainedInTheReadersLanguage(t *testing.T) {
	x := newSite(t, db.SQLite)
	c := x.s.As(lead)
	c.Post("/lang", webtest.Form("lang", "en"))
	path := fmt.Sprintf("/contacts/groups/%d/imports", x.dm)
	retain := time.Now().AddDate(1, 0, 0).Format("2006-01-02")
	tests := []struct {
		name, file string
		data       []byte
		fields     map[string]string
		want       string
	}{
		{"old excel", "list.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), map[string]string{"basis": "consent", "retain_until": retain}, "Save it as CSV or Excel"},
		{"empty", "list.csv", []byte("\n\n"), map[string]string{"basis": "consent", "retain_until": retain}, "The file has no rows."},
		{"no basis", "list.csv", []byte("Telefon\n0701234567\n"), map[string]string{"retain_until": retain}, "Choose the lawful basis."},
		{"past date", "list.csv", []byte("Telefon\n0701234567\n"), map[string]string{"basis": "consent", "retain_until": "2020-01-01"}, "Give a date in the future."},
	}
	for _, tc := range tests {
		r := upload(t, c, x.s, path, tc.file, tc.data, tc.fields)
		mustHave(t, tc.name, r, 422, []string{tc.want}, nil)
	}
	r := c.Post(fmt.Sprintf("/contacts/groups/%d/new", x.dm), webtest.Form("phone", "070-12", "retain_until", retain, "basis", "consent"))
	mustHave(t, "add by hand", r, 422, []string{"The number is too short.", "Choose at least one language."}, nil)
	r = c.Post(fmt.Sprintf("/contacts/groups/%d/new", x.dm), webtest.Form("phone", "070-123 45 67", "languages", "so", "languages", "xx", "retain_until", retain, "basis", "consent", "district", "Dalhem"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	r = c.Post(fmt.Sprintf("/contacts/groups/%d/new", x.dm), webtest.Form("phone", "+46701234567", "languages", "ar", "retain_until", retain, "basis", "consent"))
	mustHave(t, "the same number again", r, 422, []string{"The group already has a contact with this number."}, nil)
}

func TestNumbersAreMaskedAndEveryRevealIsAudited(t *testing.T) {
	x := newSite(t, db.SQLite)
	id := x.contact(x.dm)
	r := x.s.As(amina).Get(fmt.Sprintf("/contacts/groups/%d", x.dm))
	mustHave(t, "group list of a volunteer", r, 200, []string{"+46 ••• ••• •01", "arabiska", "Dalhem"}, []string{"702000001", "Amal Hassan", "Ta bort", "Visa nummer"})
	c := x.s.As(lead)
	r = c.Get(fmt.Sprintf("/contacts/groups/%d", x.dm))
	mustHave(t, "group list of a lead", r, 200, []string{"+46 ••• ••• •01", "Visa nummer"}, []string{"702000001", "Amal Hassan"})
	r = c.Post(fmt.Sprintf("/contacts/%d/reveal", id), nil)
	mustHave(t, "revealed", r, 200, []string{"+46702000001", "Amal Hassan", `href="tel:&#43;46702000001"`}, nil)
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Error("a revealed number may be cached")
	}
	entries, _ := x.s.App.Audit.List(context.Background(), audit.Filter{Action: audit.ViewPersonal})
	if len(entries) != 1 || entries[0].Subject != fmt.Sprintf("contact:%d", id) || entries[0].ActorID != x.s.User(lead).ID {
		t.Errorf("audit %+v", entries)
	}
	// The city sees counts, never a number or a name.
	r = x.s.As(coord).Get("/contacts")
	mustHave(t, "city counts", r, 200, []string{"Kontakter per partnergrupp", demo.DistrictMothers, "1"}, []string{"•", "Amal"})
}

func TestALeadBlocksANumberForTheWholeCity(t *testing.T) {
	x := newSite(t, db.SQLite)
	id := x.contact(x.dm)
	c := x.s.As(lead)
	// One tap asks again; nothing is blocked yet.
	r := c.Post(fmt.Sprintf("/contacts/%d/do-not-call", id), webtest.Form("scope", "city"))
	mustHave(t, "confirm", r, 200, []string{"Ring aldrig igen?", "Ja, ring aldrig igen", "arabiska", "Dalhem"}, nil)
	if list, _, _ := x.m.Store().List(context.Background(), x.dm, 0, 10); len(list) != 1 {
		t.Fatalf("blocked before confirming: %d left", len(list))
	}
	r = c.Post(fmt.Sprintf("/contacts/%d/do-not-call", id), webtest.Form("scope", "city", "confirm", "yes"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("block: %d", r.Status)
	}
	r = c.Post(fmt.Sprintf("/contacts/groups/%d/new", x.dm), webtest.Form("phone", "0702000001", "languages", "ar", "basis", "consent",
		"retain_until", time.Now().AddDate(1, 0, 0).Format("2006-01-02")))
	mustHave(t, "blocked number", r, 422, []string{"Numret står på spärrlistan."}, nil)
	r = c.Post(fmt.Sprintf("/contacts/groups/%d/do-not-call", x.dm), webtest.Form("phone", "0702000009", "scope", "group"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("block a number: %d %s", r.Status, webtest.Text(r.Body))
	}
	r = c.Get(fmt.Sprintf("/contacts/groups/%d/do-not-call", x.dm))
	mustHave(t, "list", r, 200, []string{"I hela staden 1", "Bara i den här gruppen 1"}, []string{"0702000009"})
}
