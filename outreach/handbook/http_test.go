package handbook_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

const (
	signedOut   = ""
	admin       = "admin@demo.megafon.se"
	leadCoord   = "samordnare@demo.megafon.se"
	otherCoord  = "slf@demo.megafon.se"
	facilitator = "processledare@demo.megafon.se"
	board       = "ledamot@demo.megafon.se"
	groupLead   = "gruppledare@demo.megafon.se"      // District Mothers, in the demo operation
	invitedLead = "ledare@somaliska.demo.megafon.se" // Somali association, only invited
	amina       = "+46701000001"                     // District Mothers, Arabic
	fadumo      = "+46701000002"                     // District Mothers, Somali
	outsider    = "+46701000006"                     // Somali association
)

// newServer starts the app with the demo handbook; PDFs are faked unless
// realPDF, so that only one test starts a browser.
func newServer(t *testing.T, dialect db.Dialect, realPDF bool) *webtest.Server {
	t.Helper()
	hb := &handbook.Module{}
	if !realPDF {
		hb.PDF = func(_ context.Context, html []byte) ([]byte, error) {
			return append([]byte("%PDF-fake\n"), html...), nil
		}
	}
	return webtest.New(t, dialect, true, &notify.Module{}, &operation.Module{}, hb)
}

func client(s *webtest.Server, who string) *webtest.Client {
	if who == signedOut {
		return s.Client()
	}
	return s.As(who)
}

// entryID finds a demo entry by its Swedish title.
func entryID(t *testing.T, s *webtest.Server, title string) int64 {
	t.Helper()
	var id int64
	err := s.App.DB.QueryRow(context.Background(), `SELECT v.entry_id FROM handbook_versions v JOIN handbook_translations t ON t.version_id = v.id
		WHERE t.lang = 'sv' AND t.title = $1 ORDER BY v.version LIMIT 1`, title).Scan(&id)
	if err != nil {
		t.Fatalf("entry %q: %v", title, err)
	}
	return id
}

func TestWhoMayUseEachHandbookRoute(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s := newServer(t, dialect, false)
			verified := entryID(t, s, "Är vaccinet mot covid-19 gratis?")
			review := entryID(t, s, "Kan jag resa till mitt hemland?")
			e := func(id int64, suffix string) string { return fmt.Sprintf("/handbook/%d%s", id, suffix) }
			type row struct {
				method, path string
				form         url.Values
				want         map[string]int
			}
			rows := []row{
				{"GET", "/operations/1/handbook", nil, map[string]int{signedOut: 303, admin: 200, leadCoord: 200, otherCoord: 200, facilitator: 403, board: 403, groupLead: 200, invitedLead: 200, amina: 200, outsider: 404}},
				{"GET", "/operations/9/handbook", nil, map[string]int{admin: 404, amina: 404}},
				{"GET", "/operations/1/handbook/manage", nil, map[string]int{signedOut: 303, admin: 200, leadCoord: 200, otherCoord: 200, groupLead: 403, amina: 403, facilitator: 403}},
				{"GET", "/operations/1/handbook/new", nil, map[string]int{admin: 200, leadCoord: 200, otherCoord: 403, groupLead: 403, amina: 403}},
				{"POST", "/operations/1/handbook", url.Values{}, map[string]int{signedOut: 401, admin: 422, leadCoord: 422, otherCoord: 403, groupLead: 403, amina: 403}},
				{"GET", e(verified, ""), nil, map[string]int{signedOut: 303, admin: 200, leadCoord: 200, otherCoord: 200, groupLead: 200, amina: 200, outsider: 404, facilitator: 403}},
				{"GET", e(review, ""), nil, map[string]int{leadCoord: 200, otherCoord: 200, groupLead: 404, amina: 404, outsider: 404}},
				{"GET", "/handbook/99999", nil, map[string]int{leadCoord: 404, amina: 404}},
				{"GET", e(verified, "/edit"), nil, map[string]int{admin: 200, leadCoord: 200, otherCoord: 403, amina: 403}},
				{"POST", e(verified, ""), url.Values{}, map[string]int{signedOut: 401, leadCoord: 422, otherCoord: 403, amina: 403}},
				{"POST", e(review, "/move"), url.Values{"action": {"verify"}}, map[string]int{signedOut: 401, admin: 403, otherCoord: 403, groupLead: 403, amina: 403}},
				{"POST", e(review, "/move"), url.Values{"action": {"dance"}}, map[string]int{leadCoord: 400}},
				{"GET", e(verified, "/diff"), nil, map[string]int{leadCoord: 200, otherCoord: 200, amina: 403}},
				{"GET", "/operations/1/handbook/print/ar", nil, map[string]int{signedOut: 303, leadCoord: 200, groupLead: 200, amina: 200, outsider: 404, facilitator: 403}},
				{"GET", "/operations/1/handbook/print/ar/pdf", nil, map[string]int{signedOut: 303, leadCoord: 200, amina: 200, outsider: 404}},
				{"GET", "/assets/handbook/print.css", nil, map[string]int{signedOut: 200}},
				{"GET", "/assets/handbook/nope.css", nil, map[string]int{signedOut: 404}},
			}
			clients := map[string]*webtest.Client{}
			for _, r := range rows {
				for who, want := range r.want {
					c := clients[who]
					if c == nil {
						c = client(s, who)
						clients[who] = c
					}
					var got *webtest.Response
					if r.method == "POST" {
						form := url.Values{}
						for k, v := range r.form {
							form[k] = v
						}
						got = c.Post(r.path, form)
					} else {
						got = c.Get(r.path)
					}
					if got.Status != want {
						t.Errorf("%s %s as %q: %d, want %d\n%.300s", r.method, r.path, who, got.Status, want, webtest.Text(got.Body))
					}
				}
			}
		})
	}
}

