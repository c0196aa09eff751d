package operation

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/notify"
	"megafon/platform/auth"
	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Access of the routes: who has any part in operations.
var (
	partakers = web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead, auth.Volunteer)
	creators  = web.Roles(auth.Admin, auth.Coordinator)
	leads     = web.Roles(auth.GroupLead)
)

// Mount adds the operation pages to app.
func (m *Module) Mount(app *web.App) {
	m.app = app
	m.store = &Store{DB: app.DB, Now: app.Now}
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("operation", web.Sub(templates, "templates"))

	app.Handle("GET /operations", partakers, m.list)
	app.Handle("GET /operations/new", creators, m.newForm)
	app.Handle("POST /operations", creators, m.create)
	app.Handle("GET /operations/{id}", partakers, m.show)
	app.Handle("GET /operations/{id}/edit", creators, m.editForm)
	app.Handle("POST /operations/{id}", creators, m.update)
	app.Handle("POST /operations/{id}/invite", creators, m.invite)
	app.Handle("POST /operations/{id}/join", leads, m.join)
	app.Handle("POST /operations/{id}/leave", leads, m.leave)
	app.Handle("POST /operations/{id}/level", web.Roles(auth.Coordinator), m.changeLevel)
	app.Handle("GET /levels", partakers, m.levels)
	app.Handle("GET /levels/edit", web.Roles(auth.Admin), m.levelsForm)
	app.Handle("POST /levels", web.Roles(auth.Admin), m.saveLevels)

	app.Nav(web.NavItem{Key: "operation.nav", Path: "/operations", Access: partakers, Order: 10})
}

// operationFor reads the operation of the path for the signed-in person,
// answering 404 when she may not see it.
func (m *Module) operationFor(r *http.Request) (Operation, error) {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return Operation{}, err
	}
	return m.store.GetFor(r.Context(), web.User(r), id)
}

func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	ops, err := m.store.ListFor(r.Context(), u)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "operation/list", map[string]any{"Operations": ops, "CanCreate": u.IsAdmin() || u.Has(auth.Coordinator)})
	return nil
}

// formData is what the create and edit form shows.
type formData struct {
	ID           int64
	Draft        Draft
	AdminOptions []option
	LevelOptions []option
}

// option is a choice of a select field.
type option struct {
	Value any
	Label string
}

// form returns the form's data in the reader's language.
func (m *Module) form(r *http.Request, id int64, d Draft) (formData, error) {
	admins, err := m.adminsFor(r.Context(), web.User(r))
	if err != nil {
		return formData{}, err
	}
	f := formData{ID: id, Draft: d}
	for _, o := range admins {
		f.AdminOptions = append(f.AdminOptions, option{o.ID, o.Name})
	}
	for _, l := range allLevels() {
		f.LevelOptions = append(f.LevelOptions, option{strconv.Itoa(int(l)), m.app.T(r, "operation.level_n", "N", int(l)) + ": " + m.app.T(r, "operation.level."+l.Key())})
	}
	return f, nil
}

func (m *Module) adminsFor(ctx context.Context, u *auth.User) ([]auth.Org, error) {
	orgs, err := m.app.Auth.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(orgs, func(o auth.Org) bool { return o.Kind != auth.Administration || !CanCreate(u, o.ID) }), nil
}

func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	f, err := m.form(r, 0, Draft{StartsOn: m.app.Now().Format(time.DateOnly), Level: LevelSelfRun})
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "operation/form", f)
	return nil
}

func allLevels() []Level { return []Level{LevelSelfRun, LevelSupported, LevelJoint, LevelCrisis} }

func draftFrom(r *http.Request) Draft {
	lead, _ := strconv.ParseInt(r.PostFormValue("lead_org_id"), 10, 64)
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	return Draft{
		Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		StartsOn: strings.TrimSpace(r.PostFormValue("starts_on")), EndsOn: strings.TrimSpace(r.PostFormValue("ends_on")),
		LeadOrgID: lead, Level: Level(level),
	}
}

func (m *Module) create(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	d := draftFrom(r)
	f, err := m.form(r, 0, d)
	if err != nil {
		return err
	}
	if d.LeadOrgID > 0 && !CanCreate(u, d.LeadOrgID) {
		return m.app.RenderForm(w, r, "operation/form", f, errLeadInvalid)
	}
	id, err := m.store.Create(r.Context(), u, d)
	if err != nil {
		return m.app.RenderForm(w, r, "operation/form", f, err)
	}
	m.app.Flash(r, "operation.flash.created")
	return web.Redirect(w, r, fmt.Sprintf("/operations/%d", id))
}

