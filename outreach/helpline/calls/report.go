package calls

import (
	"context"
	"fmt"
	"slices"
	"time"

	"megafon/platform/db"
)

// DayRow is one day and language of a line's calls, anonymous: counts only.
type DayRow struct {
	Day      string // YYYY-MM-DD in Stockholm
	Lang     string // "" for calls where no language was chosen
	Answered int
	Missed   int // forwarded and not answered, or the caller hung up or pressed no valid key
	Closed   int // outside opening hours or nobody on shift
	Logged   int
	Total    int
}

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// Report counts a line's calls from from to to per day and language, the
// newest day first. It reads no number.
func (s *Store) Report(ctx context.Context, lineID int64, from, to time.Time) ([]DayRow, error) {
	rows, err := s.DB.Query(ctx, `SELECT started_at, lang, outcome, logged_at IS NOT NULL FROM helpline_calls
		WHERE helpline_id = $1 AND started_at >= $2 AND started_at < $3`, lineID, db.Now(from), db.Now(to))
	if err != nil {
		return nil, fmt.Errorf("report of line %d: %w", lineID, err)
	}
	defer rows.Close()
	type key struct{ day, lang string }
	byKey := map[key]*DayRow{}
	for rows.Next() {
		var at time.Time
		var lang string
		var o Outcome
		var logged bool
		if err := rows.Scan(&at, &lang, &o, &logged); err != nil {
			return nil, fmt.Errorf("report of line %d: %w", lineID, err)
		}
		k := key{at.In(stockholm).Format("2006-01-02"), lang}
		r := byKey[k]
		if r == nil {
			r = &DayRow{Day: k.day, Lang: k.lang}
			byKey[k] = r
		}
		r.Total++
		switch o {
		case Answered:
			r.Answered++
		case NoAnswer, HungUp, UnknownKey:
			r.Missed++
		case Closed:
			r.Closed++
		}
		if logged {
			r.Logged++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report of line %d: %w", lineID, err)
	}
	out := make([]DayRow, 0, len(byKey))
	for _, r := range byKey {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b DayRow) int {
		if a.Day != b.Day {
			if a.Day > b.Day {
				return -1
			}
			return 1
		}
		switch {
		case a.Lang < b.Lang:
			return -1
		case a.Lang > b.Lang:
			return 1
		}
		return 0
	})
	return out, nil
}
