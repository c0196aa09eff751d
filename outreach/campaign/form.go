package campaign

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// retryOutcomes are the outcomes whose retry rules a coordinator sets.
var retryOutcomes = []Outcome{NoAnswer, Busy, Voicemail, Callback, OtherLanguage}

// formData is the campaign form.
type formData struct {
	ID         int64
	Op         operation.Operation
	Draft      Draft
	Groups     []option
	Languages  []string
	Scripts    []handbook.CallerEntry
	Entries    []handbook.CallerEntry
	Questions  []Question // always MaxQuestions rows
	Kinds      []QuestionKind
	Rules      []ruleRow
	Districts  string
	NoHandbook bool
	GroupOn    map[int64]bool
	EntryOn    map[int64]bool
}

type option struct {
	ID   int64
	Name string
}

type ruleRow struct {
	Outcome    Outcome
	Max        int
	GapMinutes int
}

func (m *Module) form(r *http.Request, op operation.Operation, id int64, d Draft) (*formData, error) {
	ctx := r.Context()
	f := &formData{ID: id, Op: op, Draft: d, Languages: callLanguages, Kinds: QuestionKinds, Districts: strings.Join(d.Districts, ", ")}
	names, err := m.orgNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range op.GroupIDs {
		f.Groups = append(f.Groups, option{g, names[g]})
	}
	entries, err := m.handbook.ForCaller(ctx, op.ID, []string{web.Lang(r), handbook.Swedish}, m.app.Now(), time.Time{})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Kind == handbook.CallScript {
			f.Scripts = append(f.Scripts, e)
		} else {
			f.Entries = append(f.Entries, e)
		}
	}
	f.NoHandbook = len(entries) == 0
	f.GroupOn, f.EntryOn = map[int64]bool{}, map[int64]bool{}
	for _, g := range d.GroupIDs {
		f.GroupOn[g] = true
	}
	for _, e := range d.EntryIDs {
		f.EntryOn[e] = true
	}
	f.Questions = make([]Question, MaxQuestions)
	copy(f.Questions, d.Questions)
	for _, o := range retryOutcomes {
		rule := d.Rules[o]
		f.Rules = append(f.Rules, ruleRow{Outcome: o, Max: rule.MaxAttempts, GapMinutes: int(rule.MinGap / time.Minute)})
	}
	return f, nil
}

func (m *Module) operationFor(r *http.Request) (operation.Operation, error) {
	id, err := web.PathID(r, "id", errNotFound)
	if err != nil {
		return operation.Operation{}, err
	}
	op, err := m.ops.Get(r.Context(), id)
	if err != nil || !operation.CanSee(web.User(r), op) {
		return op, errNotFound
	}
	if !CanEdit(web.User(r), op) {
		return op, problem.New(problem.Forbidden, "error.forbidden")
	}
	return op, nil
}

func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	today := m.app.Now().Format(time.DateOnly)
	d := Draft{Goal: 100, StartsOn: today, EndsOn: m.app.Now().AddDate(0, 2, 0).Format(time.DateOnly), Rules: DefaultRetryRules(),
		LeaseMinutes: DefaultLease, GroupIDs: op.GroupIDs}
	f, err := m.form(r, op, 0, d)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "campaign/form", f)
	return nil
}

func (m *Module) create(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	d := draftFrom(r)
	if err := m.clean(r, op, &d); err != nil {
		f, ferr := m.form(r, op, 0, d)
		if ferr != nil {
			return ferr
		}
		return m.app.RenderForm(w, r, "campaign/form", f, err)
	}
	id, err := m.store.Create(r.Context(), web.User(r), op.ID, d)
	if err != nil {
		return err
	}
	c, err := m.store.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if m.contacts() != nil {
		if err := m.fillQueue(r.Context(), c); err != nil {
			return err
		}
	}
	m.app.Flash(r, "campaign.flash.created")
	return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d", id))
}

