package translation_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"megafon/platform/audit"
	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/translation"
	"megafon/platform/web/webtest"
	"megafon/server"
)

const hello = "Hej {{.Name}}"

// Role by route: only an administrator reaches the translations; anyone
// else signed in is refused, and someone signed out is sent to sign in.
func TestOnlyAnAdministratorReachesTheTranslations(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s, _ := newSite(t, dialect, hello)
			a := s.As(admin)
			data, _ := exportSheet(t, a, "ar")
			imported(t, a, s, "ar", data)
			imports, err := translationStore(s).Imports(context.Background(), 1)
			if err != nil || len(imports) != 1 {
				t.Fatalf("imports: %v %v", imports, err)
			}
			reportPath := fmt.Sprintf("/translations/imports/%d", imports[0].ID)
			everyone := []string{"", admin, coord, "processledare@demo.megafon.se", "ledamot@demo.megafon.se", lead, vol}
			for _, rc := range []struct {
				method, path string
				form         url.Values
				admin        int
			}{
				{"GET", "/translations", nil, http.StatusOK},
				{"GET", "/translations/sheets/ar.xlsx", nil, http.StatusOK},
				{"GET", "/translations/sheets/sv.xlsx", nil, http.StatusNotFound}, // written with the code
				{"GET", "/translations/sheets/ar", nil, http.StatusNotFound},
				{"GET", reportPath, nil, http.StatusOK},
				{"GET", "/translations/imports/999", nil, http.StatusNotFound},
				{"POST", "/translations/import", url.Values{"lang": {"ar"}}, http.StatusUnprocessableEntity},
				{"POST", "/translations/mark", url.Values{"show": {"on"}}, http.StatusSeeOther},
			} {
				for _, who := range everyone {
					c := s.Client()
					if who != "" {
						c = s.As(who)
					}
					want := http.StatusForbidden
					switch {
					case who == admin:
						want = rc.admin
					case who == "" && rc.method == "GET":
						want = http.StatusSeeOther
					case who == "":
						want = http.StatusUnauthorized
					}
					var r *webtest.Response
					if rc.method == "GET" {
						r = c.Get(rc.path)
					} else {
						form := url.Values{}
						for k, v := range rc.form {
							form[k] = v
						}
						r = c.Post(rc.path, form)
					}
					if r.Status != want {
						t.Errorf("%s %s as %q: %d, want %d", rc.method, rc.path, who, r.Status, want)
					}
					if who == "" && rc.method == "GET" && !strings.HasPrefix(r.Location, "/signin") {
						t.Errorf("%s as a stranger: sent to %q, not to sign in", rc.path, r.Location)
					}
				}
			}
			if r := s.As(coord).Get("/"); strings.Contains(r.Body, `href="/translations"`) {
				t.Error("a coordinator's menu links to the translations")
			}
			if r := a.Get("/"); !strings.Contains(r.Body, `href="/translations"`) {
				t.Error("the administrator's menu lacks the translations")
			}
		})
	}
}

func translationStore(s *webtest.Server) *translation.Store {
	for _, m := range s.App.Modules() {
		if tm, ok := m.(*translation.Module); ok {
			return tm.Store()
		}
	}
	panic("no translation module")
}

// Every language's sheet, as the translator gets it and sends it back
// untouched, changes nothing: every message shipped with the code passes
// the import's rules, and every row is accounted for.
func TestEveryLanguagesSheetComesBackUnchanged(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := webtest.New(t, dialect, false, server.Modules()...)
			c := s.As(admin)
			keys := len(s.App.Catalogue.Keys())
			for _, l := range i18n.Langs {
				if l.Source {
					continue
				}
				data, f := exportSheet(t, c, l.Code)
				checkSheetLayout(t, f, l, keys)
				rows, _ := f.GetRows(l.Code)
				r := imported(t, c, s, l.Code, data)
				mustHave(t, l.Code, r, http.StatusOK, []string{
					"Rader " + swedishNumber(len(rows)-1), "Uppdaterade 0", "Oförändrade " + swedishNumber(len(rows)-1), "Avvisade 0",
				}, []string{"Avvisade rader"})
			}
		})
	}
}

