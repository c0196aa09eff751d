package workshop

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"megafon/cocreation/process"
	"megafon/platform/csvout"
	"megafon/platform/problem"
	"megafon/platform/web"
)

func (m *Pages) workshop(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	return m.renderWorkshop(w, r, ws, p, nil)
}

func (m *Pages) renderWorkshop(w http.ResponseWriter, r *http.Request, ws Workshop, p process.Process, ferr error) error {
	att, err := m.store.Attendance(r.Context(), ws.ID)
	if err != nil {
		return err
	}
	prompts, err := m.store.Prompts(r.Context(), ws.ID)
	if err != nil {
		return err
	}
	if len(att) > 0 {
		if err := m.pages.AuditNames(r, fmt.Sprintf("cc_workshop:%d", ws.ID), "attendance"); err != nil {
			return err
		}
	}
	data := map[string]any{"W": ws, "P": m.pages.View(r, p), "Attendance": att, "Prompts": prompts, "JoinURL": m.pages.JoinURL(p, ws.ID),
		"Prompt": m.app.T(r, "cc.prompt.default"), "StaleLangs": process.StaleLangs(process.LangStates(workshopTexts(ws, prompts)))}
	if ferr != nil {
		return m.app.RenderForm(w, r, "cocreation/workshop", data, ferr)
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/workshop", data)
	return nil
}

func (m *Pages) editWorkshop(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/workshop_form", map[string]any{"P": m.pages.View(r, p), "Form": ws.Form(), "ID": ws.ID})
	return nil
}

func (m *Pages) updateWorkshop(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	f := readWorkshopForm(r)
	clean, err := f.Clean()
	if err != nil {
		return m.app.RenderForm(w, r, "cocreation/workshop_form", map[string]any{"P": m.pages.View(r, p), "Form": f, "ID": ws.ID}, err)
	}
	clean.ID, clean.ProcessID = ws.ID, ws.ProcessID
	if _, err := m.store.SaveWorkshop(r.Context(), clean); err != nil {
		return err
	}
	clean.Texts = ws.Texts
	texts, err := m.workshopTextsFor(r, clean)
	if err != nil {
		return err
	}
	m.pages.FlashSaved(r, texts)
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d", ws.ID))
}

func (m *Pages) attendance(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	var present []int64
	for _, v := range r.Form["present"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			present = append(present, id)
		}
	}
	if err := m.store.SetAttendance(r.Context(), ws.ID, present); err != nil {
		return err
	}
	m.app.Flash(r, "cc.flash.saved")
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d", ws.ID))
}

func (m *Pages) openPrompt(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	if _, err := m.store.OpenPrompt(r.Context(), ws.ID, r.FormValue("prompt")); err != nil {
		return m.renderWorkshop(w, r, ws, p, err)
	}
	m.app.Flash(r, "cc.flash.prompt_opened")
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d/board", ws.ID))
}

func (m *Pages) togglePrompt(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	pid, err := web.PathID(r, "prompt", process.ErrNotFound)
	if err != nil {
		return err
	}
	if err := m.store.SetPromptOpen(r.Context(), ws.ID, pid, r.FormValue("open") == "1"); err != nil {
		return err
	}
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d/board", ws.ID))
}

// boardColumn is a theme with its notes; the first column has no theme.
type boardColumn struct {
	Theme Theme
	Notes []Note
}

type boardData struct {
	W       Workshop
	P       process.View
	Prompts []Prompt
	Themes  []Theme
	Columns []boardColumn
	Notes   []Note // every visible note, for the merge choice
	Last    int64
	JoinURL string
	Nonce   string // makes a double-clicked paper note one note
	Text    string // a paper note sent back with a problem, kept in its box
	Added   int64  // the theme she has just added: the page opens at it, with a word that it is there
}

