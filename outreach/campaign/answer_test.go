package campaign

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/question"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

// answering is the city's side for the fixture: a handbook, the questions
// and a register that knows who may no longer be called.
type answering struct {
	f   *fixture
	hb  *handbook.Store
	qs  *question.Store
	mu  sync.Mutex
	dnc map[int64]bool
}

func newAnswering(t *testing.T, f *fixture, d *db.DB) *answering {
	a := &answering{f: f, hb: handbook.NewStore(d, f.now), qs: &question.Store{DB: d, Now: f.now}, dnc: map[int64]bool{}}
	a.qs.OnAnswered(func(ctx context.Context, tx *sql.Tx, an question.Answer) error {
		_, err := f.store.QueueAnswerCallbacks(ctx, tx, a.callable, an)
		return err
	})
	return a
}

func (a *answering) callable(_ context.Context, id int64) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.dnc[id], nil
}

// ask records the call l with an escalated question that the resident
// may be called back about, and returns the question.
func (a *answering) ask(t *testing.T, u *auth.User, l Lease, o Outcome) int64 {
	t.Helper()
	f := a.f
	r := Report{EntryID: l.EntryID, Seq: l.Seq, Key: "ask-" + u.Name + "-" + string(rune('a'+l.ContactID)), Outcome: o,
		AskedText: "هل اللقاح مجاني؟", Summary: "Är vaccinet gratis?", Escalate: true, CallbackOK: true}
	if err := r.Validate(f.campaign, f.now()); err != nil {
		t.Fatal(err)
	}
	rec, err := f.store.RecordOutcome(context.Background(), f.campaign, u, r)
	if err != nil {
		t.Fatal(err)
	}
	var q int64
	if err := f.store.DB.QueryRow(context.Background(), `SELECT id FROM resident_questions WHERE call_id = $1`, rec.CallID).Scan(&q); err != nil {
		t.Fatal(err)
	}
	return q
}

