-- +goose Up
-- A participant's name and services (which may say addiction or mental
-- health care) are encrypted with the keyring of the contacts. sealed
-- tells an encrypted row from one written before: the server encrypts
-- those when it starts (Store.SealParticipants), as SQL has no key.
ALTER TABLE cc_participants ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE cc_participants DROP COLUMN sealed;
