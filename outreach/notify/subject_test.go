package notify

import (
	"bytes"
	"context"
	"database/sql"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

// messageSender builds each e-mail as SMTP.Send would and reads it back
// as a mail client does.
type messageSender struct {
	t        *testing.T
	subjects []string
}

func (m *messageSender) Send(_ context.Context, to, subject, body string) error {
	raw, err := SMTP{From: "megafon@city.test"}.message(to, subject, body)
	if err != nil {
		return err
	}
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			m.t.Errorf("a raw line break inside a header: %q", line)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	if len(msg.Header["Bcc"]) > 0 {
		m.t.Errorf("a subject added a header: %v", msg.Header)
	}
	dec, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	m.subjects = append(m.subjects, dec)
	return nil
}

func TestANameWithALineBreakCannotPoisonTheOutbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		as := auth.NewStore(d)
		org, _ := as.CreateOrg(ctx, "G", auth.PartnerGroup)
		lead, _ := as.CreatePerson(ctx, auth.NewPerson{Name: "A", Email: "a@x.se"}, org.ID, auth.GroupLead, "")
		clock := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		// A new notice about an operation named before names were checked.
		subject := func(lang, key string, args ...any) string { return "Nivån för Covid\r\nBcc: all@city.test ändrad" }
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			return Add(ctx, tx, clock, subject, "https://m.test", "subject", []Recipient{{PersonID: lead, Email: "a@x.se", Lang: "sv"}},
				Message{Key: "k"})
		}); err != nil {
			t.Fatal(err)
		}
		var stored string
		d.QueryRow(ctx, `SELECT subject FROM outbox`).Scan(&stored)
		if stored != "Nivån för Covid Bcc: all@city.test ändrad" {
			t.Errorf("queued subject %q", stored)
		}
		// A message queued before this fix, with the line break in it.
		if _, err := d.Exec(ctx, `INSERT INTO outbox (person_id, to_addr, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)`,
			lead, "a@x.se", "Covid\nvecka 2\u202e", "text", db.Now(clock)); err != nil {
			t.Fatal(err)
		}
		f := &messageSender{t: t}
		o := &Outbox{DB: d, Sender: f, Now: func() time.Time { return clock }}
		if n, err := o.SendDue(ctx, 10); n != 2 || err != nil {
			t.Fatalf("sent %d: %v", n, err)
		}
		if strings.Join(f.subjects, "|") != "Nivån för Covid Bcc: all@city.test ändrad|Covid vecka 2" {
			t.Errorf("subjects as read: %q", f.subjects)
		}
	}, auth.Migrations, Migrations)
}

func TestSubjectLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"a\r\nb\tc\x00d  e":      "a b c d e",
		"Nivå 3 \u202e1177":      "Nivå 3 1177",
		strings.Repeat("å", 300): strings.Repeat("å", 200),
		"bad \xff utf-8":         "bad \uFFFD utf-8",
	} {
		if got := SubjectLine(in); got != want {
			t.Errorf("SubjectLine(%q) = %q, want %q", in, got, want)
		}
	}
}
