// Package web is the shell every page of Megafon is served in: routes that
// declare who may use them, one error path, sessions, CSRF protection,
// security headers, the interface language, templates and assets embedded
// in the binary, metrics and request logs.
//
// A part of the product (a module) mounts itself on an App: it adds its
// catalogue, templates, assets, routes and menu items, and nothing in this
// package has to change for it.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"sort"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/klauspost/compress/gzhttp"
	"github.com/prometheus/client_golang/prometheus"

	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/i18n"
)

//go:embed templates
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

//go:embed catalogue/*.json
var catalogueFiles embed.FS

// Config is what the operator sets when starting the server.
type Config struct {
	BaseURL       string // e.g. https://megafon.helsingborg.se, for links in messages
	SecureCookies bool   // set when served over HTTPS
	Throttle      auth.Throttle
	MaxBodyBytes  int64         // default limit of a request body
	SessionIdle   time.Duration // a session ends after this long unused
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client; from anyone else the header is ignored, or a
	// guesser would name a new address with each try.
	TrustedProxies []netip.Prefix
	// The mail server (host:port) that the outbox sends e-mail through,
	// with its sender address and optional sign-in; without one e-mail
	// stays queued.
	MailServer, MailFrom, MailUser, MailPassword string
	// The 46elks account (API user and password) that the outbox sends
	// SMS through, with the sender's name or number; without one SMS stay
	// queued.
	SMSUser, SMSPassword, SMSFrom string
	// SMSProvider is "46elks" (the default) or "twilio": then SMSUser
	// is the account SID and SMSPassword the auth token.
	SMSProvider string
	// Demo is set when the server runs the demo city (serve --demo): pages
	// that only make sense there, such as the telephony simulator, appear.
	Demo bool
}

// Module is a part of the product that mounts itself on the App.
type Module interface {
	Name() string
	Migrations() []db.Migrations
	Mount(app *App)
}

// App is the web application: the shared dependencies of every handler
// and the routes that modules registered.
type App struct {
	Config    Config
	DB        *db.DB
	Auth      *auth.Store
	Audit     *audit.Log
	Catalogue *i18n.Catalogue
	Sessions  *scs.SessionManager
	Log       *slog.Logger
	Now       func() time.Time
	Metrics   *prometheus.Registry

	mux       *http.ServeMux
	routes    []RouteInfo
	nav       []NavItem
	pageFS    []namedFS
	pagesMu   sync.Mutex
	pages     map[string]map[string]*pageTemplate // lang -> page name -> template, parsed on first use
	pagesErr  error
	metrics   *httpMetrics
	readiness []func(context.Context) error
	modules   []Module
	// afterMount runs once the modules of a Mount are all mounted.
	afterMount []func()
	assets     map[string]*assetDir // by prefix, for versioned links
}

type namedFS struct {
	name string
	fsys fs.FS
}

// New builds the App on a database. Modules are mounted afterwards.
func New(cfg Config, d *db.DB, log *slog.Logger) *App {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Throttle.Window == 0 {
		cfg.Throttle = auth.DefaultThrottle
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 8 * time.Hour
	}
	a := &App{
		Config:    cfg,
		DB:        d,
		Auth:      auth.NewStore(d),
		Catalogue: i18n.New(),
		Log:       log,
		Now:       time.Now,
		Metrics:   prometheus.NewRegistry(),
		mux:       http.NewServeMux(),
	}
	a.Audit = &audit.Log{DB: d, Now: func() time.Time { return a.Now() }}
	a.Sessions = scs.New()
	a.Sessions.Store = auth.SessionStore{DB: d, Now: func() time.Time { return a.Now() }}
	a.Sessions.Lifetime = 7 * 24 * time.Hour
	a.Sessions.IdleTimeout = cfg.SessionIdle
	a.Sessions.Cookie.Name = "megafon_session"
	a.Sessions.Cookie.HttpOnly = true
	a.Sessions.Cookie.SameSite = http.SameSiteLaxMode
	a.Sessions.Cookie.Secure = cfg.SecureCookies
	a.Sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { a.Fail(w, r, err) }
	a.Catalogue.MustLoad(Sub(catalogueFiles, "catalogue"))
	a.Templates("platform", Sub(templateFiles, "templates"))
	a.metrics = newHTTPMetrics(a.Metrics, d)
	a.mountPlatformRoutes()
	return a
}

// Sub is the folder dir of an embedded file system: a module's
// migrations, templates or catalogue. It panics, at start, when dir is
// not there, which only a build without the folder can cause.
func Sub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Templates adds a module's page templates: every *.html file at the root
// of fsys is a page named "module/file" (without .html); files under
// partials/ are shared by every page.
func (a *App) Templates(module string, fsys fs.FS) {
	a.pageFS = append(a.pageFS, namedFS{module, fsys})
}

// NavItem is an entry of the main menu, shown to whom Access allows.
type NavItem struct {
	Key    string // translation key of the label
	Path   string
	Access Access
	Order  int
}

// Nav adds a menu entry.
func (a *App) Nav(item NavItem) {
	a.nav = append(a.nav, item)
	sort.SliceStable(a.nav, func(i, j int) bool { return a.nav[i].Order < a.nav[j].Order })
}

// Ready adds a check to /readyz.
func (a *App) Ready(check func(context.Context) error) { a.readiness = append(a.readiness, check) }

// Mount mounts modules, in order, then runs what they asked to run once
// all of them are mounted (see AfterMount).
func (a *App) Mount(modules ...Module) {
	for _, m := range modules {
		m.Mount(a)
		a.modules = append(a.modules, m)
	}
	after := a.afterMount
	a.afterMount = nil
	for _, fn := range after {
		fn()
	}
}

// AfterMount runs fn when the modules being mounted with it are all
// mounted: the catalogue is whole then, so that a module mounted early can
// change messages of one mounted after it (translations imported by an
// administrator).
func (a *App) AfterMount(fn func()) { a.afterMount = append(a.afterMount, fn) }

// Modules lists the mounted modules, in order.
func (a *App) Modules() []Module { return append([]Module(nil), a.modules...) }

// Handler is the whole application as one http.Handler.
func (a *App) Handler() http.Handler {
	var h http.Handler = a.mux
	// The cross-origin refusal is a page like any other, in the person's
	// language: it needs the session and the user loaded around it.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		a.Fail(w, r, errCrossOrigin)
	}))
	h = cop.Handler(h)
	h = a.withUser(h)
	h = a.withCSRFCookie(h)
	h = a.Sessions.LoadAndSave(h)
	h = a.withClientAddr(h)
	h = securityHeaders(h, a.Config.SecureCookies)
	h = compress(h)
	h = a.observe(h)
	h = a.recoverPanics(h)
	return h
}

// compress gzips text answers for browsers that accept it: a page is
// about a fifth of its size on a slow connection. Event streams, PDFs,
// images and spreadsheets are left alone (a stream must flush at once; the
// others are compressed already). The random jitter in each answer's
// length is defence in depth against BREACH, since pages carry a CSRF
// token (cookies are SameSite=Lax, which already keeps other sites'
// requests from carrying the session).
func compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(512),
		gzhttp.ContentTypes([]string{"text/html", "text/css", "text/javascript", "application/json", "image/svg+xml", "text/plain", "text/csv"}),
		gzhttp.RandomJitter(32, 0, false),
	)
	if err != nil {
		panic(err) // only for invalid options, fixed above
	}
	return wrap(next)
}

// Routes lists every registered route with who may use it; the
// role-by-route test walks it so that no route goes untested.
func (a *App) Routes() []RouteInfo { return append([]RouteInfo(nil), a.routes...) }
