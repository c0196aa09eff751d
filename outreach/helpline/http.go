package helpline

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/contact/phone"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// Access of the routes: the coarse gate. Handlers check the operation,
// the line, the group and the shift.
var (
	outreachRoles = web.Roles(auth.Coordinator, auth.GroupLead, auth.Volunteer)
	coordinators  = web.Roles(auth.Coordinator)
	leads         = web.Roles(auth.GroupLead)
	planners      = web.Roles(auth.Coordinator, auth.GroupLead)
	volunteers    = web.Roles(auth.Volunteer)
)

var errForbidden = problem.New(problem.Forbidden, "error.forbidden")

func (m *Module) mountRoutes(app *web.App) {
	app.Catalogue.MustLoad(mustSub(catalogue, "catalogue"))
	app.Templates("helpline", mustSub(templates, "templates"))
	app.ServeAssets("/assets/helpline/", mustSub(assets, "assets"))
	// A volunteer's menu stays short on a phone (the call screen's outcome
	// on the first screen): her help line work is "my shifts" and the
	// calls; the lines' list is for those who plan and run them.
	app.Nav(web.NavItem{Key: "helpline.nav", Path: "/helplines", Access: web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead), Order: 29})
	app.Nav(web.NavItem{Key: "helpline.nav_mine", Path: "/shifts/mine", Access: volunteers, Order: 30})

	app.Handle("GET /helplines", outreachRoles, m.index)
	app.Handle("GET /operations/{id}/helpline/new", coordinators, m.newLine)
	app.Handle("POST /operations/{id}/helpline", coordinators, m.createLine)
	app.Handle("GET /helplines/{id}", outreachRoles, m.showLine)
	app.Handle("GET /helplines/{id}/edit", coordinators, m.editLine)
	app.Handle("POST /helplines/{id}", coordinators, m.updateLine)
	app.Handle("GET /helplines/{id}/hours", coordinators, m.hoursForm)
	app.Handle("POST /helplines/{id}/hours", coordinators, m.saveHours)
	app.Handle("POST /helplines/{id}/exceptions", coordinators, m.addException)
	app.Handle("POST /helplines/{id}/exceptions/{ex}/delete", coordinators, m.deleteException)
	app.Handle("POST /helplines/{id}/phones", coordinators, m.addPhone)
	app.Handle("POST /phones/{id}/handover", planners, m.handOver)
	app.Handle("GET /helplines/{id}/shifts", leads, m.planPage)
	app.Handle("POST /helplines/{id}/shifts", leads, m.planShift)
	app.Handle("POST /shifts/{id}/cancel", leads, m.cancelShift)
	app.Handle("GET /helplines/{id}/coverage", planners, m.coverage)
	app.Handle("GET /shifts/mine", volunteers, m.mine)
	app.Handle("POST /shifts/{id}/take", volunteers, m.take)
	app.Handle("POST /shifts/{id}/giveback", volunteers, m.giveBack)
	app.Handle("POST /shifts/{id}/swap", volunteers, m.offerSwap)
	app.Handle("POST /swaps/{id}/accept", volunteers, m.answerSwap(true))
	app.Handle("POST /swaps/{id}/decline", volunteers, m.answerSwap(false))
	app.Handle("POST /shifts/calendar", volunteers, m.renewFeed)
	app.Handle("GET /calendar/{file}", web.Public, m.feed)
}

func pathInt(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

// lineFor reads the line of the path and its operation for the signed-in
// person: 404 when she may not see the operation, 403 when she may see it
// but allowed says no.
func (m *Module) lineFor(r *http.Request, allowed func(*auth.User, operation.Operation) bool) (Line, operation.Operation, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return Line{}, operation.Operation{}, err
	}
	return m.lineByID(r, id, allowed)
}

func (m *Module) lineByID(r *http.Request, id int64, allowed func(*auth.User, operation.Operation) bool) (Line, operation.Operation, error) {
	l, err := m.store.Line(r.Context(), id)
	if err != nil {
		return Line{}, operation.Operation{}, err
	}
	op, err := m.ops.GetFor(r.Context(), web.User(r), l.OperationID)
	if err != nil {
		return Line{}, operation.Operation{}, ErrNotFound
	}
	if allowed != nil && !allowed(web.User(r), op) {
		return Line{}, operation.Operation{}, errForbidden
	}
	return l, op, nil
}

