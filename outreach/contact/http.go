package contact

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/contact/importfile"
	"megafon/outreach/contact/phone"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/csvout"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// Access of the routes: the coarse gate. Handlers check the group.
var (
	viewers = web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead, auth.Volunteer)
	members = web.Roles(auth.GroupLead, auth.Volunteer)
	leads   = web.Roles(auth.GroupLead)
)

// FormLanguages are offered when a contact is typed in by hand.
var FormLanguages = []string{"ar", "so", "ti", "prs", "fa", "ckb", "kmr", "bs", "ps", "am", "tr", "ru", "uk", "en", "sv"}

const pageSize = 100

func (m *Module) mountRoutes(app *web.App) {
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("contact", web.Sub(templates, "templates"))
	app.Nav(web.NavItem{Key: "contact.nav", Path: "/contacts", Access: viewers, Order: 22})

	app.Handle("GET /contacts", viewers, m.index)
	app.Handle("GET /contacts/groups/{id}", members, m.group)
	app.Handle("GET /contacts/groups/{id}/new", leads, m.newForm)
	app.Handle("POST /contacts/groups/{id}/new", leads, m.add)
	app.Handle("GET /contacts/groups/{id}/do-not-call", leads, m.dncForm)
	app.Handle("POST /contacts/groups/{id}/do-not-call", leads, m.dncAdd)
	app.Handle("GET /contacts/groups/{id}/imports", leads, m.importsPage)
	app.Handle("POST /contacts/groups/{id}/imports", leads, m.upload, web.MaxBody(MaxFileSize+1<<20))
	app.Handle("POST /contacts/{id}/reveal", members, m.reveal)
	app.Handle("POST /contacts/{id}/delete", leads, m.remove)
	app.Handle("POST /contacts/{id}/do-not-call", leads, m.blockContact)
	app.Handle("GET /contacts/imports/{id}", leads, m.importPage)
	app.Handle("POST /contacts/imports/{id}/mapping", leads, m.setMapping)
	app.Handle("POST /contacts/imports/{id}/start", leads, m.start)
	app.Handle("POST /contacts/imports/{id}/resume", leads, m.resume)
	app.Handle("POST /contacts/imports/{id}/rollback", leads, m.rollback)
	app.Handle("POST /contacts/imports/{id}/discard", leads, m.discard)
	app.Handle("GET /contacts/imports/{id}/progress.json", leads, m.progressJSON)
	app.Handle("GET /contacts/imports/{id}/rejected.csv", leads, m.rejectedCSV)
	app.ServeAssets("/contacts/assets/", assetFiles)
}

//go:embed assets
var assets embed.FS

// assetFiles is the module's script, served under /contacts beside its pages.
var assetFiles = func() fs.FS { sub, _ := fs.Sub(assets, "assets"); return sub }()

// groupFor loads the partner group of the path when allowed lets the
// signed-in person at it; everyone else gets 404.
func (m *Module) groupFor(r *http.Request, allowed func(*auth.User, int64) bool) (auth.Org, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return auth.Org{}, err
	}
	if !allowed(web.User(r), id) {
		return auth.Org{}, errNotFound
	}
	org, err := m.app.Auth.Org(r.Context(), id)
	if err != nil || org.Kind != auth.PartnerGroup {
		return auth.Org{}, errNotFound
	}
	return org, nil
}

type groupCount struct {
	Org   auth.Org
	Count int
}

type indexData struct {
	Mine      []groupCount // the groups the person belongs to
	City      []groupCount // every partner group, for the city
	CityTotal int
	CityDNC   int
}

func (m *Module) index(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), web.User(r)
	counts, err := m.store.Counts(ctx)
	if err != nil {
		return err
	}
	orgs, err := m.app.Auth.Orgs(ctx)
	if err != nil {
		return err
	}
	var d indexData
	seeCity := u.Has(auth.Admin, auth.Coordinator)
	for _, o := range orgs {
		if o.Kind != auth.PartnerGroup {
			continue
		}
		if CanSeeGroup(u, o.ID) {
			d.Mine = append(d.Mine, groupCount{o, counts[o.ID]})
		}
		if seeCity {
			d.City = append(d.City, groupCount{o, counts[o.ID]})
			d.CityTotal += counts[o.ID]
		}
	}
	if seeCity {
		if d.CityDNC, _, err = m.store.DoNotCallCounts(ctx, 0); err != nil {
			return err
		}
	}
	m.app.Render(w, r, http.StatusOK, "contact/index", d)
	return nil
}

