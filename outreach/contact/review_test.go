package contact_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"megafon/outreach/contact"
	"megafon/platform/audit"
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

// Item 20: a file that is not a list is refused, saying what it is, in
// the reader's language; so is a list with no residents. Nothing is kept.
func TestFilesThatAreNotListsAreRefusedSayingWhatTheyAre(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			random := make([]byte, 8192)
			for i := range random {
				random[i] = byte(i*7919 + i/13)
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write([]byte("Namn;Telefon\nAmal;0701234567\n"))
			zw.Close()
			for _, tc := range []struct {
				name string
				data []byte
				sv   string
				en   string
			}{
				{"bild.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), "Det här är en bild, inte en lista", "This is a picture, not a list"},
				{"lista.csv", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "Det här är ett PDF-dokument", "This is a PDF document"},
				{"lista.csv", gz.Bytes(), "komprimerat arkiv", "compressed archive"},
				{"lista.csv", random, "Filen är inte text", "This file is not text"},
				{"lista.csv", []byte("Namn;Telefon;Språk\r\n;;\r\n"), "har en rubrikrad men inga invånare", "has a header row but no residents"},
			} {
				for lang, want := range map[string]string{"sv": tc.sv, "en": tc.en} {
					c := x.s.As(lead)
					c.Post("/lang", webtest.Form("lang", lang))
					r := x.uploadAs(t, c, tc.name, tc.data)
					mustHave(t, tc.name+" in "+lang, r, http.StatusUnprocessableEntity, []string{want}, []string{"Välj kolumnen", "Choose the column"})
				}
			}
			var n int
			x.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM contact_imports`).Scan(&n)
			if n != 0 {
				t.Errorf("%d drafts kept of files that are not lists", n)
			}
		})
	}
}

// Item 7: nothing of a file is kept in the clear unless it is known to be
// column names: a first row whose number does not parse is a resident, and
// a file with old Mac line ends is rows, not one long header.
func TestAResidentIsNeverKeptInTheClearAsColumnNames(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			ctx := context.Background()
			c := x.s.As(lead)
			clear := func(what string) {
				t.Helper()
				rows, err := x.s.App.DB.Query(ctx, `SELECT header, COALESCE(header_enc, ''), mapping FROM contact_imports
					UNION ALL SELECT mapping, '', '' FROM contact_mappings`)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				for rows.Next() {
					var a, b, m string
					rows.Scan(&a, &b, &m)
					for _, secret := range []string{"Amal", "Hassan", "070-123 45", "0701234567", "701234568"} {
						if strings.Contains(a+b+m, secret) {
							t.Errorf("%s: %q kept in the clear: %q %q %q", what, secret, a, b, m)
						}
					}
				}
			}
			// No header row, and the first resident's number is short.
			page := x.importThrough(t, c, "utan-rubrik.csv", []byte("Amal Hassan;070-123 45;arabiska\nBo;0701234568;somaliska\n"))
			clear("a first row with a bad number")
			r := c.Get(page)
			mustHave(t, "import without a header", r, 200, []string{"Importerade 1", "Inte importerade 1", "Inte ett användbart telefonnummer"}, []string{"Amal"})
			// Old Mac line ends.
			page = x.importThrough(t, c, "mac.csv", []byte("Namn;Telefon;Språk\rAmal Hassan;0701234567;arabiska\rBo;0701234568;somaliska\r"))
			clear("old Mac line ends")
			r = c.Get(page + "/progress.json")
			mustHave(t, "old Mac line ends", r, 200, []string{`"total":2`, `"imported":1`, `"rejected":1`}, nil) // Bo was imported above
			var named int
			x.s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE org_id = $1`, x.dm).Scan(&named)
			if named != 2 {
				t.Errorf("%d contacts, want 2", named)
			}
		})
	}
}

