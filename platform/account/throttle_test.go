package account_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// fakeClock is the sign-in throttle's clock in tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestAHundredGuessesAtOnceGetAtMostFiveChecks(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		clock := &fakeClock{t: time.Now()}
		s.App.Auth.Now = clock.Now
		var checks atomic.Int64
		s.App.Auth.Verify = func(hash, secret string) bool { checks.Add(1); return auth.VerifySecret(hash, secret) }

		clients := make([]*webtest.Client, 100)
		for i := range clients {
			clients[i] = s.Client()
			clients[i].CSRF()
		}
		var wg sync.WaitGroup
		statuses := make([]int, len(clients))
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = c.Post("/signin", webtest.Form("login", volunteer, "secret", fmt.Sprintf("%08d", i))).Status
			}()
		}
		wg.Wait()
		if n := checks.Load(); n > int64(auth.DefaultThrottle.PerAccount) {
			t.Fatalf("%d of 100 simultaneous guesses were checked, want at most %d", n, auth.DefaultThrottle.PerAccount)
		}
		for i, st := range statuses {
			if st != http.StatusUnprocessableEntity && st != http.StatusTooManyRequests {
				t.Fatalf("guess %d: status %d", i, st)
			}
		}
		// The refusals are not each audited.
		entries, _ := s.App.Audit.List(t.Context(), auditFilter("signin_failed"))
		if len(entries) > auth.DefaultThrottle.PerAccount {
			t.Fatalf("%d audit entries for one lockout", len(entries))
		}

		amina := s.Client()
		r := amina.Post("/signin", webtest.Form("login", volunteer, "secret", demo.Passcode))
		mustContain(t, r, http.StatusTooManyRequests, "För många misslyckade inloggningar")
		clock.Advance(auth.DefaultThrottle.Lockout)
		if r := amina.Post("/signin", webtest.Form("login", volunteer, "secret", demo.Passcode)); r.Status != http.StatusSeeOther {
			t.Fatalf("the right passcode after the lockout: %d\n%s", r.Status, webtest.Text(r.Body))
		}
	})
}

func TestAHugeLoginIsRefusedBeforeAnyWork(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		var checks atomic.Int64
		s.App.Auth.Verify = func(hash, secret string) bool { checks.Add(1); return false }
		c := s.Client()
		for range 3 {
			r := c.Post("/signin", webtest.Form("login", strings.Repeat("x", 5000)+"@example.se", "secret", "x"))
			mustContain(t, r, http.StatusUnprocessableEntity, "Högst 254 tecken.")
			r = c.Post("/signin", webtest.Form("login", coordinator, "secret", strings.Repeat("x", 5000)))
			mustContain(t, r, http.StatusUnprocessableEntity, "Högst 1024 tecken.")
		}
		entries, _ := s.App.Audit.List(t.Context(), auditFilter("signin_failed"))
		if checks.Load() != 0 || len(entries) != 0 {
			t.Fatalf("%d checks and %d audit entries for refused input", checks.Load(), len(entries))
		}
	})
}
