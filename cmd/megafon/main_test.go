package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"megafon/outreach/contact"
	"megafon/platform/db"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "m.db")

	if out, _, err := runCmd(t, "", "version"); err != nil || !strings.HasPrefix(out, "megafon ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %v", err)
	}
	if _, _, err := runCmd(t, ""); err == nil {
		t.Fatal("no command: no error")
	}
	if out, _, err := runCmd(t, "", "migrate", "--db", dbPath); err != nil || !strings.Contains(out, "migrations applied") {
		t.Fatalf("migrate: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "short\n", "user", "create", "--db", dbPath, "--name", "Alva", "--email", "alva@example.se"); err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Fatalf("user create with a short password: %v", err)
	}
	out, _, err := runCmd(t, "ett långt lösenord\n", "user", "create", "--db", dbPath, "--name", "Alva", "--email", "alva@example.se")
	if err != nil || !strings.Contains(out, "administrator alva@example.se created") {
		t.Fatalf("user create: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "ett långt lösenord\n", "user", "create", "--db", dbPath, "--name", "Alva", "--email", "alva@example.se"); err == nil {
		t.Fatal("the same e-mail twice: no error")
	}

	backup := filepath.Join(dir, "backup.db")
	if out, _, err := runCmd(t, "", "backup", "--db", dbPath, "--to", backup); err != nil || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "", "backup", "--db", dbPath, "--to", backup); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("a backup over an existing file: %v", err)
	}
	if _, _, err := runCmd(t, "", "backup", "--db", "postgres://x@localhost/db", "--to", filepath.Join(dir, "x.db")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup of PostgreSQL: %v", err)
	}
	d, err := db.Open(context.Background(), backup)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM people WHERE email = 'alva@example.se'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the backup has %d administrators (%v), want 1", n, err)
	}
}

// The demo server starts, serves, and on SIGTERM finishes and stops.
func TestServeDemoStartsAndStopsGracefully(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- serve(context.Background(), []string{"--demo", "--addr", addr, "--db", filepath.Join(dir, "demo.db")}, &out, &errOut)
	}()
	var resp *http.Response
	// Seeding the demo city takes seconds, more on a loaded machine: wait
	// for readiness up to a minute (a poll, not a timed assertion).
	for i := 0; i < 1200; i++ {
		if resp, err = http.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v\n%s", resp, err, errOut.String())
	}
	resp.Body.Close()
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	for _, want := range []string{"Megafon is running at http://" + addr, "admin@demo.megafon.se", "megafon-demo-2021"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --demo did not print %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "stopped") {
		t.Errorf("no graceful stop in the log:\n%s", errOut.String())
	}
}

// The database, its backup and the keyring hold people's details and the
// key to residents' numbers: nobody but the owner reads them.
func TestTheDatabaseItsBackupAndTheKeyringAreReadableByTheOwnerOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "m.db")
	if _, _, err := runCmd(t, "", "migrate", "--db", dbPath); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "", "keys", "rotate", "--db", dbPath); err == nil {
		t.Fatal("rotate without a keyring: no error")
	}
	if _, _, err := contact.LoadKeys("", "", dbPath); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "", "keys", "rotate", "--db", dbPath); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if _, _, err := runCmd(t, "", "backup", "--db", dbPath, "--to", backup); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{dbPath, dbPath + ".keys", backup, backup + ".keys"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
		}
	}
}
