package question

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// The weeks the topics chart shows.
const (
	DefaultTopicWeeks = 8
	MaxTopicWeeks     = 26
)

// MinRising is how many times a topic must be raised this week before it
// can be rising: two questions against an average of none is chance, not
// a worry.
const MinRising = 5

// maxRising is how many rising topics are highlighted at most, so that a
// highlight still means something.
const maxRising = 3

// stockholm is the city's time: weeks run Monday to Sunday there.
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(fmt.Sprintf("question: no time zone Europe/Stockholm: %v", err))
	}
	return loc
}()

// Week is one ISO week, Monday to Sunday in Stockholm.
type Week struct {
	Year, Number int
	Start, End   time.Time // Monday 00:00 and the next Monday 00:00, Stockholm time
}

// WeeksUpTo returns the n weeks that end with the one now is in, oldest
// first. Each week starts at midnight on Monday in Stockholm, so a week
// with a change to or from summer time is an hour shorter or longer.
func WeeksUpTo(now time.Time, n int) []Week {
	local := now.In(stockholm)
	back := (int(local.Weekday()) + 6) % 7 // days since Monday
	y, m, d := local.Date()
	out := make([]Week, n)
	for i := range n {
		day := d - back - 7*(n-1-i)
		start := time.Date(y, m, day, 0, 0, 0, 0, stockholm)
		year, num := start.ISOWeek()
		out[i] = Week{Year: year, Number: num, Start: start, End: time.Date(y, m, day+7, 0, 0, 0, 0, stockholm)}
	}
	return out
}

// TopicFilter narrows the topics chart.
type TopicFilter struct {
	Language string // a BCP 47 tag, or "" for every language
	District string // or "" for every district
	Weeks    int
}

// TopicWeeks is how often each topic was raised week by week.
type TopicWeeks struct {
	Weeks  []Week
	Topics []TopicCounts // in the order of handbook.Topics, those raised in these weeks
	Total  []int         // per week, every topic together
}

// TopicCounts is one topic's counts per week.
type TopicCounts struct {
	Topic   string
	Counts  []int   // per week, oldest first
	Average float64 // of the weeks before this one
	Growth  float64 // this week against that average (see rising)
	Rising  bool
}

// ThisWeek is the count of the current week.
func (t TopicCounts) ThisWeek() int { return t.Counts[len(t.Counts)-1] }

// TopicsByWeek counts, per week and topic, the questions of the operation
// recorded in the f.Weeks weeks up to now, in one language and district
// when f says so. A question with two topics counts for both. It marks
// the topics rising fastest this week (see markRising).
func (s *Store) TopicsByWeek(ctx context.Context, operationID int64, f TopicFilter, now time.Time) (TopicWeeks, error) {
	if f.Weeks <= 0 || f.Weeks > MaxTopicWeeks {
		f.Weeks = DefaultTopicWeeks
	}
	weeks := WeeksUpTo(now, f.Weeks)
	// One statement, a part per topic and week: each part counts one range
	// of the index (operation_id, topic, created_at, language, district)
	// without reading the table or sorting. The Mondays bounding the weeks
	// are computed here, as the databases do not agree on Stockholm's
	// weeks. (Over 130,000 topic rows on SQLite, a CASE over the weeks'
	// bounds for every row took 2 s, and a part per week grouped by topic
	// 150 ms, most of it sorting.)
	args := []any{operationID}
	filter := ""
	if f.Language != "" {
		args = append(args, f.Language)
		filter += fmt.Sprintf(" AND language = $%d", len(args))
	}
	if f.District != "" {
		args = append(args, f.District)
		filter += fmt.Sprintf(" AND district = $%d", len(args))
	}
	bounds := make([]int, len(weeks)+1)
	for i, w := range weeks {
		args = append(args, db.Now(w.Start))
		bounds[i] = len(args)
	}
	args = append(args, db.Now(weeks[len(weeks)-1].End))
	bounds[len(weeks)] = len(args)
	// The topics are the handbook's own words (letters and _), written
	// into the statement: 286 more parameters would cost more to bind.
	var parts []string
	for _, topic := range handbook.Topics {
		for i := range weeks {
			parts = append(parts, fmt.Sprintf(`SELECT %d, '%s', COUNT(*) FROM resident_question_topics
				WHERE operation_id = $1 AND topic = '%s' AND created_at >= $%d AND created_at < $%d%s`, i, topic, topic, bounds[i], bounds[i+1], filter))
		}
	}
	rows, err := s.DB.Query(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return TopicWeeks{}, fmt.Errorf("topics of operation %d: %w", operationID, err)
	}
	defer rows.Close()
	counts := map[string][]int{}
	for rows.Next() {
		var w, n int
		var topic string
		if err := rows.Scan(&w, &topic, &n); err != nil {
			return TopicWeeks{}, fmt.Errorf("topics of operation %d: %w", operationID, err)
		}
		if counts[topic] == nil {
			counts[topic] = make([]int, len(weeks))
		}
		counts[topic][w] += n
	}
	if err := rows.Err(); err != nil {
		return TopicWeeks{}, fmt.Errorf("topics of operation %d: %w", operationID, err)
	}
	out := TopicWeeks{Weeks: weeks, Total: make([]int, len(weeks))}
	// The handbook's topics, in its order: a question's topics are checked
	// against them when it is recorded.
	for _, t := range handbook.Topics {
		c, ok := counts[t]
		if !ok || !slices.ContainsFunc(c, func(n int) bool { return n > 0 }) {
			continue
		}
		for i, n := range c {
			out.Total[i] += n
		}
		out.Topics = append(out.Topics, TopicCounts{Topic: t, Counts: c})
	}
	markRising(out.Topics)
	return out, nil
}

