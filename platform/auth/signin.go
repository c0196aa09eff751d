package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"megafon/platform/db"
	"megafon/platform/problem"
)

// Throttle says how many failed sign-ins are allowed per account and per
// network address before the account or address is locked out. Failures
// are forgotten after Window; a lockout lasts Lockout, doubling with each
// lockout in a row up to MaxLockout, so that a mistyping volunteer waits a
// minute while a guesser gets a few guesses an hour. It is kept in the
// database, so it holds across several megafon processes.
type Throttle struct {
	Window     time.Duration
	PerAccount int
	PerAddress int
	Lockout    time.Duration // the first lockout; Window when zero
	MaxLockout time.Duration // the longest lockout; a day when zero
}

// DefaultThrottle allows 5 failures per account and 30 per address, then
// locks for 1, 2, 4 ... minutes, at most an hour.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 30, Lockout: time.Minute, MaxLockout: time.Hour}

// lockout is how long the n+1th lockout in a row lasts.
func (th Throttle) lockout(n int) time.Duration {
	d, max := th.Lockout, th.MaxLockout
	if d <= 0 {
		d = th.Window
	}
	if max <= 0 {
		max = 24 * time.Hour
	}
	for ; n > 0 && d < max; n-- {
		d *= 2
	}
	return min(d, max)
}

// Length limits of what sign-in reads, checked before any work: an e-mail
// address is at most 254 characters (RFC 5321), and argon2 on a huge
// password is work too.
const (
	MaxLoginLength        = 254
	MaxSignInSecretLength = 1024
)

// HashesAtOnce bounds the argon2 computations of one process: each takes
// 19 MiB, and a burst of sign-ins must not take the server's memory.
const HashesAtOnce = 4

// ErrThrottled is the problem of too many failed sign-ins.
var ErrThrottled = problem.New(problem.TooMany, "signin.throttled")

// ErrLockedOut is wrapped with the failure that locked an account or
// address out, so that the lockout is audited once rather than every
// refused attempt.
var ErrLockedOut = errors.New("sign-in locked out")

// errBadCredentials says nothing about which of login or secret was wrong.
var errBadCredentials = problem.New(problem.Invalid, "signin.bad_credentials")

// LoginKey is the normalised form of what someone typed as her login.
func LoginKey(login string) string {
	login = strings.TrimSpace(login)
	if e, err := NormalizeEmail(login); err == nil {
		return e
	}
	if p, err := NormalizePhone(login); err == nil {
		return p
	}
	return strings.ToLower(login)
}

