-- +goose Up
-- Translations of what facilitators write for participants: a process's
-- name and purpose, a workshop's name and agenda, a prompt (title alone),
-- into any interface language. Each row translates one of the three
-- (exactly one id is set) into one language, and records who translated
-- it, whether a fluent speaker checked it, and the Swedish it was made
-- from (source_*): when the Swedish changes, the translation is older
-- than it, counts as unchecked and the facilitator is warned. The English
-- name and purpose processes had before move here, taken as made from
-- today's Swedish.
CREATE TABLE cc_translations (
	id INTEGER PRIMARY KEY,
	process_id BIGINT REFERENCES cc_processes(id) ON DELETE CASCADE,
	workshop_id BIGINT REFERENCES cc_workshops(id) ON DELETE CASCADE,
	prompt_id BIGINT REFERENCES cc_prompts(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	translated_by TEXT NOT NULL DEFAULT '',
	checked BOOLEAN NOT NULL DEFAULT FALSE,
	source_title TEXT NOT NULL DEFAULT '',
	source_body TEXT NOT NULL DEFAULT '',
	CHECK ((CASE WHEN process_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN workshop_id IS NULL THEN 0 ELSE 1 END)
		+ (CASE WHEN prompt_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE UNIQUE INDEX cc_translations_process ON cc_translations(process_id, lang) WHERE process_id IS NOT NULL;
CREATE UNIQUE INDEX cc_translations_workshop ON cc_translations(workshop_id, lang) WHERE workshop_id IS NOT NULL;
CREATE UNIQUE INDEX cc_translations_prompt ON cc_translations(prompt_id, lang) WHERE prompt_id IS NOT NULL;

INSERT INTO cc_translations (process_id, lang, title, body, source_title, source_body)
	SELECT t.process_id, t.lang, t.title, t.purpose, p.title, p.purpose FROM cc_process_texts t JOIN cc_processes p ON p.id = t.process_id;
DROP TABLE cc_process_texts;

-- +goose Down
CREATE TABLE cc_process_texts (
	process_id BIGINT NOT NULL REFERENCES cc_processes(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	title TEXT NOT NULL,
	purpose TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (process_id, lang)
);
INSERT INTO cc_process_texts (process_id, lang, title, purpose)
	SELECT process_id, lang, title, body FROM cc_translations WHERE process_id IS NOT NULL AND title <> '';
DROP TABLE cc_translations;
