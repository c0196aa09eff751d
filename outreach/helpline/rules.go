package helpline

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the line's time zone works on machines without zoneinfo

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/se"

	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/problem"
)

// Span is a stretch of a day in local minutes from midnight: Opens
// inclusive, Closes exclusive (1440 is midnight at the day's end).
type Span struct{ Opens, Closes int }

// String is the span as "09:00–17:00".
func (s Span) String() string { return Clock(s.Opens) + "–" + Clock(s.Closes) }

// Clock writes local minutes as "HH:MM".
func Clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// WeeklyHours is one span of a language's weekly opening hours.
type WeeklyHours struct {
	Lang    string
	Weekday time.Weekday
	Span
}

// Exception replaces the weekly hours of one date: closed, or open at
// other hours; for one language, or for every one when Lang is "".
type Exception struct {
	ID     int64
	Day    string // YYYY-MM-DD in the line's time zone
	Lang   string
	Closed bool
	Span   // when not Closed
	Note   string
}

// Schedule is everything that says when a line answers in a language.
type Schedule struct {
	Loc              *time.Location
	ClosedOnHolidays bool
	Weekly           []WeeklyHours
	Exceptions       []Exception
}

// Interval is a stretch of time, From inclusive, To exclusive.
type Interval struct{ From, To time.Time }

// Overlaps reports whether two intervals share an instant.
func Overlaps(a, b Interval) bool { return a.From.Before(b.To) && b.From.Before(a.To) }

// swedishHolidays are Sweden's public holidays and the eves that are
// kept as holidays (midsummer, Christmas and New Year's Eve), from
// rickar/cal. Easter and Whit Sunday are added: they fall on Sundays, but
// a line open on Sundays closes on them too.
var swedishHolidays = func() *cal.Calendar {
	c := &cal.Calendar{}
	c.AddHoliday(se.Holidays...)
	c.AddHoliday(se.Paskdagen, se.Pingstdagen)
	return c
}()

// Holiday returns the name of the Swedish holiday on a date, if it is one.
func Holiday(y int, m time.Month, d int) (string, bool) {
	act, obs, h := swedishHolidays.IsHoliday(time.Date(y, m, d, 12, 0, 0, 0, time.UTC))
	if (act || obs) && h != nil {
		return h.Name, true
	}
	return "", false
}

// DayString is a local date as YYYY-MM-DD.
func DayString(y int, m time.Month, d int) string { return fmt.Sprintf("%04d-%02d-%02d", y, m, d) }

// SpansOn returns the hours a line is open in lang on a local date: an
// exception for lang, else one for every language, else closed on a
// holiday when the line closes on them, else the weekly hours.
func (s Schedule) SpansOn(lang string, y int, m time.Month, d int) []Span {
	day := DayString(y, m, d)
	var all *Exception
	for i, e := range s.Exceptions {
		if e.Day != day {
			continue
		}
		if e.Lang == lang {
			return e.spans()
		}
		if e.Lang == "" {
			all = &s.Exceptions[i]
		}
	}
	if all != nil {
		return all.spans()
	}
	if _, ok := Holiday(y, m, d); ok && s.ClosedOnHolidays {
		return nil
	}
	wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
	var out []Span
	for _, h := range s.Weekly {
		if h.Lang == lang && h.Weekday == wd {
			out = append(out, h.Span)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Opens < out[j].Opens })
	return out
}

func (e Exception) spans() []Span {
	if e.Closed {
		return nil
	}
	return []Span{e.Span}
}

func (s Schedule) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

// at is a local date and minute as an instant; a minute that a change to
// summer time skips is read as the same minute of the hour after.
func at(loc *time.Location, y int, m time.Month, d, min int) time.Time {
	return time.Date(y, m, d, min/60, min%60, 0, 0, loc)
}

// OpenIntervals lists the instants the line is open in lang that touch
// [from, to), joined where one day's hours run into the next's.
func (s Schedule) OpenIntervals(lang string, from, to time.Time) []Interval {
	loc := s.loc()
	var out []Interval
	start := from.In(loc).AddDate(0, 0, -1)
	for day := time.Date(start.Year(), start.Month(), start.Day(), 12, 0, 0, 0, loc); !day.After(to.In(loc).AddDate(0, 0, 1)); day = day.AddDate(0, 0, 1) {
		y, m, d := day.Date()
		for _, sp := range s.SpansOn(lang, y, m, d) {
			iv := Interval{at(loc, y, m, d, sp.Opens), at(loc, y, m, d, sp.Closes)}
			if !iv.From.Before(iv.To) || iv.From.After(to) || iv.To.Before(from) {
				continue
			}
			if n := len(out); n > 0 && !iv.From.After(out[n-1].To) {
				if iv.To.After(out[n-1].To) {
					out[n-1].To = iv.To
				}
				continue
			}
			out = append(out, iv)
		}
	}
	return out
}

// OpenAt reports whether the line answers in lang at the instant t.
func (s Schedule) OpenAt(lang string, t time.Time) bool {
	for _, iv := range s.OpenIntervals(lang, t, t.Add(time.Minute)) {
		if !t.Before(iv.From) && t.Before(iv.To) {
			return true
		}
	}
	return false
}

// Covers reports whether the line is open in lang for the whole of iv.
func (s Schedule) Covers(lang string, iv Interval) bool {
	for _, o := range s.OpenIntervals(lang, iv.From, iv.To) {
		if !iv.From.Before(o.From) && !o.To.Before(iv.To) {
			return true
		}
	}
	return false
}

