package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

const good = `<!doctype html><html lang="sv"><head><title>Bra sida</title></head><body>
<main><h1>Hej</h1><form action="/set" method="post"><label for="n">Namn</label><input id="n" name="n"><button>Skicka</button></form></main></body></html>`

const bad = `<!doctype html><html><head><title>x</title></head><body><img src="data:,"><p style="color:#eee;background:#fff">svag text</p></body></html>`

func TestAxeFindsProblemsOnlyOnTheInaccessiblePage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/bad":
			w.Write([]byte(bad))
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: "who", Value: r.FormValue("n"), Path: "/"})
			http.Redirect(w, r, "/who", http.StatusSeeOther)
		case "/who":
			c, _ := r.Cookie("who")
			name := "ingen"
			if c != nil {
				name = c.Value
			}
			w.Write([]byte(`<!doctype html><html lang="sv"><head><title>Vem</title></head><body><main><h1 id="who">` + name + `</h1></main></body></html>`))
		default:
			w.Write([]byte(good))
		}
	}))
	defer srv.Close()

	b := New(t)
	b.SetViewport(390, 844)
	b.Visit(srv.URL + "/")
	b.AssertNoAxeViolations(t, "the good page")
	b.SendKeys("#n", "Amina")
	b.Click("button")
	b.WaitVisible("#who")
	if got := b.Text("#who"); got != "Amina" {
		t.Fatalf("after the form: %q", got)
	}
	b.Screenshot(t.TempDir() + "/who.png")

	// Another browser has cookies of its own.
	other := New(t)
	other.Visit(srv.URL + "/who")
	if got := other.Text("#who"); got != "ingen" {
		t.Fatalf("a second browser saw the first one's cookie: %q", got)
	}

	b.Visit(srv.URL + "/bad")
	ids := map[string]bool{}
	for _, v := range b.Axe() {
		ids[v.ID] = true
	}
	for _, want := range []string{"image-alt", "color-contrast", "html-has-lang"} {
		if !ids[want] {
			t.Errorf("axe did not report %s on the bad page (it reported %v)", want, ids)
		}
	}
}
