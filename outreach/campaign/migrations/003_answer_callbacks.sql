-- +goose Up
-- A resident who asked a question on a campaign call and agreed to be
-- called back is called back once its answer is verified: one row per
-- question (so a second verification or a merged question never queues
-- her twice), naming the queue entry put back at the head of the queue,
-- the answer (the handbook entry and the version verified) and the
-- language she asked in. done_at is set when the callback's outcome is
-- recorded. languages_before is the entry's list of languages before the
-- callback narrowed it to hers, given back after the callback's call.
CREATE TABLE campaign_answer_callbacks (
	id INTEGER PRIMARY KEY,
	question_id BIGINT NOT NULL UNIQUE REFERENCES resident_questions(id) ON DELETE CASCADE,
	queue_id BIGINT NOT NULL REFERENCES campaign_queue(id) ON DELETE CASCADE,
	entry_id BIGINT NOT NULL REFERENCES handbook_entries(id) ON DELETE CASCADE,
	version_id BIGINT NOT NULL,
	language TEXT NOT NULL,
	languages_before TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	done_at TIMESTAMPTZ
);
CREATE INDEX campaign_answer_callbacks_queue ON campaign_answer_callbacks(queue_id, done_at);

-- +goose Down
DROP TABLE campaign_answer_callbacks;
