-- +goose Up
-- A handbook entry belongs to one operation; what it says lives in its
-- versions, every one of which is kept.
CREATE TABLE handbook_entries (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('qa', 'fact_sheet', 'call_script', 'sms')),
	created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX handbook_entries_operation ON handbook_entries(operation_id);

-- A version moves draft -> in_review -> verified -> superseded or
-- archived. At most one version of an entry is verified at a time: the one
-- callers see. valid_until is a date (YYYY-MM-DD) after which callers no
-- longer see it; topics is a comma-separated list of fixed topic keys.
CREATE TABLE handbook_versions (
	id INTEGER PRIMARY KEY,
	entry_id BIGINT NOT NULL REFERENCES handbook_entries(id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'verified', 'superseded', 'archived')),
	topics TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	valid_until TEXT NOT NULL,
	created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_by_name TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	verified_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	verified_by_name TEXT NOT NULL DEFAULT '',
	verified_at TIMESTAMPTZ,
	UNIQUE (entry_id, version)
);
CREATE UNIQUE INDEX handbook_versions_one_verified ON handbook_versions(entry_id) WHERE status = 'verified';
CREATE INDEX handbook_versions_status ON handbook_versions(status, valid_until);

-- The text of a version in one language (a BCP 47 tag). Swedish is required.
CREATE TABLE handbook_translations (
	id INTEGER PRIMARY KEY,
	version_id BIGINT NOT NULL REFERENCES handbook_versions(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	translated_by TEXT NOT NULL DEFAULT '',
	checked BOOLEAN NOT NULL DEFAULT FALSE,
	UNIQUE (version_id, lang)
);

-- When a person last opened an operation's handbook, for "new or changed
-- since your last visit".
CREATE TABLE handbook_visits (
	person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	visited_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (person_id, operation_id)
);

-- Full-text search over the folded text (see FoldForSearch) of every
-- translation; both databases index the same words, split by Terms.
-- sqlite:
CREATE VIRTUAL TABLE handbook_search USING fts5(
	words, version_id UNINDEXED, lang UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 0'
);
-- end
-- postgres:
CREATE TABLE handbook_search (
	version_id BIGINT NOT NULL REFERENCES handbook_versions(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	words TEXT NOT NULL,
	tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED
);
CREATE INDEX handbook_search_tsv ON handbook_search USING GIN (tsv);
CREATE INDEX handbook_search_version ON handbook_search(version_id);
-- end