func (m *Module) editForm(w http.ResponseWriter, r *http.Request) error {
	op, err := m.managed(r)
	if err != nil {
		return err
	}
	f, err := m.form(r, op.ID, Draft{Name: op.Name, Description: op.Description, StartsOn: op.StartsOn, EndsOn: op.EndsOn, LeadOrgID: op.LeadOrgID, Level: op.Level})
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "operation/form", f)
	return nil
}

// managed reads the operation of the path for a person who must manage
// it: 404 when she may not see it, 403 when she sees but may not manage.
func (m *Module) managed(r *http.Request) (Operation, error) {
	op, err := m.operationFor(r)
	if err != nil {
		return op, err
	}
	if !CanManage(web.User(r), op) {
		return op, problem.New(problem.Forbidden, "operation.error.not_lead")
	}
	return op, nil
}

func (m *Module) update(w http.ResponseWriter, r *http.Request) error {
	op, err := m.managed(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	d := draftFrom(r)
	f, err := m.form(r, op.ID, d)
	if err != nil {
		return err
	}
	if !CanCreate(u, d.LeadOrgID) {
		return m.app.RenderForm(w, r, "operation/form", f, errLeadInvalid)
	}
	if err := m.store.Update(r.Context(), op.ID, d); err != nil {
		return m.app.RenderForm(w, r, "operation/form", f, err)
	}
	m.app.Flash(r, "operation.flash.saved")
	return web.Redirect(w, r, fmt.Sprintf("/operations/%d", op.ID))
}

// LevelView is a level with its texts resolved in the reader's language.
type LevelView struct {
	Spec       LevelSpec
	Name       string
	CityDoes   string
	GroupsDo   string
	ForMe      string
	MeaningFor map[string]string // role -> text
	AnswerIn   string
}

func (m *Module) levelView(city CityLevels, l Level, lang string, role auth.Role) LevelView {
	spec, _ := SpecFor(city.Specs, l)
	text := func(field string) string {
		if t := city.Text(l, field, lang); t != "" {
			return t
		}
		return m.app.Catalogue.T(lang, TextKey(spec, field))
	}
	v := LevelView{Spec: spec, Name: m.app.Catalogue.T(lang, "operation.level."+l.Key()), CityDoes: text("city_does"), GroupsDo: text("groups_do"),
		MeaningFor: map[string]string{}, AnswerIn: formatHours(m.app, lang, spec.AnswerIn)}
	for _, r := range []string{"coordinator", "group_lead", "volunteer"} {
		v.MeaningFor[r] = text("for_" + r)
	}
	if role != "" {
		v.ForMe = v.MeaningFor[string(role)]
	}
	return v
}

func formatHours(app *web.App, lang string, d time.Duration) string {
	return app.Catalogue.T(lang, "operation.hours", "Count", int(d.Hours()))
}

// showData is the operation's page.
type showData struct {
	Op             Operation
	Level          LevelView
	Role           auth.Role
	History        []LevelChange
	Participations []Participation
	Suggestion     *SuggestionView
	CanManage      bool
	CanChangeLevel bool
	Invitable      []auth.Org
	MyInvited      []auth.Org // groups she leads that are invited
	MyTaking       []auth.Org // groups she leads that take part
	Levels         []LevelView
	Form           LevelChangeRequest
}

// SuggestionView is a level suggestion in words.
type SuggestionView struct {
	Suggestion
	ToName  string
	Reasons []string
}

func (m *Module) show(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	data, err := m.showData(r, op)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "operation/show", data)
	return nil
}

