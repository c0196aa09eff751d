package translation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/web"
)

var errNotFound = problem.New(problem.NotFound, "error.not_found")

// translatedLang returns the translated interface language with code:
// Swedish and English are written with the code, not imported.
func translatedLang(code string) (i18n.Lang, bool) {
	if !i18n.IsUILang(code) {
		return i18n.Lang{}, false
	}
	l := i18n.UILang(code)
	return l, !l.Source
}

// langName is a translated language's name in the request's language.
func (m *Module) langName(r *http.Request, code string) string {
	return m.app.T(r, "translation.lang."+code)
}

type langRow struct {
	Code, Name, SelfName, HTML, Dir string
	Translated, Checked, Missing    int
}

type option struct{ Value, Label string }

type importRow struct {
	Import
	LangName string
}

type overviewPage struct {
	Total    int
	Langs    []langRow
	Options  []option
	Lang     string // chosen in the import form
	MaxMB    int
	ShowMark bool
	Imports  []importRow
}

func (m *Module) overviewData(r *http.Request) (*overviewPage, error) {
	p := &overviewPage{Total: len(m.app.Catalogue.Keys()), MaxMB: MaxFileSize >> 20, ShowMark: m.app.Catalogue.ShowUncheckedMark()}
	for _, l := range i18n.Langs {
		if l.Source {
			continue
		}
		translated, checked := m.app.Catalogue.Counts(l.Code)
		name := m.langName(r, l.Code)
		p.Langs = append(p.Langs, langRow{Code: l.Code, Name: name, SelfName: l.Name, HTML: l.HTML, Dir: i18n.Dir(l.HTML),
			Translated: translated, Checked: checked, Missing: p.Total - translated})
		p.Options = append(p.Options, option{Value: l.Code, Label: name})
	}
	imports, err := m.store.Imports(r.Context(), 10)
	if err != nil {
		return nil, err
	}
	for _, im := range imports {
		p.Imports = append(p.Imports, importRow{Import: im, LangName: m.langName(r, im.Lang)})
	}
	return p, nil
}

func (m *Module) overview(w http.ResponseWriter, r *http.Request) error {
	p, err := m.overviewData(r)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "translation/overview", p)
	return nil
}

