package referral_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/referral"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/i18n"
	"megafon/platform/web/webtest"
)

const (
	coord      = "samordnare@demo.megafon.se" // Labour Market: money, food, housing
	otherCoord = "slf@demo.megafon.se"        // City Management: health, violence, other
	admin      = "admin@demo.megafon.se"
	volunteer  = "+46701000001" // District Mothers, taking part
	outsider   = "+46701000006" // Somali association, only invited
)

// site is the demo city with operations and referrals.
type site struct {
	t *testing.T
	s *webtest.Server
}

func newSite(t *testing.T, dialect db.Dialect) *site {
	return &site{t: t, s: webtest.New(t, dialect, true, &notify.Module{}, &operation.Module{}, &referral.Module{})}
}

func (x *site) id(query string, args ...any) int64 {
	x.t.Helper()
	var id int64
	if err := x.s.App.DB.QueryRow(context.Background(), query, args...).Scan(&id); err != nil {
		x.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func (x *site) opPath(suffix string) string {
	return fmt.Sprintf("/operations/%d%s", x.id(`SELECT id FROM operations WHERE name = $1`, operation.DemoName), suffix)
}

// newReferral is the id of a new referral of the administration that has
// a contact.
func (x *site) newReferral(org string) int64 {
	return x.id(`SELECT MIN(r.id) FROM referrals r JOIN orgs o ON o.id = r.org_id WHERE o.name = $1 AND r.state = 'new' AND r.contact_enc IS NOT NULL`, org)
}

func (x *site) count(query string, args ...any) int {
	return int(x.id(query, args...))
}

var keyField = regexp.MustCompile(`name="key" value="([0-9a-f]{32})"`)

// form opens the filing form as c and returns its token.
func (x *site) form(c *webtest.Client) string {
	x.t.Helper()
	r := c.Get(x.opPath("/referrals/new"))
	m := keyField.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		x.t.Fatalf("form: %d, token %v", r.Status, m)
	}
	return m[1]
}

func eachDB(t *testing.T, fn func(t *testing.T, x *site)) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, newSite(t, d))
		})
	}
}

