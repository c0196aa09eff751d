package handbook_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"megafon/platform/db"
	"megafon/platform/demo"
)

// Verifying is a second pair of eyes: the author verifies her own version
// only when the lead administration has no other coordinator, and then it
// is recorded and shown on the review page.
func TestAnotherCoordinatorVerifiesWhereThereIsOne(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, dialect, false)
			form := func(title string) url.Values {
				return url.Values{"kind": {"qa"}, "valid_until": {"2099-12-31"}, "title_0": {title}, "body_0": {"Ring 1177."}}
			}
			const alone = "verifierad av den som skrev den; det fanns ingen annan samordnare"
			// The Labour Market Administration has one coordinator: she
			// verifies her own entry, and the page says so.
			run(t, s, []step{
				{"created", leadCoord, "POST", "/operations/1/handbook", form("Ensam samordnare"), 303, nil, nil},
			})
			p := fmt.Sprintf("/handbook/%d", entryID(t, s, "Ensam samordnare"))
			run(t, s, []step{
				{"submitted", leadCoord, "POST", p + "/move", url.Values{"action": {"submit"}}, 303, nil, nil},
				{"verified by its author", leadCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 303, nil, nil},
				{"the review page says who and that she was alone", leadCoord, "GET", p, nil, 200, []string{"Sara Samordnare", alone}, nil},
			})
			// A second coordinator joins the administration.
			if _, err := s.App.DB.Exec(context.Background(), `INSERT INTO memberships (person_id, org_id, role, created_at) VALUES ($1, $2, 'coordinator', $3)`,
				s.User(otherCoord).ID, s.City.Orgs[demo.LabourMarket].ID, db.Now(s.App.Now())); err != nil {
				t.Fatal(err)
			}
			run(t, s, []step{
				{"created", leadCoord, "POST", "/operations/1/handbook", form("Två samordnare"), 303, nil, nil},
			})
			p2 := fmt.Sprintf("/handbook/%d", entryID(t, s, "Två samordnare"))
			run(t, s, []step{
				{"submitted", leadCoord, "POST", p2 + "/move", url.Values{"action": {"submit"}}, 303, nil, nil},
				{"the author may not verify", leadCoord, "POST", p2 + "/move", url.Values{"action": {"verify"}}, 403,
					[]string{"Någon annan än den som skrev versionen ska verifiera den."}, nil},
				{"still in review", leadCoord, "GET", p2, nil, 200, []string{"Version 1: Granskas"}, nil},
				{"the second coordinator verifies", otherCoord, "POST", p2 + "/move", url.Values{"action": {"verify"}}, 303, nil, nil},
				{"no note on the review page", leadCoord, "GET", p2, nil, 200, []string{"Erik Ekholm"}, []string{alone}},
			})
		})
	}
}
