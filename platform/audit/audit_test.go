package audit_test

import (
	"context"
	"testing"
	"time"

	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

func TestTheLogIsFilteredNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		l := &audit.Log{DB: d, Now: func() time.Time { return now }}
		for i, e := range []audit.Entry{
			{Action: audit.SignIn, ActorName: "Sara", Addr: "192.0.2.1"},
			{Action: audit.ViewPersonal, ActorName: "Amina", Subject: "contact:7"},
			{Action: audit.SignInFailed, Detail: "sara@example.se"},
			{Action: audit.ViewPersonal, ActorName: "Amina", Subject: "contact:8"},
		} {
			now = now.Add(time.Duration(i) * time.Hour)
			if err := l.Record(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		all, err := l.List(ctx, audit.Filter{})
		if err != nil || len(all) != 4 || all[0].Subject != "contact:8" {
			t.Fatalf("List() = %+v, %v", all, err)
		}
		views, _ := l.List(ctx, audit.Filter{Action: audit.ViewPersonal, Subject: "contact:"})
		if len(views) != 2 {
			t.Fatalf("views of contacts = %d, want 2", len(views))
		}
		late, _ := l.List(ctx, audit.Filter{From: time.Date(2021, 3, 1, 11, 0, 0, 0, time.UTC)})
		if len(late) != 2 {
			t.Fatalf("entries from 11:00 = %d, want 2", len(late))
		}
		page, _ := l.List(ctx, audit.Filter{Before: all[1].ID, Limit: 10})
		if len(page) != 2 {
			t.Fatalf("entries before the second = %d, want 2", len(page))
		}
		actions, _ := l.Actions(ctx)
		if len(actions) != 3 {
			t.Fatalf("actions = %v", actions)
		}
	}, auth.Migrations)
}
