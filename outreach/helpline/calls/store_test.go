package calls

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

func TestAProvidersRetryOfAnArrivingCallGetsTheSameCall(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		first, err := f.store.Arrive(ctx, f.line, "twilio", "CA123", "+46701234567", f.now())
		if err != nil {
			t.Fatal(err)
		}
		f.advance(2 * time.Second)
		again, err := f.store.Arrive(ctx, f.line, "twilio", "CA123", "+46701234567", f.now())
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != first.ID || !again.StartedAt.Equal(first.StartedAt) {
			t.Errorf("retry = %+v, want the first call %+v", again, first)
		}
		// The same id from another provider is another call.
		other, err := f.store.Arrive(ctx, f.line, "46elks", "CA123", "", f.now())
		if err != nil || other.ID == first.ID {
			t.Errorf("another provider's call = %+v, %v", other, err)
		}
		got, err := f.store.ByProvider(ctx, "twilio", "CA123")
		if err != nil || got.ID != first.ID || got.LineID != f.line || got.Provider != "twilio" || got.Outcome != "" || got.Lang != "" {
			t.Errorf("ByProvider = %+v, %v", got, err)
		}
		if _, err := f.store.ByProvider(ctx, "twilio", "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown call: %v, want ErrNotFound", err)
		}
		// Replayed against another line, it is not a retry.
		if _, err := f.store.Arrive(ctx, f.otherLine, "twilio", "CA123", "+46701234567", f.now()); !isProblem(err, "calls.error.other_line") {
			t.Errorf("the same call on another line: %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM helpline_calls`).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d calls stored (%v), want 2", n, err)
		}
	}, allMigrations...)
}

func TestTheCallersNumberIsStoredEncryptedAndABadOneIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c, err := f.store.Arrive(ctx, f.line, "46elks", "e1", "+46 70-123 45 67", f.now())
		if err != nil {
			t.Fatal(err)
		}
		var enc string
		if err := d.QueryRow(ctx, `SELECT caller_enc FROM helpline_calls WHERE id = $1`, c.ID).Scan(&enc); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(enc, "701234567") || !strings.HasPrefix(enc, "v1:") {
			t.Errorf("stored number %q is not encrypted", enc)
		}
		plain, err := f.store.Keys.DecryptString(enc, callerContext)
		if err != nil || plain != "+46701234567" {
			t.Errorf("decrypted %q, %v; want the number in E.164", plain, err)
		}
		for _, bad := range []string{"anonymous", "+4", "070123\x00", strings.Repeat("9", 60)} {
			if _, err := f.store.Arrive(ctx, f.line, "46elks", "bad-"+bad, bad, f.now()); !isProblem(err, "calls.error.caller") {
				t.Errorf("caller %q: %v, want calls.error.caller", bad, err)
			}
		}
		if _, err := f.store.Arrive(ctx, 987654, "46elks", "e2", "", f.now()); !errors.Is(err, ErrNotFound) {
			t.Errorf("a call to a line that does not exist: %v", err)
		}
		for _, p := range [][2]string{{"", "x"}, {"46elks", ""}, {"46elks", strings.Repeat("x", 201)}} {
			if _, err := f.store.Arrive(ctx, f.line, p[0], p[1], "", f.now()); !isProblem(err, "error.bad_request") {
				t.Errorf("provider %q id %q: %v", p[0], p[1], err)
			}
		}
	}, allMigrations...)
}

func TestTheLanguageChosenMustBeOneTheLineOffers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.arrive(t, "+46701234567", "")
		if err := f.store.ChooseLanguage(ctx, c.ID, "so"); !isProblem(err, "calls.error.language") {
			t.Errorf("a language the line does not offer: %v", err)
		}
		if err := f.store.ChooseLanguage(ctx, c.ID, "ar"); err != nil {
			t.Fatal(err)
		}
		if err := f.store.ChooseLanguage(ctx, c.ID, "ti"); err != nil {
			t.Fatalf("pressing again: %v", err)
		}
		if err := f.store.End(ctx, c.ID, HungUp, f.now()); err != nil {
			t.Fatal(err)
		}
		if err := f.store.ChooseLanguage(ctx, c.ID, "ti"); err != nil {
			t.Errorf("a retry after the end: %v", err)
		}
		if err := f.store.ChooseLanguage(ctx, c.ID, "sv"); !isProblem(err, "calls.error.ended") {
			t.Errorf("a change after the end: %v", err)
		}
		got, _ := f.store.Call(ctx, c.ID)
		if got.Lang != "ti" {
			t.Errorf("language %q, want ti", got.Lang)
		}
		if err := f.store.ChooseLanguage(ctx, 424242, "sv"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown call: %v", err)
		}
	}, allMigrations...)
}

