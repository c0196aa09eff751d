package helpline

import (
	"embed"
	"io/fs"

	"megafon/platform/db"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the help lines' tables. They refer to the platform's orgs
// and people and to the operation module's operations.
var Migrations = db.Migrations{Name: "helpline", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Module mounts the help lines. It needs the operation module mounted
// before it.
type Module struct {
	app *web.App
}

// Name is the module's name.
func (*Module) Name() string { return "helpline" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Mount adds the help line pages to app.
func (m *Module) Mount(app *web.App) {
	m.app = app
}