func lineURL(id int64) string { return "/helplines/" + strconv.FormatInt(id, 10) }

// candidateLangs are the languages a coordinator may put in the menu: the
// interface's and those the city's residents speak most.
var candidateLangs = []string{"sv", "en", "ar", "so", "ti", "prs", "fa", "bs", "uk", "ku", "am", "tr", "pl", "ru", "es", "fr", "de", "ps", "sq"}

type indexData struct {
	Ops []indexOp
}

type indexOp struct {
	Op        operation.Operation
	Lines     []Line
	CanCreate bool
}

func (m *Module) index(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), web.User(r)
	ops, err := m.ops.ListFor(ctx, u)
	if err != nil {
		return err
	}
	var d indexData
	for _, op := range ops {
		lines, err := m.store.Lines(ctx, []int64{op.ID})
		if err != nil {
			return err
		}
		if len(lines) == 0 && !CanManageLine(u, op) {
			continue
		}
		d.Ops = append(d.Ops, indexOp{Op: op, Lines: lines, CanCreate: CanManageLine(u, op)})
	}
	m.app.Render(w, r, http.StatusOK, "helpline/index", d)
	return nil
}

// lineForm is the form of a line's settings and languages.
type lineForm struct {
	Op         operation.Operation
	LineID     int64
	Name       string
	Number     string
	Ring       string
	Seconds    string
	TimeZone   string
	Holidays   bool
	Keys       []keyField
	Candidates []string
}

type keyField struct {
	Key   int
	Field string
	Lang  string
}

func newLineForm(op operation.Operation, l Line) lineForm {
	f := lineForm{Op: op, LineID: l.ID, Name: l.Name, Number: l.PublicNumber, Ring: string(l.Ring), Seconds: strconv.Itoa(l.RingSeconds),
		TimeZone: l.TimeZone, Holidays: l.ClosedOnHolidays, Candidates: candidateLangs}
	for k := 1; k <= 9; k++ {
		kf := keyField{Key: k, Field: fmt.Sprintf("lang_%d", k)}
		for _, lg := range l.Languages {
			if lg.Key == k {
				kf.Lang = lg.Lang
			}
		}
		f.Keys = append(f.Keys, kf)
	}
	return f
}

// draftFrom reads the line form.
func draftFrom(r *http.Request, op operation.Operation, id int64) (LineDraft, lineForm) {
	secs, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("ring_seconds")))
	d := LineDraft{Name: r.PostFormValue("name"), PublicNumber: r.PostFormValue("public_number"), Ring: Ring(r.PostFormValue("ring")),
		RingSeconds: secs, TimeZone: strings.TrimSpace(r.PostFormValue("time_zone")), ClosedOnHolidays: r.PostFormValue("closed_on_holidays") == "yes"}
	for k := 1; k <= 9; k++ {
		if lang := r.PostFormValue(fmt.Sprintf("lang_%d", k)); lang != "" {
			d.Languages = append(d.Languages, Language{Lang: lang, Key: k})
		}
	}
	f := newLineForm(op, Line{ID: id, Name: d.Name, PublicNumber: d.PublicNumber, Ring: d.Ring, RingSeconds: secs, TimeZone: d.TimeZone,
		ClosedOnHolidays: d.ClosedOnHolidays, Languages: d.Languages})
	f.Seconds = r.PostFormValue("ring_seconds")
	return d, f
}

func (m *Module) operationToManage(r *http.Request) (operation.Operation, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return operation.Operation{}, err
	}
	op, err := m.ops.GetFor(r.Context(), web.User(r), id)
	if err != nil {
		return op, ErrNotFound
	}
	if !CanManageLine(web.User(r), op) {
		return op, errForbidden
	}
	return op, nil
}

func (m *Module) newLine(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationToManage(r)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "helpline/lineform", newLineForm(op, Line{Ring: RingAll, RingSeconds: 20, TimeZone: "Europe/Stockholm",
		ClosedOnHolidays: true, Languages: []Language{{Lang: "sv", Key: 1}}}))
	return nil
}