func TestOfManyVolunteersAnsweringAtOnceExactlyOneWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.arrive(t, "+46701234567", "ar")
		people := []int64{f.vol.ID, f.vol2.ID, f.outsider.ID, f.coord.ID}
		const n = 24
		var wg sync.WaitGroup
		var mu sync.Mutex
		var won []int64
		var taken int
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				// Each goroutine is another person: there are only four, so
				// a person's own retry must not count as a second win.
				p := people[i%len(people)]
				err := f.store.Answer(ctx, c.ID, p, 0, f.now())
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won = append(won, p)
				case errors.Is(err, ErrTaken):
					taken++
				default:
					t.Errorf("answer: %v", err)
				}
			}(i)
		}
		close(start)
		wg.Wait()
		got, err := f.store.Call(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		winner := got.AnsweredBy
		if winner == 0 {
			t.Fatal("nobody answered")
		}
		for _, p := range won {
			if p != winner {
				t.Errorf("%d was told she answered, but %d did", p, winner)
			}
		}
		if len(won)+taken != n || taken < n-n/len(people) {
			t.Errorf("%d answers succeeded and %d were taken, want only the winner's own", len(won), taken)
		}
	}, allMigrations...)
}

func TestAnAnsweredCallEndsAsAnsweredWithTheConversationsDuration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.arrive(t, "+46701234567", "sv")
		f.advance(20 * time.Second)
		if err := f.store.Answer(ctx, c.ID, f.vol.ID, 0, f.now()); err != nil {
			t.Fatal(err)
		}
		f.advance(3*time.Minute + 500*time.Millisecond)
		// The provider says the caller hung up: it was answered all the same.
		if err := f.store.End(ctx, c.ID, HungUp, f.now()); err != nil {
			t.Fatal(err)
		}
		f.advance(time.Minute)
		if err := f.store.End(ctx, c.ID, NoAnswer, f.now()); err != nil {
			t.Fatalf("a second end: %v", err)
		}
		got, err := f.store.Call(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Answered || got.Duration != 3*time.Minute || got.AnsweredBy != f.vol.ID || got.EndedAt.IsZero() || got.Logged {
			t.Errorf("ended call = %+v", got)
		}
		if err := f.store.Answer(ctx, c.ID, f.vol2.ID, 0, f.now()); !errors.Is(err, ErrTaken) {
			t.Errorf("answering after the end: %v", err)
		}

		missed := f.arrive(t, "", "ar")
		f.advance(45 * time.Second)
		if err := f.store.End(ctx, missed.ID, Answered, f.now()); err != nil {
			t.Fatal(err)
		}
		got, _ = f.store.Call(ctx, missed.ID)
		if got.Outcome != NoAnswer || got.Duration != 45*time.Second || got.AnsweredBy != 0 {
			t.Errorf("a call nobody answered = %+v, want no_answer of 45s", got)
		}
		if err := f.store.Answer(ctx, missed.ID, f.vol.ID, 0, f.now()); !errors.Is(err, ErrTaken) {
			t.Errorf("answering a missed call after its end: %v", err)
		}
		if err := f.store.End(ctx, missed.ID, "gone", f.now()); !isProblem(err, "error.bad_request") {
			t.Errorf("an unknown outcome: %v", err)
		}
		if err := f.store.End(ctx, 424242, Closed, f.now()); !errors.Is(err, ErrNotFound) {
			t.Errorf("ending an unknown call: %v", err)
		}
	}, allMigrations...)
}

func TestACallbackRequestLandsOnceInItsLanguagesQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.arrive(t, "+46701234567", "ti")
		if err := f.store.End(ctx, c.ID, NoAnswer, f.now()); err != nil {
			t.Fatal(err)
		}
		id, err := f.store.RequestCallback(ctx, c.ID, f.now())
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.store.RequestCallback(ctx, c.ID, f.now())
		if err != nil || again != id {
			t.Errorf("a second request = %d, %v; want %d", again, err, id)
		}
		var line int64
		var lang, enc string
		if err := d.QueryRow(ctx, `SELECT helpline_id, lang, caller_enc FROM helpline_callbacks WHERE call_id = $1`, c.ID).Scan(&line, &lang, &enc); err != nil {
			t.Fatal(err)
		}
		if line != f.line || lang != "ti" || strings.Contains(enc, "701234567") {
			t.Errorf("request in line %d language %q number %q", line, lang, enc)
		}
		withheld := f.arrive(t, "", "ar")
		if _, err := f.store.RequestCallback(ctx, withheld.ID, f.now()); !errors.Is(err, ErrNoNumber) {
			t.Errorf("a withheld number: %v, want ErrNoNumber", err)
		}
		noLang := f.arrive(t, "+46701234568", "")
		if _, err := f.store.RequestCallback(ctx, noLang.ID, f.now()); !isProblem(err, "calls.error.no_language") {
			t.Errorf("no language chosen: %v", err)
		}
		if _, err := f.store.RequestCallback(ctx, 424242, f.now()); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown call: %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM helpline_callbacks`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d requests (%v), want 1", n, err)
		}
	}, allMigrations...)
}
