// Package referral is Outreach's referrals: a volunteer who meets a
// resident in need (health, violence in close relationships, no food,
// housing, money, other) files a referral; a routing table sends each
// category to one city administration, whose coordinators alone see it and
// move it from new to acknowledged, in progress and closed, within
// deadlines set by its urgency. The volunteer follows its status, never
// its details once handed over. Urgent referrals not acknowledged in time
// feed the operation's level suggestion.
//
// What is needed is masked (platform/redact) before it is stored; how to
// reach the resident is kept only with her consent, encrypted with the
// keyring, and deleted a set time after the referral is closed.
package referral

import (
	"slices"
	"time"

	"megafon/platform/auth"
)

// Category is the kind of help a resident needs.
type Category string

// The categories, in the order the form shows them.
const (
	Health   Category = "health"
	Violence Category = "violence" // violence in close relationships
	Food     Category = "food"
	Housing  Category = "housing"
	Money    Category = "money"
	Other    Category = "other"
)

// Categories lists every category, for forms and the routing table.
var Categories = []Category{Health, Violence, Food, Housing, Money, Other}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Urgency says how soon the city must act.
type Urgency string

// The urgencies, most urgent first.
const (
	Urgent Urgency = "urgent"
	Soon   Urgency = "soon"
	Normal Urgency = "normal"
)

// Urgencies lists every urgency, most urgent first.
var Urgencies = []Urgency{Urgent, Soon, Normal}

// Valid reports whether u is a known urgency.
func (u Urgency) Valid() bool { return slices.Contains(Urgencies, u) }

// Deadline is how long an administration has to acknowledge a referral
// and to close it, counted from its filing.
type Deadline struct {
	Acknowledge time.Duration
	Close       time.Duration
}

// Deadlines by urgency. Urgent is a resident at risk now: someone at the
// administration must have read it within a working morning (4 h) and
// have done something within three days. Soon and normal follow the
// rhythm of the support levels' answer times (24 h, 72 h).
var Deadlines = map[Urgency]Deadline{
	Urgent: {Acknowledge: 4 * time.Hour, Close: 3 * 24 * time.Hour},
	Soon:   {Acknowledge: 24 * time.Hour, Close: 14 * 24 * time.Hour},
	Normal: {Acknowledge: 72 * time.Hour, Close: 30 * 24 * time.Hour},
}

// DueDates returns when a referral of urgency filed at must be
// acknowledged and closed.
func DueDates(u Urgency, filed time.Time) (ack, close time.Time) {
	d := Deadlines[u]
	return filed.Add(d.Acknowledge), filed.Add(d.Close)
}

// DefaultContactRetention is how long how to reach the resident is kept
// after her referral is closed: long enough for the administration to
// call back about the outcome or a reopened case, no longer.
const DefaultContactRetention = 30 * 24 * time.Hour

// State is where a referral is on its way to closure.
type State string

// The states, in order.
const (
	New          State = "new"
	Acknowledged State = "acknowledged"
	InProgress   State = "in_progress"
	Closed       State = "closed"
)

// States lists every state in order.
var States = []State{New, Acknowledged, InProgress, Closed}

// Outcome is how a closed referral ended.
type Outcome string

// The outcomes of a closed referral.
const (
	Helped      Outcome = "helped"
	ReferredOn  Outcome = "referred_on"
	Declined    Outcome = "declined"
	Unreachable Outcome = "unreachable"
	OtherEnd    Outcome = "other"
)

// Outcomes lists every outcome, for the close form.
var Outcomes = []Outcome{Helped, ReferredOn, Declined, Unreachable, OtherEnd}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// CanMove reports whether a referral may go from one state to another:
// one step forward at a time, and closing is allowed once it is
// acknowledged (a resident may need nothing more than the call that
// acknowledged it). Nothing goes back and nothing leaves closed.
func CanMove(from, to State) bool {
	switch from {
	case New:
		return to == Acknowledged
	case Acknowledged:
		return to == InProgress || to == Closed
	case InProgress:
		return to == Closed
	}
	return false
}

// NextStates are the states a referral in from may move to, for the page.
func NextStates(from State) []State {
	var out []State
	for _, to := range States {
		if CanMove(from, to) {
			out = append(out, to)
		}
	}
	return out
}

// Referral is a referral as its administration sees it.
type Referral struct {
	ID             int64
	OperationID    int64
	OperationName  string
	GroupID        int64
	GroupName      string
	OrgID          int64 // the administration it is routed to
	OrgName        string
	FiledBy        int64
	FiledByName    string
	Category       Category
	Urgency        Urgency
	Need           string // masked
	HasContact     bool
	ContactDeleted time.Time // zero unless the contact was deleted
	State          State
	Outcome        Outcome
	AckDue         time.Time
	CloseDue       time.Time
	FiledAt        time.Time
	AcknowledgedAt time.Time
	ClosedAt       time.Time
}

// AckOverdue reports whether the referral is still new after its
// acknowledgement deadline.
func (r Referral) AckOverdue(now time.Time) bool { return r.State == New && now.After(r.AckDue) }

// CloseOverdue reports whether the referral is still open after its
// closing deadline.
func (r Referral) CloseOverdue(now time.Time) bool { return r.State != Closed && now.After(r.CloseDue) }

// Status is what the volunteer who filed a referral sees of it: no need,
// no contact, no administration's notes.
type Status struct {
	ID            int64
	OperationName string
	Category      Category
	Urgency       Urgency
	State         State
	FiledAt       time.Time
	UpdatedAt     time.Time
}

// CanSeeDetails reports whether u may read a referral routed to orgID:
// the coordinators of that administration, and nobody else. An
// administrator runs the system, not the cases; the volunteer who filed
// it sees its status only; the other administrations never learn it
// exists.
func CanSeeDetails(u *auth.User, orgID int64) bool {
	return u != nil && u.HasIn(orgID, auth.Coordinator)
}

// CanFile reports whether u may file a referral in an operation whose
// taking-part groups are groupIDs, and for which of her groups: a
// volunteer of a group taking part. It returns the group.
func CanFile(u *auth.User, groupIDs []int64) (int64, bool) {
	if u == nil {
		return 0, false
	}
	for _, g := range u.OrgsWith(auth.Volunteer) {
		if slices.Contains(groupIDs, g) {
			return g, true
		}
	}
	return 0, false
}
