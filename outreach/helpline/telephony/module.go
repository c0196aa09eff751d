package telephony

import (
	"embed"
	"io/fs"
	"sync"
	"time"

	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/secret"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Migrations are the telephony tables. They refer to the help lines'
// tables and the platform's people.
var Migrations = db.Migrations{Name: "telephony", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Module mounts the telephony of the help lines: the providers'
// webhooks, the recordings, each line's provider page and, in the demo,
// the provider simulator. It needs the operation and helpline modules
// mounted before it.
type Module struct {
	// Keys encrypts the providers' credentials. When nil, Mount makes a
	// keyring that lives as long as the process (tests); the server
	// passes the one that encrypts contacts.
	Keys *secret.Keyring
	// Roster answers who is on shift: when nil, the help line module's
	// store. Calls records the calls: when nil, the calls module's store.
	// Both modules are mounted before. Tests may
	// set them after Mount, before the first request.
	Roster helpline.Roster
	Calls  CallLog
	// MaxWebhookBytes bounds a webhook's body; zero means 64 KiB.
	MaxWebhookBytes int64

	app   *web.App
	store *Store
	ops   *operation.Store

	simMu sync.Mutex
	sims  map[simKey]*Sim // the simulator page's calls, per person and line
}

// Name is the module's name.
func (*Module) Name() string { return "telephony" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount).
func (m *Module) Store() *Store { return m.store }

// Mount adds the webhooks and pages to app.
func (m *Module) Mount(app *web.App) {
	m.app = app
	if m.Keys == nil {
		k, err := secret.GenerateKeyring()
		if err != nil {
			panic(err)
		}
		m.Keys = k
	}
	m.store = &Store{DB: app.DB, Keys: m.Keys, Now: func() time.Time { return app.Now() }}
	for _, mod := range app.Modules() {
		if ops, ok := mod.(*operation.Module); ok {
			m.ops = ops.Store()
		}
		if c, ok := mod.(*calls.Module); ok && m.Calls == nil {
			m.Calls = c.Store()
		}
		if h, ok := mod.(*helpline.Module); ok && m.Roster == nil {
			m.Roster = h.Roster()
		}
	}
	if m.ops == nil {
		panic("telephony: mount the operation module first")
	}
	m.sims = map[simKey]*Sim{}
	m.mountRoutes(app)
}

// flow is the call flow on the module's dependencies.
func (m *Module) flow() *Flow {
	return &Flow{Roster: m.Roster, Calls: m.Calls, Store: m.store, Now: func() time.Time { return db.Now(m.app.Now()) }}
}