// Item 18: every view and every download of an import's rejected rows,
// which show the file's cells, is in the audit log; so is the preview's.
func TestEveryViewOfRejectedRowsIsAudited(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			ctx := context.Background()
			c := x.s.As(lead)
			r := x.uploadAs(t, c, "lista.csv", []byte("Namn;Telefon;Språk\nAmal;0701234567;klingon\n"))
			page := r.Location
			var id int64
			fmt.Sscanf(page, "/contacts/imports/%d", &id)
			subject := fmt.Sprintf("contact-import:%d", id)
			mustHave(t, "preview", c.Get(page), 200, []string{"klingon"}, nil)
			if es, _ := x.s.App.Audit.List(ctx, audit.Filter{Action: audit.ViewPersonal, Subject: subject}); len(es) != 1 || es[0].Detail != "preview" {
				t.Errorf("the preview's view audited as %+v", es)
			}
			if r := c.Post(page+"/mapping", webtest.Form("col0", "name", "col1", "phone", "col2", "languages", "then", "start")); r.Status != http.StatusSeeOther {
				t.Fatalf("start: %d", r.Status)
			}
			x.m.Importer().Wait()
			count := func(action string) int {
				es, err := x.s.App.Audit.List(ctx, audit.Filter{Action: action, Subject: subject})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range es {
					if e.ActorID != x.s.User(lead).ID {
						t.Errorf("entry by %d", e.ActorID)
					}
				}
				return len(es)
			}
			mustHave(t, "page", c.Get(page), 200, []string{"klingon"}, nil)
			mustHave(t, "page again", c.Get(page), 200, []string{"klingon"}, nil)
			mustHave(t, "download", c.Get(page+"/rejected.csv"), 200, []string{"klingon"}, nil)
			if v, d := count(audit.ViewPersonal), count(audit.ExportPersonal); v != 3 || d != 1 {
				t.Errorf("%d views and %d downloads audited, want 2 and 1", v, d)
			}
		})
	}
}

// Item 22: a number the file repeats names the row it repeats, across
// batches; blank rows are counted on the report.
func TestARepeatedNumberNamesItsRowAndBlankRowsAreCounted(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			x.m.Importer().BatchSize = 2
			c := x.s.As(lead)
			data := "Namn;Telefon;Språk\nAmal;0701234567;ar\n\nBo;0701234568;so\n;;\nCia;0701234569;ti\nDan;070-123 45 67;ar\nEva;0701234568;so\n"
			page := x.importThrough(t, c, "lista.csv", []byte(data))
			mustHave(t, "report", c.Get(page), 200, []string{"2 tomma rader hoppades över", "7 Upprepas i filen upprepar rad 2", "8 Upprepas i filen upprepar rad 4"},
				[]string{"Dubblett: numret finns redan"})
		})
	}
}

// Item 21: after a restart, an import that was running shows as
// interrupted at once, and Resume takes it up.
func TestAfterARestartARunningImportIsInterruptedAtOnce(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			ctx := context.Background()
			c := x.s.As(lead)
			r := x.uploadAs(t, c, "lista.csv", bigCSV(30))
			page := r.Location
			var id int64
			fmt.Sscanf(page, "/contacts/imports/%d", &id)
			// The process before the restart had started it a moment ago.
			_, err := x.s.App.DB.Exec(ctx, `UPDATE contact_imports SET state = 'running', claim = 1, owner = $1, updated_at = $2 WHERE id = $3`,
				contact.EarlierLife(), db.Now(time.Now()), id)
			if err != nil {
				t.Fatal(err)
			}
			mustHave(t, "after the restart", c.Get(page), 200, []string{"Avbruten", "Fortsätt", "Ångra importen"}, []string{"uppdateras av sig själv"})
			mustHave(t, "progress", c.Get(page+"/progress.json"), 200, []string{`"state":"interrupted"`}, nil)
			r = c.Post(page+"/resume", nil)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("resume: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			x.m.Importer().Wait()
			mustHave(t, "resumed", c.Get(page+"/progress.json"), 200, []string{`"state":"done"`, `"imported":30`}, nil)
		})
	}
}

