package referral

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/problem"
	"megafon/platform/richtext"
	"megafon/platform/web"
)

// Access of the routes: the coarse gate. Handlers check the operation,
// the group and the administration.
var (
	viewers      = web.Roles(auth.Admin, auth.Coordinator, auth.Volunteer)
	volunteers   = web.Roles(auth.Volunteer)
	coordinators = web.Roles(auth.Coordinator)
	admins       = web.Roles(auth.Admin)
)

func (m *Module) mountRoutes(app *web.App) {
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("referral", web.Sub(templates, "templates"))
	app.Nav(web.NavItem{Key: "referral.nav", Path: "/referrals", Access: viewers, Order: 27})

	app.Handle("GET /referrals", viewers, m.index)
	app.Handle("GET /operations/{id}/referrals/new", volunteers, m.newForm)
	app.Handle("POST /operations/{id}/referrals", volunteers, m.file)
	app.Handle("GET /referrals/{id}", coordinators, m.show)
	app.Handle("POST /referrals/{id}/move", coordinators, m.move)
	app.Handle("POST /referrals/{id}/contact", coordinators, m.contact)
	app.Handle("GET /referrals/routes", admins, m.routesForm)
	app.Handle("POST /referrals/routes", admins, m.saveRoutes)
}

// newKey is a fresh idempotency token for a filing form.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// caseView is a referral as its administration's pages show it.
type caseView struct {
	Referral
	NeedHTML     template.HTML
	AckOverdue   bool
	CloseOverdue bool
}

func (m *Module) caseView(r Referral, now time.Time) caseView {
	return caseView{Referral: r, NeedHTML: richtext.UserText(r.Need), AckOverdue: r.AckOverdue(now), CloseOverdue: r.CloseOverdue(now)}
}

type indexData struct {
	Operations  []operation.Operation // where she may file
	Filed       []Status
	Open        []caseView
	Closed      []caseView
	IsVolunteer bool
	IsCoord     bool
	IsAdmin     bool
}

func (m *Module) index(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), web.User(r)
	d := indexData{IsVolunteer: u.Has(auth.Volunteer), IsCoord: u.Has(auth.Coordinator), IsAdmin: u.IsAdmin()}
	if d.IsVolunteer {
		ops, err := m.ops.ListFor(ctx, u)
		if err != nil {
			return err
		}
		for _, op := range ops {
			if _, ok := CanFile(u, op.GroupIDs); ok {
				d.Operations = append(d.Operations, op)
			}
		}
		if d.Filed, err = m.store.FiledBy(ctx, u.ID); err != nil {
			return err
		}
	}
	if d.IsCoord {
		cases, err := m.store.ForAdministrations(ctx, u.OrgsWith(auth.Coordinator))
		if err != nil {
			return err
		}
		now := m.app.Now()
		for _, c := range cases {
			if c.State == Closed {
				d.Closed = append(d.Closed, m.caseView(c, now))
			} else {
				d.Open = append(d.Open, m.caseView(c, now))
			}
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	m.app.Render(w, r, http.StatusOK, "referral/index", d)
	return nil
}

// formData is the filing form.
type formData struct {
	Op         operation.Operation
	Form       formValues
	Categories []Category
	Urgencies  []Urgency
	Deadlines  map[Urgency]Deadline
	MaxNeed    int
	MaxContact int
}

type formValues struct {
	Category, Urgency, Need, Contact, Key string
	Consent                               bool
}

// operationToFile reads the operation of the path for a volunteer of a
// group taking part in it, and her group; anyone else gets 404.
func (m *Module) operationToFile(r *http.Request) (operation.Operation, int64, error) {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return operation.Operation{}, 0, err
	}
	op, err := m.ops.GetFor(r.Context(), web.User(r), id)
	if err != nil {
		return operation.Operation{}, 0, err
	}
	group, ok := CanFile(web.User(r), op.GroupIDs)
	if !ok {
		return operation.Operation{}, 0, ErrNotFound
	}
	return op, group, nil
}

func (m *Module) form(op operation.Operation, v formValues) formData {
	return formData{Op: op, Form: v, Categories: Categories, Urgencies: Urgencies, Deadlines: Deadlines,
		MaxNeed: MaxNeedRunes, MaxContact: MaxContactRunes}
}

func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	op, _, err := m.operationToFile(r)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "referral/new", m.form(op, formValues{Key: newKey()}))
	return nil
}