// answer verifies an entry and answers the questions with it.
func (a *answering) answer(t *testing.T, qs ...int64) int64 {
	t.Helper()
	ctx := context.Background()
	f := a.f
	entry, err := a.hb.CreateEntry(ctx, f.coord, f.op.ID, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"vaccination"}, ValidUntil: "2099-12-31",
		Translations: []handbook.Translation{{Lang: "sv", Title: "Vaccinet är gratis", Body: "Ring 1177."}, {Lang: "ar", Title: "اللقاح مجاني", Body: "اتصل بالرقم 1177."}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []handbook.Action{handbook.Submit, handbook.Verify} {
		if err := a.hb.Move(ctx, f.coord, entry, act); err != nil {
			t.Fatal(err)
		}
	}
	if len(qs) > 1 {
		if err := a.qs.Merge(ctx, qs[0], qs[1:], f.coord); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.qs.AnswerWith(ctx, qs[0], entry, f.coord, true); err != nil {
		t.Fatal(err)
	}
	return entry
}

func (a *answering) callbacks(t *testing.T) int {
	t.Helper()
	var n int
	if err := a.f.store.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM campaign_answer_callbacks`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAVerifiedAnswerCallsTheResidentBackFirstInHerLanguageOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		a := newAnswering(t, f, d)
		f.fill(t, f.groupA, 1, 1, "ar", "so") // asks in Arabic, speaks Somali too
		f.fill(t, f.groupA, 2, 1, "so")
		l := f.mustClaim(t, f.arabic)
		if l.ContactID != 1 {
			t.Fatalf("first claim: %+v", l)
		}
		q := a.ask(t, f.arabic, l, Completed)
		f.fill(t, f.groupA, 3, 2, "ar") // never tried, waiting
		f.advance(time.Hour)
		entry := a.answer(t, q)
		if n := a.callbacks(t); n != 1 {
			t.Fatalf("%d callbacks, want 1", n)
		}
		// The Somali speaker never gets it, though the resident speaks
		// Somali too: the answer goes in the language she asked in.
		if l := f.mustClaim(t, f.somali); l.ContactID != 2 {
			t.Fatalf("the Somali speaker got %+v", l)
		}
		// The Arabic speaker gets it before the contacts never tried.
		cb := f.mustClaim(t, f.arabic)
		if cb.ContactID != 1 || cb.EntryID != l.EntryID {
			t.Fatalf("the Arabic speaker got %+v, want the callback", cb)
		}
		got, err := f.store.AnswerCallbacks(ctx, cb)
		if err != nil || len(got) != 1 || got[0].EntryID != entry || got[0].Language != "ar" {
			t.Fatalf("answer callbacks: %+v %v", got, err)
		}
		// Answered again (a second verification): never queued twice.
		again := question.Answer{OperationID: f.op.ID, EntryID: entry, VersionID: 1, Questions: []question.Question{{ID: q, Source: question.FromCampaign,
			CallID: callOf(t, d, q), Callback: true, Language: "ar"}}}
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			n, err := f.store.QueueAnswerCallbacks(ctx, tx, a.callable, again)
			if n != 0 {
				t.Errorf("queued %d again", n)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.record(t, f.arabic, cb, Completed); err != nil {
			t.Fatal(err)
		}
		var done sql.NullTime
		d.QueryRow(ctx, `SELECT done_at FROM campaign_answer_callbacks WHERE question_id = $1`, q).Scan(&done)
		if !done.Valid {
			t.Fatal("the callback is not done after its outcome")
		}
		if got, _ := f.store.AnswerCallbacks(ctx, cb); len(got) != 0 {
			t.Fatalf("still to call back: %+v", got)
		}
		var langs string
		d.QueryRow(ctx, `SELECT languages FROM campaign_queue WHERE id = $1`, cb.EntryID).Scan(&langs)
		if langs != ",ar,so," {
			t.Errorf("after the callback the entry's languages are %q, want hers again", langs)
		}
		// Next: the contacts never tried, and no second callback.
		if l := f.mustClaim(t, f.arabic); l.ContactID != 3 {
			t.Fatalf("after the callback: %+v", l)
		}
	}, allMigrations...)
}

func callOf(t *testing.T, d *db.DB, q int64) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRow(context.Background(), `SELECT call_id FROM resident_questions WHERE id = $1`, q).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAResidentWhoMustNotBeCalledIsNeverCalledBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := newAnswering(t, f, d)
		f.fill(t, f.groupA, 1, 3, "ar")
		blocked := a.ask(t, f.arabic, f.mustClaim(t, f.arabic), Completed) // blocked later, by any group
		said := a.ask(t, f.arabic, f.mustClaim(t, f.arabic), DoNotCall)    // said so on the call
		wrong := a.ask(t, f.arabic, f.mustClaim(t, f.arabic), NoAnswer)    // asked, then the number changed hands
		f.advance(4 * time.Hour)
		if l := f.mustClaim(t, f.arabic); l.ContactID != 3 {
			t.Fatalf("the retry: %+v", l)
		} else if _, err := f.record(t, f.arabic, l, WrongNumber); err != nil {
			t.Fatal(err)
		}
		f.fill(t, f.groupA, 4, 1, "ar")
		a.mu.Lock()
		a.dnc[1], a.dnc[2] = true, true
		a.mu.Unlock()
		a.answer(t, blocked)
		a.answer(t, said)
		a.answer(t, wrong)
		if n := a.callbacks(t); n != 0 {
			t.Fatalf("%d callbacks to residents who must not be called", n)
		}
		if l := f.mustClaim(t, f.arabic); l.ContactID != 4 {
			t.Fatalf("got %+v, want the one never tried", l)
		}
		if _, err := f.claim(t, f.somali); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("Somali: %v", err)
		}
	}, allMigrations...)
}

// Questions merged into one are answered with it: each resident who asked
// is called back once, on her own call.
func TestAMergedQuestionCallsEachResidentBackOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		a := newAnswering(t, f, d)
		f.fill(t, f.groupA, 1, 2, "ar")
		q1 := a.ask(t, f.arabic, f.mustClaim(t, f.arabic), Completed)
		q2 := a.ask(t, f.arabic, f.mustClaim(t, f.arabic), Completed)
		a.answer(t, q1, q2)
		rows, err := d.Query(ctx, `SELECT q.call_id, c.queue_id FROM campaign_answer_callbacks c JOIN resident_questions q ON q.id = c.question_id ORDER BY c.id`)
		if err != nil {
			t.Fatal(err)
		}
		entries := map[int64]bool{}
		for rows.Next() {
			var call, queue int64
			rows.Scan(&call, &queue)
			entries[queue] = true
		}
		rows.Close()
		if len(entries) != 2 || a.callbacks(t) != 2 {
			t.Fatalf("callbacks on %d entries (%d rows), want one each for 2", len(entries), a.callbacks(t))
		}
		seen := map[int64]bool{}
		for range 2 {
			l := f.mustClaim(t, f.arabic)
			seen[l.ContactID] = true
			if _, err := f.record(t, f.arabic, l, Completed); err != nil {
				t.Fatal(err)
			}
		}
		if !seen[1] || !seen[2] {
			t.Fatalf("called back: %v", seen)
		}
		if _, err := f.claim(t, f.arabic); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("a third call: %v", err)
		}
	}, allMigrations...)
}

// A callback whose contact another volunteer holds right now waits for
// her: due when her lease ends, and if she records an outcome first, her
// call is followed by the callback (she was not shown the answer).
func TestACallbackForAHeldContactFollowsTheCallInProgress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		a := newAnswering(t, f, d)
		f.fill(t, f.groupA, 1, 1, "ar")
		l := f.mustClaim(t, f.arabic)
		q := a.ask(t, f.arabic, l, NoAnswer) // asked on a call, retried later
		f.advance(4 * time.Hour)
		held := f.mustClaim(t, f.arabic) // her retry call is in progress
		f.advance(time.Minute)
		a.answer(t, q)
		if got, _ := f.store.AnswerCallbacks(ctx, held); len(got) != 0 {
			t.Fatalf("the call in progress shows an answer that came after it began: %+v", got)
		}
		if _, err := f.claim(t, f.volB); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("another volunteer took the held contact: %v", err)
		}
		if _, err := f.record(t, f.arabic, held, Busy); err != nil {
			t.Fatal(err)
		}
		cb := f.mustClaim(t, f.arabic)
		if cb.ContactID != 1 {
			t.Fatalf("after her call: %+v", cb)
		}
		if got, _ := f.store.AnswerCallbacks(ctx, cb); len(got) != 1 {
			t.Fatalf("the callback after the call in progress: %+v", got)
		}
	}, allMigrations...)
}
