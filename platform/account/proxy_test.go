package account_test

import (
	"net/http"
	"strings"
	"testing"

	"megafon/platform/web"
	"megafon/platform/web/webtest"
)

func TestXForwardedForIsBelievedOnlyFromATrustedProxy(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		c := s.Client()
		failFrom := func(forwarded string) string {
			t.Helper()
			form := webtest.Form("login", coordinator, "secret", "fel", "csrf_token", c.CSRF())
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", forwarded)
			if r := c.Do(req); r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("sign-in: %d", r.Status)
			}
			entries, err := s.App.Audit.List(t.Context(), auditFilter("signin_failed"))
			if err != nil || len(entries) == 0 {
				t.Fatalf("no audit entry: %v", err)
			}
			return entries[0].Addr
		}
		// Without a trusted proxy a guesser cannot name a new address with
		// each try to escape the per-address limit.
		if addr := failFrom("198.51.100.7"); addr != "127.0.0.1" {
			t.Fatalf("an untrusted X-Forwarded-For was believed: %q", addr)
		}
		trusted, _ := web.ParsePrefixes("127.0.0.1, ::1")
		s.App.Config.TrustedProxies = trusted
		if addr := failFrom("6.6.6.6, 198.51.100.7"); addr != "198.51.100.7" {
			t.Fatalf("behind a trusted proxy the client is %q, want the right-most untrusted address", addr)
		}
	})
}