func (m *Module) createLine(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationToManage(r)
	if err != nil {
		return err
	}
	d, f := draftFrom(r, op, 0)
	err = d.Clean()
	var id int64
	if err == nil {
		id, err = m.store.CreateLine(r.Context(), web.User(r), op.ID, d)
	}
	if err != nil {
		return m.app.RenderForm(w, r, "helpline/lineform", f, err)
	}
	m.app.Flash(r, "helpline.saved")
	return web.Redirect(w, r, lineURL(id)+"/hours")
}

func (m *Module) editLine(w http.ResponseWriter, r *http.Request) error {
	l, op, err := m.lineFor(r, CanManageLine)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "helpline/lineform", newLineForm(op, l))
	return nil
}

func (m *Module) updateLine(w http.ResponseWriter, r *http.Request) error {
	l, op, err := m.lineFor(r, CanManageLine)
	if err != nil {
		return err
	}
	d, f := draftFrom(r, op, l.ID)
	err = d.Clean()
	if err == nil {
		err = m.store.UpdateLine(r.Context(), l.ID, d)
	}
	if err != nil {
		return m.app.RenderForm(w, r, "helpline/lineform", f, err)
	}
	m.app.Flash(r, "helpline.saved")
	return web.Redirect(w, r, lineURL(l.ID))
}

// weekdays in the order a Swedish week runs.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// langHours is one language's week, for the line page and the hours form.
type langHours struct {
	Lang string
	Key  int
	Days []dayHours
}

type dayHours struct {
	Weekday int
	Field   string
	Value   string
}

func weekOf(l Line, sc Schedule, values map[string]string) []langHours {
	var out []langHours
	for _, lg := range l.Languages {
		lh := langHours{Lang: lg.Lang, Key: lg.Key}
		for _, wd := range weekdays {
			var spans []Span
			for _, h := range sc.Weekly {
				if h.Lang == lg.Lang && h.Weekday == wd {
					spans = append(spans, h.Span)
				}
			}
			slices.SortFunc(spans, func(a, b Span) int { return a.Opens - b.Opens })
			field := fmt.Sprintf("h_%s_%d", lg.Lang, wd)
			v := FormatSpans(spans)
			if s, ok := values[field]; ok {
				v = s
			}
			lh.Days = append(lh.Days, dayHours{Weekday: int(wd), Field: field, Value: v})
		}
		out = append(out, lh)
	}
	return out
}

// lineData is a line's page.
type lineData struct {
	Line         Line
	Op           operation.Operation
	Week         []langHours
	Exceptions   []Exception
	Phones       []phoneView
	CanManage    bool
	CanPlan      bool
	CanCoverage  bool
	IsVolunteer  bool
	Groups       []auth.Org // groups a phone may be given to
	PhoneLabel   string
	PhoneNumber  string
	PhoneGroup   string
	HolidayNames []holidayView
	GroupOptions []map[string]any
	Tel          template.URL
}

type phoneView struct {
	Phone
	CanHandOver bool
	Tel         template.URL
}

type holidayView struct {
	Day  string
	Name string
}

func (m *Module) linePage(r *http.Request, l Line, op operation.Operation) (*lineData, error) {
	ctx, u := r.Context(), web.User(r)
	sc, err := m.store.Schedule(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	d := &lineData{Line: l, Op: op, Week: weekOf(l, sc, nil), CanManage: CanManageLine(u, op), CanPlan: len(PlanningGroups(u, op)) > 0,
		CanCoverage: CanSeeCoverage(u, op), IsVolunteer: len(VolunteerGroups(u, op)) > 0}
	today := m.app.Now().In(sc.loc()).Format("2006-01-02")
	for _, e := range sc.Exceptions {
		if e.Day >= today {
			d.Exceptions = append(d.Exceptions, e)
		}
	}
	if l.ClosedOnHolidays {
		now := m.app.Now().In(sc.loc())
		for i := 0; i < 120 && len(d.HolidayNames) < 4; i++ {
			day := time.Date(now.Year(), now.Month(), now.Day()+i, 12, 0, 0, 0, sc.loc())
			if name, ok := Holiday(day.Date()); ok {
				d.HolidayNames = append(d.HolidayNames, holidayView{Day: day.Format("2006-01-02"), Name: name})
			}
		}
	}
	phones, err := m.store.Phones(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range phones {
		d.Phones = append(d.Phones, phoneView{Phone: p, CanHandOver: d.CanManage || (p.GroupID != 0 && u.HasIn(p.GroupID, auth.GroupLead)), Tel: phone.TelURI(p.Number)})
	}
	orgs, err := m.app.Auth.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if op.Takes(o.ID) || op.Invited(o.ID) {
			d.Groups = append(d.Groups, o)
			d.GroupOptions = append(d.GroupOptions, map[string]any{"Value": o.ID, "Label": o.Name})
		}
	}
	d.Tel = phone.TelURI(l.PublicNumber)
	return d, nil
}

func (m *Module) showLine(w http.ResponseWriter, r *http.Request) error {
	l, op, err := m.lineFor(r, nil)
	if err != nil {
		return err
	}
	d, err := m.linePage(r, l, op)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "helpline/line", d)
	return nil
}

