-- +goose Up
-- A help line of an operation: a public number residents call, the
-- languages it offers (each with the key of the language menu), opening
-- hours per language, and shifts on shared phones. ring says how a call
-- is forwarded to the volunteers on shift for its language: 'all' at
-- once, or 'turn' one after another, ring_seconds each. Times of day are
-- minutes from local midnight in time_zone; calendar dates are ISO 8601
-- (YYYY-MM-DD) in TEXT, the same on both databases.
CREATE TABLE helplines (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	public_number TEXT NOT NULL UNIQUE,
	ring TEXT NOT NULL DEFAULT 'all' CHECK (ring IN ('all', 'turn')),
	ring_seconds INTEGER NOT NULL DEFAULT 20 CHECK (ring_seconds BETWEEN 5 AND 120),
	time_zone TEXT NOT NULL DEFAULT 'Europe/Stockholm',
	-- closed on Swedish public holidays unless an exception opens the day
	closed_on_holidays BOOLEAN NOT NULL DEFAULT TRUE,
	created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX helplines_operation ON helplines(operation_id);

-- The languages a line offers and the menu key that chooses each.
CREATE TABLE helpline_languages (
	helpline_id BIGINT NOT NULL REFERENCES helplines(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	menu_key INTEGER NOT NULL CHECK (menu_key BETWEEN 1 AND 9),
	PRIMARY KEY (helpline_id, lang),
	UNIQUE (helpline_id, menu_key)
);

-- The weekly opening hours of one language: weekday as Go's time.Weekday
-- (0 Sunday), from opens to closes in local minutes. A language may have
-- several spans a day.
CREATE TABLE helpline_hours (
	id INTEGER PRIMARY KEY,
	helpline_id BIGINT NOT NULL,
	lang TEXT NOT NULL,
	weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
	opens INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1439),
	closes INTEGER NOT NULL CHECK (closes BETWEEN 1 AND 1440),
	CHECK (opens < closes),
	FOREIGN KEY (helpline_id, lang) REFERENCES helpline_languages(helpline_id, lang) ON DELETE CASCADE
);
CREATE INDEX helpline_hours_line ON helpline_hours(helpline_id, lang, weekday);

-- An exception to the weekly hours on one date: closed (opens and closes
-- NULL) or open at other hours, for one language or all ('').
CREATE TABLE helpline_exceptions (
	id INTEGER PRIMARY KEY,
	helpline_id BIGINT NOT NULL REFERENCES helplines(id) ON DELETE CASCADE,
	day TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT '',
	opens INTEGER CHECK (opens BETWEEN 0 AND 1439),
	closes INTEGER CHECK (closes BETWEEN 1 AND 1440),
	note TEXT NOT NULL DEFAULT '',
	CHECK ((opens IS NULL AND closes IS NULL) OR (opens IS NOT NULL AND closes IS NOT NULL AND opens < closes)),
	UNIQUE (helpline_id, day, lang)
);

-- A shared phone of the line, carried by one partner group at a time.
-- Its hand-overs are kept in phone_handovers.
CREATE TABLE shared_phones (
	id INTEGER PRIMARY KEY,
	helpline_id BIGINT NOT NULL REFERENCES helplines(id) ON DELETE CASCADE,
	label TEXT NOT NULL,
	number TEXT NOT NULL,
	group_id BIGINT REFERENCES orgs(id) ON DELETE SET NULL,
	retired_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	UNIQUE (helpline_id, label),
	UNIQUE (helpline_id, number)
);

CREATE TABLE phone_handovers (
	id INTEGER PRIMARY KEY,
	phone_id BIGINT NOT NULL REFERENCES shared_phones(id) ON DELETE CASCADE,
	from_group_id BIGINT REFERENCES orgs(id) ON DELETE SET NULL,
	to_group_id BIGINT REFERENCES orgs(id) ON DELETE SET NULL,
	by_person BIGINT REFERENCES people(id) ON DELETE SET NULL,
	at TIMESTAMPTZ NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX phone_handovers_phone ON phone_handovers(phone_id, at);

-- A shift: a volunteer (NULL while open) answers the line in its
-- languages on a shared phone from starts_at to ends_at. group_id is the
-- partner group whose lead planned it. reminded_at is set when the
-- reminder went to the outbox, so it goes once.
CREATE TABLE shifts (
	id INTEGER PRIMARY KEY,
	helpline_id BIGINT NOT NULL REFERENCES helplines(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	starts_at TIMESTAMPTZ NOT NULL,
	ends_at TIMESTAMPTZ NOT NULL,
	person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
	phone_id BIGINT REFERENCES shared_phones(id) ON DELETE SET NULL,
	created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	reminded_at TIMESTAMPTZ,
	CHECK (starts_at < ends_at)
);
CREATE INDEX shifts_line_time ON shifts(helpline_id, starts_at);
CREATE INDEX shifts_person ON shifts(person_id, starts_at);

CREATE TABLE shift_languages (
	shift_id BIGINT NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
	lang TEXT NOT NULL,
	PRIMARY KEY (shift_id, lang)
);

-- A volunteer's offer to swap her shift with another volunteer's (or to
-- hand it to her): it takes effect when the other accepts.
CREATE TABLE shift_swaps (
	id INTEGER PRIMARY KEY,
	shift_id BIGINT NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
	other_shift_id BIGINT REFERENCES shifts(id) ON DELETE CASCADE,
	from_person BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	to_person BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	state TEXT NOT NULL CHECK (state IN ('offered', 'accepted', 'declined', 'withdrawn')),
	created_at TIMESTAMPTZ NOT NULL,
	decided_at TIMESTAMPTZ
);
CREATE INDEX shift_swaps_to ON shift_swaps(to_person, state);

-- A person's calendar feed: the secret of its address, stored hashed;
-- renewing replaces it, so the old address stops working.
CREATE TABLE shift_calendar_feeds (
	person_id BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE shift_calendar_feeds;
DROP TABLE shift_swaps;
DROP TABLE shift_languages;
DROP TABLE shifts;
DROP TABLE phone_handovers;
DROP TABLE shared_phones;
DROP TABLE helpline_exceptions;
DROP TABLE helpline_hours;
DROP TABLE helpline_languages;
DROP TABLE helplines;
