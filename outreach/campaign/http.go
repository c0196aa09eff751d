package campaign

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"megafon/outreach/contact/phone"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/web"
)

//go:embed templates
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

//go:embed assets
var assets embed.FS

var assetFiles = func() fs.FS { sub, _ := fs.Sub(assets, "assets"); return sub }()

// Module mounts campaigns on the web application.
type Module struct {
	// Contacts is the contact register; when nil, the module uses the one
	// a mounted module offers (CampaignContacts), whatever the order of
	// mounting.
	Contacts Contacts

	app      *web.App
	store    *Store
	ops      *operation.Store
	handbook *handbook.Store
	recent   recentCache
}

// ContactsProvider is a module that gives campaigns its contacts.
type ContactsProvider interface {
	CampaignContacts() Contacts
}

// Name is the module's name.
func (*Module) Name() string { return "campaign" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount).
func (m *Module) Store() *Store { return m.store }

// Access of the routes.
var (
	partakers = web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead, auth.Volunteer)
	editors   = web.Roles(auth.Admin, auth.Coordinator)
	callers   = web.Roles(auth.GroupLead, auth.Volunteer)
)

// Mount adds the campaign pages to app.
func (m *Module) Mount(app *web.App) {
	m.app = app
	m.store = &Store{DB: app.DB, Now: func() time.Time { return app.Now() }}
	m.ops = &operation.Store{DB: app.DB, Now: func() time.Time { return app.Now() }}
	m.handbook = handbook.NewStore(app.DB, func() time.Time { return app.Now() })
	for _, other := range app.Modules() {
		switch o := other.(type) {
		case *operation.Module:
			o.AddSignalSource(m.store)
		case *question.Module:
			// Its store exists once it is mounted, before or after this one.
			app.AfterMount(func() { o.Store().OnAnswered(m.callBackWithAnswer) })
		}
	}
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("campaign", web.Sub(templates, "templates"))
	app.Nav(web.NavItem{Key: "campaign.nav", Path: "/campaigns", Access: partakers, Order: 25})

	app.Handle("GET /campaigns", partakers, m.list)
	app.Handle("GET /operations/{id}/campaigns/new", editors, m.newForm)
	app.Handle("POST /operations/{id}/campaigns", editors, m.create)
	app.Handle("GET /campaigns/{id}", partakers, m.show)
	app.Handle("GET /campaigns/{id}/edit", editors, m.editForm)
	app.Handle("POST /campaigns/{id}", editors, m.update)
	app.Handle("POST /campaigns/{id}/fill", editors, m.fill)
	app.Handle("GET /campaigns/{id}/translate", editors, m.translateForm)
	app.Handle("POST /campaigns/{id}/translate", editors, m.translate)
	app.Handle("GET /campaigns/{id}/progress.json", partakers, m.progressJSON)
	app.Handle("GET /campaigns/{id}/export", partakers, m.export)
	app.Handle("GET /campaigns/{id}/call", callers, m.callStart)
	app.Handle("POST /campaigns/{id}/next", callers, m.next)
	app.Handle("GET /campaigns/{id}/calls/{entry}", callers, m.callScreen)
	app.Handle("POST /campaigns/{id}/calls/{entry}", callers, m.recordOutcome)
	app.ServeAssets("/assets/campaign/", assetFiles)
}

// callBackWithAnswer queues, when a question's answer is verified, a
// callback to each resident who asked it on a call and agreed to hear the
// answer (Store.QueueAnswerCallbacks). The register is asked whether she
// may still be called; it reads outside the verifying transaction, which
// is safe since it only reads.
func (m *Module) callBackWithAnswer(ctx context.Context, tx *sql.Tx, a question.Answer) error {
	var callable callableFunc
	if c := m.contacts(); c != nil {
		callable = c.Callable
	}
	_, err := m.store.QueueAnswerCallbacks(ctx, tx, callable, a)
	return err
}

// contacts is the contact register, or nil when none is mounted.
func (m *Module) contacts() Contacts {
	if m.Contacts != nil {
		return m.Contacts
	}
	for _, other := range m.app.Modules() {
		if p, ok := other.(ContactsProvider); ok {
			return p.CampaignContacts()
		}
	}
	return nil
}

var errNotFound = problem.New(problem.NotFound, "error.not_found")

// campaignFor loads the campaign of the path and its operation, and
// answers 404 to whoever may not know it exists.
func (m *Module) campaignFor(r *http.Request) (Campaign, operation.Operation, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return Campaign{}, operation.Operation{}, err
	}
	c, op, err := m.load(r.Context(), id)
	if err != nil {
		return c, op, err
	}
	if !CanSee(web.User(r), op, c) {
		return c, op, errNotFound
	}
	return c, op, nil
}

