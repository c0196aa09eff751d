package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/demo"
	"megafon/platform/web"
	"megafon/server"
)

// Two megafon processes share one PostgreSQL database: a person signed in
// through one is signed in through the other, and failed sign-ins count
// across both. Each App here has memory of its own, like a process.
func TestTwoInstancesShareSessionsAndThrottling(t *testing.T) {
	d := dbtest.Open(t, db.Postgres, server.Migrations(server.Modules())...)
	var urls []string
	for i := 0; i < 2; i++ {
		app := web.New(web.Config{}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		app.Auth.Argon2 = auth.Argon2{Time: 1, Memory: 1024, Threads: 1}
		app.Mount(server.Modules()...)
		if i == 0 {
			if _, _, err := demo.SeedPlatform(t.Context(), app.Auth); err != nil {
				t.Fatal(err)
			}
		}
		srv := httptest.NewServer(app.Handler())
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (int, string) {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Cookies belong to a host; both instances are 127.0.0.1, so the jar
	// sends the session cookie to both, as a load balancer's one host would.
	_, page := get(urls[0] + "/signin")
	token := between(page, `name="csrf_token" value="`, `"`)
	resp, err := client.PostForm(urls[0]+"/signin", url.Values{"csrf_token": {token}, "login": {"samordnare@demo.megafon.se"}, "secret": {demo.Password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on the first instance: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	status, body := get(urls[1] + "/account")
	if status != 200 || !strings.Contains(body, "Sara Samordnare") {
		t.Fatalf("the second instance does not know the session: %d", status)
	}

	// Failed sign-ins, spread over both instances, count together.
	for i := 0; i < auth.DefaultThrottle.PerAccount; i++ {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: client.CheckRedirect}
		r, err := c.Get(urls[i%2] + "/signin")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		tok := between(string(b), `name="csrf_token" value="`, `"`)
		r, err = c.PostForm(urls[i%2]+"/signin", url.Values{"csrf_token": {tok}, "login": {"gruppledare@demo.megafon.se"}, "secret": {"wrong"}})
		if err != nil || r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failed sign-in %d: %v %v", i, r.StatusCode, err)
		}
		r.Body.Close()
	}
	store := auth.NewStore(d)
	if _, err := store.Authenticate(t.Context(), "gruppledare@demo.megafon.se", demo.Password, "192.0.2.7", auth.DefaultThrottle); err != auth.ErrThrottled {
		t.Fatalf("after failures spread over two instances: %v, want throttled", err)
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return ""
}