// checkSheetLayout: a translator can work in the sheet. The header is
// frozen, the text wraps, the columns are wide enough to read, and Arabic
// and Dari sheets run right to left.
func checkSheetLayout(t *testing.T, f *excelize.File, l i18n.Lang, keys int) {
	t.Helper()
	sheet := l.Code
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("%s: sheets %v", l.Code, got)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: panes %+v %v, want the header frozen", l.Code, panes, err)
	}
	view, err := f.GetSheetView(sheet, 0)
	rtl := view.RightToLeft != nil && *view.RightToLeft
	if err != nil || rtl != (l.Code == "ar" || l.Code == "prs") {
		t.Errorf("%s: right to left %v (%v)", l.Code, rtl, err)
	}
	for col, min := range map[string]float64{"A": 30, "C": 40, "D": 40, "E": 50} {
		if w, _ := f.GetColWidth(sheet, col); w < min {
			t.Errorf("%s: column %s is %.0f wide, want at least %.0f", l.Code, col, w, min)
		}
	}
	rows, _ := f.GetRows(sheet)
	if len(rows) <= keys {
		t.Errorf("%s: %d rows for %d messages", l.Code, len(rows), keys)
	}
	styleID, _ := f.GetCellStyle(sheet, "E2")
	style, err := f.GetStyle(styleID)
	if err != nil || style.Alignment == nil || !style.Alignment.WrapText {
		t.Errorf("%s: the translation column does not wrap (%v)", l.Code, err)
	}
}

// A translator's edits reach the pages at once, stay after a restart, and
// the import is in the audit log.
func TestAnImportedTranslationIsShownAtOnceAndAfterARestart(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s, _ := newSite(t, dialect, hello)
			c := s.As(admin)
			_, f := exportSheet(t, c, "ar")
			n := findRow(t, f, "ar", "phrases.hello", "")
			few := findRow(t, f, "ar", "phrases.calls", "few")
			if n == 0 || few == 0 {
				t.Fatal("the sheet lacks phrases.hello or the few form of phrases.calls")
			}
			if got, _ := f.GetCellValue("ar", fmt.Sprintf("C%d", few)); got != "{{.Count}} samtal" {
				t.Errorf("the Swedish beside Arabic few = %q, want Swedish other", got)
			}
			set(t, f, "ar", fmt.Sprintf("E%d", n), "أهلًا {{.Name}}")
			set(t, f, "ar", fmt.Sprintf("F%d", n), "x")
			set(t, f, "ar", fmt.Sprintf("E%d", few), "{{.Count}} مكالمات هذا اليوم")
			r := imported(t, c, s, "ar", save(t, f))
			mustHave(t, "report", r, http.StatusOK, []string{"Arket är inläst.", "Uppdaterade 2", "Avvisade 0"}, nil)

			for _, cat := range []*i18n.Catalogue{s.App.Catalogue, restart(t, s, hello).Catalogue} {
				if got, checked := cat.Translate("ar", "phrases.hello", "Name", "Amal"); got != "أهلًا Amal" || !checked {
					t.Errorf("phrases.hello in Arabic = %q, checked %v", got, checked)
				}
				if got, checked := cat.Translate("ar", "phrases.calls", "Count", 4); got != "4 مكالمات هذا اليوم" || checked {
					t.Errorf("phrases.calls for 4 in Arabic = %q, checked %v", got, checked)
				}
				if got := cat.T("ar", "phrases.calls", "Count", 1); got != "مكالمة واحدة" {
					t.Errorf("phrases.calls for 1 in Arabic = %q: the forms not in the sheet's change are kept", got)
				}
			}
			entries, err := s.App.Audit.List(context.Background(), audit.Filter{Action: translation.ActionImport})
			if err != nil || len(entries) != 1 || entries[0].ActorName != "Alva Admin" || !strings.Contains(entries[0].Detail, "2 updated") {
				t.Errorf("audit log: %+v %v", entries, err)
			}
			mustHave(t, "overview", c.Get("/translations"), http.StatusOK, []string{"arabiska Alva Admin Uppdaterade: 2"}, nil)
		})
	}
}

