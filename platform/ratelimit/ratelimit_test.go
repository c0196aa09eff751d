package ratelimit

import (
	"sync"
	"testing"
	"time"
)

func TestAWindowAllowsMaxPerSpanAndGivesTurnsBack(t *testing.T) {
	t.Parallel()
	w := &Window{Max: 3, Per: time.Minute}
	t0 := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	for i := range 3 {
		if !w.Allow(1, t0.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("event %d refused", i+1)
		}
	}
	if w.Allow(1, t0.Add(10*time.Second)) {
		t.Fatal("a fourth event within the minute was allowed")
	}
	if !w.Allow(2, t0.Add(10*time.Second)) {
		t.Fatal("another person was refused")
	}
	if w.Count(1, t0.Add(10*time.Second)) != 3 {
		t.Fatal("a refused event was counted")
	}
	if !w.Allow(1, t0.Add(time.Minute+time.Second/2)) {
		t.Fatal("the first event's turn did not come back after a minute")
	}
	if w.Allow(1, t0.Add(time.Minute+time.Second/2)) {
		t.Fatal("more came back than went out")
	}
	if !w.Allow(1, t0.Add(time.Hour)) || len(w.events) != 1 {
		t.Fatalf("after an hour: %d keys kept, want only the one just seen", len(w.events))
	}
}

func TestTheZeroWindowAllowsEverything(t *testing.T) {
	t.Parallel()
	var w Window
	for range 1000 {
		if !w.Allow(1, time.Now()) {
			t.Fatal("refused")
		}
	}
}

func TestAWindowCountsConcurrentEventsExactly(t *testing.T) {
	t.Parallel()
	w := &Window{Max: 10, Per: time.Hour}
	now := time.Now()
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if w.Allow(7, now) {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != 10 {
		t.Fatalf("%d of 100 concurrent events allowed, want 10", allowed)
	}
}
