// Package operation is Outreach's operations: the work of one crisis (e.g.
// "Covid-19 information"), led by a city administration, with the partner
// groups taking part, a current support level with its history, and
// suggestions to change the level computed from signals that other modules
// contribute.
//
// Other modules use it through Store.Get, CanSee and CanManage, and add
// level signals with Module.AddSignalSource.
package operation

import (
	"slices"
	"time"

	"megafon/platform/auth"
)

// Operation is one crisis' work, as other modules need it.
type Operation struct {
	ID          int64
	Name        string
	Description string
	StartsOn    string // YYYY-MM-DD
	EndsOn      string // YYYY-MM-DD, or "" while open-ended
	LeadOrgID   int64
	LeadOrgName string
	Level       Level
	GroupIDs    []int64 // partner groups taking part now
	InvitedIDs  []int64 // partner groups invited that have not yet joined
	CreatedAt   time.Time
}

// Takes reports whether the partner group takes part in the operation now.
func (op Operation) Takes(orgID int64) bool { return slices.Contains(op.GroupIDs, orgID) }

// Invited reports whether the partner group has an open invitation.
func (op Operation) Invited(orgID int64) bool { return slices.Contains(op.InvitedIDs, orgID) }

// CanSee reports whether u may know that the operation exists and read it:
// an administrator; any city coordinator (the lead administration manages,
// the others read, because operations are often run by two administrations
// together); the group leads and volunteers of the groups taking part; and
// the group leads of an invited group, so they can accept. Facilitators and
// board members have no part in operations.
func CanSee(u *auth.User, op Operation) bool {
	if u == nil {
		return false
	}
	if u.IsAdmin() || u.Has(auth.Coordinator) {
		return true
	}
	for _, g := range op.GroupIDs {
		if u.HasIn(g, auth.GroupLead, auth.Volunteer) {
			return true
		}
	}
	for _, g := range op.InvitedIDs {
		if u.HasIn(g, auth.GroupLead) {
			return true
		}
	}
	return false
}

// CanManage reports whether u may edit the operation and invite groups:
// a coordinator of the lead administration, or an administrator.
func CanManage(u *auth.User, op Operation) bool {
	return u.IsAdmin() || u.HasIn(op.LeadOrgID, auth.Coordinator)
}

// CanChangeLevel reports whether u may change the operation's support
// level: only a coordinator of the lead administration. An administrator
// runs the system, not the crisis, so she may not.
func CanChangeLevel(u *auth.User, op Operation) bool {
	return u.HasIn(op.LeadOrgID, auth.Coordinator)
}

// CanCreate reports whether u may create an operation led by the
// administration leadOrgID: its coordinators, or an administrator.
func CanCreate(u *auth.User, leadOrgID int64) bool {
	return u.IsAdmin() || u.HasIn(leadOrgID, auth.Coordinator)
}

// CanAnswerInvitation reports whether u may accept an invitation for the
// partner group orgID, or make it leave: its group lead.
func CanAnswerInvitation(u *auth.User, orgID int64) bool {
	return u.HasIn(orgID, auth.GroupLead)
}

// RoleIn returns the role in which u takes part in op, for "what this level
// means for me": coordinator, group_lead or volunteer, or "" when none
// applies (an administrator or a coordinator of another administration
// reads the coordinator's text).
func RoleIn(u *auth.User, op Operation) auth.Role {
	switch {
	case u.Has(auth.Coordinator) || u.IsAdmin():
		return auth.Coordinator
	}
	for _, g := range append(slices.Clone(op.GroupIDs), op.InvitedIDs...) {
		if u.HasIn(g, auth.GroupLead) {
			return auth.GroupLead
		}
	}
	for _, g := range op.GroupIDs {
		if u.HasIn(g, auth.Volunteer) {
			return auth.Volunteer
		}
	}
	return ""
}

// LevelChange is one entry of an operation's level history.
type LevelChange struct {
	ID       int64
	From, To Level
	Reason   string
	ByID     int64
	ByName   string
	At       time.Time
}

// Participation is a partner group's part in an operation.
type Participation struct {
	OrgID     int64
	OrgName   string
	InvitedAt time.Time
	JoinedAt  time.Time // zero while invited
	LeftAt    time.Time // zero while taking part
}
