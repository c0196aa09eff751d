package campaign_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"megafon/outreach/campaign"
	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// A campaign shows callers its own operation's handbook only, and its name
// (the subject of e-mails, a heading) is one line; on both databases.
func TestACampaignRefusesAnotherOperationsHandbookAndAMultiLineName(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			ctx := context.Background()
			// Another operation with a verified script and answer of its own.
			coordUser := e.s.User(coord)
			ops := &operation.Store{DB: e.s.App.DB, Now: e.s.App.Now}
			other, err := ops.Create(ctx, coordUser, operation.Draft{Name: "Värmebölja", StartsOn: "2021-07-01", LeadOrgID: e.s.City.Orgs[demo.LabourMarket].ID, Level: 1})
			if err != nil {
				t.Fatal(err)
			}
			hb := handbook.NewStore(e.s.App.DB, e.s.App.Now)
			var elsewhere []int64
			for _, k := range []handbook.Kind{handbook.CallScript, handbook.QA} {
				id, err := hb.CreateEntry(ctx, coordUser, other, handbook.EntryDraft{Kind: k, ValidUntil: "2099-12-31",
					Translations: []handbook.Translation{{Lang: "sv", Title: "Värme " + string(k), Body: "Drick vatten."}}})
				if err != nil {
					t.Fatal(err)
				}
				elsewhere = append(elsewhere, id)
			}
			own := e.c.ScriptEntryID
			dm := e.s.City.Orgs[demo.DistrictMothers].ID
			form := func(name string, script int64, entries ...int64) url.Values {
				f := webtest.Form("name", name, "goal", "200", "starts_on", "2021-09-01", "ends_on", "2021-10-31",
					"languages", "ar", "groups", fmt.Sprint(dm), "lease_minutes", "10", "script", fmt.Sprint(script),
					"r_no_answer_max", "3", "r_no_answer_gap", "180")
				for _, id := range entries {
					f.Add("entries", fmt.Sprint(id))
				}
				return f
			}
			c := e.s.As(coord)
			create := fmt.Sprintf("/operations/%d/campaigns", e.c.OperationID)
			edit := fmt.Sprintf("/campaigns/%d", e.c.ID)
			for _, tc := range []struct {
				what, path string
				form       url.Values
				want       string
			}{
				{"another operation's script", create, form("Höst", elsewhere[0]), "Välj ett samtalsmanus ur den här insatsens handbok."},
				{"another operation's answer", create, form("Höst", own, elsewhere[1]), "Välj svar ur den här insatsens handbok."},
				{"an answer as the script", edit, form("Höst", elsewhere[1]), "Välj ett samtalsmanus ur den här insatsens handbok."},
				{"no such entry", edit, form("Höst", own, 999999), "Välj svar ur den här insatsens handbok."},
				{"a name on two lines", create, form("Höst\nBcc: alla@stad.se", own), "Skriv kampanjens namn på en rad utan styrtecken."},
			} {
				r := c.Post(tc.path, tc.form)
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), tc.want) {
					t.Errorf("%s: %d, want 422 with %q\n%s", tc.what, r.Status, tc.want, webtest.Text(r.Body))
				}
			}
			var n int
			e.s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM campaigns`).Scan(&n)
			if n != 1 {
				t.Errorf("%d campaigns: a refused form was saved", n)
			}
			if r := c.Post(create, form("Höst", own)); r.Status != http.StatusSeeOther {
				t.Errorf("its own script: %d\n%s", r.Status, webtest.Text(r.Body))
			}
		})
	}
}

func TestHandbookProblems(t *testing.T) {
	t.Parallel()
	infos := map[int64]handbook.EntryInfo{
		1: {ID: 1, OperationID: 7, Kind: handbook.CallScript},
		2: {ID: 2, OperationID: 7, Kind: handbook.QA},
		3: {ID: 3, OperationID: 8, Kind: handbook.CallScript},
		4: {ID: 4, OperationID: 8, Kind: handbook.QA},
	}
	for _, c := range []struct {
		script  int64
		entries []int64
		want    string
	}{
		{0, nil, ""},
		{1, []int64{2}, ""},
		{3, nil, "script"},
		{2, nil, "script"},
		{1, []int64{2, 4}, "entries"},
		{1, []int64{5}, "entries"},
		{9, []int64{4, 4}, "script entries"},
	} {
		var got []string
		for _, p := range campaign.HandbookProblems(7, c.script, c.entries, infos) {
			got = append(got, p.Field)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("script %d, entries %v: %v, want %q", c.script, c.entries, got, c.want)
		}
	}
}
