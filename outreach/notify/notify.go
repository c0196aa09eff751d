// Package notify tells people in the app that something concerns them, and
// sends the same by e-mail or SMS, as each of them chose, through an
// outbox when a mail server or an SMS account is configured. Other modules
// add notifications inside their own transaction, so a change and its
// notices are saved together.
package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/platform/db"
)

// Recipient is a person to notify.
type Recipient struct {
	PersonID int64
	Email    string // empty: no e-mail
	Phone    string // E.164; empty: no SMS (Tell fills it where she chose SMS)
	Lang     string // interface language, for the e-mail and SMS
}

// Message is a notice: a translation key with its arguments, and a link.
type Message struct {
	Key  string
	Args map[string]string
	Link string
}

// Translator writes a message in a language (the app's catalogue).
type Translator func(lang, key string, args ...any) string

func (m Message) argList() []any {
	out := make([]any, 0, 2*len(m.Args))
	for k, v := range m.Args {
		out = append(out, k, v)
	}
	return out
}

// Text returns the message in lang.
func (m Message) Text(t Translator, lang string) string { return t(lang, m.Key, m.argList()...) }

// Add stores the notification for every recipient and queues an e-mail for
// those with an address who have not turned e-mail off (Channels), in tx.
// subjectKey is the e-mail's subject; baseURL makes the link absolute.
func Add(ctx context.Context, tx *sql.Tx, now time.Time, t Translator, baseURL, subjectKey string, to []Recipient, m Message) error {
	ids := make([]int64, len(to))
	for i, r := range to {
		ids[i] = r.PersonID
	}
	chosen, err := channelsOf(ctx, tx, ids)
	if err != nil {
		return err
	}
	to = slices.Clone(to) // the caller's list stays as it was
	for i := range to {
		c, ok := chosen[to[i].PersonID]
		if ok && !c.Email {
			to[i].Email = ""
		}
		if !c.SMS {
			to[i].Phone = ""
		}
	}
	return deliver(ctx, tx, now, t, baseURL, subjectKey, to, m)
}

// Tell notifies the people in the app and by the channels each of them
// chose (Channels: e-mail by default when she has an address, SMS when she
// asked for it and has a phone), in tx. Their addresses and languages are
// read from their accounts, so that no caller forgets a channel.
func Tell(ctx context.Context, tx *sql.Tx, now time.Time, t Translator, baseURL, subjectKey string, personIDs []int64, m Message) error {
	if len(personIDs) == 0 {
		return nil
	}
	args := make([]any, len(personIDs))
	marks := make([]string, len(personIDs))
	for i, id := range personIDs {
		args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, COALESCE(p.email, ''), COALESCE(p.phone, ''), p.ui_lang, c.email, c.sms
		FROM people p LEFT JOIN notification_channels c ON c.person_id = p.id
		WHERE p.id IN (`+strings.Join(marks, ", ")+`) ORDER BY p.id`, args...)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	var to []Recipient
	for rows.Next() {
		var r Recipient
		var email, sms sql.NullBool
		if err := rows.Scan(&r.PersonID, &r.Email, &r.Phone, &r.Lang, &email, &sms); err != nil {
			rows.Close()
			return fmt.Errorf("notify: %w", err)
		}
		c := DefaultChannels(r.Email)
		if email.Valid {
			c = Channels{Email: email.Bool, SMS: sms.Bool, Chosen: true}
		}
		if !c.Email {
			r.Email = ""
		}
		if !c.SMS {
			r.Phone = ""
		}
		to = append(to, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return deliver(ctx, tx, now, t, baseURL, subjectKey, to, m)
}

// maxSMSRunes bounds an SMS's text before its link: three SMS parts in
// Arabic script (UCS-2, 67 characters a part) with room for the link.
const maxSMSRunes = 160

// deliver stores the notices and queues each recipient's e-mail (to
// Email) and SMS (to Phone), those that are set.
func deliver(ctx context.Context, tx *sql.Tx, now time.Time, t Translator, baseURL, subjectKey string, to []Recipient, m Message) error {
	args, err := json.Marshal(m.Args)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	now = db.Now(now)
	for _, r := range to {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (person_id, msg_key, args, link, created_at) VALUES ($1, $2, $3, $4, $5)`,
			r.PersonID, m.Key, string(args), m.Link, now); err != nil {
			return fmt.Errorf("notify person %d: %w", r.PersonID, err)
		}
		link := ""
		if m.Link != "" {
			link = baseURL + m.Link
		}
		if r.Email != "" {
			body := m.Text(t, r.Lang)
			if link != "" {
				body += "\n\n" + link
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (person_id, channel, to_addr, subject, body, created_at, next_attempt_at)
				VALUES ($1, 'email', $2, $3, $4, $5, $5)`,
				r.PersonID, r.Email, SubjectLine(t(r.Lang, subjectKey, m.argList()...)), body, now); err != nil {
				return fmt.Errorf("queue e-mail to person %d: %w", r.PersonID, err)
			}
		}
		if r.Phone != "" {
			body := SubjectLine(m.Text(t, r.Lang))
			if rs := []rune(body); len(rs) > maxSMSRunes {
				body = string(rs[:maxSMSRunes-1]) + "…"
			}
			if link != "" {
				body += " " + link
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (person_id, channel, to_addr, subject, body, created_at, next_attempt_at)
				VALUES ($1, 'sms', $2, '', $3, $4, $4)`, r.PersonID, r.Phone, body, now); err != nil {
				return fmt.Errorf("queue SMS to person %d: %w", r.PersonID, err)
			}
		}
	}
	return nil
}

// Notification is a stored notice.
type Notification struct {
	ID        int64
	Message   Message
	CreatedAt time.Time
	Read      bool
}

// Store reads people's notifications.
type Store struct {
	DB  *db.DB
	Now func() time.Time
}

// List returns the person's newest notifications.
func (s *Store) List(ctx context.Context, personID int64, limit int) ([]Notification, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, msg_key, args, link, created_at, read_at IS NOT NULL FROM notifications
		WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, personID, limit)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var args string
		if err := rows.Scan(&n.ID, &n.Message.Key, &args, &n.Message.Link, &n.CreatedAt, &n.Read); err != nil {
			return nil, fmt.Errorf("notifications: %w", err)
		}
		if err := json.Unmarshal([]byte(args), &n.Message.Args); err != nil {
			return nil, fmt.Errorf("notification %d: %w", n.ID, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Unread counts the person's unread notifications.
func (s *Store) Unread(ctx context.Context, personID int64) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL`, personID).Scan(&n)
	return n, err
}

// MarkAllRead marks every notification of the person read.
func (s *Store) MarkAllRead(ctx context.Context, personID int64) error {
	_, err := s.DB.Exec(ctx, `UPDATE notifications SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL`, db.Now(s.Now()), personID)
	return err
}

// ErrNoSender means no mail server is configured; mail stays queued.
var ErrNoSender = errors.New("no mail server configured")