// Item 4: a fluent speaker's check counts only against the Swedish text
// she saw. A sheet made before the Swedish changed is saved, but its
// checked rows count as unchecked, and the report says so.
func TestAChangedSwedishTextMakesACheckedRowUnchecked(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			before, _ := newSite(t, dialect, hello)
			_, f := exportSheet(t, before.As(admin), "ar")
			n := findRow(t, f, "ar", "phrases.hello", "")
			set(t, f, "ar", fmt.Sprintf("E%d", n), "أهلًا {{.Name}}")
			set(t, f, "ar", fmt.Sprintf("F%d", n), "x")
			sheet := save(t, f)

			after, _ := newSite(t, dialect, "Hej och välkommen {{.Name}}")
			c := after.As(admin)
			if err := c.Post("/lang", webtest.Form("lang", "en", "next", "/")); err.Status != http.StatusSeeOther {
				t.Fatal("switch to English")
			}
			r := imported(t, c, after, "ar", sheet)
			mustHave(t, "report", r, http.StatusOK, []string{"Updated 1", "Saved but unchecked (the Swedish changed) 1",
				"Checked against an older Swedish text", "phrases.hello", "Saved but unchecked: the Swedish text has changed since the sheet was downloaded."}, nil)
			if got, checked := after.App.Catalogue.Translate("ar", "phrases.hello", "Name", "Amal"); got != "أهلًا Amal" || checked {
				t.Errorf("phrases.hello = %q, checked %v; want the new text, unchecked", got, checked)
			}
			if got, checked := restart(t, after, "Hej och välkommen {{.Name}}").Catalogue.Translate("ar", "phrases.hello"); checked {
				t.Errorf("after a restart phrases.hello %q counts as checked", got)
			}
			// The same sheet where the Swedish is what she saw: checked.
			imported(t, before.As(admin), before, "ar", sheet)
			if _, checked := before.App.Catalogue.Translate("ar", "phrases.hello"); !checked {
				t.Error("checked against the Swedish of the day, the message is not checked")
			}
		})
	}
}

// Item 4: every row is accounted for, each rejected one with its reason
// in the administrator's language.
func TestEveryRejectedRowSaysWhyInTheAdministratorsLanguage(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s, _ := newSite(t, dialect, hello)
			c := s.As(admin)
			c.Post("/lang", webtest.Form("lang", "en", "next", "/"))
			_, f := exportSheet(t, c, "ar")
			rows, _ := f.GetRows("ar")
			next := len(rows) + 1
			add := func(cells ...string) {
				t.Helper()
				vals := make([]any, len(cells))
				for i, c := range cells {
					vals[i] = c
				}
				if err := f.SetSheetRow("ar", fmt.Sprintf("A%d", next), &vals); err != nil {
					t.Fatal(err)
				}
				next++
			}
			h := i18n.SourceHash(i18n.Message{"other": hello})
			helloRow := findRow(t, f, "ar", "phrases.hello", "")
			cases := []struct{ key, form, text, checked, why string }{
				{"phrases.nothing", "", "شيء", "", "There is no message with this key."},
				{"phrases.hello", "one", "مرحبا {{.Name}}", "", "The message has no plural forms: leave the form column empty."},
				{"phrases.hello", "", "مرحبا", "", "The placeholders differ from the Swedish text. Missing: {{.Name}}. Not in the Swedish: –."},
				{"phrases.hello", "", "مرحبا {{.Name}} {{.Who}}", "", "The placeholders differ from the Swedish text. Missing: –. Not in the Swedish: {{.Who}}."},
				{"phrases.hello", "", `{{printf "%d" 1}} {{.Name}}`, "", "The translation has braces that are not a placeholder."},
				{"phrases.hello", "", "مرحبا\uFDD0 {{.Name}}", "", "A cell contains characters that cannot be saved (control characters)."},
				// How a sheet carries a control character, which Excel and
				// excelize turn into a bell when they read it.
				{"phrases.hello", "", "مرحبا_x0007_ {{.Name}}", "", "A cell contains characters that cannot be saved (control characters)."},
				{"phrases.hello", "", "{{.Name}} " + strings.Repeat("ب", translation.MaxMessageRunes), "", "The translation is too long: at most 1000 characters."},
				{"phrases.hello", "", "   ", "", "The translation is empty."},
				{"phrases.hello", "", "مرحبا {{.Name}}", "yes", "Write x in the column for checking, or leave it empty."},
				{"phrases.hello", "", "أهلًا {{.Name}}", "", fmt.Sprintf("The same key and form are already on row %d.", helloRow)},
				{"phrases.calls", "dual", "{{.Count}}", "", "The plural form “dual” does not exist in this language. Its forms are: zero, one, two, few, many, other."},
				{"phrases.calls", "few", "مكالمات", "", "The placeholders differ from the Swedish text. Missing: {{.Count}}. Not in the Swedish: –."},
			}
			first, added := next, len(cases)
			for _, tc := range cases {
				add(tc.key, tc.form, "", "", tc.text, tc.checked, h)
			}
			// The sheet's own row of a message with a rejected form.
			cases = append(cases, struct{ key, form, text, checked, why string }{"phrases.calls", "other", "", "",
				fmt.Sprintf("Another form of the same message was rejected (row %d).", first+len(cases)-2)})
			r := imported(t, c, s, "ar", save(t, f))
			siblings := 1 + len(i18n.UILang("ar").Forms) // the rows the sheet had for both messages
			mustHave(t, "report", r, http.StatusOK, []string{fmt.Sprintf("Rejected %d", added+siblings), "Rejected rows"}, nil)
			for i, tc := range cases {
				n := first + i
				if i == len(cases)-1 {
					n = findRow(t, f, "ar", tc.key, tc.form)
				}
				row := regexp.MustCompile(fmt.Sprintf(`(?s)<tr><td>%d</td>(.*?)</tr>`, n)).FindStringSubmatch(r.Body)
				if row == nil || !strings.Contains(webtest.Text(row[1]), tc.why) {
					t.Errorf("row %d (%s %s %.40q): %v, want %q", n, tc.key, tc.form, tc.text, row, tc.why)
				}
			}
			if got := s.App.Catalogue.T("ar", "phrases.hello", "Name", "Amal"); got != "مرحبا Amal" {
				t.Errorf("a rejected row changed the message: %q", got)
			}
		})
	}
}