type groupData struct {
	Org          auth.Org
	Contacts     []Listed
	Total        int
	Page, Pages  int
	Lead         bool
	Running      []Import
	Revealed     *revealed
	ScopeOptions []map[string]any
}

type revealed struct {
	ID    int64
	Phone string
	Name  string
}

func (m *Module) group(w http.ResponseWriter, r *http.Request) error {
	org, err := m.groupFor(r, CanSeeGroup)
	if err != nil {
		return err
	}
	d, err := m.groupPage(r, org)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "contact/group", d)
	return nil
}

func (m *Module) groupPage(r *http.Request, org auth.Org) (*groupData, error) {
	ctx := r.Context()
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	list, total, err := m.store.List(ctx, org.ID, (page-1)*pageSize, pageSize)
	if err != nil {
		return nil, err
	}
	d := &groupData{Org: org, Contacts: list, Total: total, Page: page, Pages: max(1, (total+pageSize-1)/pageSize),
		Lead: CanManageGroup(web.User(r), org.ID)}
	if d.Lead {
		imports, err := m.imports.List(ctx, org.ID)
		if err != nil {
			return nil, err
		}
		for _, i := range imports {
			if i.State == StateRunning || i.State == StateInterrupted || i.State == StateDraft {
				d.Running = append(d.Running, i)
			}
		}
	}
	return d, nil
}

// reveal shows one contact's number and name to a group lead, after
// writing the view to the audit log. It is a POST so that no prefetch or history reveals it.
func (m *Module) reveal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return err
	}
	c, err := m.store.Get(r.Context(), id)
	if err != nil {
		return err
	}
	u := web.User(r)
	// The group view reveals to group leads only; a volunteer sees the
	// contact she holds on her call screen.
	if !CanReveal(u, c.OrgID, false) {
		return errNotFound
	}
	p, n, err := m.revealFor(r.Context(), id, u, web.ClientAddr(r), false)
	if err != nil {
		return err
	}
	org, err := m.app.Auth.Org(r.Context(), c.OrgID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	m.app.Render(w, r, http.StatusOK, "contact/reveal", struct {
		Org     auth.Org
		Contact Contact
		Phone   string
		Name    string
		Tel     template.URL
	}{org, c, p, n, phone.TelURI(p)})
	return nil
}

// contactForLead loads the contact of the path for a lead of its group.
func (m *Module) contactForLead(r *http.Request) (Contact, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return Contact{}, err
	}
	c, err := m.store.Get(r.Context(), id)
	if err != nil {
		return c, err
	}
	if !CanManageGroup(web.User(r), c.OrgID) {
		return c, errNotFound
	}
	return c, nil
}

func (m *Module) remove(w http.ResponseWriter, r *http.Request) error {
	c, err := m.contactForLead(r)
	if err != nil {
		return err
	}
	if r.FormValue("confirm") != "yes" {
		return m.confirm(w, r, c, "delete", "")
	}
	if err := m.store.Delete(r.Context(), c.ID); err != nil {
		return err
	}
	m.app.Flash(r, "contact.flash.deleted")
	return web.Redirect(w, r, fmt.Sprintf("/contacts/groups/%d", c.OrgID))
}

func (m *Module) blockContact(w http.ResponseWriter, r *http.Request) error {
	c, err := m.contactForLead(r)
	if err != nil {
		return err
	}
	scope := r.FormValue("scope")
	if scope != "city" && scope != "group" {
		return problem.New(problem.BadRequest, "contact.error.scope")
	}
	if r.FormValue("confirm") != "yes" {
		return m.confirm(w, r, c, "do-not-call", scope)
	}
	if err := m.store.DoNotCall(r.Context(), c.ID, scope == "group"); err != nil {
		return err
	}
	m.app.Flash(r, "contact.flash.blocked")
	return web.Redirect(w, r, fmt.Sprintf("/contacts/groups/%d", c.OrgID))
}

