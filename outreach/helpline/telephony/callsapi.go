package telephony

import (
	"context"
	"time"

	"megafon/outreach/helpline/calls"
)

// Call and Outcome are the calls store's.
type (
	Call    = calls.Call
	Outcome = calls.Outcome
)

// The outcomes the flow ends calls with.
const (
	Answered   = calls.Answered
	NoAnswer   = calls.NoAnswer
	Closed     = calls.Closed
	UnknownKey = calls.UnknownKey
	HungUp     = calls.HungUp
)

// CallLog is what telephony asks of the calls store; *calls.Store
// implements it, and tests may fake it.
type CallLog interface {
	Arrive(ctx context.Context, lineID int64, provider, providerCallID, caller string, at time.Time) (Call, error)
	ByProvider(ctx context.Context, provider, providerCallID string) (Call, error)
	ChooseLanguage(ctx context.Context, callID int64, lang string) error
	Answer(ctx context.Context, callID, personID, phoneID int64, at time.Time) error
	End(ctx context.Context, callID int64, outcome Outcome, at time.Time) error
	RequestCallback(ctx context.Context, callID int64, at time.Time) (int64, error)
}

var _ CallLog = (*calls.Store)(nil)

// The calls store's answers that the flow passes over: a second answer
// (a provider's retry), a withheld number (nobody to call back).
var (
	errTaken    error = calls.ErrTaken
	errNoNumber error = calls.ErrNoNumber
)
