package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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

func TestAnEntryKeepsABoundedLengthOfEachField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := &audit.Log{DB: d, Now: time.Now}
		huge := strings.Repeat("å", 1<<20)
		if err := l.Record(ctx, audit.Entry{Action: audit.SignInFailed, ActorName: huge, Subject: "login:" + huge, Detail: huge, Addr: huge}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT LENGTH(actor_name) + LENGTH(subject) + LENGTH(detail) + LENGTH(ip) FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > audit.MaxName+audit.MaxSubject+audit.MaxDetail+audit.MaxAddr {
			t.Fatalf("a megabyte entry kept %d characters", n)
		}
		e, _ := l.List(ctx, audit.Filter{})
		if !utf8.ValidString(e[0].Subject) || !strings.HasPrefix(e[0].Subject, "login:åå") {
			t.Fatalf("the cut is not at a character boundary: %q", e[0].Subject[:20])
		}
	}, auth.Migrations)
}

func TestAnEntryRecordedInATransactionGoesWithIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := &audit.Log{DB: d, Now: time.Now}
		rolledBack := errors.New("the change failed")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := l.RecordTx(ctx, tx, audit.Entry{Action: "translation_import", Detail: "lost"}); err != nil {
				return err
			}
			return rolledBack
		})
		if !errors.Is(err, rolledBack) {
			t.Fatalf("Tx = %v", err)
		}
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			return l.RecordTx(ctx, tx, audit.Entry{Action: "translation_import", Detail: "kept"})
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.List(ctx, audit.Filter{})
		if err != nil || len(got) != 1 || got[0].Detail != "kept" {
			t.Fatalf("entries = %+v, %v; want only the committed one", got, err)
		}
	}, auth.Migrations)
}
