package campaign

import (
	"slices"
	"testing"
	"time"
)

// monday10 is the fake clock's "now": a Monday morning in Stockholm.
var monday10 = time.Date(2021, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))

func at(d time.Duration) time.Time { return monday10.Add(d) }

func TestNextAttempt(t *testing.T) {
	t.Parallel()
	defaults := DefaultRetryRules()
	tomorrow := at(24 * time.Hour)
	anHourAgo := at(-time.Hour)
	tests := []struct {
		name       string
		rules      RetryRules
		attempts   int
		outcome    Outcome
		callbackAt *time.Time
		wantNext   time.Time
		wantFinal  bool
	}{
		{"completed is done", defaults, 1, Completed, nil, time.Time{}, true},
		{"declined is done", defaults, 1, Declined, nil, time.Time{}, true},
		{"wrong number is done", defaults, 1, WrongNumber, nil, time.Time{}, true},
		{"do not call is done", defaults, 1, DoNotCall, nil, time.Time{}, true},
		{"a final outcome stays final whatever the rules say", RetryRules{Declined: {MaxAttempts: 5, MinGap: time.Hour}}, 1, Declined, nil, time.Time{}, true},
		{"an unknown outcome is done, to be safe", defaults, 1, "hung_up", nil, time.Time{}, true},

		{"first no answer returns after 3 hours", defaults, 1, NoAnswer, nil, at(3 * time.Hour), false},
		{"second no answer returns after 3 hours", defaults, 2, NoAnswer, nil, at(3 * time.Hour), false},
		{"third no answer is the last", defaults, 3, NoAnswer, nil, time.Time{}, true},
		{"more attempts than allowed is done", defaults, 7, NoAnswer, nil, time.Time{}, true},
		{"busy returns after 30 minutes", defaults, 1, Busy, nil, at(30 * time.Minute), false},
		{"busy on the third attempt is the last", defaults, 3, Busy, nil, time.Time{}, true},
		{"voicemail is like no answer", defaults, 2, Voicemail, nil, at(3 * time.Hour), false},
		{"attempts of any outcome count: busy after two no answers", defaults, 3, Busy, nil, time.Time{}, true},

		{"callback at the time asked for", defaults, 1, Callback, &tomorrow, tomorrow, false},
		{"callback in the past is due now", defaults, 1, Callback, &anHourAgo, monday10, false},
		{"callback without a time is due now", defaults, 1, Callback, nil, monday10, false},
		{"callbacks stop after 5 attempts in all", defaults, 5, Callback, &tomorrow, time.Time{}, true},
		{"callback has a default when the rules omit it", RetryRules{}, 1, Callback, &tomorrow, tomorrow, false},
		{"other language returns at once", defaults, 1, OtherLanguage, nil, monday10, false},
		{"other language has a default when the rules omit it", RetryRules{}, 4, OtherLanguage, nil, monday10, false},

		{"a campaign without retries: no answer is done", RetryRules{}, 1, NoAnswer, nil, time.Time{}, true},
		{"nil rules: no answer is done", nil, 1, NoAnswer, nil, time.Time{}, true},
		{"custom rules: 5 attempts, a day apart", RetryRules{NoAnswer: {MaxAttempts: 5, MinGap: 24 * time.Hour}}, 4, NoAnswer, nil, tomorrow, false},
		{"MaxAttempts 0 means no retry", RetryRules{Busy: {MaxAttempts: 0, MinGap: time.Minute}}, 1, Busy, nil, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			next, final := NextAttempt(tt.rules, tt.attempts, tt.outcome, monday10, tt.callbackAt)
			if final != tt.wantFinal || !next.Equal(tt.wantNext) {
				t.Errorf("NextAttempt(%d, %s) = %v, final %v; want %v, final %v", tt.attempts, tt.outcome, next, final, tt.wantNext, tt.wantFinal)
			}
		})
	}
}

// A resident who never answers is called exactly three times, each at
// least three hours after the last.
func TestNoAnswerThreeTimesThenDone(t *testing.T) {
	t.Parallel()
	rules := DefaultRetryRules()
	now, calls := monday10, []time.Time{monday10}
	for attempts := 1; ; attempts++ {
		next, final := NextAttempt(rules, attempts, NoAnswer, now, nil)
		if final {
			break
		}
		if next.Sub(now) < 3*time.Hour {
			t.Fatalf("attempt %d at %v, only %v after the last", attempts+1, next, next.Sub(now))
		}
		now = next
		calls = append(calls, now)
	}
	if len(calls) != 3 {
		t.Fatalf("called %d times (%v), want 3", len(calls), calls)
	}
}

func TestPriorityOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		q       Queued
		want    Priority
		wantDue bool
	}{
		{"never tried", Queued{}, PriorityNew, true},
		{"never tried, NextAt ignored", Queued{NextAt: at(time.Hour)}, PriorityNew, true},
		{"callback due now", Queued{Attempts: 1, NextAt: monday10, Callback: true}, PriorityCallback, true},
		{"answer callback due", Queued{Attempts: 1, NextAt: monday10, Answer: true}, PriorityAnswer, true},
		{"answer callback after another's lease", Queued{Attempts: 1, NextAt: at(10 * time.Minute), Answer: true}, PriorityAnswer, false},
		{"callback overdue", Queued{Attempts: 1, NextAt: at(-2 * time.Hour), Callback: true}, PriorityCallback, true},
		{"callback tomorrow", Queued{Attempts: 1, NextAt: at(24 * time.Hour), Callback: true}, 0, false},
		{"retry due", Queued{Attempts: 2, NextAt: at(-time.Minute)}, PriorityRetry, true},
		{"retry in a minute", Queued{Attempts: 2, NextAt: at(time.Minute)}, 0, false},
		{"final", Queued{Attempts: 1, Final: true}, 0, false},
		{"final, never tried (do-not-call before the first call)", Queued{Final: true}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, due := PriorityOf(tt.q, monday10)
			if got != tt.want || due != tt.wantDue {
				t.Errorf("PriorityOf(%+v) = %v, %v; want %v, %v", tt.q, got, due, tt.want, tt.wantDue)
			}
		})
	}
}

// The queue serves callbacks due now first, then people never tried, then
// retries whose time has come; nothing that is not due.
func TestQueueOrder(t *testing.T) {
	t.Parallel()
	contacts := map[string]Queued{
		"callback later":      {Attempts: 1, NextAt: at(time.Hour), Callback: true},
		"retry overdue":       {Attempts: 1, NextAt: at(-5 * time.Hour)},
		"new":                 {},
		"callback now":        {Attempts: 2, NextAt: monday10, Callback: true},
		"retry just due":      {Attempts: 1, NextAt: at(-time.Minute)},
		"done":                {Attempts: 1, Final: true},
		"callback overdue":    {Attempts: 1, NextAt: at(-30 * time.Minute), Callback: true},
		"retry in 10 minutes": {Attempts: 1, NextAt: at(10 * time.Minute)},
	}
	names := make([]string, 0, len(contacts))
	for name := range contacts {
		names = append(names, name)
	}
	slices.Sort(names) // a fixed start, so that a failure repeats
	slices.SortStableFunc(names, func(a, b string) int {
		switch {
		case CallsBefore(contacts[a], contacts[b], monday10):
			return -1
		case CallsBefore(contacts[b], contacts[a], monday10):
			return 1
		}
		return 0
	})
	var due []string
	for _, name := range names {
		if _, ok := PriorityOf(contacts[name], monday10); ok {
			due = append(due, name)
		}
	}
	want := []string{"callback overdue", "callback now", "new", "retry overdue", "retry just due"}
	if !slices.Equal(due, want) {
		t.Fatalf("queue order = %q, want %q", due, want)
	}
	if last := names[len(names)-3:]; slices.ContainsFunc(last, func(n string) bool { _, ok := PriorityOf(contacts[n], monday10); return ok }) {
		t.Fatalf("something due sorts after what is not due: %q", names)
	}
}

func TestRetryRulesValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rules RetryRules
		want  string // the error code, "" for valid
	}{
		{"defaults", DefaultRetryRules(), ""},
		{"none", RetryRules{}, ""},
		{"retrying a completed call", RetryRules{Completed: {MaxAttempts: 2}}, "final_outcome"},
		{"unknown outcome", RetryRules{"hung_up": {MaxAttempts: 2}}, "unknown_outcome"},
		{"negative attempts", RetryRules{NoAnswer: {MaxAttempts: -1}}, "bad_max_attempts"},
		{"too many attempts", RetryRules{NoAnswer: {MaxAttempts: 50}}, "bad_max_attempts"},
		{"negative gap", RetryRules{Busy: {MaxAttempts: 3, MinGap: -time.Minute}}, "bad_min_gap"},
		{"gap over a week", RetryRules{Busy: {MaxAttempts: 3, MinGap: 8 * 24 * time.Hour}}, "bad_min_gap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.rules.Validate()
			var got string
			if e, ok := err.(*RuleError); ok {
				got = e.Code
			} else if err != nil {
				t.Fatalf("Validate = %v, not a *RuleError", err)
			}
			if got != tt.want {
				t.Errorf("Validate = %v, want code %q", err, tt.want)
			}
		})
	}
}

func TestParseOutcome(t *testing.T) {
	t.Parallel()
	for _, o := range Outcomes {
		if got, err := ParseOutcome(string(o)); err != nil || got != o {
			t.Errorf("ParseOutcome(%q) = %q, %v", o, got, err)
		}
	}
	for _, s := range []string{"", "Completed", "hung_up"} {
		if _, err := ParseOutcome(s); err == nil {
			t.Errorf("ParseOutcome(%q) accepted", s)
		}
	}
}
