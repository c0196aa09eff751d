package server_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/demo"
	"megafon/platform/i18n"
	"megafon/platform/web"
	"megafon/platform/web/webtest"
	"megafon/server"
)

func buildApp(t *testing.T) *web.App {
	t.Helper()
	modules := server.Modules()
	d := dbtest.Open(t, db.SQLite, server.Migrations(modules)...)
	app := web.New(web.Config{}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	app.Mount(modules...)
	return app
}

func TestTheCatalogueIsCompleteInEveryInterfaceLanguage(t *testing.T) {
	app := buildApp(t)
	if missing := app.Catalogue.Missing(); len(missing) > 0 {
		for lang, keys := range missing {
			t.Errorf("%d keys missing in %s: %s", len(keys), lang, strings.Join(keys, ", "))
		}
	}
}

func TestEveryPageTemplateParses(t *testing.T) {
	app := buildApp(t)
	names, err := app.PageNames()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 8 {
		t.Fatalf("only %d page templates: %v", len(names), names)
	}
}

// The crawl signs in as every demo role, follows every link on every page
// it can reach, in Swedish and in English, and fails on any server error
// or any translation key that the catalogue lacks. It is how every page is
// rendered with real data in every language.
var (
	hrefs  = regexp.MustCompile(`href="(/[^"#]*)"`)
	digits = regexp.MustCompile(`[0-9]+`)
	// textBoxes are the fields a person types words into.
	assetLinks  = regexp.MustCompile(`(?:href|src)="(/(?:contacts/)?assets/[^"]+)"`)
	textBoxes   = regexp.MustCompile(`<textarea[^>]*>|<input[^>]*>`)
	isDownload  = regexp.MustCompile(`/pdf$|\.(?:csv|xlsx|ics|pdf)$|/(?:export|download)(?:$|[/?])`)
	notWordsBox = regexp.MustCompile(`type="(?:hidden|checkbox|radio|file|submit|number|date|time|datetime-local|email|tel|password|url|color|range)"`)
)

var crawlAs = []string{
	"", // signed out
	"admin@demo.megafon.se",
	"samordnare@demo.megafon.se",
	"processledare@demo.megafon.se",
	"ledamot@demo.megafon.se",
	"gruppledare@demo.megafon.se",
	"ledare@somaliska.demo.megafon.se",
	"+46701000001",
}

func TestEveryPageRendersForEveryRoleInEveryLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("the crawl seeds the whole demo city")
	}
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := webtest.New(t, dialect, true, server.Modules()...)
			total := 0
			// The pages are the same HTML on both databases: check them once.
			var nu *nuChecker
			if dialect == db.SQLite {
				nu = newNuChecker(t)
			}
			for _, login := range crawlAs {
				// Every language on SQLite, one page of each shape and no
				// downloads in the translated ones (the same pages, other
				// words); Swedish and English on both databases.
				langs := []string{"sv", "en"}
				if dialect == db.SQLite {
					langs = i18n.Codes()
				}
				for _, lang := range langs {
					perShape, downloads := 2, true
					if !i18n.UILang(lang).Source {
						perShape, downloads = 1, false
					}
					c := s.Client()
					if login != "" {
						c.SignIn(login)
					}
					if r := c.Post("/lang", webtest.Form("lang", lang, "next", "/")); r.Status != http.StatusSeeOther {
						t.Fatalf("switch to %s: %d", lang, r.Status)
					}
					total += len(crawl(t, c, perShape, downloads, func(path string, r *webtest.Response) {
						if r.Status >= 500 {
							t.Errorf("%s (%s) GET %s: %d\n%s", login, lang, path, r.Status, webtest.Text(r.Body))
						}
						if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") && r.Status < 300 && !strings.Contains(r.Body, `<html lang="`+i18n.UILang(lang).HTML+`" dir="`+i18n.Dir(i18n.UILang(lang).HTML)+`"`) {
							t.Errorf("%s GET %s: the page is not in %s", login, path, lang)
						}
						// A translation's mark stands in text or nowhere.
						if strings.Contains(r.Body, "\uFDD0") || strings.Contains(r.Body, "&lt;span class=&#34;unchecked") {
							t.Errorf("%s (%s) GET %s: an unchecked-translation sentinel leaked", login, lang, path)
						}
						// Anyone may type Arabic or Dari into any box: each
						// takes its direction from what is typed.
						for _, box := range textBoxes.FindAllString(r.Body, -1) {
							if !strings.Contains(box, ` dir="`) && !strings.Contains(box, "readonly") && !notWordsBox.MatchString(box) {
								t.Errorf("%s GET %s: a text box without dir: %.200s", login, path, box)
							}
						}
						// Every asset is linked by its content's version, so a
						// phone keeps it for a year and never runs a stale one.
						for _, m := range assetLinks.FindAllStringSubmatch(r.Body, -1) {
							if !strings.Contains(m[1], "?v=") {
								t.Errorf("%s GET %s: %s is linked without its version", login, path, m[1])
							}
						}
						if nu != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
							nu.Add(fmt.Sprintf("%q (%s) GET %s", login, lang, path), r.Body)
						}
					}))
				}
			}
			if unknown := s.App.Catalogue.Unknown(); len(unknown) > 0 {
				t.Errorf("pages asked for %d translation keys that are missing: %s", len(unknown), strings.Join(unknown, ", "))
			}
			t.Logf("crawled %d pages", total)
			if nu != nil {
				nu.Check(t)
			}
		})
	}
}