// hoursData is the form of a line's weekly hours and exceptions.
type hoursData struct {
	Line       Line
	Week       []langHours
	Exceptions []Exception
	Ex         exceptionForm
}

type exceptionForm struct {
	Day, Lang, Kind, Opens, Closes, Note string
}

func (m *Module) hoursPage(r *http.Request, l Line, values map[string]string, ex exceptionForm) (hoursData, error) {
	sc, err := m.store.Schedule(r.Context(), l.ID)
	if err != nil {
		return hoursData{}, err
	}
	if ex.Kind == "" {
		ex.Kind = "closed"
	}
	return hoursData{Line: l, Week: weekOf(l, sc, values), Exceptions: sc.Exceptions, Ex: ex}, nil
}

func (m *Module) hoursForm(w http.ResponseWriter, r *http.Request) error {
	l, _, err := m.lineFor(r, CanManageLine)
	if err != nil {
		return err
	}
	d, err := m.hoursPage(r, l, nil, exceptionForm{})
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "helpline/hours", d)
	return nil
}

func (m *Module) saveHours(w http.ResponseWriter, r *http.Request) error {
	l, _, err := m.lineFor(r, CanManageLine)
	if err != nil {
		return err
	}
	values := map[string]string{}
	var hours []WeeklyHours
	var problems problem.List
	for _, lg := range l.Languages {
		for _, wd := range weekdays {
			field := fmt.Sprintf("h_%s_%d", lg.Lang, wd)
			v := r.PostFormValue(field)
			values[field] = v
			// Every box is on the form, empty when closed: a form without
			// one is not ours, and must not close the line that day.
			_, sent := r.PostForm[field]
			spans, err := ParseSpans(v)
			if err != nil || !sent {
				problems.Add(field, "helpline.error.hours")
				continue
			}
			for _, s := range spans {
				hours = append(hours, WeeklyHours{Lang: lg.Lang, Weekday: wd, Span: s})
			}
		}
	}
	err = problems.Err()
	if err == nil {
		err = m.store.SetHours(r.Context(), l.ID, l.Langs(), hours)
	}
	if err != nil {
		d, derr := m.hoursPage(r, l, values, exceptionForm{})
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "helpline/hours", d, err)
	}
	m.app.Flash(r, "helpline.saved")
	return web.Redirect(w, r, lineURL(l.ID))
}

func (m *Module) addException(w http.ResponseWriter, r *http.Request) error {
	l, _, err := m.lineFor(r, CanManageLine)
	if err != nil {
		return err
	}
	f := exceptionForm{Day: r.PostFormValue("day"), Lang: r.PostFormValue("lang"), Kind: r.PostFormValue("kind"),
		Opens: r.PostFormValue("opens"), Closes: r.PostFormValue("closes"), Note: r.PostFormValue("note")}
	e := Exception{Day: f.Day, Lang: f.Lang, Closed: f.Kind != "open", Note: f.Note}
	var problems problem.List
	if !e.Closed {
		opens, err1 := ParseClock(f.Opens)
		closes, err2 := ParseClock(f.Closes)
		if err1 != nil || err2 != nil {
			problems.Add("hours", "helpline.error.hours")
		}
		e.Span = Span{opens, closes}
	}
	if err := CleanException(&e, l.Langs()); err != nil && len(problems) == 0 {
		problems, _ = problem.As(err)
	}
	err = problems.Err()
	if err == nil {
		err = m.store.SetException(r.Context(), l.ID, e)
	}
	if err != nil {
		d, derr := m.hoursPage(r, l, nil, f)
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "helpline/hours", d, err)
	}
	m.app.Flash(r, "helpline.saved")
	return web.Redirect(w, r, lineURL(l.ID)+"/hours")
}

