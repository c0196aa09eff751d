package cocreation

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"megafon/cocreation/process"
	"megafon/platform/audit"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// joinCookie holds a random value of the browser that was shown a join
// form. The form's nonce is made from it and a join is stored under both,
// so that the nonce alone, copied or replayed from another browser, is
// worth nothing: only the browser that loaded the form gets a double tap's
// participant back.
const joinCookie = "megafon_join"

// joinBrowser is the browser's join value, made and set in a cookie when
// it has none.
func (m *Module) joinBrowser(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(joinCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	v := process.RandomText(32)
	http.SetCookie(w, &http.Cookie{Name: joinCookie, Value: v, Path: "/join/", MaxAge: 24 * 3600,
		HttpOnly: true, Secure: m.app.Config.SecureCookies, SameSite: http.SameSiteLaxMode})
	return v
}

// newJoinNonce is a join form's nonce for the browser: random text and
// its MAC under the browser's value, so that a nonce shown to another
// browser is told apart without storing anything when a form is shown.
func newJoinNonce(browser string) string {
	r := process.RandomText(12)
	return r + "." + joinMAC(browser, r)
}

func joinMAC(browser, r string) string {
	h := hmac.New(sha256.New, []byte(browser))
	h.Write([]byte(r))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// boundJoinNonce checks that nonce was made for the browser and returns
// what is stored for it: a hash of both, so that neither the database nor
// the form alone can answer for her.
func boundJoinNonce(browser, nonce string) (string, bool) {
	r, mac, ok := strings.Cut(nonce, ".")
	if !ok || browser == "" || !hmac.Equal([]byte(mac), []byte(joinMAC(browser, r))) {
		return "", false
	}
	return process.Hash(browser + "\x00" + nonce), true
}

// errJoinAgain answers a join form that is not this browser's to send
// again: sent long ago, or copied to another browser.
var errJoinAgain = problem.New(problem.Conflict, "cc.error.join_again")

type joinData struct {
	P        process.View
	Form     process.Joining
	Code     string
	Workshop int64
	Roles    []string
	AgeBands []string
	Services []string
	Consent  string
}

func (m *Module) joinProcess(r *http.Request) (process.Process, error) {
	p, err := m.store.ProcessByJoinCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return p, err
	}
	if m.app.Now().After(p.JoinUntil) {
		return p, problem.New(problem.Gone, "cc.error.link_expired")
	}
	return p, nil
}

func (m *Module) joinForm(w http.ResponseWriter, r *http.Request) error {
	p, err := m.joinProcess(r)
	if err != nil {
		return err
	}
	wid := m.joinWorkshop(r, p, r.URL.Query().Get("w"))
	// Already in: straight on.
	if pt, _, err := m.pages.Participant(r); err == nil && pt.ProcessID == p.ID {
		return web.Redirect(w, r, participantNext(wid))
	}
	if err := process.Allowed(p.Phases, m.app.Now(), process.ActionJoin); err != nil {
		return err
	}
	return m.renderJoin(w, r, p, process.Joining{Lang: web.Lang(r), Nonce: newJoinNonce(m.joinBrowser(w, r))}, wid, nil)
}

func (m *Module) renderJoin(w http.ResponseWriter, r *http.Request, p process.Process, j process.Joining, wid int64, err error) error {
	d := joinData{P: m.pages.View(r, p), Form: j, Code: p.JoinCode, Workshop: wid, Roles: process.ParticipantRoles, AgeBands: process.AgeBands, Services: process.Services, Consent: process.ConsentVersion}
	if err != nil {
		return m.app.RenderForm(w, r, "cocreation/join", d, err)
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/join", d)
	return nil
}

// joinWorkshop is the workshop an invitation link leads to (?w= of the
// QR code on a workshop's screen), when it is one of the process's; 0
// otherwise, and she lands on her home page.
func (m *Module) joinWorkshop(r *http.Request, p process.Process, v string) int64 {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	ws, err := m.store.Workshop(r.Context(), id)
	if err != nil || ws.ProcessID != p.ID {
		return 0
	}
	return id
}

func participantNext(workshopID int64) string {
	if workshopID > 0 {
		return fmt.Sprintf("/p/w/%d", workshopID)
	}
	return "/p/"
}

func (m *Module) join(w http.ResponseWriter, r *http.Request) error {
	p, err := m.joinProcess(r)
	if err != nil {
		return err
	}
	wid := m.joinWorkshop(r, p, r.FormValue("w"))
	// A second tap on the button: she is in already, once.
	if pt, _, err := m.pages.Participant(r); err == nil && pt.ProcessID == p.ID {
		return web.Redirect(w, r, participantNext(wid))
	}
	j := readJoining(r)
	browser := m.joinBrowser(w, r)
	if j.Nonce != "" {
		// A nonce made for another browser is a replayed form: it makes
		// no one and takes over no one.
		stored, ok := boundJoinNonce(browser, j.Nonce)
		if !ok {
			j.Nonce = newJoinNonce(browser)
			return m.renderJoin(w, r, p, j, wid, errJoinAgain)
		}
		j.Nonce = stored
	}
	_, creds, err := m.store.JoinFrom(r.Context(), p, j, web.ClientAddr(r))
	if err != nil {
		// The corrected form is a new sending: a fresh nonce, so that a
		// form refused as sent twice can be sent again.
		j.Nonce = newJoinNonce(browser)
		return m.renderJoin(w, r, p, j, wid, err)
	}
	m.pages.SetParticipantCookie(w, creds.Token)
	m.app.SetLangCookie(w, j.Lang)
	// The short code is shown once, on the next page.
	m.app.Sessions.Put(r.Context(), "cc_code", creds.Code)
	next := "/p/"
	if wid > 0 {
		next += "?w=" + strconv.FormatInt(wid, 10)
	}
	return web.Redirect(w, r, next)
}

func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	pt, p, ok, err := m.pages.ParticipantPage(w, r)
	if !ok {
		return err
	}
	if err := m.store.Open(&pt); err != nil { // her name, in the greeting
		return err
	}
	ws, err := m.store.Workshops(r.Context(), p.ID)
	if err != nil {
		return err
	}
	signed := map[int64]bool{}
	for _, x := range ws {
		if signed[x.ID], err = m.store.SignedUp(r.Context(), x.ID, pt.ID); err != nil {
			return err
		}
	}
	code := m.app.Sessions.PopString(r.Context(), "cc_code")
	wid, _ := strconv.ParseInt(r.URL.Query().Get("w"), 10, 64)
	m.app.Render(w, r, http.StatusOK, "cocreation/home", map[string]any{"Me": pt, "P": m.pages.View(r, p), "Workshops": ws, "Signed": signed,
		"Code": code, "Next": wid})
	return nil
}

func (m *Module) consent(w http.ResponseWriter, r *http.Request) error {
	pt, p, ok, err := m.pages.ParticipantPage(w, r)
	if !ok {
		return err
	}
	if err := m.store.Open(&pt); err != nil {
		return err
	}
	// Her own view of her details is logged like a facilitator's, so that
	// a view through a stolen cookie leaves a trace; without her address,
	// which would be kept after she asked to be forgotten.
	if err := m.app.Audit.Record(r.Context(), audit.Entry{Action: audit.ViewPersonal, Subject: fmt.Sprintf("cc_participant:%d", pt.ID), Detail: "my data"}); err != nil {
		return fmt.Errorf("audit my data: %w", err)
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/consent", map[string]any{"Me": pt, "P": m.pages.View(r, p)})
	return nil
}

func (m *Module) withdraw(w http.ResponseWriter, r *http.Request) error {
	pt, p, err := m.pages.Participant(r)
	if errors.Is(err, process.ErrNoParticipant) {
		return m.pages.AskForCode(w, r, "/p/consent")
	}
	if err != nil {
		return err
	}
	if r.FormValue("confirm") != "yes" {
		if err := m.store.Open(&pt); err != nil {
			return err
		}
		return m.app.RenderForm(w, r, "cocreation/consent", map[string]any{"Me": pt, "P": m.pages.View(r, p)}, problem.Field("confirm", "cc.error.confirm_withdraw"))
	}
	if err := m.store.Withdraw(r.Context(), pt.ID); err != nil {
		return err
	}
	// The log says that consent was withdrawn, never by whom by name.
	// Nor from where: her address next to her withdrawal would be
	// personal data kept after she asked to be forgotten.
	if err := m.app.Audit.Record(r.Context(), audit.Entry{Action: "cc.withdraw", Subject: fmt.Sprintf("cc_participant:%d", pt.ID)}); err != nil {
		return fmt.Errorf("audit withdrawal: %w", err)
	}
	m.app.Sessions.Remove(r.Context(), "cc_draft")
	m.app.Sessions.Remove(r.Context(), "cc_code")
	m.pages.ClearParticipantCookie(w)
	return web.Redirect(w, r, "/p/withdrawn")
}

// withdrawn tells her that it is done, in her language (the language
// cookie stays), with nothing about her on it (anyone may open the page)
// and the way to the public pages. Someone still taking part is sent to
// her own page instead.
func (m *Module) withdrawn(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := m.pages.Participant(r); err == nil {
		return web.Redirect(w, r, "/p/")
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/withdrawn", nil)
	return nil
}

func (m *Module) backForm(w http.ResponseWriter, r *http.Request) error {
	m.app.Render(w, r, http.StatusOK, "cocreation/back", map[string]any{"Next": web.LocalPath(r.URL.Query().Get("next"))})
	return nil
}

func (m *Module) back(w http.ResponseWriter, r *http.Request) error {
	next := web.LocalPath(r.FormValue("next"))
	pt, token, err := m.store.ComeBackFrom(r.Context(), r.FormValue("code"), web.ClientAddr(r))
	if err != nil {
		// What she typed stays, to fix a letter rather than type it all.
		return m.app.RenderForm(w, r, "cocreation/back", map[string]any{"Next": next, "Code": r.FormValue("code")}, err)
	}
	m.pages.SetParticipantCookie(w, token)
	m.app.SetLangCookie(w, pt.Lang)
	if next == "/" || next == "" {
		next = "/p/"
	}
	return web.Redirect(w, r, next)
}
