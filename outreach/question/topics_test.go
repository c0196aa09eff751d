package question

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/i18n"
	"megafon/platform/web/webtest"
)

// parts are the tables a question store needs, in order.
var parts = []db.Migrations{auth.Migrations, operation.Migrations, handbook.Migrations, Migrations}

// topicsFixture is an operation whose questions are recorded at times the
// test sets.
type topicsFixture struct {
	store *Store
	opID  int64
	at    time.Time
}

func newTopicsFixture(t testing.TB, d *db.DB) *topicsFixture {
	t.Helper()
	ctx := context.Background()
	f := &topicsFixture{}
	f.store = &Store{DB: d, Now: func() time.Time { return f.at }}
	as := auth.NewStore(d)
	lead, err := as.CreateOrg(ctx, "Lead", auth.Administration)
	if err != nil {
		t.Fatal(err)
	}
	id, err := as.CreatePerson(ctx, auth.NewPerson{Name: "coord", Email: "coord@x.se"}, lead.ID, auth.Coordinator, "")
	if err != nil {
		t.Fatal(err)
	}
	coord, err := as.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ops := &operation.Store{DB: d, Now: func() time.Time { return f.at }}
	if f.opID, err = ops.Create(ctx, coord, operation.Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: lead.ID, Level: operation.LevelSupported}); err != nil {
		t.Fatal(err)
	}
	return f
}

// ask records n questions at the Stockholm time "2006-01-02 15:04".
func (f *topicsFixture) ask(t testing.TB, at string, n int, lang, district string, topics ...string) {
	t.Helper()
	var err error
	if f.at, err = time.ParseInLocation("2006-01-02 15:04", at, stockholm); err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, _, err := f.store.Record(context.Background(), Draft{OperationID: f.opID, Source: FromVolunteer, Language: lang,
			District: district, Topics: topics, Text: "?"}); err != nil {
			t.Fatal(err)
		}
	}
}

func counts(tw TopicWeeks) map[string][]int {
	m := map[string][]int{}
	for _, t := range tw.Topics {
		m[t.Topic] = t.Counts
	}
	return m
}

func rising(tw TopicWeeks) []string {
	var out []string
	for _, t := range tw.Topics {
		if t.Rising {
			out = append(out, t.Topic)
		}
	}
	return out
}

func TestWeeksRunMondayToSundayInStockholmAcrossSummerTime(t *testing.T) {
	t.Parallel()
	// Wednesday 31 March 2021; summer time began on Sunday 28 March.
	now := time.Date(2021, 3, 31, 10, 0, 0, 0, stockholm)
	ws := WeeksUpTo(now, 3)
	want := []struct{ n int }{{11}, {12}, {13}}
	for i, w := range ws {
		if w.Number != want[i].n || w.Start.Weekday() != time.Monday || w.Start.In(stockholm).Hour() != 0 {
			t.Errorf("week %d: %+v", i, w)
		}
		if i > 0 && !ws[i-1].End.Equal(w.Start) {
			t.Errorf("week %d does not start where the one before ends", i)
		}
	}
	if d := ws[1].End.Sub(ws[1].Start); d != 7*24*time.Hour-time.Hour {
		t.Errorf("the week summer time began in lasts %v", d)
	}
	// Just after midnight on a Monday is that Monday's week; ISO week 53.
	ws = WeeksUpTo(time.Date(2021, 1, 4, 0, 5, 0, 0, stockholm), 2)
	if ws[1].Number != 1 || ws[0].Number != 53 || ws[0].Year != 2020 {
		t.Errorf("around new year: %+v", ws)
	}
}

