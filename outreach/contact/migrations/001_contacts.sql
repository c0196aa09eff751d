-- +goose Up
-- A contact is a resident a partner group may call. The number and the
-- name are encrypted (platform/secret: "v1:<key id>:<base64>"); phone_hash
-- is the keyed hash of the E.164 number, for de-duplication and the
-- do-not-call list, so the database alone reveals neither. languages is a
-- comma-separated list of BCP 47 tags, the preferred first.
CREATE TABLE contacts (
	id INTEGER PRIMARY KEY,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	phone_hash TEXT NOT NULL,
	phone_enc TEXT NOT NULL,
	name_enc TEXT,
	languages TEXT NOT NULL DEFAULT '',
	district TEXT NOT NULL DEFAULT '',
	lawful_basis TEXT NOT NULL CHECK (lawful_basis IN ('consent', 'public_task', 'legitimate_interest')),
	basis_note TEXT NOT NULL DEFAULT '',
	basis_recorded_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	basis_recorded_at TIMESTAMPTZ NOT NULL,
	retain_until TIMESTAMPTZ NOT NULL,
	import_id BIGINT,
	created_at TIMESTAMPTZ NOT NULL,
	UNIQUE (org_id, phone_hash)
);
CREATE INDEX contacts_retain_until ON contacts(retain_until);
CREATE INDEX contacts_import ON contacts(import_id);
CREATE INDEX contacts_phone_hash ON contacts(phone_hash);

-- Numbers never to be called again: only the keyed hash is kept. org_id
-- NULL is city-wide (a resident's "don't call me again"); otherwise the
-- entry holds for that partner group only.
CREATE TABLE do_not_call (
	id INTEGER PRIMARY KEY,
	phone_hash TEXT NOT NULL,
	org_id BIGINT REFERENCES orgs(id) ON DELETE CASCADE,
	added_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX do_not_call_city ON do_not_call(phone_hash) WHERE org_id IS NULL;
CREATE UNIQUE INDEX do_not_call_group ON do_not_call(phone_hash, org_id) WHERE org_id IS NOT NULL;

-- An upload of a contact list and its import. The file is kept, encrypted
-- (it holds numbers), until the import is finished or rolled back, so an
-- interrupted import can be resumed from last_row, the last row whose
-- batch was committed. state: draft (mapping chosen, not started),
-- running, done, rolled_back; a running import whose updated_at is old
-- was interrupted. claim counts the runs: a run writes its batches only
-- while claim is still its own, so a resumed import has one runner.
CREATE TABLE contact_imports (
	id INTEGER PRIMARY KEY,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	file_name TEXT NOT NULL,
	file_enc TEXT,
	header TEXT NOT NULL DEFAULT '[]',
	mapping TEXT NOT NULL DEFAULT '{}',
	lawful_basis TEXT NOT NULL CHECK (lawful_basis IN ('consent', 'public_task', 'legitimate_interest')),
	basis_note TEXT NOT NULL DEFAULT '',
	retain_until TIMESTAMPTZ NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('draft', 'running', 'done', 'rolled_back')),
	total INTEGER NOT NULL DEFAULT 0,
	last_row INTEGER NOT NULL DEFAULT 0,
	imported INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	failure TEXT NOT NULL DEFAULT '',
	claim INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_imports_org ON contact_imports(org_id);

-- Rows an import did not take, with why; never the personal data itself.
CREATE TABLE contact_import_rejects (
	import_id BIGINT NOT NULL REFERENCES contact_imports(id) ON DELETE CASCADE,
	row_number INTEGER NOT NULL,
	col INTEGER NOT NULL DEFAULT -1,
	code TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (import_id, row_number)
);

-- The last column mapping a group used, offered again for its next file.
CREATE TABLE contact_mappings (
	org_id BIGINT PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
	mapping TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
