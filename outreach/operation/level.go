package operation

import (
	"fmt"
	"strings"
	"time"
)

// Level is an operation's support level: how much the city steps in, from 1
// (the groups run themselves) to 4 (the city's crisis management leads).
type Level int

// The four support levels. A city edits their texts and numbers, never
// their number or order.
const (
	LevelSelfRun   Level = 1
	LevelSupported Level = 2
	LevelJoint     Level = 3
	LevelCrisis    Level = 4

	MinLevel = LevelSelfRun
	MaxLevel = LevelCrisis
)

// levelKeys are the stable names of the levels, used in translation keys,
// URLs and the database.
var levelKeys = [...]string{
	LevelSelfRun:   "self_run",
	LevelSupported: "supported",
	LevelJoint:     "joint",
	LevelCrisis:    "crisis",
}

// Valid reports whether l is one of the four levels.
func (l Level) Valid() bool { return l >= MinLevel && l <= MaxLevel }

// Key returns the stable name of the level ("self_run" ... "crisis"), or ""
// for an invalid level.
func (l Level) Key() string {
	if !l.Valid() {
		return ""
	}
	return levelKeys[l]
}

// String returns "level 2 (supported)", for logs; the interface uses the
// translated name.
func (l Level) String() string {
	if !l.Valid() {
		return fmt.Sprintf("level %d (invalid)", int(l))
	}
	return fmt.Sprintf("level %d (%s)", int(l), l.Key())
}

// ParseLevel returns the level with the number n, or false.
func ParseLevel(n int) (Level, bool) {
	l := Level(n)
	return l, l.Valid()
}

// Rhythm is how often the groups and the city report to each other at a
// level.
type Rhythm string

// The reporting rhythms.
const (
	RhythmNone       Rhythm = "none"
	RhythmWeekly     Rhythm = "weekly"
	RhythmDaily      Rhythm = "daily"
	RhythmContinuous Rhythm = "continuous"
)

// Rhythms lists every rhythm, from the least to the most frequent.
var Rhythms = []Rhythm{RhythmNone, RhythmWeekly, RhythmDaily, RhythmContinuous}

// Valid reports whether r is a known rhythm.
func (r Rhythm) Valid() bool {
	switch r {
	case RhythmNone, RhythmWeekly, RhythmDaily, RhythmContinuous:
		return true
	}
	return false
}

// RoleTexts holds, for each role that takes part in an operation, the
// translation key of "what this level means for you".
type RoleTexts struct {
	Coordinator string
	GroupLead   string
	Volunteer   string
}

// For returns the key for a role named as in the auth package
// ("coordinator", "group_lead", "volunteer"), or false for a role that has
// no part in operations.
func (t RoleTexts) For(role string) (string, bool) {
	switch role {
	case "coordinator":
		return t.Coordinator, true
	case "group_lead":
		return t.GroupLead, true
	case "volunteer":
		return t.Volunteer, true
	}
	return "", false
}

// LevelSpec says what a support level means: how fast the city answers an
// escalated question, how often everyone reports, and what each side does.
// The texts are translation keys, so that every role reads them in its own
// language; a city that rewrites them stores its own keys and messages.
type LevelSpec struct {
	Level     Level
	Key       string        // stable name, e.g. "supported"
	AnswerIn  time.Duration // deadline for the city to answer an escalated question
	Reporting Rhythm

	CityDoes   string    // translation key: what the city does
	GroupsDo   string    // translation key: what the partner groups do
	MeaningFor RoleTexts // translation keys: what the level means for each role
}

// Deadline returns when an escalated question raised at t must be answered.
func (s LevelSpec) Deadline(raised time.Time) time.Time { return raised.Add(s.AnswerIn) }

// DefaultLevels returns the four levels as the product describes them:
// answers within 72 h, 24 h, 4 h and 1 h; reporting none, weekly, daily and
// continuous. Each call returns a new slice that the caller may change.
func DefaultLevels() []LevelSpec {
	answer := [...]time.Duration{0, 72 * time.Hour, 24 * time.Hour, 4 * time.Hour, time.Hour}
	rhythm := [...]Rhythm{"", RhythmNone, RhythmWeekly, RhythmDaily, RhythmContinuous}
	specs := make([]LevelSpec, 0, int(MaxLevel))
	for l := MinLevel; l <= MaxLevel; l++ {
		k := "operation.level." + l.Key()
		specs = append(specs, LevelSpec{
			Level:     l,
			Key:       l.Key(),
			AnswerIn:  answer[l],
			Reporting: rhythm[l],
			CityDoes:  k + ".city_does",
			GroupsDo:  k + ".groups_do",
			MeaningFor: RoleTexts{
				Coordinator: k + ".for_coordinator",
				GroupLead:   k + ".for_group_lead",
				Volunteer:   k + ".for_volunteer",
			},
		})
	}
	return specs
}

// SpecFor returns the spec of level l from specs, or false.
func SpecFor(specs []LevelSpec, l Level) (LevelSpec, bool) {
	for _, s := range specs {
		if s.Level == l {
			return s, true
		}
	}
	return LevelSpec{}, false
}

// LevelProblem is one thing wrong in a set of levels that an administrator
// edited: the level, the field, and a translation key for the message.
type LevelProblem struct {
	Level Level
	Field string // "level", "key", "answer_in", "reporting", "city_does", "groups_do", "meaning_for"
	Key   string // translation key, e.g. "operation.level.error.deadline_order"
}

func (p LevelProblem) Error() string {
	return fmt.Sprintf("level %d: %s: %s", int(p.Level), p.Field, p.Key)
}

// LevelProblems is every problem found by ValidateLevels, so that a form
// shows them all at once.
type LevelProblems []LevelProblem

func (ps LevelProblems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Error()
	}
	return "invalid support levels: " + strings.Join(parts, "; ")
}

// ValidateLevels checks a set of levels before it is saved: exactly the four
// levels in order, each with a stable key, a positive answer deadline that is
// shorter than the level below it (a higher level means the city answers
// faster), a known reporting rhythm, and all its texts. It returns
// LevelProblems, or nil.
func ValidateLevels(specs []LevelSpec) error {
	var ps LevelProblems
	add := func(l Level, field, key string) {
		ps = append(ps, LevelProblem{Level: l, Field: field, Key: "operation.level.error." + key})
	}
	if len(specs) != int(MaxLevel) {
		add(0, "level", "count")
		return ps
	}
	keys := map[string]bool{}
	for i, s := range specs {
		want := Level(i + 1)
		if s.Level != want {
			add(want, "level", "order")
		}
		switch {
		case s.Key == "":
			add(want, "key", "required")
		case keys[s.Key]:
			add(want, "key", "duplicate")
		}
		keys[s.Key] = true
		if s.AnswerIn <= 0 {
			add(want, "answer_in", "positive")
		} else if i > 0 && specs[i-1].AnswerIn > 0 && s.AnswerIn >= specs[i-1].AnswerIn {
			add(want, "answer_in", "decreasing")
		}
		if !s.Reporting.Valid() {
			add(want, "reporting", "unknown_rhythm")
		}
		if s.CityDoes == "" {
			add(want, "city_does", "required")
		}
		if s.GroupsDo == "" {
			add(want, "groups_do", "required")
		}
		if m := s.MeaningFor; m.Coordinator == "" || m.GroupLead == "" || m.Volunteer == "" {
			add(want, "meaning_for", "required")
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}
