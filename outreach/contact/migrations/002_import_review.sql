-- +goose Up
-- The security review of the import (issue 11).
-- The header is kept encrypted (header_enc): a file without a header row
-- has a resident where column names would be. The first rows are kept,
-- encrypted, for the preview, so that the import page never parses the
-- file again. blank counts the blank rows the file had, for the report.
-- owner is the process that runs the import ("host/pid/start"), whose
-- heartbeat is updated_at: another process's import counts as interrupted
-- when that process is gone or its heartbeat is stale.
ALTER TABLE contact_imports ADD COLUMN header_enc TEXT;
ALTER TABLE contact_imports ADD COLUMN preview_enc TEXT;
ALTER TABLE contact_imports ADD COLUMN blank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact_imports ADD COLUMN owner TEXT NOT NULL DEFAULT '';
-- A saved mapping kept the header in the clear; it keeps its keyed hash
-- now. Groups map their next file once more.
DELETE FROM contact_mappings;
