package handbook

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/pdf"
	"megafon/platform/problem"
	"megafon/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

//go:embed assets
var assets embed.FS

var assetFiles = func() fs.FS { sub, _ := fs.Sub(assets, "assets"); return sub }()

//go:embed print/print.html
var printPage string

// Module mounts the handbook on the web application. It needs the
// operation module mounted before it.
type Module struct {
	app   *web.App
	store *Store
	ops   *operation.Store
	print *template.Template
	// PDF renders a print page to PDF; nil uses PrintToPDF.
	PDF pdf.RenderFunc
	// PDFs bounds the renders (browsers at once, per person) and caches
	// them; give every module that prints the same one. Nil makes one
	// with PDFLimits (zero fields take pdf's defaults).
	PDFs      *pdf.Renderer
	PDFLimits pdf.Limits
}

// Name is the module's name.
func (*Module) Name() string { return "handbook" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store, for the call screen (after Mount).
func (m *Module) Store() *Store { return m.store }

var (
	partakers = web.Roles(auth.Admin, auth.Coordinator, auth.GroupLead, auth.Volunteer)
	editors   = web.Roles(auth.Admin, auth.Coordinator)
)

// Mount adds the handbook's pages.
func (m *Module) Mount(app *web.App) {
	m.app = app
	m.store = NewStore(app.DB, func() time.Time { return app.Now() })
	m.ops = &operation.Store{DB: app.DB, Now: app.Now}
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("handbook", web.Sub(templates, "templates"))
	m.print = template.Must(template.New("print").Parse(printPage))
	if m.PDF == nil {
		m.PDF = func(ctx context.Context, html []byte) ([]byte, error) {
			return PrintToPDF(ctx, html, PDFOptions{Assets: web.Sub(assets, "assets")})
		}
	}
	if m.PDFs == nil {
		m.PDFs = &pdf.Renderer{Limits: m.PDFLimits, Now: app.Now}
	}

	app.ServeAssets("/assets/handbook/", assetFiles)
	app.Handle("GET /operations/{id}/handbook", partakers, m.callers)
	app.Handle("GET /operations/{id}/handbook/manage", editors, m.manage)
	app.Handle("GET /operations/{id}/handbook/new", editors, m.newForm)
	app.Handle("POST /operations/{id}/handbook", editors, m.create)
	app.Handle("GET /operations/{id}/handbook/print/{lang}", partakers, m.printHTML)
	app.Handle("GET /operations/{id}/handbook/print/{lang}/pdf", partakers, m.printPDF)
	app.Handle("GET /handbook/{entry}", partakers, m.entry)
	app.Handle("GET /handbook/{entry}/edit", editors, m.editForm)
	app.Handle("POST /handbook/{entry}", editors, m.edit)
	app.Handle("POST /handbook/{entry}/move", editors, m.move)
	app.Handle("GET /handbook/{entry}/diff", editors, m.diff)
}

// operationFor reads the operation of the path for the signed-in person;
// 404 when she may not see it.
func (m *Module) operationFor(r *http.Request, id string) (operation.Operation, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return operation.Operation{}, ErrNotFound
	}
	return m.ops.GetFor(r.Context(), web.User(r), n)
}

// entryFor reads the entry of the path and its operation, for a person
// who may see the operation; 404 otherwise.
func (m *Module) entryFor(r *http.Request) (EntryInfo, operation.Operation, error) {
	n, err := strconv.ParseInt(r.PathValue("entry"), 10, 64)
	if err != nil || n <= 0 {
		return EntryInfo{}, operation.Operation{}, ErrNotFound
	}
	e, err := m.store.Info(r.Context(), n)
	if err != nil {
		return e, operation.Operation{}, err
	}
	op, err := m.ops.GetFor(r.Context(), web.User(r), e.OperationID)
	return e, op, err
}

// callerLangs are the languages a caller reads the handbook in, in order:
// the one asked for (the resident's, from the call screen's search), hers,
// then the interface's.
func callerLangs(r *http.Request) []string {
	u := web.User(r)
	var langs []string
	if t, err := i18n.NormalizeTag(r.URL.Query().Get("lang")); err == nil {
		langs = append(langs, t)
	}
	for _, l := range u.Languages {
		if t, err := i18n.NormalizeTag(l); err == nil && !slices.Contains(langs, t) {
			langs = append(langs, t)
		}
	}
	if l := web.Lang(r); !slices.Contains(langs, l) {
		langs = append(langs, l)
	}
	return langs
}

