// Package campaign is Outreach's call campaigns: a drive inside an
// operation with a goal of completed calls, the languages and districts it
// reaches, the call script and handbook entries callers read, structured
// questions, retry rules and the partner groups taking part; the queue that
// hands each volunteer the next contact who speaks one of her languages;
// the call screen that records an outcome once; and the progress page.
package campaign

import (
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/input"
	"megafon/platform/problem"
)

// QuestionKind is how a structured question is answered.
type QuestionKind string

// The kinds of questions.
const (
	YesNo  QuestionKind = "yes_no" // yes, no or unsure
	Choice QuestionKind = "choice" // one of the question's choices
	Short  QuestionKind = "text"   // a short text
)

// QuestionKinds lists the kinds, in the order forms show them.
var QuestionKinds = []QuestionKind{YesNo, Choice, Short}

// YesNoAnswers are the answers of a yes/no question.
var YesNoAnswers = []string{"yes", "no", "unsure"}

// Limits of what a campaign holds.
const (
	MaxQuestions     = 10
	MaxChoices       = 8
	maxQuestionRunes = 300
	maxShortAnswer   = 200
	DefaultLease     = 15 // minutes a contact is held for a volunteer
)

// Question is one of a campaign's structured questions.
type Question struct {
	Kind    QuestionKind `json:"kind"`
	Text    string       `json:"text"`
	Choices []string     `json:"choices,omitempty"`
	// Translations are the question in other languages, by interface
	// language code (QuestionTranslation).
	Translations map[string]QuestionTranslation `json:"translations,omitempty"`
}

// TextHTML is the question for a page: staff may write it in Arabic or
// Dari, so it takes its direction from what was typed and keeps its
// numbers and addresses in order (handbook.RichUserText).
func (q Question) TextHTML() template.HTML { return handbook.RichUserText(q.Text) }

// ChoiceHTML is one of a question's choices: its value as answered and as
// shown.
type ChoiceHTML struct {
	Value string
	HTML  template.HTML
}

// ChoicesHTML are the question's choices for a page, each shown as TextHTML.
func (q Question) ChoicesHTML() []ChoiceHTML {
	out := make([]ChoiceHTML, len(q.Choices))
	for i, c := range q.Choices {
		out[i] = ChoiceHTML{Value: c, HTML: handbook.RichUserText(c)}
	}
	return out
}

// Campaign is a call drive inside an operation.
type Campaign struct {
	ID            int64
	OperationID   int64
	Name          string
	Goal          int
	StartsOn      string // YYYY-MM-DD
	EndsOn        string // YYYY-MM-DD
	Languages     []string
	Districts     []string
	ScriptEntryID int64 // 0 for none
	EntryIDs      []int64
	Questions     []Question
	Rules         RetryRules
	LeaseMinutes  int
	GroupIDs      []int64
	CreatedAt     time.Time
}

// Draft is what a coordinator submits for a campaign.
type Draft struct {
	Name          string
	Goal          int
	StartsOn      string
	EndsOn        string
	Languages     []string
	Districts     []string
	ScriptEntryID int64
	EntryIDs      []int64
	Questions     []Question
	Rules         RetryRules
	LeaseMinutes  int
	GroupIDs      []int64
}

// DraftOf returns the draft that edits c.
func DraftOf(c Campaign) Draft {
	return Draft{Name: c.Name, Goal: c.Goal, StartsOn: c.StartsOn, EndsOn: c.EndsOn, Languages: c.Languages,
		Districts: c.Districts, ScriptEntryID: c.ScriptEntryID, EntryIDs: c.EntryIDs, Questions: c.Questions,
		Rules: c.Rules, LeaseMinutes: c.LeaseMinutes, GroupIDs: c.GroupIDs}
}

// HandbookProblems reports a call script or handbook entries that are not
// from the campaign's own operation (opID), and a script that is not a
// call script. infos holds what the handbook knows of each id; an id
// missing from it is no entry at all. Without this a coordinator could show
// callers another operation's answers, or read its drafts' titles.
func HandbookProblems(opID, scriptID int64, entryIDs []int64, infos map[int64]handbook.EntryInfo) problem.List {
	var l problem.List
	if scriptID != 0 {
		if s, ok := infos[scriptID]; !ok || s.OperationID != opID || s.Kind != handbook.CallScript {
			l.Add("script", "campaign.error.script_elsewhere")
		}
	}
	for _, id := range entryIDs {
		if e, ok := infos[id]; !ok || e.OperationID != opID {
			l.Add("entries", "campaign.error.entries_elsewhere")
			break
		}
	}
	return l
}

