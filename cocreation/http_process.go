package cocreation

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"megafon/cocreation/process"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/problem"
	"megafon/platform/web"
)

func (m *Module) processes(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	var orgs []int64
	if !u.IsAdmin() {
		orgs = u.OrgsWith(auth.Facilitator, auth.BoardMember)
		if orgs == nil {
			orgs = []int64{}
		}
	}
	ps, err := m.store.Processes(r.Context(), orgs)
	if err != nil {
		return err
	}
	var views []process.View
	for _, p := range ps {
		views = append(views, m.pages.View(r, p))
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/processes", map[string]any{"Processes": views, "CanCreate": u.Has(auth.Admin, auth.Facilitator)})
	return nil
}

type processForm struct {
	process.NewProcess
}

// ownOrgs are the administrations in which u may start a process.
func (m *Module) ownOrgs(r *http.Request) ([]map[string]any, error) {
	u := web.User(r)
	orgs, err := m.app.Auth.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, o := range orgs {
		if o.Kind == auth.Administration && (u.IsAdmin() || u.HasIn(o.ID, auth.Facilitator)) {
			out = append(out, map[string]any{"Value": o.ID, "Label": o.Name})
		}
	}
	return out, nil
}

func (m *Module) newProcess(w http.ResponseWriter, r *http.Request) error {
	orgs, err := m.ownOrgs(r)
	if err != nil {
		return err
	}
	f := processForm{NewProcess: process.NewProcess{Start: m.app.Now().In(process.Stockholm).Format(time.DateOnly), DecidingBody: m.app.T(r, "cc.process.default_body")}}
	m.app.Render(w, r, http.StatusOK, "cocreation/process_form", map[string]any{"Form": f, "Orgs": orgs, "ID": 0})
	return nil
}

func readProcessForm(r *http.Request) process.NewProcess {
	return process.NewProcess{Title: r.FormValue("title"), Purpose: r.FormValue("purpose"), DecidingBody: r.FormValue("deciding_body"),
		Start: r.FormValue("start"), Lang: process.Swedish}
}

func (m *Module) createProcess(w http.ResponseWriter, r *http.Request) error {
	orgs, err := m.ownOrgs(r)
	if err != nil {
		return err
	}
	f := processForm{NewProcess: readProcessForm(r)}
	org, _ := strconv.ParseInt(r.FormValue("org"), 10, 64)
	data := map[string]any{"Form": f, "Orgs": orgs, "Org": org, "ID": 0}
	allowed := false
	for _, o := range orgs {
		allowed = allowed || o["Value"] == org
	}
	if !allowed {
		return m.app.RenderForm(w, r, "cocreation/process_form", data, problem.Field("org", "form.invalid_choice"))
	}
	id, err := m.store.CreateProcess(r.Context(), org, f.NewProcess)
	if err != nil {
		return m.app.RenderForm(w, r, "cocreation/process_form", data, err)
	}
	m.app.Flash(r, "cc.flash.created")
	return web.Redirect(w, r, fmt.Sprintf("/processes/%d", id))
}

func (m *Module) process(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, false)
	if err != nil {
		return err
	}
	ws, err := m.store.Workshops(r.Context(), p.ID)
	if err != nil {
		return err
	}
	c, err := m.store.ParticipantCounts(r.Context(), p.ID)
	if err != nil {
		return err
	}
	data := map[string]any{"P": m.pages.View(r, p), "Workshops": ws, "Counts": c, "JoinURL": m.pages.JoinURL(p, 0), "JoinOpen": m.app.Now().Before(p.JoinUntil)}
	if process.CanFacilitate(web.User(r), p) {
		data["StaleLangs"] = process.StaleLangs(process.LangStates(processTexts(p)))
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/process", data)
	return nil
}

func (m *Module) editProcess(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	f := processForm{NewProcess: process.NewProcess{Title: p.Title, Purpose: p.Purpose, DecidingBody: p.DecidingBody}}
	m.app.Render(w, r, http.StatusOK, "cocreation/process_form", map[string]any{"Form": f, "ID": p.ID})
	return nil
}

func (m *Module) updateProcess(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	f := processForm{NewProcess: readProcessForm(r)}
	if err := m.store.UpdateProcess(r.Context(), p.ID, f.NewProcess); err != nil {
		return m.app.RenderForm(w, r, "cocreation/process_form", map[string]any{"Form": f, "ID": p.ID}, err)
	}
	p, err = m.store.Process(r.Context(), p.ID)
	if err != nil {
		return err
	}
	m.pages.FlashSaved(r, processTexts(p))
	return web.Redirect(w, r, fmt.Sprintf("/processes/%d", p.ID))
}

type phaseRow struct {
	process.Phase
	Index int
}

func (m *Module) phasesForm(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	return m.renderPhases(w, r, p, p.Phases, nil)
}

func (m *Module) renderPhases(w http.ResponseWriter, r *http.Request, p process.Process, phases []process.Phase, err error) error {
	rows := make([]phaseRow, 0, len(phases)+1)
	for i, ph := range phases {
		rows = append(rows, phaseRow{ph, i})
	}
	data := map[string]any{"P": m.pages.View(r, p), "Rows": rows, "New": len(phases)}
	if err != nil {
		return m.app.RenderForm(w, r, "cocreation/phases", data, err)
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/phases", data)
	return nil
}

func (m *Module) savePhases(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	phases := phasesFromForm(r.PostForm)
	if err := m.store.SavePhases(r.Context(), p.ID, phases); err != nil {
		return m.renderPhases(w, r, p, phases, err)
	}
	m.app.Flash(r, "cc.flash.saved")
	return web.Redirect(w, r, fmt.Sprintf("/processes/%d", p.ID))
}

// phasesFromForm reads the phases form's rows (kind0, name0, starts0,
// ends0, skip0, kind1 ...) in the order of their numbers, however many
// there are, so that no row is dropped without a word; CheckPhases says
// what is wrong with them. The empty row for a new phase is no phase.
func phasesFromForm(form url.Values) []process.Phase {
	var rows []int
	for key := range form {
		num, ok := strings.CutPrefix(key, "kind")
		if n, err := strconv.Atoi(num); ok && err == nil && n >= 0 && strconv.Itoa(n) == num {
			rows = append(rows, n)
		}
	}
	sort.Ints(rows)
	var phases []process.Phase
	for _, i := range rows {
		k := strconv.Itoa(i)
		kind := form.Get("kind" + k)
		if kind == "" {
			continue
		}
		ph := process.Phase{Kind: kind, Name: form.Get("name" + k), StartsOn: strings.TrimSpace(form.Get("starts" + k)), EndsOn: strings.TrimSpace(form.Get("ends" + k)),
			Skipped: form.Get("skip"+k) == "1"}
		if kind == "custom" && strings.TrimSpace(ph.Name) == "" && ph.StartsOn == "" && ph.EndsOn == "" {
			continue // the empty row for a new phase
		}
		phases = append(phases, ph)
	}
	return phases
}

func (m *Module) copyProcess(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	id, err := m.store.CopyToNextYear(r.Context(), p.ID)
	if err != nil {
		return err
	}
	m.app.Flash(r, "cc.flash.copied")
	return web.Redirect(w, r, fmt.Sprintf("/processes/%d", id))
}

// qr is the invitation link as a QR code, for the workshop screen.
func (m *Module) qr(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	wid, _ := strconv.ParseInt(r.URL.Query().Get("w"), 10, 64)
	png, err := qrcode.Encode(m.pages.JoinURL(p, wid), qrcode.Medium, 512)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(png)
	return nil
}

func (m *Module) participants(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	return m.renderParticipants(w, r, p, process.Joining{Role: "service_user"}, nil)
}

func (m *Module) renderParticipants(w http.ResponseWriter, r *http.Request, p process.Process, j process.Joining, ferr error) error {
	ps, err := m.store.Participants(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if err := m.pages.AuditNames(r, fmt.Sprintf("cc_process:%d", p.ID), "participants"); err != nil {
		return err
	}
	data := map[string]any{"P": m.pages.View(r, p), "Participants": ps, "Form": j, "Roles": process.ParticipantRoles, "AgeBands": process.AgeBands, "Services": process.Services,
		"Consent": process.ConsentVersion}
	if ferr != nil {
		return m.app.RenderForm(w, r, "cocreation/participants", data, ferr)
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/participants", data)
	return nil
}

func readJoining(r *http.Request) process.Joining {
	return process.Joining{Name: r.FormValue("name"), Role: r.FormValue("role"), AgeBand: r.FormValue("age_band"), Lang: r.FormValue("lang"),
		Services: r.Form["services"], Consent: r.FormValue("consent") == "yes", Nonce: process.CleanLine(r.FormValue("nonce"))}
}

func (m *Module) addFromPaper(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	j := readJoining(r)
	if _, err := m.store.AddFromPaper(r.Context(), p.ID, web.User(r).ID, j); err != nil {
		return m.renderParticipants(w, r, p, j, err)
	}
	m.app.Flash(r, "cc.flash.paper_added")
	return web.Redirect(w, r, fmt.Sprintf("/processes/%d/participants", p.ID))
}

func (m *Module) overview(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, false)
	if err != nil {
		return err
	}
	c, err := m.store.ParticipantCounts(r.Context(), p.ID)
	if err != nil {
		return err
	}
	ws, err := m.store.Workshops(r.Context(), p.ID)
	if err != nil {
		return err
	}
	themes, err := m.store.NotesByTheme(r.Context(), p.ID)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/overview", map[string]any{"P": m.pages.View(r, p), "Counts": c, "Workshops": ws, "Themes": themes,
		"Roles": process.ParticipantRoles, "AgeBands": append(append([]string(nil), process.AgeBands...), "unknown")})
	return nil
}

// localNext is a path on this site to go on to after joining.
func localNext(v url.Values) string { return web.LocalPath(v.Get("next")) }

// participantOf reads the participant of the path in process p, not yet
// withdrawn; 404 otherwise.
func (m *Module) participantOf(r *http.Request, p process.Process) (process.Participant, error) {
	id, err := web.PathID(r, "pid", process.ErrNotFound)
	if err != nil {
		return process.Participant{}, err
	}
	pt, err := m.store.Participant(r.Context(), id)
	if err != nil || pt.ProcessID != p.ID || pt.Withdrawn {
		return pt, process.ErrNotFound
	}
	return pt, nil
}

// withdrawForForm asks once more before a facilitator withdraws someone
// who asked her to (on paper, by phone, or without her device).
func (m *Module) withdrawForForm(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	pt, err := m.participantOf(r, p)
	if err != nil {
		return err
	}
	if err := m.pages.AuditNames(r, fmt.Sprintf("cc_participant:%d", pt.ID), "withdraw"); err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/withdraw_for", map[string]any{"P": m.pages.View(r, p), "Who": pt})
	return nil
}

// withdrawFor anonymises a participant on her behalf, as her own
// withdrawal does.
func (m *Module) withdrawFor(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	pt, err := m.participantOf(r, p)
	if err != nil {
		return err
	}
	if r.FormValue("confirm") != "yes" {
		return m.app.RenderForm(w, r, "cocreation/withdraw_for", map[string]any{"P": m.pages.View(r, p), "Who": pt}, problem.Field("confirm", "cc.error.confirm_withdraw_for"))
	}
	if err := m.store.Withdraw(r.Context(), pt.ID); err != nil {
		return err
	}
	u := web.User(r)
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: "cc.withdraw", Subject: fmt.Sprintf("cc_participant:%d", pt.ID),
		Detail: "by facilitator", Addr: web.ClientAddr(r)}); err != nil {
		return fmt.Errorf("audit withdrawal: %w", err)
	}
	m.app.Flash(r, "cc.flash.withdrawn_for")
	return web.Redirect(w, r, fmt.Sprintf("/processes/%d/participants", p.ID))
}
