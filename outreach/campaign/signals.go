package campaign

import (
	"context"
	"fmt"
	"megafon/platform/db"
	"time"

	"megafon/outreach/operation"
)

// Signals counts the operation's campaign calls for its level suggestions:
// calls in the last seven days and the weekly average of the four weeks
// before. It is the operation module's SignalSource.
func (s *Store) Signals(ctx context.Context, operationID int64, now time.Time) (operation.Signals, error) {
	week := db.Now(now.Add(-7 * 24 * time.Hour))
	before := db.Now(now.Add(-35 * 24 * time.Hour))
	var thisWeek, earlier int
	err := s.DB.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN k.ended_at > $2 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN k.ended_at <= $2 THEN 1 ELSE 0 END), 0)
		FROM campaign_calls k JOIN campaigns c ON c.id = k.campaign_id
		WHERE c.operation_id = $1 AND k.ended_at > $3 AND k.ended_at <= $4`, operationID, week, before, db.Now(now)).Scan(&thisWeek, &earlier)
	if err != nil {
		return operation.Signals{}, fmt.Errorf("campaign signals of operation %d: %w", operationID, err)
	}
	return operation.Signals{CallsThisWeek: thisWeek, AvgCallsPerWeek: float64(earlier) / 4}, nil
}
