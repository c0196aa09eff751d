package operation

import (
	"testing"

	"megafon/platform/auth"
)

func user(ms ...auth.Membership) *auth.User { return &auth.User{Memberships: ms} }

func TestWhoMaySeeManageAndChangeTheLevel(t *testing.T) {
	const lead, other, inGroup, invited, outside = 1, 2, 10, 11, 12
	op := Operation{LeadOrgID: lead, GroupIDs: []int64{inGroup}, InvitedIDs: []int64{invited}}
	for _, c := range []struct {
		name                string
		u                   *auth.User
		see, manage, change bool
	}{
		{"signed out", nil, false, false, false},
		{"admin", user(auth.Membership{OrgID: other, Role: auth.Admin}), true, true, false},
		{"lead coordinator", user(auth.Membership{OrgID: lead, Role: auth.Coordinator}), true, true, true},
		{"other coordinator", user(auth.Membership{OrgID: other, Role: auth.Coordinator}), true, false, false},
		{"facilitator of the lead", user(auth.Membership{OrgID: lead, Role: auth.Facilitator}), false, false, false},
		{"board member", user(auth.Membership{OrgID: other, Role: auth.BoardMember}), false, false, false},
		{"group lead in", user(auth.Membership{OrgID: inGroup, Role: auth.GroupLead}), true, false, false},
		{"volunteer in", user(auth.Membership{OrgID: inGroup, Role: auth.Volunteer}), true, false, false},
		{"group lead invited", user(auth.Membership{OrgID: invited, Role: auth.GroupLead}), true, false, false},
		{"volunteer invited", user(auth.Membership{OrgID: invited, Role: auth.Volunteer}), false, false, false},
		{"group lead outside", user(auth.Membership{OrgID: outside, Role: auth.GroupLead}), false, false, false},
	} {
		if got := CanSee(c.u, op); got != c.see {
			t.Errorf("%s: CanSee = %v", c.name, got)
		}
		if got := CanManage(c.u, op); got != c.manage {
			t.Errorf("%s: CanManage = %v", c.name, got)
		}
		if got := CanChangeLevel(c.u, op); got != c.change {
			t.Errorf("%s: CanChangeLevel = %v", c.name, got)
		}
	}
}

func TestRoleInPicksTheTextAPersonReads(t *testing.T) {
	op := Operation{LeadOrgID: 1, GroupIDs: []int64{10}}
	for _, c := range []struct {
		u    *auth.User
		want auth.Role
	}{
		{user(auth.Membership{OrgID: 10, Role: auth.Volunteer}), auth.Volunteer},
		{user(auth.Membership{OrgID: 10, Role: auth.GroupLead}), auth.GroupLead},
		{user(auth.Membership{OrgID: 2, Role: auth.Coordinator}), auth.Coordinator},
		{user(auth.Membership{OrgID: 11, Role: auth.Volunteer}), ""},
	} {
		if got := RoleIn(c.u, op); got != c.want {
			t.Errorf("RoleIn(%v) = %q, want %q", c.u.Memberships, got, c.want)
		}
	}
}

func TestMergeSignalsAddsSources(t *testing.T) {
	got := MergeSignals(Signals{CallsThisWeek: 10, AvgCallsPerWeek: 5}, Signals{CallsThisWeek: 3, OverdueEscalations: 1, Extra: []Signal{{Name: "x"}}}, Signals{})
	if got.CallsThisWeek != 13 || got.AvgCallsPerWeek != 5 || got.OverdueEscalations != 1 || len(got.Extra) != 1 {
		t.Fatalf("merged: %+v", got)
	}
	if s := MergeSignals(); s.CallsThisWeek != 0 || s.Extra != nil {
		t.Fatalf("no sources: %+v", s)
	}
}
