package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/input"
	"megafon/platform/problem"
	"megafon/platform/web"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// badInputs are the values the review sent to every form: each must be
// refused with a 422 and a message, never a 500, on both databases.
var badInputs = map[string]struct {
	value   string
	message string // in the Swedish catalogue (the default language)
}{
	"a NUL byte":         {"Amina\x00", "styrtecken"},
	"a bell":             {"ring\x07", "styrtecken"},
	"a C1 control":       {"x\u0085y", "styrtecken"},
	"invalid UTF-8":      {"caf\xe9", "giltig UTF-8"},
	"a megabyte of text": {strings.Repeat("a", 1<<20-200), "högst 10000"},
	"one character more": {strings.Repeat("ü", input.DefaultMaxRunes+1), "högst 10000"},
	"a bad field name":   {"", "styrtecken"}, // the value is fine, the name is not
	"a NUL in the query": {"q\x00", "styrtecken"},
}

// pathParam fills every {name} of a route pattern with a plausible value.
var pathParam = regexp.MustCompile(`\{[^}]+\}`)

func routePath(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	path = strings.ReplaceAll(path, "{file...}", "x.css")
	path = pathParam.ReplaceAllString(path, "1")
	return method, path
}

// TestEveryRouteOfEveryModuleRefusesBadInputBeforeItsHandler sends bad
// values to every registered route, as someone the route lets in, and
// wants 422 with the message in her language: the filter runs before any
// handler, so a new module's forms are covered the day they are mounted.
func TestEveryRouteOfEveryModuleRefusesBadInputBeforeItsHandler(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := webtest.New(t, dialect, true, server.Modules()...)
			// One signed-in client per person, made when first needed.
			clients := map[string]*webtest.Client{}
			clientFor := func(access func(*auth.User) bool) *webtest.Client {
				if access(nil) {
					if clients[""] == nil {
						clients[""] = s.Client()
					}
					return clients[""]
				}
				for login, u := range s.City.People {
					if access(u) {
						if clients[login] == nil {
							clients[login] = s.As(login)
						}
						return clients[login]
					}
				}
				return nil
			}
			routes := s.App.Routes()
			if len(routes) < 50 {
				t.Fatalf("only %d routes registered: are the modules mounted?", len(routes))
			}
			for _, rt := range routes {
				c := clientFor(rt.Access.Allows)
				if c == nil {
					t.Errorf("%s: nobody in the demo city may use it", rt.Pattern)
					continue
				}
				method, path := routePath(rt.Pattern)
				for name, bad := range badInputs {
					if name == "a megabyte of text" && strings.HasPrefix(rt.Pattern, "POST /hooks/") {
						// A provider's webhook takes at most 64 KiB and
						// answers more with 413 (telephony's own tests).
						continue
					}
					form := url.Values{"text": {bad.value}, "name": {"ok"}}
					target := path
					switch name {
					case "a bad field name":
						form = url.Values{"na\x00me": {"ok"}}
					case "a NUL in the query":
						target = path + "?q=" + url.QueryEscape(bad.value)
						form = url.Values{}
					}
					var r *webtest.Response
					if method == http.MethodGet {
						if name != "a NUL in the query" {
							target = path + "?" + form.Encode()
						}
						r = c.Get(target)
					} else {
						form.Set("csrf_token", c.CSRF())
						r = c.PostRaw(target, form)
					}
					if r.Status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(r.Body), bad.message) {
						t.Errorf("%s with %s: %d, want 422 saying %q\n%.300s", rt.Pattern, name, r.Status, bad.message, webtest.Text(r.Body))
					}
				}
			}
		})
	}
}

// TestLineBreaksAndBidiControlsAreNormalisedBeforeTheHandler: browsers
// send a textarea's line breaks as CRLF, and a pasted RLO would turn
// "1177" round on every screen that shows it.
func TestLineBreaksAndBidiControlsAreNormalisedBeforeTheHandler(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, false, server.Modules()...)
	c := s.Client()
	// The language switch echoes nothing, so use a value that reaches a
	// redirect: next is kept when it is a local path.
	r := c.Post("/lang", url.Values{"lang": {"en"}, "next": {"/\u202eabc"}})
	if r.Status != http.StatusSeeOther || r.Location != "/abc" {
		t.Fatalf("POST /lang with an RLO in next: %d to %q, want 303 to /abc", r.Status, r.Location)
	}
}

