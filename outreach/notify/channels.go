package notify

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"megafon/platform/db"
	"megafon/platform/problem"
)

// Channel is a way a notice leaves the app.
type Channel string

// The channels of the outbox.
const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Channels is a person's choice of how notices reach her besides the app,
// where they always are.
type Channels struct {
	Email  bool
	SMS    bool
	Chosen bool // she chose; otherwise this is DefaultChannels
}

// DefaultChannels is the choice of someone who has not made one: e-mail
// when she has an address, no SMS (a text costs the city money and wakes
// a phone, so she asks for it).
func DefaultChannels(email string) Channels { return Channels{Email: email != ""} }

// Check refuses a channel the person cannot be reached by: e-mail without
// an address, SMS without a phone number.
func (c Channels) Check(email, phone string) error {
	var l problem.List
	if c.Email && email == "" {
		l.Add("email", "notify.error.no_email")
	}
	if c.SMS && phone == "" {
		l.Add("sms", "notify.error.no_phone")
	}
	return l.Err()
}

// channelsOf returns the choices made by the people, by person; those
// without a row have made none.
func channelsOf(ctx context.Context, tx *sql.Tx, ids []int64) (map[int64]Channels, error) {
	out := map[int64]Channels{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
	}
	rows, err := tx.QueryContext(ctx, `SELECT person_id, email, sms FROM notification_channels WHERE person_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("notification channels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		c := Channels{Chosen: true}
		if err := rows.Scan(&id, &c.Email, &c.SMS); err != nil {
			return nil, fmt.Errorf("notification channels: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// Channels returns the person's choice, or the default for her address.
func (s *Store) Channels(ctx context.Context, personID int64, email string) (Channels, error) {
	c := Channels{Chosen: true}
	err := s.DB.QueryRow(ctx, `SELECT email, sms FROM notification_channels WHERE person_id = $1`, personID).Scan(&c.Email, &c.SMS)
	if err == sql.ErrNoRows {
		return DefaultChannels(email), nil
	}
	if err != nil {
		return c, fmt.Errorf("channels of person %d: %w", personID, err)
	}
	return c, nil
}

// SetChannels saves the person's choice.
func (s *Store) SetChannels(ctx context.Context, personID int64, c Channels) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO notification_channels (person_id, email, sms, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (person_id) DO UPDATE SET email = excluded.email, sms = excluded.sms, updated_at = excluded.updated_at`,
		personID, c.Email, c.SMS, db.Now(s.Now()))
	if err != nil {
		return fmt.Errorf("set channels of person %d: %w", personID, err)
	}
	return nil
}
