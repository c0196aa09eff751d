package calls

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"megafon/outreach/campaign"
	"megafon/outreach/helpline"
	"megafon/platform/audit"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

// missed makes a missed call in lang with a callback request.
func (f *fixture) missed(t testing.TB, caller, lang string) int64 {
	t.Helper()
	ctx := context.Background()
	c := f.arrive(t, caller, lang)
	if err := f.store.End(ctx, c.ID, NoAnswer, f.now()); err != nil {
		t.Fatal(err)
	}
	id, err := f.store.RequestCallback(ctx, c.ID, f.now())
	if err != nil {
		t.Fatal(err)
	}
	f.advance(time.Minute)
	return id
}

func ids(cs []Callback) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestAVolunteerSeesTheQueuesSheIsOnShiftForFirstThenHerLanguages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		sv := f.missed(t, "+46701234501", "sv")
		ti := f.missed(t, "+46701234502", "ti")
		ar := f.missed(t, "+46701234503", "ar")
		lines := []int64{f.line}
		// vol speaks sv and ar, and is on shift for ti.
		q, err := f.store.Queue(ctx, f.vol.ID, lines, f.vol.Languages, []helpline.LineLanguage{{LineID: f.line, Lang: "ti"}}, f.now())
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(q); len(got) != 3 || got[0] != ti || got[1] != sv || got[2] != ar || !q[0].OnShift || q[1].OnShift {
			t.Errorf("queue on a ti shift = %v, want ti first, then sv and ar oldest first", got)
		}
		// Off shift, Tigrinya is not hers.
		q, _ = f.store.Queue(ctx, f.vol.ID, lines, f.vol.Languages, nil, f.now())
		if got := ids(q); len(got) != 2 || got[0] != sv || got[1] != ar {
			t.Errorf("queue off shift = %v, want sv, ar", got)
		}
		// A request taken by another is in nobody else's queue until her hold ends.
		if _, err := f.store.Take(ctx, ar, f.outsider.ID); err != nil {
			t.Fatal(err)
		}
		q, _ = f.store.Queue(ctx, f.vol.ID, lines, f.vol.Languages, nil, f.now())
		if got := ids(q); len(got) != 1 || got[0] != sv {
			t.Errorf("queue with ar taken = %v, want sv only", got)
		}
		f.advance(DefaultHold + time.Second)
		q, _ = f.store.Queue(ctx, f.vol.ID, lines, f.vol.Languages, nil, f.now())
		if len(q) != 2 {
			t.Errorf("queue after the hold ended = %v, want sv and ar again", ids(q))
		}
		// Another line's queue is not in it.
		q, _ = f.store.Queue(ctx, f.vol.ID, []int64{f.otherLine}, f.vol.Languages, nil, f.now())
		if len(q) != 0 {
			t.Errorf("another line's queue = %v", ids(q))
		}
	}, allMigrations...)
}

func TestOfManyVolunteersTakingACallbackAtOnceExactlyOneGetsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		id := f.missed(t, "+46701234567", "sv")
		people := []int64{f.vol.ID, f.vol2.ID, f.outsider.ID, f.coord.ID}
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := map[int64]bool{}
		start := make(chan struct{})
		for _, p := range people {
			for range 5 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, err := f.store.Take(ctx, id, p)
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						got[p] = true
					} else if !errors.Is(err, ErrTaken) {
						t.Errorf("take: %v", err)
					}
				}()
			}
		}
		close(start)
		wg.Wait()
		if len(got) != 1 {
			t.Fatalf("%d volunteers got the request, want one", len(got))
		}
		var holder int64
		for p := range got {
			holder = p
		}
		c, err := f.store.Held(ctx, id, holder)
		if err != nil || c.TakenBy != holder {
			t.Errorf("held = %+v, %v", c, err)
		}
		for _, p := range people {
			if _, err := f.store.Held(ctx, id, p); p != holder && !errors.Is(err, ErrNotFound) {
				t.Errorf("%d, not the holder, opened it: %v", p, err)
			}
		}
	}, allMigrations...)
}

func TestOnlyTheHolderSeesTheNumberAndEveryViewIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		id := f.missed(t, "+46701234567", "ar")
		if _, err := f.store.RevealNumber(ctx, id, f.vol, f.log, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("before taking it: %v", err)
		}
		if _, err := f.store.Take(ctx, id, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		n, err := f.store.RevealNumber(ctx, id, f.vol, f.log, "10.0.0.1")
		if err != nil || n != "+46701234567" {
			t.Errorf("her number = %q, %v", n, err)
		}
		if _, err := f.store.RevealNumber(ctx, id, f.vol2, f.log, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("another volunteer: %v", err)
		}
		views, err := f.log.List(ctx, audit.Filter{Action: audit.ViewPersonal})
		if err != nil || len(views) != 1 || views[0].ActorID != f.vol.ID || views[0].Subject == "" {
			t.Errorf("audited views = %+v, %v", views, err)
		}
		// Taking another lets go of this one.
		other := f.missed(t, "+46701234568", "sv")
		if _, err := f.store.Take(ctx, other, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.RevealNumber(ctx, id, f.vol, f.log, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("the one she let go: %v", err)
		}
		if _, err := f.store.Take(ctx, id, f.vol2.ID); err != nil {
			t.Errorf("the one she let go is free: %v", err)
		}
	}, allMigrations...)
}

