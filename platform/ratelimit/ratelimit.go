// Package ratelimit counts what each person does in a sliding window, so
// that one person cannot do something costly (start a browser, reveal a
// resident's number) faster than a person can mean to. It lives in memory:
// a limit per server process is enough to stop a runaway tab or a script,
// and a restart forgives.
package ratelimit

import (
	"sync"
	"time"
)

// Window allows each key at most Max events in any span of Per. The zero
// value allows everything; a Window is safe for concurrent use.
type Window struct {
	Max int
	Per time.Duration

	mu     sync.Mutex
	events map[int64][]time.Time // per key, oldest first, at most Max
	swept  time.Time
}

// Allow records an event of key at now and reports whether it is within
// the limit. A refused event is not recorded, so someone who waits gets
// her turn back after Per.
func (w *Window) Allow(key int64, now time.Time) bool {
	if w.Max <= 0 || w.Per <= 0 {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.events == nil {
		w.events = map[int64][]time.Time{}
	}
	w.sweep(now)
	recent := w.recent(key, now)
	if len(recent) >= w.Max {
		w.events[key] = recent
		return false
	}
	w.events[key] = append(recent, now)
	return true
}

// Count is how many events key had in the window ending at now.
func (w *Window) Count(key int64, now time.Time) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.recent(key, now))
}

func (w *Window) recent(key int64, now time.Time) []time.Time {
	ts := w.events[key]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-w.Per)) {
		i++
	}
	return ts[i:]
}

// sweep forgets keys with nothing in the window, at most once per window,
// so that the map does not grow with every person ever seen.
func (w *Window) sweep(now time.Time) {
	if now.Sub(w.swept) < w.Per {
		return
	}
	w.swept = now
	for k := range w.events {
		if len(w.recent(k, now)) == 0 {
			delete(w.events, k)
		}
	}
}
