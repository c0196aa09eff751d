package handbook_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/pdf"
	"megafon/platform/web/webtest"
)

// countingBrowser stands in for Chromium: it counts renders and the most
// that ran at once, and takes hold for each.
type countingBrowser struct {
	hold          time.Duration
	running, peak atomic.Int32
	renders       atomic.Int32
}

func (b *countingBrowser) render(_ context.Context, html []byte) ([]byte, error) {
	n := b.running.Add(1)
	defer b.running.Add(-1)
	for p := b.peak.Load(); n > p && !b.peak.CompareAndSwap(p, n); p = b.peak.Load() {
	}
	b.renders.Add(1)
	time.Sleep(b.hold)
	return append([]byte("%PDF-fake\n"), html...), nil
}

func pdfServer(t *testing.T, b *countingBrowser, limits pdf.Limits) *webtest.Server {
	hb := &handbook.Module{PDF: b.render, PDFLimits: limits}
	return webtest.New(t, db.SQLite, true, &notify.Module{}, &operation.Module{}, hb)
}

func TestEightRequestsFromOneVolunteerForAnUncachedPDFStartOneBrowser(t *testing.T) {
	t.Parallel()
	b := &countingBrowser{hold: 300 * time.Millisecond}
	s := pdfServer(t, b, pdf.Limits{})
	c := s.As(amina)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if r := c.Get("/operations/1/handbook/print/ar/pdf"); r.Status != 200 || !strings.HasPrefix(r.Body, "%PDF-") {
				t.Errorf("PDF: %d", r.Status)
			}
		})
	}
	wg.Wait()
	if n := b.renders.Load(); n != 1 {
		t.Fatalf("8 simultaneous requests started %d browsers, want 1", n)
	}
}

func TestAtMostTheLimitOfBrowsersRunAndTheRestAreToldToWaitInTheirLanguage(t *testing.T) {
	t.Parallel()
	b := &countingBrowser{hold: 400 * time.Millisecond}
	s := pdfServer(t, b, pdf.Limits{Concurrent: 1, Wait: 100 * time.Millisecond})
	people := []string{amina, fadumo, groupLead, leadCoord, admin}
	langs := []string{"sv", "ar", "so", "ti", "en", "prs"}
	var wg sync.WaitGroup
	var ok, busy atomic.Int32
	for i, who := range people {
		c := s.As(who)
		for _, lang := range langs {
			wg.Go(func() {
				// The print page names the interface language, so
				// people with English pages ask for other PDFs.
				if i%2 == 1 {
					c.Get("/?lang=en")
				}
				r := c.Get("/operations/1/handbook/print/" + lang + "/pdf")
				switch r.Status {
				case 200:
					ok.Add(1)
				case 429:
					busy.Add(1)
					text := webtest.Text(r.Body)
					if !strings.Contains(text, "Många PDF:er skapas just nu") && !strings.Contains(text, "Many PDFs are being made right now") {
						t.Errorf("429 without its message:\n%s", text)
					}
					if r.Header.Get("Retry-After") == "" {
						t.Error("429 without Retry-After")
					}
				case 404, 303: // no verified entry in that language
				default:
					t.Errorf("%s %s: %d", who, lang, r.Status)
				}
			})
		}
	}
	wg.Wait()
	if p := b.peak.Load(); p > 1 {
		t.Fatalf("%d browsers ran at once, limit 1", p)
	}
	if ok.Load() == 0 || busy.Load() == 0 {
		t.Fatalf("%d PDFs, %d refusals: want both", ok.Load(), busy.Load())
	}
}

func TestOnePersonCannotStartBrowsersFasterThanHerLimit(t *testing.T) {
	t.Parallel()
	b := &countingBrowser{}
	s := pdfServer(t, b, pdf.Limits{PerPerson: 2, Per: time.Hour})
	c := s.As(leadCoord)
	for _, lang := range []string{"sv", "ar"} {
		if r := c.Get("/operations/1/handbook/print/" + lang + "/pdf"); r.Status != 200 {
			t.Fatalf("%s: %d", lang, r.Status)
		}
	}
	r := c.Get("/operations/1/handbook/print/so/pdf")
	if r.Status != 429 || !strings.Contains(webtest.Text(r.Body), "Du har bett om många PDF:er på kort tid") {
		t.Fatalf("third PDF within the hour: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if r := c.Get("/operations/1/handbook/print/sv/pdf"); r.Status != 200 {
		t.Fatalf("a PDF already made was refused: %d", r.Status)
	}
	if r := s.As(groupLead).Get("/operations/1/handbook/print/so/pdf"); r.Status != 200 {
		t.Fatalf("another person was refused: %d", r.Status)
	}
}