func (m *Module) deleteException(w http.ResponseWriter, r *http.Request) error {
	l, _, err := m.lineFor(r, CanManageLine)
	if err != nil {
		return err
	}
	ex, err := pathInt(r, "ex")
	if err != nil {
		return err
	}
	if err := m.store.DeleteException(r.Context(), l.ID, ex); err != nil {
		return err
	}
	m.app.Flash(r, "helpline.saved")
	return web.Redirect(w, r, lineURL(l.ID)+"/hours")
}

func (m *Module) addPhone(w http.ResponseWriter, r *http.Request) error {
	l, op, err := m.lineFor(r, CanManageLine)
	if err != nil {
		return err
	}
	label, number := r.PostFormValue("label"), r.PostFormValue("number")
	group, _ := strconv.ParseInt(r.PostFormValue("group"), 10, 64)
	err = CleanPhone(&label, &number)
	if err == nil && group != 0 && !op.Takes(group) && !op.Invited(group) {
		err = problem.Field("group", "helpline.error.group")
	}
	if err == nil {
		_, err = m.store.AddPhone(r.Context(), web.User(r), l.ID, label, number, group)
	}
	if err != nil {
		d, derr := m.linePage(r, l, op)
		if derr != nil {
			return derr
		}
		d.PhoneLabel, d.PhoneNumber, d.PhoneGroup = r.PostFormValue("label"), r.PostFormValue("number"), r.PostFormValue("group")
		return m.app.RenderForm(w, r, "helpline/line", d, err)
	}
	m.app.Flash(r, "helpline.phone_added")
	return web.Redirect(w, r, lineURL(l.ID)+"#phones")
}

func (m *Module) handOver(w http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	p, err := m.store.Phone(r.Context(), id)
	if err != nil {
		return err
	}
	u := web.User(r)
	l, op, err := m.lineByID(r, p.LineID, func(u *auth.User, op operation.Operation) bool {
		return CanManageLine(u, op) || (p.GroupID != 0 && u.HasIn(p.GroupID, auth.GroupLead))
	})
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	note := strings.TrimSpace(r.PostFormValue("note"))
	switch {
	case to == 0 || !op.Takes(to) && !op.Invited(to):
		err = problem.Field("to", "helpline.error.group")
	case len([]rune(note)) > MaxNoteRunes:
		err = problem.Field("note", "helpline.error.too_long", "Max", MaxNoteRunes)
	default:
		err = m.store.HandOver(r.Context(), u, p.ID, to, note)
	}
	if err != nil {
		d, derr := m.linePage(r, l, op)
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "helpline/line", d, err)
	}
	m.app.Flash(r, "helpline.handed_over")
	return web.Redirect(w, r, lineURL(l.ID)+"#phones")
}

// weekStart reads ?week=YYYY-MM-DD as the Monday of that week in loc,
// this week's by default.
func weekStart(r *http.Request, now time.Time, loc *time.Location) time.Time {
	day := now.In(loc)
	if t, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("week"), loc); err == nil {
		day = t
	}
	back := (int(day.Weekday()) + 6) % 7
	return time.Date(day.Year(), day.Month(), day.Day()-back, 0, 0, 0, 0, loc)
}

// weekNav is the links to the weeks before and after.
type weekNav struct {
	Start, End   time.Time
	Prev, Next   string
	ThisWeekLink string
}

func newWeekNav(path string, start time.Time) weekNav {
	return weekNav{Start: start, End: start.AddDate(0, 0, 6),
		Prev: path + "?week=" + start.AddDate(0, 0, -7).Format("2006-01-02"), Next: path + "?week=" + start.AddDate(0, 0, 7).Format("2006-01-02"),
		ThisWeekLink: path}
}

// shiftView is a shift on a page.
type shiftView struct {
	Shift
	Tel        template.URL
	Mine       bool
	CanCancel  bool
	Colleagues []auth.Person // whom she may offer it to
}

