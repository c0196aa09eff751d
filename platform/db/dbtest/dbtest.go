// Package dbtest gives tests a fresh, migrated database on SQLite and on
// PostgreSQL, so that every store test runs against both backends.
//
// PostgreSQL is found at MEGAFON_TEST_POSTGRES (default: the local server's
// "test" database). When it is unreachable the PostgreSQL half is skipped,
// unless MEGAFON_REQUIRE_POSTGRES=1 (as in CI), when it fails.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"megafon/platform/db"
)

const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the server the tests use.
func PostgresURL() string {
	if u := os.Getenv("MEGAFON_TEST_POSTGRES"); u != "" {
		return u
	}
	return defaultPostgres
}

var (
	pgOnce sync.Once
	pgErr  error
)

func postgresReachable() error {
	pgOnce.Do(func() {
		conn, err := sql.Open("pgx", PostgresURL())
		if err != nil {
			pgErr = err
			return
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		pgErr = conn.PingContext(ctx)
	})
	return pgErr
}

// Each runs fn as two parallel subtests, "sqlite" and "postgres", each with
// its own empty database migrated with parts.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB), parts ...db.Migrations) {
	t.Helper()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, dialect, parts...))
		})
	}
}

// Open returns a fresh database of the dialect, migrated with parts, that
// is removed when the test ends.
func Open(t testing.TB, dialect db.Dialect, parts ...db.Migrations) *db.DB {
	t.Helper()
	ctx := context.Background()
	var d *db.DB
	var err error
	switch dialect {
	case db.SQLite:
		d, err = db.Open(ctx, filepath.Join(t.TempDir(), "megafon.db"))
	case db.Postgres:
		d, err = openPostgresSchema(t)
	}
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx, parts...); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return d
}

// openPostgresSchema creates a schema of its own for the test, so tests run
// in parallel on one server, and drops it afterwards.
func openPostgresSchema(t testing.TB) (*db.DB, error) {
	if err := postgresReachable(); err != nil {
		if os.Getenv("MEGAFON_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL required but unreachable at %s: %v", PostgresURL(), err)
		}
		t.Skipf("PostgreSQL unreachable at %s (set MEGAFON_REQUIRE_POSTGRES=1 to fail instead): %v", PostgresURL(), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", PostgresURL())
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", PostgresURL())
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(PostgresURL())
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return db.Open(context.Background(), u.String())
}
