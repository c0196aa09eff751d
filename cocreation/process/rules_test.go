package process_test

import (
	"strings"
	"testing"
	"time"

	"megafon/cocreation/internal/cctest"
	"megafon/cocreation/process"
)

func TestPhaseRules(t *testing.T) {
	t.Parallel()
	phases := process.DefaultPhases(time.Date(2023, 1, 2, 0, 0, 0, 0, process.Stockholm))
	at := func(kind string) time.Time {
		for _, p := range phases {
			if p.Kind == kind {
				d, _ := time.ParseInLocation(time.DateOnly, p.StartsOn, process.Stockholm)
				return d.Add(12 * time.Hour)
			}
		}
		t.Fatalf("no phase %s", kind)
		return time.Time{}
	}
	tests := []struct {
		phase  string
		action process.Action
		ok     bool
	}{
		{"invitation", process.ActionJoin, true},
		{"invitation", process.ActionSignUp, true},
		{"invitation", process.ActionPostNote, false},
		{"workshops", process.ActionPostNote, true},
		{"workshops", process.ActionPropose, false},
		{"workshops", process.ActionVote, false},
		{"proposals", process.ActionPropose, true},
		{"proposals", process.ActionVote, false},
		{"prioritisation", process.ActionVote, true},
		{"prioritisation", process.ActionPropose, false},
		{"decision", process.ActionJoin, false},
		{"follow_up", process.ActionPostNote, false},
	}
	for _, tc := range tests {
		err := process.Allowed(phases, at(tc.phase), tc.action)
		if (err == nil) != tc.ok {
			t.Errorf("%s in %s: %v, want allowed=%v", tc.action, tc.phase, err, tc.ok)
		}
		if err != nil && cctest.ProblemKey(err) != "cc.error.phase_closed."+string(tc.action) {
			t.Errorf("%s in %s: key %q", tc.action, tc.phase, cctest.ProblemKey(err))
		}
	}
	// A skipped phase is never current; nor is any before the first day.
	skipped := append([]process.Phase(nil), phases...)
	skipped[1].Skipped = true
	if err := process.Allowed(skipped, at("workshops"), process.ActionPostNote); cctest.ProblemKey(err) != "cc.error.no_phase" {
		t.Errorf("in a skipped phase: %v", err)
	}
	if err := process.Allowed(phases, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), process.ActionJoin); err == nil {
		t.Error("joined before the process began")
	}
}

func TestCleanNote(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want, key string
	}{
		{"  Väntetiden är för lång  ", "Väntetiden är för lång", ""},
		{"   \n ", "", "cc.error.note_empty"},
		{strings.Repeat("å", process.MaxNote), strings.Repeat("å", process.MaxNote), ""},
		{strings.Repeat("x", 10000), "", "cc.error.note_long"},
	} {
		got, err := process.CleanNote(tc.in)
		if got != tc.want || cctest.ProblemKey(err) != tc.key {
			t.Errorf("CleanNote(%.20q) = %.20q, %v; want %.20q, %s", tc.in, got, err, tc.want, tc.key)
		}
	}
}
