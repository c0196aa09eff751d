package operation

import (
	"reflect"
	"testing"
)

func TestSuggestLevel(t *testing.T) {
	t.Parallel()
	// A normal week: a few calls around the average, nothing overdue.
	normal := Signals{CallsThisWeek: 40, AvgCallsPerWeek: 40}
	quiet := Signals{CallsThisWeek: 10, AvgCallsPerWeek: 40}
	with := func(s Signals, f func(*Signals)) Signals { f(&s); return s }
	def := DefaultThresholds()

	tests := []struct {
		name    string
		current Level
		signals Signals
		th      Thresholds
		want    Suggestion
	}{
		{"a normal week suggests nothing", LevelSupported, normal, def,
			Suggestion{Change: Keep, From: 2, To: 2}},
		{"the zero thresholds are the defaults", LevelSupported, with(normal, func(s *Signals) { s.OverdueEscalations = 3 }), Thresholds{},
			Suggestion{Raise, 2, 3, []Reason{{Key: ReasonOverdueEscalations, Value: 3, Threshold: 3}}}},

		// Overdue escalations.
		{"two overdue escalations are not enough", LevelSupported, with(normal, func(s *Signals) { s.OverdueEscalations = 2 }), def,
			Suggestion{Change: Keep, From: 2, To: 2}},
		{"three overdue escalations raise by one", LevelSupported, with(normal, func(s *Signals) { s.OverdueEscalations = 3 }), def,
			Suggestion{Raise, 2, 3, []Reason{{Key: ReasonOverdueEscalations, Value: 3, Threshold: 3}}}},
		{"many overdue escalations still raise by one only", LevelSelfRun, with(normal, func(s *Signals) { s.OverdueEscalations = 30 }), def,
			Suggestion{Raise, 1, 2, []Reason{{Key: ReasonOverdueEscalations, Value: 30, Threshold: 3}}}},
		{"a city may set its own threshold", LevelSupported, with(normal, func(s *Signals) { s.OverdueEscalations = 1 }),
			Thresholds{RaiseOverdueEscalations: 1},
			Suggestion{Raise, 2, 3, []Reason{{Key: ReasonOverdueEscalations, Value: 1, Threshold: 1}}}},

		// Urgent referrals.
		{"one urgent referral is not enough", LevelJoint, with(normal, func(s *Signals) { s.UrgentReferralsOpen = 1 }), def,
			Suggestion{Change: Keep, From: 3, To: 3}},
		{"two urgent referrals raise", LevelJoint, with(normal, func(s *Signals) { s.UrgentReferralsOpen = 2 }), def,
			Suggestion{Raise, 3, 4, []Reason{{Key: ReasonUrgentReferrals, Value: 2, Threshold: 2}}}},

		// Calls.
		{"calls at 1.5 times the average raise", LevelSupported, Signals{CallsThisWeek: 60, AvgCallsPerWeek: 40}, def,
			Suggestion{Raise, 2, 3, []Reason{{Key: ReasonCallSpike, Value: 60, Threshold: 60, Average: 40}}}},
		{"calls just under 1.5 times the average do not", LevelSupported, Signals{CallsThisWeek: 59, AvgCallsPerWeek: 40}, def,
			Suggestion{Change: Keep, From: 2, To: 2}},
		{"a spike of few calls is no spike", LevelSelfRun, Signals{CallsThisWeek: 19, AvgCallsPerWeek: 4}, def,
			Suggestion{Change: Keep, From: 1, To: 1}},
		{"twenty calls after a silent month are a spike", LevelSelfRun, Signals{CallsThisWeek: 20, AvgCallsPerWeek: 0}, def,
			Suggestion{Raise, 1, 2, []Reason{{Key: ReasonCallSpike, Value: 20, Threshold: 20, Average: 0}}}},
		{"the threshold shown is the higher of factor and minimum", LevelSelfRun, Signals{CallsThisWeek: 25, AvgCallsPerWeek: 10}, def,
			Suggestion{Raise, 1, 2, []Reason{{Key: ReasonCallSpike, Value: 25, Threshold: 20, Average: 10}}}},

		// Several reasons, in a fixed order.
		{"every reason is listed", LevelSupported, Signals{OverdueEscalations: 4, UrgentReferralsOpen: 5, CallsThisWeek: 100, AvgCallsPerWeek: 50}, def,
			Suggestion{Raise, 2, 3, []Reason{
				{Key: ReasonOverdueEscalations, Value: 4, Threshold: 3},
				{Key: ReasonUrgentReferrals, Value: 5, Threshold: 2},
				{Key: ReasonCallSpike, Value: 100, Threshold: 75, Average: 50},
			}}},

		// Never beyond the top.
		{"at crisis there is nothing to raise to", LevelCrisis, Signals{OverdueEscalations: 10, UrgentReferralsOpen: 10}, def,
			Suggestion{Change: Keep, From: 4, To: 4}},
		{"at crisis a busy week does not suggest lowering either", LevelCrisis, with(quiet, func(s *Signals) { s.OverdueEscalations = 5 }), def,
			Suggestion{Change: Keep, From: 4, To: 4}},

		// Lowering.
		{"a quiet week lowers by one", LevelJoint, quiet, def,
			Suggestion{Lower, 3, 2, []Reason{{Key: ReasonQuiet, Value: 10, Threshold: 20, Average: 40}}}},
		{"a quiet week at crisis lowers to joint", LevelCrisis, quiet, def,
			Suggestion{Lower, 4, 3, []Reason{{Key: ReasonQuiet, Value: 10, Threshold: 20, Average: 40}}}},
		{"calls at exactly half the average are quiet", LevelSupported, Signals{CallsThisWeek: 20, AvgCallsPerWeek: 40}, def,
			Suggestion{Lower, 2, 1, []Reason{{Key: ReasonQuiet, Value: 20, Threshold: 20, Average: 40}}}},
		{"calls over half the average are not quiet", LevelSupported, Signals{CallsThisWeek: 21, AvgCallsPerWeek: 40}, def,
			Suggestion{Change: Keep, From: 2, To: 2}},
		{"no calls at all for five weeks is quiet", LevelSupported, Signals{}, def,
			Suggestion{Lower, 2, 1, []Reason{{Key: ReasonQuiet, Value: 0, Threshold: 0, Average: 0}}}},
		{"one overdue escalation is not quiet", LevelJoint, with(quiet, func(s *Signals) { s.OverdueEscalations = 1 }), def,
			Suggestion{Change: Keep, From: 3, To: 3}},
		{"one urgent referral is not quiet", LevelJoint, with(quiet, func(s *Signals) { s.UrgentReferralsOpen = 1 }), def,
			Suggestion{Change: Keep, From: 3, To: 3}},
		{"self-run is the floor", LevelSelfRun, quiet, def,
			Suggestion{Change: Keep, From: 1, To: 1}},
		{"a negative average counts as none", LevelSupported, Signals{CallsThisWeek: 0, AvgCallsPerWeek: -5}, def,
			Suggestion{Lower, 2, 1, []Reason{{Key: ReasonQuiet, Value: 0, Threshold: 0, Average: 0}}}},

		// Signals from other modules.
		{"an extra signal going up raises", LevelSupported, with(normal, func(s *Signals) {
			s.Extra = []Signal{{Name: "helpline.signal.missed_calls", Value: 12, Threshold: 10, Direction: Up}}
		}), def, Suggestion{Raise, 2, 3, []Reason{{Key: "helpline.signal.missed_calls", Value: 12, Threshold: 10}}}},
		{"an extra signal going down raises", LevelSupported, with(normal, func(s *Signals) {
			s.Extra = []Signal{{Name: "shift.signal.volunteers_on_shift", Value: 1, Threshold: 2, Direction: Down}}
		}), def, Suggestion{Raise, 2, 3, []Reason{{Key: "shift.signal.volunteers_on_shift", Value: 1, Threshold: 2}}}},
		{"an extra signal within bounds changes nothing", LevelSupported, with(normal, func(s *Signals) {
			s.Extra = []Signal{{Name: "x", Value: 3, Threshold: 10, Direction: Up}, {Name: "y", Value: 5, Threshold: 2, Direction: Down}}
		}), def, Suggestion{Change: Keep, From: 2, To: 2}},
		{"an extra signal with no direction never alarms", LevelSupported, with(normal, func(s *Signals) {
			s.Extra = []Signal{{Name: "x", Value: 100, Threshold: 1}}
		}), def, Suggestion{Change: Keep, From: 2, To: 2}},
		{"an alarming extra signal keeps a quiet week from lowering", LevelJoint, with(quiet, func(s *Signals) {
			s.Extra = []Signal{{Name: "x", Value: 1, Threshold: 1, Direction: Up}}
		}), def, Suggestion{Raise, 3, 4, []Reason{{Key: "x", Value: 1, Threshold: 1}}}},
		{"extra signals come after the built-in reasons", LevelSelfRun, Signals{OverdueEscalations: 3,
			Extra: []Signal{{Name: "x", Value: 1, Threshold: 1, Direction: Up}}}, def,
			Suggestion{Raise, 1, 2, []Reason{{Key: ReasonOverdueEscalations, Value: 3, Threshold: 3}, {Key: "x", Value: 1, Threshold: 1}}}},

		// Nonsense in, nothing out.
		{"an invalid level gets no suggestion", 0, Signals{OverdueEscalations: 10}, def,
			Suggestion{Change: Keep, From: 0, To: 0}},
		{"a level above crisis gets no suggestion", 5, quiet, def,
			Suggestion{Change: Keep, From: 5, To: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := SuggestLevel(tt.current, tt.signals, tt.th)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("SuggestLevel(%v, %+v) =\n  %+v\nwant\n  %+v", tt.current, tt.signals, got, tt.want)
			}
		})
	}
}

