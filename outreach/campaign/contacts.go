package campaign

import (
	"context"

	"megafon/platform/auth"
)

// Contact is what the queue needs to know about a resident: no name, no
// number. A partner group owns its contacts.
type Contact struct {
	ID        int64
	OrgID     int64
	Languages []string // BCP 47, the preferred first
	District  string
}

// Revealed is a contact's name and number, decrypted for the volunteer
// who calls her.
type Revealed struct {
	Name  string // may be empty
	Phone string // E.164
}

// Contacts is the contact register the campaigns call from. The contact
// module implements it; every Reveal is audited there.
type Contacts interface {
	// ForGroups lists the callable contacts of the groups: those on no
	// do-not-call list.
	ForGroups(ctx context.Context, orgIDs []int64) ([]Contact, error)
	// Reveal decrypts a contact's name and number for viewer, and writes
	// the view to the audit log.
	Reveal(ctx context.Context, contactID int64, viewer *auth.User, addr string) (Revealed, error)
	// DoNotCall puts the contact on the do-not-call list.
	DoNotCall(ctx context.Context, contactID int64, by *auth.User) error
	// Callable reports whether the contact is still in the register and
	// on no do-not-call list: one deleted (retention, a group lead) or
	// blocked after the queue filled must not be handed out.
	Callable(ctx context.Context, contactID int64) (bool, error)
}
