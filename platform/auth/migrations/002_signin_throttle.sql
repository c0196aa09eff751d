-- +goose Up
-- Sign-in attempts per account and per network address. An attempt is
-- counted in the same transaction that checks the limit, before the secret
-- is checked, so that a burst of guesses sent at once cannot all be
-- checked; a failure past the limit locks the key for a time that doubles
-- with each lockout. (signin_failures stays for co-creation's codes.)
CREATE TABLE signin_throttle (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL DEFAULT 0,
	first_failure_at TIMESTAMPTZ,
	lockouts INTEGER NOT NULL DEFAULT 0,
	locked_until TIMESTAMPTZ,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX signin_throttle_updated ON signin_throttle(updated_at);
