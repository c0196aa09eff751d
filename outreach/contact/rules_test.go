package contact

import (
	"testing"

	"megafon/platform/auth"
)

func TestAVolunteerSeesOnlyTheContactSheHolds(t *testing.T) {
	t.Parallel()
	const group, other = 10, 20
	in := func(org int64, r auth.Role) *auth.User {
		return &auth.User{Memberships: []auth.Membership{{OrgID: org, Role: r}}}
	}
	for _, c := range []struct {
		name  string
		u     *auth.User
		holds bool
		want  bool
	}{
		{"a volunteer, the contact she holds", in(group, auth.Volunteer), true, true},
		{"a volunteer, a contact she does not hold", in(group, auth.Volunteer), false, false},
		{"a volunteer of another group, even holding", in(other, auth.Volunteer), true, false},
		{"the group's lead, from the group view", in(group, auth.GroupLead), false, true},
		{"another group's lead", in(other, auth.GroupLead), false, false},
		{"a coordinator", in(group, auth.Coordinator), true, false},
		{"an administrator", in(group, auth.Admin), false, false},
		{"nobody", nil, true, false},
	} {
		if got := CanReveal(c.u, group, c.holds); got != c.want {
			t.Errorf("%s: CanReveal = %v, want %v", c.name, got, c.want)
		}
	}
}
