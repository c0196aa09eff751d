package calls

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

var keyN atomic.Int64

func freshKey() string { return fmt.Sprintf("%032x", keyN.Add(1)) }

// answered makes a call in lang that the volunteer answered and that
// lasted three minutes.
func (f *fixture) answered(t testing.TB, personID int64, lang string) Call {
	t.Helper()
	ctx := context.Background()
	c := f.arrive(t, "+46701234567", lang)
	if err := f.store.Answer(ctx, c.ID, personID, 0, f.now()); err != nil {
		t.Fatal(err)
	}
	f.advance(3 * time.Minute)
	if err := f.store.End(ctx, c.ID, HungUp, f.now()); err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) lineOf(t testing.TB) Line {
	t.Helper()
	l, err := f.store.LineOf(context.Background(), f.line)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestACallIsLoggedOnceWithItsQuestionsInTheQuestionsDomain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.answered(t, f.vol.ID, "ar")
		if n, _ := f.store.CountToLog(ctx, f.vol.ID); n != 1 {
			t.Errorf("%d calls to log, want 1", n)
		}
		todo, _ := f.store.ToLog(ctx, f.vol.ID)
		if len(todo) != 1 || todo[0].ID != c.ID || todo[0].Lang != "ar" || todo[0].Duration != 3*time.Minute {
			t.Errorf("to log = %+v", todo)
		}
		if others, _ := f.store.ToLog(ctx, f.vol2.ID); len(others) != 0 {
			t.Errorf("another volunteer's calls to log: %+v", others)
		}
		dr := LogDraft{Lang: "ar", Topics: []string{"vaccination", "school"}, Answered: true, Key: freshKey(), Questions: []question.Draft{
			{Text: "هل اللقاح مجاني؟", Escalate: true, Summary: "Är vaccinet gratis?"},
			{Text: "When does school open? Call 070-123 45 67"},
			{}, // an empty block of the form
		}}
		found, err := dr.Clean(f.lineOf(t))
		if err != nil {
			t.Fatal(err)
		}
		if !found.Phone {
			t.Error("the number in a question was not reported as masked")
		}
		if _, err := f.store.Log(ctx, c.ID, f.vol.ID, f.group.ID, dr); err != nil {
			t.Fatal(err)
		}
		dup, err := f.store.Log(ctx, c.ID, f.vol.ID, f.group.ID, dr)
		if err != nil || !dup {
			t.Errorf("a double tap: dup %v, %v", dup, err)
		}
		again := dr
		again.Key = freshKey()
		if _, err := f.store.Log(ctx, c.ID, f.vol.ID, f.group.ID, again); !isProblem(err, "calls.error.logged") {
			t.Errorf("a second log: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM helpline_call_logs`); n != 1 {
			t.Errorf("%d logs, want 1", n)
		}
		qs := count(t, d, `SELECT COUNT(*) FROM resident_questions WHERE source = 'helpline' AND call_id = $1 AND asked_by = $2`, c.ID, f.vol.ID)
		esc := count(t, d, `SELECT COUNT(*) FROM resident_questions WHERE state = 'escalated' AND language = 'ar'`)
		masked := count(t, d, `SELECT COUNT(*) FROM resident_questions WHERE text LIKE '%070-123%'`)
		if qs != 2 || esc != 1 || masked != 0 {
			t.Errorf("questions %d (want 2), escalated %d (want 1), unmasked numbers %d", qs, esc, masked)
		}
		l, err := f.store.LogOf(ctx, c.ID)
		if err != nil || l.Lang != "ar" || len(l.Topics) != 2 || l.Questions != 2 || !l.Answered {
			t.Errorf("log = %+v, %v", l, err)
		}
		if n, _ := f.store.CountToLog(ctx, f.vol.ID); n != 0 {
			t.Errorf("%d calls still to log", n)
		}
	}, allMigrations...)
}

