package handbook_test

import (
	"net/url"
	"strings"
	"testing"

	"megafon/platform/db"
)

// A title is a heading, a line of the PDF's outline and the subject of
// e-mail about it: one line, at most 300 characters.
func TestAHandbookTitleIsOneLine(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, dialect, false)
			form := func(sv, ar string) url.Values {
				return url.Values{"kind": {"qa"}, "valid_until": {"2099-12-31"}, "title_0": {sv}, "body_0": {"Ring 1177."},
					"lang_1": {"ar"}, "title_1": {ar}, "body_1": {"اتصل"}}
			}
			run(t, s, []step{
				{"a line break in Swedish", leadCoord, "POST", "/operations/1/handbook", form("Hyra\nBcc: alla@stad.se", "إيجار"), 422,
					[]string{"Titeln på sv ska stå på en rad utan styrtecken, högst 300 tecken."}, nil},
				{"a tab in Arabic", leadCoord, "POST", "/operations/1/handbook", form("Hyra", "إيجار\tالآن"), 422,
					[]string{"Titeln på ar ska stå på en rad utan styrtecken, högst 300 tecken."}, nil},
				{"too long", leadCoord, "POST", "/operations/1/handbook", form(strings.Repeat("h", 301), "إيجار"), 422,
					[]string{"Titeln på sv ska stå på en rad"}, nil},
				{"nothing was saved", leadCoord, "GET", "/operations/1/handbook/manage", nil, 200, nil, []string{"Hyra", "hhhh"}},
			})
		})
	}
}
