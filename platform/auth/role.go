// Package auth is who is who in Megafon: organisations, people, their
// memberships and roles, passwords, invitations and sessions. The rules of
// who may manage whom are plain functions here, tested without a database.
package auth

import (
	"slices"
	"strings"
)

// Role is what a person may do in one organisation.
type Role string

const (
	Admin       Role = "admin"        // runs the city's Megafon
	Coordinator Role = "coordinator"  // city: runs operations, verifies the handbook
	GroupLead   Role = "group_lead"   // partner group: its members, contacts and shifts
	Volunteer   Role = "volunteer"    // partner group: calls residents
	Facilitator Role = "facilitator"  // social administration: runs goal-setting processes
	BoardMember Role = "board_member" // the social welfare board
)

// Roles lists every role, in the order the interface shows them.
var Roles = []Role{Admin, Coordinator, GroupLead, Volunteer, Facilitator, BoardMember}

// ParseRole returns the role named s, or false.
func ParseRole(s string) (Role, bool) {
	r := Role(s)
	return r, slices.Contains(Roles, r)
}

// OrgKind says whether an organisation is part of the city or a partner.
type OrgKind string

const (
	Administration OrgKind = "administration"
	PartnerGroup   OrgKind = "partner_group"
)

// RolesFor lists the roles a member of an organisation of this kind can
// have: partner groups have leads and volunteers, the city the rest. The
// least powerful comes first, as the default of a form.
func RolesFor(kind OrgKind) []Role {
	if kind == PartnerGroup {
		return []Role{Volunteer, GroupLead}
	}
	return []Role{Coordinator, Facilitator, BoardMember, Admin}
}

// Org is a city administration or a partner group.
type Org struct {
	ID   int64
	Name string
	Kind OrgKind
}

// Membership is one role of a person in one organisation.
type Membership struct {
	ID      int64
	OrgID   int64
	OrgName string
	OrgKind OrgKind
	Role    Role
}

// Person is someone with an account. Languages are BCP 47 tags.
type Person struct {
	ID         int64
	Name       string
	Email      string
	Phone      string
	Languages  []string
	UILang     string
	SecretKind string // "password" or "passcode"
	Epoch      int64
	Active     bool // has set a password or passcode
}

// User is a signed-in person with her memberships.
type User struct {
	Person
	Memberships []Membership
}

// Has reports whether the user has role in any organisation.
func (u *User) Has(roles ...Role) bool {
	if u == nil {
		return false
	}
	for _, m := range u.Memberships {
		if slices.Contains(roles, m.Role) {
			return true
		}
	}
	return false
}

// IsAdmin reports whether the user administers the city's Megafon.
func (u *User) IsAdmin() bool { return u.Has(Admin) }

// HasIn reports whether the user has one of roles in the organisation.
func (u *User) HasIn(orgID int64, roles ...Role) bool {
	if u == nil {
		return false
	}
	for _, m := range u.Memberships {
		if m.OrgID == orgID && slices.Contains(roles, m.Role) {
			return true
		}
	}
	return false
}

// OrgsWith lists the ids of the organisations where the user has one of roles.
func (u *User) OrgsWith(roles ...Role) []int64 {
	if u == nil {
		return nil
	}
	var ids []int64
	for _, m := range u.Memberships {
		if slices.Contains(roles, m.Role) && !slices.Contains(ids, m.OrgID) {
			ids = append(ids, m.OrgID)
		}
	}
	return ids
}

// CanManageMembers reports whether the user may invite people to org,
// change their roles and remove them: administrators anywhere; a
// coordinator in her own administration; a group lead in her own group.
func CanManageMembers(u *User, org Org) bool {
	if u.IsAdmin() {
		return true
	}
	switch org.Kind {
	case Administration:
		return u.HasIn(org.ID, Coordinator)
	case PartnerGroup:
		return u.HasIn(org.ID, GroupLead)
	}
	return false
}

// Part is the half of the product a role belongs to: outreach (calling
// residents) or co-creation (goal-setting with residents). A person who
// runs one part does not by that get to see into the other.
type Part string

const (
	Outreach   Part = "outreach"
	CoCreation Part = "cocreation"
	Platform   Part = "platform"
)

// PartOf returns the part of the product a role belongs to.
func PartOf(r Role) Part {
	switch r {
	case Coordinator, GroupLead, Volunteer:
		return Outreach
	case Facilitator, BoardMember:
		return CoCreation
	}
	return Platform
}

// CanGrant reports whether the user may give role to a member of org, or
// take it away. Only an administrator makes administrators or gives a role
// of another part of the product than the one she runs in org (a
// coordinator makes coordinators, not facilitators, who read participants'
// names); nobody gives a role that the kind of organisation does not have.
func CanGrant(u *User, org Org, role Role) bool {
	if !slices.Contains(RolesFor(org.Kind), role) || !CanManageMembers(u, org) {
		return false
	}
	if u.IsAdmin() {
		return true
	}
	if role == Admin {
		return false
	}
	for _, m := range u.Memberships {
		if m.OrgID == org.ID && PartOf(m.Role) == PartOf(role) {
			return true
		}
	}
	return false
}

// CanChangeMembership reports whether the user may change a membership of
// person in org from role from to role to (to is empty when the membership
// is removed, from when it is added). Nobody changes her own roles: a
// coordinator who could would make herself a facilitator, or an
// administrator would lose the last administrator by a slip.
func CanChangeMembership(u *User, org Org, personID int64, from, to Role) bool {
	if u == nil || personID == u.ID {
		return false
	}
	if from != "" && !CanGrant(u, org, from) {
		return false
	}
	return to == "" || CanGrant(u, org, to)
}

// SplitLanguages parses a stored, comma-separated list of language tags.
func SplitLanguages(s string) []string {
	var out []string
	for _, l := range strings.Split(s, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
