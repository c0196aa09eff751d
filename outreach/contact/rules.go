package contact

import (
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"megafon/platform/auth"
)

// CanSeeGroup reports whether u may see group orgID's contacts: its
// volunteers and group leads. The city (coordinators, administrators)
// sees counts only.
func CanSeeGroup(u *auth.User, orgID int64) bool {
	return u.HasIn(orgID, auth.GroupLead, auth.Volunteer)
}

// CanManageGroup reports whether u may add, import, delete and block
// group orgID's contacts: its group leads.
func CanManageGroup(u *auth.User, orgID int64) bool {
	return u.HasIn(orgID, auth.GroupLead)
}

// CanReveal reports whether u may see the name and number of a contact of
// group orgID: a group lead of the group always (the group view); a
// volunteer of the group only the contact she holds (holds: her current
// claim in a campaign, on her call screen). A volunteer could otherwise
// reveal every contact of her group, including those others are calling.
func CanReveal(u *auth.User, orgID int64, holds bool) bool {
	return CanManageGroup(u, orgID) || holds && CanSeeGroup(u, orgID)
}

// Mask shows an E.164 number with only its country code and last two
// digits, enough to tell contacts apart in a list without revealing the
// number: "+46 ••• ••• •67".
func Mask(e164 string) string {
	digits := strings.TrimPrefix(e164, "+")
	if len(digits) < 4 {
		return "•••"
	}
	cc := ""
	if n, err := phonenumbers.Parse(e164, ""); err == nil {
		cc = "+" + strconv.Itoa(int(n.GetCountryCode())) + " "
	}
	return cc + "••• ••• •" + digits[len(digits)-2:]
}

// Import states as a person sees them.
const (
	StateDraft       = "draft"
	StateRunning     = "running"
	StateInterrupted = "interrupted"
	StateDone        = "done"
	StateRolledBack  = "rolled_back"
)

// StaleAfter is how long a running import of another process may go
// without a heartbeat (every HeartbeatEvery) before it counts as
// interrupted: that process was killed, or its host is gone.
const StaleAfter = 30 * time.Second

// Owner is what is known of the process that owns a running import.
type Owner int

// What is known of a running import's process.
const (
	OwnerElsewhere Owner = iota // another host's, or unknown: its heartbeat tells
	OwnerWorking                // this process, running it now
	OwnerGone                   // this process, not running it (a run that ended), or a process of this host that is gone
)

// ImportState is the state of an import as stored, with a running import
// seen as interrupted when its process is known to be gone, or when it is
// elsewhere and its heartbeat is older than StaleAfter. After a restart,
// the import is interrupted at once, not after a minute of "Importing".
func ImportState(stored string, heartbeat, now time.Time, owner Owner) string {
	if stored != StateRunning {
		return stored
	}
	switch {
	case owner == OwnerWorking:
		return StateRunning
	case owner == OwnerGone, now.Sub(heartbeat) > StaleAfter:
		return StateInterrupted
	}
	return StateRunning
}

// DefaultRetainUntil is the retention date offered for new contacts: a
// year from now, at midnight.
func DefaultRetainUntil(now time.Time) time.Time {
	y, m, d := now.AddDate(1, 0, 0).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