type callersData struct {
	Op         operation.Operation
	Query      string
	Searched   bool
	Entries    []CallerEntry
	NewCount   int
	Langs      []string
	Lang       string // asked for in the address, kept by the search form
	CanManage  bool
	PrintLangs []string
}

func (m *Module) callers(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	u, ctx, now := web.User(r), r.Context(), m.app.Now()
	langs := callerLangs(r)
	d := callersData{Op: op, Query: strings.TrimSpace(r.URL.Query().Get("q")), Langs: langs, CanManage: CanSeeUnverified(u)}
	if _, err := i18n.NormalizeTag(r.URL.Query().Get("lang")); err == nil {
		d.Lang = langs[0]
	}
	var es []CallerEntry
	if d.Query != "" {
		d.Searched = true
		es, err = m.store.Search(ctx, op.ID, d.Query, langs, now)
		if err != nil {
			if _, ok := problem.As(err); ok {
				return m.app.RenderForm(w, r, "handbook/callers", d, err)
			}
			return err
		}
	} else {
		last, err := m.store.LastVisit(ctx, u.ID, op.ID)
		if err != nil {
			return err
		}
		if es, err = m.store.ForCaller(ctx, op.ID, langs, now, last); err != nil {
			return err
		}
		// New and changed entries first.
		slices.SortStableFunc(es, func(a, b CallerEntry) int {
			switch {
			case a.New && !b.New:
				return -1
			case b.New && !a.New:
				return 1
			}
			return 0
		})
	}
	for _, e := range es {
		if e.New {
			d.NewCount++
		}
	}
	d.Entries = es
	if d.PrintLangs, err = m.store.Languages(ctx, op.ID, now); err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "handbook/callers", d)
	return nil
}

type manageData struct {
	Op      operation.Operation
	Entries []EditorEntry
	CanEdit bool
	Counts  map[string]int
}

func (m *Module) manage(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	es, err := m.store.ForEditors(r.Context(), op.ID, m.app.Now())
	if err != nil {
		return err
	}
	d := manageData{Op: op, Entries: es, CanEdit: CanEdit(web.User(r), op.LeadOrgID), Counts: map[string]int{}}
	for _, e := range es {
		switch {
		case e.Expired:
			d.Counts["expired"]++
		}
		if len(e.Newest.OutOfDateLangs()) > 0 && !e.Archived {
			d.Counts["outdated"]++
		}
		if e.Newest.Status == InReview {
			d.Counts["in_review"]++
		}
	}
	m.app.Render(w, r, http.StatusOK, "handbook/manage", d)
	return nil
}

// formRow is one language of the entry form.
type formRow struct {
	N int
	Translation
	Fixed bool // Swedish: its language cannot be changed
	// Stored: the translation is saved in the version edited, so the
	// editor may confirm that it still matches a new Swedish text.
	Stored       bool
	OutOfDate    bool // made from an older Swedish text than the version's
	StillMatches bool // the editor confirms it (kept when the form comes back)
}

type formData struct {
	Op       operation.Operation
	EntryID  int64
	Draft    EntryDraft
	Rows     []formRow
	Kinds    []Kind
	Topics   []string
	Verified bool // editing starts a new version in review
}

// formData lays out the form for d; stored is the version being edited
// (zero for a new entry), whose translations may be out of date.
func (m *Module) formData(op operation.Operation, entryID int64, d EntryDraft, stored Version) formData {
	f := formData{Op: op, EntryID: entryID, Draft: d, Kinds: Kinds, Topics: Topics, Verified: stored.ID != 0 && !stored.Status.Open()}
	var sv Translation
	var rest []Translation
	for _, t := range d.Translations {
		if t.Lang == Swedish {
			sv = t
		} else {
			rest = append(rest, t)
		}
	}
	sv.Lang = Swedish
	f.Rows = append(f.Rows, formRow{N: 0, Translation: sv, Fixed: true})
	for _, t := range rest {
		_, isStored := stored.In(t.Lang)
		f.Rows = append(f.Rows, formRow{N: len(f.Rows), Translation: t, Stored: isStored, OutOfDate: stored.OutOfDate(t.Lang),
			StillMatches: slices.Contains(d.StillMatches, t.Lang)})
	}
	for range 2 {
		f.Rows = append(f.Rows, formRow{N: len(f.Rows)})
	}
	return f
}

