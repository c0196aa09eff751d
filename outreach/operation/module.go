package operation

import (
	"embed"
	"sync"

	"megafon/platform/db"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the operation module's tables.
var Migrations = db.Migrations{Name: "operation", FS: web.Sub(migrations, "migrations")}

// Module mounts operations on the web application.
type Module struct {
	app   *web.App
	store *Store

	mu      sync.Mutex
	sources []SignalSource
}

// Name is the module's name.
func (*Module) Name() string { return "operation" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store, for other modules (after Mount).
func (m *Module) Store() *Store { return m.store }

// AddSignalSource adds a source of level signals. Modules call it from
// their Mount.
func (m *Module) AddSignalSource(s SignalSource) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sources = append(m.sources, s)
}

func (m *Module) signalSources() []SignalSource {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]SignalSource(nil), m.sources...)
}
