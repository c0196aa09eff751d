package helpline

import (
	"context"
	"fmt"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// The demo line's languages and menu keys: those the demo volunteers
// speak (Dari is Mariam's; Bosnian has no caller in the pilot's figures).
var demoLanguages = []Language{{"sv", 1}, {"ar", 2}, {"so", 3}, {"ti", 4}, {"prs", 5}, {"en", 6}}

// demoHours are the demo line's weekly hours per language, in local
// time: Swedish through the day and the evening, the other languages
// when their volunteers can answer.
func demoHours() []WeeklyHours {
	var out []WeeklyHours
	add := func(lang string, days []time.Weekday, opens, closes int) {
		for _, d := range days {
			out = append(out, WeeklyHours{Lang: lang, Weekday: d, Span: Span{opens * 60, closes * 60}})
		}
	}
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	add("sv", weekdays, 9, 17)
	add("sv", weekdays, 18, 21)
	add("sv", []time.Weekday{time.Saturday}, 10, 14)
	add("ar", weekdays, 9, 12)
	add("ar", weekdays, 17, 21)
	add("ar", []time.Weekday{time.Saturday}, 10, 14)
	add("so", weekdays, 17, 21)
	add("so", []time.Weekday{time.Sunday}, 13, 17)
	add("ti", []time.Weekday{time.Tuesday, time.Thursday}, 18, 21)
	add("prs", []time.Weekday{time.Monday, time.Wednesday}, 17, 20)
	add("en", weekdays, 9, 12)
	return out
}

// demoShift is a shift of the demo's week: on the weekdays days, from
// and to local hours, in langs, by the volunteer who (login), on the
// phone numbered phone (1-4).
type demoShift struct {
	days     []time.Weekday
	from, to int
	langs    []string
	who      string
	phone    int
}

// SeedDemo adds the demo operation's help line: six languages with their
// hours, an exception, four shared phones carried by the District Mothers
// (one lent to the Somali women's association and back), and two weeks of
// shifts around now, this week and the next, with one gap a coordinator
// should see: nobody has taken the Tigrinya shift of the next Thursday
// evening. A volunteer offers a shift to another.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	ops, err := m.ops.All(ctx)
	if err != nil {
		return err
	}
	var op operation.Operation
	for _, o := range ops {
		if o.Name == operation.DemoName {
			op = o
		}
	}
	if op.ID == 0 {
		return fmt.Errorf("demo help line: no demo operation %q", operation.DemoName)
	}
	now := app.Now()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return err
	}
	local := now.In(loc)
	monday := time.Date(local.Year(), local.Month(), local.Day()-(int(local.Weekday())+6)%7, 0, 0, 0, 0, loc)
	// Everything is planned as it was, the Friday before this week.
	clock := monday.AddDate(0, 0, -3).Add(10 * time.Hour)
	s := &Store{DB: app.DB, Now: func() time.Time { return clock }}
	coord, lead := city.People["samordnare@demo.megafon.se"], city.People["gruppledare@demo.megafon.se"]
	mothers, somali := city.Orgs[demo.DistrictMothers].ID, city.Orgs[demo.SomaliAssoc].ID
	d := LineDraft{Name: "Covid-linjen", PublicNumber: "042-10 50 00", Ring: RingAll, RingSeconds: 20, TimeZone: "Europe/Stockholm",
		ClosedOnHolidays: true, Languages: demoLanguages}
	if err := d.Clean(); err != nil {
		return fmt.Errorf("demo help line: %w", err)
	}
	line, err := s.CreateLine(ctx, coord, op.ID, d)
	if err != nil {
		return fmt.Errorf("demo help line: %w", err)
	}
	langs := make([]string, len(demoLanguages))
	for i, l := range demoLanguages {
		langs[i] = l.Lang
	}
	if err := s.SetHours(ctx, line, langs, demoHours()); err != nil {
		return fmt.Errorf("demo help line hours: %w", err)
	}
	// Three weeks on, a training day closes the line; Somali opens on the
	// Saturday before instead of the Sunday.
	training := monday.AddDate(0, 0, 23)
	if err := s.SetException(ctx, line, Exception{Day: training.Format("2006-01-02"), Closed: true, Note: "Utbildningsdag för alla volontärer"}); err != nil {
		return err
	}
	if err := s.SetException(ctx, line, Exception{Day: training.AddDate(0, 0, 2).Format("2006-01-02"), Lang: "so", Span: Span{10 * 60, 14 * 60},
		Note: "Föreningens årsmöte på söndagen"}); err != nil {
		return err
	}
	phones := map[int]int64{}
	for i := 1; i <= 4; i++ {
		label, number := fmt.Sprintf("Telefon %d", i), fmt.Sprintf("070-100 20 0%d", i)
		if err := CleanPhone(&label, &number); err != nil {
			return fmt.Errorf("demo phone %d: %w", i, err)
		}
		if phones[i], err = s.AddPhone(ctx, coord, line, label, number, mothers); err != nil {
			return fmt.Errorf("demo phone %d: %w", i, err)
		}
	}
	clock = clock.Add(30 * time.Minute)
	if err := s.HandOver(ctx, lead, phones[4], somali, "Lånas ut så att föreningen kan prova linjen innan den går med"); err != nil {
		return err
	}
	clock = clock.Add(5 * time.Hour)
	if err := s.HandOver(ctx, coord, phones[4], mothers, "Tillbaka efter provveckan"); err != nil {
		return err
	}
	sc, err := s.Schedule(ctx, line)
	if err != nil {
		return err
	}
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	week := []demoShift{
		{weekdays, 9, 12, []string{"sv", "en"}, "+46701000005", 4},
		{weekdays, 9, 12, []string{"ar"}, "+46701000001", 1},
		{weekdays, 12, 15, []string{"sv"}, "+46701000002", 4},
		{weekdays, 15, 17, []string{"sv"}, "+46701000004", 4},
		{weekdays, 17, 21, []string{"ar"}, "+46701000001", 1},
		{weekdays, 17, 21, []string{"so"}, "+46701000002", 2},
		{weekdays, 18, 21, []string{"sv"}, "+46701000005", 4},
		{[]time.Weekday{time.Tuesday, time.Thursday}, 18, 21, []string{"ti"}, "+46701000003", 3},
		{[]time.Weekday{time.Monday, time.Wednesday}, 17, 20, []string{"prs"}, "+46701000004", 3},
		{[]time.Weekday{time.Saturday}, 10, 14, []string{"sv", "ar"}, "+46701000001", 1},
		{[]time.Weekday{time.Sunday}, 13, 17, []string{"so"}, "+46701000002", 2},
	}
	gapLeft := true
	var offer int64
	for day := 0; day < 14; day++ {
		date := monday.AddDate(0, 0, day)
		y, mo, dd := date.Date()
		for _, ds := range week {
			if !containsDay(ds.days, date.Weekday()) {
				continue
			}
			iv := Interval{at(loc, y, mo, dd, ds.from*60), at(loc, y, mo, dd, ds.to*60)}
			open := true
			for _, l := range ds.langs {
				open = open && sc.Covers(l, iv)
			}
			if !open {
				continue // a holiday
			}
			person := city.People[ds.who].ID
			if gapLeft && ds.langs[0] == "ti" && date.Weekday() == time.Thursday && iv.From.After(now) {
				// The gap: planned, but nobody has taken it.
				person, gapLeft = 0, false
			}
			id, err := s.PlanShift(ctx, lead, ShiftDraft{LineID: line, GroupID: mothers, Start: iv.From, End: iv.To, Langs: ds.langs,
				PersonID: person, PhoneID: phones[ds.phone]})
			if err != nil {
				return fmt.Errorf("demo shift %s %v: %w", date.Format("2006-01-02"), ds.langs, err)
			}
			if offer == 0 && ds.who == "+46701000002" && ds.langs[0] == "sv" && day >= 7 {
				offer = id
			}
		}
	}
	if offer != 0 {
		clock = now.Add(-2 * time.Hour)
		if _, err := s.OfferSwap(ctx, city.People["+46701000002"], offer, city.People["+46701000004"].ID); err != nil {
			return fmt.Errorf("demo swap: %w", err)
		}
	}
	return nil
}

func containsDay(days []time.Weekday, d time.Weekday) bool {
	for _, x := range days {
		if x == d {
			return true
		}
	}
	return false
}