func TestNobodyButWhoAnsweredLogsACall(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.answered(t, f.vol.ID, "sv")
		dr := LogDraft{Lang: "sv", Answered: true, Key: freshKey()}
		if _, err := dr.Clean(f.lineOf(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.Log(ctx, c.ID, f.vol2.ID, f.group.ID, dr); !errors.Is(err, ErrNotFound) {
			t.Errorf("another volunteer: %v", err)
		}
		missed := f.arrive(t, "", "sv")
		if _, err := f.store.Log(ctx, missed.ID, f.vol.ID, f.group.ID, dr); !errors.Is(err, ErrNotFound) {
			t.Errorf("a call nobody answered: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM helpline_call_logs`); n != 0 {
			t.Errorf("%d logs", n)
		}
	}, allMigrations...)
}

func TestAQuestionRefusedLeavesNothingHalfSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.answered(t, f.vol.ID, "sv")
		// Clean refuses a question too long, under its own field.
		long := LogDraft{Lang: "sv", Answered: true, Key: freshKey(), Questions: []question.Draft{{Text: "ok"}, {Text: strings.Repeat("a", question.MaxTextRunes+1)}}}
		if _, err := long.Clean(f.lineOf(t)); !isField(err, "q1_text") {
			t.Errorf("a question too long: %v, want a problem on q1_text", err)
		}
		// A question the questions store refuses inside the transaction
		// (an answer from a handbook entry that does not exist) takes the
		// log and the first question with it.
		dr := LogDraft{Lang: "sv", Answered: true, Key: freshKey(), Questions: []question.Draft{{Text: "first"}, {Text: "second", OnTheSpot: true, EntryID: 999999}}}
		if _, err := dr.Clean(f.lineOf(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.Log(ctx, c.ID, f.vol.ID, f.group.ID, dr); !isProblem(err, "question.error.entry") {
			t.Errorf("a refused question: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM helpline_call_logs`) + count(t, d, `SELECT COUNT(*) FROM resident_questions`); n != 0 {
			t.Errorf("%d rows saved half-way", n)
		}
		if n, _ := f.store.CountToLog(ctx, f.vol.ID); n != 1 {
			t.Errorf("the call left her calls to log: %d", n)
		}
	}, allMigrations...)
}

func TestALogIsCheckedAgainstTheLinesLanguagesAndTopics(t *testing.T) {
	line := Line{ID: 1, Languages: []string{"sv", "ar"}}
	for _, c := range []struct {
		name  string
		d     LogDraft
		field string
	}{
		{"a language the line does not offer", LogDraft{Lang: "so", Key: freshKey()}, "lang"},
		{"no language", LogDraft{Key: freshKey()}, "lang"},
		{"a topic not on the list", LogDraft{Lang: "sv", Topics: []string{"weather"}, Key: freshKey()}, "topics"},
		{"a summary too long", LogDraft{Lang: "ar", Key: freshKey(), Questions: []question.Draft{{Text: "x", Escalate: true, Summary: strings.Repeat("s", 301)}}}, "q0_summary"},
		{"an escalation without its text", LogDraft{Lang: "sv", Key: freshKey(), Questions: []question.Draft{{Escalate: true}}}, "q0_text"},
	} {
		if _, err := c.d.Clean(line); !isField(err, c.field) {
			t.Errorf("%s: %v, want a problem on %s", c.name, err, c.field)
		}
	}
	d := LogDraft{Lang: "sv", Key: "forged"}
	if _, err := d.Clean(line); !isProblem(err, "calls.error.form_expired") {
		t.Errorf("a forged key: %v", err)
	}
}

func TestACallLoggedByHandIsOneCallHoweverOftenTheFormIsSent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		dr := LogDraft{Lang: "ti", Topics: []string{"housing"}, Answered: true, Key: freshKey(), Questions: []question.Draft{{Text: "Where do I apply?"}}}
		if _, err := dr.Clean(f.lineOf(t)); err != nil {
			t.Fatal(err)
		}
		m := ManualCall{LineID: f.line, StartedAt: f.now().Add(-10 * time.Minute), Duration: 6 * time.Minute}
		id, dup, err := f.store.LogManual(ctx, f.vol2.ID, f.group.ID, m, dr)
		if err != nil || dup {
			t.Fatalf("log by hand: %v %v", dup, err)
		}
		again, dup, err := f.store.LogManual(ctx, f.vol2.ID, f.group.ID, m, dr)
		if err != nil || !dup || again != id {
			t.Errorf("again: %d %v %v", again, dup, err)
		}
		if _, _, err := f.store.LogManual(ctx, f.vol.ID, f.group.ID, m, dr); !isProblem(err, "calls.error.key_taken") {
			t.Errorf("another's key: %v", err)
		}
		c, _ := f.store.Call(ctx, id)
		if c.Provider != Manual || !c.Logged || c.Outcome != Answered || c.Duration != 6*time.Minute || c.AnsweredBy != f.vol2.ID || c.Lang != "ti" {
			t.Errorf("manual call = %+v", c)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM resident_questions WHERE call_id = $1`, id); n != 1 {
			t.Errorf("%d questions", n)
		}
		bad := dr
		bad.Key = freshKey()
		for _, m := range []ManualCall{
			{LineID: f.line, StartedAt: f.now().Add(time.Hour), Duration: time.Minute},
			{LineID: f.line, Duration: time.Minute},
			{LineID: f.line, StartedAt: f.now(), Duration: 5 * time.Hour},
		} {
			if _, _, err := f.store.LogManual(ctx, f.vol2.ID, f.group.ID, m, bad); err == nil {
				t.Errorf("%+v was logged", m)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM helpline_calls`); n != 1 {
			t.Errorf("%d calls", n)
		}
	}, allMigrations...)
}

func TestTheCoordinatorsReportCountsCallsPerDayAndLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		from := f.now().Add(-time.Hour)
		f.answered(t, f.vol.ID, "ar")
		f.missed(t, "+46701234501", "ar")
		c := f.arrive(t, "", "sv")
		if err := f.store.End(ctx, c.ID, Closed, f.now()); err != nil {
			t.Fatal(err)
		}
		f.advance(24 * time.Hour)
		f.missed(t, "+46701234502", "sv")
		rows, err := f.store.Report(ctx, f.line, from, f.now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := []DayRow{
			{Day: "2021-03-02", Lang: "sv", Missed: 1, Total: 1},
			{Day: "2021-03-01", Lang: "ar", Answered: 1, Missed: 1, Total: 2},
			{Day: "2021-03-01", Lang: "sv", Closed: 1, Total: 1},
		}
		if fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Errorf("report = %+v\nwant %+v", rows, want)
		}
	}, allMigrations...)
}

// isField reports whether err has a problem on the form field.
func isField(err error, field string) bool {
	ps, _ := problemList(err)
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}
