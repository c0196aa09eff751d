package question

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// benchQuestions is how many questions the benchmarks' operation has.
const benchQuestions = 100_000

// benchNow is the benchmarks' clock: the questions run over the 26 weeks
// up to it.
var benchNow = time.Date(2021, 6, 16, 12, 0, 0, 0, stockholm)

// benchServer starts the application with the demo city on dialect and
// gives its demo operation 100,000 questions over 26 weeks, as a busy
// help line and campaigns would: eight languages, eight districts, one
// or two topics each (vaccination growing in the last weeks), about 2 %
// escalated and still open, most of those overdue. It returns the server,
// the store and the operation.
func benchServer(b *testing.B, dialect db.Dialect) (*webtest.Server, *Store, int64) {
	b.Helper()
	m := &Module{}
	s := webtest.New(b, dialect, true, &notify.Module{}, &operation.Module{}, &handbook.Module{}, m)
	s.App.Now = func() time.Time { return benchNow }
	ctx := context.Background()
	var opID int64
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM operations WHERE name = $1`, operation.DemoName).Scan(&opID); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	seedQuestions(b, s.App.DB, opID, benchQuestions)
	b.Logf("%s: seeded %d questions in %v", dialect, benchQuestions, time.Since(start).Round(time.Millisecond))
	if testing.Verbose() {
		weeks := WeeksUpTo(benchNow, MaxTopicWeeks)
		explain(b, s.App.DB, `SELECT COUNT(*) FROM resident_questions WHERE operation_id = $1 AND state IN ('escalated', 'answering')`, opID)
		explain(b, s.App.DB, `SELECT id FROM resident_questions q WHERE q.operation_id = $1 AND q.state IN ('escalated', 'answering') ORDER BY q.due_at, q.id LIMIT 200`, opID)
		explain(b, s.App.DB, `SELECT id FROM resident_questions q WHERE q.operation_id = $1 AND q.state IN ('answered', 'closed') ORDER BY COALESCE(q.answered_at, q.closed_at) DESC, q.id DESC LIMIT 20`, opID)
		explain(b, s.App.DB, `SELECT COUNT(*) FROM resident_question_topics WHERE operation_id = $1 AND topic = 'vaccination' AND created_at >= $2 AND created_at < $3`,
			opID, db.Now(weeks[0].Start), db.Now(benchNow))
		explain(b, s.App.DB, `SELECT COUNT(*) FROM resident_question_topics WHERE operation_id = $1 AND topic = 'vaccination' AND created_at >= $2 AND created_at < $3 AND language = $4 AND district = $5`,
			opID, db.Now(weeks[0].Start), db.Now(benchNow), "ar", "Rosengård")
	}
	return s, m.Store(), opID
}

var (
	benchLangs     = []string{"sv", "ar", "so", "ti", "prs", "bs", "uk", "en"}
	benchDistricts = []string{"Rosengård", "Hyllie", "Fosie", "Husie", "Kirseberg", "Limhamn-Bunkeflo", "Oxie", "Centrum"}
)

// seedQuestions inserts n questions and their topic rows in multi-row
// statements, a thousand questions to a transaction. SQLite's driver binds
// a statement's parameters in time that grows with their square, so its
// statements are short; PostgreSQL's are long, to save round trips.
func seedQuestions(b *testing.B, d *db.DB, opID int64, n int) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(6, 16))
	span := benchNow.Sub(WeeksUpTo(benchNow, MaxTopicWeeks)[0].Start)
	const batch = 1000
	perStatement := 400
	if d.Dialect == db.SQLite {
		perStatement = 10
	}
	var nextID int64
	if err := d.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM resident_questions`).Scan(&nextID); err != nil {
		b.Fatal(err)
	}
	for first := 0; first < n; first += batch {
		var qrows, trows [][]any
		for range min(batch, n-first) {
			nextID++
			// Later questions are more frequent (the line got known): the
			// density grows linearly towards now.
			at := db.Now(benchNow.Add(-time.Duration(float64(span) * (1 - math.Sqrt(rng.Float64())))))
			lang, district := benchLangs[rng.IntN(len(benchLangs))], benchDistricts[rng.IntN(len(benchDistricts))]
			topics := []string{handbook.Topics[rng.IntN(len(handbook.Topics))]}
			if benchNow.Sub(at) < 3*7*24*time.Hour && rng.IntN(3) == 0 {
				topics[0] = "vaccination"
			}
			if rng.IntN(3) == 0 {
				if t := handbook.Topics[rng.IntN(len(handbook.Topics))]; t != topics[0] {
					topics = append(topics, t)
				}
			}
			state, level := Kept, any(nil)
			var escalated, due any
			switch r := rng.IntN(1000); {
			case r < 15:
				state = Escalated
			case r < 20:
				state = Answering
			case r < 60:
				state = Answered
			case r < 70:
				state = Closed
			}
			if state != Kept {
				level, escalated, due = 2, at, db.Now(at.Add(24*time.Hour))
			}
			qrows = append(qrows, []any{nextID, opID, lang, district, strings.Join(topics, ","),
				fmt.Sprintf("Fråga %d om %s", nextID, topics[0]), fmt.Sprintf("Sammanfattning %d", nextID), string(state), level, escalated, due, at})
			for _, t := range topics {
				trows = append(trows, []any{nextID, opID, t, lang, district, at})
			}
		}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := insertRows(ctx, tx, `INSERT INTO resident_questions (id, operation_id, language, district, topics, text, summary, state, level, escalated_at, due_at, created_at, source) VALUES `,
				", 'helpline'", qrows, perStatement); err != nil {
				return err
			}
			return insertRows(ctx, tx, `INSERT INTO resident_question_topics (question_id, operation_id, topic, language, district, created_at) VALUES `, "", trows, perStatement)
		})
		if err != nil {
			b.Fatalf("seed questions: %v", err)
		}
	}
	// The planner's statistics and PostgreSQL's visibility map (which lets
	// it answer from an index alone), as autovacuum keeps them in use.
	analyze := `ANALYZE`
	if d.Dialect == db.Postgres {
		analyze = `VACUUM ANALYZE resident_questions, resident_question_topics`
	}
	if _, err := d.Exec(ctx, analyze); err != nil {
		b.Fatal(err)
	}
}

