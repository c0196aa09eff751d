-- +goose Up
-- A question a resident asked a volunteer, without who asked: where it
-- came from (a campaign call, a help-line call, or entered afterwards by
-- the volunteer), its language, topics and short text (personal data
-- masked before it is stored), whether it was answered on the spot and
-- with which handbook version.
--
-- state: kept (answered or just noted), escalated (the city must answer by
-- due_at), answering (an answer is in the handbook's review flow),
-- answered (that answer was verified), closed (with a reason), merged
-- (into merged_into, which counts it in asks and answers it with its own).
-- campaign_id and call_id belong to the module the question came from
-- and carry no foreign key, so that this table does not depend on it.
CREATE TABLE resident_questions (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	source TEXT NOT NULL CHECK (source IN ('campaign', 'helpline', 'volunteer')),
	campaign_id BIGINT,
	call_id BIGINT,
	asked_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	org_id BIGINT REFERENCES orgs(id) ON DELETE SET NULL,
	language TEXT NOT NULL,
	district TEXT NOT NULL DEFAULT '',
	topics TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	on_the_spot BOOLEAN NOT NULL DEFAULT FALSE,
	entry_id BIGINT REFERENCES handbook_entries(id) ON DELETE SET NULL,
	version_id BIGINT REFERENCES handbook_versions(id) ON DELETE SET NULL,
	callback BOOLEAN NOT NULL DEFAULT FALSE,
	state TEXT NOT NULL DEFAULT 'kept' CHECK (state IN ('kept', 'escalated', 'answering', 'answered', 'closed', 'merged')),
	level INTEGER,
	escalated_at TIMESTAMPTZ,
	due_at TIMESTAMPTZ,
	taken_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	taken_by_name TEXT NOT NULL DEFAULT '',
	merged_into BIGINT REFERENCES resident_questions(id) ON DELETE SET NULL,
	asks INTEGER NOT NULL DEFAULT 1 CHECK (asks >= 1),
	answer_entry_id BIGINT REFERENCES handbook_entries(id) ON DELETE SET NULL,
	answer_version_id BIGINT REFERENCES handbook_versions(id) ON DELETE SET NULL,
	answered_at TIMESTAMPTZ,
	closed_at TIMESTAMPTZ,
	close_reason TEXT NOT NULL DEFAULT '',
	handled_by_name TEXT NOT NULL DEFAULT '',
	idempotency_key TEXT UNIQUE,
	created_at TIMESTAMPTZ NOT NULL
);
-- The triage page: open escalations of an operation by due time.
CREATE INDEX resident_questions_triage ON resident_questions(operation_id, state, due_at);
-- The triage page's latest settled questions, newest first, without
-- reading and sorting all of an operation's answered and closed ones.
CREATE INDEX resident_questions_settled ON resident_questions(operation_id, (COALESCE(answered_at, closed_at)), id)
	WHERE state IN ('answered', 'closed');
CREATE INDEX resident_questions_answer ON resident_questions(answer_entry_id, state);
CREATE INDEX resident_questions_merged ON resident_questions(merged_into);
CREATE INDEX resident_questions_call ON resident_questions(source, call_id);

-- One row per topic of a question, for the topics chart: week by week per
-- operation, language and district without splitting lists.
CREATE TABLE resident_question_topics (
	question_id BIGINT NOT NULL REFERENCES resident_questions(id) ON DELETE CASCADE,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	topic TEXT NOT NULL,
	language TEXT NOT NULL,
	district TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (question_id, topic)
);
-- The chart counts each topic's week as one range of this index, without
-- reading the table or sorting, in a language and district too.
CREATE INDEX resident_question_topics_week ON resident_question_topics(operation_id, topic, created_at, language, district);
-- The chart's filters: the languages and districts of an operation, in
-- the index's order (no sorting), and a topic's week in one language and
-- district as one range.
CREATE INDEX resident_question_topics_where ON resident_question_topics(operation_id, language, district, topic, created_at);

-- +goose Down
DROP TABLE resident_question_topics;
DROP TABLE resident_questions;
