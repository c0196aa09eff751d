package account

import (
	"errors"
	"fmt"
	"net/http"

	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/input"
	"megafon/platform/problem"
	"megafon/platform/web"
)

type homePage struct {
	Memberships []auth.Membership
}

func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	if u == nil {
		m.app.Render(w, r, http.StatusOK, "account/welcome", nil)
		return nil
	}
	m.app.Render(w, r, http.StatusOK, "account/home", homePage{Memberships: u.Memberships})
	return nil
}

type signinPage struct {
	Login string
	Next  string
}

func (m *Module) signinForm(w http.ResponseWriter, r *http.Request) error {
	if web.User(r) != nil {
		return web.Redirect(w, r, web.LocalPath(r.URL.Query().Get("next")))
	}
	m.app.Render(w, r, http.StatusOK, "account/signin", signinPage{Next: web.LocalPath(r.URL.Query().Get("next"))})
	return nil
}

func (m *Module) signin(w http.ResponseWriter, r *http.Request) error {
	login, secret := r.PostFormValue("login"), r.PostFormValue("secret")
	page := signinPage{Next: web.LocalPath(r.PostFormValue("next"))}
	// Lengths first, before any work: a megabyte login would be hashed,
	// looked up and written to the audit log.
	var problems problem.List
	if l, err := input.Line(login, auth.MaxLoginLength); err != nil || len(l) > auth.MaxLoginLength {
		problems.Add("login", "form.too_long", "Max", auth.MaxLoginLength)
	} else {
		login, page.Login = l, l
	}
	if len(secret) > auth.MaxSignInSecretLength {
		problems.Add("secret", "form.too_long", "Max", auth.MaxSignInSecretLength)
	}
	if problems == nil && login == "" {
		problems.Add("login", "form.required")
	}
	if problems == nil && secret == "" {
		problems.Add("secret", "form.required")
	}
	if problems != nil {
		return m.app.RenderForm(w, r, "account/signin", page, problems)
	}
	addr := web.ClientAddr(r)
	u, err := m.app.Auth.Authenticate(r.Context(), login, secret, addr, m.app.Config.Throttle)
	if err != nil {
		if _, ok := problem.As(err); !ok {
			return err
		}
		// A refusal while locked out is not audited: one entry per
		// lockout, at the failure that began it, not one per guess.
		if !errors.Is(err, auth.ErrThrottled) {
			detail := "bad credentials"
			if errors.Is(err, auth.ErrLockedOut) {
				detail = "bad credentials; locked out"
			}
			if aerr := m.app.Audit.Record(r.Context(), audit.Entry{Action: audit.SignInFailed, Subject: "login:" + auth.LoginKey(login), Detail: detail, Addr: addr}); aerr != nil {
				return aerr
			}
		}
		return m.app.RenderForm(w, r, "account/signin", page, err)
	}
	if err := m.app.SignIn(r, u); err != nil {
		return err
	}
	m.app.SetLangCookie(w, u.UILang)
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.SignIn, Subject: personSubject(u.ID), Addr: addr}); err != nil {
		return err
	}
	return web.Redirect(w, r, page.Next)
}

func (m *Module) signout(w http.ResponseWriter, r *http.Request) error {
	if u := web.User(r); u != nil {
		if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.SignOut, Subject: personSubject(u.ID), Addr: web.ClientAddr(r)}); err != nil {
			return err
		}
	}
	if err := m.app.SignOut(r); err != nil {
		return err
	}
	return web.Redirect(w, r, "/")
}

func (m *Module) signoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	if err := m.app.Auth.SignOutEverywhere(r.Context(), u.ID); err != nil {
		return err
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.SignOutAll, Subject: personSubject(u.ID), Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	if err := m.app.SignOut(r); err != nil {
		return err
	}
	return web.Redirect(w, r, "/signin")
}

func (m *Module) accountPage(w http.ResponseWriter, r *http.Request) error {
	m.app.Render(w, r, http.StatusOK, "account/account", web.User(r))
	return nil
}

type invitationPage struct {
	Token      string
	Invitation auth.Invitation
}

func (m *Module) invitation(w http.ResponseWriter, r *http.Request) error {
	inv, err := m.app.Auth.InvitationByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "account/invitation", invitationPage{Token: r.PathValue("token"), Invitation: inv})
	return nil
}

func (m *Module) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	inv, err := m.app.Auth.InvitationByToken(r.Context(), token)
	if err != nil {
		return err
	}
	secret := r.PostFormValue("secret")
	if secret != r.PostFormValue("secret_again") {
		return m.app.RenderForm(w, r, "account/invitation", invitationPage{Token: token, Invitation: inv},
			problem.Field("secret_again", "invitation.secrets_differ"))
	}
	used, err := m.app.Auth.AcceptInvitation(r.Context(), token, secret)
	if err != nil {
		return m.app.RenderForm(w, r, "account/invitation", invitationPage{Token: token, Invitation: inv}, err)
	}
	u, err := m.app.Auth.User(r.Context(), used.Person.ID)
	if err != nil {
		return err
	}
	// Which link and whose: a link that reached the wrong hands shows.
	detail := fmt.Sprintf("invitation %d by %s", used.ID, personSubject(used.InvitedByID))
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.InviteAccept, Subject: personSubject(u.ID), Detail: detail, Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	if err := m.app.SignIn(r, u); err != nil {
		return err
	}
	m.app.Flash(r, "invitation.welcome")
	return web.Redirect(w, r, "/")
}
