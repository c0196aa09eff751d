package helpline_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"megafon/outreach/helpline"
	"megafon/platform/problem"
)

var stockholm = func() *time.Location {
	l, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return l
}()

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}
func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, stockholm)
}

// schedule is a week of a line: Arabic on weekdays 9–17, Tigrinya on
// Thursday evenings 18–21, Somali on Sundays 9–17, Swedish every day
// around midnight (20–24 and 0–2).
func schedule(closedOnHolidays bool, exceptions ...helpline.Exception) helpline.Schedule {
	s := helpline.Schedule{Loc: stockholm, ClosedOnHolidays: closedOnHolidays, Exceptions: exceptions}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		s.Weekly = append(s.Weekly, helpline.WeeklyHours{Lang: "ar", Weekday: wd, Span: helpline.Span{Opens: 9 * 60, Closes: 17 * 60}})
	}
	s.Weekly = append(s.Weekly, helpline.WeeklyHours{Lang: "ti", Weekday: time.Thursday, Span: helpline.Span{Opens: 18 * 60, Closes: 21 * 60}},
		helpline.WeeklyHours{Lang: "so", Weekday: time.Sunday, Span: helpline.Span{Opens: 9 * 60, Closes: 17 * 60}})
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		s.Weekly = append(s.Weekly, helpline.WeeklyHours{Lang: "sv", Weekday: wd, Span: helpline.Span{Opens: 20 * 60, Closes: 1440}},
			helpline.WeeklyHours{Lang: "sv", Weekday: wd, Span: helpline.Span{Opens: 0, Closes: 2 * 60}})
	}
	return s
}

func TestSwedishHolidaysComeFromTheCalendar(t *testing.T) {
	for _, c := range []struct {
		y    int
		m    time.Month
		d    int
		want bool
	}{
		{2026, time.January, 1, true},   // New Year's Day
		{2026, time.January, 6, true},   // Epiphany
		{2026, time.April, 3, true},     // Good Friday
		{2026, time.April, 5, true},     // Easter Sunday
		{2026, time.April, 6, true},     // Easter Monday
		{2026, time.May, 1, true},       // First of May
		{2026, time.May, 14, true},      // Ascension Day
		{2026, time.May, 24, true},      // Whit Sunday
		{2026, time.June, 6, true},      // National Day
		{2026, time.June, 19, true},     // Midsummer Eve (a Friday)
		{2026, time.June, 20, true},     // Midsummer Day
		{2026, time.October, 31, true},  // All Saints' Day (a Saturday)
		{2026, time.December, 24, true}, // Christmas Eve
		{2026, time.December, 26, true}, // Boxing Day
		{2026, time.December, 31, true}, // New Year's Eve
		{2026, time.December, 2, false},
		{2026, time.June, 18, false},
		{2027, time.March, 26, true}, // Good Friday moves with Easter
		{2026, time.March, 27, false},
	} {
		if _, got := helpline.Holiday(c.y, c.m, c.d); got != c.want {
			t.Errorf("%d-%02d-%02d: holiday %v, want %v", c.y, c.m, c.d, got, c.want)
		}
	}
}

