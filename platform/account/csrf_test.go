package account_test

import (
	"net/http"
	"strings"
	"testing"

	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

func sessionRows(t *testing.T, s *webtest.Server) int {
	t.Helper()
	var n int
	if err := s.App.DB.QueryRow(t.Context(), `SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAStrangerLookingAtPagesWritesNoSession(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		c := s.Client()
		for _, path := range []string{"/", "/signin", "/", "/signin?next=/account"} {
			r := c.Get(path)
			if r.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, r.Status)
			}
		}
		r := c.Post("/signin", webtest.Form("login", coordinator, "secret", "fel"))
		mustContain(t, r, http.StatusUnprocessableEntity, "Fel e-post")
		if n := sessionRows(t, s); n != 0 {
			t.Fatalf("a stranger's page views wrote %d session rows", n)
		}
		first := s.Client().Get("/")
		cookie := first.Header.Get("Set-Cookie")
		if !strings.Contains(cookie, "megafon_csrf=") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
			t.Fatalf("the visitor's CSRF cookie: %q", cookie)
		}
		// Signing in makes the one session.
		if r := c.Post("/signin", webtest.Form("login", coordinator, "secret", demo.Password)); r.Status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", r.Status)
		}
		if n := sessionRows(t, s); n != 1 {
			t.Fatalf("%d session rows after signing in, want 1", n)
		}
	})
}

func TestAnAnonymousFormWithoutTheRightTokenIsRefused(t *testing.T) {
	each(t, func(t *testing.T, s *webtest.Server) {
		signin := func(token string) []string {
			f := []string{"login", coordinator, "secret", demo.Password}
			if token != "" {
				f = append(f, "csrf_token", token)
			}
			return f
		}
		c := s.Client()
		token := c.CSRF()
		other := s.Client().CSRF()
		tests := []struct {
			name   string
			c      *webtest.Client
			form   []string
			status int
		}{
			{"no token", c, signin(""), http.StatusForbidden},
			{"a forged token", c, signin("forged"), http.StatusForbidden},
			{"another visitor's token", c, signin(other), http.StatusForbidden},
			{"a token without its cookie", s.Client(), signin(token), http.StatusForbidden},
			{"the visitor's own token", c, signin(token), http.StatusSeeOther},
		}
		for _, tt := range tests {
			if r := tt.c.PostRaw("/signin", webtest.Form(tt.form...)); r.Status != tt.status {
				t.Errorf("%s: %d, want %d", tt.name, r.Status, tt.status)
			}
		}
		// Signed in, the cookie's token is not enough: the session has its own.
		if r := c.PostRaw("/account/signout-everywhere", webtest.Form("csrf_token", token)); r.Status != http.StatusForbidden {
			t.Fatalf("a signed-in form with the anonymous token: %d, want 403", r.Status)
		}
		if r := c.Post("/account/signout-everywhere", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("a signed-in form with the session's token: %d", r.Status)
		}
	})
}