func TestAVolunteerFilesAReferralTheCityReadsItAndSheSeesOnlyItsStatus(t *testing.T) {
	eachDB(t, func(t *testing.T, x *site) {
		vol := x.s.As(volunteer)
		home := vol.Get("/")
		if !strings.Contains(home.Body, `href="/referrals"`) {
			t.Fatal("the volunteer's start page has no link to referrals")
		}
		idx := vol.Get("/referrals")
		if !strings.Contains(idx.Body, x.opPath("/referrals/new")) {
			t.Fatalf("the referrals page does not link to the form of her operation:\n%s", webtest.Text(idx.Body))
		}
		key := x.form(vol)
		before := x.count(`SELECT COUNT(*) FROM referrals`)
		need := "Hon behöver matkasse, personnummer 19811218-9876, ring 0701234567"
		form := webtest.Form("key", key, "category", "food", "urgency", "urgent", "need", need, "consent", "yes", "contact", "Ring efter 16")
		r := vol.Post(x.opPath("/referrals"), form)
		if r.Status != http.StatusSeeOther || r.Location != "/referrals" {
			t.Fatalf("file: %d %s\n%s", r.Status, r.Location, webtest.Text(r.Body))
		}
		// A double tap: the same form again files nothing more.
		if r := vol.Post(x.opPath("/referrals"), form); r.Status != http.StatusSeeOther {
			t.Fatalf("second tap: %d", r.Status)
		}
		if n := x.count(`SELECT COUNT(*) FROM referrals`); n != before+1 {
			t.Fatalf("%d referrals after two taps, want %d", n, before+1)
		}
		id := x.id(`SELECT id FROM referrals WHERE idempotency_key = $1`, key)
		// She is told that the number was masked, and the database never
		// held it.
		page := vol.Get("/referrals")
		if !strings.Contains(page.Body, "doldes") {
			t.Errorf("the volunteer is not told the text was masked:\n%s", webtest.Text(page.Body))
		}
		var stored, enc string
		x.s.App.DB.QueryRow(context.Background(), `SELECT need, contact_enc FROM referrals WHERE id = $1`, id).Scan(&stored, &enc)
		if strings.Contains(stored, "9876") || strings.Contains(stored, "1234567") || strings.Contains(enc, "Ring") {
			t.Errorf("stored: need %q, contact %q", stored, enc)
		}
		// Her list has the status, never the need.
		if strings.Contains(page.Body, "matkasse") || !strings.Contains(page.Body, "Mat") {
			t.Errorf("the volunteer's list:\n%s", webtest.Text(page.Body))
		}
		// Handed over: she cannot open it.
		if r := vol.Get(fmt.Sprintf("/referrals/%d", id)); r.Status != http.StatusForbidden {
			t.Errorf("the volunteer opens the referral: %d", r.Status)
		}
		// The Labour Market coordinator reads it, masked, not stored in the
		// browser, and the view is in the audit log.
		c := x.s.As(coord)
		if list := c.Get("/referrals"); !strings.Contains(list.Body, fmt.Sprintf(`href="/referrals/%d"`, id)) {
			t.Errorf("the coordinator's list has no link to %d", id)
		}
		show := c.Get(fmt.Sprintf("/referrals/%d", id))
		if show.Status != http.StatusOK || !strings.Contains(show.Body, "matkasse") || strings.Contains(show.Body, "9876") {
			t.Fatalf("coordinator's view: %d\n%s", show.Status, webtest.Text(show.Body))
		}
		if cc := show.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		if n := x.count(`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2`, referral.AuditView, fmt.Sprintf("referral:%d", id)); n != 1 {
			t.Errorf("%d views audited, want 1", n)
		}
		contact := c.Post(fmt.Sprintf("/referrals/%d/contact", id), nil)
		if contact.Status != http.StatusOK || !strings.Contains(contact.Body, "Ring efter 16") || contact.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("reveal: %d %q", contact.Status, contact.Header.Get("Cache-Control"))
		}
		if n := x.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'view_personal_data' AND subject = $1`, fmt.Sprintf("referral_contact:%d", id)); n != 1 {
			t.Errorf("%d contact views audited, want 1", n)
		}
		// The other administration gets 404, as for a referral that does
		// not exist.
		other := x.s.As(otherCoord)
		for _, p := range []string{fmt.Sprintf("/referrals/%d", id), "/referrals/999999"} {
			if r := other.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("other coordinator GET %s: %d", p, r.Status)
			}
		}
		if r := other.Post(fmt.Sprintf("/referrals/%d/contact", id), nil); r.Status != http.StatusNotFound {
			t.Errorf("other coordinator reveals: %d", r.Status)
		}
		// Acknowledged: her list says so.
		if r := c.Post(fmt.Sprintf("/referrals/%d/move", id), webtest.Form("to", "acknowledged")); r.Status != http.StatusSeeOther {
			t.Fatalf("acknowledge: %d", r.Status)
		}
		if page := vol.Get("/referrals"); !strings.Contains(page.Body, "Kvitterad") {
			t.Errorf("the volunteer does not see the new status:\n%s", webtest.Text(page.Body))
		}
		// A volunteer of a group not taking part cannot file there.
		out := x.s.As(outsider)
		if r := out.Get(x.opPath("/referrals/new")); r.Status != http.StatusNotFound {
			t.Errorf("outsider's form: %d", r.Status)
		}
	})
}

func TestBadInputGetsAClearMessageInTheUsersLanguageAndNothingHalfSaved(t *testing.T) {
	eachDB(t, func(t *testing.T, x *site) {
		ctx := context.Background()
		vol := x.s.As(volunteer)
		before := x.count(`SELECT COUNT(*) FROM referrals`)
		for _, lang := range []struct{ code, tooLong, noCategory string }{
			{"sv", "Högst 1000 tecken.", "Välj vad det gäller."},
			{"en", "At most 1000 characters.", "Choose what it is about."},
			{"ar", "1000 حرفًا كحد أقصى.", "اختاري بماذا يتعلق الأمر."},
		} {
			vol.Post("/lang", webtest.Form("lang", lang.code, "next", "/"))
			key := x.form(vol)
			r := vol.Post(x.opPath("/referrals"), webtest.Form("key", key, "category", "money", "urgency", "soon", "need", strings.Repeat("x", 5000)))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, lang.tooLong) {
				t.Errorf("%s: 5,000 characters: %d\n%s", lang.code, r.Status, webtest.Text(r.Body))
			}
			// The form keeps its token, so the corrected form files once.
			if !strings.Contains(r.Body, key) {
				t.Errorf("%s: the form lost its token", lang.code)
			}
			r = vol.Post(x.opPath("/referrals"), webtest.Form("key", key, "urgency", "soon", "need", "x"))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, lang.noCategory) {
				t.Errorf("%s: no category: %d\n%s", lang.code, r.Status, webtest.Text(r.Body))
			}
		}
		vol.Post("/lang", webtest.Form("lang", "sv", "next", "/"))
		// A forged token, a contact without consent: 422.
		for name, form := range map[string][]string{
			"forged token":            {"key", "../../etc", "category", "money", "urgency", "soon", "need", "x"},
			"contact without consent": {"key", x.form(vol), "category", "money", "urgency", "soon", "need", "x", "contact", "070"},
		} {
			if r := vol.Post(x.opPath("/referrals"), webtest.Form(form...)); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d", name, r.Status)
			}
		}
		if n := x.count(`SELECT COUNT(*) FROM referrals`); n != before {
			t.Errorf("%d referrals saved by refused forms", n-before)
		}

		// The routing table: an administration that does not exist, or a
		// partner group, is refused and nothing of the form is saved.
		a := x.s.As(admin)
		routesBefore := x.count(`SELECT COUNT(*) FROM referral_routes WHERE org_id = $1`, x.s.City.Orgs[demo.SocialAdmin].ID)
		for _, bad := range []string{"999999", fmt.Sprint(x.s.City.Orgs[demo.DistrictMothers].ID), "abc"} {
			r := a.Post("/referrals/routes", webtest.Form("route_food", fmt.Sprint(x.s.City.Orgs[demo.SocialAdmin].ID), "route_health", bad))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Välj en av stadens förvaltningar.") {
				t.Errorf("route to %s: %d\n%s", bad, r.Status, webtest.Text(r.Body))
			}
		}
		if n := x.count(`SELECT COUNT(*) FROM referral_routes WHERE org_id = $1`, x.s.City.Orgs[demo.SocialAdmin].ID); n != routesBefore {
			t.Errorf("a refused routing table saved %d routes", n-routesBefore)
		}
		// A move that is not allowed: 409 with why, in her language.
		c := x.s.As(coord)
		id := x.newReferral(demo.LabourMarket)
		r := c.Post(fmt.Sprintf("/referrals/%d/move", id), webtest.Form("to", "in_progress"))
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "Hänvisningen kan inte få den statusen nu.") {
			t.Errorf("new to in progress: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		c.Post("/lang", webtest.Form("lang", "en", "next", "/"))
		r = c.Post(fmt.Sprintf("/referrals/%d/move", id), webtest.Form("to", "bogus"))
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "The referral cannot take that status now.") {
			t.Errorf("to a state that does not exist: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		c.Post(fmt.Sprintf("/referrals/%d/move", id), webtest.Form("to", "acknowledged"))
		r = c.Post(fmt.Sprintf("/referrals/%d/move", id), webtest.Form("to", "closed"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Choose an outcome.") {
			t.Errorf("closing without outcome: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		var state string
		x.s.App.DB.QueryRow(ctx, `SELECT state FROM referrals WHERE id = $1`, id).Scan(&state)
		if state != "acknowledged" {
			t.Errorf("state after refused moves: %s", state)
		}
	})
}

func TestManyCoordinatorsTappingAcknowledgeAtOnceMoveItOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, x *site) {
		id := x.newReferral(demo.LabourMarket)
		const n = 12
		clients := make([]*webtest.Client, n)
		for i := range clients {
			clients[i] = x.s.As(coord)
			clients[i].CSRF()
		}
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = c.Post(fmt.Sprintf("/referrals/%d/move", id), webtest.Form("to", "acknowledged")).Status
			}()
		}
		wg.Wait()
		won, refused := 0, 0
		for _, s := range statuses {
			switch s {
			case http.StatusSeeOther:
				won++
			case http.StatusConflict:
				refused++
			default:
				t.Errorf("status %d", s)
			}
		}
		if won != 1 || refused != n-1 {
			t.Errorf("%d moved, %d refused; want 1 and %d", won, refused, n-1)
		}
		if moves := x.count(`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2`, referral.AuditMove, fmt.Sprintf("referral:%d", id)); moves != 1 {
			t.Errorf("%d moves audited", moves)
		}
	})
}

func TestTheDemoShowsEveryStateForTwoAdministrationsAndFeedsTheLevelSuggestion(t *testing.T) {
	x := newSite(t, db.SQLite)
	for _, org := range []string{demo.LabourMarket, demo.CityManagement} {
		for _, st := range referral.States {
			if n := x.count(`SELECT COUNT(*) FROM referrals r JOIN orgs o ON o.id = r.org_id WHERE o.name = $1 AND r.state = $2`, org, string(st)); n == 0 {
				t.Errorf("no %s referral for %s", st, org)
			}
		}
	}
	// Two urgent referrals wait past their deadline: the coordinator of
	// the operation is offered a higher level.
	show := x.s.As(coord).Get(x.opPath(""))
	if !strings.Contains(webtest.Text(show.Body), "2 brådskande hänvisningar är öppna") {
		t.Errorf("the operation page does not mention urgent referrals:\n%s", webtest.Text(show.Body))
	}
}

func TestEveryReferralPageRendersInEveryLanguage(t *testing.T) {
	x := newSite(t, db.SQLite)
	id := x.newReferral(demo.LabourMarket)
	closed := x.id(`SELECT MIN(id) FROM referrals WHERE state = 'closed'`)
	pages := map[string][]string{
		volunteer: {"/referrals", x.opPath("/referrals/new")},
		coord:     {"/referrals", fmt.Sprintf("/referrals/%d", id)},
		admin:     {"/referrals", "/referrals/routes"},
	}
	if x.id(`SELECT org_id FROM referrals WHERE id = $1`, closed) == x.s.City.Orgs[demo.LabourMarket].ID {
		pages[coord] = append(pages[coord], fmt.Sprintf("/referrals/%d", closed))
	} else {
		pages[otherCoord] = []string{fmt.Sprintf("/referrals/%d", closed)}
	}
	for who, paths := range pages {
		c := x.s.As(who)
		for _, lang := range i18n.Codes() {
			c.Post("/lang", webtest.Form("lang", lang, "next", "/"))
			for _, p := range paths {
				r := c.Get(p)
				want := fmt.Sprintf(`<html lang="%s" dir="%s"`, i18n.UILang(lang).HTML, i18n.Dir(i18n.UILang(lang).HTML))
				if r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
					t.Errorf("%s (%s) GET %s: %d", who, lang, p, r.Status)
				}
			}
		}
	}
	if unknown := x.s.App.Catalogue.Unknown(); len(unknown) > 0 {
		t.Errorf("missing translation keys: %v", unknown)
	}
	if missing := x.s.App.Catalogue.Missing(); len(missing) > 0 {
		for lang, keys := range missing {
			for _, k := range keys {
				if strings.HasPrefix(k, "referral.") {
					t.Errorf("%s lacks %s", lang, k)
				}
			}
		}
	}
}

func TestACoordinatorRevealingContactsInABurstIsStoppedAtTheLimitAndOnlyWhatSheSawIsAudited(t *testing.T) {
	eachDB(t, func(t *testing.T, x *site) {
		id := x.newReferral(demo.LabourMarket)
		c := x.s.As(coord)
		c.CSRF()
		const n = referral.DefaultRevealsPerMinute + 10
		statuses := make([]int, n)
		bodies := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := c.Post(fmt.Sprintf("/referrals/%d/contact", id), nil)
				statuses[i], bodies[i] = r.Status, r.Body
			}()
		}
		wg.Wait()
		shown, refused := 0, 0
		for i, s := range statuses {
			switch s {
			case http.StatusOK:
				shown++
			case http.StatusTooManyRequests:
				refused++
				if !strings.Contains(bodies[i], "Vänta en minut") {
					t.Errorf("refusal without why: %s", webtest.Text(bodies[i]))
				}
			default:
				t.Errorf("status %d", s)
			}
		}
		if shown != referral.DefaultRevealsPerMinute || refused != 10 {
			t.Errorf("%d shown, %d refused; want %d and 10", shown, refused, referral.DefaultRevealsPerMinute)
		}
		if a := x.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'view_personal_data' AND subject = $1`, fmt.Sprintf("referral_contact:%d", id)); a != shown {
			t.Errorf("%d reveals audited, %d shown", a, shown)
		}
		// Another coordinator has her own allowance.
		if r := x.s.As(otherCoord).Post(fmt.Sprintf("/referrals/%d/contact", x.newReferral(demo.CityManagement)), nil); r.Status != http.StatusOK {
			t.Errorf("another coordinator: %d", r.Status)
		}
	})
}
