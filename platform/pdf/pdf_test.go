package pdf

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeBrowser counts renders and how many run at once; each takes hold.
type fakeBrowser struct {
	hold          time.Duration
	running, peak atomic.Int32
	renders       atomic.Int32
}

func (f *fakeBrowser) render(ctx context.Context, html []byte) ([]byte, error) {
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	f.renders.Add(1)
	time.Sleep(f.hold)
	return append([]byte("%PDF-"), html...), nil
}

func TestManyRequestsForOnePageStartOneRender(t *testing.T) {
	t.Parallel()
	f := &fakeBrowser{hold: 50 * time.Millisecond}
	render := f.render
	r := &Renderer{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if pdf, err := r.Get(context.Background(), 1, []byte("page"), render); err != nil || string(pdf) != "%PDF-page" {
				t.Errorf("Get = %q, %v", pdf, err)
			}
		})
	}
	wg.Wait()
	if n := f.renders.Load(); n != 1 {
		t.Fatalf("8 simultaneous requests for one page started %d renders, want 1", n)
	}
	if _, err := r.Get(context.Background(), 1, []byte("page"), render); err != nil || f.renders.Load() != 1 {
		t.Fatal("a cached page was rendered again")
	}
}

func TestAtMostConcurrentRendersRunAndTheRestWaitOrAreTurnedAway(t *testing.T) {
	t.Parallel()
	f := &fakeBrowser{hold: 40 * time.Millisecond}
	render := f.render
	r := &Renderer{Limits: Limits{Concurrent: 2, Wait: 100 * time.Millisecond, PerPerson: 100}}
	var wg sync.WaitGroup
	var ok, busy atomic.Int32
	for i := range 30 {
		wg.Go(func() {
			_, err := r.Get(context.Background(), int64(i%5), fmt.Appendf(nil, "page %d", i), render)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrBusy):
				busy.Add(1)
			default:
				t.Errorf("Get: %v", err)
			}
		})
	}
	wg.Wait()
	if p := f.peak.Load(); p > 2 {
		t.Fatalf("%d renders ran at once, limit 2", p)
	}
	if ok.Load() < 2 || busy.Load() == 0 || ok.Load()+busy.Load() != 30 {
		t.Fatalf("%d rendered, %d busy of 30: want some of each", ok.Load(), busy.Load())
	}
}

func TestOnePersonIsLimitedButCachedPagesAreNot(t *testing.T) {
	t.Parallel()
	f := &fakeBrowser{}
	render := f.render
	now := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	r := &Renderer{Limits: Limits{PerPerson: 3, Per: time.Minute}, Now: func() time.Time { return now }}
	for i := range 3 {
		if _, err := r.Get(context.Background(), 1, fmt.Appendf(nil, "page %d", i), render); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Get(context.Background(), 1, []byte("page 3"), render); !errors.Is(err, ErrTooMany) {
		t.Fatalf("a fourth page within a minute: %v, want ErrTooMany", err)
	}
	if _, err := r.Get(context.Background(), 1, []byte("page 0"), render); err != nil {
		t.Fatalf("a cached page was refused: %v", err)
	}
	if _, err := r.Get(context.Background(), 2, []byte("page 3"), render); err != nil {
		t.Fatalf("another person was refused: %v", err)
	}
	now = now.Add(time.Minute + time.Second)
	if _, err := r.Get(context.Background(), 1, []byte("page 4"), render); err != nil {
		t.Fatalf("a minute later: %v", err)
	}
}

func TestFailuresAreNotCachedAndTheCacheIsBounded(t *testing.T) {
	t.Parallel()
	fail := true
	renders := 0
	render := func(ctx context.Context, html []byte) ([]byte, error) {
		renders++
		if fail {
			return nil, errors.New("browser crashed")
		}
		return html, nil
	}
	r := &Renderer{Limits: Limits{CacheSize: 2, PerPerson: 100}}
	if _, err := r.Get(context.Background(), 1, []byte("a"), render); err == nil {
		t.Fatal("the failure was lost")
	}
	fail = false
	for _, p := range []string{"a", "b", "c", "a"} {
		if _, err := r.Get(context.Background(), 1, []byte(p), render); err != nil {
			t.Fatal(err)
		}
	}
	if renders != 5 || len(r.pdfs) != 2 {
		t.Fatalf("%d renders, %d kept: want 5 (a failed, a, b, c, a forgotten) and 2", renders, len(r.pdfs))
	}
}

func TestARenderOutlivesTheRequestThatStartedIt(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	render := func(ctx context.Context, html []byte) ([]byte, error) {
		close(started)
		time.Sleep(30 * time.Millisecond)
		return html, ctx.Err()
	}
	r := &Renderer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := r.Get(ctx, 1, []byte("a"), render); done <- err }()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the leaving asker got %v", err)
	}
	if pdf, err := r.Get(context.Background(), 2, []byte("a"), render); err != nil || string(pdf) != "a" {
		t.Fatalf("the next asker: %q, %v; the render was cancelled with its first asker", pdf, err)
	}
}
