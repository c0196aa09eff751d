package process

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Limit is at most Max events in each window of Per.
type Limit struct {
	Max int
	Per time.Duration
}

// Limits bound what people without an account may write, so that a
// script cannot fill a process with fake participants or a board with
// notes. A workshop room shares one Wi-Fi address, hence the generous
// per-address number; the per-process and per-workshop ceilings stop
// many addresses at once.
type Limits struct {
	JoinsPerAddress     Limit
	JoinsPerProcess     Limit
	NotesPerParticipant Limit
	NotesPerWorkshop    Limit
}

// DefaultLimits are the limits of a server that sets none.
var DefaultLimits = Limits{
	JoinsPerAddress:     Limit{Max: 60, Per: 10 * time.Minute},
	JoinsPerProcess:     Limit{Max: 300, Per: 10 * time.Minute},
	NotesPerParticipant: Limit{Max: 20, Per: time.Minute},
	NotesPerWorkshop:    Limit{Max: 600, Per: time.Minute},
}

// orDefault fills each unset limit with the default one.
func (l Limits) OrDefault() Limits {
	pick := func(a, b Limit) Limit {
		if a.Max <= 0 || a.Per <= 0 {
			return b
		}
		return a
	}
	d := DefaultLimits
	return Limits{
		JoinsPerAddress:     pick(l.JoinsPerAddress, d.JoinsPerAddress),
		JoinsPerProcess:     pick(l.JoinsPerProcess, d.JoinsPerProcess),
		NotesPerParticipant: pick(l.NotesPerParticipant, d.NotesPerParticipant),
		NotesPerWorkshop:    pick(l.NotesPerWorkshop, d.NotesPerWorkshop),
	}
}

// count counts one event for key in tx and reports whether it is within
// l. Counting and reading are one statement, so that concurrent requests,
// on one server or several, each see their own number; the caller rolls
// tx back when it is over, so that a refused request uses nothing up.
func (s *Store) Count(ctx context.Context, tx *sql.Tx, key string, l Limit) (bool, error) {
	per := int64(l.Per / time.Second)
	if per < 1 {
		per = 1
	}
	window := s.Time().Unix() / per * per
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO cc_counters (key, window_start, n) VALUES ($1, $2, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET n = cc_counters.n + 1 RETURNING n`, key, window).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count %s: %w", key, err)
	}
	return n <= l.Max, nil
}

// addrKey is the counter key of what (join, code) from a network address:
// a keyed hash, since a plain one of an IPv4 address is undone by trying
// them all.
func (s *Store) addrKey(what, addr string) string {
	if s.Keys == nil {
		return what + "-addr:" + Hash(addr)
	}
	return what + "-addr:" + s.Keys.HashString("cocreation.addr", addr)
}

// ForgetCounts deletes counters older than a day: they only matter for
// their window, and some are keyed by an address.
func (s *Store) ForgetCounts(ctx context.Context) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM cc_counters WHERE window_start < $1`, s.Time().Add(-24*time.Hour).Unix())
	return err
}
