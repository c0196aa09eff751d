package input

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextKeepsWhatPeopleWriteAndRefusesWhatNobodyTypes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
		err            error
	}{
		{"Swedish", "Får jag åka buss?", "Får jag åka buss?", nil},
		{"Arabic with a number", "اتصل بـ 1177", "اتصل بـ 1177", nil},
		{"Tigrinya", "ሰላም", "ሰላም", nil},
		{"a right-to-left mark is kept", "a\u200fb", "a\u200fb", nil},
		{"newline and tab", "a\n\tb", "a\n\tb", nil},
		{"a textarea's CRLF", "a\r\nb\r\n", "a\nb\n", nil},
		{"old Mac line breaks", "a\rb", "a\nb", nil},
		{"right-to-left override", "ring \u202e7711\u202c now", "ring 7711 now", nil},
		{"isolates", "\u2067x\u2069", "x", nil},
		{"empty", "", "", nil},
		{"NUL", "a\x00b", "", ErrControl},
		{"escape", "\x1b[31m", "", ErrControl},
		{"DEL", "a\x7f", "", ErrControl},
		{"C1 next line", "a\u0085", "", ErrControl},
		{"noncharacter", "a\uFDD0", "", ErrControl},
		{"noncharacter FFFF", "a\uFFFF", "", ErrControl},
		{"emoji is text", "a 😀", "a 😀", nil},
		{"Latin-1 bytes", "caf\xe9", "", ErrInvalidUTF8},
		{"a lone surrogate's bytes", "\xed\xa0\x80", "", ErrInvalidUTF8},
	} {
		got, err := Text(tc.in, 100)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("%s: Text(%q) = %q, %v; want %q, %v", tc.name, tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestTextCountsCharactersNotBytes(t *testing.T) {
	t.Parallel()
	if _, err := Text(strings.Repeat("ع", 10), 10); err != nil {
		t.Errorf("ten Arabic letters with a limit of ten: %v", err)
	}
	if _, err := Text(strings.Repeat("ع", 11), 10); !errors.Is(err, ErrTooLong) {
		t.Errorf("eleven Arabic letters with a limit of ten: %v", err)
	}
	// CRLF counts as the one line break it becomes.
	if _, err := Text(strings.Repeat("a\r\n", 5), 10); err != nil {
		t.Errorf("five lines in CRLF with a limit of ten: %v", err)
	}
	if _, err := Text(strings.Repeat("a", 1<<20), 0); !errors.Is(err, ErrTooLong) {
		t.Errorf("a megabyte with the default limit: %v", err)
	}
}

func TestLineRefusesLineBreaksAndTabs(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"Covid-19\nBcc: x@y", "a\r\nb", "a\tb", "a\rb", "Op\u2028Two", "K\u2029L"} {
		if _, err := Line(s, 100); !errors.Is(err, ErrLineBreak) {
			t.Errorf("Line(%q): %v, want ErrLineBreak", s, err)
		}
	}
	if got, err := Line("Covid-19 information 2021", 100); err != nil || got != "Covid-19 information 2021" {
		t.Errorf("Line of a plain name: %q, %v", got, err)
	}
}

func TestNameOfAField(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{"body_2": true, "q1_text": true, "na\x00me": false, "\xff": false, strings.Repeat("x", 201): false} {
		if err := Name(name); (err == nil) != ok {
			t.Errorf("Name(%q): %v", name, err)
		}
	}
}

// FuzzText: whatever comes in, what Text lets through is valid UTF-8 with
// no control character but newline and tab, no bidi control, within the
// limit; and Text of its own output changes nothing.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "a\r\nb", "\x00", "caf\xe9", "\u202e1177", "ع\r", "\t\n", "\xed\xa0\x80", "a\u0085"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max > 1000 {
			max %= 1000
		}
		out, err := Text(s, max)
		if err != nil {
			if out != "" {
				t.Fatalf("Text(%q) refused with %v but returned %q", s, err, out)
			}
			return
		}
		limit := max
		if limit <= 0 {
			limit = DefaultMaxRunes
		}
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > limit {
			t.Fatalf("Text(%q, %d) = %q: invalid or too long", s, max, out)
		}
		for _, r := range out {
			if (isControl(r) && r != '\n' && r != '\t') || IsBidiControl(r) {
				t.Fatalf("Text(%q) = %q keeps %U", s, out, r)
			}
		}
		if again, err := Text(out, max); err != nil || again != out {
			t.Fatalf("Text is not stable on %q: %q, %v", out, again, err)
		}
	})
}
