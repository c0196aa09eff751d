package calls

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/campaign"
	"megafon/outreach/contact/phone"
	"megafon/outreach/handbook"
	"megafon/outreach/helpline"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/auth"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// Access of the routes: the coarse gate. Handlers check the line, the
// group, the language and who holds what.
var (
	callers     = web.Roles(auth.Volunteer, auth.GroupLead)
	readers     = web.Roles(auth.Volunteer, auth.GroupLead, auth.Coordinator, auth.Admin)
	coordinator = web.Roles(auth.Coordinator, auth.Admin)
)

func (m *Module) routes(app *web.App) {
	app.Nav(web.NavItem{Key: "calls.nav", Path: "/helpline/calls", Access: readers, Order: 29})
	app.Handle("GET /helpline/calls", readers, m.index)
	app.Handle("GET /helpline/calls/new", callers, m.manualForm)
	app.Handle("POST /helpline/calls", callers, m.logManual)
	app.Handle("GET /helpline/calls/{id}/log", callers, m.logForm)
	app.Handle("POST /helpline/calls/{id}/log", callers, m.saveLog)
	app.Handle("GET /helpline/callbacks", callers, m.queue)
	app.Handle("POST /helpline/callbacks/{id}/take", callers, m.take)
	app.Handle("GET /helpline/callbacks/{id}", callers, m.callbackScreen)
	app.Handle("POST /helpline/callbacks/{id}/outcome", callers, m.recordOutcome)
	app.Handle("GET /operations/{id}/helpline/calls", coordinator, m.report)
}

// newKey is a fresh idempotency token for a form.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// workLine is a line a volunteer answers for, with the group she answers
// in: one of hers taking part in the line's operation.
type workLine struct {
	Line
	GroupID int64
}

// workLines are the lines of the operations in which u answers for a
// group taking part.
func (m *Module) workLines(r *http.Request) ([]workLine, error) {
	ctx, u := r.Context(), web.User(r)
	ops, err := m.ops.ListFor(ctx, u)
	if err != nil {
		return nil, err
	}
	groups := map[int64]int64{}
	var opIDs []int64
	for _, op := range ops {
		if g := question.AskerGroup(u, op); g != 0 {
			groups[op.ID] = g
			opIDs = append(opIDs, op.ID)
		}
	}
	lines, err := m.store.LinesOf(ctx, opIDs)
	if err != nil {
		return nil, err
	}
	out := make([]workLine, len(lines))
	for i, l := range lines {
		out[i] = workLine{Line: l, GroupID: groups[l.OperationID]}
	}
	return out, nil
}

func findLine(lines []workLine, id int64) (workLine, bool) {
	for _, l := range lines {
		if l.ID == id {
			return l, true
		}
	}
	return workLine{}, false
}

func lineIDs(lines []workLine) []int64 {
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ID
	}
	return ids
}

// callView is a call as the pages show it: never its number.
type callView struct {
	Call
	LineName string
	Minutes  string // m:ss
}

func minutes(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

type indexData struct {
	ToLog     []callView
	Queue     int
	CanLog    bool // she answers for a line
	Reports   []operation.Operation
	IsCaller  bool
	IsCoord   bool
	HasNoLine bool
}

func (m *Module) index(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), web.User(r)
	d := indexData{IsCaller: callers.Allows(u), IsCoord: coordinator.Allows(u)}
	if d.IsCaller {
		lines, err := m.workLines(r)
		if err != nil {
			return err
		}
		d.CanLog = len(lines) > 0
		todo, err := m.store.ToLog(ctx, u.ID)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		for _, l := range lines {
			names[l.ID] = l.Name
		}
		for _, c := range todo {
			d.ToLog = append(d.ToLog, callView{Call: c, LineName: names[c.LineID], Minutes: minutes(c.Duration)})
		}
		q, err := m.queueFor(r, lines)
		if err != nil {
			return err
		}
		d.Queue = len(q)
	}
	if d.IsCoord {
		ops, err := m.ops.ListFor(ctx, u)
		if err != nil {
			return err
		}
		for _, op := range ops {
			lines, err := m.store.LinesOf(ctx, []int64{op.ID})
			if err != nil {
				return err
			}
			if len(lines) > 0 {
				d.Reports = append(d.Reports, op)
			}
		}
	}
	d.HasNoLine = !d.CanLog && len(d.Reports) == 0
	m.app.Render(w, r, http.StatusOK, "calls/index", d)
	return nil
}

