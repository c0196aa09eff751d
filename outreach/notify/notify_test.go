package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

type fakeSender struct {
	fail int // fail this many sends first
	sent []string
}

func (f *fakeSender) Send(_ context.Context, to, subject, body string) error {
	if f.fail > 0 {
		f.fail--
		return errors.New("connection refused")
	}
	f.sent = append(f.sent, to+": "+subject)
	return nil
}

func translate(lang, key string, args ...any) string { return fmt.Sprint(lang, ":", key, args) }

func TestANoticeReachesTheAppAndTheOutboxWhichRetriesUntilSent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		as := auth.NewStore(d)
		org, _ := as.CreateOrg(ctx, "G", auth.PartnerGroup)
		withMail, _ := as.CreatePerson(ctx, auth.NewPerson{Name: "A", Email: "a@x.se"}, org.ID, auth.GroupLead, "")
		phoneOnly, _ := as.CreatePerson(ctx, auth.NewPerson{Name: "B", Phone: "+46701234567"}, org.ID, auth.Volunteer, "")
		clock := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		now := func() time.Time { return clock }
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			return Add(ctx, tx, clock, translate, "https://m.test", "subject", []Recipient{
				{PersonID: withMail, Email: "a@x.se", Lang: "en"}, {PersonID: phoneOnly, Lang: "sv"},
			}, Message{Key: "operation.notice.level", Args: map[string]string{"Name": "Covid"}, Link: "/operations/1"})
		})
		if err != nil {
			t.Fatal(err)
		}
		s := &Store{DB: d, Now: now}
		for _, id := range []int64{withMail, phoneOnly} {
			if n, _ := s.Unread(ctx, id); n != 1 {
				t.Fatalf("person %d: %d unread", id, n)
			}
		}
		ns, _ := s.List(ctx, phoneOnly, 10)
		if len(ns) != 1 || ns[0].Message.Args["Name"] != "Covid" || ns[0].Message.Link != "/operations/1" {
			t.Fatalf("list: %+v", ns)
		}
		s.MarkAllRead(ctx, phoneOnly)
		if n, _ := s.Unread(ctx, phoneOnly); n != 0 {
			t.Fatal("still unread")
		}

		o := &Outbox{DB: d, Now: now}
		if _, err := o.SendDue(ctx, 10); !errors.Is(err, ErrNoSender) {
			t.Fatalf("without a mail server: %v", err)
		}
		f := &fakeSender{fail: 1}
		o.Sender = f
		if n, err := o.SendDue(ctx, 10); n != 0 || err != nil {
			t.Fatalf("first attempt: %d %v", n, err)
		}
		if n, _ := o.SendDue(ctx, 10); n != 0 {
			t.Fatal("retried before its time")
		}
		clock = clock.Add(RetryAfter(1))
		if n, err := o.SendDue(ctx, 10); n != 1 || err != nil {
			t.Fatalf("retry: %d %v", n, err)
		}
		if len(f.sent) != 1 || f.sent[0] != "a@x.se: en:subject[Name Covid]" {
			t.Fatalf("sent: %v", f.sent)
		}
		if n, _ := o.SendDue(ctx, 10); n != 0 {
			t.Fatal("sent twice")
		}
	}, auth.Migrations, Migrations)
}

func TestRetryAfterGrowsAndIsBounded(t *testing.T) {
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{0, time.Minute}, {1, time.Minute}, {2, 2 * time.Minute}, {4, 8 * time.Minute}, {11, 12 * time.Hour}, {50, 12 * time.Hour}} {
		if got := RetryAfter(c.n); got != c.want {
			t.Errorf("RetryAfter(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}
