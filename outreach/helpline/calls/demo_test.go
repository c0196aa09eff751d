package calls_test

import (
	"context"
	"testing"

	"megafon/outreach/handbook"
	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

func TestTheDemoSeedsNoCallsWithoutADemoHelpLine(t *testing.T) {
	t.Parallel()
	mod := &calls.Module{}
	s := webtest.New(t, db.SQLite, false, &notify.Module{}, &operation.Module{}, &handbook.Module{}, &question.Module{}, &helpline.Module{}, mod)
	ctx := context.Background()
	for _, m := range s.App.Modules() {
		if sd, ok := m.(demo.Seeder); ok && m.Name() == "operation" {
			if err := sd.SeedDemo(ctx, s.App, s.City); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := mod.SeedDemo(ctx, s.App, s.City); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM helpline_calls`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d calls seeded without a help line (%v)", n, err)
	}
}

func TestTheDemoSeedsEightWeeksOfCallsOnTheDemoLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	ctx := context.Background()
	if err := e.mod.SeedDemo(ctx, e.s.App, e.s.City); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := e.s.App.DB.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	seeded := count(`SELECT COUNT(*) FROM helpline_calls`)
	answered := count(`SELECT COUNT(*) FROM helpline_calls WHERE outcome = 'answered'`)
	missed := count(`SELECT COUNT(*) FROM helpline_calls WHERE outcome IN ('no_answer', 'hung_up', 'unknown_key')`)
	closed := count(`SELECT COUNT(*) FROM helpline_calls WHERE outcome = 'closed'`)
	logged := count(`SELECT COUNT(*) FROM helpline_call_logs`)
	toLog := count(`SELECT COUNT(*) FROM helpline_calls WHERE outcome = 'answered' AND logged_at IS NULL`)
	done := count(`SELECT COUNT(*) FROM helpline_callbacks WHERE done_at IS NOT NULL`)
	open := count(`SELECT COUNT(*) FROM helpline_callbacks WHERE done_at IS NULL`)
	questions := count(`SELECT COUNT(*) FROM resident_questions WHERE source = 'helpline'`)
	days := count(`SELECT COUNT(DISTINCT substr(CAST(started_at AS TEXT), 1, 10)) FROM helpline_calls`)
	t.Logf("%d calls on %d days: %d answered (%d logged, %d to log), %d missed, %d closed; callbacks %d done, %d open; %d questions",
		seeded, days, answered, logged, toLog, missed, closed, done, open, questions)
	if seeded != calls.DemoCalls || answered < seeded/2 || missed < 40 || closed < 5 || logged < answered-10 || toLog == 0 ||
		done == 0 || open == 0 || questions < 20 || days < 40 {
		t.Error("the demo's call log is not the one described")
	}
	if n := count(`SELECT COUNT(*) FROM helpline_calls WHERE caller_enc LIKE '+%'`); n != 0 {
		t.Errorf("%d numbers stored in the clear", n)
	}
}
