package operation

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// SignalSource is a module that measures something about an operation
// that may call for another level: overdue escalations, urgent referrals,
// calls this week. Its Signals fills only the fields it knows; the
// operation module adds up every source's answer with MergeSignals.
//
// A module registers its source in its Mount, after the operation module is
// mounted:
//
//	for _, m := range app.Modules() {
//		if ops, ok := m.(*operation.Module); ok {
//			ops.AddSignalSource(mySource)
//		}
//	}
type SignalSource interface {
	Signals(ctx context.Context, operationID int64, now time.Time) (Signals, error)
}

// SignalFunc adapts a function to SignalSource.
type SignalFunc func(ctx context.Context, operationID int64, now time.Time) (Signals, error)

// Signals calls f.
func (f SignalFunc) Signals(ctx context.Context, operationID int64, now time.Time) (Signals, error) {
	return f(ctx, operationID, now)
}

// MergeSignals adds the partial signals of several sources into one:
// counts and averages are summed (each source counts its own calls or
// questions), extra signals are kept side by side.
func MergeSignals(parts ...Signals) Signals {
	var out Signals
	for _, p := range parts {
		out.OverdueEscalations += p.OverdueEscalations
		out.UrgentReferralsOpen += p.UrgentReferralsOpen
		out.CallsThisWeek += p.CallsThisWeek
		out.AvgCallsPerWeek += p.AvgCallsPerWeek
		out.Extra = append(out.Extra, p.Extra...)
	}
	return out
}

// CollectSignals asks every source about the operation and merges the
// answers. A source that fails fails the whole: a suggestion made from half
// the signals could wrongly say "all is quiet".
func CollectSignals(ctx context.Context, sources []SignalSource, operationID int64, now time.Time) (Signals, error) {
	parts := make([]Signals, 0, len(sources))
	for _, src := range sources {
		s, err := src.Signals(ctx, operationID, now)
		if err != nil {
			return Signals{}, fmt.Errorf("signals of operation %d: %w", operationID, err)
		}
		parts = append(parts, s)
	}
	return MergeSignals(parts...), nil
}

// thresholdNames are the settings' names in operation_settings.
var thresholdNames = []string{"raise_overdue_escalations", "raise_urgent_referrals", "raise_calls_factor", "raise_calls_min", "lower_calls_factor"}

func (th *Thresholds) fields() []any {
	return []any{&th.RaiseOverdueEscalations, &th.RaiseUrgentReferrals, &th.RaiseCallsFactor, &th.RaiseCallsMin, &th.LowerCallsFactor}
}

// Thresholds returns the city's thresholds of level suggestions; settings
// never saved take their defaults.
func (s *Store) Thresholds(ctx context.Context) (Thresholds, error) {
	th := DefaultThresholds()
	rows, err := s.DB.Query(ctx, `SELECT name, value FROM operation_settings`)
	if err != nil {
		return th, fmt.Errorf("thresholds: %w", err)
	}
	defer rows.Close()
	fields := th.fields()
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return th, fmt.Errorf("thresholds: %w", err)
		}
		for i, n := range thresholdNames {
			if n != name {
				continue
			}
			switch p := fields[i].(type) {
			case *int:
				if v, err := strconv.Atoi(value); err == nil {
					*p = v
				}
			case *float64:
				if v, err := strconv.ParseFloat(value, 64); err == nil {
					*p = v
				}
			}
		}
	}
	return th, rows.Err()
}
