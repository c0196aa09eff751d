-- +goose Up
-- An operation groups the work of a crisis: its lead administration, its
-- current support level and the partner groups taking part. Dates are
-- ISO 8601 calendar dates (YYYY-MM-DD) in TEXT, the same on both databases.
CREATE TABLE operations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL DEFAULT '',
	lead_org_id BIGINT NOT NULL REFERENCES orgs(id),
	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
	created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX operations_lead ON operations(lead_org_id);

-- A partner group's part in an operation: invited, then joined, then maybe
-- left. A group that leaves and is invited again gets a new row, so the
-- history stays; at most one row per group is open (not left).
CREATE TABLE operation_groups (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	invited_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	invited_at TIMESTAMPTZ NOT NULL,
	joined_at TIMESTAMPTZ,
	left_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX operation_groups_open ON operation_groups(operation_id, org_id) WHERE left_at IS NULL;
CREATE INDEX operation_groups_org ON operation_groups(org_id);

-- Every change of an operation's level: from, to, who, when and why.
CREATE TABLE operation_level_changes (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	from_level INTEGER NOT NULL,
	to_level INTEGER NOT NULL CHECK (to_level BETWEEN 1 AND 4),
	reason TEXT NOT NULL CHECK (reason <> ''),
	changed_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	changed_by_name TEXT NOT NULL,
	changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX operation_level_changes_op ON operation_level_changes(operation_id, changed_at);

-- The city's own numbers for the four support levels. A level without a
-- row uses operation.DefaultLevels.
CREATE TABLE support_levels (
	level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 4),
	answer_in_minutes INTEGER NOT NULL CHECK (answer_in_minutes > 0),
	reporting TEXT NOT NULL,
	updated_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- The city's own wording of a level, per field and interface language. A
-- missing text uses the module's catalogue.
CREATE TABLE support_level_texts (
	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
	field TEXT NOT NULL,
	lang TEXT NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (level, field, lang)
);

-- The thresholds of level suggestions, one row per setting.
CREATE TABLE operation_settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