// maxRows bounds the translations of one form.
const maxRows = 40

func draftFrom(r *http.Request) EntryDraft {
	d := EntryDraft{Kind: Kind(r.PostFormValue("kind")), Source: r.PostFormValue("source"), ValidUntil: r.PostFormValue("valid_until")}
	for _, t := range r.PostForm["topics"] {
		if !slices.Contains(d.Topics, t) {
			d.Topics = append(d.Topics, t)
		}
	}
	for i := range maxRows {
		n := strconv.Itoa(i)
		lang, title, body := strings.TrimSpace(r.PostFormValue("lang_"+n)), r.PostFormValue("title_"+n), r.PostFormValue("body_"+n)
		if i == 0 {
			lang = Swedish
		}
		if i > 0 && lang == "" && strings.TrimSpace(title) == "" && strings.TrimSpace(body) == "" {
			continue
		}
		d.Translations = append(d.Translations, Translation{Lang: lang, Title: title, Body: body,
			TranslatedBy: r.PostFormValue("by_" + n), Checked: r.PostFormValue("checked_"+n) == "1"})
		if i > 0 && r.PostFormValue("still_"+n) == "1" {
			d.StillMatches = append(d.StillMatches, lang)
		}
	}
	return d
}

func (m *Module) editable(r *http.Request, op operation.Operation) error {
	if !CanEdit(web.User(r), op.LeadOrgID) {
		return problem.New(problem.Forbidden, "handbook.error.not_lead")
	}
	return nil
}

func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := m.editable(r, op); err != nil {
		return err
	}
	d := EntryDraft{Kind: QA, ValidUntil: m.app.Now().AddDate(0, 3, 0).Format(time.DateOnly)}
	m.app.Render(w, r, http.StatusOK, "handbook/form", m.formData(op, 0, d, Version{}))
	return nil
}

func (m *Module) create(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := m.editable(r, op); err != nil {
		return err
	}
	d := draftFrom(r)
	id, err := m.store.CreateEntry(r.Context(), web.User(r), op.ID, d)
	if err != nil {
		return m.app.RenderForm(w, r, "handbook/form", m.formData(op, 0, d, Version{}), err)
	}
	m.app.Flash(r, "handbook.flash.created")
	return web.Redirect(w, r, fmt.Sprintf("/handbook/%d", id))
}

type entryData struct {
	Op        operation.Operation
	Entry     EntryInfo
	Versions  []Version
	Newest    Version
	Visible   *Version
	Expired   bool
	CanEdit   bool
	CanVerify bool
	Actions   []Action
	Caller    *CallerEntry
	// Stale are the languages whose translation in the newest version was
	// made from an older Swedish text; StaleNames names them in the
	// reader's language, and StaleSince is the oldest Swedish revision
	// they were made from.
	Stale      []string
	StaleNames string
	StaleSince int
}

// StaleLang reports whether the newest version's translation in lang is
// older than its Swedish text.
func (d entryData) StaleLang(lang string) bool { return d.Newest.OutOfDate(lang) }