func weekdayKey(t time.Time, loc *time.Location) string {
	return "helpline.weekday." + strconv.Itoa(int(t.In(loc).Weekday()))
}

// planData is a group lead's page to plan her groups' shifts.
type planData struct {
	Line    Line
	Nav     weekNav
	Shifts  []shiftView
	Groups  []auth.Org
	People  []auth.Person
	Phones  []Phone
	Form    planForm
	Planned bool
}

type planForm struct {
	Group, Day, From, To, Person, Phone string
	Langs                               []string
}

func (m *Module) planPage(w http.ResponseWriter, r *http.Request) error {
	l, op, err := m.lineFor(r, func(u *auth.User, op operation.Operation) bool { return len(PlanningGroups(u, op)) > 0 })
	if err != nil {
		return err
	}
	d, err := m.planData(r, l, op, planForm{})
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "helpline/plan", d)
	return nil
}

func (m *Module) planData(r *http.Request, l Line, op operation.Operation, f planForm) (*planData, error) {
	ctx, u := r.Context(), web.User(r)
	loc, err := time.LoadLocation(l.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("help line %d time zone: %w", l.ID, err)
	}
	start := weekStart(r, m.app.Now(), loc)
	if f.Day != "" {
		if t, err := time.ParseInLocation("2006-01-02", f.Day, loc); err == nil {
			start = weekStart(&http.Request{URL: r.URL}, t, loc)
		}
	}
	d := &planData{Line: l, Nav: newWeekNav(lineURL(l.ID)+"/shifts", start), Form: f}
	groups := PlanningGroups(u, op)
	shifts, err := m.store.LineShifts(ctx, l.ID, start, start.AddDate(0, 0, 7))
	if err != nil {
		return nil, err
	}
	now := m.app.Now()
	for _, sh := range shifts {
		d.Shifts = append(d.Shifts, shiftView{Shift: sh, CanCancel: slices.Contains(groups, sh.GroupID) && sh.End.After(now)})
	}
	for _, g := range groups {
		org, err := m.app.Auth.Org(ctx, g)
		if err != nil {
			return nil, err
		}
		d.Groups = append(d.Groups, org)
		people, err := m.store.Colleagues(ctx, g, 0)
		if err != nil {
			return nil, err
		}
		d.People = append(d.People, people...)
	}
	phones, err := m.store.Phones(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range phones {
		if slices.Contains(groups, p.GroupID) {
			d.Phones = append(d.Phones, p)
		}
	}
	if d.Form.Group == "" && len(d.Groups) > 0 {
		d.Form.Group = strconv.FormatInt(d.Groups[0].ID, 10)
	}
	return d, nil
}

// ParseShiftTimes reads a shift's date and times of day in loc; a shift
// that ends at an earlier time of day than it starts ends the next day.
func ParseShiftTimes(day, from, to string, loc *time.Location) (time.Time, time.Time, error) {
	var l problem.List
	date, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(day), loc)
	if err != nil {
		l.Add("day", "helpline.error.day")
	}
	f, err := ParseClock(from)
	if err != nil {
		l.Add("from", "helpline.error.time")
	}
	t, err := ParseClock(to)
	if err != nil {
		l.Add("to", "helpline.error.time")
	}
	if err := l.Err(); err != nil {
		return time.Time{}, time.Time{}, err
	}
	y, m, d := date.Date()
	start, end := at(loc, y, m, d, f), at(loc, y, m, d, t)
	if t < f {
		end = at(loc, y, m, d+1, t)
	}
	return start, end, nil
}

