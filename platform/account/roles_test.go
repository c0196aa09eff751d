package account_test

import (
	"net/http"
	"testing"

	"megafon/platform/auth"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

func membershipOf(t *testing.T, s *webtest.Server, login string) auth.Membership {
	t.Helper()
	u := s.User(login)
	if len(u.Memberships) == 0 {
		t.Fatalf("%s has no membership", login)
	}
	return u.Memberships[0]
}

func TestNobodyGivesHerselfARoleNorAnotherPartsRole(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		labour := itoa(s.City.Orgs[demo.LabourMarket].ID)
		social := s.City.Orgs[demo.SocialAdmin]
		mothers := itoa(s.City.Orgs[demo.DistrictMothers].ID)
		own := func(login string) string { return "/memberships/" + itoa(membershipOf(t, s, login).ID) + "/role" }
		othersCoordinator := "/memberships/" + itoa(membershipOf(t, s, "slf@demo.megafon.se").ID)
		facilitatorsMembership := "/memberships/" + itoa(membershipOf(t, s, facilitator).ID)
		volunteersMembership := "/memberships/" + itoa(membershipOf(t, s, volunteer).ID)

		tests := []struct {
			name   string
			who    string
			path   string
			form   []string
			status int
		}{
			{"a coordinator cannot make herself a facilitator", coordinator, own(coordinator), []string{"role", "facilitator"}, http.StatusForbidden},
			{"a coordinator cannot invite herself as a facilitator", coordinator, "/orgs/" + labour + "/invite", []string{"name", "Sara", "email", coordinator, "role", "facilitator"}, http.StatusUnprocessableEntity},
			{"a coordinator cannot invite anyone as a facilitator", coordinator, "/orgs/" + labour + "/invite", []string{"name", "Ny", "email", "ny@example.se", "role", "facilitator"}, http.StatusUnprocessableEntity},
			{"a coordinator cannot invite anyone as a board member", coordinator, "/orgs/" + labour + "/invite", []string{"name", "Ny", "email", "ny@example.se", "role", "board_member"}, http.StatusUnprocessableEntity},
			{"a coordinator cannot remove a facilitator", coordinator, facilitatorsMembership + "/remove", nil, http.StatusNotFound},
			{"an administrator cannot change her own role", admin, own(admin), []string{"role", "coordinator"}, http.StatusForbidden},
			{"an administrator cannot remove her own role", admin, "/memberships/" + itoa(membershipOf(t, s, admin).ID) + "/remove", nil, http.StatusForbidden},
			{"a group lead cannot make herself a volunteer", lead, own(lead), []string{"role", "volunteer"}, http.StatusForbidden},
			{"a volunteer cannot make herself a group lead", volunteer, own(volunteer), []string{"role", "group_lead"}, http.StatusForbidden},
			{"a facilitator cannot make herself a board member", facilitator, own(facilitator), []string{"role", "board_member"}, http.StatusForbidden},
			{"a board member cannot make herself a facilitator", boardMember, own(boardMember), []string{"role", "facilitator"}, http.StatusForbidden},
			{"a group lead makes a volunteer a group lead", lead, volunteersMembership + "/role", []string{"role", "group_lead"}, http.StatusSeeOther},
			{"a group lead invites a volunteer", lead, "/orgs/" + mothers + "/invite", []string{"name", "Ny", "phone", "0702223355", "role", "volunteer", "secret_kind", "passcode"}, http.StatusSeeOther},
			{"an administrator makes a coordinator a facilitator", admin, othersCoordinator + "/role", []string{"role", "facilitator"}, http.StatusSeeOther},
			{"an administrator invites a board member", admin, "/orgs/" + itoa(social.ID) + "/invite", []string{"name", "Ny", "email", "ledamot2@example.se", "role", "board_member"}, http.StatusSeeOther},
		}
		for _, tt := range tests {
			r := s.As(tt.who).Post(tt.path, webtest.Form(tt.form...))
			if r.Status != tt.status {
				t.Errorf("%s: status %d, want %d\n%s", tt.name, r.Status, tt.status, webtest.Text(r.Body))
			}
		}
		if u, err := s.App.Auth.User(t.Context(), s.User(coordinator).ID); err != nil || u.Has(auth.Facilitator) {
			t.Fatalf("the coordinator has become a facilitator (%v)", err)
		}
	})
}