// markRising computes each topic's growth this week and marks the ones
// rising fastest. The growth is this week's count divided by the average
// of the weeks before it, with an average under one counted as one, so
// that a topic nobody raised before grows by its count and no division by
// zero happens. A topic rises when it was raised at least MinRising times
// this week and more than its average; the maxRising that grew most are
// marked (ties by the larger count, then the handbook's order). With one
// week there is nothing to compare, and nothing rises.
func markRising(ts []TopicCounts) {
	var cands []int
	for i := range ts {
		t := &ts[i]
		prev := t.Counts[:len(t.Counts)-1]
		if len(prev) == 0 {
			continue
		}
		sum := 0
		for _, n := range prev {
			sum += n
		}
		// Rounded to the tenth that the table shows.
		t.Average = math.Round(float64(sum)/float64(len(prev))*10) / 10
		t.Growth = float64(t.ThisWeek()) / max(t.Average, 1)
		if t.ThisWeek() >= MinRising && float64(t.ThisWeek()) > t.Average {
			cands = append(cands, i)
		}
	}
	slices.SortStableFunc(cands, func(a, b int) int {
		switch {
		case ts[a].Growth != ts[b].Growth:
			if ts[a].Growth > ts[b].Growth {
				return -1
			}
			return 1
		default:
			return ts[b].ThisWeek() - ts[a].ThisWeek()
		}
	})
	for _, i := range cands[:min(len(cands), maxRising)] {
		ts[i].Rising = true
	}
}