// confirm asks once more before a lead deletes or blocks a contact: one
// tap in a long list must not lose a resident.
func (m *Module) confirm(w http.ResponseWriter, r *http.Request, c Contact, action, scope string) error {
	m.app.Render(w, r, http.StatusOK, "contact/confirm", map[string]any{"C": c, "Action": action, "Scope": scope})
	return nil
}

type addForm struct {
	Phone, Name, District, Basis, BasisNote, RetainUntil string
	Languages                                            []string
}

type addData struct {
	Org       auth.Org
	Form      addForm
	Languages []string
	Bases     []map[string]any
}

func (m *Module) basisOptions(r *http.Request) []map[string]any {
	var out []map[string]any
	for _, b := range Bases {
		out = append(out, map[string]any{"Value": b, "Label": m.app.T(r, "contact.basis."+b)})
	}
	return out
}

func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	org, err := m.groupFor(r, CanManageGroup)
	if err != nil {
		return err
	}
	f := addForm{Basis: BasisConsent, RetainUntil: DefaultRetainUntil(m.app.Now()).Format("2006-01-02")}
	m.app.Render(w, r, http.StatusOK, "contact/new", addData{org, f, FormLanguages, m.basisOptions(r)})
	return nil
}

func (m *Module) add(w http.ResponseWriter, r *http.Request) error {
	org, err := m.groupFor(r, CanManageGroup)
	if err != nil {
		return err
	}
	f := addForm{Phone: r.FormValue("phone"), Name: r.FormValue("name"), District: r.FormValue("district"),
		Basis: r.FormValue("basis"), BasisNote: strings.TrimSpace(r.FormValue("basis_note")), RetainUntil: r.FormValue("retain_until")}
	for _, l := range r.Form["languages"] {
		if slices.Contains(FormLanguages, l) && !slices.Contains(f.Languages, l) {
			f.Languages = append(f.Languages, l)
		}
	}
	retain, _ := parseDate(f.RetainUntil)
	_, err = m.store.Add(r.Context(), org.ID, NewContact{Phone: f.Phone, Name: f.Name, Languages: f.Languages, District: f.District,
		Basis: f.Basis, BasisNote: f.BasisNote, RetainUntil: retain}, web.User(r))
	if err != nil {
		return m.app.RenderForm(w, r, "contact/new", addData{org, f, FormLanguages, m.basisOptions(r)}, err)
	}
	m.app.Flash(r, "contact.flash.added")
	return web.Redirect(w, r, fmt.Sprintf("/contacts/groups/%d", org.ID))
}

// parseDate reads a date from a form; the contact is kept to the end of
// that day.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, false
	}
	return t.Add(24 * time.Hour), true
}

type dncData struct {
	Org         auth.Org
	City, Group int
	Phone       string
	Scope       string
}

func (m *Module) dncForm(w http.ResponseWriter, r *http.Request) error {
	org, err := m.groupFor(r, CanManageGroup)
	if err != nil {
		return err
	}
	city, group, err := m.store.DoNotCallCounts(r.Context(), org.ID)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "contact/dnc", dncData{Org: org, City: city, Group: group, Scope: "city"})
	return nil
}

func (m *Module) dncAdd(w http.ResponseWriter, r *http.Request) error {
	org, err := m.groupFor(r, CanManageGroup)
	if err != nil {
		return err
	}
	d := dncData{Org: org, Phone: r.FormValue("phone"), Scope: r.FormValue("scope")}
	scopeOrg := int64(0)
	switch d.Scope {
	case "city":
	case "group":
		scopeOrg = org.ID
	default:
		err = problem.Field("scope", "contact.error.scope")
	}
	if err == nil {
		_, err = m.store.AddDoNotCall(r.Context(), d.Phone, scopeOrg)
	}
	if err != nil {
		d.City, d.Group, _ = m.store.DoNotCallCounts(r.Context(), org.ID)
		return m.app.RenderForm(w, r, "contact/dnc", d, err)
	}
	m.app.Flash(r, "contact.flash.number_blocked")
	return web.Redirect(w, r, fmt.Sprintf("/contacts/groups/%d/do-not-call", org.ID))
}

