package calls

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"megafon/platform/db"
)

// How long a caller's number is kept. A call keeps it only until the
// provider has asked for a callback, which happens while the call ends;
// a callback request keeps it a while after it is done, so that a
// volunteer who recorded the wrong outcome can still be helped by the
// coordinator's audit, not longer.
const (
	CallNumberRetention     = 24 * time.Hour
	CallbackNumberRetention = 7 * 24 * time.Hour
)

// DeleteExpiredNumbers deletes the callers' numbers that are kept no
// longer, and returns how many it deleted. The calls and requests stay,
// anonymous, for the counts.
func (s *Store) DeleteExpiredNumbers(ctx context.Context) (int, error) {
	now := s.now()
	n := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE helpline_calls SET caller_enc = NULL WHERE caller_enc IS NOT NULL AND started_at <= $1`,
			db.Now(now.Add(-CallNumberRetention)))
		if err != nil {
			return err
		}
		a, _ := res.RowsAffected()
		res, err = tx.ExecContext(ctx, `UPDATE helpline_callbacks SET caller_enc = NULL WHERE caller_enc IS NOT NULL AND done_at <= $1`,
			db.Now(now.Add(-CallbackNumberRetention)))
		if err != nil {
			return err
		}
		b, _ := res.RowsAffected()
		n = int(a + b)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired callers' numbers: %w", err)
	}
	return n, nil
}

// RunRetention deletes expired numbers now and then every interval until
// ctx ends.
func (m *Module) RunRetention(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := m.store.DeleteExpiredNumbers(ctx)
		if err != nil && ctx.Err() == nil {
			m.app.Log.Error("delete expired callers' numbers", "err", err)
		} else if n > 0 {
			m.app.Log.Info("deleted expired callers' numbers", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Reencrypt encrypts every caller's number that is not under the
// keyring's current key again with it, and returns how many it changed:
// `megafon keys reencrypt` runs it with the contacts', so that the old key
// can be dropped.
func (s *Store) Reencrypt(ctx context.Context) (int, error) {
	changed := 0
	for _, t := range []struct{ table, context string }{{"helpline_calls", callerContext}, {"helpline_callbacks", callbackContext}} {
		prefix := "v1:" + s.Keys.CurrentKeyID() + ":%"
		rows, err := s.DB.Query(ctx, `SELECT id, caller_enc FROM `+t.table+` WHERE caller_enc IS NOT NULL AND caller_enc NOT LIKE $1 ORDER BY id`, prefix)
		if err != nil {
			return changed, fmt.Errorf("re-encrypt callers' numbers: %w", err)
		}
		type row struct {
			id  int64
			enc string
		}
		var todo []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.enc); err != nil {
				rows.Close()
				return changed, fmt.Errorf("re-encrypt callers' numbers: %w", err)
			}
			todo = append(todo, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return changed, fmt.Errorf("re-encrypt callers' numbers: %w", err)
		}
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			for _, r := range todo {
				enc, err := s.Keys.Reencrypt(r.enc, t.context)
				if err != nil {
					return fmt.Errorf("%s %d: %w", t.table, r.id, err)
				}
				// Only if unchanged meanwhile: the retention job may have deleted it.
				res, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET caller_enc = $1 WHERE id = $2 AND caller_enc = $3`, enc, r.id, r.enc)
				if err != nil {
					return fmt.Errorf("%s %d: %w", t.table, r.id, err)
				}
				n, _ := res.RowsAffected()
				changed += int(n)
			}
			return nil
		})
		if err != nil {
			return changed, fmt.Errorf("re-encrypt callers' numbers: %w", err)
		}
	}
	return changed, nil
}
