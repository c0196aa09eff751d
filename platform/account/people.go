package account

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/problem"
	"megafon/platform/web"
)

func personSubject(id int64) string { return fmt.Sprintf("person:%d", id) }

var errNotFound = problem.New(problem.NotFound, "error.not_found")

type peoplePage struct {
	Orgs     []auth.Org
	CanAdmin bool
}

// managedOrgs lists the organisations whose members the user manages.
func (m *Module) managedOrgs(r *http.Request) ([]auth.Org, error) {
	all, err := m.app.Auth.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	var mine []auth.Org
	for _, o := range all {
		if auth.CanManageMembers(web.User(r), o) {
			mine = append(mine, o)
		}
	}
	return mine, nil
}

func (m *Module) people(w http.ResponseWriter, r *http.Request) error {
	return m.peopleForm(w, r, nil)
}

func (m *Module) createOrg(w http.ResponseWriter, r *http.Request) error {
	if _, err := m.app.Auth.CreateOrg(r.Context(), r.PostFormValue("name"), auth.OrgKind(r.PostFormValue("kind"))); err != nil {
		return m.peopleForm(w, r, err)
	}
	m.app.Flash(r, "people.org_created")
	return web.Redirect(w, r, "/people")
}

// peopleForm shows the people page, with the problems of err if any.
func (m *Module) peopleForm(w http.ResponseWriter, r *http.Request, err error) error {
	mine, lerr := m.managedOrgs(r)
	if lerr != nil {
		return lerr
	}
	page := peoplePage{Orgs: mine, CanAdmin: web.User(r).IsAdmin()}
	if err != nil {
		return m.app.RenderForm(w, r, "account/people", page, err)
	}
	m.app.Render(w, r, http.StatusOK, "account/people", page)
	return nil
}

type orgPage struct {
	Org        auth.Org
	Members    []auth.Member
	Roles      []auth.Role
	Form       inviteForm
	InviteLink string
}

type inviteForm struct {
	Name, Email, Phone, Languages, Role, SecretKind string
}

// managedOrg loads the organisation in the path if the user may manage
// its members; otherwise it is not found, so that nobody learns of
// groups they have no part in.
func (m *Module) managedOrg(r *http.Request, id int64) (auth.Org, error) {
	org, err := m.app.Auth.Org(r.Context(), id)
	if err != nil {
		return org, err
	}
	if !auth.CanManageMembers(web.User(r), org) {
		return org, errNotFound
	}
	return org, nil
}

func (m *Module) orgPage(r *http.Request, org auth.Org) (orgPage, error) {
	members, err := m.app.Auth.Members(r.Context(), org.ID)
	if err != nil {
		return orgPage{}, err
	}
	var roles []auth.Role
	for _, role := range auth.RolesFor(org.Kind) {
		if auth.CanGrant(web.User(r), org, role) {
			roles = append(roles, role)
		}
	}
	return orgPage{Org: org, Members: members, Roles: roles}, nil
}

func (m *Module) org(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return err
	}
	org, err := m.managedOrg(r, id)
	if err != nil {
		return err
	}
	page, err := m.orgPage(r, org)
	if err != nil {
		return err
	}
	page.InviteLink = m.app.Sessions.PopString(r.Context(), "invite_link")
	m.app.Render(w, r, http.StatusOK, "account/org", page)
	return nil
}

func (m *Module) invite(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return err
	}
	org, err := m.managedOrg(r, id)
	if err != nil {
		return err
	}
	u := web.User(r)
	f := inviteForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
		Languages: r.PostFormValue("languages"), Role: r.PostFormValue("role"), SecretKind: r.PostFormValue("secret_kind")}
	role, ok := auth.ParseRole(f.Role)
	if !ok || !auth.CanGrant(u, org, role) {
		page, perr := m.orgPage(r, org)
		if perr != nil {
			return perr
		}
		page.Form = f
		return m.app.RenderForm(w, r, "account/org", page, problem.Field("role", "form.invalid_choice"))
	}
	langs := strings.FieldsFunc(f.Languages, func(c rune) bool { return c == ',' || c == ' ' || c == ';' })
	res, err := m.app.Auth.Invite(r.Context(), auth.NewPerson{Name: f.Name, Email: f.Email, Phone: f.Phone, Languages: langs, SecretKind: f.SecretKind}, org.ID, role, u.ID)
	if err != nil {
		page, perr := m.orgPage(r, org)
		if perr != nil {
			return perr
		}
		page.Form = f
		return m.app.RenderForm(w, r, "account/org", page, err)
	}
	detail := fmt.Sprintf("%s in %s", role, org.Name)
	if res.InvitationID != 0 {
		detail += fmt.Sprintf(", invitation %d", res.InvitationID)
	}
	if res.Reset {
		detail += "; her password was voided: it was set through a link from someone who could not give this role"
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.Invite,
		Subject: personSubject(res.PersonID), Detail: detail, Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	switch {
	case res.Token != "":
		m.app.Sessions.Put(r.Context(), "invite_link", m.inviteLink(res.Token))
		m.app.Flash(r, "people.invited")
	case !res.Pending:
		m.app.Flash(r, "people.role_added")
	default:
		// She exists but has no account yet: a new link goes to her own
		// address, never to the inviter, who could sign in as her.
		key, err := m.mailInvitation(r, u, res)
		if err != nil {
			return err
		}
		if res.Reset && key == "people.invitation_mailed" {
			key = "people.account_reset_mailed"
		} else if res.Reset {
			key = "people.account_reset_no_link"
		}
		m.app.Flash(r, key)
	}
	return web.Redirect(w, r, fmt.Sprintf("/orgs/%d", org.ID))
}

