package question

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/richtext"
	"megafon/platform/web"
)

// Who may reach the routes at all; each handler then checks the object.
var (
	partakers = web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead, auth.Volunteer)
	triagers  = web.Roles(auth.Admin, auth.Coordinator)
	askers    = web.Roles(auth.GroupLead, auth.Volunteer)
)

func (m *Module) routes(app *web.App) {
	app.Nav(web.NavItem{Key: "question.nav", Path: "/questions", Access: partakers, Order: 27})
	app.Handle("GET /questions", partakers, m.index)
	app.Handle("GET /operations/{id}/questions", triagers, m.triage)
	app.Handle("GET /operations/{id}/questions/new", askers, m.newForm)
	app.Handle("GET /operations/{id}/topics", web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead), m.topics)
	app.Handle("POST /operations/{id}/questions", askers, m.create)
	app.Handle("GET /questions/{id}", triagers, m.show)
	app.Handle("POST /questions/{id}/take", triagers, m.take)
	app.Handle("POST /questions/{id}/merge", triagers, m.merge)
	app.Handle("POST /questions/{id}/answer", triagers, m.answer)
	app.Handle("POST /questions/{id}/close", triagers, m.close)
}

// CanTriage reports whether u handles the escalated questions of op: the
// coordinators of its lead administration, and administrators.
func CanTriage(u *auth.User, op operation.Operation) bool {
	return u.IsAdmin() || u.HasIn(op.LeadOrgID, auth.Coordinator)
}

// AskerGroup is the group in which u records questions of op: one of
// hers that takes part in it, or 0.
func AskerGroup(u *auth.User, op operation.Operation) int64 {
	for _, g := range op.GroupIDs {
		if u.HasIn(g, auth.GroupLead, auth.Volunteer) {
			return g
		}
	}
	return 0
}

var errNotFound = problem.New(problem.NotFound, "error.not_found")

// indexData is the questions start page: per operation, what the reader
// does with questions there.
type indexData struct{ Ops []indexOp }

type indexOp struct {
	Op      operation.Operation
	Triage  bool
	Ask     bool
	Topics  bool
	Open    int
	Overdue int
}

func (m *Module) index(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	ops, err := m.ops.ListFor(r.Context(), u)
	if err != nil {
		return err
	}
	now := m.app.Now()
	d := &indexData{}
	for _, op := range ops {
		io := indexOp{Op: op, Triage: CanTriage(u, op), Ask: AskerGroup(u, op) != 0, Topics: CanSeeTopics(u, op)}
		if !io.Triage && !io.Ask && !io.Topics {
			continue
		}
		if io.Triage {
			if io.Open, io.Overdue, err = m.store.OpenCounts(r.Context(), op.ID, now); err != nil {
				return err
			}
		}
		d.Ops = append(d.Ops, io)
	}
	m.app.Render(w, r, http.StatusOK, "question/index", d)
	return nil
}

// operationFor loads the operation of the path when u may see it.
func (m *Module) operationFor(r *http.Request) (operation.Operation, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return operation.Operation{}, err
	}
	return m.ops.GetFor(r.Context(), web.User(r), id)
}

// triageData is the city's page of escalated questions.
type triageData struct {
	Op      operation.Operation
	Items   []item
	Total   int
	Settled []item
}

// item is a question as a page shows it.
type item struct {
	Question
	TextHTML    template.HTML
	SummaryHTML template.HTML
	Overdue     bool
	DueIn       string // "3 h 20 min", or how long overdue
}

func (m *Module) item(r *http.Request, q Question, now time.Time) item {
	it := item{Question: q, TextHTML: richtext.Text(q.Text, q.Language), SummaryHTML: richtext.Text(q.Summary, handbook.Swedish), Overdue: q.Overdue(now)}
	if !q.DueAt.IsZero() {
		d := q.DueAt.Sub(now)
		if d < 0 {
			d = -d
		}
		it.DueIn = m.app.Catalogue.T(web.Lang(r), "question.duration", "Hours", int(d/time.Hour), "Minutes", int(d%time.Hour/time.Minute))
	}
	return it
}

func (m *Module) triage(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	if !CanTriage(web.User(r), op) {
		return errNotFound
	}
	qs, total, err := m.store.Triage(r.Context(), op.ID)
	if err != nil {
		return err
	}
	settled, err := m.store.Settled(r.Context(), op.ID, 20)
	if err != nil {
		return err
	}
	now := m.app.Now()
	d := &triageData{Op: op, Total: total}
	for _, q := range qs {
		d.Items = append(d.Items, m.item(r, q, now))
	}
	for _, q := range settled {
		d.Settled = append(d.Settled, m.item(r, q, now))
	}
	m.app.Render(w, r, http.StatusOK, "question/triage", d)
	return nil
}

// questionFor loads the question of the path and its operation, for one
// who triages it; to anyone else it does not exist.
func (m *Module) questionFor(r *http.Request) (Question, operation.Operation, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return Question{}, operation.Operation{}, err
	}
	q, err := m.store.Get(r.Context(), id)
	if err != nil {
		return q, operation.Operation{}, err
	}
	op, err := m.ops.GetFor(r.Context(), web.User(r), q.OperationID)
	if err != nil {
		return q, op, err
	}
	if !CanTriage(web.User(r), op) {
		return q, op, errNotFound
	}
	return q, op, nil
}

