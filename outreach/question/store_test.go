package question

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

var allMigrations = []db.Migrations{auth.Migrations, operation.Migrations, handbook.Migrations, Migrations}

type fixture struct {
	d             *db.DB
	clock         atomic.Pointer[time.Time]
	store         *Store
	hb            *handbook.Store
	ops           *operation.Store
	op            operation.Operation
	coord, coord2 *auth.User
	vol           *auth.User
	answers       []Answer
}

func (f *fixture) now() time.Time          { return *f.clock.Load() }
func (f *fixture) advance(d time.Duration) { t := f.now().Add(d); f.clock.Store(&t) }

func newFixture(t testing.TB, d *db.DB, level operation.Level) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d}
	start := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	f.clock.Store(&start)
	a := auth.NewStore(d)
	lead, err := a.CreateOrg(ctx, "Lead", auth.Administration)
	if err != nil {
		t.Fatal(err)
	}
	group, err := a.CreateOrg(ctx, "Group", auth.PartnerGroup)
	if err != nil {
		t.Fatal(err)
	}
	person := func(name string, org auth.Org, role auth.Role) *auth.User {
		id, err := a.CreatePerson(ctx, auth.NewPerson{Name: name, Email: name + "@x.se", Languages: []string{"ar", "sv"}}, org.ID, role, "")
		if err != nil {
			t.Fatal(err)
		}
		u, err := a.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.coord, f.coord2, f.vol = person("coord", lead, auth.Coordinator), person("coord2", lead, auth.Coordinator), person("vol", group, auth.Volunteer)
	f.ops = &operation.Store{DB: d, Now: f.now}
	opID, err := f.ops.Create(ctx, f.coord, operation.Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: lead.ID, Level: level})
	if err != nil {
		t.Fatal(err)
	}
	if f.op, err = f.ops.Get(ctx, opID); err != nil {
		t.Fatal(err)
	}
	f.store = &Store{DB: d, Now: f.now}
	f.hb = handbook.NewStore(d, f.now)
	f.hb.OnVerify(f.store.answered)
	f.store.OnAnswered(func(_ context.Context, _ *sql.Tx, a Answer) error { f.answers = append(f.answers, a); return nil })
	return f
}

// ask records a cleaned question in Arabic.
func (f *fixture) ask(t testing.TB, text string, escalate bool) int64 {
	t.Helper()
	d := Draft{OperationID: f.op.ID, Source: FromVolunteer, AskedBy: f.vol.ID, Language: "ar", Topics: []string{"vaccination"},
		Text: text, Summary: "Sammanfattning: " + text, Escalate: escalate, Callback: escalate}
	if _, err := d.Clean(); err != nil {
		t.Fatal(err)
	}
	id, _, err := f.store.Record(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) get(t testing.TB, id int64) Question {
	t.Helper()
	q, err := f.store.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestAnEscalationIsDueWithinTheDeadlineOfTheOperationsLevel(t *testing.T) {
	for _, c := range []struct {
		level operation.Level
		want  time.Duration
	}{{1, 72 * time.Hour}, {2, 24 * time.Hour}, {3, 4 * time.Hour}, {4, time.Hour}} {
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			f := newFixture(t, d, c.level)
			id := f.ask(t, "هل اللقاح مجاني؟", true)
			q := f.get(t, id)
			if q.State != Escalated || !q.DueAt.Equal(f.now().Add(c.want)) || q.Level != int(c.level) {
				t.Fatalf("level %d: state %s, due %v (want %v after %v), level %d", c.level, q.State, q.DueAt, c.want, f.now(), q.Level)
			}
			ctx := context.Background()
			s, err := f.store.Signals(ctx, f.op.ID, f.now())
			if err != nil || s.OverdueEscalations != 0 {
				t.Fatalf("before the deadline: %+v, %v", s, err)
			}
			f.advance(c.want + time.Minute)
			if s, err = f.store.Signals(ctx, f.op.ID, f.now()); err != nil || s.OverdueEscalations != 1 {
				t.Fatalf("after the deadline: %+v, %v", s, err)
			}
			if !f.get(t, id).Overdue(f.now()) {
				t.Fatal("not overdue after its deadline")
			}
		}, allMigrations...)
	}
}

func TestTheCitysOwnDeadlineOfALevelIsUsed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		if _, err := d.Exec(context.Background(), `INSERT INTO support_levels (level, answer_in_minutes, reporting, updated_at) VALUES (2, 600, 'weekly', $1)`, db.Now(f.now())); err != nil {
			t.Fatal(err)
		}
		q := f.get(t, f.ask(t, "Fråga", true))
		if !q.DueAt.Equal(f.now().Add(10 * time.Hour)) {
			t.Fatalf("due %v, want 10 h after %v", q.DueAt, f.now())
		}
	}, allMigrations...)
}

