// Package workshop is co-creation's workshops: their sign-up and
// attendance, the prompts a facilitator opens, the notes participants post
// from their phones (and process.Facilitators from paper), and the board where
// notes are grouped into themes, live, on a projector, in print and as
// CSV. It builds on cocreation/process; its tables are in the migration
// set "cocreation" of that package.
package workshop

import (
	"embed"
	"net/http"
	"sync"
	"time"

	"megafon/cocreation/process"
	"megafon/platform/web"
)

//go:embed templates
var templateFiles embed.FS

// Store keeps workshops with their prompts, notes and themes, over the
// processes and participants of process.Store.
type Store struct {
	*process.Store
}

// Pages are the workshops' pages: a facilitator's, and a participant's.
type Pages struct {
	app   *web.App
	store *Store
	pages *process.Pages
	live  hub
	// Poll is how often an open board looks for notes written through
	// another server process (notes posted through this one wake it at
	// once). Zero: every second.
	Poll time.Duration
}

// NewPages are the workshops' pages over store, sharing the process's
// pieces of pages.
func NewPages(pages *process.Pages, store *Store, poll time.Duration) *Pages {
	if poll == 0 {
		poll = time.Second
	}
	return &Pages{app: pages.App, store: store, pages: pages, Poll: poll}
}

// Mount adds the workshops' templates and routes to app.
func (m *Pages) Mount(app *web.App) {
	app.Templates("cocreation", web.Sub(templateFiles, "templates"))

	// Facilitators.
	app.Handle("GET /processes/{id}/workshops/new", process.Facilitators, m.newWorkshop)
	app.Handle("POST /processes/{id}/workshops", process.Facilitators, m.createWorkshop)
	app.Handle("GET /workshops/{id}", process.Facilitators, m.workshop)
	app.Handle("GET /workshops/{id}/edit", process.Facilitators, m.editWorkshop)
	app.Handle("POST /workshops/{id}", process.Facilitators, m.updateWorkshop)
	app.Handle("GET /workshops/{id}/translations", process.Facilitators, m.workshopTranslations)
	app.Handle("POST /workshops/{id}/translations", process.Facilitators, m.translateWorkshop)
	app.Handle("POST /workshops/{id}/attendance", process.Facilitators, m.attendance)
	app.Handle("POST /workshops/{id}/prompts", process.Facilitators, m.openPrompt)
	app.Handle("POST /workshops/{id}/prompts/{prompt}", process.Facilitators, m.togglePrompt)
	app.Handle("GET /workshops/{id}/board", process.Facilitators, m.board)
	app.Handle("GET /workshops/{id}/events", process.Facilitators, m.events)
	app.Handle("GET /workshops/{id}/projector", process.Facilitators, m.projector)
	app.Handle("GET /workshops/{id}/export.csv", process.Facilitators, m.exportCSV)
	app.Handle("GET /workshops/{id}/print", process.Facilitators, m.print)
	app.Handle("POST /workshops/{id}/pause", process.Facilitators, m.pauseBoard)
	app.Handle("POST /workshops/{id}/themes", process.Facilitators, m.addTheme)
	app.Handle("POST /workshops/{id}/notes", process.Facilitators, m.paperNote)
	app.Handle("POST /workshops/{id}/notes/{note}/theme", process.Facilitators, m.moveNote)
	app.Handle("POST /workshops/{id}/notes/{note}/mark", process.Facilitators, m.markNote)
	app.Handle("POST /workshops/{id}/notes/{note}/merge", process.Facilitators, m.mergeNote)

	// Participants: no account, a token in a cookie.
	app.Handle("GET /p/w/{id}", web.Public, m.participantWorkshop)
	app.Handle("POST /p/w/{id}/signup", web.Public, m.signUp)
	app.Handle("POST /p/w/{id}/notes", web.Public, m.postNote)
}

// workshopFor reads the workshop of the path and its process, for its
// process.Facilitators; 404 otherwise.
func (m *Pages) workshopFor(r *http.Request) (Workshop, process.Process, error) {
	id, err := web.PathID(r, "id", process.ErrNotFound)
	if err != nil {
		return Workshop{}, process.Process{}, err
	}
	w, err := m.store.Workshop(r.Context(), id)
	if err != nil {
		return w, process.Process{}, err
	}
	p, err := m.store.Process(r.Context(), w.ProcessID)
	if err != nil {
		return w, p, err
	}
	if !process.CanFacilitate(web.User(r), p) {
		return w, p, process.ErrNotFound
	}
	return w, p, nil
}

// hub wakes the open boards of a workshop when a note is posted through
// this process.
type hub struct {
	mu sync.Mutex
	ch map[int64]chan struct{}
}

func (h *hub) wait(workshopID int64) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ch == nil {
		h.ch = map[int64]chan struct{}{}
	}
	c, ok := h.ch[workshopID]
	if !ok {
		c = make(chan struct{})
		h.ch[workshopID] = c
	}
	return c
}

func (h *hub) wake(workshopID int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.ch[workshopID]; ok {
		close(c)
		delete(h.ch, workshopID)
	}
}
