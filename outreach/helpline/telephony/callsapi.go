package telephony

import (
	"context"
	"errors"
	"time"
)

// Outcome is how a call to the line ended (calls.Outcome).
type Outcome string

// The outcomes, as the calls store keeps them.
const (
	Answered   Outcome = "answered"
	NoAnswer   Outcome = "no_answer"
	Closed     Outcome = "closed"
	UnknownKey Outcome = "unknown_key"
	HungUp     Outcome = "hung_up"
)

// Call is a call that reached a line (calls.Call).
type Call struct {
	ID, LineID               int64
	Provider, ProviderCallID string
	StartedAt                time.Time
	Lang                     string
	Outcome                  Outcome
	AnsweredBy, PhoneID      int64
	AnsweredAt, EndedAt      time.Time
	Duration                 time.Duration
	Logged                   bool
}

// CallLog is what telephony asks of the calls store (*calls.Store).
type CallLog interface {
	Arrive(ctx context.Context, lineID int64, provider, providerCallID, caller string, at time.Time) (Call, error)
	ByProvider(ctx context.Context, provider, providerCallID string) (Call, error)
	ChooseLanguage(ctx context.Context, callID int64, lang string) error
	Answer(ctx context.Context, callID, personID, phoneID int64, at time.Time) error
	End(ctx context.Context, callID int64, outcome Outcome, at time.Time) error
	RequestCallback(ctx context.Context, callID int64, at time.Time) (int64, error)
}

// The calls store's problems that the flow passes over.
var (
	errTaken    error = errors.New("calls: taken")
	errNoNumber error = errors.New("calls: no number")
)