func TestMergingCountsTheQuestionsLanguagesAndTheEarliestDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		first := f.ask(t, "هل اللقاح مجاني؟", true)
		f.advance(time.Hour)
		second := f.ask(t, "Is the vaccine free?", true)
		third := f.ask(t, "Är vaccinet gratis?", true)
		if _, err := d.Exec(ctx, `UPDATE resident_questions SET language = 'en' WHERE id = $1`, second); err != nil {
			t.Fatal(err)
		}
		// second, then third into second, then second into first: all three count in first.
		if err := f.store.Merge(ctx, second, []int64{third}, f.coord); err != nil {
			t.Fatal(err)
		}
		if err := f.store.Merge(ctx, first, []int64{second}, f.coord); err != nil {
			t.Fatal(err)
		}
		q := f.get(t, first)
		if q.Asks != 3 || len(q.Languages) != 2 || !q.DueAt.Equal(f.get(t, first).EscalatedAt.Add(24*time.Hour)) {
			t.Fatalf("merged: asks %d, languages %v, due %v", q.Asks, q.Languages, q.DueAt)
		}
		if f.get(t, third).MergedInto != first {
			t.Fatalf("third merged into %d, want %d", f.get(t, third).MergedInto, first)
		}
		open, total, err := f.store.Triage(ctx, f.op.ID)
		if err != nil || total != 1 || len(open) != 1 || open[0].ID != first {
			t.Fatalf("triage after merging: %d of %d, %v", len(open), total, err)
		}
		// Merging what is no longer open, itself, or nothing, is refused
		// and changes nothing.
		for _, c := range []struct {
			into int64
			from []int64
			want error
		}{{first, []int64{second}, errNotOpen}, {first, []int64{first}, errMergeSelf}, {first, nil, errMergeNone}, {first, []int64{99999}, errMergeOther}} {
			if err := f.store.Merge(ctx, c.into, c.from, f.coord); !errors.Is(err, c.want) {
				t.Errorf("merge %d ← %v: %v, want %v", c.into, c.from, err, c.want)
			}
		}
		if q := f.get(t, first); q.Asks != 3 {
			t.Fatalf("a refused merge changed asks to %d", q.Asks)
		}
	}, allMigrations...)
}

func TestAnAnswerAnswersTheQuestionOnlyWhenItIsVerified(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		id := f.ask(t, "هل اللقاح مجاني؟", true)
		merged := f.ask(t, "Är vaccinet gratis?", true)
		if err := f.store.Merge(ctx, id, []int64{merged}, f.coord); err != nil {
			t.Fatal(err)
		}
		entry, err := f.store.AnswerNew(ctx, f.hb, id, f.coord, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"vaccination"}, ValidUntil: "2021-12-31",
			Translations: []handbook.Translation{{Lang: "sv", Title: "Är vaccinet gratis?", Body: "Ja, vaccinet är gratis."}, {Lang: "ar", Title: "هل اللقاح مجاني؟", Body: "نعم."}}})
		if err != nil {
			t.Fatal(err)
		}
		if q := f.get(t, id); q.State != Answering || q.AnswerEntry != entry || q.TakenBy != f.coord.ID {
			t.Fatalf("after the draft: %+v", q)
		}
		if err := f.hb.Move(ctx, f.coord, entry, handbook.Submit); err != nil {
			t.Fatal(err)
		}
		if q := f.get(t, id); q.State != Answering || len(f.answers) != 0 {
			t.Fatalf("in review, the question is %s and %d answers ran", q.State, len(f.answers))
		}
		if err := f.hb.Move(ctx, f.coord2, entry, handbook.Verify); err != nil {
			t.Fatal(err)
		}
		q := f.get(t, id)
		if q.State != Answered || q.AnswerVer == 0 || q.AnsweredAt.IsZero() {
			t.Fatalf("after verifying: %+v", q)
		}
		if m := f.get(t, merged); m.State != Merged || m.AnswerVer != q.AnswerVer {
			t.Fatalf("the merged question: state %s, answer version %d", m.State, m.AnswerVer)
		}
		if len(f.answers) != 1 || len(f.answers[0].Questions) != 2 || f.answers[0].EntryID != entry {
			t.Fatalf("OnAnswered: %+v", f.answers)
		}
		// A later version of the entry answers nothing again.
		if _, err := f.hb.Edit(ctx, f.coord, entry, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"vaccination"}, ValidUntil: "2021-12-31",
			Translations: []handbook.Translation{{Lang: "sv", Title: "Är vaccinet gratis?", Body: "Ja, alltid."}}}); err != nil {
			t.Fatal(err)
		}
		if err := f.hb.Move(ctx, f.coord2, entry, handbook.Verify); err != nil {
			t.Fatal(err)
		}
		if len(f.answers) != 1 {
			t.Fatalf("a second verification ran OnAnswered again: %d", len(f.answers))
		}
		// An answer to, a merge into or a close of an answered question
		// is refused: it is not open.
		if _, err := f.store.AnswerNew(ctx, f.hb, id, f.coord, handbook.EntryDraft{Kind: handbook.QA, ValidUntil: "2021-12-31",
			Translations: []handbook.Translation{{Lang: "sv", Title: "Igen"}}}); !errors.Is(err, errNotOpen) {
			t.Fatalf("answering an answered question: %v", err)
		}
		if err := f.store.Close(ctx, id, f.coord, CloseDraft{Reason: "dubblett"}); !errors.Is(err, errNotOpen) {
			t.Fatalf("closing an answered question: %v", err)
		}
	}, allMigrations...)
}