// Authenticate signs a person in by e-mail or phone and her password or
// passcode. The attempt is counted against the account and the address
// before the secret is checked, and refused without checking past the
// limits; at most HashesAtOnce secrets are checked at once, and one at a
// time per account.
func (s *Store) Authenticate(ctx context.Context, login, secret, addr string, th Throttle) (*User, error) {
	if len(login) > MaxLoginLength {
		return nil, problem.Field("login", "form.too_long", "Max", MaxLoginLength)
	}
	if len(secret) > MaxSignInSecretLength {
		return nil, problem.Field("secret", "form.too_long", "Max", MaxSignInSecretLength)
	}
	key := LoginKey(login)
	limits := []attemptLimit{{"account:" + key, th.PerAccount, true}, {"addr:" + addr, th.PerAddress, false}}
	if err := s.claimAttempt(ctx, limits, th); err != nil {
		return nil, err
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
	ok, err := s.verify(ctx, limits[0].key, hash, secret)
	if err != nil {
		return nil, err
	}
	ok = ok && id != 0
	locked, err := s.settleAttempt(ctx, limits, ok, th)
	if err != nil {
		return nil, err
	}
	if !ok {
		if locked {
			return nil, fmt.Errorf("%w (%w)", errBadCredentials, ErrLockedOut)
		}
		return nil, errBadCredentials
	}
	return s.User(ctx, id)
}

// dummyHash is made on first use, not at start, to keep start-up quick.
var dummyHash = sync.OnceValue(func() string { return DefaultArgon2.Hash("no such account") })

type attemptLimit struct {
	key     string
	max     int
	account bool // a success clears an account's failures, not an address's
}

type throttleRow struct {
	failures, lockouts int
	first, locked      sql.NullTime
	updated            time.Time
}

// lockedRow reads and locks the throttle row of key, making it if needed.
// SQLite's writes are serialised already (one connection, BEGIN
// IMMEDIATE, across processes too); PostgreSQL locks the row.
func (s *Store) lockedRow(ctx context.Context, tx *sql.Tx, key string) (throttleRow, error) {
	var r throttleRow
	if _, err := tx.ExecContext(ctx, `INSERT INTO signin_throttle (key, updated_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, s.now()); err != nil {
		return r, err
	}
	q := `SELECT failures, lockouts, first_failure_at, locked_until, updated_at FROM signin_throttle WHERE key = $1`
	if s.DB.Dialect == db.Postgres {
		q += ` FOR UPDATE`
	}
	err := tx.QueryRowContext(ctx, q, key).Scan(&r.failures, &r.lockouts, &r.first, &r.locked, &r.updated)
	return r, err
}

func (s *Store) saveRow(ctx context.Context, tx *sql.Tx, key string, r throttleRow) error {
	_, err := tx.ExecContext(ctx, `UPDATE signin_throttle SET failures = $1, lockouts = $2, first_failure_at = $3, locked_until = $4, updated_at = $5 WHERE key = $6`,
		r.failures, r.lockouts, r.first, r.locked, s.now(), key)
	return err
}

// claimAttempt counts an attempt against every limit in one transaction,
// as a failure until it is known to be none; it refuses, counting nothing,
// when a key is locked out or has as many attempts as its limit.
func (s *Store) claimAttempt(ctx context.Context, limits []attemptLimit, th Throttle) error {
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		rows := make([]throttleRow, len(limits))
		for i, l := range limits {
			r, err := s.lockedRow(ctx, tx, l.key)
			if err != nil {
				return err
			}
			if r.locked.Valid && r.locked.Time.After(now) {
				return ErrThrottled
			}
			if r.first.Valid && !r.first.Time.Add(th.Window).After(now) {
				r.failures, r.first = 0, sql.NullTime{}
			}
			if r.lockouts > 0 && !r.updated.Add(24*time.Hour).After(now) {
				r.lockouts = 0
			}
			if r.failures >= l.max {
				return ErrThrottled
			}
			r.failures++
			if !r.first.Valid {
				r.first = sql.NullTime{Time: now, Valid: true}
			}
			rows[i] = r
		}
		for i, l := range limits {
			if err := s.saveRow(ctx, tx, l.key, rows[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrThrottled) {
		return fmt.Errorf("sign in: count the attempt: %w", err)
	}
	return err
}

// settleAttempt records how a claimed attempt ended: a success clears the
// account's failures and takes the attempt back from the address's; a
// failure that reaches a limit starts a lockout, each longer than the
// last. It reports whether a lockout began.
func (s *Store) settleAttempt(ctx context.Context, limits []attemptLimit, ok bool, th Throttle) (bool, error) {
	now := s.now()
	began := false
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		began = false
		for _, l := range limits {
			r, err := s.lockedRow(ctx, tx, l.key)
			if err != nil {
				return err
			}
			switch {
			case ok && l.account:
				r = throttleRow{}
			case ok:
				r.failures = max(r.failures-1, 0)
			case r.failures >= l.max && !(r.locked.Valid && r.locked.Time.After(now)):
				r.locked = sql.NullTime{Time: now.Add(th.lockout(r.lockouts)), Valid: true}
				r.lockouts++
				r.failures, r.first = 0, sql.NullTime{}
				began = true
			}
			if err := s.saveRow(ctx, tx, l.key, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("sign in: record the attempt: %w", err)
	}
	return began, nil
}

// ForgetOldFailures removes failures older than a day and throttle rows
// quiet for a day; run now and then.
func (s *Store) ForgetOldFailures(ctx context.Context) error {
	dayAgo := s.now().Add(-24 * time.Hour)
	if _, err := s.DB.Exec(ctx, `DELETE FROM signin_failures WHERE at < $1`, dayAgo); err != nil {
		return err
	}
	_, err := s.DB.Exec(ctx, `DELETE FROM signin_throttle WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $2)`, dayAgo, s.now())
	return err
}

// hashGate bounds argon2 computations: a few at once in the process, and
// one at a time per key (an account) unless the key is empty.
type hashGate struct {
	once sync.Once
	all  chan struct{}
	mu   sync.Mutex
	busy map[string]chan struct{}
}

func (g *hashGate) enter(ctx context.Context, key string) (leave func(), err error) {
	g.once.Do(func() {
		g.all = make(chan struct{}, HashesAtOnce)
		g.busy = map[string]chan struct{}{}
	})
	for key != "" {
		g.mu.Lock()
		wait, taken := g.busy[key]
		if !taken {
			g.busy[key] = make(chan struct{})
			g.mu.Unlock()
			break
		}
		g.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	leaveKey := func() {
		if key == "" {
			return
		}
		g.mu.Lock()
		close(g.busy[key])
		delete(g.busy, key)
		g.mu.Unlock()
	}
	select {
	case g.all <- struct{}{}:
	case <-ctx.Done():
		leaveKey()
		return nil, ctx.Err()
	}
	return func() { <-g.all; leaveKey() }, nil
}

// verify checks secret against hash inside the gate.
func (s *Store) verify(ctx context.Context, key, hash, secret string) (bool, error) {
	leave, err := s.gate.enter(ctx, key)
	if err != nil {
		return false, fmt.Errorf("sign in: wait to check the secret: %w", err)
	}
	defer leave()
	if s.Verify != nil {
		return s.Verify(hash, secret), nil
	}
	return VerifySecret(hash, secret), nil
}

// hashSecret hashes a new secret inside the gate.
func (s *Store) hashSecret(ctx context.Context, secret string) (string, error) {
	leave, err := s.gate.enter(ctx, "")
	if err != nil {
		return "", fmt.Errorf("hash a secret: %w", err)
	}
	defer leave()
	return s.Argon2.Hash(secret), nil
}
