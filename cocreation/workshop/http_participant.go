package workshop

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"megafon/cocreation/process"
	"megafon/platform/web"
)

// participantWorkshopFor reads a workshop of the participant's own
// process; another process's is 404.
func (m *Pages) participantWorkshopFor(r *http.Request, pt process.Participant) (Workshop, error) {
	id, err := web.PathID(r, "id", process.ErrNotFound)
	if err != nil {
		return Workshop{}, err
	}
	ws, err := m.store.Workshop(r.Context(), id)
	if err != nil {
		return ws, err
	}
	if ws.ProcessID != pt.ProcessID {
		return ws, process.ErrNotFound
	}
	return ws, nil
}

func (m *Pages) participantWorkshop(w http.ResponseWriter, r *http.Request) error {
	pt, p, ok, err := m.pages.ParticipantPage(w, r)
	if !ok {
		return err
	}
	ws, err := m.participantWorkshopFor(r, pt)
	if err != nil {
		return err
	}
	return m.renderParticipantWorkshop(w, r, pt, p, ws, m.pages.Draft(r), nil)
}

func (m *Pages) renderParticipantWorkshop(w http.ResponseWriter, r *http.Request, pt process.Participant, p process.Process, ws Workshop, text string, ferr error) error {
	ctx := r.Context()
	signed, err := m.store.SignedUp(ctx, ws.ID, pt.ID)
	if err != nil {
		return err
	}
	prompts, err := m.store.Prompts(ctx, ws.ID)
	if err != nil {
		return err
	}
	var open []Prompt
	for _, x := range prompts {
		if x.Open {
			open = append(open, x)
		}
	}
	mine, err := m.store.MyNotes(ctx, ws.ID, pt.ID)
	if err != nil {
		return err
	}
	now := m.app.Now()
	data := map[string]any{"Me": pt, "P": m.pages.View(r, p), "W": ws, "Signed": signed, "Open": open, "Mine": mine, "Text": text,
		"Nonce": process.RandomText(12), "CanPost": process.Allowed(p.Phases, now, process.ActionPostNote) == nil, "CanSignUp": process.Allowed(p.Phases, now, process.ActionSignUp) == nil,
		"Full": ws.Capacity > 0 && ws.SignedUp >= ws.Capacity}
	if ferr != nil {
		return m.app.RenderForm(w, r, "cocreation/pworkshop", data, ferr)
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/pworkshop", data)
	return nil
}

// participantAction reads who acts on the workshop of the path; without a
// valid cookie she is answered with the code page (ok false), with what
// she wrote kept.
func (m *Pages) participantAction(w http.ResponseWriter, r *http.Request) (process.Participant, process.Process, Workshop, bool, error) {
	pt, p, err := m.pages.Participant(r)
	if errors.Is(err, process.ErrNoParticipant) {
		return pt, p, Workshop{}, false, m.pages.AskForCode(w, r, "/p/w/"+r.PathValue("id"))
	}
	if err != nil {
		return pt, p, Workshop{}, false, err
	}
	ws, err := m.participantWorkshopFor(r, pt)
	return pt, p, ws, err == nil, err
}

func (m *Pages) signUp(w http.ResponseWriter, r *http.Request) error {
	pt, p, ws, ok, err := m.participantAction(w, r)
	if !ok {
		return err
	}
	if err := m.store.SignUp(r.Context(), p, ws, pt.ID); err != nil {
		return m.renderParticipantWorkshop(w, r, pt, p, ws, "", err)
	}
	m.app.Flash(r, "cc.flash.signed_up")
	return web.Redirect(w, r, fmt.Sprintf("/p/w/%d", ws.ID))
}

func (m *Pages) postNote(w http.ResponseWriter, r *http.Request) error {
	pt, p, ws, ok, err := m.participantAction(w, r)
	if !ok {
		return err
	}
	prompt, _ := strconv.ParseInt(r.FormValue("prompt"), 10, 64)
	text := r.FormValue("text")
	if _, err := m.store.PostNote(r.Context(), p, ws.ID, prompt, pt.ID, 0, text, r.FormValue("nonce")); err != nil {
		// What she typed stays in the box.
		return m.renderParticipantWorkshop(w, r, pt, p, ws, text, err)
	}
	m.live.wake(ws.ID)
	m.app.Flash(r, "cc.flash.note_posted")
	return web.Redirect(w, r, fmt.Sprintf("/p/w/%d#mine", ws.ID))
}