type importsData struct {
	Org         auth.Org
	Imports     []Import
	Basis       string
	BasisNote   string
	RetainUntil string
	Bases       []map[string]any
	MaxMB       int
}

func (m *Module) importsPage(w http.ResponseWriter, r *http.Request) error {
	org, err := m.groupFor(r, CanManageGroup)
	if err != nil {
		return err
	}
	d, err := m.importsData(r, org)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "contact/imports", d)
	return nil
}

func (m *Module) importsData(r *http.Request, org auth.Org) (*importsData, error) {
	list, err := m.imports.List(r.Context(), org.ID)
	if err != nil {
		return nil, err
	}
	return &importsData{Org: org, Imports: list, Basis: BasisConsent, Bases: m.basisOptions(r), MaxMB: MaxFileSize >> 20,
		RetainUntil: DefaultRetainUntil(m.app.Now()).Format("2006-01-02")}, nil
}

func (m *Module) upload(w http.ResponseWriter, r *http.Request) error {
	org, err := m.groupFor(r, CanManageGroup)
	if err != nil {
		return err
	}
	d, err := m.importsData(r, org)
	if err != nil {
		return err
	}
	d.Basis, d.BasisNote, d.RetainUntil = r.FormValue("basis"), strings.TrimSpace(r.FormValue("basis_note")), r.FormValue("retain_until")
	file, header, ferr := r.FormFile("file")
	if ferr != nil {
		return m.app.RenderForm(w, r, "contact/imports", d, problem.Field("file", "contact.error.file.missing"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxFileSize+1))
	if err != nil {
		return problem.New(problem.BadRequest, "error.bad_request").Because(err)
	}
	if len(data) > MaxFileSize {
		return m.app.RenderForm(w, r, "contact/imports", d, problem.New(problem.TooLarge, "contact.error.file.too_large", "MB", MaxFileSize>>20))
	}
	retain, _ := parseDate(d.RetainUntil)
	id, err := m.imports.Upload(r.Context(), org.ID, web.User(r), header.Filename, data, d.Basis, d.BasisNote, retain)
	if err != nil {
		return m.app.RenderForm(w, r, "contact/imports", d, err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/contacts/imports/%d", id))
}

// importFor loads the import of the path for a lead of its group.
func (m *Module) importFor(r *http.Request) (Import, auth.Org, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return Import{}, auth.Org{}, err
	}
	i, err := m.imports.Get(r.Context(), id)
	if err != nil {
		return i, auth.Org{}, err
	}
	if !CanManageGroup(web.User(r), i.OrgID) {
		return i, auth.Org{}, errNotFound
	}
	org, err := m.app.Auth.Org(r.Context(), i.OrgID)
	return i, org, err
}

type columnChoice struct {
	Index  int
	Header string
	Field  importfile.Field
}

type importData struct {
	Org      auth.Org
	Import   Import
	Columns  []columnChoice
	Fields   []importfile.Field
	Preview  []previewView
	Rejects  []rejectView
	More     bool
	Percent  int
	Refresh  bool
	PreviewN int
}

type previewView struct {
	PreviewRow
	Texts []string
}

type rejectView struct {
	Row    int
	Column string
	Reason string
	Detail string
}

func (m *Module) importPage(w http.ResponseWriter, r *http.Request) error {
	i, org, err := m.importFor(r)
	if err != nil {
		return err
	}
	d, err := m.importData(r, i, org)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "contact/import", d)
	return nil
}

func (m *Module) importData(r *http.Request, i Import, org auth.Org) (*importData, error) {
	d := &importData{Org: org, Import: i, Fields: append([]importfile.Field{importfile.FieldNone}, importfile.Fields...), PreviewN: PreviewRows}
	if i.Total > 0 {
		d.Percent = i.Done() * 100 / i.Total
	}
	switch i.State {
	case StateDraft:
		for k, h := range i.Header {
			c := columnChoice{Index: k, Header: h}
			if k < len(i.Mapping.Columns) {
				c.Field = i.Mapping.Columns[k]
			}
			d.Columns = append(d.Columns, c)
		}
		p, err := m.imports.Preview(r.Context(), i, PreviewRows)
		if err != nil {
			return nil, err
		}
		// The preview shows cells too: a district, an unknown language
		// (with a column mapped wrongly, a name).
		if len(p) > 0 {
			if err := m.auditImportView(r, i, audit.ViewPersonal, "preview"); err != nil {
				return nil, err
			}
		}
		for _, row := range p {
			v := previewView{PreviewRow: row}
			for _, pr := range row.Problems {
				v.Texts = append(v.Texts, m.problemText(r, pr))
			}
			switch row.Reject {
			case "":
			case RejectRepeated:
				v.Texts = append(v.Texts, m.app.T(r, "contact.reject.repeats_row", "Row", row.RepeatsRow))
			default:
				v.Texts = append(v.Texts, m.app.T(r, "contact.reject."+row.Reject))
			}
			d.Preview = append(d.Preview, v)
		}
	case StateRunning:
		d.Refresh = true
	}
	if i.Rejected > 0 {
		rs, err := m.imports.Rejects(r.Context(), i.ID, 201)
		if err != nil {
			return nil, err
		}
		if len(rs) > 200 {
			rs, d.More = rs[:200], true
		}
		// The rejected rows show what the file's cells held: a view of
		// personal data.
		if err := m.auditImportView(r, i, audit.ViewPersonal, "rejected rows"); err != nil {
			return nil, err
		}
		for _, x := range rs {
			d.Rejects = append(d.Rejects, m.rejectView(r, i, x))
		}
	}
	return d, nil
}

// rejectView says why a row was not taken, in the reader's language.
func (m *Module) rejectView(r *http.Request, i Import, x Reject) rejectView {
	v := rejectView{Row: x.Row, Reason: m.app.T(r, "contact.reject."+x.Code), Detail: x.Detail}
	if x.Column >= 0 && x.Column < len(i.Header) {
		v.Column = i.Header[x.Column]
	}
	if x.Code == string(importfile.CodeBadNumber) {
		v.Detail = m.app.T(r, "contact.error.phone."+x.Detail)
	}
	if x.Code == string(importfile.CodeTooLong) {
		v.Detail = ""
	}
	if x.Code == RejectRepeated {
		first, _ := strconv.Atoi(x.Detail)
		v.Detail = m.app.T(r, "contact.reject.repeats_row", "Row", first)
	}
	return v
}

// auditImportView records a view or a download of what an import shows
// of the file's cells, decrypted (what: "rejected rows", "preview");
// without its trace, there is no view.
func (m *Module) auditImportView(r *http.Request, i Import, action, what string) error {
	u := web.User(r)
	err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: action,
		Subject: fmt.Sprintf("contact-import:%d", i.ID), Detail: what, Addr: web.ClientAddr(r)})
	if err != nil {
		return fmt.Errorf("%s of import %d: audit: %w", what, i.ID, err)
	}
	return nil
}