// queueFor is her queue on her lines: what she is on shift for first.
func (m *Module) queueFor(r *http.Request, lines []workLine) ([]Callback, error) {
	u := web.User(r)
	if len(lines) == 0 {
		return nil, nil
	}
	now := m.app.Now()
	shift, err := m.Roster.ShiftLanguages(r.Context(), u.ID, now)
	if err != nil {
		return nil, fmt.Errorf("shift languages of %d: %w", u.ID, err)
	}
	return m.store.Queue(r.Context(), u.ID, lineIDs(lines), u.Languages, shift, now)
}

type queueData struct {
	Callbacks []Callback
	Held      int64
	Max       int
}

func (m *Module) queue(w http.ResponseWriter, r *http.Request) error {
	lines, err := m.workLines(r)
	if err != nil {
		return err
	}
	q, err := m.queueFor(r, lines)
	if err != nil {
		return err
	}
	d := queueData{Callbacks: q, Max: m.store.maxAttempts()}
	for _, c := range q {
		if c.TakenBy == web.User(r).ID {
			d.Held = c.ID
		}
	}
	m.app.Render(w, r, http.StatusOK, "calls/queue", d)
	return nil
}

// mayHandle reports whether the request c is in u's queue: on a line she
// answers for, in one of her languages or one she is on shift for.
func (m *Module) mayHandle(r *http.Request, c Callback) (bool, error) {
	lines, err := m.workLines(r)
	if err != nil {
		return false, err
	}
	if _, ok := findLine(lines, c.LineID); !ok {
		return false, nil
	}
	u := web.User(r)
	if slices.Contains(u.Languages, c.Lang) {
		return true, nil
	}
	shift, err := m.Roster.ShiftLanguages(r.Context(), u.ID, m.app.Now())
	if err != nil {
		return false, err
	}
	return slices.Contains(shift, helpline.LineLanguage{LineID: c.LineID, Lang: c.Lang}), nil
}

func (m *Module) take(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return err
	}
	c, err := m.store.Callback(r.Context(), id)
	if err != nil {
		return err
	}
	ok, err := m.mayHandle(r, c)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotFound
	}
	if !c.DoneAt.IsZero() {
		m.app.Flash(r, "calls.flash.done")
		return web.Redirect(w, r, "/helpline/callbacks")
	}
	if _, err := m.store.Take(r.Context(), id, web.User(r).ID); errors.Is(err, ErrTaken) {
		m.app.Flash(r, "calls.flash.taken")
		return web.Redirect(w, r, "/helpline/callbacks")
	} else if err != nil {
		return err
	}
	return web.Redirect(w, r, fmt.Sprintf("/helpline/callbacks/%d", id))
}

// screenData is the callback screen: the only page with a number.
type screenData struct {
	C         Callback
	Number    string
	Tel       template.URL
	Outcomes  []campaign.Outcome
	Languages []string // the line's others, for "needs another language"
	Outcome   string
	Other     string
	Max       int
}

// errCallbackGone answers a callback screen that is not, or no longer,
// held by the one who opens it.
var errCallbackGone = problem.New(problem.NotFound, "calls.error.callback_gone")

