package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"megafon/platform/problem"
)

// Throttle says how many failed sign-ins are allowed within Window, per
// account and per network address, before sign-in is refused until the
// window has passed. It is kept in the database, so it holds across
// several megafon processes.
type Throttle struct {
	Window     time.Duration
	PerAccount int
	PerAddress int
}

// DefaultThrottle allows 5 failures per account and 30 per address in 15 minutes.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 30}

// ErrThrottled is the problem of too many failed sign-ins.
var ErrThrottled = problem.New(problem.TooMany, "signin.throttled")

// errBadCredentials says nothing about which of login or secret was wrong.
var errBadCredentials = problem.New(problem.Invalid, "signin.bad_credentials")

// Authenticate signs a person in by e-mail or phone and her password or
// passcode. Failures are counted per account and per address; past the
// limits it refuses without checking the secret.
func (s *Store) Authenticate(ctx context.Context, login, secret, addr string, th Throttle) (*User, error) {
	login = strings.TrimSpace(login)
	key := strings.ToLower(login)
	if e, err := NormalizeEmail(login); err == nil {
		key = e
	} else if p, err := NormalizePhone(login); err == nil {
		key = p
	}
	accountKey, addrKey := "account:"+key, "addr:"+addr
	since := s.now().Add(-th.Window)
	for _, lim := range []struct {
		key string
		max int
	}{{accountKey, th.PerAccount}, {addrKey, th.PerAddress}} {
		n, err := s.failures(ctx, lim.key, since)
		if err != nil {
			return nil, err
		}
		if n >= lim.max {
			return nil, ErrThrottled
		}
	}

	var id int64
	var hash string
	err := s.DB.QueryRow(ctx, `SELECT id, secret_hash FROM people WHERE (email = $1 OR phone = $1) AND disabled_at IS NULL`, key).Scan(&id, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if hash == "" {
		// Spend the same time as a real check, so that timing does not
		// tell which accounts exist.
		hash = dummyHash()
	}
	if !VerifySecret(hash, secret) || id == 0 {
		if err := s.recordFailure(ctx, accountKey, addrKey); err != nil {
			return nil, err
		}
		return nil, errBadCredentials
	}
	if _, err := s.DB.Exec(ctx, `DELETE FROM signin_failures WHERE key = $1`, accountKey); err != nil {
		return nil, fmt.Errorf("sign in: clear failures: %w", err)
	}
	return s.User(ctx, id)
}

// dummyHash is made on first use, not at start, to keep start-up quick.
var dummyHash = sync.OnceValue(func() string { return DefaultArgon2.Hash("no such account") })

func (s *Store) failures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM signin_failures WHERE key = $1 AND at > $2`, key, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sign-in failures: %w", err)
	}
	return n, nil
}

func (s *Store) recordFailure(ctx context.Context, keys ...string) error {
	now := s.now()
	for _, k := range keys {
		if _, err := s.DB.Exec(ctx, `INSERT INTO signin_failures (key, at) VALUES ($1, $2)`, k, now); err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
	}
	return nil
}

// ForgetOldFailures removes failures older than a day; run now and then.
func (s *Store) ForgetOldFailures(ctx context.Context) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM signin_failures WHERE at < $1`, s.now().Add(-24*time.Hour))
	return err
}
