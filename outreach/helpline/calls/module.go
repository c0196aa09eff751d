package calls

import (
	"embed"
	"io/fs"

	"megafon/platform/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the calls' tables. They refer to the platform's orgs and
// people and to the help line module's lines and shared phones.
var Migrations = db.Migrations{Name: "calls", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