func TestOpeningHoursFollowTheLinesClockHolidaysAndExceptions(t *testing.T) {
	for _, c := range []struct {
		name string
		s    helpline.Schedule
		lang string
		at   time.Time
		want bool
	}{
		{"a Wednesday at 10 in Arabic", schedule(true), "ar", local(2026, 12, 2, 10, 0), true},
		{"a Wednesday at 17 sharp: closed", schedule(true), "ar", local(2026, 12, 2, 17, 0), false},
		{"a Wednesday at 9 sharp: open", schedule(true), "ar", local(2026, 12, 2, 9, 0), true},
		{"Arabic on a Saturday", schedule(true), "ar", local(2026, 12, 5, 10, 0), false},
		{"a language the line does not have", schedule(true), "uk", local(2026, 12, 2, 10, 0), false},
		{"Tigrinya on Thursday evening", schedule(true), "ti", local(2026, 12, 3, 19, 30), true},
		{"Tigrinya on Wednesday evening", schedule(true), "ti", local(2026, 12, 2, 19, 30), false},
		{"Swedish just after midnight", schedule(true), "sv", local(2026, 12, 3, 1, 59), true},
		{"Swedish at 2", schedule(true), "sv", local(2026, 12, 3, 2, 0), false},
		// Summer time starts on the last Sunday of March at 02:00: 09:30
		// local is 07:30 UTC that day, 08:30 UTC the Sunday before.
		{"the Sunday summer time starts, 09:30 local", schedule(true), "so", utc(2026, 3, 29, 7, 30), true},
		{"the Sunday summer time starts, 08:30 local", schedule(true), "so", utc(2026, 3, 29, 6, 30), false},
		{"the Sunday summer time starts, 17:30 local", schedule(true), "so", utc(2026, 3, 29, 15, 30), false},
		{"the Sunday before, 09:30 local", schedule(true), "so", utc(2026, 3, 22, 8, 30), true},
		{"the Sunday before, 08:30 local", schedule(true), "so", utc(2026, 3, 22, 7, 30), false},
		// Summer time ends on the last Sunday of October at 03:00.
		{"the Sunday summer time ends, 09:30 local", schedule(true), "so", utc(2026, 10, 25, 8, 30), true},
		{"the Sunday summer time ends, 08:30 local", schedule(true), "so", utc(2026, 10, 25, 7, 30), false},
		{"the Sunday summer time ends, 16:30 local", schedule(true), "so", utc(2026, 10, 25, 15, 30), true},
		{"Christmas Day, closing on holidays", schedule(true), "ar", local(2026, 12, 25, 10, 0), false},
		{"Christmas Day, open on holidays", schedule(false), "ar", local(2026, 12, 25, 10, 0), true},
		{"Midsummer Eve, closing on holidays", schedule(true), "ar", local(2026, 6, 19, 10, 0), false},
		{"Easter Sunday closes Somali's Sunday", schedule(true), "so", local(2026, 4, 5, 10, 0), false},
		{"an exception opens Arabic on Christmas Day", schedule(true, helpline.Exception{Day: "2026-12-25", Lang: "ar", Span: helpline.Span{Opens: 600, Closes: 840}}),
			"ar", local(2026, 12, 25, 11, 0), true},
		{"… only at its hours", schedule(true, helpline.Exception{Day: "2026-12-25", Lang: "ar", Span: helpline.Span{Opens: 600, Closes: 840}}),
			"ar", local(2026, 12, 25, 15, 0), false},
		{"an exception closing every language", schedule(true, helpline.Exception{Day: "2026-12-02", Closed: true}), "ar", local(2026, 12, 2, 10, 0), false},
		{"a language's own exception before the one for all", schedule(true, helpline.Exception{Day: "2026-12-02", Closed: true},
			helpline.Exception{Day: "2026-12-02", Lang: "ar", Span: helpline.Span{Opens: 12 * 60, Closes: 13 * 60}}), "ar", local(2026, 12, 2, 12, 30), true},
		{"an exception for another language leaves this one", schedule(true, helpline.Exception{Day: "2026-12-02", Lang: "so", Closed: true}),
			"ar", local(2026, 12, 2, 10, 0), true},
		{"an exception on another date", schedule(true, helpline.Exception{Day: "2026-12-03", Closed: true}), "ar", local(2026, 12, 2, 10, 0), true},
	} {
		if got := c.s.OpenAt(c.lang, c.at); got != c.want {
			t.Errorf("%s: open %v, want %v", c.name, got, c.want)
		}
	}
}

func TestADayOfTheChangeToSummerTimeHasTwentyThreeHours(t *testing.T) {
	s := helpline.Schedule{Loc: stockholm}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		s.Weekly = append(s.Weekly, helpline.WeeklyHours{Lang: "sv", Weekday: wd, Span: helpline.Span{Opens: 0, Closes: 1440}})
	}
	for _, c := range []struct {
		day  time.Time
		want time.Duration
	}{
		{local(2026, 3, 29, 12, 0), 23 * time.Hour},
		{local(2026, 10, 25, 12, 0), 25 * time.Hour},
		{local(2026, 12, 2, 12, 0), 24 * time.Hour},
	} {
		y, m, d := c.day.Date()
		from, to := time.Date(y, m, d, 0, 0, 0, 0, stockholm), time.Date(y, m, d+1, 0, 0, 0, 0, stockholm)
		var got time.Duration
		for _, iv := range s.OpenIntervals("sv", from, to) {
			a, b := iv.From, iv.To
			if a.Before(from) {
				a = from
			}
			if b.After(to) {
				b = to
			}
			got += b.Sub(a)
		}
		if got != c.want {
			t.Errorf("%s: open %v, want %v", c.day.Format("2006-01-02"), got, c.want)
		}
	}
}

