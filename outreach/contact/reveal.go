package contact

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"megafon/outreach/notify"
	"megafon/platform/auth"
	"megafon/platform/problem"
	"megafon/platform/ratelimit"
)

// DefaultRevealsPerMinute is how many names and numbers one person may see
// in a minute when Module.RevealsPerMinute is zero. A volunteer sees one
// per call and a group lead looks some up by hand; 200 in a second is a
// script.
const DefaultRevealsPerMinute = 20

// burstFlagEvery is how often one person's burst is flagged to her group
// leads: once tells them; one notice per refused reveal would bury them.
const burstFlagEvery = 15 * time.Minute

// ErrRevealLimit refuses a reveal beyond the person's limit.
var ErrRevealLimit = problem.New(problem.TooMany, "contact.error.reveal_limit")

// revealLimits are the module's per-person windows, made at Mount.
type revealLimits struct {
	reveals *ratelimit.Window
	flagged *ratelimit.Window
}

func newRevealLimits(perMinute int) revealLimits {
	if perMinute <= 0 {
		perMinute = DefaultRevealsPerMinute
	}
	return revealLimits{
		reveals: &ratelimit.Window{Max: perMinute, Per: time.Minute},
		flagged: &ratelimit.Window{Max: 1, Per: burstFlagEvery},
	}
}

// revealFor is the one way to a contact's name and number, for the group
// view and the call screen: the person's rate limit first, then the rule
// (CanReveal) and the audit log in the store. A burst beyond the limit is
// refused and flagged to the group leads of the person's groups.
func (m *Module) revealFor(ctx context.Context, contactID int64, viewer *auth.User, addr string, holds bool) (phoneNumber, name string, err error) {
	if viewer == nil {
		return "", "", errNotFound
	}
	now := m.app.Now()
	if !m.limits.reveals.Allow(viewer.ID, now) {
		if m.limits.flagged.Allow(viewer.ID, now) {
			if err := m.flagBurst(ctx, viewer, now); err != nil {
				m.app.Log.Error("flag a burst of reveals", "person", viewer.ID, "err", err)
			}
		}
		m.app.Log.Warn("reveals refused: over the limit", "person", viewer.ID, "contact", contactID)
		return "", "", ErrRevealLimit
	}
	return m.store.Reveal(ctx, contactID, viewer, m.app.Audit, addr, holds)
}

// flagBurst tells the group leads of every group the person belongs to, in
// the app, that she asked for more numbers than anyone calls; when she is
// her groups' only lead, the city's administrators are told instead, so a
// burst never goes unseen. No resident's data is in the notice: who, how
// many, when.
func (m *Module) flagBurst(ctx context.Context, viewer *auth.User, now time.Time) error {
	orgs := viewer.OrgsWith(auth.Volunteer, auth.GroupLead)
	if len(orgs) == 0 {
		return nil
	}
	return m.app.DB.Tx(ctx, func(tx *sql.Tx) error {
		var to []notify.Recipient
		for _, org := range orgs {
			leads, err := groupLeads(ctx, tx, org)
			if err != nil {
				return err
			}
			for _, id := range leads {
				if id != viewer.ID {
					to = append(to, notify.Recipient{PersonID: id})
				}
			}
		}
		if len(to) == 0 {
			admins, err := administrators(ctx, tx)
			if err != nil {
				return err
			}
			for _, id := range admins {
				if id != viewer.ID {
					to = append(to, notify.Recipient{PersonID: id})
				}
			}
		}
		msg := notify.Message{Key: "contact.notice.reveal_burst", Link: fmt.Sprintf("/contacts/groups/%d", orgs[0]), Args: map[string]string{
			"Name": viewer.Name, "Limit": strconv.Itoa(m.limits.reveals.Max)}}
		return notify.Add(ctx, tx, now, m.app.Catalogue.T, m.app.Config.BaseURL, "contact.notice.reveal_burst", to, msg)
	})
}

// groupLeads are the ids of the active group leads of org.
func groupLeads(ctx context.Context, tx *sql.Tx, org int64) ([]int64, error) {
	return peopleIDs(ctx, tx, fmt.Sprintf("group leads of %d", org), `SELECT DISTINCT p.id FROM people p JOIN memberships m ON m.person_id = p.id
		WHERE m.org_id = $1 AND m.role = 'group_lead' AND p.disabled_at IS NULL ORDER BY p.id`, org)
}

// administrators are the ids of the city's active administrators.
func administrators(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	return peopleIDs(ctx, tx, "administrators", `SELECT DISTINCT p.id FROM people p JOIN memberships m ON m.person_id = p.id
		WHERE m.role = 'admin' AND p.disabled_at IS NULL ORDER BY p.id`)
}

func peopleIDs(ctx context.Context, tx *sql.Tx, what, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