// TestARequestRefusedAsCrossOriginGetsAPageNotAPanic: the refusal used to
// read a session that was not loaded yet, panic twice and leave the
// client with an empty reply.
func TestARequestRefusedAsCrossOriginGetsAPageNotAPanic(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, false, server.Modules()...)
	for _, signedIn := range []bool{false, true} {
		c := s.Client()
		if signedIn {
			c = s.As(string(coord))
		}
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/signout", strings.NewReader("x=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		r := c.Do(req)
		if r.Status != http.StatusForbidden || !strings.Contains(webtest.Text(r.Body), "webbplats") {
			t.Errorf("cross-site POST (signed in %v): %d, want 403 with the Swedish message\n%.300s", signedIn, r.Status, webtest.Text(r.Body))
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("cross-site refusal: Cache-Control %q", r.Header.Get("Cache-Control"))
		}
	}
}

// TestAssetsAreFilesNeverAListing and every other answer is no-store.
func TestAssetsAreFilesNeverAListingAndPagesAreNotStored(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, false, server.Modules()...)
	c := s.Client()
	// A listing links the files by their bare names.
	if r := c.Get("/assets/"); r.Status != http.StatusNotFound || strings.Contains(r.Body, `href="style.css"`) || strings.Contains(r.Body, `href="app.js"`) {
		t.Errorf("GET /assets/: %d, lists files: %.300s", r.Status, r.Body)
	}
	r := c.Get("/assets/style.css")
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "public") {
		t.Errorf("GET /assets/style.css: %d, Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
	}
	// The page links the stylesheet by its content's version, cached for a
	// year; a version that is not the file's is not kept.
	page := c.Get("/signin").Body
	link := regexp.MustCompile(`href="(/assets/style\.css\?v=[0-9a-f]{12})"`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("the sign-in page does not link a versioned stylesheet")
	}
	if r := c.Get(link[1]); r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("GET %s: %d, Cache-Control %q", link[1], r.Status, r.Header.Get("Cache-Control"))
	}
	if r := c.Get("/assets/style.css?v=000000000000"); r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET an old version: %d, Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
	}
	v := s.As(string(vol))
	for _, path := range []string{"/", "/signin", "/account", "/campaigns"} {
		cl := c
		if path != "/signin" {
			cl = v
		}
		if r := cl.Get(path); r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", path, r.Header.Get("Cache-Control"))
		}
	}
}

// TestTextIsCompressedForBrowsersThatAcceptIt: on a slow connection a
// page is a fraction of its size gzipped; event streams are left alone so
// that each note reaches the board when it is sent.
func TestTextIsCompressedForBrowsersThatAcceptIt(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, false, server.Modules()...)
	c := s.Client()
	for _, path := range []string{"/signin", "/assets/style.css"} { // app.js is under the 512 bytes worth compressing
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		r := c.Do(req)
		if r.Status != http.StatusOK || r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s: %d, Content-Encoding %q, want gzip", path, r.Status, r.Header.Get("Content-Encoding"))
		}
		plain := c.Get(path)
		if len(r.Body) >= len(plain.Body)/2 {
			t.Errorf("GET %s: %d bytes gzipped, %d plain", path, len(r.Body), len(plain.Body))
		}
	}
}

// streamModule is a route that sends one small event and then waits, as
// the workshop board's live stream does.
type streamModule struct{ release chan struct{} }

func (*streamModule) Name() string                { return "streamtest" }
func (*streamModule) Migrations() []db.Migrations { return nil }
func (m *streamModule) Mount(app *web.App) {
	app.Handle("GET /test/stream", web.Public, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: hello\n\n")
		http.NewResponseController(w).Flush()
		select {
		case <-m.release:
		case <-r.Context().Done():
		}
		return nil
	})
	app.Handle("POST /test/upload", web.Public, func(w http.ResponseWriter, r *http.Request) error {
		f, h, err := r.FormFile("file")
		if err != nil {
			return problem.New(problem.Invalid, "error.bad_request").Because(err)
		}
		f.Close()
		fmt.Fprintf(w, "name=%q", h.Filename)
		return nil
	}, web.MaxBody(32<<20))
}