// load returns the campaign and its operation, from a cache of a
// couple of seconds: every Next, call screen and outcome needs both, and
// reading them was a fifth of a request's work under load. A change made
// here clears the entry at once; one made by another process shows within
// cacheFor.
func (m *Module) load(ctx context.Context, id int64) (Campaign, operation.Operation, error) {
	now := time.Now()
	if e, ok := m.recent.get(id, now); ok {
		return e.c, e.op, nil
	}
	c, err := m.store.Get(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return c, operation.Operation{}, errNotFound
	}
	if err != nil {
		return c, operation.Operation{}, err
	}
	op, err := m.ops.Get(ctx, c.OperationID)
	if err != nil {
		return c, op, err
	}
	m.recent.put(id, cached{c: c, op: op, at: now})
	return c, op, nil
}

// cacheFor is how long a campaign and its operation are served from memory.
const cacheFor = 2 * time.Second

type cached struct {
	c  Campaign
	op operation.Operation
	at time.Time
}

type recentCache struct {
	mu sync.Mutex
	m  map[int64]cached
}

func (rc *recentCache) get(id int64, now time.Time) (cached, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.m[id]
	return e, ok && now.Sub(e.at) < cacheFor && now.After(e.at)
}

func (rc *recentCache) put(id int64, e cached) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.m == nil || len(rc.m) > 1000 {
		rc.m = map[int64]cached{}
	}
	rc.m[id] = e
}

func (rc *recentCache) forget(id int64) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	delete(rc.m, id)
}

// listData is the campaigns page.
type listData struct {
	Items []listItem
	Ops   []operation.Operation // where the reader may create campaigns
}

type listItem struct {
	Campaign
	OpName   string
	Progress Progress
	Caller   bool
	Reader   bool
}

func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), web.User(r)
	ops, err := m.ops.ListFor(ctx, u)
	if err != nil {
		return err
	}
	byID := map[int64]operation.Operation{}
	var ids []int64
	var data listData
	for _, op := range ops {
		byID[op.ID] = op
		ids = append(ids, op.ID)
		if CanEdit(u, op) {
			data.Ops = append(data.Ops, op)
		}
	}
	cs, err := m.store.ForOperations(ctx, ids)
	if err != nil {
		return err
	}
	for _, c := range cs {
		op := byID[c.OperationID]
		if !CanSee(u, op, c) {
			continue
		}
		item := listItem{Campaign: c, OpName: op.Name, Caller: len(CallerGroups(u, op, c)) > 0, Reader: CanSeeProgress(u, op, c)}
		if item.Reader {
			if item.Progress, err = m.store.Progress(ctx, c); err != nil {
				return err
			}
		}
		data.Items = append(data.Items, item)
	}
	m.app.Render(w, r, http.StatusOK, "campaign/list", data)
	return nil
}

// showData is the campaign page with its progress.
type showData struct {
	C         Campaign
	Op        operation.Operation
	Progress  Progress
	CanEdit   bool
	Caller    bool
	Reader    bool
	Groups    []string
	Outcomes  []Outcome
	MaxByDay  int
	Questions []Question
}

func (m *Module) show(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	d := showData{C: c, Op: op, CanEdit: CanEdit(u, op), Caller: len(CallerGroups(u, op, c)) > 0, Reader: CanSeeProgress(u, op, c), Outcomes: Outcomes}
	if d.Reader {
		if d.Progress, err = m.store.Progress(r.Context(), c); err != nil {
			return err
		}
		for _, t := range d.Progress.ByDay {
			d.MaxByDay = max(d.MaxByDay, t.Calls)
		}
	}
	names, err := m.orgNames(r.Context())
	if err != nil {
		return err
	}
	for _, g := range c.GroupIDs {
		d.Groups = append(d.Groups, names[g])
	}
	m.app.Render(w, r, http.StatusOK, "campaign/show", d)
	return nil
}

func (m *Module) orgNames(ctx context.Context) (map[int64]string, error) {
	orgs, err := m.app.Auth.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, o := range orgs {
		out[o.ID] = o.Name
	}
	return out, nil
}

func (m *Module) progressJSON(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return err
	}
	if !CanSeeProgress(web.User(r), op, c) {
		return errNotFound
	}
	p, err := m.store.Progress(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, p)
}

// fill queues the contacts that the groups added since the campaign
// began (or since the last fill).
func (m *Module) fill(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return err
	}
	if !CanEdit(web.User(r), op) {
		return problem.New(problem.Forbidden, "error.forbidden")
	}
	if err := m.fillQueue(r.Context(), c); err != nil {
		return err
	}
	m.app.Flash(r, "campaign.flash.filled")
	return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d", c.ID))
}

