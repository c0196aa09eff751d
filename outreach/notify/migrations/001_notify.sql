-- +goose Up
-- In-app notifications: a translation key and its arguments, shown in the
-- reader's language when she opens them.
CREATE TABLE notifications (
	id INTEGER PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	msg_key TEXT NOT NULL,
	args TEXT NOT NULL DEFAULT '{}',
	link TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	read_at TIMESTAMPTZ
);
CREATE INDEX notifications_person ON notifications(person_id, created_at);

-- E-mail waiting to be sent, already written in the recipient's language.
-- A worker sends what is due and retries failures with a growing pause.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	person_id BIGINT REFERENCES people(id) ON DELETE CASCADE,
	to_addr TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TIMESTAMPTZ NOT NULL,
	sent_at TIMESTAMPTZ,
	failed_at TIMESTAMPTZ,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
