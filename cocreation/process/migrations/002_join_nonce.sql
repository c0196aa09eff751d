-- +goose Up
-- The join form carries a random nonce, so that a double tap on "Join"
-- (two requests at once, neither with a cookie yet) makes one participant.
ALTER TABLE cc_participants ADD COLUMN join_nonce TEXT;
CREATE UNIQUE INDEX cc_participants_join_nonce ON cc_participants(join_nonce);

-- +goose Down
DROP INDEX cc_participants_join_nonce;
ALTER TABLE cc_participants DROP COLUMN join_nonce;