func (m *Module) fillQueue(ctx context.Context, c Campaign) error {
	contacts := m.contacts()
	if contacts == nil {
		return problem.New(problem.Conflict, "campaign.error.no_contacts")
	}
	cs, err := contacts.ForGroups(ctx, c.GroupIDs)
	if err != nil {
		return err
	}
	_, err = m.store.FillQueue(ctx, c, cs)
	return err
}

// CallStart is the volunteer's page before a call: the campaign and the
// Next button.
type callStart struct {
	C        Campaign
	Op       operation.Operation
	Mine     int // calls she recorded today
	Problem  string
	Speaks   []string
	NoLangs  bool
	Progress Progress
}

func (m *Module) callStart(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	if len(CallerGroups(u, op, c)) == 0 {
		return errNotFound
	}
	d := callStart{C: c, Op: op, Speaks: u.Languages, NoLangs: len(u.Languages) == 0}
	if d.Mine, err = m.store.CallsToday(r.Context(), c.ID, u.ID, m.app.Now()); err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "campaign/call", d)
	return nil
}

func (m *Module) next(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	groups := CallerGroups(u, op, c)
	if len(groups) == 0 {
		return errNotFound
	}
	l, err := m.claimCallable(r.Context(), c, u, groups)
	if errors.Is(err, ErrNothingToCall) {
		m.app.Flash(r, "campaign.error.nothing_to_call")
		return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d/call", c.ID))
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d/calls/%d?seq=%d", c.ID, l.EntryID, l.Seq))
}

// maxRemoved bounds how many uncallable contacts one Next takes out of
// the queue before it gives up for now (a mass deletion is cleared over
// a few presses rather than in one slow request).
const maxRemoved = 50

// claimCallable claims the next contact for the caller that the register
// still has and may call. The queue keeps only contact ids, so a contact
// deleted after the queue filled (its retention date, a group lead) or
// blocked (do not call, by any group) is found here, when it comes up,
// and leaves the queue; the volunteer never sees it.
func (m *Module) claimCallable(ctx context.Context, c Campaign, u *auth.User, groups []int64) (Lease, error) {
	contacts := m.contacts()
	if contacts == nil {
		return Lease{}, problem.New(problem.Conflict, "campaign.error.no_contacts")
	}
	for range maxRemoved {
		l, err := m.store.ClaimNext(ctx, c, u, groups)
		if err != nil {
			return l, err
		}
		ok, err := contacts.Callable(ctx, l.ContactID)
		if err != nil {
			return l, err
		}
		if ok {
			return l, nil
		}
		if err := m.store.Remove(ctx, c, l); err != nil {
			return l, err
		}
	}
	return Lease{}, ErrNothingToCall
}

// screenData is the call screen.
type screenData struct {
	C             Campaign
	Lease         Lease
	Seq           int
	Who           Revealed
	Tel           template.URL // digits only, see phone.TelURI
	Language      string       // the call's
	Others        []string     // the resident's other languages
	Script        *handbook.CallerEntry
	Entries       []handbook.CallerEntry
	AnswerChoices []handbook.CallerEntry // the script and the entries, for "I answered with"
	// ResidentLanguages are the call's language and her others, for the
	// language her question was asked in.
	ResidentLanguages []string
	Outcomes          []Outcome
	Topics            []string
	Languages         []string // for "needs another language"
	YesNo             []string
	Form              screenForm
	LastResult        string
	Questions         []shownQuestion
	// Answers are what she calls back with, when the resident asked a
	// question on an earlier call and its answer is verified now.
	Answers []handbook.CallerEntry
}

// shownQuestion is a question on the call screen: in the volunteer's
// interface language (or the Swedish, marked as such), and beside it the
// wording to ask the resident in when her language differs and has a
// fresh translation.
type shownQuestion struct {
	Kind QuestionKind
	Wording
	Ask *Wording
}

// NameHTML is the resident's name, which may be written in Arabic script
// (handbook.RichUserText).
func (d *screenData) NameHTML() template.HTML { return handbook.RichUserText(d.Who.Name) }

type screenForm struct {
	Outcome       string
	CallbackAt    string
	OtherLanguage string
	Answers       map[int]string
	AskedText     string
	AskedTopics   []string
	Escalate      bool
	Summary       string
	AnsweredWith  string // "entry:version"
	CallbackOK    bool
	AskedLanguage string
}

// callScreen shows whom to call and what to say. Opening it reveals the
// contact's name and number, which the contact register audits.
func (m *Module) callScreen(w http.ResponseWriter, r *http.Request) error {
	c, op, l, err := m.heldFor(r)
	if errors.Is(err, ErrLeaseLost) {
		// A screen shows only the contact she holds now: another's, an
		// unclaimed one and her own lost one are all "not found".
		return errNotYours
	}
	if err != nil {
		return err
	}
	d, err := m.screen(r, c, op, l)
	if errors.Is(err, db.ErrNotFound) {
		// Deleted or blocked between Next and this screen: out of the
		// queue, and on to the next.
		if err := m.store.Remove(r.Context(), c, l); err != nil {
			return err
		}
		m.app.Flash(r, "campaign.flash.contact_removed")
		return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d/call", c.ID))
	}
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "campaign/screen", d)
	return nil
}

