package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"

	"megafon/platform/auth"
	"megafon/platform/i18n"
	"megafon/platform/problem"
)

// Page is what every template receives: the request's context for the
// layout, and the handler's Data for the page itself.
type Page struct {
	Lang     string // interface language code
	HTMLLang string // its lang attribute
	LangName string // its name in itself
	Dir      string
	// Unchecked is set when the page's language has messages no fluent
	// speaker has checked and the city shows them with a mark.
	Unchecked bool
	User      *auth.User
	CSRF      string
	Path      string
	Nav       []NavLink
	UILangs   []LangOption
	Flash     string
	Errors    map[string]string // field -> message
	Problems  []Message         // every problem, for the summary at the top of a form
	Data      any
	Now       time.Time
}

// NavLink is a menu entry for the current user.
type NavLink struct {
	Label   string
	Path    string
	Current bool
}

// LangOption is an interface language in the language switch.
type LangOption struct {
	Code, HTML, Dir, Name string
	Current               bool
}

type pageTemplate struct{ t *template.Template }

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// funcs are the template functions for one interface language.
func (a *App) funcs(lang string) template.FuncMap {
	// A date inside right-to-left text reads backwards ("14:04 02-12-2026")
	// unless it is isolated as left to right; the isolate is a pair of
	// invisible characters, so it holds in text, titles and attributes.
	ltr := func(s string) string { return s }
	if i18n.Dir(lang) == "rtl" {
		ltr = func(s string) string { return "\u2066" + s + "\u2069" }
	}
	tag := language.Make(i18n.UILang(lang).HTML)
	// Numbers in Western digits in every language, as phone numbers and
	// the city's own papers write them.
	printer := message.NewPrinter(language.Make(tag.String() + "-u-nu-latn"))
	return template.FuncMap{
		// t is a message in the interface language. One no fluent speaker
		// has checked ends in a sentinel that RenderPage turns into the
		// discreet mark (or removes where no mark can go).
		"t": func(key string, args ...any) string {
			s, checked := a.Catalogue.Translate(lang, key, args...)
			if !checked && a.Catalogue.ShowUncheckedMark() {
				return s + uncheckedSentinel
			}
			return s
		},
		// dir is the writing direction of content in a language.
		"dir": i18n.Dir,
		// comma separates the items of a list in the interface language:
		// the Arabic comma in Arabic and Dari, which a Latin one
		// interrupts.
		"comma": func() string { return ListSeparator(lang) },
		// joinlist joins items with that comma.
		"joinlist": func(items []string) string { return strings.Join(items, ListSeparator(lang)) },
		// langname is a content language's name in the interface language;
		// the catalogue names those CLDR has no name for (Dari).
		"langname": func(code string) string { return a.LangName(lang, code) },
		// selfname is a language's name in itself ("العربية").
		"selfname": func(code string) string {
			t, err := language.Parse(code)
			if err != nil {
				return code
			}
			if n := display.Self.Name(t); n != "" {
				return n
			}
			return code
		},
		"num": func(n any) string { return printer.Sprintf("%v", number(n)) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return ltr(t.In(stockholm).Format("2006-01-02"))
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return ltr(t.In(stockholm).Format("2006-01-02 15:04"))
		},
		"clock": func(t time.Time) string { return ltr(t.In(stockholm).Format("15:04")) },
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		// inputtime formats a time for <input type="datetime-local">.
		"inputtime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(stockholm).Format("2006-01-02T15:04")
		},
		"query": url.QueryEscape,
		// asset is the link of a served file with its content's version.
		"asset": a.AssetURL,
		"add":   func(a, b int) int { return a + b },
		// atmost caps a value, e.g. a <progress> past its goal.
		"atmost": func(v, max any) any {
			if toFloat(v) > toFloat(max) {
				return max
			}
			return v
		},
		"pct": func(part, whole any) int {
			p, w := toFloat(part), toFloat(whole)
			if w <= 0 {
				return 0
			}
			return int(p / w * 100)
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m, nil
		},
		"list":     func(v ...any) []any { return v },
		"contains": func(list []string, s string) bool { return containsString(list, s) },
		"join":     strings.Join,
	}
}

// ListSeparator is the comma between the items of a list in the
// interface language uiLang.
func ListSeparator(uiLang string) string {
	switch i18n.UILang(uiLang).HTML {
	case "ar", "prs", "fa":
		return "، "
	}
	return ", "
}

// LangName is a content language's name in the interface language uiLang;
// the catalogue names those CLDR has no name for (Dari).
func (a *App) LangName(uiLang, code string) string {
	if a.Catalogue.Has(uiLang, "lang."+code) {
		return a.Catalogue.T(uiLang, "lang."+code)
	}
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	// Dari has no names in CLDR's data: Persian's serve.
	if namer := display.Tags(i18n.UILang(uiLang).Plural); namer != nil {
		if n := namer.Name(t); n != "" {
			return n
		}
	}
	if n := display.Self.Name(t); n != "" {
		return n
	}
	return code
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func number(n any) any {
	switch v := n.(type) {
	case float64:
		return fmt.Sprintf("%.1f", v)
	}
	return n
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

// ParseLocalTime reads a time from <input type="datetime-local"> (or a
// date alone) as Swedish local time.
func ParseLocalTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), stockholm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: not a date and time", s)
}

