package contact_test

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"megafon/outreach/contact"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/secret"
)

// The environment of the child process that TestAKilledImport kills.
const (
	childDSN    = "MEGAFON_TEST_IMPORT_DSN"
	childKeys   = "MEGAFON_TEST_IMPORT_KEYS"
	childImport = "MEGAFON_TEST_IMPORT_ID"
)

// TestImportChildProcess is not a test on its own: it is the process that
// TestAKilledImport starts and kills with SIGKILL in the middle of an
// import. It runs an import and prints a line after every committed batch.
func TestImportChildProcess(t *testing.T) {
	dsn := os.Getenv(childDSN)
	if dsn == "" {
		return // not the child: nothing to do, and no skip to count in CI
	}
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secret.ParseKeyring([]byte(os.Getenv(childKeys)))
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	fmt.Sscan(os.Getenv(childImport), &id)
	batches := 0
	im := &contact.Importer{Store: &contact.Store{DB: d, Keys: keys, Now: time.Now}, BatchSize: 200,
		AfterBatch: func(_ int64, last int) error {
			batches++
			fmt.Printf("committed %d\n", last)
			if batches >= 3 {
				// Slow enough that the kill lands long before the end,
				// mid-batch as often as between batches.
				time.Sleep(5 * time.Millisecond)
			}
			return nil
		}}
	if err := im.Run(ctx, id); err != nil {
		t.Fatal(err)
	}
	t.Fatal("the import finished before it was killed")
}

// childDSNOf is how another process opens the test's database.
func childDSNOf(t *testing.T, d *db.DB) string {
	t.Helper()
	ctx := context.Background()
	if d.Dialect == db.SQLite {
		var seq int
		var name, file string
		if err := d.QueryRow(ctx, `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
			t.Fatal(err)
		}
		return file
	}
	var schema string
	if err := d.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dbtest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// killedImport uploads n rows for group org, runs the import in another
// process and kills that process (SIGKILL) after its third batch.
func (w *world) killedImport(t *testing.T, im *contact.Importer, org int64, data []byte) contact.Import {
	t.Helper()
	ctx := context.Background()
	w.clock.t = time.Now().UTC() // the child writes with the real clock
	id, err := im.Upload(ctx, org, w.leadA, "list.csv", data, contact.BasisPublicTask, "", w.clock.Now().AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDSN+"="+childDSNOf(t, w.d), childKeys+"="+string(w.s.Keys.Marshal()), childImport+"="+fmt.Sprint(id))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines, killed := bufio.NewScanner(out), false
	for n := 0; lines.Scan(); {
		if strings.HasPrefix(lines.Text(), "committed ") {
			if n++; n == 3 {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				killed = true
				break
			}
		} else {
			t.Log("child: " + lines.Text())
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the child ended before it was killed")
	}
	i, err := im.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// What the killed process committed is whole: its batches, no more.
	var there int
	w.d.QueryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE import_id = $1`, id).Scan(&there)
	// Its process is gone: interrupted at once, not after StaleAfter.
	if i.State != contact.StateInterrupted || i.LastRow < 601 || i.LastRow%200 != 1 || there != i.Imported || i.Imported != i.LastRow-1 {
		t.Fatalf("after the kill: %s, last row %d, %d imported, %d contacts there", i.State, i.LastRow, i.Imported, there)
	}
	return i
}

// The issue's "an import that is interrupted (process killed) can be
// resumed or rolled back without duplicates", with a real process and a
// real SIGKILL, on both databases.
func TestAKilledImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	if os.Getenv(childDSN) != "" {
		t.Skip("in the child")
	}
	const rows = 10_000
	data := bigCSV(rows)
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		im := &contact.Importer{Store: w.s}

		t.Run("resumed", func(t *testing.T) {
			i := w.killedImport(t, im, w.groupA, data)
			if err := im.Resume(ctx, i.ID); err != nil {
				t.Fatal(err)
			}
			im.Wait()
			i, _ = im.Get(ctx, i.ID)
			var contacts, distinct, rejects int
			w.d.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT phone_hash) FROM contacts WHERE org_id = $1`, w.groupA).Scan(&contacts, &distinct)
			w.d.QueryRow(ctx, `SELECT COUNT(*) FROM contact_import_rejects WHERE import_id = $1`, i.ID).Scan(&rejects)
			if i.State != contact.StateDone || i.Imported != rows || i.Rejected != 0 || contacts != rows || distinct != rows || rejects != 0 {
				t.Errorf("resumed: %s, %d imported, %d rejected; %d contacts (%d numbers), %d reported", i.State, i.Imported, i.Rejected, contacts, distinct, rejects)
			}
		})
		t.Run("rolled back", func(t *testing.T) {
			w.add(t, w.groupB, "0709999999", "sv") // the group's own, kept
			i := w.killedImport(t, im, w.groupB, data)
			if err := im.Rollback(ctx, i.ID); err != nil {
				t.Fatal(err)
			}
			i, _ = im.Get(ctx, i.ID)
			_, total, _ := w.s.List(ctx, w.groupB, 0, 1)
			if i.State != contact.StateRolledBack || total != 1 {
				t.Errorf("rolled back: %s, %d contacts left, want 1", i.State, total)
			}
			if err := im.Resume(ctx, i.ID); err == nil {
				t.Error("a rolled-back import resumed")
			}
		})
	})
}
