package process

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"megafon/platform/problem"
)

// PhaseKinds are a process's phases in their usual order. A facilitator
// may rename, skip or add phases ("custom").
var PhaseKinds = []string{"invitation", "workshops", "journeys", "proposals", "prioritisation",
	"measurement_plan", "handover", "decision", "follow_up"}

// Action is something a participant does. What is allowed depends on the
// current phase.
type Action string

const (
	ActionJoin     Action = "join"
	ActionSignUp   Action = "sign_up"
	ActionPostNote Action = "post_note"
	ActionPropose  Action = "propose"
	ActionVote     Action = "vote"
)

// allowedIn says in which phase kinds an action is open. Reading, reading
// one's consent and withdrawing it are always open.
var allowedIn = map[Action][]string{
	ActionJoin:     {"invitation", "workshops", "journeys", "proposals", "prioritisation"},
	ActionSignUp:   {"invitation", "workshops"},
	ActionPostNote: {"workshops", "journeys"},
	ActionPropose:  {"proposals"},
	ActionVote:     {"prioritisation"},
}

// Phase is a step of a process, with its days (both included).
type Phase struct {
	ID       int64
	Position int
	Kind     string // one of PhaseKinds, or "custom"
	Name     string // the facilitator's name; empty: the kind's name
	StartsOn string // YYYY-MM-DD
	EndsOn   string
	Skipped  bool
}

// Stockholm is the calendar phases follow.
var Stockholm = func() *time.Location {
	l, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()

// Day is the calendar day of t in Stockholm.
func Day(t time.Time) string { return t.In(Stockholm).Format(time.DateOnly) }

// CurrentPhase is the phase whose days include now and that is not
// skipped; the last such when phases overlap.
func CurrentPhase(phases []Phase, now time.Time) (Phase, bool) {
	today := Day(now)
	var cur Phase
	found := false
	for _, p := range phases {
		if !p.Skipped && p.StartsOn <= today && today <= p.EndsOn {
			cur, found = p, true
		}
	}
	return cur, found
}

// Allowed says whether a participant may do a now; the refusal names the
// current phase.
func Allowed(phases []Phase, now time.Time, a Action) error {
	cur, ok := CurrentPhase(phases, now)
	if !ok {
		return problem.New(problem.Conflict, "cc.error.no_phase")
	}
	for _, k := range allowedIn[a] {
		if k == cur.Kind {
			return nil
		}
	}
	return problem.New(problem.Conflict, "cc.error.phase_closed."+string(a))
}

// Roles a participant can pick, and age bands.
var (
	ParticipantRoles = []string{"service_user", "relative", "association", "board_member", "staff", "young_person", "other"}
	AgeBands         = []string{"under_18", "18_25", "26_40", "41_64", "65_plus"}
	Services         = []string{"financial_aid", "addiction", "disability", "elderly_care", "children_families", "housing", "mental_health", "other"}
)

// ConsentVersion is the version of the consent text participants accept;
// a new text gets a new version, and the version accepted is stored.
const ConsentVersion = "2023-1"

// Limits on what people type.
const (
	MaxNote   = 500
	MaxName   = 80
	MaxTitle  = 200
	MaxText   = 4000
	MaxPrompt = 300
	MaxTheme  = 80
)

// CleanNote trims a note and checks it: not empty, at most MaxNote
// characters.
func CleanNote(text string) (string, error) {
	text = CleanText(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", problem.Field("text", "cc.error.note_empty")
	case n > MaxNote:
		return "", problem.Field("text", "cc.error.note_long", "Max", MaxNote, "N", n)
	}
	return text, nil
}

// CleanText is what someone typed in a box of several lines, as it is
// kept: valid UTF-8 (a browser sends nothing else; what does is cut),
// without control characters but new lines and tabs (PostgreSQL refuses
// NUL, and the rest only confuses a screen or a spreadsheet), trimmed.
func CleanText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// CleanLine is CleanText for a field of one line: a name, a title. New
// lines and tabs become spaces.
func CleanLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, CleanText(s)))
}

// MaxPhases is more phases than any process needs.
const MaxPhases = 40

// CheckPhases checks the phases a facilitator saves, each problem beside
// its row's field, and cleans their names.
func CheckPhases(phases []Phase) error {
	var l problem.List
	for i := range phases {
		p := &phases[i]
		p.Name = CleanLine(p.Name)
		if p.Kind != "custom" && !oneOf(p.Kind, PhaseKinds) {
			l.Add(fmt.Sprintf("kind%d", i), "form.invalid_choice")
		}
		if p.Kind == "custom" && p.Name == "" {
			l.Add(fmt.Sprintf("name%d", i), "cc.error.phase_name")
		}
		if utf8.RuneCountInString(p.Name) > MaxTheme {
			l.Add(fmt.Sprintf("name%d", i), "cc.error.too_long")
		}
		startOK, endOK := ValidDay(p.StartsOn), ValidDay(p.EndsOn)
		if !startOK {
			l.Add(fmt.Sprintf("starts%d", i), "cc.error.date")
		}
		if !endOK {
			l.Add(fmt.Sprintf("ends%d", i), "cc.error.date")
		}
		if startOK && endOK && p.EndsOn < p.StartsOn {
			l.Add(fmt.Sprintf("ends%d", i), "cc.error.ends_before")
		}
	}
	switch {
	case len(phases) == 0:
		l.Add("phases", "cc.error.no_phases")
	case len(phases) > MaxPhases:
		l.Add("phases", "cc.error.too_many_phases", "Max", MaxPhases)
	}
	return l.Err()
}

// ValidDay checks a YYYY-MM-DD date.
func ValidDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// NextYear moves a YYYY-MM-DD day a year on (29 February becomes 1 March).
func NextYear(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(1, 0, 0).Format(time.DateOnly)
}

// DefaultPhases spreads the nine phases over a year from start, about as
// the pilot did.
func DefaultPhases(start time.Time) []Phase {
	weeks := []int{4, 6, 4, 4, 3, 4, 2, 4, 21}
	var out []Phase
	d := start
	for i, k := range PhaseKinds {
		end := d.AddDate(0, 0, 7*weeks[i]-1)
		out = append(out, Phase{Position: i + 1, Kind: k, StartsOn: d.Format(time.DateOnly), EndsOn: end.Format(time.DateOnly)})
		d = end.AddDate(0, 0, 1)
	}
	return out
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