type step struct {
	name         string
	who          string
	method, path string
	form         url.Values
	status       int
	must, not    []string
}

func run(t *testing.T, s *webtest.Server, steps []step) map[string]*webtest.Client {
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
		for _, m := range st.not {
			if strings.Contains(text, m) {
				t.Errorf("%s: %q must not appear", st.name, m)
			}
		}
	}
	return clients
}

func TestACoordinatorVerifiesAnEntryAndCallersFindItInTheirLanguage(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			s := newServer(t, dialect, false)
			form := url.Values{
				"kind": {"qa"}, "topics": {"housing"}, "source": {"Staden"}, "valid_until": {"2099-12-31"},
				"title_0": {"Var får jag hjälp med hyran?"}, "body_0": {"Kontakta socialtjänsten i din stadsdel."},
				"lang_1": {"ar"}, "title_1": {"أين أحصل على مساعدة في دفع الإيجار؟"}, "body_1": {"تواصل مع الخدمات الاجتماعية في حيّك."}, "by_1": {"Tolkservice"}, "checked_1": {"1"},
				"lang_2": {"so"}, "title_2": {"Xaggee ka helaa caawimo kirada?"}, "body_2": {"La xiriir adeegga bulshada ee xaafaddaada."},
			}
			bad := url.Values{"kind": {"qa"}, "valid_until": {"2099-12-31"}, "title_0": {""}, "lang_1": {"en"}, "title_1": {"Rent help"}}
			badTag := url.Values{"kind": {"qa"}, "valid_until": {"2099-12-31"}, "title_0": {"Hyra"}, "lang_1": {"klingon!!"}, "title_1": {"x"}}
			run(t, s, []step{
				{"no Swedish title", leadCoord, "POST", "/operations/1/handbook", bad, 422, []string{"Inlägget behöver en svensk rubrik."}, nil},
				{"an unknown language tag", leadCoord, "POST", "/operations/1/handbook", badTag, 422, []string{"”klingon!!” är ingen språkkod vi känner till."}, nil},
				{"nothing was saved", leadCoord, "GET", "/operations/1/handbook/manage", nil, 200, nil, []string{"Rent help", "Hyra"}},
				{"created", leadCoord, "POST", "/operations/1/handbook", form, 303, nil, nil},
			})
			id := entryID(t, s, "Var får jag hjälp med hyran?")
			p := fmt.Sprintf("/handbook/%d", id)
			run(t, s, []step{
				{"a draft is hidden from the volunteer", amina, "GET", "/operations/1/handbook?q=" + url.QueryEscape("الإيجار"), nil, 200, []string{"0 svar"}, []string{"أين أحصل"}},
				{"the volunteer cannot open the draft", amina, "GET", p, nil, 404, nil, nil},
				{"submitted", leadCoord, "POST", p + "/move", url.Values{"action": {"submit"}}, 303, nil, nil},
				{"another administration's coordinator cannot verify", otherCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 403, nil, nil},
				{"verified", leadCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 303, nil, nil},
				{"verified twice", leadCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 409, []string{"Det går inte i inläggets nuvarande status."}, nil},
				{"found in Arabic, shown in Arabic", amina, "GET", "/operations/1/handbook?q=" + url.QueryEscape("الايجار"), nil, 200,
					[]string{"1 svar", "أين أحصل على مساعدة في دفع الإيجار؟"}, []string{"Var får jag hjälp med hyran?"}},
				{"found in Somali by a Somali speaker", fadumo, "GET", "/operations/1/handbook?q=kirada", nil, 200,
					[]string{"Xaggee ka helaa caawimo kirada?"}, nil},
				{"found by a Swedish word for a Tigrinya speaker, in Swedish with a note", "+46701000003", "GET", "/operations/1/handbook?q=hyran", nil, 200,
					[]string{"Var får jag hjälp med hyran?", "Finns inte på tigrinja ännu. Visas på svenska."}, nil},
				{"an edit becomes a new version; callers keep the old", leadCoord, "POST", p, url.Values{"kind": {"qa"}, "topics": {"housing"}, "valid_until": {"2099-12-31"},
					"title_0": {"Var får jag hjälp med hyran?"}, "body_0": {"Kontakta socialtjänsten eller ring stadens kontaktcenter."}}, 303, nil, nil},
				{"the coordinator sees both versions", leadCoord, "GET", p, nil, 200, []string{"De som ringer ser version 1", "Version 2: Granskas"}, nil},
				{"the diff", leadCoord, "GET", p + "/diff", nil, 200, []string{"Ändringar från version 1 till 2", "kontaktcenter", "Källan ändrades."}, nil},
				{"the volunteer still reads version 1 in Arabic", amina, "GET", p, nil, 200, []string{"تواصل مع الخدمات الاجتماعية"}, nil},
			})
		})
	}
}

