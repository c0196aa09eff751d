package notify

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

type fakeSMS struct{ sent []string }

func (f *fakeSMS) SendSMS(_ context.Context, to, message string) error {
	f.sent = append(f.sent, to+": "+message)
	return nil
}

// outboxRows lists the outbox as "person channel to" lines, in order.
func outboxRows(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT COALESCE(person_id, 0), channel, to_addr FROM outbox ORDER BY person_id, channel`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var ch, to string
		if err := rows.Scan(&id, &ch, &to); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join([]string{strconv.FormatInt(id, 10), ch, to}, " "))
	}
	return out
}

func TestEachPersonGetsTheAppAndTheChannelsSheChose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		as := auth.NewStore(d)
		org, _ := as.CreateOrg(ctx, "G", auth.PartnerGroup)
		mk := func(name, email, phone string) int64 {
			id, err := as.CreatePerson(ctx, auth.NewPerson{Name: name, Email: email, Phone: phone}, org.ID, auth.Volunteer, "")
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		// Ids 1..5, in order.
		byDefault := mk("A", "a@x.se", "+46701000001") // no choice: e-mail, no SMS
		both := mk("B", "b@x.se", "+46701000002")      // e-mail and SMS
		appOnly := mk("C", "c@x.se", "+46701000003")   // neither
		smsOnly := mk("D", "", "+46701000004")         // SMS, no address
		phoneDefault := mk("E", "", "+46701000005")    // no choice, no address: the app only
		clock := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		s := &Store{DB: d, Now: func() time.Time { return clock }}
		for id, c := range map[int64]Channels{both: {Email: true, SMS: true}, appOnly: {}, smsOnly: {SMS: true}} {
			if err := s.SetChannels(ctx, id, c); err != nil {
				t.Fatal(err)
			}
		}
		ids := []int64{byDefault, both, appOnly, smsOnly, phoneDefault}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			return Tell(ctx, tx, clock, translate, "https://m.test", "subject", ids,
				Message{Key: "question.notice.answered", Args: map[string]string{"Title": "Vaccin"}, Link: "/handbook/7"})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if n, _ := s.Unread(ctx, id); n != 1 {
				t.Errorf("person %d: %d notices in the app, want 1", id, n)
			}
		}
		got := strings.Join(outboxRows(t, d), "\n")
		want := strings.Join([]string{"1 email a@x.se", "2 email b@x.se", "2 sms +46701000002", "4 sms +46701000004"}, "\n")
		if got != want {
			t.Fatalf("outbox:\n%s\nwant:\n%s", got, want)
		}

		// Add (the older callers, who name the address) keeps e-mail from
		// whoever turned it off, and sends no SMS unless she chose it.
		if _, err := d.Exec(ctx, `DELETE FROM outbox`); err != nil {
			t.Fatal(err)
		}
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			return Add(ctx, tx, clock, translate, "", "subject", []Recipient{
				{PersonID: byDefault, Email: "a@x.se", Phone: "+46701000001"}, {PersonID: appOnly, Email: "c@x.se"}, {PersonID: both, Email: "b@x.se"},
			}, Message{Key: "k"})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(outboxRows(t, d), "\n"), "1 email a@x.se\n2 email b@x.se"; got != want {
			t.Fatalf("Add's outbox:\n%s\nwant:\n%s", got, want)
		}
	}, auth.Migrations, Migrations)
}

func TestTheOutboxSendsEachChannelOnlyWithItsSender(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		as := auth.NewStore(d)
		org, _ := as.CreateOrg(ctx, "G", auth.PartnerGroup)
		id, _ := as.CreatePerson(ctx, auth.NewPerson{Name: "A", Email: "a@x.se", Phone: "+46701000001"}, org.ID, auth.Volunteer, "")
		clock := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		now := func() time.Time { return clock }
		if err := (&Store{DB: d, Now: now}).SetChannels(ctx, id, Channels{Email: true, SMS: true}); err != nil {
			t.Fatal(err)
		}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			return Tell(ctx, tx, clock, translate, "https://m.test", "subject", []int64{id}, Message{Key: "k", Link: "/handbook/7"})
		})
		if err != nil {
			t.Fatal(err)
		}
		mail := &fakeSender{}
		o := &Outbox{DB: d, Sender: mail, Now: now}
		if n, err := o.SendDue(ctx, 10); n != 1 || err != nil {
			t.Fatalf("e-mail only: %d %v", n, err)
		}
		if len(mail.sent) != 1 {
			t.Fatalf("e-mail sent: %v", mail.sent)
		}
		// With no SMS sender the SMS waited; now one is configured.
		sms := &fakeSMS{}
		o = &Outbox{DB: d, SMS: sms, Now: now}
		if n, err := o.SendDue(ctx, 10); n != 1 || err != nil {
			t.Fatalf("SMS: %d %v", n, err)
		}
		if len(sms.sent) != 1 || !strings.HasPrefix(sms.sent[0], "+46701000001: ") || !strings.HasSuffix(sms.sent[0], " https://m.test/handbook/7") {
			t.Fatalf("SMS sent (to her phone, with the link): %v", sms.sent)
		}
		if n, _ := o.SendDue(ctx, 10); n != 0 {
			t.Fatal("sent twice")
		}
	}, auth.Migrations, Migrations)
}

func TestElksPostsTheMessageWithTheAccount(t *testing.T) {
	var got url.Values
	var user, pass string
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ = r.BasicAuth()
		b, _ := io.ReadAll(r.Body)
		got, _ = url.ParseQuery(string(b))
		w.WriteHeader(status)
		io.WriteString(w, `{"status": "created"}`)
	}))
	defer srv.Close()
	e := Elks{User: "u123", Password: "secret", From: "Megafon", URL: srv.URL}
	if err := e.SendSMS(context.Background(), "+46701234567", "Nytt svar: vaccin"); err != nil {
		t.Fatal(err)
	}
	if user != "u123" || pass != "secret" || got.Get("from") != "Megafon" || got.Get("to") != "+46701234567" || got.Get("message") != "Nytt svar: vaccin" {
		t.Fatalf("46elks got %s:%s %v", user, pass, got)
	}
	status = http.StatusUnauthorized
	err := e.SendSMS(context.Background(), "+46701234567", "x")
	if err == nil || strings.Contains(err.Error(), "+46701234567") {
		t.Fatalf("refused: %v", err)
	}
	if errors.Is(err, ErrNoSender) {
		t.Fatal("wrong error")
	}
}
