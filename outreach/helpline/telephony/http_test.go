package telephony_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// TestEveryTelephonyRouteAnswersEveryRoleAsSpecified is the module's
// role-by-route table: a line's telephony page and its simulator are the
// lead administration's coordinators' (not administrators'); the
// webhooks and recordings are public but prove themselves.
func TestEveryTelephonyRouteAnswersEveryRoleAsSpecified(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, "twilio", helpline.RingAll)
			f.s.App.Config.Demo = true
			page := "/helplines/" + itoa(f.line.ID) + "/telephony"
			audio := strings.TrimPrefix(f.recordingURL(t, "ar", "menu"), "http://megafon.test")
			const (
				lead   = "samordnare@demo.megafon.se" // coordinator of the lead administration
				other  = "slf@demo.megafon.se"        // coordinator of another administration
				admin  = "admin@demo.megafon.se"
				gl     = "gruppledare@demo.megafon.se"
				vol    = "+46701000001"
				facil  = "processledare@demo.megafon.se"
				member = "ledamot@demo.megafon.se"
			)
			for _, c := range []struct {
				who, method, path string
				want              int
			}{
				{"", "GET", page, 303},
				{lead, "GET", page, 200},
				{admin, "GET", page, 403},
				{other, "GET", page, 403},
				{gl, "GET", page, 403},
				{vol, "GET", page, 403},
				{facil, "GET", page, 403},
				{member, "GET", page, 403},
				{"", "POST", page, 401},
				{other, "POST", page, 403},
				{vol, "POST", page, 403},
				{other, "POST", page + "/secret", 403},
				{other, "POST", page + "/recordings", 403},
				{other, "POST", page + "/recordings/delete", 403},
				{lead, "GET", "/helplines/999999/telephony", 404},
				{lead, "GET", page + "/simulator", 200},
				{admin, "GET", page + "/simulator", 403},
				{other, "GET", page + "/simulator", 403},
				{vol, "GET", page + "/simulator", 403},
				{"", "GET", page + "/simulator", 303},
				{other, "POST", page + "/simulator", 403},
				{"", "POST", page + "/simulator", 401},
				{"", "GET", audio, 200},
				{"", "GET", "/telephony/audio/" + strings.Repeat("0", 64), 404},
				{"", "POST", "/hooks/twilio/" + itoa(f.line.ID) + "/start", 403},
				{"", "POST", "/hooks/46elks/not-a-secret/start", 403},
				{"", "POST", "/hooks/telia/1/start", 404},
				{"", "POST", "/hooks/twilio/" + itoa(f.line.ID) + "/nowhere", 404},
			} {
				cl := f.s.Client()
				if c.who != "" {
					cl = f.s.As(c.who)
				}
				var got int
				if c.method == "POST" {
					if strings.HasPrefix(c.path, "/hooks/") {
						got = cl.PostRaw(c.path, url.Values{"CallSid": {"CA1"}}).Status
					} else {
						got = cl.Post(c.path, nil).Status
					}
				} else {
					got = cl.Get(c.path).Status
				}
				if got != c.want {
					t.Errorf("%s %s as %q: %d, want %d", c.method, c.path, c.who, got, c.want)
				}
			}
			// Outside the demo the simulator does not exist.
			f.s.App.Config.Demo = false
			if got := f.s.As(lead).Get(page + "/simulator").Status; got != http.StatusNotFound {
				t.Errorf("the simulator outside the demo: %d, want 404", got)
			}
		})
	}
}

// TestTheSimulatorPagePlaysTheProviderAgainstTheRealWebhooks: a
// coordinator tries the line in the demo: a call arrives, she presses 2,
// sees which phones ring, lets one answer, and the call is logged.
func TestTheSimulatorPagePlaysTheProviderAgainstTheRealWebhooks(t *testing.T) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, "twilio", helpline.RingAll)
			f.s.App.Config.Demo = true
			c := f.s.As("samordnare@demo.megafon.se")
			sim := "/helplines/" + itoa(f.line.ID) + "/telephony/simulator"
			c.Get(sim)
			if r := c.Post(sim, webtest.Form("action", "arrive", "from", "+46731112233")); r.Status != http.StatusSeeOther {
				t.Fatalf("arrive: %d %s", r.Status, webtest.Text(r.Body))
			}
			page := webtest.Text(c.Get(sim).Body)
			for _, want := range []string{"Spelar:", "svenska: Välkomsthälsning", "arabiska: Menyval", "Väntar på en knapptryckning."} {
				if !strings.Contains(page, want) {
					t.Fatalf("the simulator does not show %q:\n%s", want, page)
				}
			}
			c.Post(sim, webtest.Form("action", "key", "key", "2"))
			page = webtest.Text(c.Get(sim).Body)
			if !strings.Contains(page, "Ringer: "+aminaPhone) {
				t.Fatalf("the simulator does not show the phones ringing:\n%s", page)
			}
			c.Post(sim, webtest.Form("action", "answer", "number", aminaPhone))
			page = webtest.Text(c.Get(sim).Body)
			if !strings.Contains(page, "Samtalet är slut.") {
				t.Fatalf("the call does not end after the conversation:\n%s", page)
			}
			var outcome string
			var by int64
			if err := f.s.App.DB.QueryRow(t.Context(), `SELECT outcome, answered_by FROM helpline_calls`).Scan(&outcome, &by); err != nil {
				t.Fatal(err)
			}
			if outcome != string(calls.Answered) || by != f.amina {
				t.Errorf("the simulated call is logged as %s by %d, want answered by Amina", outcome, by)
			}
		})
	}
}