func TestCallersSeeOnlyVerifiedValidEntriesAndWhatIsNew(t *testing.T) {
	s := newServer(t, db.SQLite, false)
	run(t, s, []step{
		{"Amina's first visit: Arabic first, no drafts, no expired entry", amina, "GET", "/operations/1/handbook", nil, 200,
			// Titles are isolated as bodies are: the number in its own <bdi>.
			[]string{"هل اللقاح ضد كوفيد- 19 مجاني؟", "Handbok: Covid-19-information"},
			[]string{"Kan jag resa till mitt hemland?", "Hur länge ska jag stanna hemma", "كم من الوقت يجب أن أبقى", "Nytt"}},
		{"Arabic addresses are isolated left to right", amina, "GET", "/operations/1/handbook?q=1177", nil, 200, nil, nil},
		{"the coordinator sees the expired entry flagged", leadCoord, "GET", "/operations/1/handbook/manage", nil, 200,
			[]string{"Hur länge ska jag stanna hemma när jag är sjuk?", "Utgången", "Granskas"}, nil},
	})
	// A new entry verified after her visit is new to her.
	id := entryID(t, s, "Kan jag resa till mitt hemland?")
	run(t, s, []step{
		{"verify", leadCoord, "POST", fmt.Sprintf("/handbook/%d/move", id), url.Values{"action": {"verify"}}, 303, nil, nil},
		{"new since her last visit", amina, "GET", "/operations/1/handbook", nil, 200,
			[]string{"1 svar är nytt eller ändrat sedan ditt förra besök.", "هل يمكنني السفر إلى بلدي الأصلي؟", "Nytt"}, nil},
		{"no longer new the next time", amina, "GET", "/operations/1/handbook", nil, 200, nil, []string{"sedan ditt förra besök"}},
	})
	r := s.As(amina).Get("/operations/1/handbook?q=1177")
	if !strings.Contains(r.Body, `<bdi dir="ltr">1177.se</bdi>`) {
		t.Error("Latin address in Arabic text not isolated")
	}
}

