// Package helpline is the help line of an operation: its public number,
// the languages it offers and their opening hours, the shared phones the
// partner groups carry, and the shifts that staff it. Telephony
// (package telephony) asks it who is on shift; the calls and their log
// (package calls) ask it whose queue a callback request lands in.
package helpline

import (
	"context"
	"time"
)

// Ring says how a call is forwarded to the volunteers on shift.
type Ring string

// The ways to ring.
const (
	RingAll  Ring = "all"  // every phone on shift for the language at once
	RingTurn Ring = "turn" // one after another, RingSeconds each
)

// Language is a language the line offers and the menu key that chooses it.
type Language struct {
	Lang string
	Key  int // 1..9
}

// Line is a help line.
type Line struct {
	ID               int64
	OperationID      int64
	Name             string
	PublicNumber     string // E.164
	Ring             Ring
	RingSeconds      int
	TimeZone         string // IANA, "Europe/Stockholm"
	ClosedOnHolidays bool   // closed on Swedish public holidays unless an exception opens the day
	Languages        []Language
}

// OnDuty is a volunteer on shift: whom a call is forwarded to.
type OnDuty struct {
	ShiftID  int64
	PersonID int64
	Name     string
	PhoneID  int64  // the shared phone of the shift; 0 when it has none
	Number   string // E.164: the shared phone's number, else the volunteer's own
}

// Roster is what telephony and the call log ask of the help lines. *Store
// implements it; consumers take the interface so that their tests can
// use a fake.
type Roster interface {
	// Line returns one line with its languages.
	Line(ctx context.Context, id int64) (Line, error)
	// OpenAt says whether the line answers in lang at the instant at:
	// the weekly hours in the line's time zone, then Swedish public
	// holidays when the line closes on them, then the exceptions for
	// that date (one for lang before one for every language).
	OpenAt(ctx context.Context, lineID int64, lang string, at time.Time) (bool, error)
	// OnShift lists the volunteers on shift in lang at the instant at,
	// the earliest started first: the order a call rings them in turn.
	OnShift(ctx context.Context, lineID int64, lang string, at time.Time) ([]OnDuty, error)
	// ShiftLanguages lists the (line, language) pairs that person is on
	// shift for at the instant at: the callback queues she sees first.
	ShiftLanguages(ctx context.Context, personID int64, at time.Time) ([]LineLanguage, error)
}

// LineLanguage is one language of one line.
type LineLanguage struct {
	LineID int64
	Lang   string
}
