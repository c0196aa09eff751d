// Package webtest runs Megafon's web application on a real database in
// tests, with clients that keep cookies and send the CSRF token of the
// last page they saw, as a browser does.
package webtest

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"megafon/platform/account"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// Server is a running application with the demo city's people.
type Server struct {
	App  *web.App
	URL  string
	City *demo.City
	t    testing.TB
}

// New starts the application on a fresh database of dialect, with the
// account module (unless modules has it already) and modules mounted, and the demo city's platform part
// (organisations and one person per role) seeded. With seedModules, the
// modules' demo data is seeded too.
func New(t testing.TB, dialect db.Dialect, seedModules bool, modules ...web.Module) *Server {
	t.Helper()
	all := modules
	if len(modules) == 0 || modules[0].Name() != "account" {
		all = append([]web.Module{&account.Module{}}, modules...)
	}
	var parts []db.Migrations
	for _, m := range all {
		parts = append(parts, m.Migrations()...)
	}
	d := dbtest.Open(t, dialect, parts...)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	app := web.New(web.Config{BaseURL: "http://megafon.test"}, d, log)
	app.Auth.Argon2 = auth.Argon2{Time: 1, Memory: 1024, Threads: 1}
	app.Mount(all...)
	ctx := context.Background()
	city, _, err := demo.SeedPlatform(ctx, app.Auth)
	if err != nil {
		t.Fatalf("seed demo platform: %v", err)
	}
	if seedModules {
		for _, m := range all {
			if s, ok := m.(demo.Seeder); ok {
				if err := s.SeedDemo(ctx, app, city); err != nil {
					t.Fatalf("seed demo %s: %v", m.Name(), err)
				}
			}
		}
	}
	ts := httptest.NewServer(app.Handler())
	t.Cleanup(ts.Close)
	return &Server{App: app, URL: ts.URL, City: city, t: t}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// Client is one browser: its own cookies and CSRF token.
type Client struct {
	s    *Server
	t    testing.TB
	http *http.Client
	csrf string
}

// Client returns a new client, signed out.
func (s *Server) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{s: s, t: s.t, http: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// As returns a client signed in as the demo person with login (see
// demo.Accounts).
func (s *Server) As(login string) *Client {
	c := s.Client()
	c.SignIn(login)
	return c
}

// Response is what the server answered.
type Response struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// Do sends a request and remembers the CSRF token of an HTML answer.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if m := csrfField.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return &Response{Status: resp.StatusCode, Body: body, Header: resp.Header, Location: resp.Header.Get("Location")}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.s.URL+path, nil)
	return c.Do(req)
}

// CSRF is the token the client would send; it fetches the start page
// first when it has seen none.
func (c *Client) CSRF() string {
	if c.csrf == "" {
		c.Get("/") // every page has the language switch, with the token
	}
	return c.csrf
}

// Post sends a form with the CSRF token, like a browser's form would.
func (c *Client) Post(path string, form url.Values) *Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", c.CSRF())
	}
	return c.PostRaw(path, form)
}

// PostRaw sends a form exactly as given (no CSRF token added).
func (c *Client) PostRaw(path string, form url.Values) *Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// SignIn signs in as a demo person and fails the test if that fails.
func (c *Client) SignIn(login string) {
	c.t.Helper()
	secret := demo.Password
	for _, a := range demo.Accounts {
		if a.Login == login && a.Role == auth.Volunteer {
			secret = demo.Passcode
		}
	}
	r := c.Post("/signin", url.Values{"login": {login}, "secret": {secret}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", login, r.Status, r.Body)
	}
	c.csrf = ""
}

// User returns the demo person with login.
func (s *Server) User(login string) *auth.User {
	u := s.City.People[login]
	if u == nil {
		s.t.Fatalf("no demo person %s", login)
	}
	return u
}

// Text strips tags from an HTML body, for assertions about what a person
// reads.
func Text(page string) string {
	s := regexp.MustCompile(`(?s)<script.*?</script>|<[^>]+>`).ReplaceAllString(page, " ")
	s = html.UnescapeString(s)
	return strings.Join(strings.Fields(s), " ")
}

// Form is a shorthand for url.Values from name, value pairs.
func Form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
