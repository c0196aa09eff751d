package web

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// uncheckedSentinel ends a message no fluent speaker has checked. It is a
// Unicode noncharacter, which the input filter refuses, so no one's text
// carries it; markUnchecked turns it into the mark or drops it.
const uncheckedSentinel = "\uFDD0"

var (
	sentinelBytes = []byte(uncheckedSentinel)
	uncheckedMark = []byte(`<span class="unchecked" aria-hidden="true"></span>`)
)

// markUnchecked turns each sentinel in a rendered page into the discreet
// mark where a mark can stand (text in the body), and removes it where it
// cannot: in attributes, the title, options, text areas and scripts. The
// template's escaping has done its work already; this only ever adds the
// one fixed element.
func markUnchecked(page []byte) []byte {
	if !bytes.Contains(page, sentinelBytes) {
		return page
	}
	var out bytes.Buffer
	out.Grow(len(page) + 1024)
	z := html.NewTokenizer(bytes.NewReader(page))
	noMark := 0 // depth inside elements whose content cannot hold a mark
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		switch tt {
		case html.TextToken:
			if noMark > 0 {
				out.Write(bytes.ReplaceAll(raw, sentinelBytes, nil))
			} else {
				out.Write(bytes.ReplaceAll(raw, sentinelBytes, uncheckedMark))
			}
			continue
		case html.StartTagToken:
			if name, _ := z.TagName(); markless(string(name)) {
				noMark++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); markless(string(name)) && noMark > 0 {
				noMark--
			}
		}
		out.Write(bytes.ReplaceAll(raw, sentinelBytes, nil))
	}
	return out.Bytes()
}

// markless elements take text only, or text that is not shown as such.
func markless(name string) bool {
	switch strings.ToLower(name) {
	case "title", "option", "textarea", "script", "style", "optgroup", "select":
		return true
	}
	return false
}