func TestSuggestLevelNeverLeavesTheScaleAndMovesOneStep(t *testing.T) {
	t.Parallel()
	for l := MinLevel; l <= MaxLevel; l++ {
		for _, s := range []Signals{
			{}, {OverdueEscalations: 100}, {UrgentReferralsOpen: 100}, {CallsThisWeek: 1000, AvgCallsPerWeek: 1},
			{CallsThisWeek: 1, AvgCallsPerWeek: 1000},
		} {
			got := SuggestLevel(l, s, Thresholds{})
			if !got.To.Valid() {
				t.Errorf("SuggestLevel(%v, %+v) proposes %v", l, s, got.To)
			}
			step := int(got.To - got.From)
			switch {
			case got.Change == Keep && (step != 0 || len(got.Reasons) != 0),
				got.Change == Raise && (step != 1 || len(got.Reasons) == 0),
				got.Change == Lower && (step != -1 || len(got.Reasons) == 0):
				t.Errorf("SuggestLevel(%v, %+v) = %+v", l, s, got)
			}
		}
	}
}

func TestThresholdsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		th   Thresholds
		ok   bool
	}{
		{"defaults", DefaultThresholds(), true},
		{"zero means defaults", Thresholds{}, true},
		{"negative count", Thresholds{RaiseUrgentReferrals: -1}, false},
		{"negative factor", Thresholds{LowerCallsFactor: -0.5}, false},
		{"quiet above spike", Thresholds{RaiseCallsFactor: 1.2, LowerCallsFactor: 1.3}, false},
		{"quiet equal to spike", Thresholds{RaiseCallsFactor: 1, LowerCallsFactor: 1}, false},
		{"a stricter city", Thresholds{RaiseOverdueEscalations: 1, RaiseCallsFactor: 1.2, LowerCallsFactor: 0.3}, true},
	}
	for _, tt := range tests {
		if err := tt.th.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}