func (m *Module) showData(r *http.Request, op Operation) (*showData, error) {
	ctx, u, lang := r.Context(), web.User(r), web.Lang(r)
	city, err := m.store.Levels(ctx)
	if err != nil {
		return nil, err
	}
	d := &showData{Op: op, Role: RoleIn(u, op), CanManage: CanManage(u, op), CanChangeLevel: CanChangeLevel(u, op)}
	d.Level = m.levelView(city, op.Level, lang, d.Role)
	if d.History, err = m.store.History(ctx, op.ID); err != nil {
		return nil, err
	}
	orgs, err := m.app.Auth.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.Kind != auth.PartnerGroup {
			continue
		}
		if d.CanManage && !op.Takes(o.ID) && !op.Invited(o.ID) {
			d.Invitable = append(d.Invitable, o)
		}
		if CanAnswerInvitation(u, o.ID) && op.Invited(o.ID) {
			d.MyInvited = append(d.MyInvited, o)
		}
		if CanAnswerInvitation(u, o.ID) && op.Takes(o.ID) {
			d.MyTaking = append(d.MyTaking, o)
		}
	}
	// Who takes part is for the city and the groups taking part; a group
	// only invited sees the invitation, not the other groups.
	if d.CanManage || u.Has(auth.Coordinator) || d.Role == auth.GroupLead && len(d.MyTaking) > 0 {
		if d.Participations, err = m.store.Participations(ctx, op.ID); err != nil {
			return nil, err
		}
	}
	if u.Has(auth.Coordinator) || u.IsAdmin() {
		sig, err := CollectSignals(ctx, m.signalSources(), op.ID, m.app.Now())
		if err != nil {
			return nil, err
		}
		th, err := m.store.Thresholds(ctx)
		if err != nil {
			return nil, err
		}
		if s := SuggestLevel(op.Level, sig, th); s.Change != Keep {
			sv := &SuggestionView{Suggestion: s, ToName: m.app.Catalogue.T(lang, "operation.level."+s.To.Key())}
			for _, reason := range s.Reasons {
				sv.Reasons = append(sv.Reasons, m.app.Catalogue.T(lang, reason.Key, "Value", reason.Value, "Threshold", reason.Threshold, "Average", reason.Average))
			}
			d.Suggestion = sv
		}
	}
	if d.CanChangeLevel {
		for _, l := range allLevels() {
			d.Levels = append(d.Levels, m.levelView(city, l, lang, ""))
		}
	}
	return d, nil
}

func (m *Module) invite(w http.ResponseWriter, r *http.Request) error {
	op, err := m.managed(r)
	if err != nil {
		return err
	}
	org, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	if err := m.store.Invite(r.Context(), web.User(r), op.ID, org); err != nil {
		return m.formError(w, r, op, err)
	}
	m.app.Flash(r, "operation.flash.invited")
	return web.Redirect(w, r, fmt.Sprintf("/operations/%d", op.ID))
}

// formError shows the operation's page again with a form's problems.
func (m *Module) formError(w http.ResponseWriter, r *http.Request, op Operation, err error) error {
	if _, ok := problem.As(err); !ok {
		return err
	}
	data, derr := m.showData(r, op)
	if derr != nil {
		return derr
	}
	return m.app.RenderForm(w, r, "operation/show", data, err)
}

// groupOf reads the org_id of a join or leave form: a group the signed-in
// person leads.
func groupOf(r *http.Request) (int64, error) {
	org, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	if !CanAnswerInvitation(web.User(r), org) {
		return 0, problem.New(problem.Forbidden, "operation.error.not_group_lead")
	}
	return org, nil
}

func (m *Module) join(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	org, err := groupOf(r)
	if err != nil {
		return err
	}
	if err := m.store.Join(r.Context(), op.ID, org); err != nil {
		return err
	}
	m.app.Flash(r, "operation.flash.joined")
	return web.Redirect(w, r, fmt.Sprintf("/operations/%d", op.ID))
}

func (m *Module) leave(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	org, err := groupOf(r)
	if err != nil {
		return err
	}
	if err := m.store.Leave(r.Context(), op.ID, org); err != nil {
		return err
	}
	m.app.Flash(r, "operation.flash.left")
	return web.Redirect(w, r, "/operations")
}

func (m *Module) changeLevel(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	if !CanChangeLevel(u, op) {
		return problem.New(problem.Forbidden, "operation.error.not_lead")
	}
	to, _ := strconv.Atoi(r.PostFormValue("level"))
	req := LevelChangeRequest{To: Level(to), Reason: r.PostFormValue("reason")}
	_, err = m.store.ChangeLevel(r.Context(), u, op.ID, req, m.notifyLevelChange)
	if err != nil {
		if _, ok := problem.As(err); ok {
			data, derr := m.showData(r, op)
			if derr != nil {
				return derr
			}
			data.Form = req
			return m.app.RenderForm(w, r, "operation/show", data, err)
		}
		return err
	}
	m.app.Flash(r, "operation.flash.level_changed")
	return web.Redirect(w, r, fmt.Sprintf("/operations/%d", op.ID))
}

// notifyLevelChange tells every member of the operation, in the app and by
// e-mail, in the same transaction as the change.
func (m *Module) notifyLevelChange(ctx context.Context, tx *sql.Tx, op Operation, c LevelChange, members []Member) error {
	to := make([]notify.Recipient, len(members))
	for i, mb := range members {
		to[i] = notify.Recipient{PersonID: mb.PersonID, Email: mb.Email, Lang: mb.UILang}
	}
	msg := notify.Message{Key: "operation.notice.level_changed", Link: fmt.Sprintf("/operations/%d", op.ID), Args: map[string]string{
		"Name": op.Name, "From": strconv.Itoa(int(c.From)), "To": strconv.Itoa(int(c.To)), "Reason": c.Reason, "By": c.ByName,
	}}
	return notify.Add(ctx, tx, c.At, m.app.Catalogue.T, m.app.Config.BaseURL, "operation.notice.level_changed_subject", to, msg)
}

