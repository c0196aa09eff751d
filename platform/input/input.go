// Package input is the one filter every piece of text from outside passes
// before any work is done with it: valid UTF-8, no control characters but
// newline and tab, a length limit. It also normalises what browsers and
// copy-paste bring in: line breaks become "\n" and the invisible
// bidirectional controls that reorder text ("1177" shown as "7711") are
// dropped.
//
// The web layer runs every form value, query parameter and uploaded file
// name through Text before a handler sees it; domain code uses Line for
// fields that must be one line (names, titles, subjects of e-mail).
package input

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// DefaultMaxRunes is the longest value a form field may have unless its
// route allows more: the longest text anyone types here (a handbook answer)
// fits, a megabyte pasted into a sign-in name does not.
const DefaultMaxRunes = 10_000

// MaxNameBytes bounds the name of a form field.
const MaxNameBytes = 200

// Why a value was refused.
var (
	ErrInvalidUTF8 = errors.New("not valid UTF-8")
	ErrControl     = errors.New("contains a control character")
	ErrLineBreak   = errors.New("contains a line break or tab")
	ErrTooLong     = errors.New("too long")
)

// Text checks s and returns it normalised: "\r\n" and a lone "\r" become
// "\n", bidirectional embedding, override and isolate controls are removed.
// It refuses invalid UTF-8, any other control character (C0, DEL, C1) and
// more than max characters (every character counts, the bidi controls that
// are dropped too, and "\r\n" as one; max <= 0 means DefaultMaxRunes).
func Text(s string, max int) (string, error) {
	if max <= 0 {
		max = DefaultMaxRunes
	}
	// A cheap bound first, so a megabyte is not walked rune by rune:
	// a character is at most four bytes, and "\r\n" shrinks to one.
	if len(s) > 4*max+2*max {
		return "", ErrTooLong
	}
	if !utf8.ValidString(s) {
		return "", ErrInvalidUTF8
	}
	clean := true
	n := 0
	prev := rune(0)
	for _, r := range s {
		if !(r == '\n' && prev == '\r') {
			n++
		}
		prev = r
		switch {
		case r == '\n' || r == '\t':
		case r == '\r' || IsBidiControl(r):
			clean = false
		case isControl(r):
			return "", ErrControl
		}
	}
	if n > max {
		return "", ErrTooLong
	}
	if !clean {
		s = normalise(s)
	}
	return s, nil
}

// Line is Text for a one-line value: a line break or a tab is refused too.
// Names, titles and anything that may end up in a header of an e-mail use it.
func Line(s string, max int) (string, error) {
	s, err := Text(s, max)
	if err != nil {
		return "", err
	}
	// U+2028 and U+2029 are line and paragraph separators: a line break
	// to anything that reads Unicode.
	if strings.ContainsAny(s, "\n\t\u2028\u2029") {
		return "", ErrLineBreak
	}
	return s, nil
}

// IsBidiControl reports whether r is one of the explicit bidirectional
// formatting characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI),
// which change the order in which the text around them is displayed. The
// marks LRM, RLM and ALM are harmless and kept: they only give a direction.
func IsBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// StripBidiControls removes the bidirectional controls from s, for text
// that was stored before this filter existed or came from a file.
func StripBidiControls(s string) string {
	if !strings.ContainsFunc(s, IsBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// isControl is every C0 and C1 control and DEL.
// isControl: C0, DEL and C1, and the Unicode noncharacters, which no text
// has and which the pages use inside (a mark on unchecked translations).
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || (r >= 0xFDD0 && r <= 0xFDEF) || r&0xFFFE == 0xFFFE
}

func normalise(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return StripBidiControls(s)
}

// Name checks the name of a form field or query parameter: short, valid
// UTF-8, no control characters.
func Name(s string) error {
	switch {
	case len(s) > MaxNameBytes:
		return ErrTooLong
	case !utf8.ValidString(s):
		return ErrInvalidUTF8
	case strings.ContainsFunc(s, func(r rune) bool { return isControl(r) || IsBidiControl(r) }):
		return ErrControl
	}
	return nil
}