func (m *Module) entry(w http.ResponseWriter, r *http.Request) error {
	e, op, err := m.entryFor(r)
	if err != nil {
		return err
	}
	u, now := web.User(r), m.app.Now()
	if !CanSeeUnverified(u) {
		ce, _, err := m.store.Entry(r.Context(), e.ID, callerLangs(r), now)
		if err != nil {
			return err
		}
		m.app.Render(w, r, http.StatusOK, "handbook/entry", entryData{Op: op, Entry: e, Caller: &ce})
		return nil
	}
	vs, err := m.store.Versions(r.Context(), e.ID)
	if err != nil {
		return err
	}
	d := entryData{Op: op, Entry: e, Versions: vs, Newest: vs[0], CanEdit: CanEdit(u, op.LeadOrgID), CanVerify: CanVerify(u, op.LeadOrgID)}
	if d.Stale = d.Newest.OutOfDateLangs(); len(d.Stale) > 0 {
		names := make([]string, len(d.Stale))
		for i, l := range d.Stale {
			names[i] = m.app.LangName(web.Lang(r), l)
			t, _ := d.Newest.In(l)
			if d.StaleSince == 0 || t.SourceVersion < d.StaleSince {
				d.StaleSince = t.SourceVersion
			}
		}
		d.StaleNames = strings.Join(names, ", ")
	}
	for i := range vs {
		if vs[i].Status == Verified {
			d.Visible = &vs[i]
			d.Expired = vs[i].Expired(now)
		}
	}
	for _, a := range []Action{Submit, Verify, SendBack, Archive} {
		if _, ok := Next(d.Newest.Status, a); !ok {
			continue
		}
		if (a == Verify || a == SendBack) && !d.CanVerify || !d.CanEdit {
			continue
		}
		d.Actions = append(d.Actions, a)
	}
	m.app.Render(w, r, http.StatusOK, "handbook/entry", d)
	return nil
}

func (m *Module) editForm(w http.ResponseWriter, r *http.Request) error {
	e, op, err := m.entryFor(r)
	if err != nil {
		return err
	}
	if err := m.editable(r, op); err != nil {
		return err
	}
	vs, err := m.store.Versions(r.Context(), e.ID)
	if err != nil {
		return err
	}
	v := vs[0]
	d := EntryDraft{Kind: v.Kind, Topics: v.Topics, Source: v.Source, ValidUntil: v.ValidUntil, Translations: v.Translations}
	m.app.Render(w, r, http.StatusOK, "handbook/form", m.formData(op, e.ID, d, v))
	return nil
}

func (m *Module) edit(w http.ResponseWriter, r *http.Request) error {
	e, op, err := m.entryFor(r)
	if err != nil {
		return err
	}
	if err := m.editable(r, op); err != nil {
		return err
	}
	d := draftFrom(r)
	if _, err := m.store.Edit(r.Context(), web.User(r), e.ID, d); err != nil {
		if _, ok := problem.As(err); !ok {
			return err
		}
		vs, verr := m.store.Versions(r.Context(), e.ID)
		if verr != nil {
			return verr
		}
		return m.app.RenderForm(w, r, "handbook/form", m.formData(op, e.ID, d, vs[0]), err)
	}
	m.app.Flash(r, "handbook.flash.saved")
	return web.Redirect(w, r, fmt.Sprintf("/handbook/%d", e.ID))
}

