// Package db opens Megafon's database, SQLite or PostgreSQL, and applies
// the embedded migrations of the platform and of every module.
//
// SQL in Megafon is written once, with $1-style placeholders, which both
// drivers accept. Where the two databases really differ (DDL types, full-text
// search, queue locking) the caller asks DB.Dialect, in one small place.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL database behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned (wrapped) when a row that was asked for by its key
// does not exist.
var ErrNotFound = errors.New("not found")

// DB is Megafon's handle on its database. Reads go to a pool of connections;
// on SQLite writes go through a single connection so that concurrent
// requests queue instead of failing with "database is locked".
type DB struct {
	Dialect Dialect
	read    *sql.DB
	write   *sql.DB
	schema  string // PostgreSQL search_path, empty for the default
}

// Open connects to the database named by dsn: a postgres:// URL, or else a
// path to an SQLite file (created when missing).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty path")
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// The DSN is a file: URI: characters that mean something in a URI are
	// escaped, or a path with '#' or '?' would lose its pragmas.
	uri := "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	write, err := sql.Open("sqlite", uri+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", uri+"?"+pragmas)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{Dialect: SQLite, read: read, write: write}, nil
}

// createPrivate creates a missing database file readable by its owner
// only; SQLite gives the -wal and -shm files the mode of the database, so
// they are private too. People's details are in it.
func createPrivate(path string) error {
	if path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: bad URL: %w", err)
	}
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", u.Redacted(), err)
	}
	return &DB{Dialect: Postgres, read: pool, write: pool, schema: u.Query().Get("search_path")}, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Reader is the pool for queries that only read. Use it with QueryContext.
func (db *DB) Reader() *sql.DB { return db.read }

// Writer is the pool (on SQLite: the one connection) for statements that
// change data.
func (db *DB) Writer() *sql.DB { return db.write }

// Query runs a query that returns rows, on the read pool.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, query, args...)
}

// QueryRow runs a query that returns one row, on the read pool.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, query, args...)
}

// Exec runs a statement that changes data, on the write pool.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, query, args...)
}

// WriteRow runs a statement with RETURNING on the write pool.
func (db *DB) WriteRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.write.QueryRowContext(ctx, query, args...)
}

// Tx runs fn in a transaction on the write pool, committing when fn returns
// nil and rolling back otherwise, so nothing is ever saved half-way.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Ping checks that the database answers; it backs /readyz.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Stats reports the pool statistics of the read and write pools, for metrics.
func (db *DB) Stats() (read, write sql.DBStats) {
	return db.read.Stats(), db.write.Stats()
}

// Now is the database-independent way to store an instant: UTC, with
// microsecond precision (what PostgreSQL keeps), so that values read back
// compare equal and SQLite's text timestamps sort correctly.
func Now(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// IsUniqueViolation reports whether err is a unique-constraint violation on
// either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