func (m *Module) screen(r *http.Request) (*screenData, error) {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return nil, err
	}
	u := web.User(r)
	c, err := m.store.Held(r.Context(), id, u.ID)
	if errors.Is(err, ErrNotFound) {
		// Done, let go of, or never hers: the same answer for each, but
		// one that says what to do next.
		return nil, errCallbackGone
	}
	if err != nil {
		return nil, err
	}
	if !m.reveals.Allow(u.ID, m.app.Now()) {
		m.app.Log.Warn("callback number reveals refused: over the limit", "person", u.ID, "callback", id)
		return nil, errRevealLimit
	}
	number, err := m.store.RevealNumber(r.Context(), id, u, m.app.Audit, web.ClientAddr(r))
	if err != nil {
		return nil, err
	}
	line, err := m.store.LineOf(r.Context(), c.LineID)
	if err != nil {
		return nil, err
	}
	d := &screenData{C: c, Number: number, Tel: phone.TelURI(number), Outcomes: campaign.Outcomes, Max: m.store.maxAttempts()}
	for _, l := range line.Languages {
		if l != c.Lang {
			d.Languages = append(d.Languages, l)
		}
	}
	return d, nil
}

func (m *Module) callbackScreen(w http.ResponseWriter, r *http.Request) error {
	d, err := m.screen(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	m.app.Render(w, r, http.StatusOK, "calls/callback", d)
	return nil
}

func (m *Module) recordOutcome(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return err
	}
	attempt, err := strconv.Atoi(r.PostFormValue("attempt"))
	if err != nil || attempt < 0 {
		return problem.New(problem.BadRequest, "error.bad_request")
	}
	u := web.User(r)
	rep := CallbackReport{Outcome: campaign.Outcome(r.PostFormValue("outcome")), OtherLanguage: r.PostFormValue("other_language"), Attempt: attempt}
	step, dup, err := m.store.RecordCallback(r.Context(), id, u, rep, m.app.Audit, web.ClientAddr(r))
	if err != nil {
		if l, ok := problem.As(err); ok && l[0].Kind == problem.Invalid {
			d, serr := m.screen(r)
			if serr != nil {
				return serr
			}
			d.Outcome, d.Other = string(rep.Outcome), rep.OtherLanguage
			w.Header().Set("Cache-Control", "no-store")
			return m.app.RenderForm(w, r, "calls/callback", d, err)
		}
		return err
	}
	switch {
	case dup:
		m.app.Flash(r, "calls.flash.already_recorded")
	case rep.Outcome == campaign.Completed:
		// She talked with the resident: the log of that call comes next.
		c, err := m.store.Callback(r.Context(), id)
		if err != nil {
			return err
		}
		m.app.Flash(r, "calls.flash.completed")
		return web.Redirect(w, r, fmt.Sprintf("/helpline/calls/new?line=%d&lang=%s", c.LineID, c.Lang))
	default:
		m.app.Flash(r, "calls.flash.step."+string(step))
	}
	return web.Redirect(w, r, "/helpline/callbacks")
}

// logForm is the call log's form, for a call answered or by hand.
type logForm struct {
	Line      int64
	Lang      string
	Topics    []string
	Answered  bool
	Referral  bool
	Questions []questionForm
	Key       string
	StartedAt string // by hand
	Minutes   string // by hand
}

type questionForm struct {
	Text     string
	Escalate bool
	Summary  string
}

type logData struct {
	Call     *callView // nil: by hand
	Lines    []workLine
	Line     workLine // the call's, or the first
	Form     logForm
	Topics   []string
	Langs    []string // of the line, or of all her lines by hand
	Referral string   // the referral form of the line's operation
	MaxText  int
}

func (m *Module) newLogData(lines []workLine, line workLine, f logForm) *logData {
	d := &logData{Lines: lines, Line: line, Form: f, Topics: handbook.Topics, MaxText: question.MaxTextRunes}
	for len(d.Form.Questions) < MaxQuestions {
		d.Form.Questions = append(d.Form.Questions, questionForm{})
	}
	if line.ID != 0 {
		d.Referral = fmt.Sprintf("/operations/%d/referrals/new", line.OperationID)
	}
	if len(lines) > 1 && f.StartedAt != "" {
		for _, l := range lines {
			for _, lang := range l.Languages {
				if !slices.Contains(d.Langs, lang) {
					d.Langs = append(d.Langs, lang)
				}
			}
		}
	} else {
		d.Langs = line.Languages
	}
	return d
}