// problemText is a preview problem in the reader's language.
func (m *Module) problemText(r *http.Request, p importfile.Problem) string {
	s := m.app.T(r, "contact.reject."+string(p.Code))
	switch p.Code {
	case importfile.CodeBadNumber:
		s += ": " + m.app.T(r, "contact.error.phone."+p.Reason)
	case importfile.CodeUnknownLanguage:
		s += ": " + p.Reason
	}
	return s
}

func (m *Module) setMapping(w http.ResponseWriter, r *http.Request) error {
	i, org, err := m.importFor(r)
	if err != nil {
		return err
	}
	if i.State != StateDraft {
		return errNotDraft
	}
	mp := importfile.Mapping{Columns: make([]importfile.Field, len(i.Header)), Region: i.Mapping.Region}
	for k := range i.Header {
		f := importfile.Field(r.FormValue(fmt.Sprintf("col%d", k)))
		if f != importfile.FieldNone && !slices.Contains(importfile.Fields, f) {
			return problem.New(problem.BadRequest, "error.bad_request")
		}
		mp.Columns[k] = f
	}
	if err := m.imports.SetMapping(r.Context(), i.ID, mp); err != nil {
		return err
	}
	if r.FormValue("then") == "start" {
		if err := mp.Validate(); err != nil {
			i.Mapping = mp
			d, derr := m.importData(r, i, org)
			if derr != nil {
				return derr
			}
			return m.app.RenderForm(w, r, "contact/import", d, problem.Field("mapping", "contact.error.no_phone_column"))
		}
		if err := m.imports.Start(r.Context(), i.ID); err != nil {
			return err
		}
	}
	return web.Redirect(w, r, fmt.Sprintf("/contacts/imports/%d", i.ID))
}

