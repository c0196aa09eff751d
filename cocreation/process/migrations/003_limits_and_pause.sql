-- +goose Up
-- Counters of anonymous writes (joins per address and per process, notes
-- per participant and per workshop) in fixed windows: window_start is the
-- window's first second (Unix time). One upsert counts and reads at once,
-- so that the limit holds with several server processes. The key of an
-- address is its keyed hash; rows older than a day are deleted hourly.
CREATE TABLE cc_counters (
	key TEXT NOT NULL,
	window_start BIGINT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (key, window_start)
);

-- A facilitator pauses a workshop's board: participants' notes wait.
ALTER TABLE cc_workshops ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE cc_workshops DROP COLUMN paused;
DROP TABLE cc_counters;