func (m *Pages) boardData(r *http.Request, ws Workshop, p process.Process) (*boardData, error) {
	ctx := r.Context()
	// The newest id first: a note posted between the two reads is then
	// both on the page and sent again by the stream (the script keeps one
	// of each), never on neither.
	last, err := m.store.LastNoteID(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	notes, err := m.store.Notes(ctx, ws.ID, 0)
	if err != nil {
		return nil, err
	}
	themes, err := m.store.Themes(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	prompts, err := m.store.Prompts(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	d := &boardData{W: ws, P: m.pages.View(r, p), Prompts: prompts, Themes: themes, Notes: notes, Last: last, JoinURL: m.pages.JoinURL(p, ws.ID), Nonce: process.RandomText(12)}
	d.Columns = append(d.Columns, boardColumn{})
	index := map[int64]int{}
	for _, t := range themes {
		index[t.ID] = len(d.Columns)
		d.Columns = append(d.Columns, boardColumn{Theme: t})
	}
	for _, n := range notes {
		c := index[n.ThemeID] // 0 when the theme is gone
		d.Columns[c].Notes = append(d.Columns[c].Notes, n)
	}
	return d, nil
}

func (m *Pages) board(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	d, err := m.boardData(r, ws, p)
	if err != nil {
		return err
	}
	d.Added, _ = m.app.Sessions.Pop(r.Context(), themeAddedKey).(int64)
	return m.renderBoardData(w, r, "cocreation/board", d, nil)
}

// themeAddedKey holds, in the facilitator's session, the theme she has
// just added, for the board to say so beside it.
const themeAddedKey = "cc_theme_added"

func (m *Pages) renderBoard(w http.ResponseWriter, r *http.Request, page string, ws Workshop, p process.Process, ferr error) error {
	d, err := m.boardData(r, ws, p)
	if err != nil {
		return err
	}
	return m.renderBoardData(w, r, page, d, ferr)
}

func (m *Pages) renderBoardData(w http.ResponseWriter, r *http.Request, page string, d *boardData, ferr error) error {
	if ferr != nil {
		return m.app.RenderForm(w, r, page, d, ferr)
	}
	m.app.Render(w, r, http.StatusOK, page, d)
	return nil
}

func (m *Pages) projector(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	return m.renderBoard(w, r, "cocreation/projector", ws, p, nil)
}

func (m *Pages) print(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	return m.renderBoard(w, r, "cocreation/print", ws, p, nil)
}

// liveNote is a note as the board's script receives it: no author.
type liveNote struct {
	ID        int64  `json:"id"`
	Prompt    int64  `json:"prompt"`
	Text      string `json:"text"`
	Theme     int64  `json:"theme"`
	FromPaper bool   `json:"paper"`
}

// events streams the workshop's new notes to an open board as
// server-sent events. A note posted through this process wakes the
// stream at once; notes posted through another process sharing the
// database are found by looking every Poll. Last-Event-ID resumes after a
// dropped connection.
func (m *Pages) events(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	last, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if last == 0 {
		last, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	}
	rc := http.NewResponseController(w)
	// The stream stays open for the whole workshop: the server's read and
	// write timeouts (which would cut it, and cancel the request, after
	// minutes) do not apply to it.
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil // the headers are the whole answer; no stream to hold open
	}
	fmt.Fprint(w, "retry: 2000\n\n")
	if err := rc.Flush(); err != nil {
		return nil
	}
	ctx := r.Context()
	poll := time.NewTicker(m.Poll)
	defer poll.Stop()
	heartbeat := time.NewTicker(20 * time.Second)
	defer heartbeat.Stop()
	for {
		wake := m.live.wait(ws.ID)
		notes, err := m.store.Notes(ctx, ws.ID, last)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			m.app.Log.Error("board events", "workshop", ws.ID, "err", err)
			return nil
		}
		for _, n := range notes {
			b, _ := json.Marshal(liveNote{ID: n.ID, Prompt: n.PromptID, Text: n.Text, Theme: n.ThemeID, FromPaper: n.FromPaper})
			fmt.Fprintf(w, "id: %d\nevent: note\ndata: %s\n\n", n.ID, b)
			last = n.ID
		}
		if len(notes) > 0 {
			if err := rc.Flush(); err != nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-poll.C:
		case <-heartbeat.C:
			fmt.Fprint(w, ": still here\n\n")
			if err := rc.Flush(); err != nil {
				return nil
			}
		}
	}
}

// exportCSV writes the board without anyone's name: prompt, theme, note,
// mark, whether a facilitator typed it from paper, and when.
func (m *Pages) exportCSV(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	d, err := m.boardData(r, ws, p)
	if err != nil {
		return err
	}
	prompts := map[int64]string{}
	for _, pr := range d.Prompts {
		prompts[pr.ID] = pr.Text
	}
	themes := map[int64]string{}
	for _, t := range d.Themes {
		themes[t.ID] = t.Name
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="workshop-%d.csv"`, ws.ID))
	cw := csvout.NewWriter(w, web.Lang(r))
	t := func(k string) string { return m.app.T(r, k) }
	cw.Write([]string{t("cc.csv.prompt"), t("cc.csv.theme"), t("cc.csv.note"), t("cc.csv.duplicates"), t("cc.csv.mark"), t("cc.csv.paper"), t("cc.csv.time")})
	for _, n := range d.Notes {
		mark := ""
		if n.Mark != "" {
			mark = t("cc.mark." + n.Mark)
		}
		paper := ""
		if n.FromPaper {
			paper = t("cc.csv.yes")
		}
		cw.Write([]string{prompts[n.PromptID], themes[n.ThemeID], n.Text, strconv.Itoa(n.Merged), mark, paper, n.CreatedAt.In(process.Stockholm).Format("2006-01-02 15:04")})
	}
	return cw.Flush()
}

// pauseBoard pauses a workshop's board or opens it again: while paused,
// participants' notes are refused (kept in their box) and a facilitator's
// from paper still go in.
func (m *Pages) pauseBoard(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	paused := r.FormValue("paused") == "1"
	if err := m.store.SetPaused(r.Context(), ws.ID, paused); err != nil {
		return err
	}
	if paused {
		m.app.Flash(r, "cc.flash.paused")
	} else {
		m.app.Flash(r, "cc.flash.resumed")
	}
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d/board", ws.ID))
}

func (m *Pages) addTheme(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	id, err := m.store.AddTheme(r.Context(), ws.ID, r.FormValue("theme"))
	if err != nil {
		return m.renderBoard(w, r, "cocreation/board", ws, p, err)
	}
	// Back at the new theme, not at the top of a board many screens long,
	// with a word there that it was added: no script needed.
	m.app.Sessions.Put(r.Context(), themeAddedKey, id)
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d/board#theme-%d", ws.ID, id))
}

// paperNote: a facilitator types in a note written on paper.
func (m *Pages) paperNote(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	prompt, _ := strconv.ParseInt(r.FormValue("prompt"), 10, 64)
	text := r.FormValue("text")
	if _, err := m.store.PostNote(r.Context(), p, ws.ID, prompt, 0, web.User(r).ID, text, r.FormValue("nonce")); err != nil {
		d, derr := m.boardData(r, ws, p)
		if derr != nil {
			return derr
		}
		d.Text = text // what she typed from the paper is not lost
		return m.renderBoardData(w, r, "cocreation/board", d, err)
	}
	m.live.wake(ws.ID)
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d/board", ws.ID))
}

// noteAction answers a board action: 204 to the board's script, a
// redirect back to the board for a form.
func noteAction(w http.ResponseWriter, r *http.Request, ws Workshop) error {
	if r.Header.Get("Accept") == "application/json" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d/board#note-%s", ws.ID, r.PathValue("note")))
}

func (m *Pages) noteFor(r *http.Request) (Workshop, process.Process, int64, error) {
	ws, p, err := m.workshopFor(r)
	if err != nil {
		return ws, p, 0, err
	}
	id, err := web.PathID(r, "note", process.ErrNotFound)
	return ws, p, id, err
}

func (m *Pages) moveNote(w http.ResponseWriter, r *http.Request) error {
	ws, p, id, err := m.noteFor(r)
	if err != nil {
		return err
	}
	theme, err := strconv.ParseInt(r.FormValue("theme"), 10, 64)
	if err != nil || theme < 0 {
		return problem.Field("theme", "form.invalid_choice")
	}
	if err := m.store.MoveNote(r.Context(), ws.ID, id, theme); err != nil {
		if r.Header.Get("Accept") == "application/json" {
			return err
		}
		return m.renderBoard(w, r, "cocreation/board", ws, p, err)
	}
	return noteAction(w, r, ws)
}

func (m *Pages) markNote(w http.ResponseWriter, r *http.Request) error {
	ws, _, id, err := m.noteFor(r)
	if err != nil {
		return err
	}
	if err := m.store.MarkNote(r.Context(), ws.ID, id, r.FormValue("mark")); err != nil {
		return err
	}
	return noteAction(w, r, ws)
}

func (m *Pages) mergeNote(w http.ResponseWriter, r *http.Request) error {
	ws, p, id, err := m.noteFor(r)
	if err != nil {
		return err
	}
	into, _ := strconv.ParseInt(r.FormValue("into"), 10, 64)
	if err := m.store.MergeNote(r.Context(), ws.ID, id, into); err != nil {
		return m.renderBoard(w, r, "cocreation/board", ws, p, err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d/board#note-%d", ws.ID, into))
}

func (m *Pages) newWorkshop(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "cocreation/workshop_form", map[string]any{"P": m.pages.View(r, p), "Form": WorkshopForm{Start: "17:00", End: "19:00"}})
	return nil
}

func readWorkshopForm(r *http.Request) WorkshopForm {
	return WorkshopForm{Title: r.FormValue("title"), Date: r.FormValue("date"), Start: r.FormValue("start"), End: r.FormValue("end"),
		Place: r.FormValue("place"), VideoURL: r.FormValue("video_url"), Agenda: r.FormValue("agenda"), Facilitators: r.FormValue("facilitators"),
		Interpreters: r.FormValue("interpreters"), Accessibility: r.FormValue("accessibility"), Capacity: r.FormValue("capacity")}
}

func (m *Pages) createWorkshop(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	f := readWorkshopForm(r)
	ws, err := f.Clean()
	if err != nil {
		return m.app.RenderForm(w, r, "cocreation/workshop_form", map[string]any{"P": m.pages.View(r, p), "Form": f}, err)
	}
	ws.ProcessID = p.ID
	id, err := m.store.SaveWorkshop(r.Context(), ws)
	if err != nil {
		return err
	}
	m.app.Flash(r, "cc.flash.saved")
	return web.Redirect(w, r, fmt.Sprintf("/workshops/%d", id))
}
