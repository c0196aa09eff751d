package operation

import (
	"megafon/platform/web"
)

// Mount adds the operation pages to app.
func (m *Module) Mount(app *web.App) {
	m.app = app
	m.store = &Store{DB: app.DB, Now: app.Now}
}