func (m *Module) planShift(w http.ResponseWriter, r *http.Request) error {
	l, op, err := m.lineFor(r, func(u *auth.User, op operation.Operation) bool { return len(PlanningGroups(u, op)) > 0 })
	if err != nil {
		return err
	}
	f := planForm{Group: r.PostFormValue("group"), Day: r.PostFormValue("day"), From: r.PostFormValue("from"), To: r.PostFormValue("to"),
		Person: r.PostFormValue("person"), Phone: r.PostFormValue("phone"), Langs: r.PostForm["langs"]}
	group, _ := strconv.ParseInt(f.Group, 10, 64)
	if mine := PlanningGroups(web.User(r), op); f.Group == "" && len(mine) == 1 {
		group = mine[0]
	}
	person, _ := strconv.ParseInt(f.Person, 10, 64)
	phoneID, _ := strconv.ParseInt(f.Phone, 10, 64)
	loc, err := time.LoadLocation(l.TimeZone)
	if err != nil {
		return fmt.Errorf("help line %d time zone: %w", l.ID, err)
	}
	start, end, err := ParseShiftTimes(f.Day, f.From, f.To, loc)
	if err == nil && !slices.Contains(PlanningGroups(web.User(r), op), group) {
		err = problem.Field("group", "helpline.error.group")
	}
	if err == nil {
		_, err = m.store.PlanShift(r.Context(), web.User(r), ShiftDraft{LineID: l.ID, GroupID: group, Start: start, End: end, Langs: f.Langs, PersonID: person, PhoneID: phoneID})
	}
	if err != nil {
		d, derr := m.planData(r, l, op, f)
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "helpline/plan", d, err)
	}
	m.app.Flash(r, "helpline.planned")
	return web.Redirect(w, r, lineURL(l.ID)+"/shifts?week="+weekStart(r, start, loc).Format("2006-01-02"))
}

// shiftFor reads the shift of the path, 404 unless allowed says she may
// act on it.
func (m *Module) shiftFor(r *http.Request, allowed func(*auth.User, Shift) bool) (Shift, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return Shift{}, err
	}
	sh, err := m.store.Shift(r.Context(), id)
	if err != nil {
		return Shift{}, err
	}
	if !allowed(web.User(r), sh) {
		return Shift{}, ErrNotFound
	}
	return sh, nil
}

func (m *Module) cancelShift(w http.ResponseWriter, r *http.Request) error {
	sh, err := m.shiftFor(r, func(u *auth.User, sh Shift) bool { return u.HasIn(sh.GroupID, auth.GroupLead) })
	if err != nil {
		return err
	}
	if err := m.store.CancelShift(r.Context(), sh.ID); err != nil {
		return err
	}
	m.app.Flash(r, "helpline.cancelled")
	return web.Redirect(w, r, lineURL(sh.LineID)+"/shifts?week="+sh.Start.Format("2006-01-02"))
}

// coverageData is a week's coverage of a line.
type coverageData struct {
	Line Line
	Nav  weekNav
	Days []coverageDay
	Gaps int
}

type coverageDay struct {
	CoverageDay
	WeekdayKey string
}

func (m *Module) coverage(w http.ResponseWriter, r *http.Request) error {
	l, _, err := m.lineFor(r, CanSeeCoverage)
	if err != nil {
		return err
	}
	ctx := r.Context()
	sc, err := m.store.Schedule(ctx, l.ID)
	if err != nil {
		return err
	}
	start := weekStart(r, m.app.Now(), sc.loc())
	shifts, err := m.store.LineShifts(ctx, l.ID, start, start.AddDate(0, 0, 8))
	if err != nil {
		return err
	}
	staffed := make([]Staffed, len(shifts))
	for i, sh := range shifts {
		staffed[i] = Staffed{Interval: sh.Interval(), Langs: sh.Langs, Name: sh.PersonName}
		if sh.PersonID == 0 {
			staffed[i].Name = ""
		}
	}
	d := coverageData{Line: l, Nav: newWeekNav(lineURL(l.ID)+"/coverage", start)}
	for _, day := range Coverage(sc, l.Langs(), staffed, start) {
		d.Days = append(d.Days, coverageDay{CoverageDay: day, WeekdayKey: weekdayKey(day.Day, sc.loc())})
		d.Gaps += day.Gaps
	}
	m.app.Render(w, r, http.StatusOK, "helpline/coverage", d)
	return nil
}

// mineData is a volunteer's shifts.
type mineData struct {
	Mine     []shiftView
	Open     []shiftView
	Offers   []Swap
	Made     []Swap
	FeedAt   time.Time
	FeedURL  string
	HasLines bool
}

