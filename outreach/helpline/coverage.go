package helpline

import (
	"slices"
	"time"
)

// Staffed is a shift as the coverage sees it: who is on (Name "" while
// it is open), when, in which languages.
type Staffed struct {
	Interval
	Langs []string
	Name  string
}

// Segment is a run of hours of one language on one day with the same
// people on: Gap when the line is open and nobody is on for some of it;
// Open lists the shifts planned there that nobody has taken.
type Segment struct {
	From, To time.Time
	Names    []string
	Gap      bool
	Untaken  int
}

// LangDay is one language's hours on one day.
type LangDay struct {
	Lang     string
	Segments []Segment
	GapHours int
}

// CoverageDay is one day of the coverage.
type CoverageDay struct {
	Day   time.Time // local noon of the date
	Langs []LangDay
	Gaps  int // hours with a gap, every language together
}

// Coverage says, for each day of the week that starts on the local date
// of weekStart, per language and hour, who is on shift and where the line
// is open with nobody on. An hour the line is open for part of counts as
// covered only when people are on for all of that part.
func Coverage(s Schedule, langs []string, shifts []Staffed, weekStart time.Time) []CoverageDay {
	loc := s.loc()
	ws := weekStart.In(loc)
	var days []CoverageDay
	for i := 0; i < 7; i++ {
		day := time.Date(ws.Year(), ws.Month(), ws.Day()+i, 12, 0, 0, 0, loc)
		y, m, d := day.Date()
		cd := CoverageDay{Day: day}
		for _, lang := range langs {
			ld := LangDay{Lang: lang}
			open := s.OpenIntervals(lang, at(loc, y, m, d, 0), at(loc, y, m, d, 1440))
			for h := 0; h < 24; h++ {
				slot := Interval{at(loc, y, m, d, h*60), at(loc, y, m, d, h*60+60)}
				if !slot.From.Before(slot.To) {
					continue // the hour the change to summer time skips
				}
				var parts []Interval
				for _, o := range open {
					if p, ok := intersect(slot, o); ok {
						parts = append(parts, p)
					}
				}
				if len(parts) == 0 {
					continue
				}
				var names []string
				var on []Interval
				untaken := 0
				for _, sh := range shifts {
					if !slices.Contains(sh.Langs, lang) || !Overlaps(sh.Interval, slot) {
						continue
					}
					if sh.Name == "" {
						untaken++
						continue
					}
					if !slices.Contains(names, sh.Name) {
						names = append(names, sh.Name)
					}
					on = append(on, sh.Interval)
				}
				slices.Sort(names)
				gap := false
				for _, p := range parts {
					if !covered(p, on) {
						gap = true
					}
				}
				seg := Segment{From: slot.From, To: slot.To, Names: names, Gap: gap, Untaken: untaken}
				if n := len(ld.Segments); n > 0 {
					last := &ld.Segments[n-1]
					if last.To.Equal(seg.From) && last.Gap == seg.Gap && slices.Equal(last.Names, seg.Names) && last.Untaken == seg.Untaken {
						last.To = seg.To
						if gap {
							ld.GapHours++
						}
						continue
					}
				}
				if gap {
					ld.GapHours++
				}
				ld.Segments = append(ld.Segments, seg)
			}
			cd.Gaps += ld.GapHours
			cd.Langs = append(cd.Langs, ld)
		}
		days = append(days, cd)
	}
	return days
}

func intersect(a, b Interval) (Interval, bool) {
	from, to := a.From, a.To
	if b.From.After(from) {
		from = b.From
	}
	if b.To.Before(to) {
		to = b.To
	}
	return Interval{from, to}, from.Before(to)
}

// covered reports whether the intervals on cover all of iv.
func covered(iv Interval, on []Interval) bool {
	on = slices.Clone(on)
	slices.SortFunc(on, func(a, b Interval) int { return a.From.Compare(b.From) })
	t := iv.From
	for _, o := range on {
		if o.From.After(t) {
			break
		}
		if o.To.After(t) {
			t = o.To
		}
		if !t.Before(iv.To) {
			return true
		}
	}
	return !t.Before(iv.To)
}