func (m *Module) move(w http.ResponseWriter, r *http.Request) error {
	e, op, err := m.entryFor(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	a := Action(r.PostFormValue("action"))
	switch a {
	case Verify, SendBack:
		if !CanVerify(u, op.LeadOrgID) {
			return problem.New(problem.Forbidden, "handbook.error.not_verifier")
		}
	case Submit, Archive:
		if !CanEdit(u, op.LeadOrgID) {
			return problem.New(problem.Forbidden, "handbook.error.not_lead")
		}
	default:
		return problem.New(problem.BadRequest, "handbook.error.flow")
	}
	if err := m.store.Move(r.Context(), u, e.ID, a); err != nil {
		return err
	}
	m.app.Flash(r, "handbook.flash."+string(a))
	return web.Redirect(w, r, fmt.Sprintf("/handbook/%d", e.ID))
}

type diffData struct {
	Op       operation.Operation
	EntryID  int64
	From, To Version
	Diffs    []VersionDiff
}

func (m *Module) diff(w http.ResponseWriter, r *http.Request) error {
	e, op, err := m.entryFor(r)
	if err != nil {
		return err
	}
	vs, err := m.store.Versions(r.Context(), e.ID)
	if err != nil {
		return err
	}
	find := func(param string, def int) (Version, error) {
		n := def
		if s := r.URL.Query().Get(param); s != "" {
			if n, err = strconv.Atoi(s); err != nil {
				return Version{}, problem.New(problem.BadRequest, "handbook.error.version")
			}
		}
		for _, v := range vs {
			if v.Number == n {
				return v, nil
			}
		}
		return Version{}, problem.New(problem.NotFound, "handbook.error.version")
	}
	to, err := find("to", vs[0].Number)
	if err != nil {
		return err
	}
	from, err := find("from", max(to.Number-1, 1))
	if err != nil {
		return err
	}
	d := diffData{Op: op, EntryID: e.ID, From: from, To: to}
	var langs []string
	for _, l := range append(from.Langs(), to.Langs()...) {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	for _, l := range langs {
		d.Diffs = append(d.Diffs, Diff(from, to, l))
	}
	m.app.Render(w, r, http.StatusOK, "handbook/diff", d)
	return nil
}

// printData is the printed handbook.
type printData struct {
	Lang, Dir, UILang, UIDir string
	CSS                      string
	Title                    string
	OpName                   string
	Generated                string
	Sections                 []printSection
	SourceLabel, ValidLabel  string
	// The note on an entry printed in Swedish because its translation is
	// out of date, in the language of the print when the catalogue has
	// it (its reader's), else the interface's.
	NoteLang, NoteDir string
}

type printSection struct {
	Kind    string
	Entries []printEntry
}

type printEntry struct {
	CallerEntry
	Note string // why it is in Swedish, when Outdated
}

// printPageFor renders the verified handbook of the operation in lang.
func (m *Module) printPageFor(r *http.Request, css string) ([]byte, error) {
	op, err := m.operationFor(r, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	lang, err := i18n.NormalizeTag(r.PathValue("lang"))
	if err != nil {
		return nil, problem.New(problem.NotFound, "handbook.error.lang", "Tag", r.PathValue("lang")).Because(err)
	}
	es, err := m.store.Printable(r.Context(), op.ID, lang, m.app.Now())
	if err != nil {
		return nil, err
	}
	ui := web.Lang(r)
	T := func(key string, args ...any) string { return m.app.Catalogue.T(ui, key, args...) }
	uiHTML := i18n.UILang(ui).HTML
	d := printData{Lang: lang, Dir: i18n.Dir(lang), UILang: uiHTML, UIDir: i18n.Dir(uiHTML), CSS: css,
		Title: T("handbook.print.title", "Name", op.Name), OpName: op.Name, Generated: T("handbook.print.generated", "Date", Today(m.app.Now())),
		SourceLabel: T("handbook.source"), ValidLabel: T("handbook.valid_until")}
	noteLang := ui
	if m.app.Catalogue.Has(lang, "handbook.outdated") {
		noteLang = lang
	}
	d.NoteLang, d.NoteDir = i18n.UILang(noteLang).HTML, i18n.Dir(noteLang)
	for _, k := range Kinds {
		var sec []printEntry
		for _, e := range es {
			if e.Kind != k {
				continue
			}
			pe := printEntry{CallerEntry: e}
			if e.Outdated != "" {
				pe.Note = m.app.Catalogue.T(noteLang, "handbook.outdated", "Lang", m.app.LangName(noteLang, e.Outdated))
			}
			sec = append(sec, pe)
		}
		if len(sec) > 0 {
			d.Sections = append(d.Sections, printSection{Kind: T("handbook.kinds." + string(k)), Entries: sec})
		}
	}
	var buf bytes.Buffer
	if err := m.print.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("print page: %w", err)
	}
	return buf.Bytes(), nil
}

func (m *Module) printHTML(w http.ResponseWriter, r *http.Request) error {
	page, err := m.printPageFor(r, m.app.AssetURL("/assets/handbook/print.css"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
	return nil
}

func (m *Module) printPDF(w http.ResponseWriter, r *http.Request) error {
	page, err := m.printPageFor(r, "print.css")
	if err != nil {
		return err
	}
	doc, err := m.PDFs.Get(r.Context(), web.User(r).ID, page, m.PDF)
	if pdf.IsRefusal(err) {
		w.Header().Set("Retry-After", "60")
		return err
	}
	if errors.Is(err, ErrNoPDFRenderer) {
		// Without a browser to print with, the print page is the
		// fallback: the reader's own browser prints it.
		m.app.Flash(r, "handbook.flash.no_pdf")
		return web.Redirect(w, r, strings.TrimSuffix(r.URL.Path, "/pdf"))
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="handbook-%s-%s.pdf"`, r.PathValue("id"), r.PathValue("lang")))
	w.Write(doc)
	return nil
}
