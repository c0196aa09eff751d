package operation

import "fmt"

// Signals are what Megafon measured about an operation over the current
// period (a week), from which SuggestLevel proposes a change of level.
type Signals struct {
	OverdueEscalations  int     // escalated questions past their answer deadline
	UrgentReferralsOpen int     // urgent referrals not yet closed
	CallsThisWeek       int     // help-line and campaign calls this week
	AvgCallsPerWeek     float64 // average calls per week over the four weeks before

	// Extra holds the signals of later modules, so that they plug in
	// without changing this struct.
	Extra []Signal
}

// Direction says on which side of its threshold a signal is alarming.
type Direction string

const (
	// Up: the signal alarms when its value reaches the threshold or more
	// (e.g. open callback requests).
	Up Direction = "up"
	// Down: the signal alarms when its value falls to the threshold or
	// less (e.g. volunteers on shift).
	Down Direction = "down"
)

// Signal is one measured value from another module with its threshold.
type Signal struct {
	Name      string // translation key of the reason, e.g. "helpline.signal.missed_calls"
	Value     float64
	Threshold float64
	Direction Direction
}

// Alarming reports whether the signal is on the alarming side of its
// threshold. A signal with an unknown direction never alarms.
func (s Signal) Alarming() bool {
	switch s.Direction {
	case Up:
		return s.Value >= s.Threshold
	case Down:
		return s.Value <= s.Threshold
	}
	return false
}

// Thresholds are the settings of SuggestLevel. A zero field takes its
// default, so the zero Thresholds behaves as DefaultThresholds.
type Thresholds struct {
	RaiseOverdueEscalations int     // raise at this many overdue escalations or more (3)
	RaiseUrgentReferrals    int     // raise at this many open urgent referrals or more (2)
	RaiseCallsFactor        float64 // raise when this week's calls reach this multiple of the average (1.5) ...
	RaiseCallsMin           int     // ... and are at least this many (20), so that small numbers are no spike
	LowerCallsFactor        float64 // lower when all is quiet and calls are at most this multiple of the average (0.5)
}

// DefaultThresholds returns the thresholds a city starts with.
func DefaultThresholds() Thresholds {
	return Thresholds{
		RaiseOverdueEscalations: 3,
		RaiseUrgentReferrals:    2,
		RaiseCallsFactor:        1.5,
		RaiseCallsMin:           20,
		LowerCallsFactor:        0.5,
	}
}

// withDefaults fills the zero fields from DefaultThresholds.
func (th Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds()
	if th.RaiseOverdueEscalations <= 0 {
		th.RaiseOverdueEscalations = d.RaiseOverdueEscalations
	}
	if th.RaiseUrgentReferrals <= 0 {
		th.RaiseUrgentReferrals = d.RaiseUrgentReferrals
	}
	if th.RaiseCallsFactor <= 0 {
		th.RaiseCallsFactor = d.RaiseCallsFactor
	}
	if th.RaiseCallsMin <= 0 {
		th.RaiseCallsMin = d.RaiseCallsMin
	}
	if th.LowerCallsFactor <= 0 {
		th.LowerCallsFactor = d.LowerCallsFactor
	}
	return th
}

// Validate checks thresholds that an administrator entered: no negative
// numbers, and a "quiet" call level below the "spike" level, so that one
// week cannot suggest both.
func (th Thresholds) Validate() error {
	if th.RaiseOverdueEscalations < 0 || th.RaiseUrgentReferrals < 0 || th.RaiseCallsMin < 0 ||
		th.RaiseCallsFactor < 0 || th.LowerCallsFactor < 0 {
		return fmt.Errorf("thresholds: negative value")
	}
	if f := th.withDefaults(); f.LowerCallsFactor >= f.RaiseCallsFactor {
		return fmt.Errorf("thresholds: lower factor %.2f must be below raise factor %.2f", f.LowerCallsFactor, f.RaiseCallsFactor)
	}
	return nil
}

// Change is what a suggestion proposes.
type Change string

const (
	Keep  Change = ""      // no suggestion
	Raise Change = "raise" // one level up
	Lower Change = "lower" // one level down
)

// Reason is why a change is suggested: a translation key and the numbers
// that its message shows.
type Reason struct {
	Key       string  // e.g. "operation.suggest.overdue_escalations"
	Value     float64 // what was measured
	Threshold float64 // the limit it crossed
	Average   float64 // for calls: the four-week average it was compared with
}

// Suggestion is a proposed change of level. It is only shown to a
// coordinator, who decides; nothing changes the level by itself.
type Suggestion struct {
	Change  Change
	From    Level
	To      Level    // equals From when Change is Keep
	Reasons []Reason // empty when Change is Keep
}

// Reason keys.
const (
	ReasonOverdueEscalations = "operation.suggest.overdue_escalations"
	ReasonUrgentReferrals    = "operation.suggest.urgent_referrals"
	ReasonCallSpike          = "operation.suggest.call_spike"
	ReasonQuiet              = "operation.suggest.quiet"
)

// SuggestLevel proposes raising the level by one when any signal is
// alarming (overdue escalations, urgent referrals, a spike in calls, or an
// extra signal), and lowering it by one when everything is quiet (nothing
// overdue, nothing urgent, few calls, no extra signal alarming). Raising
// wins over lowering. It never proposes a level outside 1..4 and never
// proposes anything for an invalid current level.
func SuggestLevel(current Level, s Signals, th Thresholds) Suggestion {
	keep := Suggestion{Change: Keep, From: current, To: current}
	if !current.Valid() {
		return keep
	}
	th = th.withDefaults()

	var raise []Reason
	if s.OverdueEscalations >= th.RaiseOverdueEscalations {
		raise = append(raise, Reason{Key: ReasonOverdueEscalations,
			Value: float64(s.OverdueEscalations), Threshold: float64(th.RaiseOverdueEscalations)})
	}
	if s.UrgentReferralsOpen >= th.RaiseUrgentReferrals {
		raise = append(raise, Reason{Key: ReasonUrgentReferrals,
			Value: float64(s.UrgentReferralsOpen), Threshold: float64(th.RaiseUrgentReferrals)})
	}
	avg := max(s.AvgCallsPerWeek, 0)
	calls := float64(s.CallsThisWeek)
	if spike := th.RaiseCallsFactor * avg; s.CallsThisWeek >= th.RaiseCallsMin && calls >= spike {
		raise = append(raise, Reason{Key: ReasonCallSpike,
			Value: calls, Threshold: max(spike, float64(th.RaiseCallsMin)), Average: avg})
	}
	extraAlarm := false
	for _, x := range s.Extra {
		if x.Alarming() {
			extraAlarm = true
			raise = append(raise, Reason{Key: x.Name, Value: x.Value, Threshold: x.Threshold})
		}
	}

	switch {
	case len(raise) > 0:
		if current == MaxLevel {
			return keep
		}
		return Suggestion{Change: Raise, From: current, To: current + 1, Reasons: raise}
	case current == MinLevel:
		return keep
	}

	quietCalls := th.LowerCallsFactor * avg
	if s.OverdueEscalations == 0 && s.UrgentReferralsOpen == 0 && !extraAlarm && calls <= quietCalls {
		return Suggestion{Change: Lower, From: current, To: current - 1, Reasons: []Reason{{
			Key: ReasonQuiet, Value: calls, Threshold: quietCalls, Average: avg,
		}}}
	}
	return keep
}
