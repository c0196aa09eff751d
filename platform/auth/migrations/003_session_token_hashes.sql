-- +goose Up
-- Sessions are now found by the SHA-256 of their token. The rows of
-- before hold tokens in clear, which a backup would leak; they are
-- removed (SQLite has no SHA-256 to rehash them), so everyone signs in
-- again once.
DELETE FROM sessions;
