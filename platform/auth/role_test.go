package auth

import "testing"

func user(ms ...Membership) *User { return &User{Memberships: ms} }

func TestWhoMayManageAndGrantRoles(t *testing.T) {
	city := Org{ID: 1, Name: "Arbetsmarknadsförvaltningen", Kind: Administration}
	mothers := Org{ID: 2, Name: "Stadsdelsmammor", Kind: PartnerGroup}
	other := Org{ID: 3, Name: "Somaliska föreningen", Kind: PartnerGroup}

	admin := user(Membership{OrgID: 1, Role: Admin})
	coordinator := user(Membership{OrgID: 1, Role: Coordinator})
	lead := user(Membership{OrgID: 2, Role: GroupLead})
	volunteer := user(Membership{OrgID: 2, Role: Volunteer})
	otherLead := user(Membership{OrgID: 3, Role: GroupLead})
	facilitator := user(Membership{OrgID: 1, Role: Facilitator})

	tests := []struct {
		name string
		u    *User
		org  Org
		role Role
		want bool
	}{
		{"an administrator makes a coordinator", admin, city, Coordinator, true},
		{"an administrator makes an administrator", admin, city, Admin, true},
		{"an administrator adds a volunteer to any group", admin, other, Volunteer, true},
		{"a coordinator adds a coordinator to her administration", coordinator, city, Coordinator, true},
		{"a coordinator cannot make an administrator", coordinator, city, Admin, false},
		{"a coordinator does not run a partner group's members", coordinator, mothers, Volunteer, false},
		{"a group lead adds a volunteer to her group", lead, mothers, Volunteer, true},
		{"a group lead adds another lead to her group", lead, mothers, GroupLead, true},
		{"a group lead cannot touch another group", lead, other, Volunteer, false},
		{"a lead of another group cannot touch the mothers", otherLead, mothers, Volunteer, false},
		{"a volunteer manages nobody", volunteer, mothers, Volunteer, false},
		{"a facilitator manages nobody", facilitator, city, Facilitator, false},
		{"a partner group has no coordinators", admin, mothers, Coordinator, false},
		{"a city administration has no volunteers", admin, city, Volunteer, false},
		{"nobody signed in manages nothing", nil, mothers, Volunteer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanGrant(tt.u, tt.org, tt.role); got != tt.want {
				t.Errorf("CanGrant = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUserRoles(t *testing.T) {
	u := user(Membership{OrgID: 2, Role: GroupLead}, Membership{OrgID: 4, Role: Volunteer}, Membership{OrgID: 2, Role: Volunteer})
	if !u.Has(Volunteer) || u.Has(Coordinator) || !u.HasIn(2, GroupLead) || u.HasIn(4, GroupLead) {
		t.Fatal("Has/HasIn disagree with the memberships")
	}
	if got := u.OrgsWith(Volunteer, GroupLead); len(got) != 2 {
		t.Fatalf("OrgsWith = %v, want two organisations, each once", got)
	}
	var nobody *User
	if nobody.Has(Admin) || nobody.IsAdmin() || nobody.OrgsWith(Admin) != nil {
		t.Fatal("a nil user has roles")
	}
}
