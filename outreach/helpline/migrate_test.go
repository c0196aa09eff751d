package helpline_test

import (
	"testing"

	"megafon/outreach/helpline"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

func TestMigrationsApplyOnBothDatabases(t *testing.T) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		dbtest.Open(t, d, auth.Migrations, operation.Migrations, helpline.Migrations)
	}
}
