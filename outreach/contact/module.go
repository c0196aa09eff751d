package contact

import (
	"context"
	"embed"
	"time"

	"megafon/outreach/campaign"
	"megafon/platform/auth"
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

// Migrations are the contact module's tables. They refer to the platform's
// orgs and people.
var Migrations = db.Migrations{Name: "contact", FS: web.Sub(migrations, "migrations")}

// Module mounts the contact register on the web application.
type Module struct {
	// Keys encrypts numbers and names. When nil, Mount makes a keyring
	// that lives as long as the process (tests); the server loads one
	// with LoadKeys.
	Keys *secret.Keyring
	// Retention, when set, is how often expired contacts are deleted, in
	// a goroutine that Mount starts (the server: every hour).
	Retention time.Duration
	// RevealsPerMinute bounds the names and numbers one person may see
	// in a minute; zero means DefaultRevealsPerMinute.
	RevealsPerMinute int

	limits  revealLimits
	app     *web.App
	store   *Store
	imports *Importer
	// afterRetention, when set, is told of every pass of the retention
	// job (tests); stopRetention ends the job.
	afterRetention func(deleted int, err error)
	stopRetention  context.CancelFunc
	retentionDone  chan struct{}
}

// Name is the module's name.
func (*Module) Name() string { return "contact" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount).
func (m *Module) Store() *Store { return m.store }

// Importer is the module's importer (after Mount).
func (m *Module) Importer() *Importer { return m.imports }

// Mount adds the contact pages to app.
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
	m.store = &Store{DB: app.DB, Keys: m.Keys, Now: now}
	m.limits = newRevealLimits(m.RevealsPerMinute)
	m.imports = &Importer{Store: m.store, Log: app.Log}
	m.mountRoutes(app)
	m.logInterrupted(context.Background())
	if err := m.imports.encryptOldHeaders(context.Background()); err != nil {
		app.Log.Error("encrypt the headers of old imports", "err", err)
	}
	if m.Retention > 0 {
		ctx, stop := context.WithCancel(context.Background())
		m.stopRetention, m.retentionDone = stop, make(chan struct{})
		go func() {
			defer close(m.retentionDone)
			m.RunRetention(ctx, m.Retention)
		}()
	}
}

// CampaignContacts gives the campaign module the contacts it calls.
func (m *Module) CampaignContacts() campaign.Contacts { return campaignContacts{m} }

// campaignContacts adapts the Store to campaign.Contacts.
type campaignContacts struct{ m *Module }

func (c campaignContacts) ForGroups(ctx context.Context, orgIDs []int64) ([]campaign.Contact, error) {
	cs, err := c.m.store.ForGroups(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	out := make([]campaign.Contact, len(cs))
	for i, x := range cs {
		out[i] = campaign.Contact{ID: x.ID, OrgID: x.OrgID, Languages: x.Languages, District: x.District}
	}
	return out, nil
}

func (c campaignContacts) Callable(ctx context.Context, contactID int64) (bool, error) {
	return c.m.store.Callable(ctx, contactID)
}

// Reveal is asked only for the contact the viewer holds: the campaign
// checked her lease (and that the contact is her group's, which the store
// checks again).
func (c campaignContacts) Reveal(ctx context.Context, contactID int64, viewer *auth.User, addr string) (campaign.Revealed, error) {
	p, n, err := c.m.revealFor(ctx, contactID, viewer, addr, true)
	return campaign.Revealed{Phone: p, Name: n}, err
}

// DoNotCall is the resident's own wish, so it is city-wide.
func (c campaignContacts) DoNotCall(ctx context.Context, contactID int64, by *auth.User) error {
	return c.m.store.DoNotCall(ctx, contactID, false)
}

// RunRetention deletes expired contacts now and then every interval until
// ctx ends. Mount starts it when Retention is set (the server: hourly).
func (m *Module) RunRetention(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := m.store.DeleteExpired(ctx)
		if err != nil && ctx.Err() == nil {
			m.app.Log.Error("delete expired contacts", "err", err)
		} else if n > 0 {
			m.app.Log.Info("deleted expired contacts", "count", n)
		}
		if m.afterRetention != nil {
			m.afterRetention(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
