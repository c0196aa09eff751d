package contact

import "megafon/platform/web"

func (m *Module) mountRoutes(app *web.App) {
	app.Catalogue.MustLoad(mustSub(catalogue, "catalogue"))
	app.Templates("contact", mustSub(templates, "templates"))
}