// TopicFilterOptions are the languages and districts of the operation's
// questions with topics, for the chart's filters.
func (s *Store) TopicFilterOptions(ctx context.Context, operationID int64) (langs, districts []string, err error) {
	rows, err := s.DB.Query(ctx, filterOptionsSQL[s.DB.Dialect], operationID)
	if err != nil {
		return nil, nil, fmt.Errorf("topic filters of operation %d: %w", operationID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var l, d string
		if err := rows.Scan(&l, &d); err != nil {
			return nil, nil, fmt.Errorf("topic filters of operation %d: %w", operationID, err)
		}
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
		if d != "" && !slices.Contains(districts, d) {
			districts = append(districts, d)
		}
	}
	slices.Sort(langs)
	slices.Sort(districts)
	return langs, districts, rows.Err()
}

// filterOptionsSQL finds an operation's (language, district) pairs in the
// index (operation_id, language, district) by a few dozen seeks, not by
// reading its every row: SQLite skips through the index for DISTINCT by
// itself (1 ms over 130,000 rows), while PostgreSQL read them all (116 ms)
// and needs a loose index scan written out, from one pair to the next (on
// SQLite that scan was slower than its own, 500 ms).
var filterOptionsSQL = map[db.Dialect]string{
	db.SQLite: `SELECT DISTINCT language, district FROM resident_question_topics WHERE operation_id = $1`,
	db.Postgres: `WITH RECURSIVE p(language, district) AS (
			SELECT * FROM (SELECT language, district FROM resident_question_topics WHERE operation_id = $1
				ORDER BY language, district LIMIT 1) AS first
			UNION ALL
			SELECT (SELECT n.language FROM resident_question_topics n WHERE n.operation_id = $1 AND (n.language, n.district) > (p.language, p.district)
					ORDER BY n.language, n.district LIMIT 1),
				(SELECT n.district FROM resident_question_topics n WHERE n.operation_id = $1 AND (n.language, n.district) > (p.language, p.district)
					ORDER BY n.language, n.district LIMIT 1)
			FROM p WHERE p.language IS NOT NULL
		) SELECT language, district FROM p WHERE language IS NOT NULL`,
}

// CanSeeTopics reports whether u sees the operation's topics chart: those
// who triage its questions (see CanTriage), and the leads of the groups
// taking part, who see what their callers hear. The chart holds counts
// only, but what worries a district is the operation's to share, so
// coordinators of other administrations and volunteers do not see it.
func CanSeeTopics(u *auth.User, op operation.Operation) bool {
	if CanTriage(u, op) {
		return true
	}
	for _, g := range op.GroupIDs {
		if u.HasIn(g, auth.GroupLead) {
			return true
		}
	}
	return false
}

// Problems with the chart's filters.
var (
	errTopicLanguage = problem.Field("lang", "question.topics.error.language")
	errTopicDistrict = problem.Field("district", "question.topics.error.district")
	errTopicWeeks    = problem.Field("weeks", "question.topics.error.weeks", "Max", MaxTopicWeeks)
)

// parseTopicFilter reads the chart's query. A language or district must
// be one of those offered (present in the operation's questions); weeks a whole
// number from 1 to MaxTopicWeeks.
func parseTopicFilter(r *http.Request) (TopicFilter, error) {
	q := r.URL.Query()
	f := TopicFilter{Weeks: DefaultTopicWeeks, Language: strings.TrimSpace(q.Get("lang")), District: strings.TrimSpace(q.Get("district"))}
	var l problem.List
	if w := strings.TrimSpace(q.Get("weeks")); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 || n > MaxTopicWeeks {
			l = append(l, errTopicWeeks)
		} else {
			f.Weeks = n
		}
	}
	if f.Language != "" {
		tag, err := i18n.NormalizeTag(f.Language)
		if err != nil {
			l = append(l, errTopicLanguage)
		} else {
			f.Language = tag
		}
	}
	return f, l.Err()
}

// topicsData is the topics page.
type topicsData struct {
	Op        operation.Operation
	Filter    TopicFilter
	Langs     []option
	Districts []string
	WeekSteps []int
	Data      TopicWeeks
	Chart     chart
	Rising    []TopicCounts
	ThisWeek  Week
	Min       int // MinRising
}

func (m *Module) topics(w http.ResponseWriter, r *http.Request) error {
	op, err := m.operationFor(r)
	if err != nil {
		return err
	}
	if !CanSeeTopics(web.User(r), op) {
		return errNotFound
	}
	f, err := parseTopicFilter(r)
	if err != nil {
		return err
	}
	ctx, now := r.Context(), m.app.Now()
	langs, districts, err := m.store.TopicFilterOptions(ctx, op.ID)
	if err != nil {
		return err
	}
	var l problem.List
	if f.Language != "" && !slices.Contains(langs, f.Language) {
		l = append(l, errTopicLanguage)
	}
	if f.District != "" && !slices.Contains(districts, f.District) {
		l = append(l, errTopicDistrict)
	}
	if err := l.Err(); err != nil {
		return err
	}
	tw, err := m.store.TopicsByWeek(ctx, op.ID, f, now)
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	d := &topicsData{Op: op, Filter: f, Districts: districts, Data: tw, ThisWeek: tw.Weeks[len(tw.Weeks)-1],
		WeekSteps: []int{4, 8, 13, 26}, Min: MinRising}
	if !slices.Contains(d.WeekSteps, f.Weeks) {
		d.WeekSteps = append(d.WeekSteps, f.Weeks)
		slices.Sort(d.WeekSteps)
	}
	for _, c := range langs {
		d.Langs = append(d.Langs, option{Value: c, Label: m.app.LangName(lang, c)})
	}
	for _, t := range tw.Topics {
		if t.Rising {
			d.Rising = append(d.Rising, t)
		}
	}
	d.Chart = drawChart(tw, func(wk Week) string { return m.app.Catalogue.T(lang, "question.topics.week", "Week", wk.Number) },
		func(topic string) string { return m.app.Catalogue.T(lang, "handbook.topic."+topic) })
	m.app.Render(w, r, http.StatusOK, "question/topics", d)
	return nil
}

