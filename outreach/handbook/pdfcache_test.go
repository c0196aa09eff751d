package handbook

import (
	"fmt"
	"testing"
)

func TestThePDFCacheRendersAPageOnceAndForgetsTheOldest(t *testing.T) {
	var c pdfCache
	renders := 0
	render := func(s string) func() ([]byte, error) {
		return func() ([]byte, error) { renders++; return []byte("pdf " + s), nil }
	}
	for range 3 {
		if pdf, _ := c.get([]byte("a"), render("a")); string(pdf) != "pdf a" {
			t.Fatal(string(pdf))
		}
	}
	if renders != 1 {
		t.Fatalf("%d renders of one page", renders)
	}
	for i := range pdfCacheSize {
		c.get(fmt.Appendf(nil, "page %d", i), render("x"))
	}
	c.get([]byte("a"), render("a"))
	if renders != 2+pdfCacheSize {
		t.Fatalf("%d renders: the oldest page was not forgotten", renders)
	}
	if _, err := c.get([]byte("b"), func() ([]byte, error) { return nil, ErrNoPDFRenderer }); err == nil || len(c.pdfs) > pdfCacheSize {
		t.Fatal("an error was cached or the cache grew")
	}
}
