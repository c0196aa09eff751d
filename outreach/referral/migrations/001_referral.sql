-- +goose Up
-- The routing table: which city administration a category of need goes
-- to. A category without a row cannot be filed until an administrator
-- routes it.
CREATE TABLE referral_routes (
	category TEXT PRIMARY KEY CHECK (category IN ('health', 'violence', 'food', 'housing', 'money', 'other')),
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	updated_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- A referral: a volunteer's note that a resident needs the city's help.
-- need is short and masked (no identity numbers, phone numbers or e-mail
-- addresses) before it is stored. contact_enc is how to reach the
-- resident, only with her consent, encrypted with the keyring
-- (platform/secret); it is set to NULL a while after the referral is
-- closed. org_id is the administration it was routed to when filed, so a
-- later change of the routing table does not move it. idempotency_key is
-- the form's token: a double tap files once.
CREATE TABLE referrals (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
	filed_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
	category TEXT NOT NULL CHECK (category IN ('health', 'violence', 'food', 'housing', 'money', 'other')),
	urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'soon', 'normal')),
	need TEXT NOT NULL,
	contact_enc TEXT,
	contact_deleted_at TIMESTAMPTZ,
	state TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'closed')),
	outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'helped', 'referred_on', 'declined', 'unreachable', 'other')),
	ack_due TIMESTAMPTZ NOT NULL,
	close_due TIMESTAMPTZ NOT NULL,
	filed_at TIMESTAMPTZ NOT NULL,
	acknowledged_at TIMESTAMPTZ,
	closed_at TIMESTAMPTZ,
	updated_at TIMESTAMPTZ NOT NULL,
	idempotency_key TEXT NOT NULL UNIQUE
);
CREATE INDEX referrals_org_state ON referrals(org_id, state);
CREATE INDEX referrals_filed_by ON referrals(filed_by);
CREATE INDEX referrals_operation ON referrals(operation_id, urgency, state);
CREATE INDEX referrals_closed ON referrals(closed_at) WHERE contact_enc IS NOT NULL;

-- +goose Down
DROP TABLE referrals;
DROP TABLE referral_routes;
