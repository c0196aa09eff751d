-- +goose Up
CREATE TABLE orgs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('administration', 'partner_group')),
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	email TEXT UNIQUE,
	phone TEXT UNIQUE,
	languages TEXT NOT NULL DEFAULT '',
	ui_lang TEXT NOT NULL DEFAULT 'sv',
	secret_hash TEXT NOT NULL DEFAULT '',
	secret_kind TEXT NOT NULL DEFAULT 'password' CHECK (secret_kind IN ('password', 'passcode')),
	epoch INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL,
	disabled_at TIMESTAMPTZ
);

CREATE TABLE memberships (
	id INTEGER PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'group_lead', 'volunteer', 'facilitator', 'board_member')),
	created_at TIMESTAMPTZ NOT NULL,
	UNIQUE (person_id, org_id, role)
);
CREATE INDEX memberships_org ON memberships(org_id);

CREATE TABLE invitations (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	invited_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at TIMESTAMPTZ
);

-- Sessions live in the database so that several megafon processes can
-- share them; the data is scs's encoded session.
CREATE TABLE sessions (
	token TEXT PRIMARY KEY,
	data BLOB NOT NULL,
	expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

-- Failed sign-ins, by account and by address, for throttling that holds
-- across processes.
CREATE TABLE signin_failures (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL,
	at TIMESTAMPTZ NOT NULL
);
CREATE INDEX signin_failures_key_at ON signin_failures(key, at);

CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TIMESTAMPTZ NOT NULL,
	actor_id BIGINT,
	actor_name TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action, at);

-- The audit log is append-only: the database itself refuses to change it.
-- sqlite:
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- end
-- postgres:
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- end
