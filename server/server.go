// Package server wires Megafon together: it opens the database, applies
// every part's migrations, mounts every module on the web application and
// seeds the demo city. This is the one place that knows all the parts.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"megafon/cocreation"
	"megafon/outreach/campaign"
	"megafon/outreach/contact"
	"megafon/outreach/handbook"
	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/helpline/telephony"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/outreach/referral"
	"megafon/platform/account"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/translation"
	"megafon/platform/web"
)

// Modules returns every part of the product, platform first.
func Modules() []web.Module {
	return []web.Module{
		&account.Module{},
		&translation.Module{},
		&notify.Module{}, &operation.Module{}, &handbook.Module{},
		&question.Module{}, // before campaign: its migration moves the campaign's questions here
		&contact.Module{},  // before campaign: its demo calls the contacts
		&referral.Module{},
		&campaign.Module{},
		&helpline.Module{},  // before the calls and telephony: they refer to its lines
		&calls.Module{},     // after question: a call's log records its questions there
		&telephony.Module{}, // the providers' webhooks of the help lines; records calls through the calls module
		&cocreation.Module{},
	}
}

// Migrations lists every part's migrations, in order.
func Migrations(modules []web.Module) []db.Migrations {
	var out []db.Migrations
	for _, m := range modules {
		out = append(out, m.Migrations()...)
	}
	return out
}

// Build opens the database at dsn, migrates it and returns the mounted
// application.
func Build(ctx context.Context, cfg web.Config, dsn string, log *slog.Logger) (*web.App, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	// The keyring that encrypts contacts and co-creation's participants:
	// MEGAFON_KEYS, the file MEGAFON_KEYFILE, or one made beside the
	// SQLite database. One keyring, so that one rotation covers all of them
	// (contacts, referrals' contacts, participants).
	keys, created, err := contact.LoadKeys(os.Getenv("MEGAFON_KEYS"), os.Getenv("MEGAFON_KEYFILE"), dsn)
	if err != nil {
		d.Close()
		return nil, err
	}
	if created {
		log.Warn("created a new keyring for contacts; back it up with the database", "file", dsn+".keys")
	}
	modules := Modules()
	for _, m := range modules {
		if c, ok := m.(*contact.Module); ok {
			c.Keys, c.Retention = keys, time.Hour
		}
		if r, ok := m.(*referral.Module); ok {
			r.Keys, r.Retention = keys, time.Hour
		}
		if h, ok := m.(*helpline.Module); ok {
			h.Reminders = 5 * time.Minute
		}
		if c, ok := m.(*cocreation.Module); ok {
			c.Keys, c.Retention = keys, time.Hour
		}
		if c, ok := m.(*calls.Module); ok {
			c.Keys, c.Retention = keys, time.Hour
		}
		if t, ok := m.(*telephony.Module); ok {
			// Its credentials under the same keyring; it records calls
			// through the calls module's store, found when it mounts.
			t.Keys = keys
		}
	}
	if err := d.Migrate(ctx, Migrations(modules)...); err != nil {
		d.Close()
		return nil, err
	}
	app := web.New(cfg, d, log)
	app.Mount(modules...)
	return app, nil
}

// SeedDemo seeds the demo city into an empty database, the platform first
// and then every module that has demo data. It reports whether it seeded.
func SeedDemo(ctx context.Context, app *web.App) (bool, error) {
	city, seeded, err := demo.SeedPlatform(ctx, app.Auth)
	if err != nil || !seeded {
		return seeded, err
	}
	for _, m := range app.Modules() {
		if s, ok := m.(demo.Seeder); ok {
			if err := s.SeedDemo(ctx, app, city); err != nil {
				return true, fmt.Errorf("seed demo %s: %w", m.Name(), err)
			}
		}
	}
	return true, nil
}