// levelsData is the page of the city's levels.
type levelsData struct {
	Levels  []LevelView
	City    CityLevels
	Langs   []string
	Fields  []string
	Rhythms []Rhythm
	Edit    []levelEdit
}

// levelEdit is one level in the administrator's form.
type levelEdit struct {
	Level     Level
	Name      string
	Hours     string
	Reporting Rhythm
	Texts     []textField
}

type textField struct {
	Name, Label, Lang, Value string
}

func (m *Module) levelsPage(r *http.Request) (*levelsData, error) {
	city, err := m.store.Levels(r.Context())
	if err != nil {
		return nil, err
	}
	d := &levelsData{City: city, Langs: uiLangs(), Fields: LevelTextFields, Rhythms: Rhythms}
	for _, l := range allLevels() {
		d.Levels = append(d.Levels, m.levelView(city, l, web.Lang(r), RoleIn(web.User(r), Operation{})))
	}
	d.fillEdit(m, web.Lang(r))
	return d, nil
}

func uiLangs() []string { return i18n.Codes() }

func (m *Module) levels(w http.ResponseWriter, r *http.Request) error {
	d, err := m.levelsPage(r)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "operation/levels", d)
	return nil
}

func (m *Module) levelsForm(w http.ResponseWriter, r *http.Request) error {
	d, err := m.levelsPage(r)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "operation/levels_edit", d)
	return nil
}

func (m *Module) saveLevels(w http.ResponseWriter, r *http.Request) error {
	d, err := m.levelsPage(r)
	if err != nil {
		return err
	}
	city := CityLevels{Specs: DefaultLevels(), Texts: map[Level]map[string]map[string]string{}}
	var l problem.List
	for i, spec := range city.Specs {
		n := strconv.Itoa(int(spec.Level))
		hours, err := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("answer_in_"+n)), 64)
		if err != nil || hours <= 0 || hours > 24*30 {
			l.Add("answer_in_"+n, "operation.error.hours")
		}
		city.Specs[i].AnswerIn = time.Duration(hours * float64(time.Hour))
		city.Specs[i].Reporting = Rhythm(r.PostFormValue("reporting_" + n))
		city.Texts[spec.Level] = map[string]map[string]string{}
		for _, f := range LevelTextFields {
			city.Texts[spec.Level][f] = map[string]string{}
			for _, lang := range uiLangs() {
				if t := strings.TrimSpace(r.PostFormValue("text_" + n + "_" + f + "_" + lang)); t != "" && t != m.app.Catalogue.T(lang, TextKey(spec, f)) {
					city.Texts[spec.Level][f][lang] = t
				}
			}
		}
	}
	if len(l) == 0 {
		err = m.store.SaveLevels(r.Context(), web.User(r), city)
		var lp LevelProblems
		if errors.As(err, &lp) {
			for _, p := range lp {
				l.Add(p.Field+"_"+strconv.Itoa(int(p.Level)), p.Key)
			}
		} else if err != nil {
			return err
		}
	}
	if len(l) > 0 {
		d.City = city
		d.fillEdit(m, web.Lang(r))
		for i, e := range d.Edit {
			e.Hours = r.PostFormValue("answer_in_" + strconv.Itoa(int(e.Level)))
			d.Edit[i] = e
		}
		return m.app.RenderForm(w, r, "operation/levels_edit", d, l)
	}
	m.app.Flash(r, "operation.flash.levels_saved")
	return web.Redirect(w, r, "/levels")
}

// fillEdit prepares the administrator's form from d.City: every field in
// every interface language, with the city's text or the catalogue's.
func (d *levelsData) fillEdit(m *Module, lang string) {
	d.Edit = nil
	for _, spec := range d.City.Specs {
		n := strconv.Itoa(int(spec.Level))
		e := levelEdit{Level: spec.Level, Name: m.app.Catalogue.T(lang, "operation.level."+spec.Level.Key()),
			Hours: strconv.FormatFloat(spec.AnswerIn.Hours(), 'f', -1, 64), Reporting: spec.Reporting}
		for _, f := range LevelTextFields {
			for _, l := range d.Langs {
				v := d.City.Text(spec.Level, f, l)
				if v == "" {
					v = m.app.Catalogue.T(l, TextKey(spec, f))
				}
				e.Texts = append(e.Texts, textField{Name: "text_" + n + "_" + f + "_" + l, Label: "operation.levels.field." + f, Lang: l, Value: v})
			}
		}
		d.Edit = append(d.Edit, e)
	}
}