func TestAnAnswerWithAVerifiedEntryAnswersAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		entry, err := f.hb.CreateEntry(ctx, f.coord, f.op.ID, handbook.EntryDraft{Kind: handbook.QA, ValidUntil: "2021-12-31",
			Translations: []handbook.Translation{{Lang: "sv", Title: "Är vaccinet gratis?", Body: "Ja."}}})
		if err != nil {
			t.Fatal(err)
		}
		id := f.ask(t, "Fråga", true)
		// Not yet verified: "already answers it" is refused, nothing changes.
		if err := f.store.AnswerWith(ctx, id, entry, f.coord, true); !errors.Is(err, errEntry) {
			t.Fatalf("answer with an unverified entry now: %v", err)
		}
		if q := f.get(t, id); q.State != Escalated {
			t.Fatalf("a refused answer left the question %s", q.State)
		}
		for _, a := range []handbook.Action{handbook.Submit, handbook.Verify} {
			if err := f.hb.Move(ctx, f.coord2, entry, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.store.AnswerWith(ctx, id, entry, f.coord, true); err != nil {
			t.Fatal(err)
		}
		if q := f.get(t, id); q.State != Answered || len(f.answers) != 1 {
			t.Fatalf("answered with a verified entry: %s, %d answers", q.State, len(f.answers))
		}
	}, allMigrations...)
}

func TestClosingNeedsAReasonAndClosesTheMergedOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		id, other := f.ask(t, "Fråga", true), f.ask(t, "Samma fråga", true)
		if err := f.store.Merge(ctx, id, []int64{other}, f.coord); err != nil {
			t.Fatal(err)
		}
		if err := f.store.Close(ctx, id, f.coord, CloseDraft{Reason: "  "}); err == nil {
			t.Fatal("closed without a reason")
		}
		if err := f.store.Close(ctx, id, f.coord, CloseDraft{Reason: "Regionen svarar, ring 1177"}); err != nil {
			t.Fatal(err)
		}
		if q, m := f.get(t, id), f.get(t, other); q.State != Closed || m.State != Closed || q.CloseReason == "" {
			t.Fatalf("closed: %s (%q), merged one %s", q.State, q.CloseReason, m.State)
		}
		if _, err := f.store.AnswerNew(ctx, f.hb, id, f.coord, handbook.EntryDraft{Kind: handbook.QA, ValidUntil: "2021-12-31",
			Translations: []handbook.Translation{{Lang: "sv", Title: "Svar"}}}); !errors.Is(err, errNotOpen) {
			t.Fatalf("answering a closed question: %v", err)
		}
		var entries int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM handbook_entries`).Scan(&entries); err != nil || entries != 0 {
			t.Fatalf("a refused answer left %d entries (%v)", entries, err)
		}
	}, allMigrations...)
}

func TestPersonalDataInAQuestionIsMaskedBeforeItIsStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		dr := Draft{OperationID: f.op.ID, Source: FromVolunteer, Language: "sv", Escalate: true,
			Text: "Hon heter Amina, pnr 850709-9805, ring 070-123 45 67 eller amina@exempel.se", Summary: "Pnr 19850709-9805 vill veta"}
		found, err := dr.Clean()
		if err != nil || !found.Identity || !found.Phone || !found.Email {
			t.Fatalf("clean: %+v, %v", found, err)
		}
		if _, _, err := f.store.Record(ctx, dr); err != nil {
			t.Fatal(err)
		}
		// Nowhere in the database, not in any column of any table it wrote.
		var hits int
		for _, needle := range []string{"9805", "123 45 67", "amina@"} {
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM resident_questions WHERE text LIKE $1 OR summary LIKE $1`, "%"+needle+"%").Scan(&hits); err != nil || hits != 0 {
				t.Errorf("%q is stored (%d rows, %v)", needle, hits, err)
			}
		}
	}, allMigrations...)
}

