package web_test

import (
	"io"
	"log/slog"
	"testing"
	"testing/fstest"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/i18n"
	"megafon/platform/web"
)

// catalogueModule loads one key; with early set it also changes, once
// every module is mounted, a key that a later module brings.
type catalogueModule struct {
	name, key string
	early     func(app *web.App)
}

func (m *catalogueModule) Name() string                { return m.name }
func (m *catalogueModule) Migrations() []db.Migrations { return nil }
func (m *catalogueModule) Mount(app *web.App) {
	msg := `{"` + m.key + `": "x"}`
	app.Catalogue.MustLoad(fstest.MapFS{"sv.json": {Data: []byte(msg)}, "en.json": {Data: []byte(msg)}})
	if m.early != nil {
		app.AfterMount(func() { m.early(app) })
	}
}

func TestAModuleMountedFirstChangesAMessageOfOneMountedAfterIt(t *testing.T) {
	d := dbtest.Open(t, db.SQLite, auth.Migrations)
	app := web.New(web.Config{}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var err error
	calls := 0
	first := &catalogueModule{name: "first", key: "first.key", early: func(app *web.App) {
		calls++
		err = app.Catalogue.Override("ar", "second.key", i18n.Message{"other": "ثانٍ"}, "")
	}}
	app.Mount(first, &catalogueModule{name: "second", key: "second.key"})
	if calls != 1 || err != nil {
		t.Fatalf("the hook ran %d times, err %v; want once, after the second module", calls, err)
	}
	if got := app.Catalogue.T("ar", "second.key"); got != "ثانٍ" {
		t.Fatalf("second.key in Arabic = %q", got)
	}
	app.Mount(&catalogueModule{name: "third", key: "third.key"})
	if calls != 1 {
		t.Fatalf("the hook ran again on a later Mount")
	}
}
