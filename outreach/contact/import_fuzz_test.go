package contact_test

import (
	"context"
	"testing"

	"megafon/outreach/contact"
	"megafon/outreach/contact/importfile"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

// FuzzImportIntoTheRegister feeds the whole import (upload, mapping, run,
// into a real SQLite register) anything: it never panics, a file it
// refuses is refused with a problem for the person, and every data row of
// a file it takes is either imported or reported, exactly once.
//
//	go test ./outreach/contact -run '^$' -fuzz FuzzImportIntoTheRegister -fuzztime 60s -fuzzminimizetime 10x
//
// (each run touches the database: the default minimisation, 60 s per new
// input, would take most of the time)
func FuzzImportIntoTheRegister(f *testing.F) {
	f.Add([]byte(messy))
	f.Add(windows1252(f, messy[3:]))
	f.Add(bigCSV(7))
	f.Add([]byte("Telefon\n\"0701234567\n"))
	f.Add([]byte("Telefon;Språk\n0701234567;ar\n0701234567;ar\n+46701234567;so\n"))
	f.Add([]byte("a,\"b\n\n\"\"c\",d\r\n\n1,2\r"))
	d := dbtest.Open(f, db.SQLite, auth.Migrations, contact.Migrations)
	w := newWorld(f, d)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		im := &contact.Importer{Store: w.s, BatchSize: 3}
		id, err := im.Upload(ctx, w.groupA, w.leadA, "fuzz.csv", data, contact.BasisConsent, "", w.clock.Now().AddDate(1, 0, 0))
		if err != nil {
			if _, ok := problem.As(err); !ok {
				t.Fatalf("upload refused without a problem for the person: %v", err)
			}
			return
		}
		i, err := im.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		// The phone in the first column, then every other field in turn,
		// so that every kind of parsing runs.
		m := importfile.Mapping{Columns: make([]importfile.Field, len(i.Header))}
		for k := range m.Columns {
			m.Columns[k] = importfile.Fields[k%len(importfile.Fields)]
		}
		if err := im.SetMapping(ctx, id, m); err != nil {
			t.Fatal(err)
		}
		if err := im.Run(ctx, id); err != nil {
			t.Fatalf("run: %v", err)
		}
		i, _ = im.Get(ctx, id)
		var contacts, reported, outside int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE import_id = $1`, id).Scan(&contacts)
		d.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_number < 1 THEN 1 ELSE 0 END), 0) FROM contact_import_rejects
			WHERE import_id = $1`, id).Scan(&reported, &outside)
		if i.State != contact.StateDone || i.Failure != "" {
			t.Fatalf("a file that uploaded did not import: %s %q", i.State, i.Failure)
		}
		if i.Imported+i.Rejected != i.Total || contacts != i.Imported || reported != i.Rejected || outside != 0 {
			t.Fatalf("%d rows: %d imported (%d contacts), %d rejected (%d reported, %d before the first row)",
				i.Total, i.Imported, contacts, i.Rejected, reported, outside)
		}
	})
}
