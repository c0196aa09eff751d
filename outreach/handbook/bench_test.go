package handbook

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

// benchLangs are the six languages of the benchmark's handbook.
var benchLangs = []string{"sv", "en", "ar", "so", "ti", "prs"}

// vocabulary returns the words of the demo entries in lang.
func vocabulary(lang string) []string {
	var words []string
	for _, e := range demoEntries {
		t := e.text[lang]
		words = append(words, strings.Fields(t[0]+" "+t[1])...)
	}
	return words
}

// seedBench fills an operation's handbook with n verified entries, each in
// the six languages, made of random words of the demo entries in that
// language and a word of its own ("arende<i>").
func seedBench(b testing.TB, f *fixture, n int) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := map[string][]string{}
	for _, l := range benchLangs {
		vocab[l] = vocabulary(l)
	}
	text := func(lang string, k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = vocab[lang][rng.IntN(len(vocab[lang]))]
		}
		return strings.Join(w, " ")
	}
	const batch = 500
	for start := 0; start < n; start += batch {
		err := f.store.DB.Tx(ctx, func(tx *sql.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				var id int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO handbook_entries (operation_id, kind, created_at) VALUES ($1, 'qa', $2) RETURNING id`, f.opID, f.clock).Scan(&id); err != nil {
					return err
				}
				d := EntryDraft{Kind: QA, ValidUntil: "2099-12-31"}
				for _, l := range benchLangs {
					d.Translations = append(d.Translations, Translation{Lang: l, Title: text(l, 6), Body: text(l, 30) + fmt.Sprintf(" arende%d", i)})
				}
				vid, err := f.store.insertVersion(ctx, tx, f.coord, id, 1, Verified, d, f.clock)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE handbook_versions SET verified_at = $1 WHERE id = $2`, f.clock.Add(time.Duration(i)*time.Second), vid); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if f.store.DB.Dialect == db.Postgres {
		f.store.DB.Exec(ctx, `ANALYZE`)
	}
}

// benchQueries are searches a caller types: one word in each language, two
// words, a word's beginning, and an entry's own word.
var benchQueries = []string{"vaccinet", "vaccine", "اللقاح", "tallaalka", "ክታበት", "واکسین", "boka 1177", "vacc", "arende4321"}

// BenchmarkSearch searches a handbook of 5,000 entries in six languages
// (30,000 texts) on both databases and reports the median latency of one
// search besides the mean.
//
//	go test ./outreach/handbook -run '^$' -bench Search -benchtime 200x
func BenchmarkSearch(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			d := dbtest.Open(b, dialect, parts...)
			f := newFixture(b, d)
			seedBench(b, f, 5000)
			ctx := context.Background()
			got, err := f.store.Search(ctx, f.opID, "arende4321", []string{"so"}, f.clock)
			if err != nil || len(got) != 1 || got[0].Lang != "so" {
				b.Fatalf("search for an entry's own word: %v %v", got, err)
			}
			durations := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := f.store.Search(ctx, f.opID, benchQueries[i%len(benchQueries)], []string{"ar", "sv"}, f.clock); err != nil {
					b.Fatal(err)
				}
				durations = append(durations, time.Since(start))
			}
			slices.Sort(durations)
			if len(durations) > 0 {
				b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "median-ms")
				b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
			}
		})
	}
}