func (m *Module) inviteLink(token string) string {
	return strings.TrimSuffix(m.app.Config.BaseURL, "/") + "/invite/" + token
}

// EmailQueue is the outbox that sends e-mail (the notify module offers
// it); the account module finds it among the mounted modules, so that the
// platform does not depend on a module.
type EmailQueue interface {
	QueueEmail(ctx context.Context, to, subject, body string) error
	SendsEmail() bool
}

func (m *Module) mailer() EmailQueue {
	for _, other := range m.app.Modules() {
		if q, ok := other.(EmailQueue); ok && q.SendsEmail() {
			return q
		}
	}
	return nil
}

// mailInvitation sends a person who exists without an account a new
// invitation to her own e-mail address, and returns what to tell the
// inviter.
func (m *Module) mailInvitation(r *http.Request, u *auth.User, res auth.Invited) (string, error) {
	q := m.mailer()
	if q == nil || res.Email == "" {
		if res.OpenLink {
			return "people.role_added_pending", nil
		}
		return "people.role_added_no_link", nil
	}
	token, id, err := m.app.Auth.ReissueInvitation(r.Context(), res.PersonID, u.ID)
	if err != nil {
		return "", err
	}
	p, err := m.app.Auth.Person(r.Context(), res.PersonID)
	if err != nil {
		return "", err
	}
	lang := p.UILang
	subject := m.app.Catalogue.T(lang, "invitation.mail_subject")
	body := m.app.Catalogue.T(lang, "invitation.mail_body", "Name", p.Name, "Inviter", u.Name, "Link", m.inviteLink(token))
	if err := q.QueueEmail(r.Context(), res.Email, subject, body); err != nil {
		return "", err
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.Invite,
		Subject: personSubject(res.PersonID), Detail: fmt.Sprintf("invitation %d sent to her e-mail", id), Addr: web.ClientAddr(r)}); err != nil {
		return "", err
	}
	return "people.invitation_mailed", nil
}

// membership loads the membership in the path, if the user manages its
// organisation.
func (m *Module) membership(r *http.Request) (auth.MembershipInfo, auth.Org, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return auth.MembershipInfo{}, auth.Org{}, err
	}
	ms, err := m.app.Auth.MembershipByID(r.Context(), id)
	if err != nil {
		return ms, auth.Org{}, err
	}
	org, err := m.managedOrg(r, ms.OrgID)
	return ms, org, err
}

func (m *Module) changeRole(w http.ResponseWriter, r *http.Request) error {
	ms, org, err := m.membership(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	role, ok := auth.ParseRole(r.PostFormValue("role"))
	if !ok || !auth.CanChangeMembership(u, org, ms.PersonID, ms.Role, role) {
		return problem.New(problem.Forbidden, "error.forbidden")
	}
	if err := m.app.Auth.ChangeRole(r.Context(), ms.ID, role); err != nil {
		return err
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.RoleChange,
		Subject: personSubject(ms.PersonID), Detail: fmt.Sprintf("%s: %s -> %s", org.Name, ms.Role, role), Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	m.app.Flash(r, "people.role_changed")
	return web.Redirect(w, r, fmt.Sprintf("/orgs/%d", org.ID))
}

func (m *Module) removeMember(w http.ResponseWriter, r *http.Request) error {
	ms, org, err := m.membership(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	if !auth.CanChangeMembership(u, org, ms.PersonID, ms.Role, "") {
		return problem.New(problem.Forbidden, "error.forbidden")
	}
	if err := m.app.Auth.RemoveMembership(r.Context(), ms.ID); err != nil {
		return err
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.MemberRemove,
		Subject: personSubject(ms.PersonID), Detail: fmt.Sprintf("%s: %s", org.Name, ms.Role), Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	m.app.Flash(r, "people.removed")
	return web.Redirect(w, r, fmt.Sprintf("/orgs/%d", org.ID))
}

type auditPage struct {
	Entries []audit.Entry
	Actions []string
	Filter  auditFilter
	Next    int64
}

type auditFilter struct {
	Action, Subject, From, To string
}

func (m *Module) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := auditFilter{Action: q.Get("action"), Subject: q.Get("subject"), From: q.Get("from"), To: q.Get("to")}
	filter := audit.Filter{Action: f.Action, Subject: f.Subject, Limit: 100}
	var errs problem.List
	if f.From != "" {
		t, err := time.Parse("2006-01-02", f.From)
		if err != nil {
			errs.Add("from", "form.date")
		}
		filter.From = t
	}
	if f.To != "" {
		t, err := time.Parse("2006-01-02", f.To)
		if err != nil {
			errs.Add("to", "form.date")
		}
		filter.To = t.Add(24 * time.Hour)
	}
	if b := q.Get("before"); b != "" {
		filter.Before, _ = strconv.ParseInt(b, 10, 64)
	}
	actions, err := m.app.Audit.Actions(r.Context())
	if err != nil {
		return err
	}
	if errs != nil {
		return m.app.RenderForm(w, r, "account/audit", auditPage{Actions: actions, Filter: f}, errs)
	}
	entries, err := m.app.Audit.List(r.Context(), filter)
	if err != nil {
		return err
	}
	page := auditPage{Entries: entries, Actions: actions, Filter: f}
	if len(entries) == filter.Limit {
		page.Next = entries[len(entries)-1].ID
	}
	m.app.Render(w, r, http.StatusOK, "account/audit", page)
	return nil
}
