package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"megafon/platform/db"
)

// SessionStore keeps scs sessions in the database, on either backend, so
// that every megafon process sharing the database knows every session.
// Rows are keyed by the SHA-256 of the token, never the token itself: a
// token read from a backup or a leaked dump is not a cookie.
type SessionStore struct {
	DB  *db.DB
	Now func() time.Time
}

// Find returns the data of an unexpired session.
func (s SessionStore) Find(token string) ([]byte, bool, error) {
	var b []byte
	err := s.DB.QueryRow(context.Background(), `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, sessionKey(token), db.Now(s.Now())).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// Commit saves a session's data and expiry.
func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	_, err := s.DB.Exec(context.Background(), `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, sessionKey(token), b, db.Now(expiry))
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// Delete removes a session.
func (s SessionStore) Delete(token string) error {
	_, err := s.DB.Exec(context.Background(), `DELETE FROM sessions WHERE token = $1`, sessionKey(token))
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// sessionKey is what the sessions table stores of a token. The token is
// 32 random bytes, so a plain hash is enough: there is nothing to guess.
func sessionKey(token string) string { return hashToken(token) }

// DeleteExpired removes sessions past their expiry; run now and then.
func (s SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM sessions WHERE expiry <= $1`, db.Now(s.Now()))
	return err
}
