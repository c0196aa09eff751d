package server_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// TestAGroupLeadExportsHerGroupsCallsOnly: the demo campaign is called by
// three groups; the Somali association's lead could download every
// District Mother's call (time, district, language, answers). A group owns
// its work; the city's coordinators see all of it.
func TestAGroupLeadExportsHerGroupsCallsOnly(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	groupsIn := func(login string) map[string]int {
		t.Helper()
		r := s.As(login).Get("/campaigns/1/export?format=csv")
		if r.Status != http.StatusOK {
			t.Fatalf("export as %s: %d", login, r.Status)
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
		cr.Comma = ';'
		rows, err := cr.ReadAll()
		if err != nil || len(rows) < 1 {
			t.Fatalf("export as %s: %v", login, err)
		}
		groups := map[string]int{}
		for _, row := range rows[1:] {
			groups[row[1]]++
		}
		return groups
	}
	all := groupsIn(string(coord))
	if len(all) < 2 {
		t.Fatalf("the coordinator's export has the calls of %d groups, want every group's: %v", len(all), all)
	}
	for login, group := range map[who]string{lead: demo.DistrictMothers, otherLead: demo.SomaliAssoc} {
		got := groupsIn(string(login))
		if len(got) != 1 || got[group] != all[group] {
			t.Errorf("%s's export: %v, want only %s's %d calls", login, got, group, all[group])
		}
	}
}
