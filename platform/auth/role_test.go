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
		{"a coordinator cannot make a facilitator", coordinator, city, Facilitator, false},
		{"a coordinator cannot make a board member", coordinator, city, BoardMember, false},
		{"an administrator makes a facilitator", admin, city, Facilitator, true},
		{"an administrator makes a board member", admin, city, BoardMember, true},
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

func TestNobodyChangesHerOwnRolesNorAnotherPartsRoles(t *testing.T) {
	city := Org{ID: 1, Name: "Arbetsmarknadsförvaltningen", Kind: Administration}
	mothers := Org{ID: 2, Name: "Stadsdelsmammor", Kind: PartnerGroup}
	with := func(id int64, ms ...Membership) *User { u := user(ms...); u.ID = id; return u }
	admin := with(1, Membership{OrgID: 1, Role: Admin})
	coordinator := with(2, Membership{OrgID: 1, Role: Coordinator})
	lead := with(3, Membership{OrgID: 2, Role: GroupLead})
	volunteer := with(4, Membership{OrgID: 2, Role: Volunteer})
	facilitator := with(5, Membership{OrgID: 1, Role: Facilitator})
	board := with(6, Membership{OrgID: 1, Role: BoardMember})
	const other = 99

	tests := []struct {
		name     string
		u        *User
		org      Org
		person   int64
		from, to Role
		want     bool
	}{
		{"a coordinator cannot make herself a facilitator", coordinator, city, 2, "", Facilitator, false},
		{"a coordinator cannot give herself a second coordinator role", coordinator, city, 2, "", Coordinator, false},
		{"a coordinator cannot turn her coordinator role into a facilitator", coordinator, city, 2, Coordinator, Facilitator, false},
		{"a coordinator cannot make someone else a facilitator", coordinator, city, other, "", Facilitator, false},
		{"a coordinator cannot turn a facilitator into a coordinator", coordinator, city, other, Facilitator, Coordinator, false},
		{"a coordinator cannot remove a board member", coordinator, city, other, BoardMember, "", false},
		{"a coordinator adds a coordinator", coordinator, city, other, "", Coordinator, true},
		{"a coordinator removes a coordinator", coordinator, city, other, Coordinator, "", true},
		{"a coordinator cannot demote an administrator", coordinator, city, other, Admin, Coordinator, false},
		{"an administrator cannot change her own roles", admin, city, 1, Admin, Coordinator, false},
		{"an administrator cannot remove her own role", admin, city, 1, Admin, "", false},
		{"an administrator makes someone a facilitator", admin, city, other, Coordinator, Facilitator, true},
		{"an administrator makes someone a board member", admin, city, other, "", BoardMember, true},
		{"a group lead cannot make herself a volunteer too", lead, mothers, 3, "", Volunteer, false},
		{"a group lead makes a volunteer a lead", lead, mothers, other, Volunteer, GroupLead, true},
		{"a volunteer cannot make herself a lead", volunteer, mothers, 4, Volunteer, GroupLead, false},
		{"a facilitator cannot make herself a coordinator", facilitator, city, 5, "", Coordinator, false},
		{"a facilitator cannot make anyone a facilitator", facilitator, city, other, "", Facilitator, false},
		{"a board member cannot make herself a facilitator", board, city, 6, BoardMember, Facilitator, false},
		{"nobody signed in changes nothing", nil, city, other, "", Coordinator, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanChangeMembership(tt.u, tt.org, tt.person, tt.from, tt.to); got != tt.want {
				t.Errorf("CanChangeMembership = %v, want %v", got, tt.want)
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
