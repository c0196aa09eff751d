// Package cctest has what the tests of co-creation's packages share.
package cctest

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"megafon/platform/problem"
)

// ProblemKey is the catalogue key of err's (first) problem; "" when err is
// none.
func ProblemKey(err error) string {
	var pe *problem.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	if l, ok := problem.As(err); ok && len(l) > 0 {
		return l[0].Key
	}
	return ""
}

// CleanKept is what every cleaned text promises: valid UTF-8, no control
// characters but new lines and tabs, no space at either end.
func CleanKept(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q is not valid UTF-8", what, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			t.Fatalf("%s %q keeps the control character %U", what, s, r)
		}
	}
	if strings.TrimSpace(s) != s {
		t.Fatalf("%s %q is not trimmed", what, s)
	}
}
