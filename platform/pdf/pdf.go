// Package pdf puts the rules every PDF of the application follows between
// a request and the browser that prints it: a page already printed comes
// from memory, a page being printed is printed once however many ask for
// it, only a few browsers run at once, and one person cannot start them
// faster than she can read. A headless Chromium takes about 100 MB and a
// core; eight simultaneous requests from one phone once started 76
// processes and took 7.5 GB.
package pdf

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"megafon/platform/problem"
	"megafon/platform/ratelimit"
)

// Defaults of Limits.
const (
	DefaultConcurrent = 2
	DefaultWait       = 20 * time.Second
	DefaultPerPerson  = 10
	DefaultPer        = time.Minute
	DefaultCacheSize  = 16
)

// Why a PDF was refused. Both are 429s with a message for the reader.
var (
	// ErrBusy: every browser was busy for longer than Limits.Wait.
	ErrBusy = problem.New(problem.TooMany, "pdf.busy")
	// ErrTooMany: the person asked for more PDFs than Limits allow.
	ErrTooMany = problem.New(problem.TooMany, "pdf.too_many")
)

// Limits bound the work of a Renderer. Zero fields take the defaults.
type Limits struct {
	Concurrent int           // renders at once (browsers running)
	Wait       time.Duration // how long a render waits for a free browser
	PerPerson  int           // renders a person may ask for ...
	Per        time.Duration // ... in this span
	CacheSize  int           // PDFs kept in memory
}

func (l Limits) withDefaults() Limits {
	if l.Concurrent <= 0 {
		l.Concurrent = DefaultConcurrent
	}
	if l.Wait <= 0 {
		l.Wait = DefaultWait
	}
	if l.PerPerson <= 0 {
		l.PerPerson = DefaultPerPerson
	}
	if l.Per <= 0 {
		l.Per = DefaultPer
	}
	if l.CacheSize <= 0 {
		l.CacheSize = DefaultCacheSize
	}
	return l
}

// RenderFunc prints a complete HTML page to PDF.
type RenderFunc func(ctx context.Context, html []byte) ([]byte, error)

// Renderer turns print pages into PDFs within its Limits. Pages are keyed
// by their whole HTML: any change of an entry, language or date is a new
// PDF. Share one Renderer between every kind of PDF in a process (each
// passes its own RenderFunc), so that the limit on browsers is one limit.
// Limits must be set before the first Get.
type Renderer struct {
	Limits Limits
	Now    func() time.Time // nil: time.Now

	once    sync.Once
	lim     Limits
	slots   chan struct{}
	flights singleflight.Group
	people  *ratelimit.Window

	mu    sync.Mutex
	order [][32]byte
	pdfs  map[[32]byte][]byte
}

func (r *Renderer) init() {
	r.once.Do(func() {
		r.lim = r.Limits.withDefaults()
		r.slots = make(chan struct{}, r.lim.Concurrent)
		r.people = &ratelimit.Window{Max: r.lim.PerPerson, Per: r.lim.Per}
		r.pdfs = map[[32]byte][]byte{}
	})
}

// Get returns the PDF of page for person (her id, for the rate limit),
// printed by render when it is not in the cache. A
// page in the cache costs nothing and is never refused. Otherwise the
// request counts against the person's limit (ErrTooMany), joins a render
// of the same page already running, or waits up to Limits.Wait for a free
// browser (ErrBusy). The render itself runs to its end even if the asker
// leaves, since others may be waiting for the same PDF; ctx only stops
// this caller's waiting.
func (r *Renderer) Get(ctx context.Context, person int64, page []byte, render RenderFunc) ([]byte, error) {
	r.init()
	key := sha256.Sum256(page)
	if pdf, ok := r.cached(key); ok {
		return pdf, nil
	}
	if !r.people.Allow(person, r.now()) {
		return nil, ErrTooMany
	}
	detached := context.WithoutCancel(ctx)
	ch := r.flights.DoChan(string(key[:]), func() (any, error) {
		if pdf, ok := r.cached(key); ok {
			return pdf, nil
		}
		if err := r.acquire(); err != nil {
			return nil, err
		}
		defer func() { <-r.slots }()
		pdf, err := render(detached, page)
		if err != nil {
			return nil, err
		}
		r.keep(key, pdf)
		return pdf, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.([]byte), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// acquire takes a browser slot, waiting at most Limits.Wait.
func (r *Renderer) acquire() error {
	select {
	case r.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(r.lim.Wait)
	defer t.Stop()
	select {
	case r.slots <- struct{}{}:
		return nil
	case <-t.C:
		return ErrBusy
	}
}

func (r *Renderer) cached(key [32]byte) ([]byte, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pdf, ok := r.pdfs[key]
	return pdf, ok
}

// keep caches pdf, forgetting the oldest beyond Limits.CacheSize.
func (r *Renderer) keep(key [32]byte, pdf []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.pdfs[key]; ok {
		return
	}
	r.pdfs[key] = pdf
	r.order = append(r.order, key)
	if len(r.order) > r.lim.CacheSize {
		delete(r.pdfs, r.order[0])
		r.order = r.order[1:]
	}
}

func (r *Renderer) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// IsRefusal reports whether err is one of the Renderer's own refusals
// (busy, too many), as opposed to a failure of the render.
func IsRefusal(err error) bool { return errors.Is(err, ErrBusy) || errors.Is(err, ErrTooMany) }