// heldFor loads the campaign and the entry the volunteer holds.
func (m *Module) heldFor(r *http.Request) (Campaign, operation.Operation, Lease, error) {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return c, op, Lease{}, err
	}
	u := web.User(r)
	groups := CallerGroups(u, op, c)
	if len(groups) == 0 {
		return c, op, Lease{}, errNotFound
	}
	entry, err := web.PathID(r, "entry", errNotFound)
	if err != nil {
		return c, op, Lease{}, err
	}
	seq, err := strconv.Atoi(r.FormValue("seq"))
	if err != nil {
		return c, op, Lease{}, errNotFound
	}
	l, err := m.store.Held(r.Context(), c.ID, entry, seq, u)
	if err != nil {
		return c, op, l, err
	}
	if !slices.Contains(groups, l.OrgID) {
		return c, op, l, errNotFound
	}
	return c, op, l, nil
}

func (m *Module) screen(r *http.Request, c Campaign, op operation.Operation, l Lease) (*screenData, error) {
	ctx, u := r.Context(), web.User(r)
	contacts := m.contacts()
	if contacts == nil {
		return nil, problem.New(problem.Conflict, "campaign.error.no_contacts")
	}
	who, err := contacts.Reveal(ctx, l.ContactID, u, web.ClientAddr(r))
	if err != nil {
		return nil, fmt.Errorf("call screen: %w", err)
	}
	lang := CallLanguage(l.Languages, u.Languages)
	d := &screenData{C: c, Lease: l, Seq: l.Seq, Who: who, Tel: phone.TelURI(who.Phone), Language: lang, Outcomes: Outcomes,
		Topics: handbook.Topics, Languages: callLanguages, YesNo: YesNoAnswers, Form: screenForm{Answers: map[int]string{}}}
	for _, o := range l.Languages {
		if o != lang {
			d.Others = append(d.Others, o)
		}
	}
	ui := web.Lang(r)
	for _, q := range c.Questions {
		sq := shownQuestion{Kind: q.Kind, Wording: q.In(ui)}
		_, fresh := q.Fresh(lang)
		if lang == handbook.Swedish {
			fresh = true // the source itself
		}
		if fresh && lang != ui && i18n.UILang(lang).HTML != sq.Lang {
			w := q.In(lang)
			w.Fallback = false
			sq.Ask = &w
		}
		d.Questions = append(d.Questions, sq)
	}
	// The resident's language first, then her others; Swedish is the
	// fallback, marked on the page.
	langs := append([]string{lang}, d.Others...)
	now := m.app.Now()
	if c.ScriptEntryID != 0 {
		e, _, err := m.handbook.Entry(ctx, c.ScriptEntryID, langs, now)
		if err == nil {
			d.Script = &e
		} else if !errors.Is(err, handbook.ErrNotFound) {
			return nil, err
		}
	}
	callbacks, err := m.store.AnswerCallbacks(ctx, l)
	if err != nil {
		return nil, err
	}
	for _, cb := range callbacks {
		// In the language she asked in; Swedish, marked, when the answer
		// has no translation into it yet.
		e, _, err := m.handbook.Entry(ctx, cb.EntryID, []string{cb.Language}, now)
		if errors.Is(err, handbook.ErrNotFound) {
			continue // withdrawn or expired since: nothing verified to read out
		}
		if err != nil {
			return nil, err
		}
		d.Answers = append(d.Answers, e)
	}
	for _, id := range c.EntryIDs {
		e, _, err := m.handbook.Entry(ctx, id, langs, now)
		if errors.Is(err, handbook.ErrNotFound) {
			continue // no longer verified or valid: callers only read what is
		}
		if err != nil {
			return nil, err
		}
		d.Entries = append(d.Entries, e)
	}
	d.ResidentLanguages = append([]string{lang}, d.Others...)
	// What she may say she answered with: the script and the entries, in
	// the versions on the screen.
	if d.Script != nil {
		d.AnswerChoices = append(d.AnswerChoices, *d.Script)
	}
	for _, e := range d.Entries {
		if d.Script == nil || e.EntryID != d.Script.EntryID {
			d.AnswerChoices = append(d.AnswerChoices, e)
		}
	}
	return d, nil
}

