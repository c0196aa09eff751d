// Package cocreation lets the people who use the social services set the
// social welfare board's goals with it: processes in phases, participants
// who join without a password, workshops where they post notes that appear
// live on the facilitator's board, themes, and an overview in counts.
//
// The package is the module that mounts co-creation, and the process's own
// pages, which show every part of it. The parts are packages of their own:
// cocreation/process, the core that the others build on (processes, phases
// and their rules, participants and their session, limits, invitations,
// translation, and the migration set "cocreation"), and cocreation/workshop.
package cocreation

import (
	"context"
	"embed"
	"time"

	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/db"
	"megafon/platform/secret"
	"megafon/platform/web"
)

//go:embed templates
var templateFiles embed.FS

//go:embed catalogue/*.json
var catalogueFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// Migrations are co-creation's tables, in the sets that the server
// applies in order.
var Migrations = []db.Migrations{process.Migrations}

// Module mounts co-creation on the web application.
type Module struct {
	app   *web.App
	store *workshop.Store
	pages *process.Pages
	// workshops are the workshops' pages, mounted with these.
	workshops *workshop.Pages
	// Poll is how often an open board looks for notes written through
	// another server process (notes posted through this one wake it at
	// once). Zero: every second.
	Poll time.Duration
	// Retention, when set, is how often participants of finished
	// processes are anonymised (the server: hourly).
	Retention time.Duration
	// Mail sends e-mail invitations; nil: the mounted outbox, if any.
	Mail EmailQueue
	// Limits bound anonymous joins and notes; unset ones are
	// DefaultLimits.
	Limits process.Limits
	// Keys encrypts participants' names and services: the server gives
	// the contacts' keyring. When nil, Mount makes one that lives as long
	// as the process (tests).
	Keys *secret.Keyring
}

// Name is the module's name.
func (*Module) Name() string { return "cocreation" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return Migrations }

// Store is the module's store (after Mount).
func (m *Module) Store() *workshop.Store { return m.store }

// Mount adds the co-creation pages.
func (m *Module) Mount(app *web.App) {
	m.app = app
	if m.Keys == nil {
		k, err := secret.GenerateKeyring()
		if err != nil {
			panic(err)
		}
		m.Keys = k
	}
	m.store = &workshop.Store{Store: &process.Store{DB: app.DB, Now: func() time.Time { return app.Now() }, Limits: m.Limits, Keys: m.Keys}}
	m.pages = &process.Pages{App: app, Store: m.store.Store}
	m.pages.Mount(app)
	// Participants stored before their details were encrypted are
	// encrypted now; until then they are read as they are.
	if n, err := m.store.SealParticipants(context.Background()); err != nil {
		app.Log.Error("cocreation: encrypt participants stored in clear", "err", err)
	} else if n > 0 {
		app.Log.Info("cocreation: encrypted participants stored in clear", "participants", n)
	}
	if m.Retention > 0 {
		go m.forgetFinished(m.Retention)
	}
	app.Catalogue.MustLoad(web.Sub(catalogueFiles, "catalogue"))
	app.Templates("cocreation", web.Sub(templateFiles, "templates"))
	app.Nav(web.NavItem{Key: "cc.nav", Path: "/processes", Access: process.Readers, Order: 60})

	app.ServeAssets("/assets/cocreation/", web.Sub(assetFiles, "assets"))

	// Facilitators.
	app.Handle("GET /processes", process.Readers, m.processes)
	app.Handle("GET /processes/new", process.Facilitators, m.newProcess)
	app.Handle("POST /processes", process.Facilitators, m.createProcess)
	app.Handle("GET /processes/{id}", process.Readers, m.process)
	app.Handle("GET /processes/{id}/edit", process.Facilitators, m.editProcess)
	app.Handle("POST /processes/{id}", process.Facilitators, m.updateProcess)
	app.Handle("GET /processes/{id}/phases", process.Facilitators, m.phasesForm)
	app.Handle("POST /processes/{id}/phases", process.Facilitators, m.savePhases)
	app.Handle("GET /processes/{id}/translations", process.Facilitators, m.processTranslations)
	app.Handle("POST /processes/{id}/translations", process.Facilitators, m.translateProcess)
	app.Handle("POST /processes/{id}/copy", process.Facilitators, m.copyProcess)
	app.Handle("GET /processes/{id}/qr.png", process.Facilitators, m.qr)
	app.Handle("GET /processes/{id}/invite", process.Facilitators, m.inviteForm)
	app.Handle("POST /processes/{id}/invite", process.Facilitators, m.sendInvitations)
	app.Handle("GET /processes/{id}/participants", process.Facilitators, m.participants)
	app.Handle("POST /processes/{id}/participants", process.Facilitators, m.addFromPaper)
	app.Handle("GET /processes/{id}/participants/{pid}/withdraw", process.Facilitators, m.withdrawForForm)
	app.Handle("POST /processes/{id}/participants/{pid}/withdraw", process.Facilitators, m.withdrawFor)
	app.Handle("GET /processes/{id}/overview", process.Readers, m.overview)

	// Participants: no account, a token in a cookie.
	app.Handle("GET /join/{code}", web.Public, m.joinForm)
	app.Handle("POST /join/{code}", web.Public, m.join)
	app.Handle("GET /back", web.Public, m.backForm)
	app.Handle("POST /back", web.Public, m.back)
	app.Handle("GET /p/{$}", web.Public, m.home)
	app.Handle("GET /p/consent", web.Public, m.consent)
	app.Handle("POST /p/withdraw", web.Public, m.withdraw)
	app.Handle("GET /p/withdrawn", web.Public, m.withdrawn)

	// Workshops, their boards and a participant's page of one.
	m.workshops = workshop.NewPages(m.pages, m.store, m.Poll)
	m.workshops.Mount(app)
}

// forgetFinished anonymises the participants of finished processes, and
// deletes old counters of the limits, now and then every interval, for
// the life of the process.
func (m *Module) forgetFinished(every time.Duration) {
	for {
		if n, err := m.store.ForgetFinished(context.Background()); err != nil {
			m.app.Log.Error("cocreation retention", "err", err)
		} else if n > 0 {
			m.app.Log.Info("anonymised the participants of finished processes", "participants", n)
		}
		if err := m.store.ForgetCounts(context.Background()); err != nil {
			m.app.Log.Error("cocreation: delete old counters", "err", err)
		}
		time.Sleep(every)
	}
}
