package web

import (
	"strings"
	"testing"
)

func TestTheUncheckedMarkStandsInTextAndNowhereElse(t *testing.T) {
	s := uncheckedSentinel
	page := `<!doctype html><html><head><title>Hem` + s + ` – Megafon</title><script>var a = "x` + s + `";</script></head>` +
		`<body><h1>Välkommen` + s + `</h1><a href="/" aria-label="Hem` + s + `" title='t` + s + `'>Hem` + s + `</a>` +
		`<select><option value="">Välj` + s + `</option><optgroup label="g` + s + `"><option>x` + s + `</option></optgroup></select>` +
		`<textarea placeholder="p` + s + `">` + s + `</textarea><p>efter` + s + `</p></body></html>`
	got := string(markUnchecked([]byte(page)))
	if strings.Contains(got, s) {
		t.Errorf("a sentinel is left: %s", got)
	}
	mark := `<span class="unchecked" aria-hidden="true"></span>`
	for _, want := range []string{
		`<title>Hem – Megafon</title>`, `var a = "x";`, `<h1>Välkommen` + mark + `</h1>`, `aria-label="Hem" title='t'>Hem` + mark + `</a>`,
		`<option value="">Välj</option>`, `<optgroup label="g"><option>x</option>`, `<textarea placeholder="p"></textarea>`, `<p>efter` + mark + `</p>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("page lacks %s:\n%s", want, got)
		}
	}
	if n := strings.Count(got, mark); n != 3 {
		t.Errorf("%d marks, want 3", n)
	}
	plain := `<p>utan</p>`
	if got := string(markUnchecked([]byte(plain))); got != plain {
		t.Errorf("a page without sentinels changed: %s", got)
	}
}
