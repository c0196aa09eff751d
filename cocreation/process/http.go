package process

import (
	"embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"megafon/platform/audit"
	"megafon/platform/web"
)

// Pages are the pieces of co-creation's pages that every part uses: the
// participant's session (her cookie, her page, the way back with her
// code), the process of a facilitator's path, its view on a page, and the
// audit of who saw participants' names.
type Pages struct {
	App   *web.App
	Store *Store
}

//go:embed templates
var templateFiles embed.FS

// Mount adds the templates that the pieces render (the way back with her
// code, the translations page) and the partials every part's pages use.
// Their names are in the namespace "cocreation", as they were before the
// split.
func (m *Pages) Mount(app *web.App) {
	app.Templates("cocreation", web.Sub(templateFiles, "templates"))
}

// participantCookie holds a participant's token: her only key, so it is
// HttpOnly and never readable by scripts.
const participantCookie = "megafon_participant"

// SetParticipantCookie gives her browser her token.
func (m *Pages) SetParticipantCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: participantCookie, Value: token, Path: "/", MaxAge: 400 * 24 * 3600,
		HttpOnly: true, Secure: m.App.Config.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// ClearParticipantCookie takes her token from her browser.
func (m *Pages) ClearParticipantCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: participantCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: m.App.Config.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// Participant is the participant of the request's cookie and her process.
func (m *Pages) Participant(r *http.Request) (Participant, Process, error) {
	c, err := r.Cookie(participantCookie)
	if err != nil {
		return Participant{}, Process{}, ErrNoParticipant
	}
	pt, err := m.Store.ParticipantByToken(r.Context(), c.Value)
	if err != nil {
		return pt, Process{}, err
	}
	p, err := m.Store.Process(r.Context(), pt.ProcessID)
	return pt, p, err
}

// ParticipantPage reads the participant for a page; without one she is
// sent to the page where her code lets her back in.
func (m *Pages) ParticipantPage(w http.ResponseWriter, r *http.Request) (Participant, Process, bool, error) {
	pt, p, err := m.Participant(r)
	if errors.Is(err, ErrNoParticipant) {
		return pt, p, false, web.Redirect(w, r, "/back?next="+url.QueryEscape(r.URL.Path))
	}
	if err != nil {
		return pt, p, false, err
	}
	// Her latest choice of language is the one she finds again when she
	// comes back with her code on another device.
	if lang := web.Lang(r); lang != pt.Lang {
		if err := m.Store.SetLang(r.Context(), pt.ID, lang); err != nil {
			return pt, p, false, err
		}
		pt.Lang = lang
	}
	return pt, p, true, nil
}

// AskForCode answers a form sent without a valid participant cookie
// (forged, or replaced when she came back on another device): the page
// where her code lets her back in, with what she wrote kept to copy.
// Nothing is saved.
// Her note waits in the session too, and is back in its box on the page
// she returns to with her code.
func (m *Pages) AskForCode(w http.ResponseWriter, r *http.Request, next string) error {
	text := r.FormValue("text")
	if text != "" {
		m.App.Sessions.Put(r.Context(), "cc_draft", text)
		m.App.Sessions.Put(r.Context(), "cc_draft_for", next)
	}
	return m.App.RenderForm(w, r, "cocreation/back", map[string]any{"Next": next, "Text": text}, ErrNoParticipant)
}

// Draft is the note that waited for her code, when this is its page.
func (m *Pages) Draft(r *http.Request) string {
	ctx := r.Context()
	if m.App.Sessions.GetString(ctx, "cc_draft_for") != r.URL.Path {
		return ""
	}
	m.App.Sessions.Remove(ctx, "cc_draft_for")
	return m.App.Sessions.PopString(ctx, "cc_draft")
}

// View is a process as a page shows it to the reader: its texts in her
// language, its current phase, and whether she may change it.
type View struct {
	Process
	Text    ProcessText // name and purpose in the reader's language, else in Swedish
	Current Phase
	HasNow  bool
	Edit    bool
}

// View is the process p as the page of r shows it.
func (m *Pages) View(r *http.Request, p Process) View {
	cur, ok := CurrentPhase(p.Phases, m.App.Now())
	return View{Process: p, Text: p.In(web.Lang(r)), Current: cur, HasNow: ok, Edit: CanFacilitate(web.User(r), p)}
}

// FlashSaved says that an edit of Swedish texts is saved, and, when it
// left translations made from the Swedish before, that they need a look.
func (m *Pages) FlashSaved(r *http.Request, texts []Translatable) {
	if len(StaleLangs(LangStates(texts))) > 0 {
		m.App.Flash(r, "cc.flash.saved_stale")
		return
	}
	m.App.Flash(r, "cc.flash.saved")
}

// ProcessFor reads the process of the path for a person who may read
// (facilitate when edit) it; 404 otherwise.
func (m *Pages) ProcessFor(r *http.Request, edit bool) (Process, error) {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return Process{}, err
	}
	p, err := m.Store.Process(r.Context(), id)
	if err != nil {
		return p, err
	}
	u := web.User(r)
	if (edit && !CanFacilitate(u, p)) || (!edit && !CanRead(u, p)) {
		return p, ErrNotFound
	}
	return p, nil
}

// AuditNames records that the signed-in person is shown participants'
// names (subject, and which page in detail). A page whose view cannot be
// recorded is not shown.
func (m *Pages) AuditNames(r *http.Request, subject, detail string) error {
	u := web.User(r)
	err := m.App.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: audit.ViewPersonal, Subject: subject, Detail: detail,
		Addr: web.ClientAddr(r)})
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", subject, detail, err)
	}
	return nil
}

// JoinURL is the invitation link, to a workshop's page when workshopID > 0.
func (m *Pages) JoinURL(p Process, workshopID int64) string {
	u := m.App.Config.BaseURL + "/join/" + p.JoinCode
	if workshopID > 0 {
		u += "?w=" + strconv.FormatInt(workshopID, 10)
	}
	return u
}
