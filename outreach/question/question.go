// Package question keeps what residents ask volunteers, without who
// asked: from a campaign call, a help-line call, or entered by a
// volunteer afterwards. A question she could not answer is escalated to
// the city with the deadline of the operation's support level; the city's
// triage takes it, merges duplicates, and answers it with a handbook
// entry, which answers the question only once it is verified. Then the
// operation's callers hear of it and the residents who asked for it are
// called back (the campaign module does the calling, through OnAnswered).
package question

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"megafon/outreach/handbook"
	"megafon/platform/i18n"
	"megafon/platform/input"
	"megafon/platform/problem"
	"megafon/platform/redact"
)

// Source is where a question came from.
type Source string

// The sources of questions.
const (
	FromCampaign  Source = "campaign"  // a campaign call
	FromHelpLine  Source = "helpline"  // a call to the help line
	FromVolunteer Source = "volunteer" // entered afterwards ("a resident asked me at the shop")
)

// Sources lists them, for forms and checks.
var Sources = []Source{FromCampaign, FromHelpLine, FromVolunteer}

// State is where a question stands.
type State string

// The states of a question.
const (
	Kept      State = "kept"      // answered on the spot or noted: nothing for the city to do
	Escalated State = "escalated" // the city must answer by its due time
	Answering State = "answering" // an answer is in the handbook's review flow
	Answered  State = "answered"  // that answer was verified
	Closed    State = "closed"    // closed with a reason, unanswered
	Merged    State = "merged"    // counted in another question, answered with it
)

// Open reports whether the city still owes an answer.
func (s State) Open() bool { return s == Escalated || s == Answering }

// Limits of what a volunteer types.
const (
	MaxTextRunes    = 1000 // the question as the resident put it
	MaxSummaryRunes = 300  // the volunteer's short Swedish summary
	MaxReasonRunes  = 500  // why the city closed it
)

// Draft is a question as a volunteer records it.
type Draft struct {
	OperationID int64
	Source      Source
	CampaignID  int64 // the campaign of a campaign call
	CallID      int64 // the call it was asked in (campaign or help line)
	AskedBy     int64 // the volunteer
	OrgID       int64 // her group
	Language    string
	District    string
	Topics      []string
	Text        string
	Summary     string // in Swedish, for the city's triage
	OnTheSpot   bool   // she answered it there and then
	EntryID     int64  // with this handbook entry
	VersionID   int64  // in the version she had open
	Escalate    bool   // "I couldn't answer this"
	Callback    bool   // the resident may be called back with the answer
	Key         string // a form's idempotency key: a double tap records once
}

// Clean checks the draft and masks what identifies a person in its text
// and summary, reporting what it masked so that the volunteer is told.
// Problems are keyed by the form fields text, summary, topics, language.
func (d *Draft) Clean() (redact.Found, error) {
	var l problem.List
	if !slices.Contains(Sources, d.Source) {
		l = append(l, problem.New(problem.BadRequest, "error.bad_request"))
	}
	if tag, err := i18n.NormalizeTag(strings.TrimSpace(d.Language)); err != nil {
		l.Add("language", "question.error.language")
	} else {
		d.Language = tag
	}
	if d.Language == "sv-x-easy" {
		d.Language = handbook.Swedish // a way of writing for the interface, not a language asked in
	}
	for _, t := range d.Topics {
		if !slices.Contains(handbook.Topics, t) {
			l.Add("topics", "question.error.topic")
			break
		}
	}
	d.Topics = uniq(d.Topics)
	var found, more redact.Found
	text, textErr := input.Text(strings.TrimSpace(d.Text), MaxTextRunes)
	if textErr != nil {
		l.Add("text", "question.error.text", "Max", MaxTextRunes)
	}
	d.Text, found = redact.Text(text)
	summary, err := input.Line(strings.TrimSpace(d.Summary), MaxSummaryRunes)
	if err != nil {
		l.Add("summary", "question.error.summary", "Max", MaxSummaryRunes)
	}
	d.Summary, more = redact.Text(summary)
	found.Identity, found.Phone, found.Email = found.Identity || more.Identity, found.Phone || more.Phone, found.Email || more.Email
	// A text refused above is not also "missing".
	if d.Text == "" && len(d.Topics) == 0 && textErr == nil && !d.Escalate {
		l.Add("text", "question.error.empty")
	}
	if d.Escalate && d.Text == "" && textErr == nil {
		l.Add("text", "question.error.escalate_text")
	}
	if d.Escalate && d.Summary == "" && d.Language != handbook.Swedish {
		l.Add("summary", "question.error.summary_needed")
	}
	if d.Escalate && d.Summary == "" {
		d.Summary = firstRunes(d.Text, MaxSummaryRunes)
	}
	if d.Escalate {
		d.OnTheSpot = false
	} else {
		d.Callback = false // a callback brings an answer the city has yet to give
	}
	if !d.OnTheSpot {
		d.EntryID, d.VersionID = 0, 0
	}
	if len(d.Key) > 64 {
		l = append(l, problem.New(problem.BadRequest, "error.bad_request"))
	}
	return found, l.Err()
}

func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func firstRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Question is a stored question.
type Question struct {
	ID          int64
	OperationID int64
	Source      Source
	CampaignID  int64
	CallID      int64
	AskedBy     int64
	OrgID       int64
	Language    string
	District    string
	Topics      []string
	Text        string
	Summary     string
	OnTheSpot   bool
	EntryID     int64
	VersionID   int64
	Callback    bool
	State       State
	Level       int
	EscalatedAt time.Time
	DueAt       time.Time
	TakenBy     int64
	TakenByName string
	MergedInto  int64
	Asks        int      // how many questions it stands for, merged ones included
	Languages   []string // its language and those of the questions merged into it
	AnswerEntry int64
	AnswerVer   int64
	AnsweredAt  time.Time
	ClosedAt    time.Time
	CloseReason string
	HandledBy   string // who answered or closed it
	CreatedAt   time.Time
}

// Overdue reports whether the city owes an answer past its due time.
func (q Question) Overdue(now time.Time) bool {
	return q.State.Open() && !q.DueAt.IsZero() && now.After(q.DueAt)
}

// CloseDraft is a coordinator closing a question unanswered.
type CloseDraft struct{ Reason string }

// Clean checks the reason: required, one paragraph.
func (d *CloseDraft) Clean() error {
	r, err := input.Text(strings.TrimSpace(d.Reason), MaxReasonRunes)
	if err != nil || r == "" {
		return problem.Field("reason", "question.error.reason", "Max", MaxReasonRunes)
	}
	d.Reason, _ = redact.Text(r)
	return nil
}
