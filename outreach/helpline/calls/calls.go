// Package calls keeps the calls that reached a help line, the callback
// requests that wait in each language's queue, and the anonymous log a
// volunteer writes after every call. Telephony (package telephony)
// records calls through the Store's Arrive, ChooseLanguage, Answer, End
// and RequestCallback; volunteers take callbacks and log calls on their
// phones; coordinators see counts, never a number.
package calls

import (
	"time"

	"megafon/platform/problem"
)

// Outcome is how a call to the line ended.
type Outcome string

// The outcomes of a call to the line. The values are stored.
const (
	Answered   Outcome = "answered"    // a volunteer on shift answered
	NoAnswer   Outcome = "no_answer"   // forwarded, nobody answered
	Closed     Outcome = "closed"      // outside the language's opening hours, or nobody on shift
	UnknownKey Outcome = "unknown_key" // no valid key pressed in the menu
	HungUp     Outcome = "hung_up"     // the caller hung up before anyone answered
)

// Outcomes lists them, in the order the coordinator's view shows them.
var Outcomes = []Outcome{Answered, NoAnswer, Closed, UnknownKey, HungUp}

// Valid reports whether o is one of the outcomes.
func (o Outcome) Valid() bool {
	for _, v := range Outcomes {
		if o == v {
			return true
		}
	}
	return false
}

// Providers of calls besides the telephony providers' own names.
const (
	// Manual is the provider of a call a volunteer logged by hand, taken
	// on a shared phone without a provider.
	Manual = "manual"
)

// Problems the store answers with.
var (
	ErrNotFound = problem.New(problem.NotFound, "error.not_found")
	// ErrTaken: another volunteer answered the call, or took the
	// callback request, first.
	ErrTaken = problem.New(problem.Conflict, "calls.error.taken")
	// ErrNoNumber: the caller withheld her number; nobody can call back.
	ErrNoNumber    = problem.New(problem.Conflict, "calls.error.no_number")
	errNoLanguage  = problem.New(problem.Conflict, "calls.error.no_language")
	errEnded       = problem.New(problem.Conflict, "calls.error.ended")
	errBadLanguage = problem.Field("language", "calls.error.language")
	errBadOutcome  = problem.New(problem.BadRequest, "error.bad_request")
)

// Call is a call that reached a help line.
type Call struct {
	ID, LineID               int64
	Provider, ProviderCallID string // provider "46elks", "twilio", or "manual" for a call logged by hand
	StartedAt                time.Time
	Lang                     string  // "" until chosen
	Outcome                  Outcome // "" while the call is on
	AnsweredBy, PhoneID      int64
	AnsweredAt, EndedAt      time.Time     // zero until then
	Duration                 time.Duration // of the conversation when answered, else of the call
	Logged                   bool
}
