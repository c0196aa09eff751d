package handbook_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"megafon/platform/db"
)

// Text stored before the input filter (or by the demo, an import, the API)
// may carry a right-to-left override that shows "1177" as "7711". Every
// page that shows a handbook title or body drops the controls and isolates
// the title, with its numbers wrapped as in bodies.
func TestStoredBidiControlsNeverReachAPageAndTitlesAreIsolated(t *testing.T) {
	t.Parallel()
	const rlo, pdf, rli = "\u202e", "\u202c", "\u2067"
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, dialect, false)
			id := entryID(t, s, "Är vaccinet mot covid-19 gratis?")
			title := "اتصل على " + rlo + "1177" + pdf + " الآن"
			body := "اتصل " + rli + "بالرقم 1177" + pdf + "\nشكرا"
			res, err := s.App.DB.Exec(context.Background(), `UPDATE handbook_translations SET title = $1, body = $2
				WHERE lang = 'ar' AND version_id IN (SELECT id FROM handbook_versions WHERE entry_id = $3)`, title, body, id)
			if n, _ := res.RowsAffected(); err != nil || n == 0 {
				t.Fatalf("store the Arabic title: %v (%d rows)", err, n)
			}
			wantTitle := `<bdi dir="rtl">اتصل على <bdi dir="ltr">1177</bdi> الآن</bdi>`
			wantBody := `اتصل بالرقم <bdi dir="ltr">1177</bdi><br>شكرا`
			for _, c := range []struct{ who, page, path string }{
				{amina, "the callers' list", "/operations/1/handbook"},
				{amina, "the entry", fmt.Sprintf("/handbook/%d", id)},
				{leadCoord, "the review page", fmt.Sprintf("/handbook/%d", id)},
				{amina, "the print page", "/operations/1/handbook/print/ar"},
				{amina, "the PDF's page", "/operations/1/handbook/print/ar/pdf"},
			} {
				r := client(s, c.who).Get(c.path)
				if r.Status != 200 {
					t.Errorf("%s: %d", c.page, r.Status)
					continue
				}
				if strings.ContainsAny(r.Body, rlo+pdf+rli) {
					t.Errorf("%s carries a bidi control", c.page)
				}
				if !strings.Contains(r.Body, wantTitle) {
					t.Errorf("%s lacks the isolated title %s", c.page, wantTitle)
				}
				if !strings.Contains(r.Body, wantBody) {
					t.Errorf("%s lacks the body %s", c.page, wantBody)
				}
			}
		})
	}
}
