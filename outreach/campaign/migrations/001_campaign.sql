-- +goose Up
-- A campaign is a call drive inside an operation. Lists (languages,
-- districts, handbook entries) are comma-separated; questions and retry
-- rules are JSON written and read only by this module.
CREATE TABLE campaigns (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	name TEXT NOT NULL CHECK (name <> ''),
	goal INTEGER NOT NULL CHECK (goal > 0),
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	languages TEXT NOT NULL DEFAULT '',
	districts TEXT NOT NULL DEFAULT '',
	script_entry_id BIGINT,
	entry_ids TEXT NOT NULL DEFAULT '',
	questions TEXT NOT NULL DEFAULT '[]',
	retry_rules TEXT NOT NULL DEFAULT '{}',
	lease_minutes INTEGER NOT NULL CHECK (lease_minutes BETWEEN 1 AND 120),
	created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaigns_operation ON campaigns(operation_id);

-- The partner groups taking part in a campaign, each calling its own
-- contacts.
CREATE TABLE campaign_groups (
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	PRIMARY KEY (campaign_id, org_id)
);

-- The queue: one row per contact of a campaign. languages is the
-- contact's list wrapped in commas (",ar,sv,") so that one LIKE matches a
-- language. priority is retry.go's Priority (1 callback, 2 never tried,
-- 3 retry), and next_at when the entry is due; a claim moves next_at to
-- the end of the lease, so that a held entry is simply not due and the
-- queue index serves the next one at once. lease_seq counts the claims, so
-- an outcome names the claim it belongs to and a late one is refused.
-- state is 'queued' or 'done'.
CREATE TABLE campaign_queue (
	id INTEGER PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	contact_id BIGINT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	languages TEXT NOT NULL,
	district TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done')),
	attempts INTEGER NOT NULL DEFAULT 0,
	priority INTEGER NOT NULL DEFAULT 2,
	next_at TIMESTAMPTZ NOT NULL,
	callback_at TIMESTAMPTZ,
	last_outcome TEXT NOT NULL DEFAULT '',
	lease_holder BIGINT REFERENCES people(id) ON DELETE SET NULL,
	lease_until TIMESTAMPTZ,
	lease_started TIMESTAMPTZ,
	lease_seq INTEGER NOT NULL DEFAULT 0,
	UNIQUE (campaign_id, contact_id)
);
CREATE INDEX campaign_queue_due ON campaign_queue(campaign_id, org_id, state, priority, next_at, id);
CREATE INDEX campaign_queue_holder ON campaign_queue(lease_holder, campaign_id);
CREATE INDEX campaign_queue_contact ON campaign_queue(contact_id);

-- Every recorded call. No name or number: contact_id is a pseudonym that
-- only the contact module can resolve, and exports leave it out.
CREATE TABLE campaign_calls (
	id INTEGER PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	queue_id BIGINT NOT NULL REFERENCES campaign_queue(id) ON DELETE CASCADE,
	contact_id BIGINT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	caller_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
	language TEXT NOT NULL,
	district TEXT NOT NULL DEFAULT '',
	attempt INTEGER NOT NULL,
	outcome TEXT NOT NULL,
	other_language TEXT NOT NULL DEFAULT '',
	callback_at TIMESTAMPTZ,
	answers TEXT NOT NULL DEFAULT '{}',
	asked_topics TEXT NOT NULL DEFAULT '',
	started_at TIMESTAMPTZ NOT NULL,
	ended_at TIMESTAMPTZ NOT NULL,
	duration_seconds INTEGER NOT NULL,
	idempotency_key TEXT NOT NULL UNIQUE
);
CREATE INDEX campaign_calls_campaign ON campaign_calls(campaign_id, ended_at);

-- Questions residents asked during calls, without personal data. The
-- escalated ones are those the caller could not answer; the city answers
-- them (a later module).
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
CREATE INDEX questions_operation ON questions(operation_id, escalated, created_at);
CREATE INDEX questions_campaign ON questions(campaign_id);

-- +goose Down
DROP TABLE questions;
DROP TABLE campaign_calls;
DROP TABLE campaign_queue;
DROP TABLE campaign_groups;
DROP TABLE campaigns;
