package notify

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"strings"
	"time"

	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates/*.html
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Migrations are the notifications and the e-mail outbox.
var Migrations = db.Migrations{Name: "notify", FS: web.Sub(migrations, "migrations")}

// Module shows people their notifications and, with a mail server, sends
// the outbox.
type Module struct {
	// SMTP is the mail server; with an empty Addr e-mail stays queued
	// until one is configured.
	SMTP SMTP
	// SMS sends text messages; when nil and the configuration names a
	// 46elks account, it is that account, and otherwise SMS stay queued.
	SMS   SMSSender
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
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("notify", web.Sub(templates, "templates"))
	app.Handle("GET /notifications", web.SignedIn, m.list)
	app.Handle("POST /notifications/read", web.SignedIn, m.markRead)
	app.Handle("POST /notifications/channels", web.SignedIn, m.setChannels)
	app.Nav(web.NavItem{Key: "notify.nav", Path: "/notifications", Access: web.SignedIn, Order: 85})
	if m.SMTP.Addr == "" && app.Config.MailServer != "" {
		m.SMTP = SMTP{Addr: app.Config.MailServer, From: app.Config.MailFrom, Username: app.Config.MailUser, Password: app.Config.MailPassword}
	}
	if m.SMS == nil && app.Config.SMSUser != "" {
		if app.Config.SMSProvider == "twilio" {
			m.SMS = Twilio{AccountSID: app.Config.SMSUser, AuthToken: app.Config.SMSPassword, From: app.Config.SMSFrom}
		} else {
			m.SMS = Elks{User: app.Config.SMSUser, Password: app.Config.SMSPassword, From: app.Config.SMSFrom}
		}
	}
	if m.SMTP.Addr != "" || m.SMS != nil {
		o := &Outbox{DB: app.DB, SMS: m.SMS, Now: app.Now}
		if m.SMTP.Addr != "" {
			o.Sender = m.SMTP
		}
		go o.Run(context.Background(), time.Minute, func(err error) { app.Log.Error("outbox", "err", err) })
	}
}

// listData is the notifications page with the reader's choice of
// channels.
type listData struct {
	Items    []listItem
	Unread   int
	Channels Channels
	HasEmail bool
	HasPhone bool
}

type listItem struct {
	Text   string
	Link   string
	At     time.Time
	Unread bool
}

func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	d, err := m.listData(r)
	if err != nil {
		return err
	}
	// Her own address and phone number are on the page.
	w.Header().Set("Cache-Control", "no-store")
	m.app.Render(w, r, http.StatusOK, "notify/list", d)
	return nil
}

func (m *Module) listData(r *http.Request) (*listData, error) {
	u := web.User(r)
	ns, err := m.store.List(r.Context(), u.ID, 50)
	if err != nil {
		return nil, err
	}
	d := &listData{Items: make([]listItem, len(ns)), HasEmail: u.Email != "", HasPhone: u.Phone != ""}
	for i, n := range ns {
		d.Items[i] = listItem{Text: n.Message.Text(m.app.Catalogue.T, web.Lang(r)), Link: n.Message.Link, At: n.CreatedAt, Unread: !n.Read}
		if !n.Read {
			d.Unread++
		}
	}
	if d.Channels, err = m.store.Channels(r.Context(), u.ID, u.Email); err != nil {
		return nil, err
	}
	return d, nil
}

// setChannels saves the signed-in person's choice of channels: hers
// only, whatever the form says, since the form names nobody.
func (m *Module) setChannels(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	var c Channels
	var l problem.List
	for _, f := range []struct {
		name string
		to   *bool
	}{{"email", &c.Email}, {"sms", &c.SMS}} {
		switch r.PostFormValue(f.name) {
		case "":
		case "1":
			*f.to = true
		default:
			l.Add(f.name, "error.bad_request")
		}
	}
	err := l.Err()
	if err == nil {
		err = c.Check(u.Email, u.Phone)
	}
	if err != nil {
		d, derr := m.listData(r)
		if derr != nil {
			return derr
		}
		d.Channels = c
		w.Header().Set("Cache-Control", "no-store")
		return m.app.RenderForm(w, r, "notify/list", d, err)
	}
	if err := m.store.SetChannels(r.Context(), u.ID, c); err != nil {
		return err
	}
	m.app.Flash(r, "notify.flash.channels_saved")
	return web.Redirect(w, r, "/notifications")
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