// crawl follows the links of the HTML pages reachable from the start
// page, at most perShape pages of each shape (numbers in the path stand
// for any), files to download only if downloads, and calls visit with
// every answer; it returns the paths of the HTML pages that answered 200.
func crawl(t *testing.T, c *webtest.Client, perShape int, downloads bool, visit func(path string, r *webtest.Response)) []string {
	t.Helper()
	seen := map[string]bool{"/": true}
	shapes := map[string]int{}
	queue, pages := []string{"/"}, []string{}
	for n := 0; len(queue) > 0 && n < 400; n++ {
		path := queue[0]
		queue = queue[1:]
		r := c.Get(path)
		visit(path, r)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || r.Status != http.StatusOK {
			continue
		}
		pages = append(pages, path)
		for _, m := range hrefs.FindAllStringSubmatch(r.Body, -1) {
			next := strings.ReplaceAll(m[1], "&amp;", "&")
			if seen[next] || strings.HasPrefix(next, "/assets/") || strings.Contains(next, "/events") || strings.Contains(next, "/stream") ||
				(!downloads && isDownload.MatchString(next)) {
				continue
			}
			seen[next] = true
			shape := digits.ReplaceAllString(strings.SplitN(next, "?", 2)[0], "N")
			if shapes[shape] >= perShape {
				continue
			}
			shapes[shape]++
			queue = append(queue, next)
		}
	}
	return pages
}

func TestDemoSeedsOnceAndEveryModuleHasData(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo city")
	}
	ctx := context.Background()
	modules := server.Modules()
	d := dbtest.Open(t, db.SQLite, server.Migrations(modules)...)
	app := web.New(web.Config{}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	app.Mount(modules...)
	seeded, err := server.SeedDemo(ctx, app)
	if err != nil || !seeded {
		t.Fatalf("first seed: %v %v", seeded, err)
	}
	seeded, err = server.SeedDemo(ctx, app)
	if err != nil || seeded {
		t.Fatalf("second seed: %v %v, want nothing done", seeded, err)
	}
	var names []string
	for _, m := range app.Modules() {
		if _, ok := m.(demo.Seeder); ok {
			names = append(names, m.Name())
		}
	}
	sort.Strings(names)
	t.Logf("modules with demo data: %v", names)
}

// A button whose aria-label adds to its visible words must still contain
// them (WCAG 2.5.3, label in name), in every language: a translator may
// put the words of "Show number +46 …" round the number.
func TestEveryAriaLabelHoldsItsVisibleWordsInEveryLanguage(t *testing.T) {
	app := buildApp(t)
	pair := regexp.MustCompile(`aria-label="\{\{t "([a-z_.]+)"[^}]*\}\}"[^>]*>\{\{t "([a-z_.]+)"\}\}`)
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && d.Name() == "node_modules" {
			return err
		}
		if d.IsDir() || filepath.Ext(path) != ".html" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range pair.FindAllStringSubmatch(string(b), -1) {
			found++
			for _, lang := range i18n.Codes() {
				label, visible := app.Catalogue.T(lang, m[1], "Masked", "+46 ••• ••• •01", "Name", "Amina"), app.Catalogue.T(lang, m[2])
				if !strings.Contains(strings.ToLower(label), strings.ToLower(visible)) {
					t.Errorf("%s (%s): %s %q does not hold %s %q", path, lang, m[1], label, m[2], visible)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("found no aria-label beside visible words: the pattern is out of date")
	}
}