func (m *Module) file(w http.ResponseWriter, r *http.Request) error {
	op, group, err := m.operationToFile(r)
	if err != nil {
		return err
	}
	v := formValues{Category: r.PostFormValue("category"), Urgency: r.PostFormValue("urgency"), Need: r.PostFormValue("need"),
		Contact: r.PostFormValue("contact"), Consent: r.PostFormValue("consent") == "yes", Key: r.PostFormValue("key")}
	f := Filing{Category: Category(v.Category), Urgency: Urgency(v.Urgency), Need: v.Need, Consent: v.Consent, Contact: v.Contact, Key: v.Key}
	found, err := f.Clean()
	if err == nil {
		_, err = m.store.File(r.Context(), web.User(r), op.ID, group, f)
	}
	if err != nil {
		// A token that cannot file (forged, or another person's) is
		// replaced, so the corrected form can; a valid one is kept, so a
		// retry files once.
		if !validKey(v.Key) || errors.Is(err, errKeyTaken) {
			v.Key = newKey()
		}
		return m.app.RenderForm(w, r, "referral/new", m.form(op, v), err)
	}
	if found.Any() {
		m.app.Flash(r, "referral.filed_masked")
	} else {
		m.app.Flash(r, "referral.filed")
	}
	return web.Redirect(w, r, "/referrals")
}

// showData is a referral's page for its administration.
type showData struct {
	Case     caseView
	Steps    []State // the moves forward other than closing
	CanClose bool
	Outcomes []Outcome
	Outcome  string
}

func (m *Module) showPage(r *http.Request, id int64) (showData, error) {
	ref, err := m.store.View(r.Context(), id, web.User(r), m.app.Audit, web.ClientAddr(r))
	if err != nil {
		return showData{}, err
	}
	d := showData{Case: m.caseView(ref, m.app.Now()), Outcomes: Outcomes}
	for _, s := range NextStates(ref.State) {
		if s == Closed {
			d.CanClose = true
		} else {
			d.Steps = append(d.Steps, s)
		}
	}
	return d, nil
}

func (m *Module) show(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return err
	}
	d, err := m.showPage(r, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	m.app.Render(w, r, http.StatusOK, "referral/show", d)
	return nil
}

func (m *Module) move(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return err
	}
	to, outcome := State(r.PostFormValue("to")), Outcome(r.PostFormValue("outcome"))
	err = m.store.Move(r.Context(), id, web.User(r), to, outcome, m.app.Audit, web.ClientAddr(r))
	if l, ok := problem.As(err); ok && l[0].Kind == problem.Invalid {
		// A missing outcome: the page again, with the problem beside it.
		d, derr := m.showPage(r, id)
		if derr != nil {
			return derr
		}
		d.Outcome = string(outcome)
		w.Header().Set("Cache-Control", "no-store")
		return m.app.RenderForm(w, r, "referral/show", d, err)
	}
	if err != nil {
		return err
	}
	m.app.Flash(r, "referral.moved")
	return web.Redirect(w, r, "/referrals/"+strconv.FormatInt(id, 10))
}

func (m *Module) contact(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return err
	}
	u := web.User(r)
	if !m.reveals.Allow(u.ID, m.app.Now()) {
		m.app.Log.Warn("referral contact reveals refused: over the limit", "person", u.ID, "referral", id)
		return errRevealLimit
	}
	c, err := m.store.RevealContact(r.Context(), id, u, m.app.Audit, web.ClientAddr(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	m.app.Render(w, r, http.StatusOK, "referral/contact", struct {
		ID          int64
		ContactHTML template.HTML
	}{id, richtext.UserText(c)})
	return nil
}

// routesData is the routing table's form.
type routesData struct {
	Routes []routeRow
	Orgs   []auth.Org
}

type routeRow struct {
	Category Category
	Field    string
	Value    string
}

func (m *Module) routesData(r *http.Request, values map[Category]string) (routesData, error) {
	ctx := r.Context()
	routes, err := m.store.Routes(ctx)
	if err != nil {
		return routesData{}, err
	}
	orgs, err := m.app.Auth.Orgs(ctx)
	if err != nil {
		return routesData{}, err
	}
	var d routesData
	for _, o := range orgs {
		if o.Kind == auth.Administration {
			d.Orgs = append(d.Orgs, o)
		}
	}
	for _, rt := range routes {
		v := ""
		if rt.OrgID != 0 {
			v = strconv.FormatInt(rt.OrgID, 10)
		}
		if s, ok := values[rt.Category]; ok {
			v = s
		}
		d.Routes = append(d.Routes, routeRow{Category: rt.Category, Field: RouteField(rt.Category), Value: v})
	}
	return d, nil
}

func (m *Module) routesForm(w http.ResponseWriter, r *http.Request) error {
	d, err := m.routesData(r, nil)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "referral/routes", d)
	return nil
}

func (m *Module) saveRoutes(w http.ResponseWriter, r *http.Request) error {
	values := map[Category]string{}
	ids := map[Category]int64{}
	var l problem.List
	for _, c := range Categories {
		v := r.PostFormValue(RouteField(c))
		values[c] = v
		if v == "" {
			ids[c] = 0
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			l.Add(RouteField(c), "referral.error.route_org")
			continue
		}
		ids[c] = id
	}
	err := l.Err()
	if err == nil {
		err = m.store.SetRoutes(r.Context(), web.User(r), ids, web.ClientAddr(r), m.app.Audit)
	}
	if err != nil {
		d, derr := m.routesData(r, values)
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "referral/routes", d, err)
	}
	m.app.Flash(r, "referral.routes.saved")
	return web.Redirect(w, r, "/referrals/routes")
}
