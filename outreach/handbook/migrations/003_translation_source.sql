-- +goose Up
-- The revision of the Swedish text a translation was made from; on the
-- Swedish row, the revision of that text itself. A translation older than
-- its version's Swedish is out of date: editors see it, callers get the
-- Swedish instead. A revision is the number of the version in which that
-- Swedish text was written, or higher when it changed more than once in
-- one open version (see Store.putTranslations).
ALTER TABLE handbook_translations ADD COLUMN source_version INTEGER NOT NULL DEFAULT 0;

-- Rows from before: each text counts from the first version of the
-- unbroken run of versions that have it word for word. A translation
-- carried unchanged past a change of the Swedish is then older than the
-- Swedish, which is what the review page warned of word for word; one
-- written or changed with the Swedish is not.
UPDATE handbook_translations SET source_version = (
	SELECT MIN(v2.version) FROM handbook_versions v2 JOIN handbook_versions v ON v.id = handbook_translations.version_id
	WHERE v2.entry_id = v.entry_id AND v2.version <= v.version
	AND NOT EXISTS (SELECT 1 FROM handbook_versions v3
		WHERE v3.entry_id = v.entry_id AND v3.version >= v2.version AND v3.version <= v.version
		AND NOT EXISTS (SELECT 1 FROM handbook_translations t3
			WHERE t3.version_id = v3.id AND t3.lang = handbook_translations.lang
			AND t3.title = handbook_translations.title AND t3.body = handbook_translations.body)));

-- Callers do not find an entry by the words of an out-of-date translation.
DELETE FROM handbook_search WHERE EXISTS (
	SELECT 1 FROM handbook_translations t JOIN handbook_translations sv ON sv.version_id = t.version_id AND sv.lang = 'sv'
	WHERE t.version_id = handbook_search.version_id AND t.lang = handbook_search.lang
	AND t.lang <> 'sv' AND t.source_version < sv.source_version);

-- +goose Down
ALTER TABLE handbook_translations DROP COLUMN source_version;
