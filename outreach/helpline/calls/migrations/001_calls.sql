-- +goose Up
-- A call that reached a help line: through a provider (provider_call_id
-- is the provider's id of the call, so a provider's retry finds the same
-- row), or logged by hand from a shared phone (provider 'manual',
-- provider_call_id the form's idempotency key). caller_enc is the
-- caller's number, encrypted with the keyring (platform/secret), NULL when
-- withheld or once deleted; it is never shown but on the callback screen.
-- outcome is '' while the call is on. duration_seconds is of the
-- conversation when answered, else of the call. logged_at is set when the
-- volunteer who answered wrote its log (call_logs).
CREATE TABLE helpline_calls (
	id INTEGER PRIMARY KEY,
	helpline_id BIGINT NOT NULL REFERENCES helplines(id) ON DELETE CASCADE,
	provider TEXT NOT NULL CHECK (provider <> ''),
	provider_call_id TEXT NOT NULL CHECK (provider_call_id <> ''),
	caller_enc TEXT,
	lang TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'answered', 'no_answer', 'closed', 'unknown_key', 'hung_up')),
	answered_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	phone_id BIGINT REFERENCES shared_phones(id) ON DELETE SET NULL,
	started_at TIMESTAMPTZ NOT NULL,
	answered_at TIMESTAMPTZ,
	ended_at TIMESTAMPTZ,
	duration_seconds INTEGER NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
	logged_at TIMESTAMPTZ,
	UNIQUE (provider, provider_call_id)
);
-- The coordinator's view: a line's calls per day and language.
CREATE INDEX helpline_calls_line ON helpline_calls(helpline_id, started_at);
-- A volunteer's "calls to log".
CREATE INDEX helpline_calls_tolog ON helpline_calls(answered_by, started_at) WHERE logged_at IS NULL;

-- A resident's request to be called back, in the queue of its line and
-- language (one per call). The number is the call's, encrypted again
-- here so that deleting the call's copy leaves the queue working.
-- taken_by holds it for one volunteer until taken_until, so no two call
-- the same resident; attempts counts her calls; last_outcome is the
-- latest as on the campaign call screen. done_at closes it with outcome.
CREATE TABLE helpline_callbacks (
	id INTEGER PRIMARY KEY,
	call_id BIGINT NOT NULL UNIQUE REFERENCES helpline_calls(id) ON DELETE CASCADE,
	helpline_id BIGINT NOT NULL REFERENCES helplines(id) ON DELETE CASCADE,
	lang TEXT NOT NULL CHECK (lang <> ''),
	caller_enc TEXT,
	requested_at TIMESTAMPTZ NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	last_outcome TEXT NOT NULL DEFAULT '',
	last_attempt_at TIMESTAMPTZ,
	taken_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	taken_at TIMESTAMPTZ,
	taken_until TIMESTAMPTZ,
	done_at TIMESTAMPTZ,
	done_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	outcome TEXT NOT NULL DEFAULT ''
);
-- The queue: a line's open requests in a language, oldest first.
CREATE INDEX helpline_callbacks_queue ON helpline_callbacks(helpline_id, lang, requested_at) WHERE done_at IS NULL;

-- Each call back: who, when, how it ended (the campaign's outcomes).
-- idempotency_key is the outcome form's token: a double tap records once.
CREATE TABLE helpline_callback_attempts (
	id INTEGER PRIMARY KEY,
	callback_id BIGINT NOT NULL REFERENCES helpline_callbacks(id) ON DELETE CASCADE,
	person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
	outcome TEXT NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	idempotency_key TEXT NOT NULL UNIQUE
);
CREATE INDEX helpline_callback_attempts_callback ON helpline_callback_attempts(callback_id, at);

-- The anonymous log of a call, one per call: its language, topics (the
-- handbook's fixed list, comma separated), whether it was answered and
-- whether a referral was filed (referral_id, when linked; no foreign key,
-- so that this table does not depend on the referral module). The
-- resident's questions are in resident_questions (source 'helpline',
-- call_id). idempotency_key is the log form's token.
CREATE TABLE helpline_call_logs (
	call_id BIGINT PRIMARY KEY REFERENCES helpline_calls(id) ON DELETE CASCADE,
	logged_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	group_id BIGINT REFERENCES orgs(id) ON DELETE SET NULL,
	lang TEXT NOT NULL,
	topics TEXT NOT NULL DEFAULT '',
	answered BOOLEAN NOT NULL,
	referral BOOLEAN NOT NULL DEFAULT FALSE,
	referral_id BIGINT,
	questions INTEGER NOT NULL DEFAULT 0,
	logged_at TIMESTAMPTZ NOT NULL,
	idempotency_key TEXT NOT NULL UNIQUE
);

-- +goose Down
DROP TABLE helpline_call_logs;
DROP TABLE helpline_callback_attempts;
DROP TABLE helpline_callbacks;
DROP TABLE helpline_calls;