// export sends a language's messages as a sheet for a translator, at
// /translations/sheets/<code>.xlsx.
func (m *Module) export(w http.ResponseWriter, r *http.Request) error {
	code, xlsx := strings.CutSuffix(r.PathValue("file"), ".xlsx")
	l, ok := translatedLang(code)
	if !ok || !xlsx {
		return errNotFound
	}
	header := Header{
		colKey: m.app.T(r, "translation.sheet.key"), colForm: m.app.T(r, "translation.sheet.form"),
		colSwedish: m.app.T(r, "translation.sheet.swedish"), colEnglish: m.app.T(r, "translation.sheet.english"),
		colTranslation: m.app.T(r, "translation.sheet.translation", "Lang", m.langName(r, l.Code)),
		colChecked:     m.app.T(r, "translation.sheet.checked"), colHash: m.app.T(r, "translation.sheet.hash"),
	}
	var buf bytes.Buffer
	if err := WriteSheet(&buf, l, m.app.Catalogue.Entries(l.Code), header); err != nil {
		return err
	}
	name := fmt.Sprintf("megafon-%s-%s.xlsx", l.Code, m.app.Now().In(stockholm).Format("2006-01-02"))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := buf.WriteTo(w)
	return err
}

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// importSheet reads a filled-in sheet, saves what it changes in one
// transaction, applies it to the catalogue and shows the report.
func (m *Module) importSheet(w http.ResponseWriter, r *http.Request) error {
	p, err := m.overviewData(r)
	if err != nil {
		return err
	}
	p.Lang = r.PostFormValue("lang")
	l, ok := translatedLang(p.Lang)
	if !ok {
		return m.app.RenderForm(w, r, "translation/overview", p, problem.Field("lang", "form.invalid_choice"))
	}
	if !m.importing.TryLock() {
		return m.app.RenderForm(w, r, "translation/overview", p, problem.New(problem.Conflict, "translation.error.busy"))
	}
	defer m.importing.Unlock()
	file, header, err := r.FormFile("file")
	if err != nil {
		return m.app.RenderForm(w, r, "translation/overview", p, problem.Field("file", "translation.error.file_missing"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxFileSize+1))
	if err != nil {
		return problem.New(problem.BadRequest, "error.bad_request").Because(err)
	}
	if len(data) > MaxFileSize {
		return m.app.RenderForm(w, r, "translation/overview", p, problem.Field("file", "translation.error.too_big", "MB", MaxFileSize>>20))
	}
	sheet, err := ReadSheet(data, l.Code)
	if err != nil {
		return m.app.RenderForm(w, r, "translation/overview", p, m.sheetProblem(r, err))
	}
	plan := Check(l, sheet.Rows, m.app.Catalogue.Entries(l.Code))
	im := ImportFrom(plan, sheet, header.Filename)
	u := web.User(r)
	if err := m.store.SaveImport(r.Context(), &im, plan.Changes, Person{ID: u.ID, Name: u.Name, Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	// Saved: now, and only now, the pages show it.
	for _, c := range plan.Changes {
		if err := m.app.Catalogue.Override(l.Code, c.Key, c.Message, c.CheckedAgainst); err != nil {
			m.app.Log.Error("apply an imported translation", "lang", l.Code, "key", c.Key, "err", err)
		}
	}
	m.app.Flash(r, "translation.report.flash")
	return web.Redirect(w, r, fmt.Sprintf("/translations/imports/%d", im.ID))
}

// sheetProblem says why a file was not read, beside the file field.
func (m *Module) sheetProblem(r *http.Request, err error) error {
	var other *OtherLanguageError
	switch {
	case errors.As(err, &other):
		return problem.Field("file", "translation.error.other_language", "Lang", m.langName(r, other.Lang)).Because(err)
	case errors.Is(err, ErrUnpacksTooBig):
		return problem.Field("file", "translation.error.unpacks_too_big").Because(err)
	case errors.Is(err, ErrTooManyRows):
		return problem.Field("file", "translation.error.too_many_rows", "Max", MaxRows).Because(err)
	}
	return problem.Field("file", "translation.error.not_xlsx").Because(err)
}

type outcomeView struct {
	Row             int
	Key, Form, Text string
}

type reportPage struct {
	Import
	LangName                string
	RejectedRows, StaleRows []outcomeView
	MoreRejected, MoreStale int
}

func (m *Module) report(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	im, err := m.store.Import(r.Context(), id)
	if err != nil {
		return err
	}
	p := reportPage{Import: im, LangName: m.langName(r, im.Lang),
		MoreRejected: im.Rejected - len(im.Listed.Rejected), MoreStale: im.Stale - len(im.Listed.Stale)}
	view := func(o Outcome, key string) outcomeView {
		args := make([]any, 0, 2*len(o.Args))
		for k, v := range o.Args {
			args = append(args, k, v)
		}
		return outcomeView{Row: o.Row, Key: o.Key, Form: o.Form, Text: m.app.T(r, key, args...)}
	}
	for _, o := range im.Listed.Rejected {
		p.RejectedRows = append(p.RejectedRows, view(o, "translation.reason."+string(o.Reason)))
	}
	for _, o := range im.Listed.Stale {
		p.StaleRows = append(p.StaleRows, view(o, "translation.reason.stale"))
	}
	m.app.Render(w, r, http.StatusOK, "translation/report", p)
	return nil
}

// setMark is the city's switch for the mark on unchecked messages.
func (m *Module) setMark(w http.ResponseWriter, r *http.Request) error {
	on := r.PostFormValue("show") == "on"
	stored, set, err := m.store.ShowUncheckedMark(r.Context())
	if err != nil {
		return err
	}
	if shown := stored || !set; shown != on { // on until first set
		u := web.User(r)
		if err := m.store.SetShowUncheckedMark(r.Context(), on, Person{ID: u.ID, Name: u.Name, Addr: web.ClientAddr(r)}); err != nil {
			return err
		}
	}
	m.app.Catalogue.SetShowUncheckedMark(on)
	if on {
		m.app.Flash(r, "translation.mark.on")
	} else {
		m.app.Flash(r, "translation.mark.off")
	}
	return web.Redirect(w, r, "/translations")
}
