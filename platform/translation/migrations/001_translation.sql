-- +goose Up
-- Translations an administrator imported from a translator's sheet. Each
-- replaces the message of its key in its language, as shipped with the
-- code, and is applied to the catalogue at start. checked_against is the
-- hash of the Swedish text a fluent speaker checked it against ('' for
-- none): when the Swedish changes, the translation counts as unchecked.
CREATE TABLE translation_imports (
	id INTEGER PRIMARY KEY,
	lang TEXT NOT NULL,
	file_name TEXT NOT NULL,
	by_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
	by_name TEXT NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	rows_read INTEGER NOT NULL,
	updated INTEGER NOT NULL,
	unchanged INTEGER NOT NULL,
	rejected INTEGER NOT NULL,
	stale INTEGER NOT NULL,
	blank INTEGER NOT NULL,
	-- The rejected and stale rows (a bounded number), as JSON.
	report TEXT NOT NULL
);
CREATE INDEX translation_imports_at ON translation_imports(at);

CREATE TABLE translation_overrides (
	lang TEXT NOT NULL,
	msg_key TEXT NOT NULL,
	-- The plural forms, as JSON: {"one": "...", "other": "..."}.
	forms TEXT NOT NULL,
	checked_against TEXT NOT NULL DEFAULT '',
	import_id BIGINT NOT NULL REFERENCES translation_imports(id),
	by_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
	by_name TEXT NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (lang, msg_key)
);

-- The city's switch for the mark on messages no fluent speaker has
-- checked: one row, absent until first set (the mark is on by default).
CREATE TABLE translation_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	show_unchecked_mark BOOLEAN NOT NULL,
	by_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
	by_name TEXT NOT NULL,
	at TIMESTAMPTZ NOT NULL
);
