-- +goose Up
-- How a help line reaches its telephony provider. Credentials are
-- encrypted with the keyring and never shown back. 46elks signs nothing,
-- so its webhook address carries a long random secret of which only the
-- SHA-256 is kept (secret_hash); allow_ips optionally lists the provider's
-- addresses (comma-separated addresses or CIDR ranges). Twilio requests
-- are verified with the account's auth token (token_enc).
CREATE TABLE telephony_lines (
	helpline_id BIGINT PRIMARY KEY REFERENCES helplines(id) ON DELETE CASCADE,
	provider TEXT NOT NULL CHECK (provider IN ('46elks', 'twilio')),
	account TEXT NOT NULL DEFAULT '',
	token_enc TEXT NOT NULL DEFAULT '',
	secret_hash BLOB UNIQUE,
	allow_ips TEXT NOT NULL DEFAULT '',
	updated_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- The recorded audio of the language menu: per line, language and kind
-- (welcome, menu prompt "for Arabic press 1", closed, no answer with the
-- callback offer, callback confirmed). The provider fetches it at
-- /telephony/audio/{sha256}, so the address cannot be guessed.
CREATE TABLE telephony_recordings (
	id INTEGER PRIMARY KEY,
	helpline_id BIGINT NOT NULL REFERENCES helplines(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('welcome', 'menu', 'closed', 'no_answer', 'callback_taken')),
	sha256 TEXT NOT NULL,
	content_type TEXT NOT NULL,
	audio BLOB NOT NULL,
	uploaded_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	uploaded_at TIMESTAMPTZ NOT NULL,
	UNIQUE (helpline_id, lang, kind)
);
CREATE INDEX telephony_recordings_hash ON telephony_recordings(sha256);

-- What the call flow decided while a call is still on: how it will end
-- when the caller hangs up (closed, no answer, unknown key), and when the
-- last forward began (46elks reports an answer only when the conversation
-- is over). Nothing about the caller is kept here.
CREATE TABLE telephony_call_states (
	provider TEXT NOT NULL,
	provider_call_id TEXT NOT NULL,
	outcome TEXT NOT NULL DEFAULT '',
	forwarded_at TIMESTAMPTZ,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (provider, provider_call_id)
);

-- +goose Down
DROP TABLE telephony_call_states;
DROP TABLE telephony_recordings;
DROP TABLE telephony_lines;
