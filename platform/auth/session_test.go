package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

func TestASessionTokenIsStoredOnlyAsItsHash(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		s := auth.SessionStore{DB: d, Now: func() time.Time { return now }}
		token := auth.NewToken()
		if err := s.Commit(token, []byte("data"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := d.QueryRow(ctx, `SELECT token FROM sessions`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(token))
		if stored == token || stored != hex.EncodeToString(sum[:]) {
			t.Fatalf("the sessions table holds %q for token %q, want its SHA-256", stored, token)
		}
		// A token read from the table (a backup) is no session.
		if _, found, _ := s.Find(stored); found {
			t.Fatal("the stored value works as a token")
		}
		if b, found, err := s.Find(token); err != nil || !found || string(b) != "data" {
			t.Fatalf("find by the token: %q %v %v", b, found, err)
		}
		if err := s.Delete(token); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := s.Find(token); found {
			t.Fatal("a deleted session is found")
		}
	}, auth.Migrations)
}
