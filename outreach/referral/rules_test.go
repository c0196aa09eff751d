package referral

import (
	"testing"
	"time"

	"megafon/platform/auth"
)

func TestAReferralMovesOneStepForwardAndMayCloseOnceAcknowledged(t *testing.T) {
	t.Parallel()
	allowed := map[[2]State]bool{
		{New, Acknowledged}:        true,
		{Acknowledged, InProgress}: true,
		{Acknowledged, Closed}:     true,
		{InProgress, Closed}:       true,
	}
	for _, from := range append(States, "bogus") {
		for _, to := range append(States, "bogus") {
			if got := CanMove(from, to); got != allowed[[2]State{from, to}] {
				t.Errorf("CanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
	if got := NextStates(Closed); len(got) != 0 {
		t.Errorf("a closed referral moves to %v", got)
	}
}

func TestDeadlinesAreShorterTheMoreUrgent(t *testing.T) {
	t.Parallel()
	filed := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		u          Urgency
		ack, close time.Duration
	}{{Urgent, 4 * time.Hour, 72 * time.Hour}, {Soon, 24 * time.Hour, 14 * 24 * time.Hour}, {Normal, 72 * time.Hour, 30 * 24 * time.Hour}} {
		ack, closeBy := DueDates(c.u, filed)
		if ack.Sub(filed) != c.ack || closeBy.Sub(filed) != c.close {
			t.Errorf("%s: acknowledge in %v, close in %v", c.u, ack.Sub(filed), closeBy.Sub(filed))
		}
	}
	for i := 1; i < len(Urgencies); i++ {
		if Deadlines[Urgencies[i-1]].Acknowledge >= Deadlines[Urgencies[i]].Acknowledge {
			t.Errorf("%s is not acknowledged sooner than %s", Urgencies[i-1], Urgencies[i])
		}
	}
}

func TestOnlyAVolunteerOfAGroupTakingPartFiles(t *testing.T) {
	t.Parallel()
	vol := &auth.User{Memberships: []auth.Membership{{OrgID: 5, Role: auth.Volunteer}}}
	lead := &auth.User{Memberships: []auth.Membership{{OrgID: 5, Role: auth.GroupLead}}}
	if g, ok := CanFile(vol, []int64{4, 5}); !ok || g != 5 {
		t.Errorf("volunteer of a group taking part: %d %v", g, ok)
	}
	for name, c := range map[string]struct {
		u      *auth.User
		groups []int64
	}{"group not taking part": {vol, []int64{4}}, "group lead": {lead, []int64{5}}, "nobody": {nil, []int64{5}}} {
		if _, ok := CanFile(c.u, c.groups); ok {
			t.Errorf("%s may file", name)
		}
	}
	coord := &auth.User{Memberships: []auth.Membership{{OrgID: 1, Role: auth.Coordinator}, {OrgID: 2, Role: auth.Admin}}}
	if !CanSeeDetails(coord, 1) || CanSeeDetails(coord, 2) || CanSeeDetails(nil, 1) {
		t.Error("CanSeeDetails: only a coordinator of the administration")
	}
}
