package handbook

import (
	"crypto/sha256"
	"sync"
)

// pdfCache keeps the PDFs of the last few print pages. A printed handbook
// changes only when an entry is verified, and each rendering starts a
// browser, so the same page is rendered once. Pages are keyed by their
// whole HTML: any change in an entry, language or date is a new key.
type pdfCache struct {
	mu    sync.Mutex
	order [][32]byte
	pdfs  map[[32]byte][]byte
}

// pdfCacheSize is how many PDFs are kept: an operation in six languages
// and both interface languages, with room to spare.
const pdfCacheSize = 16

func (c *pdfCache) get(page []byte, render func() ([]byte, error)) ([]byte, error) {
	key := sha256.Sum256(page)
	c.mu.Lock()
	if pdf, ok := c.pdfs[key]; ok {
		c.mu.Unlock()
		return pdf, nil
	}
	c.mu.Unlock()
	// Rendered outside the lock: two first requests may both render,
	// which is cheaper than making everyone wait for one browser.
	pdf, err := render()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pdfs == nil {
		c.pdfs = map[[32]byte][]byte{}
	}
	if _, ok := c.pdfs[key]; !ok {
		c.pdfs[key] = pdf
		c.order = append(c.order, key)
		if len(c.order) > pdfCacheSize {
			delete(c.pdfs, c.order[0])
			c.order = c.order[1:]
		}
	}
	return pdf, nil
}