// readLog reads the log's fields of the form.
func readLog(r *http.Request) (logForm, LogDraft) {
	f := logForm{Lang: r.PostFormValue("lang"), Topics: r.PostForm["topics"], Answered: r.PostFormValue("answered") != "no",
		Referral: r.PostFormValue("referral") != "", Key: r.PostFormValue("key"),
		StartedAt: r.PostFormValue("started_at"), Minutes: r.PostFormValue("minutes")}
	f.Line, _ = strconv.ParseInt(r.PostFormValue("line"), 10, 64)
	d := LogDraft{Lang: f.Lang, Topics: f.Topics, Answered: f.Answered, Referral: f.Referral, Key: f.Key}
	for i := range MaxQuestions {
		q := questionForm{Text: r.PostFormValue(QuestionField(i, "text")), Escalate: r.PostFormValue(QuestionField(i, "escalate")) != "",
			Summary: r.PostFormValue(QuestionField(i, "summary"))}
		f.Questions = append(f.Questions, q)
		d.Questions = append(d.Questions, question.Draft{Text: q.Text, Escalate: q.Escalate, Summary: q.Summary})
	}
	return f, d
}

// answeredCall reads the call of the path that u answered, on a line she
// still answers for; anyone else's is not found.
func (m *Module) answeredCall(r *http.Request) (Call, []workLine, workLine, error) {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return Call{}, nil, workLine{}, err
	}
	c, err := m.store.Call(r.Context(), id)
	if err != nil {
		return Call{}, nil, workLine{}, err
	}
	if c.AnsweredBy != web.User(r).ID {
		return Call{}, nil, workLine{}, ErrNotFound
	}
	lines, err := m.workLines(r)
	if err != nil {
		return Call{}, nil, workLine{}, err
	}
	line, ok := findLine(lines, c.LineID)
	if !ok {
		return Call{}, nil, workLine{}, ErrNotFound
	}
	return c, lines, line, nil
}

func (m *Module) logForm(w http.ResponseWriter, r *http.Request) error {
	c, lines, line, err := m.answeredCall(r)
	if err != nil {
		return err
	}
	if c.Logged {
		m.app.Flash(r, "calls.flash.already_logged")
		return web.Redirect(w, r, "/helpline/calls")
	}
	d := m.newLogData(lines, line, logForm{Lang: c.Lang, Answered: true, Key: newKey()})
	d.Call = &callView{Call: c, LineName: line.Name, Minutes: minutes(c.Duration)}
	m.app.Render(w, r, http.StatusOK, "calls/log", d)
	return nil
}

func (m *Module) saveLog(w http.ResponseWriter, r *http.Request) error {
	c, lines, line, err := m.answeredCall(r)
	if err != nil {
		return err
	}
	f, dr := readLog(r)
	found, err := dr.Clean(line.Line)
	var dup bool
	if err == nil {
		dup, err = m.store.Log(r.Context(), c.ID, web.User(r).ID, line.GroupID, dr)
	}
	if err != nil {
		if !validKey(f.Key) || errors.Is(err, errKeyTaken) {
			f.Key = newKey()
		}
		d := m.newLogData(lines, line, f)
		d.Call = &callView{Call: c, LineName: line.Name, Minutes: minutes(c.Duration)}
		return m.app.RenderForm(w, r, "calls/log", d, err)
	}
	m.flashLogged(r, dup, found.Any())
	return web.Redirect(w, r, "/helpline/calls")
}

func (m *Module) flashLogged(r *http.Request, dup, masked bool) {
	switch {
	case dup:
		m.app.Flash(r, "calls.flash.already_logged")
	case masked:
		m.app.Flash(r, "calls.flash.logged_masked")
	default:
		m.app.Flash(r, "calls.flash.logged")
	}
}

