package db_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

var testMigrations = db.Migrations{Name: "dbtest", FS: fstest.MapFS{
	"001_notes.sql": {Data: []byte(`-- +goose Up
CREATE TABLE notes (
	id INTEGER PRIMARY KEY,
	body TEXT NOT NULL UNIQUE,
	done BOOLEAN NOT NULL DEFAULT FALSE,
	at TIMESTAMPTZ NOT NULL,
	data BLOB
);
-- sqlite:
CREATE INDEX notes_dialect ON notes(body);
-- end
-- postgres:
CREATE INDEX notes_dialect ON notes USING hash (body);
-- end
`)},
}}

func TestBothDatabasesStoreAndReadBackTheSameValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := db.Now(time.Date(2021, 3, 4, 5, 6, 7, 891234567, time.FixedZone("CET", 3600)))
		var id int64
		err := d.WriteRow(ctx, `INSERT INTO notes (body, done, at, data) VALUES ($1, $2, $3, $4) RETURNING id`,
			"hej", true, at, []byte{0, 1, 2}).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		var body string
		var done bool
		var got time.Time
		var data []byte
		if err := d.QueryRow(ctx, `SELECT body, done, at, data FROM notes WHERE id = $1`, id).Scan(&body, &done, &got, &data); err != nil {
			t.Fatal(err)
		}
		if body != "hej" || !done || !got.Equal(at) || len(data) != 3 {
			t.Fatalf("read back %q %v %v %v, want hej true %v [0 1 2]", body, done, got, data, at)
		}
		_, err = d.Exec(ctx, `INSERT INTO notes (body, at) VALUES ($1, $2)`, "hej", at)
		if !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate body: got %v, want a unique violation", err)
		}
	}, testMigrations)
}

func TestTxSavesNothingHalfWay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notes (body, at) VALUES ($1, $2)`, "first", db.Now(time.Now())); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx returned %v, want boom", err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM notes`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d rows after a rolled-back transaction, want 0", n)
		}
	}, testMigrations)
}

func TestMigrateTwiceIsANoOp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background(), testMigrations); err != nil {
			t.Fatal(err)
		}
	}, testMigrations)
}

func TestAnSQLitePathWithURICharactersKeepsItsPragmas(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/odd #1 ?x%.db"
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var fk int
	var mode string
	d.QueryRow(ctx, `PRAGMA foreign_keys`).Scan(&fk)
	d.QueryRow(ctx, `PRAGMA journal_mode`).Scan(&mode)
	if fk != 1 || mode != "wal" {
		t.Fatalf("foreign_keys=%d journal_mode=%s, want 1 and wal", fk, mode)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at the path given: %v", err)
	}
}

func TestASQLiteDatabaseAndItsWALAreReadableByTheOwnerOnly(t *testing.T) {
	path := t.TempDir() + "/megafon.db"
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, `CREATE TABLE people (name TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO people VALUES ('Amina')`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
		}
	}
}
