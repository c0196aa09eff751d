package notify

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"megafon/platform/db"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates/*.html
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Migrations are the notifications and the e-mail outbox.
var Migrations = db.Migrations{Name: "notify", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Module shows people their notifications and, with a mail server, sends
// the outbox.
type Module struct {
	// SMTP is the mail server; with an empty Addr e-mail stays queued
	// until one is configured.
	SMTP  SMTP
	app   *web.App
	store *Store
}

// Name is the module's name.
func (*Module) Name() string { return "notify" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Mount adds the notifications page, and starts the outbox worker when a
// mail server is configured.
func (m *Module) Mount(app *web.App) {
	m.app = app
	m.store = &Store{DB: app.DB, Now: app.Now}
	app.Catalogue.MustLoad(mustSub(catalogue, "catalogue"))
	app.Templates("notify", mustSub(templates, "templates"))
	app.Handle("GET /notifications", web.SignedIn, m.list)
	app.Handle("POST /notifications/read", web.SignedIn, m.markRead)
	app.Nav(web.NavItem{Key: "notify.nav", Path: "/notifications", Access: web.SignedIn, Order: 85})
	if m.SMTP.Addr == "" && app.Config.MailServer != "" {
		m.SMTP = SMTP{Addr: app.Config.MailServer, From: app.Config.MailFrom, Username: app.Config.MailUser, Password: app.Config.MailPassword}
	}
	if m.SMTP.Addr != "" {
		o := &Outbox{DB: app.DB, Sender: m.SMTP, Now: app.Now}
		go o.Run(context.Background(), time.Minute, func(err error) { app.Log.Error("outbox", "err", err) })
	}
}

func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	ns, err := m.store.List(r.Context(), u.ID, 50)
	if err != nil {
		return err
	}
	type item struct {
		Text   string
		Link   string
		At     time.Time
		Unread bool
	}
	items := make([]item, len(ns))
	unread := 0
	for i, n := range ns {
		items[i] = item{Text: n.Message.Text(m.app.Catalogue.T, web.Lang(r)), Link: n.Message.Link, At: n.CreatedAt, Unread: !n.Read}
		if !n.Read {
			unread++
		}
	}
	m.app.Render(w, r, http.StatusOK, "notify/list", map[string]any{"Items": items, "Unread": unread})
	return nil
}

func (m *Module) markRead(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.MarkAllRead(r.Context(), web.User(r).ID); err != nil {
		return err
	}
	return web.Redirect(w, r, "/notifications")
}

// SendsEmail says whether a mail server is configured.
func (m *Module) SendsEmail() bool { return m.SMTP.Addr != "" }

// QueueEmail puts one e-mail to someone without an account (an invited
// participant, say) in the outbox, which sends and retries it.
func (m *Module) QueueEmail(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to, "\r\n") || strings.ContainsAny(subject, "\r\n") {
		return fmt.Errorf("queue e-mail: header with a line break")
	}
	now := db.Now(m.app.Now())
	if _, err := m.app.DB.Exec(ctx, `INSERT INTO outbox (to_addr, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)`,
		to, subject, body, now); err != nil {
		return fmt.Errorf("queue e-mail: %w", err)
	}
	return nil
}