// loadPages parses every page of an interface language, the first time a
// page in it is asked for (nine languages parsed at start would slow every
// test's start for pages most never show).
func (a *App) loadPages(lang string) (map[string]*pageTemplate, error) {
	a.pagesMu.Lock()
	defer a.pagesMu.Unlock()
	if a.pagesErr != nil {
		return nil, a.pagesErr
	}
	if p := a.pages[lang]; p != nil {
		return p, nil
	}
	if a.pages == nil {
		a.pages = map[string]map[string]*pageTemplate{}
	}
	pages, err := a.parsePages(lang)
	if err != nil {
		a.pagesErr = err
		return nil, err
	}
	a.pages[lang] = pages
	return pages, nil
}

func (a *App) parsePages(lang string) (map[string]*pageTemplate, error) {
	base := template.New("base").Funcs(a.funcs(lang))
	for _, m := range a.pageFS {
		partials, _ := fs.Glob(m.fsys, "partials/*.html")
		if m.name == "platform" {
			partials = append(partials, "layout.html")
		}
		for _, p := range partials {
			b, err := fs.ReadFile(m.fsys, p)
			if err != nil {
				return nil, err
			}
			if _, err := base.New(m.name + "/" + p).Parse(string(b)); err != nil {
				return nil, fmt.Errorf("template %s/%s: %w", m.name, p, err)
			}
		}
	}
	pages := map[string]*pageTemplate{}
	for _, m := range a.pageFS {
		files, _ := fs.Glob(m.fsys, "*.html")
		for _, f := range files {
			if f == "layout.html" && m.name == "platform" {
				continue
			}
			b, err := fs.ReadFile(m.fsys, f)
			if err != nil {
				return nil, err
			}
			t, err := base.Clone()
			if err == nil {
				_, err = t.New(f).Parse(string(b))
			}
			if err != nil {
				return nil, fmt.Errorf("template %s/%s: %w", m.name, f, err)
			}
			pages[m.name+"/"+strings.TrimSuffix(f, path.Ext(f))] = &pageTemplate{t}
		}
	}
	return pages, nil
}

// PageNames lists every page template, for the test that renders them all.
func (a *App) PageNames() ([]string, error) {
	pages, err := a.loadPages(i18n.Default)
	if err != nil {
		return nil, err
	}
	var names []string
	for n := range pages {
		names = append(names, n)
	}
	return names, nil
}

// NewPage returns the page context of the request, with data.
func (a *App) NewPage(r *http.Request, data any) *Page {
	lang := Lang(r)
	ui := i18n.UILang(lang)
	p := &Page{Lang: lang, HTMLLang: ui.HTML, Dir: i18n.Dir(ui.HTML), User: User(r), Path: r.URL.Path, Data: data, Now: a.Now()}
	if !ui.Source && a.Catalogue.ShowUncheckedMark() {
		if _, checked := a.Catalogue.Counts(lang); checked < len(a.Catalogue.Keys()) {
			p.Unchecked = true
		}
	}
	p.CSRF = a.csrfToken(r)
	for _, item := range a.nav {
		if item.Access.Allows(p.User) && (item.Access.Name != Public.Name || p.User == nil || item.Path != "/signin") {
			p.Nav = append(p.Nav, NavLink{Label: a.Catalogue.T(lang, item.Key), Path: item.Path,
				Current: r.URL.Path == item.Path || (item.Path != "/" && strings.HasPrefix(r.URL.Path, item.Path+"/"))})
		}
	}
	for _, l := range i18n.Langs {
		p.UILangs = append(p.UILangs, LangOption{Code: l.Code, HTML: l.HTML, Dir: i18n.Dir(l.HTML), Name: l.Name, Current: l.Code == lang})
		if l.Code == lang {
			p.LangName = l.Name
		}
	}
	if flash, ok := a.Sessions.Pop(r.Context(), "flash").(string); ok && flash != "" {
		p.Flash = a.Catalogue.T(lang, flash)
	}
	return p
}

// Render writes the page named name ("module/file") with data.
func (a *App) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	a.RenderPage(w, status, name, a.NewPage(r, data))
}

// RenderPage writes a page whose context the handler already built.
func (a *App) RenderPage(w http.ResponseWriter, status int, name string, p *Page) {
	pages, err := a.loadPages(p.Lang)
	if err != nil {
		a.Log.Error("templates", "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	t := pages[name]
	if t == nil {
		a.Log.Error("no such page template", "page", name)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.t.ExecuteTemplate(&buf, "layout", p); err != nil {
		a.Log.Error("render page", "page", name, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(markUnchecked(buf.Bytes()))
}

// RenderForm shows a form again after err: with each problem beside its
// field and all of them in a summary, status 422 (or the problem's own).
// Errors that are not problems take the one error path.
func (a *App) RenderForm(w http.ResponseWriter, r *http.Request, name string, data any, err error) error {
	l, ok := problem.As(err)
	if !ok {
		return err
	}
	p := a.NewPage(r, data)
	p.Errors = map[string]string{}
	for _, m := range a.problems(r, err, 0) {
		p.Problems = append(p.Problems, m)
		if m.Field != "" {
			p.Errors[m.Field] = m.Text
		}
	}
	a.RenderPage(w, statusOf[l[0].Kind], name, p)
	return nil
}

// T translates key in the request's interface language.
func (a *App) T(r *http.Request, key string, args ...any) string {
	return a.Catalogue.T(Lang(r), key, args...)
}

// Flash shows a message (a translation key) on the next page.
func (a *App) Flash(r *http.Request, key string) { a.Sessions.Put(r.Context(), "flash", key) }

// Redirect sends the browser on after a successful form (303, so a
// reload does not post again).
func Redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
