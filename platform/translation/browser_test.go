package translation_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// reportWithEverything imports a sheet with a changed row, a rejected
// one and one checked against a Swedish text changed since, and returns
// the report's path.
func reportWithEverything(t *testing.T, s *webtest.Server) string {
	t.Helper()
	c := s.As(admin)
	_, f := exportSheet(t, c, "ar")
	n := findRow(t, f, "ar", "phrases.hello", "")
	set(t, f, "ar", fmt.Sprintf("E%d", n), "أهلًا {{.Name}}")
	set(t, f, "ar", fmt.Sprintf("F%d", n), "x")
	set(t, f, "ar", fmt.Sprintf("G%d", n), "0123456789ab")
	set(t, f, "ar", fmt.Sprintf("E%d", findRow(t, f, "ar", "phrases.calls", "few")), "مكالمات")
	r := upload(t, c, s, "ar", "megafon-ar.xlsx", save(t, f))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	return r.Location
}

var widths = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"small phone", 320, 640}, {"desktop", 1280, 900}}

func signIn(b *browsertest.Browser, base, login string) {
	b.ClearCookies()
	b.Visit(base + "/signin")
	b.SendKeys("#f-login", login)
	b.SendKeys("#f-secret", demo.Password)
	b.Click("main form button")
	b.WaitVisible("footer.site form button")
}

// The translations page and an import's report pass axe in Swedish,
// English and Arabic at every width without scrolling sideways, and the
// mark switch turns the ° off and on in the browser.
func TestInABrowserTheTranslationPagesAreAccessibleAndTheMarkSwitches(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	s, _ := newSite(t, db.SQLite, hello)
	report := reportWithEverything(t, s)
	b := browsertest.New(t)
	signIn(b, s.URL, admin)
	for _, lang := range []string{"sv", "en", "ar"} {
		b.SetLanguage(s.URL, lang)
		for _, p := range []string{"/translations", report} {
			for _, w := range widths {
				b.SetViewport(w.width, w.height)
				b.Visit(s.URL + p)
				what := fmt.Sprintf("%s (%s, %s)", p, lang, w.name)
				b.AssertNoAxeViolations(t, what)
				var scroll, client int
				b.Eval(`document.documentElement.scrollWidth`, &scroll)
				b.Eval(`document.documentElement.clientWidth`, &client)
				if scroll > client {
					t.Errorf("%s scrolls sideways: %d px in %d", what, scroll, client)
				}
				if dir := os.Getenv("MEGAFON_SCREENSHOTS"); dir != "" && w.name != "small phone" {
					name := strings.NewReplacer("/", "_", " ", "-").Replace(strings.Trim(p, "/"))
					b.Screenshot(filepath.Join(dir, fmt.Sprintf("%s-%s-%s.png", name, lang, w.name)))
				}
			}
		}
	}
	// In Arabic every page has unchecked messages, each with its °.
	b.SetViewport(390, 844)
	marks := func() (n int, content string) {
		b.Visit(s.URL + "/")
		b.Eval(`document.querySelectorAll(".unchecked").length`, &n)
		b.Eval(`(() => { const m = document.querySelector(".unchecked"); return m ? getComputedStyle(m, "::after").content : ""; })()`, &content)
		return n, content
	}
	if n, content := marks(); n == 0 || content != `"°"` {
		t.Fatalf("with the mark on: %d marks showing %s", n, content)
	}
	b.Visit(s.URL + "/translations")
	b.Click("#f-show")
	b.Click("#mark-form button")
	b.WaitVisible(".flash")
	if n, _ := marks(); n != 0 {
		t.Errorf("with the mark off: %d marks", n)
	}
	b.Visit(s.URL + "/translations")
	b.Click("#f-show")
	b.Click("#mark-form button")
	b.WaitVisible(".flash")
	if n, _ := marks(); n == 0 {
		t.Error("the mark did not come back")
	}
}

// The pages the crawl cannot reach (a report, the form with its problems)
// are valid HTML to the Nu checker in every interface language.
func TestTheTranslationPagesAreValidHTML(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Nu HTML checker")
	}
	jar, err := filepath.Abs(filepath.Join("..", "..", "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	if err == nil {
		_, err = os.Stat(jar)
	}
	if err == nil {
		_, err = exec.LookPath("java")
	}
	if err != nil {
		if os.Getenv("MEGAFON_REQUIRE_BROWSER") == "1" {
			t.Fatalf("the Nu HTML checker needs java and node_modules/vnu-jar (npm ci): %v", err)
		}
		t.Skipf("no Nu HTML checker: %v", err)
	}
	s, _ := newSite(t, db.SQLite, hello)
	report := reportWithEverything(t, s)
	dir := t.TempDir()
	pages := map[string]string{}
	for _, lang := range []string{"sv", "sv-x-easy", "en", "ar", "prs", "so", "ti", "bs", "uk"} {
		c := s.As(admin)
		c.Post("/lang", webtest.Form("lang", lang, "next", "/"))
		for what, r := range map[string]*webtest.Response{
			"overview":    c.Get("/translations"),
			"report":      c.Get(report),
			"form errors": upload(t, c, s, "ar", "x.xlsx", []byte("not a sheet")),
		} {
			name := fmt.Sprintf("p%03d.html", len(pages))
			pages[name] = what + " in " + lang
			os.WriteFile(filepath.Join(dir, name), []byte(r.Body), 0o600)
		}
	}
	out, err := exec.Command("java", "-Xss8m", "-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("vnu: %v\n%s", err, out)
	}
	var result struct {
		Messages []struct{ URL, Message, Extract string } `json:"messages"`
	}
	if err := json.Unmarshal(out, &result); err != nil {
		t.Fatalf("vnu output: %v\n%.2000s", err, out)
	}
	for _, m := range result.Messages {
		t.Errorf("Nu HTML checker, %s: %s\n  %s", pages[filepath.Base(m.URL)], m.Message, strings.TrimSpace(m.Extract))
	}
	t.Logf("Nu HTML checker: %d pages, %d errors", len(pages), len(result.Messages))
}
