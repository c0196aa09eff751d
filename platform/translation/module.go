// Package translation is the administrator's page for the interface's
// translations: how far each language has come, a spreadsheet of a
// language's messages for a translator, the import of that sheet once it
// is filled in, and the city's switch for the mark on messages that no
// fluent speaker has checked yet.
//
// Imported translations are kept in the database and applied to the
// catalogue at once and at every start, over the messages shipped with
// the code.
package translation

import (
	"context"
	"embed"
	"sync"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates/*.html
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Migrations are the module's tables. They refer to the platform's people.
var Migrations = db.Migrations{Name: "translation", FS: web.Sub(migrations, "migrations")}

// Module mounts the translations page on the web application.
type Module struct {
	app   *web.App
	store *Store
	// importing lets one import run at a time in the process: a sheet
	// being read holds up to a few tens of MB, and two imports of one
	// language would each decide against a catalogue the other changes.
	importing sync.Mutex
}

// Name is the module's name.
func (*Module) Name() string { return "translation" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount).
func (m *Module) Store() *Store { return m.store }

// Mount adds the translations page to app, and once every module is
// mounted applies the stored translations and switch to the catalogue.
func (m *Module) Mount(app *web.App) {
	m.app = app
	m.store = &Store{DB: app.DB, Audit: app.Audit, Now: func() time.Time { return app.Now() }}
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("translation", web.Sub(templates, "templates"))

	admin := web.Roles(auth.Admin)
	app.Handle("GET /translations", admin, m.overview)
	app.Handle("GET /translations/sheets/{file}", admin, m.export)
	app.Handle("POST /translations/import", admin, m.importSheet, web.MaxBody(MaxFileSize+1<<20))
	app.Handle("GET /translations/imports/{id}", admin, m.report)
	app.Handle("POST /translations/mark", admin, m.setMark)
	app.Nav(web.NavItem{Key: "translation.nav", Path: "/translations", Access: admin, Order: 95})

	app.AfterMount(func() { m.applyStored(context.Background()) })
}

// applyStored puts the stored translations and the mark's switch into the
// catalogue. A translation the catalogue no longer takes (its key is gone
// from the code) is logged and left out; the page still starts.
func (m *Module) applyStored(ctx context.Context) {
	on, set, err := m.store.ShowUncheckedMark(ctx)
	if err != nil {
		m.app.Log.Error("load the unchecked mark's switch", "err", err)
	} else if set {
		m.app.Catalogue.SetShowUncheckedMark(on)
	}
	overrides, err := m.store.Overrides(ctx)
	if err != nil {
		m.app.Log.Error("load imported translations", "err", err)
		return
	}
	for _, o := range overrides {
		if err := m.app.Catalogue.Override(o.Lang, o.Key, o.Message, o.CheckedAgainst); err != nil {
			m.app.Log.Warn("an imported translation no longer applies", "lang", o.Lang, "key", o.Key, "err", err)
		}
	}
}