// clean checks the draft (Draft.Clean) and that its script and entries are
// its operation's (HandbookProblems), and returns every problem at once;
// an error that is not a problem ends the request.
func (m *Module) clean(r *http.Request, op operation.Operation, d *Draft) error {
	var l problem.List
	if err := d.Clean(op); err != nil {
		p, ok := problem.As(err)
		if !ok {
			return err
		}
		l = append(l, p...)
	}
	infos := map[int64]handbook.EntryInfo{}
	for _, id := range append([]int64{d.ScriptEntryID}, d.EntryIDs...) {
		if id == 0 {
			continue
		}
		info, err := m.handbook.Info(r.Context(), id)
		if errors.Is(err, handbook.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("campaign form: %w", err)
		}
		infos[id] = info
	}
	l = append(l, HandbookProblems(op.ID, d.ScriptEntryID, d.EntryIDs, infos)...)
	return l.Err()
}

func (m *Module) editable(r *http.Request) (Campaign, operation.Operation, error) {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return c, op, err
	}
	if !CanEdit(web.User(r), op) {
		return c, op, problem.New(problem.Forbidden, "error.forbidden")
	}
	return c, op, nil
}

func (m *Module) editForm(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.editable(r)
	if err != nil {
		return err
	}
	f, err := m.form(r, op, c.ID, DraftOf(c))
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "campaign/form", f)
	return nil
}

func (m *Module) update(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.editable(r)
	if err != nil {
		return err
	}
	d := draftFrom(r)
	if err := m.clean(r, op, &d); err != nil {
		f, ferr := m.form(r, op, c.ID, d)
		if ferr != nil {
			return ferr
		}
		return m.app.RenderForm(w, r, "campaign/form", f, err)
	}
	d.Questions = KeepTranslations(c.Questions, d.Questions)
	if err := m.store.Update(r.Context(), c.ID, d); err != nil {
		return err
	}
	m.recent.forget(c.ID)
	if c, err = m.store.Get(r.Context(), c.ID); err != nil {
		return err
	}
	if m.contacts() != nil {
		if err := m.fillQueue(r.Context(), c); err != nil {
			return err
		}
	}
	m.app.Flash(r, "campaign.flash.saved")
	return web.Redirect(w, r, fmt.Sprintf("/campaigns/%d", c.ID))
}

// draftFrom reads the campaign form. Numbers that do not parse become
// values that Clean refuses, so the person sees what is wrong.
func draftFrom(r *http.Request) Draft {
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			return -1
		}
		return n
	}
	id := func(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
	d := Draft{
		Name: r.PostFormValue("name"), Goal: num("goal"), StartsOn: strings.TrimSpace(r.PostFormValue("starts_on")),
		EndsOn: strings.TrimSpace(r.PostFormValue("ends_on")), Languages: r.PostForm["languages"],
		Districts: strings.Split(r.PostFormValue("districts"), ","), ScriptEntryID: id(r.PostFormValue("script")),
		LeaseMinutes: num("lease_minutes"), Rules: RetryRules{},
	}
	for _, e := range r.PostForm["entries"] {
		if n := id(e); n > 0 && !slices.Contains(d.EntryIDs, n) {
			d.EntryIDs = append(d.EntryIDs, n)
		}
	}
	for _, g := range r.PostForm["groups"] {
		if n := id(g); n > 0 && !slices.Contains(d.GroupIDs, n) {
			d.GroupIDs = append(d.GroupIDs, n)
		}
	}
	for i := range MaxQuestions + 5 { // rows beyond the form's ten are refused by Clean
		kind := r.PostFormValue(fmt.Sprintf("q%d_kind", i))
		text := r.PostFormValue(fmt.Sprintf("q%d_text", i))
		if kind == "" && strings.TrimSpace(text) == "" {
			continue
		}
		d.Questions = append(d.Questions, Question{Kind: QuestionKind(kind), Text: text,
			Choices: strings.Split(r.PostFormValue(fmt.Sprintf("q%d_choices", i)), ",")})
	}
	// A rule left blank keeps its default.
	defaults := DefaultRetryRules()
	for _, o := range retryOutcomes {
		rule := defaults[o]
		if v := strings.TrimSpace(r.PostFormValue("r_" + string(o) + "_max")); v != "" {
			rule.MaxAttempts = num("r_" + string(o) + "_max")
		}
		if v := strings.TrimSpace(r.PostFormValue("r_" + string(o) + "_gap")); v != "" {
			rule.MinGap = time.Duration(num("r_"+string(o)+"_gap")) * time.Minute
		}
		d.Rules[o] = rule
	}
	return d
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return json.NewEncoder(w).Encode(v)
}
