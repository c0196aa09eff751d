package calls

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"megafon/outreach/helpline"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/ratelimit"
	"megafon/platform/secret"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Migrations are the calls' tables. They refer to the platform's orgs and
// people and to the help line module's lines and shared phones.
var Migrations = db.Migrations{Name: "calls", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Module mounts the calls of the help lines: the callback queue and the
// call log for volunteers, and the line's counts for coordinators. It
// needs the operation and question modules mounted before it.
type Module struct {
	// Keys encrypts the callers' numbers. When nil, Mount makes a keyring
	// that lives as long as the process (tests); the server passes the
	// one that encrypts contacts.
	Keys *secret.Keyring
	// Roster says who is on shift for which line and language. When nil,
	// Mount asks the mounted modules for one (a module with a
	// Roster() helpline.Roster method); without any, nobody is on shift
	// and a volunteer's queue is the requests in her languages.
	Roster helpline.Roster
	// Retention, when set, is how often the callers' numbers kept no
	// longer are deleted, in a goroutine that Mount starts (the server:
	// every hour).
	Retention time.Duration
	// RevealsPerMinute bounds how many callers' numbers one person may
	// see in a minute; zero means DefaultRevealsPerMinute.
	RevealsPerMinute int

	reveals   *ratelimit.Window
	app       *web.App
	store     *Store
	ops       *operation.Store
	questions *question.Store
	// stopRetention ends the retention job.
	stopRetention context.CancelFunc
	retentionDone chan struct{}
}

// DefaultRevealsPerMinute is how many callers' numbers one volunteer may
// see in a minute: she calls back one at a time, and more is a script or
// a stolen session.
const DefaultRevealsPerMinute = 10

// errRevealLimit refuses a reveal beyond the person's limit.
var errRevealLimit = problem.New(problem.TooMany, "calls.error.reveal_limit")

// Name is the module's name.
func (*Module) Name() string { return "calls" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount).
func (m *Module) Store() *Store { return m.store }

// rosterSource is a module that knows the shifts (the help line module).
type rosterSource interface{ Roster() helpline.Roster }

// Mount adds the call pages to app.
func (m *Module) Mount(app *web.App) {
	m.app = app
	if m.Keys == nil {
		k, err := secret.GenerateKeyring()
		if err != nil {
			panic(err)
		}
		m.Keys = k
	}
	now := func() time.Time { return app.Now() }
	for _, mod := range app.Modules() {
		switch o := mod.(type) {
		case *operation.Module:
			m.ops = o.Store()
		case *question.Module:
			m.questions = o.Store()
		case rosterSource:
			if m.Roster == nil {
				m.Roster = o.Roster()
			}
		}
	}
	if m.ops == nil || m.questions == nil {
		panic("calls: mount the operation and question modules first")
	}
	if m.Roster == nil {
		m.Roster = noShifts{}
	}
	m.store = &Store{DB: app.DB, Keys: m.Keys, Now: now, Questions: m.questions}
	perMinute := m.RevealsPerMinute
	if perMinute <= 0 {
		perMinute = DefaultRevealsPerMinute
	}
	m.reveals = &ratelimit.Window{Max: perMinute, Per: time.Minute}
	app.Catalogue.MustLoad(mustSub(catalogue, "catalogue"))
	app.Templates("calls", mustSub(templates, "templates"))
	m.routes(app)
	if m.Retention > 0 {
		ctx, stop := context.WithCancel(context.Background())
		m.stopRetention, m.retentionDone = stop, make(chan struct{})
		go func() {
			defer close(m.retentionDone)
			m.RunRetention(ctx, m.Retention)
		}()
	}
}

// noShifts is the roster of a server without the help line's shifts:
// nobody is on shift.
type noShifts struct{}

func (noShifts) Line(context.Context, int64) (helpline.Line, error) {
	return helpline.Line{}, ErrNotFound
}
func (noShifts) OpenAt(context.Context, int64, string, time.Time) (bool, error) { return false, nil }
func (noShifts) OnShift(context.Context, int64, string, time.Time) ([]helpline.OnDuty, error) {
	return nil, nil
}
func (noShifts) ShiftLanguages(context.Context, int64, time.Time) ([]helpline.LineLanguage, error) {
	return nil, nil
}
