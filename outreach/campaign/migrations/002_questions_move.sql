-- +goose Up
-- Residents' questions moved to their own module (outreach/question),
-- which is migrated before this one: copy what campaign calls recorded,
-- with their topics, and drop the old table.
INSERT INTO resident_questions (operation_id, source, campaign_id, call_id, asked_by, org_id, language, district, topics, text, state, created_at)
SELECT q.operation_id, 'campaign', q.campaign_id, q.call_id, k.caller_id, k.org_id, q.language, COALESCE(k.district, ''), q.topics, q.text,
	CASE WHEN q.escalated THEN 'escalated' ELSE 'kept' END, q.created_at
FROM questions q LEFT JOIN campaign_calls k ON k.id = q.call_id;
UPDATE resident_questions SET escalated_at = created_at, due_at = created_at WHERE state = 'escalated';
DROP TABLE questions;

-- +goose Down
CREATE TABLE questions (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	campaign_id BIGINT REFERENCES campaigns(id) ON DELETE SET NULL,
	call_id BIGINT REFERENCES campaign_calls(id) ON DELETE SET NULL,
	language TEXT NOT NULL,
	topics TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL DEFAULT '',
	escalated BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL
);
