package handbook

import (
	"embed"
	"io/fs"

	"megafon/platform/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the handbook's tables. They refer to the operation
// module's, which must be applied first.
var Migrations = db.Migrations{Name: "handbook", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
