package cocreation

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"megafon/cocreation/process"
	"megafon/platform/audit"
	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// EmailQueue is the outbox that sends e-mail to people without an account
// (the notify module offers it). Without one, invitations go by link, QR
// code and SMS only.
type EmailQueue interface {
	QueueEmail(ctx context.Context, to, subject, body string) error
	// SendsEmail says whether a mail server is configured, so that
	// nobody is told an invitation went out when it waits in the queue.
	SendsEmail() bool
}

// mailer is the mounted e-mail outbox, or nil; found among the modules
// whatever the order of mounting.
func (m *Module) mailer() EmailQueue {
	if m.Mail != nil {
		return m.Mail
	}
	for _, other := range m.app.Modules() {
		if q, ok := other.(EmailQueue); ok && q.SendsEmail() {
			return q
		}
	}
	return nil
}

// invitation is the text of an invitation in lang: what the process is,
// the link, and that no password is needed.
func (m *Module) invitation(p process.Process, lang, link string) (subject, body string) {
	t := func(key string, args ...any) string { return m.app.Catalogue.T(lang, key, args...) }
	title := p.In(lang).Title.Plain()
	return t("cc.invite.subject", "Title", title), t("cc.invite.body", "Title", title, "Link", link)
}

type inviteForm struct {
	Emails   string
	Lang     string
	Workshop int64
}

func (m *Module) inviteData(r *http.Request, p process.Process, f inviteForm) (map[string]any, error) {
	ws, err := m.store.Workshops(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	if f.Lang == "" {
		f.Lang = web.Lang(r)
	}
	link := m.pages.JoinURL(p, f.Workshop)
	_, sms := m.invitation(p, f.Lang, link)
	return map[string]any{"P": m.pages.View(r, p), "Form": f, "Workshops": ws, "Link": link, "SMS": sms, "SMSLang": i18n.UILang(f.Lang).HTML,
		// html/template refuses the sms: scheme unless it is marked safe;
		// the body is escaped here.
		// Messaging apps read "+" as a plus sign, not a space.
		"SMSLink":  template.URL("sms:?&body=" + strings.ReplaceAll(url.QueryEscape(sms), "+", "%20")),
		"HasEmail": m.mailer() != nil, "JoinOpen": m.app.Now().Before(p.JoinUntil)}, nil
}

func readInviteForm(r *http.Request) inviteForm {
	f := inviteForm{Emails: r.FormValue("emails"), Lang: r.FormValue("lang")}
	if !i18n.IsUILang(f.Lang) {
		f.Lang = process.Swedish
	}
	f.Workshop, _ = strconv.ParseInt(r.FormValue("w"), 10, 64)
	return f
}

// inviteForm shows the ways to invite: the link, the QR code, a ready SMS
// text, and e-mail through the outbox.
func (m *Module) inviteForm(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	f := readInviteForm(r)
	if r.FormValue("lang") == "" {
		f.Lang = web.Lang(r)
	}
	if err := m.checkInviteWorkshop(r, p, f.Workshop); err != nil {
		return err
	}
	data, err := m.inviteData(r, p, f)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/invite", data)
	return nil
}

func (m *Module) checkInviteWorkshop(r *http.Request, p process.Process, id int64) error {
	if id == 0 {
		return nil
	}
	ws, err := m.store.Workshop(r.Context(), id)
	if err != nil || ws.ProcessID != p.ID {
		return problem.Field("w", "form.invalid_choice")
	}
	return nil
}

// sendInvitations queues one e-mail for each address. The addresses are
// not kept by co-creation: only the outbox holds them until sent.
func (m *Module) sendInvitations(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	f := readInviteForm(r)
	fail := func(ferr error) error {
		data, err := m.inviteData(r, p, f)
		if err != nil {
			return err
		}
		return m.app.RenderForm(w, r, "cocreation/invite", data, ferr)
	}
	if err := m.checkInviteWorkshop(r, p, f.Workshop); err != nil {
		f.Workshop = 0
		return fail(err)
	}
	if !m.app.Now().Before(p.JoinUntil) {
		return fail(problem.New(problem.Conflict, "cc.invite.closed"))
	}
	q := m.mailer()
	if q == nil {
		return fail(problem.Field("emails", "cc.error.no_mail"))
	}
	addrs, err := process.ParseAddresses(f.Emails)
	if err != nil {
		return fail(err)
	}
	subject, body := m.invitation(p, f.Lang, m.pages.JoinURL(p, f.Workshop))
	for i, a := range addrs {
		if err := q.QueueEmail(r.Context(), a, subject, body); err != nil {
			return fmt.Errorf("invite %d of %d to process %d: %w", i+1, len(addrs), p.ID, err)
		}
	}
	u := web.User(r)
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: "cc.invite", Subject: fmt.Sprintf("cc_process:%d", p.ID),
		Detail: strconv.Itoa(len(addrs)), Addr: web.ClientAddr(r)}); err != nil {
		return fmt.Errorf("audit invitations: %w", err)
	}
	m.app.Flash(r, "cc.flash.invited")
	return web.Redirect(w, r, fmt.Sprintf("/processes/%d/invite", p.ID))
}