// callLanguages are offered for "needs another language".
var callLanguages = []string{"sv", "en", "ar", "so", "ti", "prs", "fa", "bs", "ku", "tr", "pl", "uk", "ru", "es", "fr", "am", "sq"}

func (m *Module) recordOutcome(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	groups := CallerGroups(u, op, c)
	if len(groups) == 0 {
		return errNotFound
	}
	entry, err := web.PathID(r, "entry", errNotFound)
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PostFormValue("seq"))
	if err != nil {
		return problem.New(problem.BadRequest, "error.bad_request")
	}
	rep, form := reportFrom(r, c)
	rep.EntryID, rep.Seq = entry, seq
	// One claim is recorded once: its key is the claim itself, so a
	// double tap, a retried request or a second tab records nothing more.
	rep.Key = fmt.Sprintf("%d-%d-%d", c.ID, entry, seq)
	now := m.app.Now()
	if err := rep.Validate(c, now); err != nil {
		l, herr := m.store.Held(r.Context(), c.ID, entry, seq, u)
		if herr != nil {
			return herr
		}
		d, serr := m.screen(r, c, op, l)
		if serr != nil {
			return serr
		}
		d.Form = form
		return m.app.RenderForm(w, r, "campaign/screen", d, err)
	}
	if rep.Outcome == DoNotCall {
		contacts := m.contacts()
		if contacts == nil {
			return problem.New(problem.Conflict, "campaign.error.no_contacts")
		}
		l, err := m.store.Held(r.Context(), c.ID, entry, seq, u)
		switch {
		case errors.Is(err, ErrLeaseLost):
			// Recorded already (a double tap) or lost: RecordOutcome says which.
		case err != nil:
			return err
		default:
			if err := contacts.DoNotCall(r.Context(), l.ContactID, u); err != nil {
				return err
			}
		}
	}
	rec, err := m.store.RecordOutcome(r.Context(), c, u, rep)
	if err != nil {
		return err
	}
	switch {
	case rec.Duplicate:
		m.app.Flash(r, "campaign.flash.already_recorded")
	case rep.Masked:
		// She is told, so that she knows what the city will read.
		m.app.Flash(r, "campaign.flash.recorded_masked")
	default:
		m.app.Flash(r, "campaign.flash.recorded")
	}
	return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d/call", c.ID))
}

// reportFrom reads the call screen's form.
func reportFrom(r *http.Request, c Campaign) (Report, screenForm) {
	f := screenForm{
		Outcome: r.PostFormValue("outcome"), CallbackAt: r.PostFormValue("callback_at"), OtherLanguage: r.PostFormValue("other_language"),
		AskedText: r.PostFormValue("asked_text"), AskedTopics: r.PostForm["asked_topics"], Escalate: r.PostFormValue("escalate") != "",
		Summary: r.PostFormValue("asked_summary"), AnsweredWith: r.PostFormValue("answered_with"), CallbackOK: r.PostFormValue("callback_ok") != "",
		AskedLanguage: r.PostFormValue("asked_language"),
		Answers:       map[int]string{},
	}
	rep := Report{Outcome: Outcome(f.Outcome), OtherLanguage: f.OtherLanguage, AskedText: f.AskedText, AskedTopics: f.AskedTopics,
		Escalate: f.Escalate, Summary: f.Summary, CallbackOK: f.CallbackOK, AskedLanguage: f.AskedLanguage, Answers: Answers{}}
	if f.AnsweredWith != "" {
		// An entry that is not the campaign's is refused by Validate.
		entry, version, _ := strings.Cut(f.AnsweredWith, ":")
		rep.AnsweredWith, _ = strconv.ParseInt(entry, 10, 64)
		rep.AnsweredVer, _ = strconv.ParseInt(version, 10, 64)
		if rep.AnsweredWith == 0 {
			rep.AnsweredWith = -1
		}
	}
	for i := range c.Questions {
		if v := r.PostFormValue(fmt.Sprintf("a%d", i)); v != "" {
			f.Answers[i], rep.Answers[i] = v, v
		}
	}
	if f.CallbackAt != "" {
		if t, err := web.ParseLocalTime(f.CallbackAt); err == nil {
			rep.CallbackAt = &t
		}
	}
	return rep, f
}
