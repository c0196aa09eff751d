package campaign

import (
	"embed"
	"io/fs"

	"megafon/platform/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the campaign module's tables. They refer to the
// operation module's, which must be applied first.
var Migrations = db.Migrations{Name: "campaign", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
