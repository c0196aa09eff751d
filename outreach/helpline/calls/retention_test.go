package calls

import (
	"context"
	"testing"
	"time"

	"megafon/outreach/campaign"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

func TestCallersNumbersAreDeletedOnceNoLongerNeeded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		open := f.missed(t, "+46701234501", "sv")
		done := f.missed(t, "+46701234502", "sv")
		if _, err := f.store.Take(ctx, done, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.store.RecordCallback(ctx, done, f.vol, CallbackReport{Outcome: campaign.Completed}, nil, ""); err != nil {
			t.Fatal(err)
		}
		if n, err := f.store.DeleteExpiredNumbers(ctx); err != nil || n != 0 {
			t.Fatalf("at once: %d deleted, %v", n, err)
		}
		f.advance(CallbackNumberRetention + time.Minute)
		n, err := f.store.DeleteExpiredNumbers(ctx)
		if err != nil || n != 3 {
			t.Errorf("%d numbers deleted (%v), want both calls' and the done request's", n, err)
		}
		if _, err := f.store.Take(ctx, open, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := f.store.RevealNumber(ctx, open, f.vol, f.log, ""); err != nil || got != "+46701234501" {
			t.Errorf("the open request's number: %q, %v", got, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM helpline_calls`); n != 2 {
			t.Errorf("the calls went with their numbers: %d left", n)
		}
	}, allMigrations...)
}

func TestANewKeyEncryptsTheNumbersAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		id := f.missed(t, "+46701234501", "ar")
		next, err := f.store.Keys.WithNewKey()
		if err != nil {
			t.Fatal(err)
		}
		f.store.Keys = next
		n, err := f.store.Reencrypt(ctx)
		if err != nil || n != 2 {
			t.Fatalf("re-encrypted %d (%v), want the call's and the request's", n, err)
		}
		if n, _ := f.store.Reencrypt(ctx); n != 0 {
			t.Errorf("a second run changed %d", n)
		}
		if _, err := f.store.Take(ctx, id, f.vol.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := f.store.RevealNumber(ctx, id, f.vol, f.log, ""); err != nil || got != "+46701234501" {
			t.Errorf("after the new key: %q, %v", got, err)
		}
	}, allMigrations...)
}
