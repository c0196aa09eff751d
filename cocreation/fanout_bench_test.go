package cocreation_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"megafon/platform/db"
)

// BenchmarkFanOut measures the time to fan-out: a hundred participants
// post a note at the same moment, and each note's time runs from the
// moment its POST is sent to the moment it arrives on the facilitator's
// open board (its server-sent events). One iteration is one such round;
// the metrics are over all notes of all rounds, and "last-ms" is the mean
// time from the moment the hundred were sent to the last one's arrival.
// "post-p50-ms" is the median time the POSTs took to be answered.
// Across two instances the board's instance finds the notes by looking
// every Poll, which then decides the figures.
//
//	go test ./cocreation/ -run '^$' -bench FanOut -benchtime 3x
func BenchmarkFanOut(b *testing.B) {
	for _, c := range []struct {
		name      string
		dialect   db.Dialect
		instances int
		poll      time.Duration
	}{
		{"sqlite", db.SQLite, 1, 0},
		{"postgres", db.Postgres, 1, 0},
		{"postgres/two-instances/poll=1s", db.Postgres, 2, time.Second},
		{"postgres/two-instances/poll=250ms", db.Postgres, 2, 250 * time.Millisecond},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := newRoom(b, c.dialect, c.instances, c.poll)
			ps := r.joinAll(b, r.urls[0], participants)
			fac := facilitator(b, r.urls[c.instances-1])
			board := r.openBoard(b, fac)
			var each, answered []time.Duration
			var last time.Duration
			round := 0
			for b.Loop() {
				round++
				if c.poll > 0 {
					// Notes come at any moment of the board's poll, not
					// just after the last look: start each round at a
					// random point of it.
					b.StopTimer()
					time.Sleep(rand.N(c.poll))
					b.StartTimer()
				}
				posted := postAtOnce(b, r.workshop, ps, func(i int) string { return noteText(round, i) }, randomNonce)
				got, err := board.collect(participants)
				if err != nil {
					b.Fatal(err)
				}
				var first time.Time
				for _, p := range posted {
					if first.IsZero() || p.Sent.Before(first) {
						first = p.Sent
					}
					answered = append(answered, p.Answered.Sub(p.Sent))
				}
				var end time.Time
				for _, a := range got {
					p, ok := posted[a.Text]
					if !ok {
						b.Fatalf("note %d %q arrived but was not posted in round %d", a.ID, a.Text, round)
					}
					each = append(each, a.At.Sub(p.Sent))
					if a.At.After(end) {
						end = a.At
					}
				}
				last += end.Sub(first)
			}
			slices.Sort(each)
			slices.Sort(answered)
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			at := func(ds []time.Duration, q float64) float64 { return ms(ds[min(len(ds)-1, int(q*float64(len(ds))))]) }
			b.ReportMetric(at(each, 0.50), "p50-ms")
			b.ReportMetric(at(each, 0.99), "p99-ms")
			b.ReportMetric(at(each, 1), "max-ms")
			// For comparison: how long the POSTs themselves took.
			b.ReportMetric(at(answered, 0.50), "post-p50-ms")
			b.ReportMetric(ms(last)/float64(round), "last-ms")
			if c.poll > 0 {
				b.ReportMetric(ms(c.poll), "poll-ms")
			}
		})
	}
}
