-- +goose Up
-- The audit log refused updates but not deletes: whoever reached the
-- database could remove what she did. Nothing in Megafon deletes audit
-- entries (withdrawal writes an entry without personal data instead), so
-- the database refuses DELETE, and on PostgreSQL TRUNCATE, too.
-- sqlite:
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- end
-- postgres:
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- end