// ParseSpans reads opening hours as typed: "09:00-12:00, 13:00-17:00"
// ("9-17", "09.00–17.00" too); "" is closed. Spans may not overlap.
func ParseSpans(s string) ([]Span, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var out []Span
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		part = strings.TrimSpace(strings.NewReplacer("–", "-", "—", "-", "−", "-").Replace(part))
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("span %q: no dash", part)
		}
		opens, err := ParseClock(a)
		if err != nil {
			return nil, err
		}
		closes, err := ParseClock(b)
		if err != nil {
			return nil, err
		}
		if closes == 0 {
			closes = 1440
		}
		if opens >= closes {
			return nil, fmt.Errorf("span %q: closes before it opens", part)
		}
		out = append(out, Span{opens, closes})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Opens < out[j].Opens })
	for i := 1; i < len(out); i++ {
		if out[i].Opens < out[i-1].Closes {
			return nil, fmt.Errorf("spans overlap")
		}
	}
	return out, nil
}

// ParseClock reads "17:30", "17.30" or "17" as minutes from midnight;
// "24:00" is the day's end.
func ParseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	h, m, _ := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	hh, err := strconv.Atoi(h)
	if err != nil || len(h) > 2 {
		return 0, fmt.Errorf("time %q: not a time of day", s)
	}
	mm := 0
	if m != "" {
		if mm, err = strconv.Atoi(m); err != nil || len(m) != 2 {
			return 0, fmt.Errorf("time %q: not a time of day", s)
		}
	}
	if hh < 0 || mm < 0 || mm > 59 || hh > 24 || hh == 24 && mm != 0 {
		return 0, fmt.Errorf("time %q: not a time of day", s)
	}
	return hh*60 + mm, nil
}

// FormatSpans writes spans as ParseSpans reads them.
func FormatSpans(spans []Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = Clock(s.Opens) + "-" + Clock(s.Closes)
	}
	return strings.Join(parts, ", ")
}

// Speaks reports whether a person who speaks personLangs can answer in
// every language of a shift.
func Speaks(personLangs, shiftLangs []string) bool {
	for _, l := range shiftLangs {
		if !slices.Contains(personLangs, l) {
			return false
		}
	}
	return true
}

// OverlapsAny reports whether iv overlaps any of others.
func OverlapsAny(iv Interval, others []Interval) bool {
	for _, o := range others {
		if Overlaps(iv, o) {
			return true
		}
	}
	return false
}

// ShiftCheck is what CheckShift needs to know about a shift and the
// shifts around it.
type ShiftCheck struct {
	Interval
	Langs        []string
	LineLangs    []string   // the languages the line offers
	PersonLangs  []string   // nil while the shift is open
	PersonShifts []Interval // the person's other shifts
	PhoneShifts  []Interval // the phone's other shifts; nil without a phone
	Schedule     Schedule
}

// CheckShift returns every reason a shift cannot be: no language, a
// language the line does not offer, an end before its start, outside
// the opening hours of one of its languages, a volunteer who does not
// speak its languages, one who is on another shift at the time, a phone
// another shift holds at the time.
func CheckShift(c ShiftCheck) error {
	var l problem.List
	if !c.From.Before(c.To) {
		l.Add("to", "helpline.error.ends_before")
	} else if c.To.Sub(c.From) > 24*time.Hour {
		l.Add("to", "helpline.error.too_long")
	}
	if len(c.Langs) == 0 {
		l.Add("langs", "helpline.error.langs_required")
	}
	for _, lang := range c.Langs {
		if !slices.Contains(c.LineLangs, lang) {
			l.Add("langs", "helpline.error.lang_not_offered")
			break
		}
	}
	if len(l) == 0 {
		for _, lang := range c.Langs {
			if !c.Schedule.Covers(lang, c.Interval) {
				l.Add("from", "helpline.error.outside_hours", "Lang", problem.Lang(lang))
				break
			}
		}
	}
	if c.PersonLangs != nil && !Speaks(c.PersonLangs, c.Langs) {
		l.Add("person", "helpline.error.not_spoken")
	}
	if OverlapsAny(c.Interval, c.PersonShifts) {
		l.Add("person", "helpline.error.overlap")
	}
	if OverlapsAny(c.Interval, c.PhoneShifts) {
		l.Add("phone", "helpline.error.phone_busy")
	}
	return l.Err()
}

// CanManageLine reports whether u may create and edit the operation's
// help lines, their hours and phones: a coordinator of the lead
// administration. An administrator runs the system, not the line.
func CanManageLine(u *auth.User, op operation.Operation) bool {
	return u.HasIn(op.LeadOrgID, auth.Coordinator)
}

// CanSeeLine reports whether u may read a line of the operation: whoever
// may read the operation.
func CanSeeLine(u *auth.User, op operation.Operation) bool { return operation.CanSee(u, op) }

// CanSeeCoverage reports whether u may see who is on shift and where the
// gaps are: the city's coordinators who may read the operation and the
// leads of the groups taking part.
func CanSeeCoverage(u *auth.User, op operation.Operation) bool {
	if u.Has(auth.Coordinator) {
		return true
	}
	return len(PlanningGroups(u, op)) > 0
}

// PlanningGroups are the groups whose shifts u plans on the operation's
// lines: the groups taking part that she leads.
func PlanningGroups(u *auth.User, op operation.Operation) []int64 {
	var out []int64
	for _, g := range op.GroupIDs {
		if u.HasIn(g, auth.GroupLead) {
			out = append(out, g)
		}
	}
	return out
}

// VolunteerGroups are the groups taking part in which u is a volunteer:
// whose open shifts she may take.
func VolunteerGroups(u *auth.User, op operation.Operation) []int64 {
	var out []int64
	for _, g := range op.GroupIDs {
		if u.HasIn(g, auth.Volunteer) {
			out = append(out, g)
		}
	}
	return out
}