// showData is one question with what the city can do with it.
type showData struct {
	Op       operation.Operation
	Q        item
	Others   []item                 // other open escalations, to merge into this one
	Entries  []handbook.EditorEntry // the operation's entries, to answer with
	Answer   answerForm
	Reason   string
	Merged   []item // questions merged into it
	Into     *item  // the question it was merged into
	ValidMax string
}

type answerForm struct {
	Mode, Title, Body, ValidUntil, Entry string
	Now                                  bool
}

func (m *Module) show(w http.ResponseWriter, r *http.Request) error {
	q, op, err := m.questionFor(r)
	if err != nil {
		return err
	}
	d, err := m.showData(r, q, op)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "question/show", d)
	return nil
}

func (m *Module) showData(r *http.Request, q Question, op operation.Operation) (*showData, error) {
	ctx, now := r.Context(), m.app.Now()
	d := &showData{Op: op, Q: m.item(r, q, now),
		Answer: answerForm{Mode: "new", Title: q.Summary, ValidUntil: now.AddDate(0, 3, 0).Format(time.DateOnly)}}
	if q.State.Open() {
		open, _, err := m.store.Triage(ctx, op.ID)
		if err != nil {
			return nil, err
		}
		for _, o := range open {
			if o.ID != q.ID && o.State == Escalated {
				d.Others = append(d.Others, m.item(r, o, now))
			}
		}
		entries, err := m.handbook.ForEditors(ctx, op.ID, now)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.Archived {
				d.Entries = append(d.Entries, e)
			}
		}
	}
	merged, err := m.store.list(ctx, `WHERE q.merged_into = $1 ORDER BY q.created_at`, q.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range merged {
		d.Merged = append(d.Merged, m.item(r, o, now))
	}
	if q.MergedInto != 0 {
		into, err := m.store.Get(ctx, q.MergedInto)
		if err != nil {
			return nil, err
		}
		it := m.item(r, into, now)
		d.Into = &it
	}
	return d, nil
}

func (m *Module) take(w http.ResponseWriter, r *http.Request) error {
	q, _, err := m.questionFor(r)
	if err != nil {
		return err
	}
	if err := m.store.Take(r.Context(), q.ID, web.User(r)); err != nil {
		return err
	}
	m.app.Flash(r, "question.flash.taken")
	return web.Redirect(w, r, fmt.Sprintf("/questions/%d", q.ID))
}

func (m *Module) merge(w http.ResponseWriter, r *http.Request) error {
	q, op, err := m.questionFor(r)
	if err != nil {
		return err
	}
	var from []int64
	for _, v := range r.PostForm["from"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return problem.Field("from", "question.error.merge_none")
		}
		from = append(from, id)
	}
	if err := m.store.Merge(r.Context(), q.ID, from, web.User(r)); err != nil {
		if _, ok := problem.As(err); ok && isField(err) {
			d, derr := m.showData(r, q, op)
			if derr != nil {
				return derr
			}
			return m.app.RenderForm(w, r, "question/show", d, err)
		}
		return err
	}
	m.app.Flash(r, "question.flash.merged")
	return web.Redirect(w, r, fmt.Sprintf("/questions/%d", q.ID))
}

// isField reports whether the problems in err belong to form fields, so
// that the form is shown again with them.
func isField(err error) bool {
	l, ok := problem.As(err)
	if !ok {
		return false
	}
	for _, e := range l {
		if e.Field == "" {
			return false
		}
	}
	return true
}