func TestTheTopicsRisingFastestAreTheOnesGrowingMostAgainstTheirAverage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		counts map[string][]int
		want   []string
	}{
		{"new and large", map[string][]int{"vaccination": {0, 0, 0, 6}, "symptoms": {10, 10, 10, 12}}, []string{"symptoms", "vaccination"}},
		{"small counts do not win", map[string][]int{"school": {0, 0, 0, 4}}, nil},
		{"as many as usual is not rising", map[string][]int{"symptoms": {10, 10, 10, 10}}, nil},
		{"falling", map[string][]int{"symptoms": {20, 20, 20, 8}}, nil},
		{"one week only", map[string][]int{"symptoms": {30}}, nil},
		{"three at most", map[string][]int{"symptoms": {0, 5}, "testing": {0, 6}, "school": {0, 7}, "work": {0, 8}}, []string{"testing", "school", "work"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ts []TopicCounts
			for _, topic := range handbook.Topics {
				if c, ok := tc.counts[topic]; ok {
					ts = append(ts, TopicCounts{Topic: topic, Counts: c})
				}
			}
			markRising(ts)
			got := rising(TopicWeeks{Topics: ts})
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("rising %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTopicsAreCountedPerWeekWithTheirFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTopicsFixture(t, d)
		ctx := context.Background()
		// Weeks 3 to 10 of 2021; week 10 is Monday 8 to Sunday 14 March.
		for day := 18; day <= 18+6*7; day += 7 { // Mondays of weeks 3 to 9
			at := time.Date(2021, 1, day, 12, 0, 0, 0, stockholm).Format("2006-01-02 15:04")
			f.ask(t, at, 10, "so", "Rosengård", "symptoms")
		}
		f.ask(t, "2021-01-10 23:59", 3, "so", "Rosengård", "symptoms")  // Sunday of week 1: too old for 8 weeks
		f.ask(t, "2021-03-07 23:59", 1, "ar", "Rinkeby", "vaccination") // Sunday of week 9
		f.ask(t, "2021-03-08 00:00", 5, "ar", "Rinkeby", "vaccination") // Monday of week 10
		f.ask(t, "2021-03-09 09:00", 1, "ar", "Rosengård", "vaccination", "school")
		f.ask(t, "2021-03-10 10:00", 9, "so", "Rosengård", "symptoms")
		f.ask(t, "2021-03-10 10:00", 2, "so", "", "school")
		f.ask(t, "2021-03-10 10:00", 1, "ar", "Rinkeby") // no topic: not charted
		now := f.at

		tw, err := f.store.TopicsByWeek(ctx, f.opID, TopicFilter{}, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(tw.Weeks) != DefaultTopicWeeks || tw.Weeks[0].Number != 3 || tw.Weeks[7].Number != 10 {
			t.Fatalf("weeks %+v", tw.Weeks)
		}
		want := map[string][]int{
			"symptoms":    {10, 10, 10, 10, 10, 10, 10, 9},
			"vaccination": {0, 0, 0, 0, 0, 0, 1, 6},
			"school":      {0, 0, 0, 0, 0, 0, 0, 3},
		}
		if got := counts(tw); !equalCounts(got, want) {
			t.Errorf("counts %v, want %v", got, want)
		}
		if got := rising(tw); strings.Join(got, ",") != "vaccination" {
			t.Errorf("rising %v: six questions against fewer than one a week rise; symptoms fell; school has too few", got)
		}
		if tw.Total[7] != 18 {
			t.Errorf("this week's total %d: a question with two topics counts for both", tw.Total[7])
		}

		tw, err = f.store.TopicsByWeek(ctx, f.opID, TopicFilter{Language: "ar", Weeks: 2}, now)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := counts(tw), map[string][]int{"vaccination": {1, 6}, "school": {0, 1}}; !equalCounts(got, want) {
			t.Errorf("in Arabic: %v, want %v", got, want)
		}
		tw, err = f.store.TopicsByWeek(ctx, f.opID, TopicFilter{Language: "ar", District: "Rinkeby", Weeks: 2}, now)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := counts(tw), map[string][]int{"vaccination": {1, 5}}; !equalCounts(got, want) {
			t.Errorf("in Arabic in Rinkeby: %v, want %v", got, want)
		}

		langs, districts, err := f.store.TopicFilterOptions(ctx, f.opID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(langs, ",") != "ar,so" || strings.Join(districts, ",") != "Rinkeby,Rosengård" {
			t.Errorf("filters: %v %v", langs, districts)
		}
	}, parts...)
}

func equalCounts(a, b map[string][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || len(v) != len(w) {
			return false
		}
		for i := range v {
			if v[i] != w[i] {
				return false
			}
		}
	}
	return true
}

// topicsServer is the application with the demo operation and questions
// in it this week, at a fixed time.
func topicsServer(t *testing.T, dialect db.Dialect) (*webtest.Server, int64) {
	t.Helper()
	m := &Module{}
	s := webtest.New(t, dialect, true, &notify.Module{}, &operation.Module{}, &handbook.Module{}, m)
	now := time.Date(2021, 3, 10, 10, 0, 0, 0, stockholm)
	s.App.Now = func() time.Time { return now }
	ctx := context.Background()
	var opID int64
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM operations WHERE name = $1`, operation.DemoName).Scan(&opID); err != nil {
		t.Fatal(err)
	}
	ask := func(n int, lang, district string, topics ...string) {
		for range n {
			if _, _, err := m.Store().Record(ctx, Draft{OperationID: opID, Source: FromHelpLine, Language: lang, District: district, Topics: topics, Text: "?"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ask(6, "ar", "Rinkeby", "vaccination")
	ask(2, "so", "Rosengård", "symptoms", "school")
	return s, opID
}

func TestTheTopicsChartIsForTheOperationsCityCoordinatorsAndGroupLeads(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, opID := topicsServer(t, dialect)
		path := "/operations/" + itoa(opID) + "/topics"
		tests := []struct {
			name, who string
			want      int
		}{
			{"signed out", "", http.StatusSeeOther},
			{"an administrator", "admin@demo.megafon.se", 200},
			{"a coordinator of the lead administration", "samordnare@demo.megafon.se", 200},
			{"the lead of a group taking part", "gruppledare@demo.megafon.se", 200},
			{"a coordinator of another administration", "slf@demo.megafon.se", 404},
			{"the lead of a group only invited", "ledare@somaliska.demo.megafon.se", 404},
			{"a volunteer of the group", "+46701000001", 403},
			{"a volunteer of another group", "+46701000006", 403},
			{"a facilitator", "processledare@demo.megafon.se", 403},
		}
		for _, tc := range tests {
			c := s.Client()
			if tc.who != "" {
				c.SignIn(tc.who)
			}
			if r := c.Get(path); r.Status != tc.want {
				t.Errorf("%s: %d, want %d", tc.name, r.Status, tc.want)
			}
		}
		for _, from := range []string{"/questions", "/operations/" + itoa(opID) + "/questions"} {
			if r := s.As("samordnare@demo.megafon.se").Get(from); !strings.Contains(r.Body, `href="`+path+`"`) {
				t.Errorf("%s does not link to the chart", from)
			}
		}
		if r := s.As("gruppledare@demo.megafon.se").Get("/questions"); !strings.Contains(r.Body, `href="`+path+`"`) {
			t.Error("the group lead's questions page does not link to the chart")
		}
		if r := s.As("+46701000001").Get("/questions"); strings.Contains(r.Body, path) {
			t.Error("a volunteer is shown a link to a chart she may not see")
		}
	})
}

var chartSVG = regexp.MustCompile(`(?s)<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200".*?</svg>`)

func TestTheTopicsChartIsWellFormedSVGWithItsTableInEveryLanguage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, opID := topicsServer(t, dialect)
		path := "/operations/" + itoa(opID) + "/topics"
		c := s.As("samordnare@demo.megafon.se")
		for _, lang := range i18n.Codes() {
			c.Post("/lang", webtest.Form("lang", lang, "next", "/"))
			r := c.Get(path + "?weeks=4")
			if r.Status != 200 {
				t.Fatalf("in %s: %d\n%s", lang, r.Status, r.Body)
			}
			svg := chartSVG.FindString(r.Body)
			if svg == "" {
				t.Fatalf("in %s: no chart", lang)
			}
			if err := wellFormed(svg); err != nil {
				t.Errorf("in %s the chart is not well-formed XML: %v\n%s", lang, err, svg)
			}
			for _, must := range []string{`role="img"`, `<title id="topics-title">`, `<desc id="topics-desc">`, `width="100%"`, `direction="ltr"`, `stroke-width="3.5"`} {
				if !strings.Contains(svg, must) {
					t.Errorf("in %s the chart lacks %s", lang, must)
				}
			}
			for _, must := range []string{`<caption id="topics-caption">`, `role="region" aria-labelledby="topics-caption"`, `<th scope="col">`, `<th scope="row">`, `<figure class="topics-chart" dir="ltr">`} {
				if !strings.Contains(r.Body, must) {
					t.Errorf("in %s the page lacks %s", lang, must)
				}
			}
			if strings.Contains(r.Body, "question.topics.") {
				t.Errorf("in %s a message is missing", lang)
			}
		}
		c.Post("/lang", webtest.Form("lang", "sv", "next", "/"))
		text := webtest.Text(c.Get(path).Body)
		for _, must := range []string{"v. 10", "Vaccination", "ökar", "Ökar mest den här veckan: Vaccination ( 6 )"} {
			if !strings.Contains(text, must) {
				t.Errorf("the Swedish page lacks %q:\n%s", must, text)
			}
		}
		c.Post("/lang", webtest.Form("lang", "ar", "next", "/"))
		r := c.Get(path)
		if !strings.Contains(r.Body, `dir="rtl"`) || !strings.Contains(r.Body, "أسبوع 10") {
			t.Error("the Arabic page is not right to left with Arabic week labels")
		}
	})
}

func TestUnknownTopicFiltersAreRefusedInTheReadersLanguage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, opID := topicsServer(t, dialect)
		path := "/operations/" + itoa(opID) + "/topics"
		c := s.As("gruppledare@demo.megafon.se")
		for _, q := range []string{"?lang=not+a+tag", "?lang=fr", "?district=Nowhere", "?weeks=27", "?weeks=0", "?weeks=abc", "?lang=%00"} {
			if r := c.Get(path + q); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d, want 422", q, r.Status)
			}
		}
		for _, q := range []string{"?lang=ar", "?lang=ar&district=Rinkeby", "?district=Rosengård&weeks=26", "?weeks=1", "?lang=&district="} {
			if r := c.Get(path + strings.ReplaceAll(q, "å", "%C3%A5")); r.Status != 200 {
				t.Errorf("%s: %d, want 200", q, r.Status)
			}
		}
		c.Post("/lang", webtest.Form("lang", "ar", "next", "/"))
		if r := c.Get(path + "?district=Nowhere"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "اختر أحد الأحياء في القائمة.") {
			t.Errorf("in Arabic: %d\n%s", r.Status, webtest.Text(r.Body))
		}
	})
}

func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// eachDialect runs fn as parallel subtests on SQLite and PostgreSQL, for
// tests that start the whole application.
func eachDialect(t *testing.T, fn func(t *testing.T, dialect db.Dialect)) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			fn(t, dialect)
		})
	}
}