func TestThePrintedHandbook(t *testing.T) {
	s := newServer(t, db.SQLite, false)
	c := s.As(amina)
	r := c.Get("/operations/1/handbook/print/ar")
	if r.Status != 200 || !strings.Contains(r.Body, `<main lang="ar" dir="rtl">`) || !strings.Contains(r.Body, `<h3><bdi dir="rtl">هل اللقاح ضد كوفيد-<bdi dir="ltr">19</bdi> مجاني؟</bdi></h3>`) {
		t.Fatalf("print page: %d\n%s", r.Status, r.Body)
	}
	if strings.Contains(r.Body, "Kan jag resa") || strings.Contains(r.Body, "Är vaccinet") {
		t.Error("the Arabic handbook has Swedish entries")
	}
	pdf := c.Get("/operations/1/handbook/print/ar/pdf")
	if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix([]byte(pdf.Body), []byte("%PDF-")) {
		t.Fatalf("pdf: %d %s", pdf.Status, pdf.Header.Get("Content-Type"))
	}
	for _, c0 := range []struct{ path, want string }{
		{"/operations/1/handbook/print/de/pdf", "Det finns inga verifierade svar på det språket att skriva ut."},
		{"/operations/1/handbook/print/de", "Det finns inga verifierade svar på det språket att skriva ut."},
		{"/operations/1/handbook/print/not-a-tag!/pdf", "är ingen språkkod vi känner till"},
	} {
		r := c.Get(c0.path)
		if r.Status != 404 || !strings.Contains(webtest.Text(r.Body), c0.want) {
			t.Errorf("%s: %d\n%s", c0.path, r.Status, webtest.Text(r.Body))
		}
	}
}

func TestWithoutABrowserThePDFFallsBackToThePrintPage(t *testing.T) {
	hb := &handbook.Module{PDF: func(context.Context, []byte) ([]byte, error) { return nil, handbook.ErrNoPDFRenderer }}
	s := webtest.New(t, db.SQLite, true, &notify.Module{}, &operation.Module{}, hb)
	r := s.As(amina).Get("/operations/1/handbook/print/so/pdf")
	if r.Status != 303 || r.Location != "/operations/1/handbook/print/so" {
		t.Fatalf("fallback: %d %s", r.Status, r.Location)
	}
}

var _ = demo.LabourMarket

// A translation carried unchanged into a version whose Swedish changed may
// say the old thing: the review page says so before anyone verifies it.
func TestTheReviewPageWarnsWhenATranslationIsOlderThanTheSwedish(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, dialect, false)
			v1 := url.Values{
				"kind": {"qa"}, "topics": {"housing"}, "valid_until": {"2099-12-31"},
				"title_0": {"Var får jag hjälp med hyran?"}, "body_0": {"Kontakta socialtjänsten."},
				"lang_1": {"ar"}, "title_1": {"أين أحصل على مساعدة في الإيجار؟"}, "body_1": {"تواصل مع الخدمات الاجتماعية."}, "checked_1": {"1"},
				"lang_2": {"so"}, "title_2": {"Xaggee ka helaa caawimo kirada?"}, "body_2": {"La xiriir adeegga bulshada."},
			}
			run(t, s, []step{{"created", leadCoord, "POST", "/operations/1/handbook", v1, 303, nil, nil}})
			id := entryID(t, s, "Var får jag hjälp med hyran?")
			p := fmt.Sprintf("/handbook/%d", id)
			v2 := url.Values{}
			for k, v := range v1 {
				if k != "csrf_token" { // each step's client brings its own
					v2[k] = append([]string(nil), v...)
				}
			}
			v2.Set("body_0", "Ring stadens kontaktcenter på 08-508 00 000.")
			v2.Set("body_2", "Wac xarunta magaalada 08-508 00 000.")
			warning := "Den svenska texten har ändrats sedan version 1, men översättningarna till arabiska har inte det."
			run(t, s, []step{
				{"submitted", leadCoord, "POST", p + "/move", url.Values{"action": {"submit"}}, 303, nil, nil},
				{"verified", leadCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 303, nil, nil},
				{"version 1 has nothing to warn of", leadCoord, "GET", p, nil, 200, nil, []string{"har ändrats sedan version"}},
				{"the Swedish and the Somali change, the Arabic does not", leadCoord, "POST", p, v2, 303, nil, nil},
				{"the review page warns of the Arabic alone", leadCoord, "GET", p, nil, 200,
					[]string{warning, "Äldre än den svenska texten"}, []string{"arabiska, somaliska"}},
			})
			if body := s.As(leadCoord).Get(p).Body; !strings.Contains(body, `data-confirm="`+warning) {
				t.Error("verifying does not ask first")
			}
			v2.Del("csrf_token")
			v2.Set("body_1", "اتصل بمركز الاتصال في المدينة على 08-508 00 000.")
			run(t, s, []step{
				{"the Arabic is updated too", leadCoord, "POST", p, v2, 303, nil, nil},
				{"nothing to warn of", leadCoord, "GET", p, nil, 200, nil, []string{"har ändrats sedan version", "Äldre än den svenska texten"}},
			})
		})
	}
}