func (m *Module) answer(w http.ResponseWriter, r *http.Request) error {
	q, op, err := m.questionFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	f := answerForm{Mode: r.PostFormValue("mode"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		ValidUntil: r.PostFormValue("valid_until"), Entry: r.PostFormValue("entry"), Now: r.PostFormValue("now") != ""}
	fail := func(err error) error {
		if !isField(err) {
			return err
		}
		d, derr := m.showData(r, q, op)
		if derr != nil {
			return derr
		}
		d.Answer = f
		return m.app.RenderForm(w, r, "question/show", d, err)
	}
	switch f.Mode {
	case "new":
		if !handbook.CanEdit(u, op.LeadOrgID) {
			return errNotFound
		}
		topics := q.Topics
		if len(topics) == 0 {
			topics = []string{"other"}
		}
		entry, err := m.store.AnswerNew(r.Context(), m.handbook, q.ID, u, handbook.EntryDraft{Kind: handbook.QA, Topics: topics,
			ValidUntil: f.ValidUntil, Translations: []handbook.Translation{{Lang: handbook.Swedish, Title: f.Title, Body: f.Body}}})
		if err != nil {
			return fail(err)
		}
		m.app.Flash(r, "question.flash.answer_drafted")
		return web.Redirect(w, r, fmt.Sprintf("/handbook/%d/edit", entry))
	case "existing":
		entry, err := strconv.ParseInt(f.Entry, 10, 64)
		if err != nil || entry <= 0 {
			return fail(errEntry)
		}
		if err := m.store.AnswerWith(r.Context(), q.ID, entry, u, f.Now); err != nil {
			return fail(err)
		}
		if f.Now {
			m.app.Flash(r, "question.flash.answered")
			return web.Redirect(w, r, fmt.Sprintf("/questions/%d", q.ID))
		}
		m.app.Flash(r, "question.flash.answer_linked")
		return web.Redirect(w, r, fmt.Sprintf("/handbook/%d/edit", entry))
	}
	return problem.Field("mode", "question.error.mode")
}

func (m *Module) close(w http.ResponseWriter, r *http.Request) error {
	q, op, err := m.questionFor(r)
	if err != nil {
		return err
	}
	c := CloseDraft{Reason: r.PostFormValue("reason")}
	if err := m.store.Close(r.Context(), q.ID, web.User(r), c); err != nil {
		if isField(err) {
			d, derr := m.showData(r, q, op)
			if derr != nil {
				return derr
			}
			d.Reason = c.Reason
			return m.app.RenderForm(w, r, "question/show", d, err)
		}
		return err
	}
	m.app.Flash(r, "question.flash.closed")
	return web.Redirect(w, r, fmt.Sprintf("/operations/%d/questions", op.ID))
}

// newData is the volunteer's form for a question asked outside a call.
type newData struct {
	Op          operation.Operation
	Form        newForm
	Topics      []string
	LangOptions []option
	Key         string
	Mine        []item
	Masked      bool
}

type option struct{ Value, Label string }

type newForm struct {
	Language, Text, Summary string
	Topics                  []string
	Escalate                bool
}

func (m *Module) askerFor(r *http.Request) (operation.Operation, int64, error) {
	op, err := m.operationFor(r)
	if err != nil {
		return op, 0, err
	}
	g := AskerGroup(web.User(r), op)
	if g == 0 {
		return op, 0, errNotFound
	}
	return op, g, nil
}

func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	op, _, err := m.askerFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	lang := web.Lang(r)
	if len(u.Languages) > 0 {
		lang = u.Languages[0]
	}
	d, err := m.newData(r, op, newForm{Language: lang})
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "question/new", d)
	return nil
}

func (m *Module) newData(r *http.Request, op operation.Operation, f newForm) (*newData, error) {
	u := web.User(r)
	d := &newData{Op: op, Form: f, Topics: handbook.Topics, Key: newKey()}
	for _, c := range askLanguages(u) {
		d.LangOptions = append(d.LangOptions, option{Value: c, Label: m.app.LangName(web.Lang(r), c)})
	}
	mine, err := m.store.AskedBy(r.Context(), op.ID, u.ID, 10)
	if err != nil {
		return nil, err
	}
	now := m.app.Now()
	for _, q := range mine {
		d.Mine = append(d.Mine, m.item(r, q, now))
	}
	return d, nil
}

// askLanguages are the languages a volunteer may say a question was asked
// in: hers first, then the interface languages.
func askLanguages(u *auth.User) []string {
	out := append([]string(nil), u.Languages...)
	for _, c := range i18n.Codes() {
		if c == "sv-x-easy" {
			continue
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func (m *Module) create(w http.ResponseWriter, r *http.Request) error {
	op, group, err := m.askerFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	f := newForm{Language: r.PostFormValue("language"), Text: r.PostFormValue("text"), Summary: r.PostFormValue("summary"),
		Topics: r.PostForm["topics"], Escalate: r.PostFormValue("escalate") != ""}
	d := Draft{OperationID: op.ID, Source: FromVolunteer, AskedBy: u.ID, OrgID: group, Language: f.Language,
		Topics: f.Topics, Text: f.Text, Summary: f.Summary, Escalate: f.Escalate, Key: r.PostFormValue("key")}
	if d.Key == "" {
		return problem.New(problem.BadRequest, "error.bad_request")
	}
	// Her key within the operation: the same form sent again is a double
	// tap, a key reused elsewhere is not.
	d.Key = fmt.Sprintf("v-%d-%d-%s", u.ID, op.ID, d.Key)
	found, err := d.Clean()
	if err != nil {
		nd, derr := m.newData(r, op, f)
		if derr != nil {
			return derr
		}
		nd.Key = strings.TrimPrefix(d.Key, fmt.Sprintf("v-%d-%d-", u.ID, op.ID))
		return m.app.RenderForm(w, r, "question/new", nd, err)
	}
	_, dup, err := m.store.Record(r.Context(), d)
	if err != nil {
		return err
	}
	switch {
	case dup:
		m.app.Flash(r, "question.flash.already_recorded")
	case found.Any():
		m.app.Flash(r, "question.flash.recorded_masked")
	case d.Escalate:
		m.app.Flash(r, "question.flash.escalated")
	default:
		m.app.Flash(r, "question.flash.recorded")
	}
	return web.Redirect(w, r, fmt.Sprintf("/operations/%d/questions/new", op.ID))
}

// newKey is a form's idempotency key: a double tap on Save sends the
// same key twice, and the question is recorded once.
func newKey() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on the systems we run on
	}
	return hex.EncodeToString(b)
}