// Item 4: the import page is drawn from what the upload kept; it never
// reads the file again.
func TestTheImportPageNeverReadsTheFileAgain(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			c := x.s.As(lead)
			r := x.uploadAs(t, c, "lista.csv", []byte(messy))
			page := r.Location
			var id int64
			fmt.Sscanf(page, "/contacts/imports/%d", &id)
			if _, err := x.s.App.DB.Exec(context.Background(), `UPDATE contact_imports SET file_enc = 'v1:gone:AAAA' WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
			mustHave(t, "preview", c.Get(page), 200, []string{"+46 ••• ••• •67", "Okänt språk: klingon", "upprepar rad 2"}, nil)
			r = c.Post(page+"/mapping", webtest.Form("col0", "name", "col1", "phone", "col2", "languages", "then", "preview"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("mapping: %d", r.Status)
			}
			mustHave(t, "preview after mapping", c.Get(page), 200, []string{"+46 ••• ••• •67"}, nil)
		})
	}
}

// Item 4: a group reads one file at a time, the server two; the others
// are told to wait, in their language.
func TestUploadsWaitTheirTurn(t *testing.T) {
	x := newSite(t, db.SQLite)
	c := x.s.As(lead)
	im := x.m.Importer()
	release := contact.Occupy(im, x.dm)
	mustHave(t, "the group's file is being read", x.uploadAs(t, c, "lista.csv", []byte(messy)), http.StatusConflict, []string{"Din grupp läser eller importerar redan en fil"}, nil)
	release()
	a, b := contact.Occupy(im, x.som), contact.Occupy(im, x.som+1000)
	mustHave(t, "two files are being read", x.uploadAs(t, c, "lista.csv", []byte(messy)), http.StatusTooManyRequests, []string{"Två filer läses just nu"}, nil)
	a()
	b()
	if r := x.uploadAs(t, c, "lista.csv", []byte(messy)); r.Status != http.StatusSeeOther {
		t.Errorf("upload when there is room: %d", r.Status)
	}
}

// Item 19: a stray quotation mark is refused with the row where it opened,
// instead of losing the rows after it without a word.
func TestAStrayQuoteIsRefusedWithItsRow(t *testing.T) {
	list := func(n, quoted, closeAt int) []byte {
		var b strings.Builder
		b.WriteString("Namn;Telefon;Språk\n")
		for r := 2; r <= n+1; r++ {
			name := fmt.Sprintf("Person %d", r)
			if r == quoted {
				name = `"` + name
			}
			if r == closeAt {
				name += `"`
			}
			fmt.Fprintf(&b, "%s;07%08d;arabiska\n", name, r)
		}
		return []byte(b.String())
	}
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			x := newSite(t, dialect)
			c := x.s.As(lead)
			mustHave(t, "20 rows", x.uploadAs(t, c, "lista.csv", list(20, 6, 0)), http.StatusUnprocessableEntity,
				[]string{"Rad 6: en cell börjar med ett citattecken"}, nil)
			mustHave(t, "1,000 rows", x.uploadAs(t, c, "lista.csv", list(1000, 101, 102)), http.StatusUnprocessableEntity,
				[]string{"Rad 101: en cell börjar med ett citattecken"}, nil)
			var n int
			x.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM contact_imports`).Scan(&n)
			if n != 0 {
				t.Errorf("%d drafts kept", n)
			}
		})
	}
}

func TestAnImportIsInterruptedWhenItsProcessIsKnownGoneOrItsHeartbeatStale(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	fresh, stale := now.Add(-contact.HeartbeatEvery), now.Add(-contact.StaleAfter-time.Second)
	for _, tt := range []struct {
		stored    string
		heartbeat time.Time
		owner     contact.Owner
		want      string
	}{
		{"running", fresh, contact.OwnerWorking, "running"},
		{"running", stale, contact.OwnerWorking, "running"}, // a long batch here: still ours
		{"running", fresh, contact.OwnerGone, "interrupted"},
		{"running", fresh, contact.OwnerElsewhere, "running"},
		{"running", stale, contact.OwnerElsewhere, "interrupted"},
		{"done", stale, contact.OwnerGone, "done"},
		{"draft", stale, contact.OwnerElsewhere, "draft"},
	} {
		if got := contact.ImportState(tt.stored, tt.heartbeat, now, tt.owner); got != tt.want {
			t.Errorf("%s, heartbeat %s ago, owner %d: %s, want %s", tt.stored, now.Sub(tt.heartbeat), tt.owner, got, tt.want)
		}
	}
}

// Item 7, for imports uploaded before: their headers are encrypted too.
func TestOldHeadersAreEncrypted(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		im := w.importer()
		i := w.upload(t, im, "lista.csv", []byte("Namn;Telefon;Språk\nAmal;0701234567;ar\n"))
		// As an upload before header_enc kept it.
		if _, err := w.d.Exec(ctx, `UPDATE contact_imports SET header = '["Amal Hassan","0701234567"]', header_enc = NULL WHERE id = $1`, i.ID); err != nil {
			t.Fatal(err)
		}
		if err := contact.EncryptOldHeaders(im, ctx); err != nil {
			t.Fatal(err)
		}
		var header, enc string
		w.d.QueryRow(ctx, `SELECT header, header_enc FROM contact_imports WHERE id = $1`, i.ID).Scan(&header, &enc)
		if strings.Contains(header+enc, "Amal") || strings.Contains(header+enc, "0701234567") {
			t.Errorf("still in the clear: %q %q", header, enc)
		}
		if i, _ = im.Get(ctx, i.ID); fmt.Sprint(i.Header) != "[Amal Hassan 0701234567]" {
			t.Errorf("header %q", i.Header)
		}
	})
}