// Item 4: a file that is not a sheet, one too big and a zip bomb are
// refused with a message beside the file field (422), never a 500, and
// the bomb is refused before it is unpacked.
// Not parallel, and its databases one after the other: it measures what
// the process allocates to refuse a file, which the package's parallel
// tests (importing every language's sheet) would add to.
func TestAFileThatIsNoSheetIsRefusedBesideTheField(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			s, _ := newSite(t, dialect, hello)
			c := s.As(admin)
			sheet, _ := exportSheet(t, c, "ar")
			big := make([]byte, translation.MaxFileSize+1)
			rand.Read(big)
			bomb := zipBomb(t, sheet, "xl/sharedStrings.xml", 200<<20)
			liar := lyingZip(t, sheet)
			noWorkbook := func() []byte {
				var b bytes.Buffer
				z := zip.NewWriter(&b)
				w, _ := z.Create("hello.txt")
				w.Write([]byte("hej"))
				z.Close()
				return b.Bytes()
			}()
			for _, tc := range []struct {
				name, lang string
				data       []byte
				status     int
				want       string
			}{
				{"text.xlsx", "ar", []byte("key;form;text\nphrases.hello;;hej\n"), 422, "The file is not a spreadsheet (XLSX) that can be read."},
				{"big.xlsx", "ar", big, 422, "The file is too large: at most 4 MB."},
				{"bomb.xlsx", "ar", bomb, 422, "The file unpacks to more than the import can read."},
				{"liar.xlsx", "ar", liar, 422, "The file is not a spreadsheet (XLSX) that can be read."},
				{"archive.zip", "ar", noWorkbook, 422, "The file is not a spreadsheet (XLSX) that can be read."},
				{"megafon-ar.xlsx", "so", sheet, 422, "The sheet is for another language (Arabic)."},
				{"megafon-ar.xlsx", "sv", sheet, 422, "Choose one of the options."},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c := s.As(admin)
					c.Post("/lang", webtest.Form("lang", "en", "next", "/"))
					var before runtime.MemStats
					runtime.ReadMemStats(&before)
					r := upload(t, c, s, tc.lang, tc.name, tc.data)
					var after runtime.MemStats
					runtime.ReadMemStats(&after)
					mustHave(t, tc.name, r, tc.status, []string{tc.want, "Something needs correcting"}, nil)
					if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
						t.Errorf("%s: %d MB allocated to refuse it", tc.name, grew>>20)
					}
				})
			}
			// Over the route's limit the platform refuses the request
			// before the handler reads it.
			huge := make([]byte, translation.MaxFileSize+2<<20)
			if r := upload(t, c, s, "ar", "huge.xlsx", huge); r.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("a body over the limit: %d, want 413", r.Status)
			}
			if imports, _ := translationStore(s).Imports(context.Background(), 10); len(imports) != 0 {
				t.Errorf("refused files left imports: %+v", imports)
			}
		})
	}
}

