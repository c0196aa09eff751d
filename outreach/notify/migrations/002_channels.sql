-- +goose Up
-- Each person's choice of how notices reach her besides the app: by
-- e-mail, by SMS. No row means the default: e-mail when she has an
-- address, no SMS.
CREATE TABLE notification_channels (
	person_id BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
	email BOOLEAN NOT NULL,
	sms BOOLEAN NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- The outbox carries SMS too: to_addr is then a phone number (E.164) and
-- subject is empty.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms'));

-- +goose Down
ALTER TABLE outbox DROP COLUMN channel;
DROP TABLE notification_channels;
