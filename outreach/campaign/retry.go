package campaign

import (
	"fmt"
	"time"
)

// Outcome is how a call ended, as the volunteer records it.
type Outcome string

// The outcomes of a call. The values are stable: they are stored and used
// in translation keys.
const (
	Completed     Outcome = "completed"      // the resident was reached and the call done
	NoAnswer      Outcome = "no_answer"      // nobody answered
	Busy          Outcome = "busy"           // the line was busy
	Voicemail     Outcome = "voicemail"      // an answering machine
	WrongNumber   Outcome = "wrong_number"   // the number is not the resident's
	Declined      Outcome = "declined"       // the resident did not want to talk
	Callback      Outcome = "callback"       // the resident asked to be called at a time
	OtherLanguage Outcome = "other_language" // the resident needs another language
	DoNotCall     Outcome = "do_not_call"    // the resident asked never to be called again
)

// Outcomes lists every outcome, in the order the call screen shows them.
var Outcomes = []Outcome{Completed, NoAnswer, Busy, Voicemail, WrongNumber, Declined, Callback, OtherLanguage, DoNotCall}

// Valid reports whether o is one of the outcomes.
func (o Outcome) Valid() bool {
	for _, v := range Outcomes {
		if o == v {
			return true
		}
	}
	return false
}

// ParseOutcome returns the outcome named s, or an error with the code
// "unknown_outcome".
func ParseOutcome(s string) (Outcome, error) {
	if o := Outcome(s); o.Valid() {
		return o, nil
	}
	return "", &RuleError{Code: "unknown_outcome", Reason: fmt.Sprintf("no outcome %q", s)}
}

// RuleError is a broken campaign rule, with a stable Code for the web
// layer and a Reason for logs.
type RuleError struct {
	Code   string
	Reason string
}

func (e *RuleError) Error() string { return "campaign: " + e.Code + ": " + e.Reason }

// Retry says how often, and how far apart, a contact is tried again after
// an outcome.
type Retry struct {
	// MaxAttempts is the most attempts the contact gets in all, counting
	// every earlier attempt whatever its outcome; 0 or 1 means no retry.
	MaxAttempts int `json:"max_attempts"`
	// MinGap is the least time between this attempt and the next.
	MinGap time.Duration `json:"min_gap"`
}

// RetryRules are a campaign's retry rules, per outcome. An outcome that is
// not in the map is final, except Callback and OtherLanguage, which have
// defaults of their own (see NextAttempt).
type RetryRules map[Outcome]Retry

// DefaultRetryRules returns the rules a new campaign starts with: no
// answer and voicemail up to 3 attempts at least 3 hours apart, busy up to
// 3 attempts at least 30 minutes apart, a callback or a call in another
// language up to 5 attempts in all.
func DefaultRetryRules() RetryRules {
	return RetryRules{
		NoAnswer:      {MaxAttempts: 3, MinGap: 3 * time.Hour},
		Busy:          {MaxAttempts: 3, MinGap: 30 * time.Minute},
		Voicemail:     {MaxAttempts: 3, MinGap: 3 * time.Hour},
		Callback:      {MaxAttempts: 5},
		OtherLanguage: {MaxAttempts: 5},
	}
}

// finalOutcomes never bring a contact back, whatever the rules say: the
// resident was reached, or must not or cannot be.
var finalOutcomes = map[Outcome]bool{Completed: true, WrongNumber: true, Declined: true, DoNotCall: true}

// maxAttemptsLimit bounds what a campaign may configure.
const maxAttemptsLimit = 10

