-- +goose Up
-- A co-creation process: an administration sets goals with the people who
-- use its services. Title and purpose are in the process's language;
-- process_texts holds translations. The join code opens the invitation
-- link and QR code until join_until.
CREATE TABLE cc_processes (
	id INTEGER PRIMARY KEY,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	purpose TEXT NOT NULL DEFAULT '',
	deciding_body TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL DEFAULT 'sv',
	join_code TEXT NOT NULL UNIQUE,
	join_until TIMESTAMPTZ NOT NULL,
	copied_from BIGINT REFERENCES cc_processes(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE cc_process_texts (
	process_id BIGINT NOT NULL REFERENCES cc_processes(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	title TEXT NOT NULL,
	purpose TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (process_id, lang)
);

-- Phases in order; dates are calendar days (YYYY-MM-DD, Stockholm), both
-- included. A skipped phase never is the current one.
CREATE TABLE cc_phases (
	id INTEGER PRIMARY KEY,
	process_id BIGINT NOT NULL REFERENCES cc_processes(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	skipped BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX cc_phases_process ON cc_phases(process_id, position);

-- A participant has no password: a long random token in a cookie (only its
-- hash is kept) and a short code to come back on another device (hashed
-- too). Withdrawing consent empties every personal column and sets
-- withdrawn_at; what she wrote stays, shown as "a participant".
CREATE TABLE cc_participants (
	id INTEGER PRIMARY KEY,
	process_id BIGINT NOT NULL REFERENCES cc_processes(id) ON DELETE CASCADE,
	token_hash TEXT UNIQUE,
	code_hash TEXT UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '',
	age_band TEXT NOT NULL DEFAULT '',
	services TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL DEFAULT 'sv',
	consent_version TEXT NOT NULL DEFAULT '',
	consented_at TIMESTAMPTZ,
	from_paper BOOLEAN NOT NULL DEFAULT FALSE,
	entered_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	withdrawn_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cc_participants_process ON cc_participants(process_id);

CREATE TABLE cc_workshops (
	id INTEGER PRIMARY KEY,
	process_id BIGINT NOT NULL REFERENCES cc_processes(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	starts_at TIMESTAMPTZ NOT NULL,
	ends_at TIMESTAMPTZ NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	video_url TEXT NOT NULL DEFAULT '',
	agenda TEXT NOT NULL DEFAULT '',
	facilitators TEXT NOT NULL DEFAULT '',
	interpreters TEXT NOT NULL DEFAULT '',
	accessibility TEXT NOT NULL DEFAULT '',
	capacity INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cc_workshops_process ON cc_workshops(process_id, starts_at);

CREATE TABLE cc_signups (
	workshop_id BIGINT NOT NULL REFERENCES cc_workshops(id) ON DELETE CASCADE,
	participant_id BIGINT NOT NULL REFERENCES cc_participants(id) ON DELETE CASCADE,
	signed_up_at TIMESTAMPTZ NOT NULL,
	attended BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (workshop_id, participant_id)
);

-- A prompt is a question a facilitator opens during a workshop; notes
-- answer it.
CREATE TABLE cc_prompts (
	id INTEGER PRIMARY KEY,
	workshop_id BIGINT NOT NULL REFERENCES cc_workshops(id) ON DELETE CASCADE,
	text TEXT NOT NULL,
	is_open BOOLEAN NOT NULL DEFAULT TRUE,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cc_prompts_workshop ON cc_prompts(workshop_id);

CREATE TABLE cc_themes (
	id INTEGER PRIMARY KEY,
	workshop_id BIGINT NOT NULL REFERENCES cc_workshops(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);

-- A note: participant_id is who wrote it (kept when she withdraws: her row
-- is anonymised), entered_by the facilitator who typed it from paper.
-- nonce makes a double tap one note. merged_into hides a duplicate behind
-- the note it was merged into. mark: '', 'journey' or 'proposal'.
CREATE TABLE cc_notes (
	id INTEGER PRIMARY KEY,
	workshop_id BIGINT NOT NULL REFERENCES cc_workshops(id) ON DELETE CASCADE,
	prompt_id BIGINT NOT NULL REFERENCES cc_prompts(id) ON DELETE CASCADE,
	participant_id BIGINT REFERENCES cc_participants(id) ON DELETE SET NULL,
	entered_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	text TEXT NOT NULL,
	theme_id BIGINT REFERENCES cc_themes(id) ON DELETE SET NULL,
	merged_into BIGINT REFERENCES cc_notes(id) ON DELETE SET NULL,
	mark TEXT NOT NULL DEFAULT '',
	nonce TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cc_notes_workshop ON cc_notes(workshop_id, id);

-- +goose Down
DROP TABLE cc_notes;
DROP TABLE cc_themes;
DROP TABLE cc_prompts;
DROP TABLE cc_signups;
DROP TABLE cc_workshops;
DROP TABLE cc_participants;
DROP TABLE cc_phases;
DROP TABLE cc_process_texts;
DROP TABLE cc_processes;