func TestANoAnswerPutsTheRequestBackUntilItHasHadItsAttempts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		f.store.MaxAttempts = 2
		id := f.missed(t, "+46701234567", "sv")
		if _, err := f.store.Take(ctx, id, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		step, dup, err := f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: campaign.NoAnswer, Attempt: 0}, f.log, "")
		if err != nil || step != Retry || dup {
			t.Fatalf("first no answer: %s %v %v", step, dup, err)
		}
		// A double tap records nothing more.
		step, dup, err = f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: campaign.NoAnswer, Attempt: 0}, f.log, "")
		if err != nil || !dup {
			t.Errorf("double tap: %s %v %v", step, dup, err)
		}
		c, _ := f.store.Callback(ctx, id)
		if c.Attempts != 1 || c.TakenBy != 0 || !c.DoneAt.IsZero() || c.LastOutcome != campaign.NoAnswer {
			t.Errorf("after one no answer = %+v", c)
		}
		// Not offered again before the retry gap.
		q, _ := f.store.Queue(ctx, f.vol2.ID, []int64{f.line}, f.vol2.Languages, nil, f.now())
		if len(q) != 0 {
			t.Errorf("offered again at once: %v", ids(q))
		}
		f.advance(DefaultRetryGap)
		q, _ = f.store.Queue(ctx, f.vol2.ID, []int64{f.line}, f.vol2.Languages, nil, f.now())
		if len(q) != 1 {
			t.Fatalf("not offered after the gap: %v", ids(q))
		}
		if _, err := f.store.Take(ctx, id, f.vol2.ID); err != nil {
			t.Fatal(err)
		}
		// An outcome for the attempt she did not take is refused.
		if _, _, err := f.store.RecordCallback(ctx, id, f.vol2, CallbackReport{Outcome: campaign.Busy, Attempt: 0}, f.log, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("a stale attempt: %v", err)
		}
		step, _, err = f.store.RecordCallback(ctx, id, f.vol2, CallbackReport{Outcome: campaign.Busy, Attempt: 1}, f.log, "")
		if err != nil || step != Close {
			t.Fatalf("the last attempt: %s %v", step, err)
		}
		c, _ = f.store.Callback(ctx, id)
		if c.DoneAt.IsZero() || c.Outcome != campaign.Busy || c.Attempts != 2 {
			t.Errorf("closed after its attempts = %+v", c)
		}
		open, _ := f.store.OpenCallbacks(ctx, f.line)
		if len(open) != 0 {
			t.Errorf("open = %v", open)
		}
	}, allMigrations...)
}

func TestAResidentWhoNeedsAnotherLanguageMovesToItsQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		id := f.missed(t, "+46701234567", "sv")
		if _, err := f.store.Take(ctx, id, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: campaign.OtherLanguage, OtherLanguage: "so"}, f.log, ""); !isProblem(err, "calls.error.other_language") {
			t.Errorf("a language the line does not offer: %v", err)
		}
		if _, _, err := f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: "maybe"}, f.log, ""); !isProblem(err, "calls.error.outcome") {
			t.Errorf("an unknown outcome: %v", err)
		}
		step, _, err := f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: campaign.OtherLanguage, OtherLanguage: "ti"}, f.log, "")
		if err != nil || step != Move {
			t.Fatalf("move: %s %v", step, err)
		}
		open, _ := f.store.OpenCallbacks(ctx, f.line)
		if open["ti"] != 1 || open["sv"] != 0 {
			t.Errorf("open = %v, want one in ti", open)
		}
		step, _, err = f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: campaign.Completed, Attempt: 1}, f.log, "")
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("an outcome after she let it go: %s %v", step, err)
		}
	}, allMigrations...)
}

// At its last attempt a request closes rather than moves, but the
// language she names is still one the line offers, or nothing is saved.
func TestTheLastAttemptNamesALanguageTheLineOffers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.store.MaxAttempts = 1
		ctx := context.Background()
		id := f.missed(t, "+46701234567", "sv")
		if _, err := f.store.Take(ctx, id, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: campaign.OtherLanguage, OtherLanguage: "xx"}, f.log, ""); !isProblem(err, "calls.error.other_language") {
			t.Errorf("a language the line does not offer, at the last attempt: %v", err)
		}
		if c, _ := f.store.Callback(ctx, id); c.Attempts != 0 || !c.DoneAt.IsZero() {
			t.Errorf("saved anyway: %+v", c)
		}
		step, _, err := f.store.RecordCallback(ctx, id, f.vol, CallbackReport{Outcome: campaign.OtherLanguage, OtherLanguage: "ti"}, f.log, "")
		if err != nil || step != Close {
			t.Fatalf("the last attempt: %s %v", step, err)
		}
		if c, _ := f.store.Callback(ctx, id); c.DoneAt.IsZero() || c.Lang != "sv" {
			t.Errorf("closed in its own queue = %+v", c)
		}
	}, allMigrations...)
}

func TestTheRetryRule(t *testing.T) {
	for _, c := range []struct {
		o        campaign.Outcome
		attempts int
		want     Step
	}{
		{campaign.Completed, 1, Close},
		{campaign.Declined, 1, Close},
		{campaign.WrongNumber, 1, Close},
		{campaign.DoNotCall, 1, Close},
		{campaign.NoAnswer, 1, Retry},
		{campaign.NoAnswer, 2, Retry},
		{campaign.NoAnswer, 3, Close},
		{campaign.Busy, 2, Retry},
		{campaign.Voicemail, 3, Close},
		{campaign.Callback, 1, Retry},
		{campaign.OtherLanguage, 1, Move},
		{campaign.OtherLanguage, 3, Close},
	} {
		if got := NextStep(c.o, c.attempts, 3); got != c.want {
			t.Errorf("NextStep(%s, %d, 3) = %s, want %s", c.o, c.attempts, got, c.want)
		}
	}
}