func (m *Module) start(w http.ResponseWriter, r *http.Request) error {
	i, org, err := m.importFor(r)
	if err != nil {
		return err
	}
	if err := m.imports.Start(r.Context(), i.ID); err != nil {
		if errors.Is(err, errNotDraft) {
			return err
		}
		d, derr := m.importData(r, i, org)
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "contact/import", d, err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/contacts/imports/%d", i.ID))
}

func (m *Module) resume(w http.ResponseWriter, r *http.Request) error {
	i, _, err := m.importFor(r)
	if err != nil {
		return err
	}
	if err := m.imports.Resume(r.Context(), i.ID); err != nil {
		return err
	}
	m.app.Flash(r, "contact.flash.resumed")
	return web.Redirect(w, r, fmt.Sprintf("/contacts/imports/%d", i.ID))
}

func (m *Module) rollback(w http.ResponseWriter, r *http.Request) error {
	i, _, err := m.importFor(r)
	if err != nil {
		return err
	}
	if err := m.imports.Rollback(r.Context(), i.ID); err != nil {
		return err
	}
	m.app.Flash(r, "contact.flash.rolled_back")
	return web.Redirect(w, r, fmt.Sprintf("/contacts/imports/%d", i.ID))
}

func (m *Module) discard(w http.ResponseWriter, r *http.Request) error {
	i, _, err := m.importFor(r)
	if err != nil {
		return err
	}
	if err := m.imports.Discard(r.Context(), i.ID); err != nil {
		return err
	}
	m.app.Flash(r, "contact.flash.discarded")
	return web.Redirect(w, r, fmt.Sprintf("/contacts/groups/%d/imports", i.OrgID))
}

// Progress is an import's progress for the page that polls it.
type Progress struct {
	State    string `json:"state"`
	Total    int    `json:"total"`
	Done     int    `json:"done"`
	Imported int    `json:"imported"`
	Rejected int    `json:"rejected"`
	LastRow  int    `json:"last_row"`
}

func (m *Module) progressJSON(w http.ResponseWriter, r *http.Request) error {
	i, _, err := m.importFor(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(Progress{State: i.State, Total: i.Total, Done: i.Done(), Imported: i.Imported, Rejected: i.Rejected, LastRow: i.LastRow})
}

// rejectedCSV downloads the rows an import did not take, with the row
// number, the column and the reason in the reader's language: the group
// fixes them in its own file and imports again.
func (m *Module) rejectedCSV(w http.ResponseWriter, r *http.Request) error {
	i, _, err := m.importFor(r)
	if err != nil {
		return err
	}
	rs, err := m.imports.Rejects(r.Context(), i.ID, 0)
	if err != nil {
		return err
	}
	if err := m.auditImportView(r, i, audit.ExportPersonal, "rejected rows"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="rejected-rows-%d.csv"`, i.ID))
	cw := csvout.NewWriter(w, web.Lang(r))
	cw.Write([]string{m.app.T(r, "contact.csv.row"), m.app.T(r, "contact.csv.column"), m.app.T(r, "contact.csv.reason"), m.app.T(r, "contact.csv.detail")})
	for _, x := range rs {
		v := m.rejectView(r, i, x)
		cw.Write([]string{strconv.Itoa(v.Row), v.Column, v.Reason, v.Detail})
	}
	return cw.Flush()
}

// logInterrupted reports at start-up the imports a killed process left
// running. They show as interrupted on their page (at once when that
// process was on this host, else after StaleAfter without a heartbeat),
// where a lead resumes or rolls them back; nothing resumes on its own, so
// two instances never both pick one up.
func (m *Module) logInterrupted(ctx context.Context) {
	var n int
	if err := m.app.DB.QueryRow(ctx, `SELECT COUNT(*) FROM contact_imports WHERE state = 'running'`).Scan(&n); err == nil && n > 0 {
		m.app.Log.Warn("contact imports were left running; their group leads can resume or roll them back", "count", n)
	}
}