// Validate checks the rules a coordinator set: attempts between 0 and 10,
// gaps between 0 and a week, and no retry of a final outcome.
func (r RetryRules) Validate() error {
	for o, rule := range r {
		switch {
		case !o.Valid():
			return &RuleError{Code: "unknown_outcome", Reason: fmt.Sprintf("no outcome %q", o)}
		case finalOutcomes[o] && rule.MaxAttempts > 1:
			return &RuleError{Code: "final_outcome", Reason: fmt.Sprintf("%s is never retried", o)}
		case rule.MaxAttempts < 0 || rule.MaxAttempts > maxAttemptsLimit:
			return &RuleError{Code: "bad_max_attempts", Reason: fmt.Sprintf("%s: %d attempts, want 0 to %d", o, rule.MaxAttempts, maxAttemptsLimit)}
		case rule.MinGap < 0 || rule.MinGap > 7*24*time.Hour:
			return &RuleError{Code: "bad_min_gap", Reason: fmt.Sprintf("%s: gap %v, want 0 to a week", o, rule.MinGap)}
		}
	}
	return nil
}

// NextAttempt decides what happens to a contact after a call that ended
// with outcome at time at, when attempts calls (this one included) have
// been made to it. It returns when the contact may be called next, or
// final when it is done and leaves the queue.
//
//   - Completed, WrongNumber, Declined and DoNotCall are final.
//   - Callback returns at *callbackAt, or at once when that is nil or past;
//     the resident asked, so no gap applies.
//   - OtherLanguage returns at once (plus its gap), for a volunteer who
//     speaks the language the caller recorded.
//   - Any other outcome returns after its rule's MinGap while attempts is
//     below its MaxAttempts, and is final after that, or when the campaign
//     has no rule for it.
//
// Every outcome respects its MaxAttempts, so a contact is never called
// more often than the campaign allows.
func NextAttempt(rules RetryRules, attempts int, outcome Outcome, at time.Time, callbackAt *time.Time) (next time.Time, final bool) {
	if finalOutcomes[outcome] || !outcome.Valid() {
		return time.Time{}, true
	}
	rule, ok := rules[outcome]
	if !ok {
		switch outcome {
		case Callback, OtherLanguage:
			rule = DefaultRetryRules()[outcome]
		default:
			return time.Time{}, true
		}
	}
	if attempts >= rule.MaxAttempts {
		return time.Time{}, true
	}
	if outcome == Callback {
		if callbackAt == nil || callbackAt.Before(at) {
			return at, false
		}
		return *callbackAt, false
	}
	return at.Add(rule.MinGap), false
}

// Queued is what the queue knows about a contact when it chooses whom a
// volunteer calls next.
type Queued struct {
	Attempts int       // calls made so far; 0 for never tried
	NextAt   time.Time // when it may be called again (from NextAttempt); ignored when never tried
	Callback bool      // NextAt is a time the resident asked for
	Answer   bool      // a callback with a verified answer she asked for (PriorityAnswer)
	Final    bool      // done: never queued again
}

// Priority orders due contacts: lower comes first.
type Priority int

// The priorities, in the order the queue serves them.
const (
	PriorityCallback Priority = iota + 1 // a callback whose time has come
	PriorityNew                          // never tried
	PriorityRetry                        // a retry whose time has come
)

// PriorityOf returns the priority of q at now, and false when q is not due
// (a retry or callback in the future) or final.
func PriorityOf(q Queued, now time.Time) (Priority, bool) {
	switch {
	case q.Final:
		return 0, false
	case q.Answer:
		return PriorityAnswer, !q.NextAt.After(now)
	case q.Attempts == 0:
		return PriorityNew, true
	case q.NextAt.After(now):
		return 0, false
	case q.Callback:
		return PriorityCallback, true
	default:
		return PriorityRetry, true
	}
}

// CallsBefore reports whether a is called before b at now: due before not
// due, then by priority, then the one that has waited longest (earliest
// NextAt) first. Ties are left to the caller (for example import order).
// The store's SQL orders the same way; this is its specification.
func CallsBefore(a, b Queued, now time.Time) bool {
	pa, dueA := PriorityOf(a, now)
	pb, dueB := PriorityOf(b, now)
	switch {
	case dueA != dueB:
		return dueA
	case !dueA:
		return false
	case pa != pb:
		return pa < pb
	case pa == PriorityNew:
		return false
	default:
		return a.NextAt.Before(b.NextAt)
	}
}
