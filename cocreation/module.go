package cocreation

import (
	"embed"
	"io/fs"

	"megafon/platform/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations are the co-creation tables; they refer to the platform's.
var Migrations = db.Migrations{Name: "cocreation", FS: mustSub(migrationFiles, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