// chart is the topics chart drawn for the template: one line per topic
// over the weeks, left to right in time in every language.
type chart struct {
	Width, Height int
	Lines         []chartLine
	XLabels       []chartLabel
	YTicks        []chartTick
	Left, Right   int // the plot's x bounds
	Top, Bottom   int // its y bounds
}

type chartLine struct {
	Topic, Label string
	Colour       string
	Dash         string // a dash pattern, so that lines differ without colour too
	Points       string // the polyline's points
	Rising       bool
	Last         chartPoint // this week's point, marked
}

type chartPoint struct{ X, Y int }

type chartLabel struct {
	X    int
	Text string
}

type chartTick struct {
	Y     int
	Value int
}

// palette is Okabe and Ito's colours, distinguishable with the common
// colour-vision deficiencies, then darker shades; dashes tell the lines
// apart where colours repeat or are not seen.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D00", "#6A3D9A", "#B15928", "#1F78B4"}

var dashes = []string{"", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2"}

func drawChart(tw TopicWeeks, weekLabel func(Week) string, topicLabel func(string) string) chart {
	c := chart{Width: 320, Height: 200, Left: 30, Right: 312, Top: 10, Bottom: 176}
	top := 0
	for _, t := range tw.Topics {
		for _, n := range t.Counts {
			top = max(top, n)
		}
	}
	top = niceCeiling(top)
	x := func(i int) int {
		if len(tw.Weeks) == 1 {
			return (c.Left + c.Right) / 2
		}
		return c.Left + i*(c.Right-c.Left)/(len(tw.Weeks)-1)
	}
	y := func(n int) int { return c.Bottom - n*(c.Bottom-c.Top)/top }
	for _, v := range []int{0, top / 2, top} {
		c.YTicks = append(c.YTicks, chartTick{Y: y(v), Value: v})
	}
	// At most about seven week labels fit a phone's width.
	step := (len(tw.Weeks) + 6) / 7
	for i := len(tw.Weeks) - 1; i >= 0; i -= step {
		c.XLabels = append(c.XLabels, chartLabel{X: x(i), Text: weekLabel(tw.Weeks[i])})
	}
	for i, t := range tw.Topics {
		k := slices.Index(handbook.Topics, t.Topic)
		if k < 0 {
			k = len(handbook.Topics) + i
		}
		pts := make([]string, len(t.Counts))
		for j, n := range t.Counts {
			pts[j] = fmt.Sprintf("%d,%d", x(j), y(n))
		}
		last := len(t.Counts) - 1
		c.Lines = append(c.Lines, chartLine{Topic: t.Topic, Label: topicLabel(t.Topic), Colour: palette[k%len(palette)], Dash: dashes[k%len(dashes)],
			Points: strings.Join(pts, " "), Rising: t.Rising, Last: chartPoint{X: x(last), Y: y(t.Counts[last])}})
	}
	// Rising topics are drawn last, on top of the others.
	slices.SortStableFunc(c.Lines, func(a, b chartLine) int {
		switch {
		case a.Rising == b.Rising:
			return 0
		case a.Rising:
			return 1
		}
		return -1
	})
	return c
}

// niceCeiling is the smallest of 2, 4, 10, 20, 40, 100 ... (an even
// number, so that the middle tick is whole) at or above n.
func niceCeiling(n int) int {
	for scale := 1; ; scale *= 10 {
		for _, m := range []int{2, 4, 10} {
			if m*scale >= n {
				return m * scale
			}
		}
	}
}
