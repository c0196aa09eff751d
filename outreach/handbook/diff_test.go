package handbook

import (
	"strings"
	"testing"
)

func render(d FieldDiff) string {
	var b strings.Builder
	for _, p := range d {
		switch p.Op {
		case Same:
			b.WriteString(p.Text)
		case Removed:
			b.WriteString("[-" + p.Text + "-]")
		case Added:
			b.WriteString("{+" + p.Text + "+}")
		}
	}
	return b.String()
}

func TestDiffWords(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"", "", ""},
		{"same text", "same text", "same text"},
		{"", "new", "{+new+}"},
		{"old", "", "[-old-]"},
		{"Boka tid på 1177.", "Boka tid på 1177 eller ring.", "Boka tid på [-1177.-]{+1177 eller ring.+}"},
		{"a b c", "a c", "a [-b -]c"},
		{"نعم، التطعيم مجاني.", "نعم، اللقاح مجاني.", "نعم، [-التطعيم-]{+اللقاح+} مجاني."},
	} {
		if got := render(DiffWords(c.a, c.b)); got != c.want {
			t.Errorf("DiffWords(%q, %q) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// FuzzDiffWords checks that the diff always rebuilds both texts.
func FuzzDiffWords(f *testing.F) {
	f.Add("Boka tid på 1177.", "Boka tid på 1177 eller ring.")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		var old, new strings.Builder
		for _, p := range DiffWords(a, b) {
			if p.Op != Added {
				old.WriteString(p.Text)
			}
			if p.Op != Removed {
				new.WriteString(p.Text)
			}
		}
		if old.String() != a || new.String() != b {
			t.Fatalf("diff of %q and %q rebuilds %q and %q", a, b, old.String(), new.String())
		}
	})
}