// Clean trims the draft and returns every problem: a missing name, a goal
// that is not positive, bad or reversed dates, an unknown language, too
// many questions or a choice question without two choices, bad retry rules,
// a lease outside 1 to 120 minutes, and groups that do not take part in
// the operation.
func (d *Draft) Clean(op operation.Operation) error {
	var l problem.List
	d.Name = strings.TrimSpace(d.Name)
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 200 {
		l.Add("name", "campaign.error.name")
	} else if _, err := input.Line(d.Name, 200); err != nil {
		l.Add("name", "campaign.error.name_line")
	}
	if d.Goal <= 0 || d.Goal > 10_000_000 {
		l.Add("goal", "campaign.error.goal")
	}
	_, errStart := time.Parse(time.DateOnly, d.StartsOn)
	_, errEnd := time.Parse(time.DateOnly, d.EndsOn)
	switch {
	case errStart != nil:
		l.Add("starts_on", "campaign.error.date")
	case errEnd != nil:
		l.Add("ends_on", "campaign.error.date")
	case d.EndsOn < d.StartsOn:
		l.Add("ends_on", "campaign.error.period")
	}
	langs, ok := cleanLanguages(d.Languages)
	if !ok {
		l.Add("languages", "campaign.error.language")
	}
	d.Languages = langs
	d.Districts = cleanList(d.Districts)
	if len(d.Questions) > MaxQuestions {
		l.Add("questions", "campaign.error.too_many_questions", "Max", MaxQuestions)
	}
	for i := range d.Questions {
		q := &d.Questions[i]
		q.Text = strings.TrimSpace(q.Text)
		q.Choices = cleanList(q.Choices)
		field := fmt.Sprintf("q%d_text", i)
		switch {
		case !slices.Contains(QuestionKinds, q.Kind):
			l.Add(fmt.Sprintf("q%d_kind", i), "campaign.error.question_kind")
		case q.Text == "" || utf8.RuneCountInString(q.Text) > maxQuestionRunes:
			l.Add(field, "campaign.error.question_text")
		case q.Kind == Choice && (len(q.Choices) < 2 || len(q.Choices) > MaxChoices):
			l.Add(fmt.Sprintf("q%d_choices", i), "campaign.error.choices", "Max", MaxChoices)
		}
		if q.Kind != Choice {
			q.Choices = nil
		}
	}
	if err := d.Rules.Validate(); err != nil {
		l.Add("rules", "campaign.error.rules")
	}
	if d.LeaseMinutes < 1 || d.LeaseMinutes > 120 {
		l.Add("lease_minutes", "campaign.error.lease")
	}
	if len(d.GroupIDs) == 0 {
		l.Add("groups", "campaign.error.no_groups")
	}
	for _, g := range d.GroupIDs {
		if !op.Takes(g) {
			l.Add("groups", "campaign.error.group")
			break
		}
	}
	return l.Err()
}

func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(strings.ReplaceAll(s, ",", " "))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// cleanLanguages normalises BCP 47 tags; ok is false when one is not a tag.
func cleanLanguages(in []string) ([]string, bool) {
	var out []string
	ok := true
	for _, s := range cleanList(in) {
		t, err := language.Parse(s)
		if err != nil {
			ok = false
			continue
		}
		if c := t.String(); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, ok
}

// CanEdit reports whether u may create and edit the operation's campaigns:
// a coordinator of its lead administration, or an administrator.
func CanEdit(u *auth.User, op operation.Operation) bool { return operation.CanManage(u, op) }

// CanSeeProgress reports whether u may read the campaign's progress page
// and export: whoever may edit it, any city coordinator (operations are
// often run by two administrations), and the leads of the groups taking
// part. Nothing on it is personal data.
func CanSeeProgress(u *auth.User, op operation.Operation, c Campaign) bool {
	if u == nil || !operation.CanSee(u, op) {
		return false
	}
	if CanEdit(u, op) || u.Has(auth.Coordinator) {
		return true
	}
	for _, g := range c.GroupIDs {
		if u.HasIn(g, auth.GroupLead) && op.Takes(g) {
			return true
		}
	}
	return false
}

// ExportGroups says whose calls u may export: nil for all of them (whoever
// may edit the campaign, and city coordinators), else the groups taking
// part that she leads. A group owns its work: another group's lead sees
// the campaign's totals, not its rows.
func ExportGroups(u *auth.User, op operation.Operation, c Campaign) (groups []int64, all bool) {
	if u == nil || !CanSeeProgress(u, op, c) {
		return nil, false
	}
	if CanEdit(u, op) || u.Has(auth.Coordinator) {
		return nil, true
	}
	for _, g := range c.GroupIDs {
		if u.HasIn(g, auth.GroupLead) && op.Takes(g) {
			groups = append(groups, g)
		}
	}
	return groups, false
}

// CallerGroups lists the groups whose contacts u may call in the
// campaign: those taking part where she is a volunteer or group lead. A
// group owns its contacts, so nobody calls another group's residents.
func CallerGroups(u *auth.User, op operation.Operation, c Campaign) []int64 {
	var out []int64
	for _, g := range c.GroupIDs {
		if op.Takes(g) && u.HasIn(g, auth.Volunteer, auth.GroupLead) {
			out = append(out, g)
		}
	}
	return out
}

// CanSee reports whether u may know that the campaign exists.
func CanSee(u *auth.User, op operation.Operation, c Campaign) bool {
	return CanSeeProgress(u, op, c) || len(CallerGroups(u, op, c)) > 0
}

// CallLanguage is the language a call is held in: the first of the
// contact's languages that the caller speaks, or else the contact's first.
func CallLanguage(contact, caller []string) string {
	for _, l := range contact {
		if slices.Contains(caller, l) {
			return l
		}
	}
	if len(contact) > 0 {
		return contact[0]
	}
	return "sv"
}

// Answers are a call's answers to the structured questions, by question
// number (from 0).
type Answers map[int]string

// ParseAnswer checks an answer to q; an empty answer is no answer.
func ParseAnswer(q Question, s string) (string, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", true
	case q.Kind == YesNo:
		return s, slices.Contains(YesNoAnswers, s)
	case q.Kind == Choice:
		return s, slices.Contains(q.Choices, s)
	default:
		return s, utf8.RuneCountInString(s) <= maxShortAnswer
	}
}

// marshal helpers keep the JSON columns in one place.
func encodeJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data is encoded here
	}
	return string(b)
}

// wrapLangs stores a language list with a comma at each end so that
// "languages LIKE '%,ar,%'" matches one language exactly.
func wrapLangs(langs []string) string { return "," + strings.Join(langs, ",") + "," }

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func decodeAnswers(s string) map[string]string {
	out := map[string]string{}
	_ = json.Unmarshal([]byte(s), &out) // written by this module; a bad value shows as no answers
	return out
}
