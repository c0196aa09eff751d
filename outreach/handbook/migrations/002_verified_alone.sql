-- +goose Up
-- A version its author verified because the lead administration had no
-- other coordinator to ask: recorded and shown, not hidden.
ALTER TABLE handbook_versions ADD COLUMN verified_alone BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE handbook_versions DROP COLUMN verified_alone;