func TestShiftRules(t *testing.T) {
	thu := func(h, m int) time.Time { return local(2026, 12, 3, h, m) }
	base := func() helpline.ShiftCheck {
		return helpline.ShiftCheck{Interval: helpline.Interval{From: thu(18, 0), To: thu(21, 0)}, Langs: []string{"ti"},
			LineLangs: []string{"ar", "ti", "so", "sv"}, PersonLangs: []string{"ti", "sv"}, Schedule: schedule(true)}
	}
	for _, c := range []struct {
		name   string
		change func(*helpline.ShiftCheck)
		want   []string // problem keys
	}{
		{"inside the hours, free, speaks it", func(*helpline.ShiftCheck) {}, nil},
		{"an open shift", func(c *helpline.ShiftCheck) { c.PersonLangs = nil }, nil},
		{"starts before the line opens", func(c *helpline.ShiftCheck) { c.From = thu(17, 0) }, []string{"helpline.error.outside_hours"}},
		{"ends after it closes", func(c *helpline.ShiftCheck) { c.To = thu(21, 30) }, []string{"helpline.error.outside_hours"}},
		{"across midnight where both days are open", func(c *helpline.ShiftCheck) {
			c.Langs, c.PersonLangs = []string{"sv"}, []string{"sv"}
			c.From, c.To = thu(23, 0), local(2026, 12, 4, 1, 0)
		}, nil},
		{"in two languages, one of them closed", func(c *helpline.ShiftCheck) { c.Langs = []string{"ti", "ar"}; c.PersonLangs = []string{"ti", "ar"} }, []string{"helpline.error.outside_hours"}},
		{"a language the line does not offer", func(c *helpline.ShiftCheck) { c.Langs = []string{"uk"} }, []string{"helpline.error.lang_not_offered", "helpline.error.not_spoken"}},
		{"no language", func(c *helpline.ShiftCheck) { c.Langs = nil }, []string{"helpline.error.langs_required"}},
		{"ends before it starts", func(c *helpline.ShiftCheck) { c.From, c.To = thu(20, 0), thu(19, 0) }, []string{"helpline.error.ends_before"}},
		{"she does not speak it", func(c *helpline.ShiftCheck) { c.PersonLangs = []string{"ar", "sv"} }, []string{"helpline.error.not_spoken"}},
		{"she is on another shift then", func(c *helpline.ShiftCheck) {
			c.PersonShifts = []helpline.Interval{{From: thu(20, 0), To: thu(22, 0)}}
		}, []string{"helpline.error.overlap"}},
		{"her other shift ends as this starts", func(c *helpline.ShiftCheck) {
			c.PersonShifts = []helpline.Interval{{From: thu(15, 0), To: thu(18, 0)}}
		}, nil},
		{"the phone is on another shift then", func(c *helpline.ShiftCheck) {
			c.PhoneShifts = []helpline.Interval{{From: thu(17, 0), To: thu(18, 30)}}
		}, []string{"helpline.error.phone_busy"}},
		{"the phone is free after the other shift", func(c *helpline.ShiftCheck) {
			c.PhoneShifts = []helpline.Interval{{From: thu(21, 0), To: thu(22, 0)}}
		}, nil},
		{"on Christmas Eve, a holiday", func(c *helpline.ShiftCheck) {
			c.From, c.To = local(2026, 12, 24, 18, 0), local(2026, 12, 24, 21, 0)
		}, []string{"helpline.error.outside_hours"}},
	} {
		chk := base()
		c.change(&chk)
		err := helpline.CheckShift(chk)
		var got []string
		if l, ok := problem.As(err); ok {
			for _, p := range l {
				got = append(got, p.Key)
			}
		} else if err != nil {
			t.Errorf("%s: %v is not a problem", c.name, err)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: problems %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOpeningHoursAreTypedAsPeopleWriteThem(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"09:00-17:00", "09:00-17:00", true},
		{"9-12, 13-17", "09:00-12:00, 13:00-17:00", true},
		{"13.00–17.00; 09.00–12.00", "09:00-12:00, 13:00-17:00", true},
		{"20:00-24:00", "20:00-24:00", true},
		{"20:00-00:00", "20:00-24:00", true},
		{"17-9", "", false},
		{"9-12, 11-13", "", false},
		{"nine to five", "", false},
		{"25:00-26:00", "", false},
		{"09:60-10:00", "", false},
	} {
		spans, err := helpline.ParseSpans(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%q: error %v, want ok %v", c.in, err, c.ok)
			continue
		}
		if got := helpline.FormatSpans(spans); c.ok && got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCoverageShowsWhoIsOnAndTheGaps(t *testing.T) {
	s := schedule(true)
	monday := local(2026, 11, 30, 0, 0)
	shifts := []helpline.Staffed{
		{Interval: helpline.Interval{From: local(2026, 12, 2, 9, 0), To: local(2026, 12, 2, 13, 0)}, Langs: []string{"ar"}, Name: "Amina"},
		{Interval: helpline.Interval{From: local(2026, 12, 2, 13, 0), To: local(2026, 12, 2, 16, 30)}, Langs: []string{"ar"}, Name: "Khadra"},
		{Interval: helpline.Interval{From: local(2026, 12, 3, 18, 0), To: local(2026, 12, 3, 21, 0)}, Langs: []string{"ti"}}, // open, untaken
	}
	days := helpline.Coverage(s, []string{"ar", "ti"}, shifts, monday)
	if len(days) != 7 || days[0].Day.Weekday() != time.Monday {
		t.Fatalf("%d days from %v", len(days), days[0].Day)
	}
	wed := days[2]
	var ar helpline.LangDay
	for _, l := range wed.Langs {
		if l.Lang == "ar" {
			ar = l
		}
	}
	var got []string
	for _, seg := range ar.Segments {
		who := strings.Join(seg.Names, "+")
		if seg.Gap {
			who += " GAP"
		}
		got = append(got, seg.From.In(stockholm).Format("15")+"-"+seg.To.In(stockholm).Format("15")+" "+who)
	}
	// 16–17: Khadra leaves at 16:30, so the hour has a gap.
	if want := "09-13 Amina|13-16 Khadra|16-17 Khadra GAP"; strings.Join(got, "|") != want {
		t.Errorf("Wednesday in Arabic: %q, want %q", strings.Join(got, "|"), want)
	}
	if ar.GapHours != 1 {
		t.Errorf("Wednesday's Arabic gaps: %d hours, want 1", ar.GapHours)
	}
	// No Tigrinya on Thursday evening: the shift is planned but nobody took it.
	thu := days[3]
	for _, l := range thu.Langs {
		if l.Lang == "ti" {
			if len(l.Segments) != 1 || !l.Segments[0].Gap || l.Segments[0].Untaken != 1 || l.GapHours != 3 {
				t.Errorf("Thursday's Tigrinya: %+v", l)
			}
		}
	}
	// Monday in Arabic: open all day, nobody on.
	if days[0].Gaps != 8 {
		t.Errorf("Monday's gaps: %d hours, want 8", days[0].Gaps)
	}
	// Christmas Day the line is closed, so no gap is shown.
	xmas := helpline.Coverage(s, []string{"ar"}, nil, local(2026, 12, 21, 0, 0))[4]
	if xmas.Gaps != 0 || len(xmas.Langs[0].Segments) != 0 {
		t.Errorf("Christmas Day: %+v", xmas)
	}
}

func TestAProblemIsNeverAnInternalError(t *testing.T) {
	err := helpline.CheckShift(helpline.ShiftCheck{})
	var p problem.List
	if !errors.As(err, &p) || len(p) == 0 {
		t.Fatalf("an empty shift: %v", err)
	}
}
