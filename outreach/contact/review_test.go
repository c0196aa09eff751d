package contact_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// The security review of the contact import (issue 11), through HTTP.

var dialects = []db.Dialect{db.SQLite, db.Postgres}

// uploadAs posts a file to group org's imports as a lead of it.
func (x *site) uploadAs(t *testing.T, c *webtest.Client, name string, data []byte) *webtest.Response {
	t.Helper()
	return upload(t, c, x.s, fmt.Sprintf("/contacts/groups/%d/imports", x.dm), name, data,
		map[string]string{"basis": "consent", "retain_until": time.Now().AddDate(1, 0, 0).Format("2006-01-02")})
}

// importThrough uploads data, maps name, phone and languages and imports
// it; it returns the import page's path.
func (x *site) importThrough(t *testing.T, c *webtest.Client, name string, data []byte, mapping ...string) string {
	t.Helper()
	r := x.uploadAs(t, c, name, data)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/contacts/imports/") {
		t.Fatalf("upload: %d %s\n%s", r.Status, r.Location, webtest.Text(r.Body))
	}
	page := r.Location
	if mapping == nil {
		mapping = []string{"col0", "name", "col1", "phone", "col2", "languages"}
	}
	r = c.Post(page+"/mapping", webtest.Form(append(mapping, "then", "start")...))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("start: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	x.m.Importer().Wait()
	return page
}

// Item 9: the rejected rows hold what the file's cells held; a cell that
// Excel would run as a formula is defused there as in every other export.
func TestTheRejectedRowsDownloadDefusesFormulas(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			c := x.s.As(lead)
			page := x.importThrough(t, c, "lista.csv", []byte("Namn;Telefon;Språk\nAmal;0701234567;=1+2\nBo;0701234568;@SUM(A1)\n"))
			r := c.Get(page + "/rejected.csv")
			mustHave(t, "rejected rows", r, 200, []string{"2;Språk;Okänt språk;'=1", "3;Språk;Okänt språk;'@SUM"}, []string{";=1", ";@SUM"})
			if !strings.HasPrefix(r.Body, "\uFEFF") {
				t.Error("no byte order mark")
			}
		})
	}
}