func (m *Module) mineData(r *http.Request) (*mineData, error) {
	ctx, u := r.Context(), web.User(r)
	now := m.app.Now()
	d := &mineData{}
	mine, err := m.store.PersonShifts(ctx, u.ID, now)
	if err != nil {
		return nil, err
	}
	made, err := m.store.SwapsMade(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	d.Made = made
	for _, sh := range mine {
		v := shiftView{Shift: sh, Mine: true, CanCancel: sh.Start.After(now), Tel: phone.TelURI(sh.PhoneNumber)}
		if v.CanCancel {
			people, err := m.store.Colleagues(ctx, sh.GroupID, u.ID)
			if err != nil {
				return nil, err
			}
			for _, p := range people {
				if Speaks(p.Languages, sh.Langs) {
					v.Colleagues = append(v.Colleagues, p)
				}
			}
		}
		d.Mine = append(d.Mine, v)
	}
	ops, err := m.ops.ListFor(ctx, u)
	if err != nil {
		return nil, err
	}
	var groups []int64
	for _, op := range ops {
		for _, g := range VolunteerGroups(u, op) {
			if !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	open, err := m.store.OpenShifts(ctx, groups, now)
	if err != nil {
		return nil, err
	}
	for _, sh := range open {
		if Speaks(u.Languages, sh.Langs) && !OverlapsAny(sh.Interval(), intervals(mine)) {
			d.Open = append(d.Open, shiftView{Shift: sh})
		}
	}
	if d.Offers, err = m.store.SwapsOffered(ctx, u.ID); err != nil {
		return nil, err
	}
	if d.FeedAt, err = m.store.HasFeed(ctx, u.ID); err != nil {
		return nil, err
	}
	d.HasLines = len(groups) > 0
	return d, nil
}

func intervals(shifts []Shift) []Interval {
	out := make([]Interval, len(shifts))
	for i, sh := range shifts {
		out[i] = sh.Interval()
	}
	return out
}

func (m *Module) mine(w http.ResponseWriter, r *http.Request) error {
	d, err := m.mineData(r)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "helpline/mine", d)
	return nil
}

// afterMine shows "my shifts" again with a problem, or goes back to it
// with a message.
func (m *Module) afterMine(w http.ResponseWriter, r *http.Request, err error, flash string) error {
	if err != nil {
		if _, ok := problem.As(err); !ok || errors.Is(err, ErrNotFound) {
			return err
		}
		d, derr := m.mineData(r)
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "helpline/mine", d, err)
	}
	m.app.Flash(r, flash)
	return web.Redirect(w, r, "/shifts/mine")
}

func (m *Module) take(w http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	return m.afterMine(w, r, m.store.TakeShift(r.Context(), web.User(r), id), "helpline.taken")
}

func (m *Module) giveBack(w http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	return m.afterMine(w, r, m.store.GiveBack(r.Context(), web.User(r), id), "helpline.given_back")
}

func (m *Module) offerSwap(w http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	_, err = m.store.OfferSwap(r.Context(), web.User(r), id, to)
	return m.afterMine(w, r, err, "helpline.swap_offered")
}

func (m *Module) answerSwap(accept bool) web.Handler {
	flash := "helpline.swap_declined"
	if accept {
		flash = "helpline.swap_accepted"
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathInt(r, "id")
		if err != nil {
			return err
		}
		return m.afterMine(w, r, m.store.AnswerSwap(r.Context(), web.User(r), id, accept), flash)
	}
}

// renewFeed makes a new calendar address and shows it this once: only
// its hash is kept.
func (m *Module) renewFeed(w http.ResponseWriter, r *http.Request) error {
	token, err := m.store.RenewFeed(r.Context(), web.User(r).ID)
	if err != nil {
		return err
	}
	d, err := m.mineData(r)
	if err != nil {
		return err
	}
	d.FeedURL = m.app.Config.BaseURL + "/calendar/" + token + ".ics"
	m.app.Render(w, r, http.StatusOK, "helpline/mine", d)
	return nil
}

func (m *Module) feed(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return ErrNotFound
	}
	person, err := m.store.FeedOwner(r.Context(), token)
	if err != nil {
		return err
	}
	now := m.app.Now()
	shifts, err := m.store.PersonShifts(r.Context(), person, now.AddDate(0, 0, -30))
	if err != nil {
		return err
	}
	var lang string
	if p, err := m.app.Auth.Person(r.Context(), person); err == nil {
		lang = p.UILang
	}
	body := Calendar(shifts, now, func(key string, args ...any) string { return m.app.Catalogue.T(lang, key, args...) }, m.app.Config.BaseURL)
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Write([]byte(body))
	return nil
}