// zipBomb is a real workbook whose part unpacks to size bytes and
// compresses to a few hundred KB: the deflate block of one 64 KB chunk,
// once compressed, decodes to the same chunk wherever the chunk before it
// is in the window, so it is repeated rather than compressed.
func zipBomb(t *testing.T, workbook []byte, part string, size int) []byte {
	t.Helper()
	head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	unit := "<si><t>x</t></si>"
	chunk := strings.Repeat(unit, (64<<10)/len(unit))
	foot := "</sst>"
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestCompression)
	fw.Write([]byte(head + chunk))
	fw.Flush()
	first := bytes.Clone(z.Bytes())
	z.Reset()
	fw.Write([]byte(chunk))
	fw.Flush()
	again := bytes.Clone(z.Bytes())
	z.Reset()
	fw.Write([]byte(foot))
	fw.Close()
	last := bytes.Clone(z.Bytes())
	repeats := (size - len(head) - len(foot)) / len(chunk)
	stream := bytes.NewBuffer(first)
	crc := crc32.ChecksumIEEE([]byte(head + chunk))
	for range repeats - 1 {
		stream.Write(again)
		crc = crc32.Update(crc, crc32.IEEETable, []byte(chunk))
	}
	stream.Write(last)
	crc = crc32.Update(crc, crc32.IEEETable, []byte(foot))
	n := len(head) + repeats*len(chunk) + len(foot)
	return replacePart(t, workbook, part, func(zw *zip.Writer) {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: part, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(stream.Len()), UncompressedSize64: uint64(n)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(stream.Bytes())
	})
}

// lyingZip is the workbook with its worksheet claiming to unpack to less
// than it does: archive/zip stops at the declared size, and excelize would
// read the sheet cut short without a word.
func lyingZip(t *testing.T, workbook []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	part := "xl/worksheets/sheet1.xml"
	var raw []byte
	var hdr zip.FileHeader
	for _, e := range zr.File {
		if e.Name == part {
			hdr = e.FileHeader
			r, _ := e.OpenRaw()
			var b bytes.Buffer
			b.ReadFrom(r)
			raw = b.Bytes()
		}
	}
	if raw == nil {
		t.Fatalf("no %s in the workbook", part)
	}
	hdr.UncompressedSize64 /= 2
	return replacePart(t, workbook, part, func(zw *zip.Writer) {
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw)
	})
}

func replacePart(t *testing.T, workbook []byte, part string, write func(*zip.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		if e.Name == part {
			continue
		}
		if err := zw.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	write(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Item 4: the city's switch turns the discreet mark on unchecked messages
// off and on, on every page at once and after a restart, and each switch
// is in the audit log.
func TestTheMarkSwitchTurnsTheMarkOnPagesOnAndOff(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s, _ := newSite(t, dialect, hello)
			c := s.As(admin)
			volunteer := s.As(vol)
			volunteer.Post("/lang", webtest.Form("lang", "ar", "next", "/"))
			mark := `<span class="unchecked" aria-hidden="true"></span>`
			if r := volunteer.Get("/"); !strings.Contains(r.Body, mark) || !strings.Contains(r.Body, "unchecked-note") {
				t.Fatalf("Arabic pages lack the mark while it is on:\n%.2000s", r.Body)
			}
			r := c.Post("/translations/mark", nil) // the box unticked
			if r.Status != http.StatusSeeOther {
				t.Fatalf("switch off: %d", r.Status)
			}
			mustHave(t, "after switching off", c.Get("/translations"), http.StatusOK, []string{"Okontrollerade texter visas utan markering."}, nil)
			if r := volunteer.Get("/"); strings.Contains(r.Body, mark) || strings.Contains(r.Body, "unchecked-note") {
				t.Error("the mark is still on the volunteer's page")
			}
			if restart(t, s, hello).Catalogue.ShowUncheckedMark() {
				t.Error("after a restart the mark is on again")
			}
			c.Post("/translations/mark", webtest.Form("show", "on"))
			if r := volunteer.Get("/"); !strings.Contains(r.Body, mark) {
				t.Error("the mark did not come back")
			}
			c.Post("/translations/mark", webtest.Form("show", "on")) // no switch: not logged
			entries, err := s.App.Audit.List(context.Background(), audit.Filter{Action: translation.ActionMark})
			if err != nil || len(entries) != 2 || entries[0].Detail != "on" || entries[1].Detail != "off" || entries[0].ActorName != "Alva Admin" {
				t.Errorf("audit log: %+v %v", entries, err)
			}
		})
	}
}

