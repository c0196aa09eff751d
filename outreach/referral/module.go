package referral

import (
	"context"
	"embed"
	"time"

	"megafon/outreach/operation"
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

// Migrations are the referral module's tables. They refer to the
// platform's orgs and people and to the operation module's operations.
var Migrations = db.Migrations{Name: "referral", FS: web.Sub(migrations, "migrations")}

// Module mounts referrals on the web application. It needs the operation
// module mounted before it.
type Module struct {
	// Keys encrypts how to reach residents. When nil, Mount makes a
	// keyring that lives as long as the process (tests); the server
	// passes the one that encrypts contacts.
	Keys *secret.Keyring
	// Retention, when set, is how often the contacts of referrals closed
	// long enough ago are deleted, in a goroutine that Mount starts (the
	// server: every hour).
	Retention time.Duration
	// ContactRetention is how long a closed referral keeps its contact;
	// zero means DefaultContactRetention.
	ContactRetention time.Duration
	// RevealsPerMinute bounds how many residents' contacts one person may
	// see in a minute; zero means DefaultRevealsPerMinute.
	RevealsPerMinute int

	reveals *ratelimit.Window
	app     *web.App
	store   *Store
	ops     *operation.Store
	// stopRetention ends the retention job.
	stopRetention context.CancelFunc
	retentionDone chan struct{}
}

// DefaultRevealsPerMinute is how many referral contacts one coordinator
// may see in a minute: she calls residents one at a time, and more is a
// script or a stolen session.
const DefaultRevealsPerMinute = 20

// errRevealLimit refuses a reveal beyond the person's limit.
var errRevealLimit = problem.New(problem.TooMany, "referral.error.reveal_limit")

// Name is the module's name.
func (*Module) Name() string { return "referral" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount).
func (m *Module) Store() *Store { return m.store }

// Mount adds the referral pages to app and its signal to the operation
// module's level suggestions.
func (m *Module) Mount(app *web.App) {
	m.app = app
	if m.Keys == nil {
		k, err := secret.GenerateKeyring()
		if err != nil {
			panic(err)
		}
		m.Keys = k
	}
	m.store = &Store{DB: app.DB, Keys: m.Keys, Now: func() time.Time { return app.Now() }, ContactRetention: m.ContactRetention}
	for _, mod := range app.Modules() {
		if ops, ok := mod.(*operation.Module); ok {
			m.ops = ops.Store()
			ops.AddSignalSource(operation.SignalFunc(m.signals))
		}
	}
	if m.ops == nil {
		panic("referral: mount the operation module first")
	}
	perMinute := m.RevealsPerMinute
	if perMinute <= 0 {
		perMinute = DefaultRevealsPerMinute
	}
	m.reveals = &ratelimit.Window{Max: perMinute, Per: time.Minute}
	m.mountRoutes(app)
	if m.Retention > 0 {
		ctx, stop := context.WithCancel(context.Background())
		m.stopRetention, m.retentionDone = stop, make(chan struct{})
		go func() {
			defer close(m.retentionDone)
			m.RunRetention(ctx, m.Retention)
		}()
	}
}

// signals tells the operation module how many urgent referrals wait past
// their acknowledgement deadline.
func (m *Module) signals(ctx context.Context, opID int64, now time.Time) (operation.Signals, error) {
	n, err := m.store.UrgentUnacknowledged(ctx, opID, now)
	return operation.Signals{UrgentReferralsOpen: n}, err
}

// RunRetention deletes expired contacts of closed referrals now and then
// every interval until ctx ends.
func (m *Module) RunRetention(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := m.store.DeleteExpiredContacts(ctx)
		if err != nil && ctx.Err() == nil {
			m.app.Log.Error("delete expired referral contacts", "err", err)
		} else if n > 0 {
			m.app.Log.Info("deleted expired referral contacts", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
