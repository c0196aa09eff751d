package campaign

import (
	"embed"

	"megafon/platform/db"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the campaign module's tables. They refer to the
// operation module's, which must be applied first.
var Migrations = db.Migrations{Name: "campaign", FS: web.Sub(migrations, "migrations")}
