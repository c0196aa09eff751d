package translation_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuri/excelize/v2"

	"megafon/platform/account"
	"megafon/platform/db"
	"megafon/platform/translation"
	"megafon/platform/web"
	"megafon/platform/web/webtest"
)

const (
	admin = "admin@demo.megafon.se"
	coord = "samordnare@demo.megafon.se"
	lead  = "gruppledare@demo.megafon.se"
	vol   = "+46701000001"
)

var dialects = []db.Dialect{db.SQLite, db.Postgres}

// phrases is a module of two messages whose Swedish text a test chooses,
// as the code of a later version of Megafon would change it.
type phrases struct{ hello string }

func (*phrases) Name() string                { return "phrases" }
func (*phrases) Migrations() []db.Migrations { return nil }
func (p *phrases) Mount(app *web.App) {
	sv := map[string]any{"phrases.hello": p.hello, "phrases.calls": map[string]string{"one": "{{.Count}} samtal", "other": "{{.Count}} samtal"}}
	en := map[string]any{"phrases.hello": "Hello {{.Name}}", "phrases.calls": map[string]string{"one": "{{.Count}} call", "other": "{{.Count}} calls"}}
	ar := map[string]any{"phrases.hello": "مرحبا {{.Name}}", "phrases.calls": map[string]string{"zero": "لا مكالمات", "one": "مكالمة واحدة",
		"two": "مكالمتان", "few": "{{.Count}} مكالمات", "many": "{{.Count}} مكالمة", "other": "{{.Count}} مكالمة"}}
	files := fstest.MapFS{}
	for name, m := range map[string]map[string]any{"sv.json": sv, "en.json": en, "ar.json": ar} {
		b, _ := json.Marshal(m)
		files[name] = &fstest.MapFile{Data: b}
	}
	app.Catalogue.MustLoad(files)
}

// newSite is the translations page with the phrases, Swedish hello
// being hello.
func newSite(t *testing.T, dialect db.Dialect, hello string) (*webtest.Server, *translation.Module) {
	t.Helper()
	m := &translation.Module{}
	return webtest.New(t, dialect, false, &account.Module{}, m, &phrases{hello: hello}), m
}

// restart mounts the modules again on the site's database, as a new
// start of the server would.
func restart(t *testing.T, s *webtest.Server, hello string) *web.App {
	t.Helper()
	app := web.New(web.Config{}, s.App.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	app.Mount(&account.Module{}, &translation.Module{}, &phrases{hello: hello})
	return app
}

func upload(t testing.TB, c *webtest.Client, s *webtest.Server, lang, name string, data []byte) *webtest.Response {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("csrf_token", c.CSRF())
	w.WriteField("lang", lang)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/translations/import", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// exportSheet downloads lang's sheet and opens it.
func exportSheet(t testing.TB, c *webtest.Client, lang string) ([]byte, *excelize.File) {
	t.Helper()
	r := c.Get("/translations/sheets/" + lang + ".xlsx")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("export %s: %d %s\n%.300s", lang, r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	f, err := excelize.OpenReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("export %s: %v", lang, err)
	}
	t.Cleanup(func() { f.Close() })
	return []byte(r.Body), f
}

// findRow is the number of the sheet's row of key and form, or 0.
func findRow(t *testing.T, f *excelize.File, sheet, key, form string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 1 && r[0] == key && r[1] == form {
			return i + 1
		}
	}
	return 0
}

func set(t *testing.T, f *excelize.File, sheet, cell, value string) {
	t.Helper()
	if err := f.SetCellStr(sheet, cell, value); err != nil {
		t.Fatal(err)
	}
}

func save(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// imported uploads a sheet and follows the answer to the report.
func imported(t *testing.T, c *webtest.Client, s *webtest.Server, lang string, data []byte) *webtest.Response {
	t.Helper()
	r := upload(t, c, s, lang, "megafon-"+lang+".xlsx", data)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/translations/imports/") {
		t.Fatalf("import %s: %d %s\n%s", lang, r.Status, r.Location, webtest.Text(r.Body))
	}
	return c.Get(r.Location)
}

func mustHave(t *testing.T, what string, r *webtest.Response, status int, want []string, not []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, webtest.Text(r.Body))
	}
	text := webtest.Text(r.Body)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q missing in\n%s", what, w, text)
		}
	}
	for _, n := range not {
		if strings.Contains(text, n) {
			t.Errorf("%s: %q must not appear in\n%s", what, n, text)
		}
	}
}
