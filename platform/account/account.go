// Package account is the platform's own pages: the start page, signing
// in and out, accepting an invitation, managing the members of an
// organisation, one's own account, and the audit log.
package account

import (
	"embed"
	"io/fs"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Module is the account module.
type Module struct{ app *web.App }

// Name is the module's name.
func (Module) Name() string { return "account" }

// Migrations: the platform's tables are created by the auth package.
func (Module) Migrations() []db.Migrations { return []db.Migrations{auth.Migrations} }

// Mount adds the account pages to app.
func (m *Module) Mount(app *web.App) {
	m.app = app
	sub, _ := fs.Sub(catalogue, "catalogue")
	app.Catalogue.MustLoad(sub)
	tpl, _ := fs.Sub(templates, "templates")
	app.Templates("account", tpl)

	app.Handle("GET /{$}", web.Public, m.home)
	app.Handle("GET /signin", web.Public, m.signinForm)
	app.Handle("POST /signin", web.Public, m.signin)
	app.Handle("POST /signout", web.Public, m.signout)
	app.Handle("GET /invite/{token}", web.Public, m.invitation)
	app.Handle("POST /invite/{token}", web.Public, m.acceptInvitation)
	app.Handle("GET /account", web.SignedIn, m.accountPage)
	app.Handle("POST /account/signout-everywhere", web.SignedIn, m.signoutEverywhere)
	managers := web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead)
	app.Handle("GET /people", managers, m.people)
	app.Handle("POST /orgs", web.Roles(auth.Admin), m.createOrg)
	app.Handle("GET /orgs/{id}", managers, m.org)
	app.Handle("POST /orgs/{id}/invite", managers, m.invite)
	app.Handle("POST /memberships/{id}/role", managers, m.changeRole)
	app.Handle("POST /memberships/{id}/remove", managers, m.removeMember)
	app.Handle("GET /audit", web.Roles(auth.Admin), m.auditLog)

	app.Nav(web.NavItem{Key: "nav.home", Path: "/", Access: web.SignedIn, Order: 0})
	app.Nav(web.NavItem{Key: "nav.people", Path: "/people", Access: managers, Order: 80})
	app.Nav(web.NavItem{Key: "nav.audit", Path: "/audit", Access: web.Roles(auth.Admin), Order: 90})
}