// Nothing half-done: when saving fails part way, no translation of the
// import reaches the pages, and no report or audit entry is left.
func TestNothingIsAppliedWhenSavingFails(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s, _ := newSite(t, dialect, hello)
			failOn(t, s.App.DB, "phrases.hello")
			c := s.As(admin)
			_, f := exportSheet(t, c, "ar")
			set(t, f, "ar", fmt.Sprintf("E%d", findRow(t, f, "ar", "phrases.calls", "few")), "{{.Count}} مكالمات هذا اليوم")
			set(t, f, "ar", fmt.Sprintf("E%d", findRow(t, f, "ar", "phrases.hello", "")), "أهلًا {{.Name}}")
			r := upload(t, c, s, "ar", "megafon-ar.xlsx", save(t, f))
			if r.Status != http.StatusInternalServerError || strings.Contains(r.Body, "boom") {
				t.Errorf("a failed save: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if got := s.App.Catalogue.T("ar", "phrases.calls", "Count", 4); got != "4 مكالمات" {
				t.Errorf("the change saved before the failure was applied: %q", got)
			}
			imports, _ := translationStore(s).Imports(context.Background(), 10)
			overrides, _ := translationStore(s).Overrides(context.Background())
			logged, _ := s.App.Audit.List(context.Background(), audit.Filter{Action: translation.ActionImport})
			if len(imports)+len(overrides)+len(logged) != 0 {
				t.Errorf("left behind: %d imports, %d translations, %d audit entries", len(imports), len(overrides), len(logged))
			}
		})
	}
}

// failOn makes the database refuse to save a translation of key.
func failOn(t *testing.T, d *db.DB, key string) {
	t.Helper()
	var stmts []string
	switch d.Dialect {
	case db.SQLite:
		stmts = []string{`CREATE TRIGGER fail BEFORE INSERT ON translation_overrides WHEN NEW.msg_key = '` + key + `' BEGIN SELECT RAISE(ABORT, 'boom'); END`}
	case db.Postgres:
		stmts = []string{
			`CREATE FUNCTION fail() RETURNS trigger AS $$ BEGIN IF NEW.msg_key = '` + key + `' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER fail BEFORE INSERT ON translation_overrides FOR EACH ROW EXECUTE FUNCTION fail()`,
		}
	}
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		for _, s := range stmts {
			if _, err := tx.Exec(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// swedishNumber is n as a Swedish page shows it, in groups of three
// ("1 150").
func swedishNumber(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}

// One import runs at a time: another is asked to come back in a moment,
// and nothing of it is saved.
func TestOneImportRunsAtATime(t *testing.T) {
	s, m := newSite(t, db.SQLite, hello)
	c := s.As(admin)
	c.Post("/lang", webtest.Form("lang", "en", "next", "/"))
	data, _ := exportSheet(t, c, "ar")
	release := translation.HoldImports(m)
	mustHave(t, "while another runs", upload(t, c, s, "ar", "megafon-ar.xlsx", data), http.StatusConflict,
		[]string{"Another import is running. Try again in a moment."}, nil)
	release()
	imported(t, c, s, "ar", data)
	if imports, _ := translationStore(s).Imports(context.Background(), 10); len(imports) != 1 {
		t.Errorf("%d imports, want the one after the other ended", len(imports))
	}
}
