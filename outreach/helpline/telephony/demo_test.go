package telephony_test

import (
	"context"
	"testing"
	"time"

	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/helpline/telephony"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/secret"
	"megafon/platform/web/webtest"
)

// TestTheDemoLineWorksWithTheSimulatorOutOfTheBox: the demo seeder finds
// the demo operation's help line, connects it to the simulated Twilio and
// records placeholder prompts, so a call through the simulator hears the
// menu at once; without a line it seeds nothing.
func TestTheDemoLineWorksWithTheSimulatorOutOfTheBox(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			keys, _ := secret.GenerateKeyring()
			roster := &fakeRoster{lines: map[int64]helpline.Line{}, open: map[string]bool{"sv": true, "ar": true, "so": true}, duty: map[string][]helpline.OnDuty{}}
			mod := &telephony.Module{Keys: keys, Roster: roster}
			s := webtest.New(t, d, true, modules(mod)...)
			mod.Calls = &calls.Store{DB: s.App.DB, Keys: keys}
			if n := countRows(t, s.App.DB, "telephony_lines"); n != 0 {
				t.Fatalf("without a help line the demo connected %d lines", n)
			}
			var opID int64
			if err := s.App.DB.QueryRow(ctx, `SELECT id FROM operations WHERE name = $1`, operation.DemoName).Scan(&opID); err != nil {
				t.Fatal(err)
			}
			line := insertLine(t, s.App.DB, opID, "+46421000000", helpline.RingAll, time.Now(), "sv", "ar", "so")
			roster.lines[line.ID] = line
			if err := mod.SeedDemo(ctx, s.App, s.City); err != nil {
				t.Fatal(err)
			}
			st, err := mod.Store().Settings(ctx, line.ID)
			if err != nil || st.Provider != "twilio" || st.Token == "" {
				t.Fatalf("the demo line is not connected: %+v %v", st, err)
			}
			sim := &telephony.Sim{Handler: s.App.Handler(), Provider: "twilio", Hooks: "http://megafon.test/hooks/twilio/" + itoa(line.ID),
				Account: st.Account, Token: st.Token}
			ex, err := sim.Arrive("+46731112233", line.PublicNumber)
			if err != nil {
				t.Fatalf("a simulated call to the demo line: %v\n%s", err, ex.Body)
			}
			// The welcome and a prompt in each of the three languages.
			if len(ex.Reply.Play) != 4 || ex.Reply.Gather == nil {
				t.Errorf("the demo line's menu plays %d recordings, want 4: %+v", len(ex.Reply.Play), ex.Reply)
			}
		})
	}
}

func countRows(t testing.TB, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
