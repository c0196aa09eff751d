package process_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"megafon/cocreation/internal/cctest"
	"megafon/cocreation/process"
	"megafon/platform/problem"
)

// The parsers of what people type never panic, and what they accept is
// what the rest of co-creation relies on.

func FuzzCleanNote(f *testing.F) {
	for _, s := range []string{"", " ", "Bra bemötande", "\x00", "a\r\nb", "\xff\xfe", strings.Repeat("å", process.MaxNote), strings.Repeat("å", process.MaxNote+1),
		" \t\n ", "=HYPERLINK(\"x\")", "\u202eevil", "🙂🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := process.CleanNote(in)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Field != "text" || (pe.Key != "cc.error.note_empty" && pe.Key != "cc.error.note_long") {
				t.Fatalf("CleanNote(%q): %v is not a problem about the text", in, err)
			}
			return
		}
		cctest.CleanKept(t, "note", out)
		if n := utf8.RuneCountInString(out); n < 1 || n > process.MaxNote {
			t.Fatalf("CleanNote(%q) = %q: %d characters", in, out, n)
		}
		if again, err := process.CleanNote(out); err != nil || again != out {
			t.Fatalf("CleanNote is not stable: %q → %q → %q, %v", in, out, again, err)
		}
	})
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH", "abcd efgh", " abcd-efgh ", "0O1IL", "ÅÄÖ", "\x00", "ⅠⅡ", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := process.NormalizeCode(in)
		for _, r := range out {
			if !strings.ContainsRune(process.CodeAlphabet, r) {
				t.Fatalf("NormalizeCode(%q) = %q has %q", in, out, r)
			}
		}
		if process.NormalizeCode(out) != out {
			t.Fatalf("NormalizeCode is not stable: %q → %q → %q", in, out, process.NormalizeCode(out))
		}
		if utf8.RuneCountInString(out) > utf8.RuneCountInString(strings.ToUpper(in)) {
			t.Fatalf("NormalizeCode(%q) = %q is longer than what was typed", in, out)
		}
		// A code as it is handed out comes back as itself, however typed.
		if len(out) == 8 {
			typed := strings.ToLower(out[:4]) + " - " + out[4:]
			if process.NormalizeCode(typed) != out {
				t.Fatalf("NormalizeCode(%q) = %q, want %q", typed, process.NormalizeCode(typed), out)
			}
		}
	})
}