func TestBadQuestionsAreRefusedWithAMessageAndNothingIsStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		for name, dr := range map[string]Draft{
			"5,000 characters":       {Language: "ar", Text: strings.Repeat("س", 5000)},
			"a control character":    {Language: "sv", Text: "fråga\x00"},
			"an unknown topic":       {Language: "sv", Topics: []string{"weather"}},
			"a bad language":         {Language: "not a language!", Text: "fråga"},
			"an escalation, no text": {Language: "sv", Escalate: true},
			"nothing at all":         {Language: "sv"},
			"a summary of 2 lines":   {Language: "ar", Text: "س", Summary: "a\nb", Escalate: true},
		} {
			dr.OperationID, dr.Source = f.op.ID, FromVolunteer
			_, err := dr.Clean()
			l, ok := problem.As(err)
			if !ok || len(l) == 0 || l[0].Key == "" {
				t.Errorf("%s: %v, want a problem with a message", name, err)
			}
		}
		// An entry of another operation, or none, is refused when recorded.
		dr := Draft{OperationID: f.op.ID, Source: FromVolunteer, Language: "sv", Text: "fråga", OnTheSpot: true, EntryID: 4242, VersionID: 1}
		if _, err := dr.Clean(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.store.Record(ctx, dr); err == nil {
			t.Fatal("recorded a question answered with an entry that does not exist")
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM resident_questions`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d questions stored (%v)", n, err)
		}
	}, allMigrations...)
}

func TestADoubleTapRecordsAndEscalatesOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		dr := Draft{OperationID: f.op.ID, Source: FromVolunteer, AskedBy: f.vol.ID, Language: "sv", Text: "Fråga", Escalate: true, Key: "tap-1"}
		if _, err := dr.Clean(); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		ids := make([]int64, 8)
		errs := make([]error, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i], _, errs[i] = f.store.Record(ctx, dr)
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("tap %d: id %d, %v (first %d)", i, ids[i], errs[i], ids[0])
			}
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM resident_questions`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d questions stored (%v)", n, err)
		}
	}, allMigrations...)
}

func TestConcurrentMergesNeverCountAQuestionTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		a, b, c := f.ask(t, "A", true), f.ask(t, "B", true), f.ask(t, "C", true)
		var wg sync.WaitGroup
		for _, into := range []int64{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); _ = f.store.Merge(ctx, into, []int64{c}, f.coord) }()
		}
		wg.Wait()
		var total int
		if err := d.QueryRow(ctx, `SELECT SUM(asks) FROM resident_questions WHERE state <> 'merged'`).Scan(&total); err != nil || total != 3 {
			t.Fatalf("asks of the open questions add up to %d, want 3 (%v)", total, err)
		}
	}, allMigrations...)
}

// A coordinator who says a verified version already answers one question
// has not said so of another question waiting for the entry's next
// version; an archived entry answers nothing.
func TestAnsweringOneQuestionNowLeavesTheOthersWaitingForTheEntry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, operation.LevelSupported)
		ctx := context.Background()
		entry, err := f.hb.CreateEntry(ctx, f.coord, f.op.ID, handbook.EntryDraft{Kind: handbook.QA, ValidUntil: "2021-12-31",
			Translations: []handbook.Translation{{Lang: "sv", Title: "Är vaccinet gratis?", Body: "Ja."}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []handbook.Action{handbook.Submit, handbook.Verify} {
			if err := f.hb.Move(ctx, f.coord2, entry, a); err != nil {
				t.Fatal(err)
			}
		}
		waiting, now := f.ask(t, "Väntar på nästa version", true), f.ask(t, "Besvarad nu", true)
		if err := f.store.AnswerWith(ctx, waiting, entry, f.coord, false); err != nil {
			t.Fatal(err)
		}
		if err := f.store.AnswerWith(ctx, now, entry, f.coord, true); err != nil {
			t.Fatal(err)
		}
		if w, n := f.get(t, waiting), f.get(t, now); w.State != Answering || n.State != Answered {
			t.Fatalf("waiting one %s, answered one %s", w.State, n.State)
		}
		if len(f.answers) != 1 || len(f.answers[0].Questions) != 1 || f.answers[0].Questions[0].ID != now {
			t.Fatalf("OnAnswered: %+v", f.answers)
		}
		if err := f.hb.Move(ctx, f.coord2, entry, handbook.Archive); err != nil {
			t.Fatal(err)
		}
		other := f.ask(t, "Arkiverad", true)
		if err := f.store.AnswerWith(ctx, other, entry, f.coord, false); !errors.Is(err, errEntry) {
			t.Fatalf("answering with an archived entry: %v", err)
		}
	}, allMigrations...)
}
