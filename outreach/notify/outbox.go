package notify

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strings"
	"time"
	"unicode"

	"megafon/platform/db"
	"megafon/platform/input"
)

// Sender delivers one e-mail.
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SMTP sends e-mail through a mail server.
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string // empty: no authentication
	Password string
}

// Send sends one plain-text message in UTF-8.
func (s SMTP) Send(ctx context.Context, to, subject, body string) error {
	msg, err := s.message(to, subject, body)
	if err != nil {
		return err
	}
	var auth smtp.Auth
	if s.Username != "" {
		host, _, _ := net.SplitHostPort(s.Addr)
		auth = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	return smtp.SendMail(s.Addr, auth, s.From, []string{to}, msg)
}

// message writes the e-mail. The subject is made one line and encoded
// (RFC 2047, Q), so no text of a name or a title can end the header or
// add one. An address with a line break is refused: it is not an address.
func (s SMTP) message(to, subject, body string) ([]byte, error) {
	if strings.ContainsAny(to, "\r\n") || strings.ContainsAny(s.From, "\r\n") {
		return nil, fmt.Errorf("send mail: address with a line break")
	}
	msg := "From: " + s.From + "\r\nTo: " + to + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", SubjectLine(subject)) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	return []byte(msg), nil
}

// SubjectLine makes s fit a header: every control character (line
// breaks, tabs) and bidirectional control becomes a space, runs of spaces
// become one, and it is cut to 200 characters. An operation named before
// names were checked, with a line break in it, once made every e-mail
// about it fail for good.
func SubjectLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || input.IsBidiControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxSubjectRunes {
		s = string(r[:maxSubjectRunes])
	}
	return s
}

// maxSubjectRunes bounds a subject; mail clients show far less.
const maxSubjectRunes = 200

// MaxAttempts is how often the outbox tries a message before giving up on
// it (about a day and a half with RetryAfter).
const MaxAttempts = 8

// RetryAfter is the pause after the nth failed attempt: 1, 2, 4 ... minutes,
// at most 12 hours.
func RetryAfter(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	d := time.Minute << min(attempts-1, 10)
	return min(d, 12*time.Hour)
}

// Outbox sends queued e-mail and SMS. A channel without a sender stays
// queued until one is configured.
type Outbox struct {
	DB     *db.DB
	Sender Sender    // e-mail; nil: e-mail stays queued
	SMS    SMSSender // nil: SMS stay queued
	Now    func() time.Time
}

// SendDue sends up to limit messages that are due, on the channels that
// have a sender, and reports how many were sent. A failure is recorded on
// the message and retried later; a message that failed MaxAttempts times
// is marked failed.
func (o *Outbox) SendDue(ctx context.Context, limit int) (int, error) {
	var channels []string
	if o.Sender != nil {
		channels = append(channels, "'"+string(Email)+"'")
	}
	if o.SMS != nil {
		channels = append(channels, "'"+string(SMS)+"'")
	}
	if len(channels) == 0 {
		return 0, ErrNoSender
	}
	now := db.Now(o.Now())
	// The channels are the constants above, safe to inline.
	rows, err := o.DB.Query(ctx, `SELECT id, channel, to_addr, subject, body, attempts FROM outbox
		WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 AND channel IN (`+strings.Join(channels, ", ")+`)
		ORDER BY next_attempt_at, id LIMIT $2`, now, limit)
	if err != nil {
		return 0, fmt.Errorf("outbox: %w", err)
	}
	type mail struct {
		id                int64
		channel           Channel
		to, subject, body string
		attempts          int
	}
	var due []mail
	for rows.Next() {
		var m mail
		if err := rows.Scan(&m.id, &m.channel, &m.to, &m.subject, &m.body, &m.attempts); err != nil {
			rows.Close()
			return 0, fmt.Errorf("outbox: %w", err)
		}
		due = append(due, m)
	}
	rows.Close()
	sent := 0
	for _, m := range due {
		var err error
		if m.channel == SMS {
			err = o.SMS.SendSMS(ctx, m.to, m.body)
		} else {
			err = o.Sender.Send(ctx, m.to, m.subject, m.body)
		}
		if err != nil {
			n := m.attempts + 1
			var failed any
			if n >= MaxAttempts {
				failed = now
			}
			if _, uerr := o.DB.Exec(ctx, `UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3, failed_at = $4 WHERE id = $5`,
				n, now.Add(RetryAfter(n)), truncate(err.Error(), 500), failed, m.id); uerr != nil {
				return sent, fmt.Errorf("outbox: %w", uerr)
			}
			continue
		}
		if _, err := o.DB.Exec(ctx, `UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2`, now, m.id); err != nil {
			return sent, fmt.Errorf("outbox: %w", err)
		}
		sent++
	}
	return sent, nil
}

// Run sends due mail every interval until ctx ends.
func (o *Outbox) Run(ctx context.Context, interval time.Duration, onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := o.SendDue(ctx, 50); err != nil && onError != nil {
			onError(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