// insertRows inserts rows, per to a statement; extra ends every row's values.
func insertRows(ctx context.Context, tx *sql.Tx, insert, extra string, rows [][]any, per int) error {
	for first := 0; first < len(rows); first += per {
		var q strings.Builder
		var args []any
		q.WriteString(insert)
		for i, row := range rows[first:min(first+per, len(rows))] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for j, v := range row {
				if j > 0 {
					q.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&q, "$%d", len(args))
			}
			q.WriteString(extra + ")")
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// explain logs the query's plan, to see why a benchmark is slow.
func explain(b *testing.B, d *db.DB, query string, args ...any) {
	b.Helper()
	prefix := "EXPLAIN QUERY PLAN "
	if d.Dialect == db.Postgres {
		prefix = "EXPLAIN ANALYZE "
	}
	rows, err := d.Query(context.Background(), prefix+query, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
	}
	b.Logf("%s\n\t%s", query, strings.Join(plan, "\n\t"))
}

// timed runs f b.N times and reports the median and 95th percentile of
// one run besides the mean (ns/op).
func timed(b *testing.B, f func() error) {
	b.Helper()
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	if len(durations) > 0 {
		b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "median-ms")
		b.ReportMetric(float64(durations[min(len(durations)-1, len(durations)*95/100)].Microseconds())/1000, "p95-ms")
	}
}

// page gets path as the coordinator and fails unless it is a 200.
func page(c *webtest.Client, path string) error {
	if r := c.Get(path); r.Status != http.StatusOK {
		return fmt.Errorf("GET %s: %d", path, r.Status)
	}
	return nil
}

// BenchmarkTriage measures the city's triage over an operation with
// 100,000 questions (2,000 of them open) on both databases: the store
// calls of the triage page and the questions start page (Triage,
// Settled, OpenCounts), and the whole triage page as a coordinator gets it.
//
//	MEGAFON_REQUIRE_POSTGRES=1 go test ./outreach/question/ -run '^$' -bench 'Triage|Topics' -benchtime 50x
func BenchmarkTriage(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			s, st, opID := benchServer(b, dialect)
			ctx := context.Background()
			qs, total, err := st.Triage(ctx, opID)
			if err != nil || len(qs) != TriageLimit || total < benchQuestions/100 {
				b.Fatalf("triage: %d of %d, %v", len(qs), total, err)
			}
			b.Run("store", func(b *testing.B) {
				timed(b, func() error {
					if _, _, err := st.Triage(ctx, opID); err != nil {
						return err
					}
					if _, err := st.Settled(ctx, opID, 20); err != nil {
						return err
					}
					_, _, err := st.OpenCounts(ctx, opID, benchNow)
					return err
				})
			})
			c := s.As("samordnare@demo.megafon.se")
			path := fmt.Sprintf("/operations/%d/questions", opID)
			b.Run("page", func(b *testing.B) { timed(b, func() error { return page(c, path) }) })
		})
	}
}

// BenchmarkTopics measures the topics chart over the same operation: the
// store calls of the page for 26 weeks (the filters' options and the
// counts), the counts in one language and district, and the whole page.
func BenchmarkTopics(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			s, st, opID := benchServer(b, dialect)
			ctx := context.Background()
			tw, err := st.TopicsByWeek(ctx, opID, TopicFilter{Weeks: MaxTopicWeeks}, benchNow)
			if err != nil {
				b.Fatal(err)
			}
			sum := 0
			for _, n := range tw.Total {
				sum += n
			}
			if sum < benchQuestions || !slices.ContainsFunc(tw.Topics, func(t TopicCounts) bool { return t.Topic == "vaccination" && t.Rising }) {
				b.Fatalf("topics: %d counted, %+v", sum, tw.Topics)
			}
			b.Run("store", func(b *testing.B) {
				timed(b, func() error {
					if _, _, err := st.TopicFilterOptions(ctx, opID); err != nil {
						return err
					}
					_, err := st.TopicsByWeek(ctx, opID, TopicFilter{Weeks: MaxTopicWeeks}, benchNow)
					return err
				})
			})
			b.Run("store-filtered", func(b *testing.B) {
				timed(b, func() error {
					_, err := st.TopicsByWeek(ctx, opID, TopicFilter{Weeks: MaxTopicWeeks, Language: "ar", District: "Rosengård"}, benchNow)
					return err
				})
			})
			c := s.As("samordnare@demo.megafon.se")
			path := fmt.Sprintf("/operations/%d/topics?weeks=%d", opID, MaxTopicWeeks)
			b.Run("page", func(b *testing.B) { timed(b, func() error { return page(c, path) }) })
			b.Run("page-8-weeks", func(b *testing.B) {
				timed(b, func() error { return page(c, fmt.Sprintf("/operations/%d/topics", opID)) })
			})
		})
	}
}
