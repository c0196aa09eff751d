package browsertest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const good = `<!doctype html><html lang="sv"><head><title>Bra sida</title></head><body>
<main><h1>Hej</h1><form action="/set" method="post"><label for="n">Namn</label><input id="n" name="n"><button>Skicka</button></form></main></body></html>`

const bad = `<!doctype html><html><head><title>x</title></head><body><img src="data:,"><p style="color:#eee;background:#fff">svag text</p></body></html>`

// site serves a good page, a bad page, and a form that remembers a name in
// a cookie and shows it on /who.
func site(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/bad":
			w.Write([]byte(bad))
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: "who", Value: r.FormValue("n"), Path: "/"})
			http.Redirect(w, r, "/who", http.StatusSeeOther)
		case "/who":
			name := "ingen"
			if c, err := r.Cookie("who"); err == nil {
				name = c.Value
			}
			w.Write([]byte(`<!doctype html><html lang="sv"><head><title>Vem</title></head><body><main><h1 id="who">` + name + `</h1></main></body></html>`))
		default:
			w.Write([]byte(good))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAnAccessiblePageHasNoAxeViolations(t *testing.T) {
	t.Parallel()
	srv := site(t)
	b := New(t)
	for _, size := range [][2]int64{{390, 844}, {1280, 900}} {
		b.SetViewport(size[0], size[1])
		b.Visit(srv.URL + "/")
		began := time.Now()
		b.AssertNoAxeViolations(t, "the good page")
		t.Logf("chromium started in %v; axe ran in %v at %dx%d", StartupTime(), time.Since(began), size[0], size[1])
	}
}

func TestAxeFindsMissingAltLowContrastAndNoLanguage(t *testing.T) {
	t.Parallel()
	srv := site(t)
	b := New(t)
	b.Visit(srv.URL + "/bad")
	vs := b.Axe(t)
	ids := map[string]bool{}
	for _, v := range vs {
		ids[v.ID] = true
	}
	for _, want := range []string{"image-alt", "color-contrast", "html-has-lang"} {
		if !ids[want] {
			t.Errorf("axe did not report %s on the bad page (it reported %v)", want, ids)
		}
	}
	if msg := FormatViolations(vs); !strings.Contains(msg, "image-alt") || !strings.Contains(msg, "<img") {
		t.Errorf("the report does not name the rule and the node:%s", msg)
	}
}

func TestAFormIsFilledInSubmittedAndShot(t *testing.T) {
	t.Parallel()
	srv := site(t)
	b := New(t)
	b.SetViewport(390, 844)
	b.Visit(srv.URL + "/")
	b.SendKeys("#n", "Amina")
	var typed string
	b.Eval(`document.querySelector("#n").value`, &typed)
	if typed != "Amina" {
		t.Fatalf("typed value = %q", typed)
	}
	b.Click("button")
	b.WaitVisible("#who")
	if got := b.Text("#who"); got != "Amina" {
		t.Fatalf("after the form: %q", got)
	}
	if u := b.URL(); u != srv.URL+"/who" {
		t.Errorf("URL after the redirect = %q", u)
	}

	// Submit reaches the same page without a click.
	b.Visit(srv.URL + "/")
	b.SendKeys("#n", "Berhane")
	b.Submit("#n")
	b.WaitVisible("#who")
	if got := b.Text("#who"); got != "Berhane" {
		t.Fatalf("after Submit: %q", got)
	}

	path := filepath.Join(t.TempDir(), "who.png")
	b.Screenshot(path)
	png, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot is not a PNG (%d bytes, %v)", len(png), err)
	}
}

func TestTwoBrowsersDoNotShareCookies(t *testing.T) {
	t.Parallel()
	srv := site(t)
	first, second := New(t), New(t)
	first.Visit(srv.URL + "/")
	first.SendKeys("#n", "Amina")
	first.Click("button")
	first.WaitVisible("#who")
	if got := first.Text("#who"); got != "Amina" {
		t.Fatalf("first browser after the form: %q", got)
	}
	second.Visit(srv.URL + "/who")
	if got := second.Text("#who"); got != "ingen" {
		t.Fatalf("the second browser saw the first one's cookie: %q", got)
	}
	first.ClearCookies()
	first.Visit(srv.URL + "/who")
	if got := first.Text("#who"); got != "ingen" {
		t.Fatalf("after ClearCookies: %q", got)
	}
}