// TestAnEventStreamIsFlushedThroughCompression: with gzip in front, the
// first small event of a stream used to wait in a buffer until 4 KB had
// gathered, so a board with no backlog showed nothing.
func TestAnEventStreamIsFlushedThroughCompression(t *testing.T) {
	t.Parallel()
	m := &streamModule{release: make(chan struct{})}
	defer close(m.release)
	s := webtest.New(t, db.SQLite, false, m)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/test/stream", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	type first struct {
		event, encoding string
		err             error
	}
	got := make(chan first, 1)
	go func() {
		// Without the flush even the headers never come, so Do waits too.
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- first{err: err}
			return
		}
		defer resp.Body.Close()
		b := make([]byte, 64)
		n, err := io.ReadAtLeast(resp.Body, b, len("data: hello\n\n"))
		got <- first{string(b[:n]), resp.Header.Get("Content-Encoding"), err}
	}()
	select {
	case f := <-got:
		if f.err != nil || f.event != "data: hello\n\n" || f.encoding != "" {
			t.Errorf("first event %q, Content-Encoding %q, err %v", f.event, f.encoding, f.err)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing assertion
		t.Fatal("the first event of the stream never arrived: it is stuck in a buffer")
	}
}

// TestUploadsPassTheFilterWhateverTheCaseOfTheirType: a capitalised
// "Multipart/Form-Data" used to skip the up-front parse, and the
// handler's FormFile then read a file name nobody had checked.
func TestUploadsPassTheFilterWhateverTheCaseOfTheirType(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, false, &streamModule{})
	c := s.Client()
	upload := func(contentType, filename string) *webtest.Response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf_token", c.CSRF())
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename*=UTF-8''`+url.PathEscape(filename))
		part, _ := mw.CreatePart(h)
		part.Write([]byte("phone\n0701234567\n"))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/test/upload", &body)
		req.Header.Set("Content-Type", strings.Replace(mw.FormDataContentType(), "multipart/form-data", contentType, 1))
		req.Header.Set("X-CSRF-Token", c.CSRF())
		return c.Do(req)
	}
	for _, ct := range []string{"multipart/form-data", "Multipart/Form-Data", "MULTIPART/FORM-DATA"} {
		if r := upload(ct, "evil\x1b[31m\x00.csv"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s with an ESC and a NUL in the file name: %d %q, want 422", ct, r.Status, r.Body)
		}
		if r := upload(ct, "a\u202evsc.exe"); r.Status != http.StatusOK || r.Body != `name="avsc.exe"` {
			t.Errorf("%s with an RLO in the file name: %d %s, want it dropped", ct, r.Status, r.Body)
		}
		if r := upload(ct, strings.Repeat("\u202e", 300)+".csv"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s with 300 RLOs in the file name: %d %s, want 422 (they count to the limit)", ct, r.Status, r.Body)
		}
	}
}

// TestALargeUploadLeavesNoFileBehind: a form over 8 MB is spooled to a
// temporary file in the clear; it used to stay there after the request,
// refused or not (residents' numbers in /tmp, and a way to fill the disk).
func TestALargeUploadLeavesNoFileBehind(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, false, &streamModule{})
	c := s.Client()
	marker := fmt.Sprintf("Hemlig Person %d", time.Now().UnixNano())
	spooled := func() []string {
		var found []string
		names, _ := filepath.Glob(filepath.Join(os.TempDir(), "multipart-*"))
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil && bytes.Contains(b, []byte(marker)) {
				found = append(found, n)
			}
		}
		return found
	}
	for _, withToken := range []bool{true, false} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		if withToken {
			mw.WriteField("csrf_token", c.CSRF())
		}
		part, _ := mw.CreateFormFile("file", "list.csv")
		line := marker + ";0735000000;so\n"
		for body.Len() < 10<<20 {
			part.Write([]byte(line))
		}
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/test/upload", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		r := c.Do(req)
		want := http.StatusOK
		if !withToken {
			want = http.StatusForbidden
		}
		if r.Status != want {
			t.Errorf("a 10 MB upload (token %v): %d, want %d", withToken, r.Status, want)
		}
		if left := spooled(); len(left) > 0 {
			t.Errorf("a 10 MB upload (token %v) left %v behind", withToken, left)
		}
	}
}

// TestAPathNoRouteClaimsGetsThePages404: the mux answered in plain
// English text, outside the one error path.
func TestAPathNoRouteClaimsGetsThePages404(t *testing.T) {
	t.Parallel()
	s := webtest.New(t, db.SQLite, false, server.Modules()...)
	for _, path := range []string{"/no-such-page", "/assets/cocreation/", "/assets/campaign/", "/contacts/assets/"} {
		r := s.Client().Get(path)
		if r.Status != http.StatusNotFound || !strings.Contains(webtest.Text(r.Body), "Sidan finns inte") || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d %q, %.200s", path, r.Status, r.Header.Get("Cache-Control"), webtest.Text(r.Body))
		}
	}
}