func (m *Module) manualForm(w http.ResponseWriter, r *http.Request) error {
	lines, err := m.workLines(r)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return ErrNotFound
	}
	q := r.URL.Query()
	line := lines[0]
	if id, err := strconv.ParseInt(q.Get("line"), 10, 64); err == nil {
		if l, ok := findLine(lines, id); ok {
			line = l
		}
	}
	lang := q.Get("lang")
	if !line.Offers(lang) {
		lang = ""
	}
	started := m.app.Now().In(stockholm).Format("2006-01-02T15:04")
	d := m.newLogData(lines, line, logForm{Line: line.ID, Lang: lang, Answered: true, Key: newKey(), StartedAt: started, Minutes: "5"})
	m.app.Render(w, r, http.StatusOK, "calls/new", d)
	return nil
}

var errLine = problem.Field("line", "calls.error.line")

func (m *Module) logManual(w http.ResponseWriter, r *http.Request) error {
	lines, err := m.workLines(r)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return ErrNotFound
	}
	f, dr := readLog(r)
	line, ok := findLine(lines, f.Line)
	var l problem.List
	if !ok {
		l = append(l, errLine)
		line = lines[0]
	}
	mc := ManualCall{LineID: line.ID}
	if t, err := web.ParseLocalTime(f.StartedAt); err == nil {
		mc.StartedAt = t
	} else {
		l.Add("started_at", "calls.error.started_at")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Minutes)); err == nil {
		mc.Duration = time.Duration(n) * time.Minute
	} else {
		l.Add("minutes", "calls.error.minutes", "Max", int(MaxManualDuration/time.Minute))
	}
	found, err := dr.Clean(line.Line)
	if ps, ok := problem.As(err); ok {
		l = append(l, ps...)
	} else if err != nil {
		return err
	}
	var dup bool
	err = l.Err()
	if err == nil {
		_, dup, err = m.store.LogManual(r.Context(), web.User(r).ID, line.GroupID, mc, dr)
	}
	if err != nil {
		if !validKey(f.Key) || errors.Is(err, errKeyTaken) {
			f.Key = newKey()
		}
		return m.app.RenderForm(w, r, "calls/new", m.newLogData(lines, line, f), err)
	}
	m.flashLogged(r, dup, found.Any())
	return web.Redirect(w, r, "/helpline/calls")
}

// reportData is a coordinator's view of an operation's lines: counts.
type reportData struct {
	Op    operation.Operation
	Lines []lineReport
	From  time.Time
	To    time.Time
}

type lineReport struct {
	Line  Line
	Days  []DayRow
	Open  map[string]int
	Total DayRow
}

// ReportDays is how far back the coordinator's view counts.
const ReportDays = 28

func (m *Module) report(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return err
	}
	op, err := m.ops.GetFor(r.Context(), web.User(r), id)
	if err != nil {
		return err
	}
	lines, err := m.store.LinesOf(r.Context(), []int64{op.ID})
	if err != nil {
		return err
	}
	now := m.app.Now()
	d := reportData{Op: op, From: now.AddDate(0, 0, -ReportDays), To: now}
	for _, l := range lines {
		days, err := m.store.Report(r.Context(), l.ID, d.From, now.Add(time.Minute))
		if err != nil {
			return err
		}
		open, err := m.store.OpenCallbacks(r.Context(), l.ID)
		if err != nil {
			return err
		}
		lr := lineReport{Line: l, Days: days, Open: open}
		for _, day := range days {
			lr.Total.Answered += day.Answered
			lr.Total.Missed += day.Missed
			lr.Total.Closed += day.Closed
			lr.Total.Logged += day.Logged
			lr.Total.Total += day.Total
		}
		d.Lines = append(d.Lines, lr)
	}
	m.app.Render(w, r, http.StatusOK, "calls/report", d)
	return nil
}
