package csvout

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCellsThatWouldRunAsFormulasAreDefused(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := NewWriter(&b, "sv")
	w.Write([]string{"=HYPERLINK(\"x\")", "+46701234567", "-1", "@SUM(A1)", "\tx", "\rx", "Amal", "", "a=b"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF\"'=HYPERLINK(\"\"x\"\")\";'+46701234567;'-1;'@SUM(A1);'\tx;\"'\rx\";Amal;;a=b\n"
	if got := b.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestTheSeparatorFollowsTheReadersLanguage(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{"sv": "\uFEFFa;b\n", "en": "\uFEFFa,b\n", "ar": "\uFEFFa,b\n"} {
		var b bytes.Buffer
		w := NewWriter(&b, lang)
		w.Write([]string{"a", "b"})
		w.Flush()
		if b.String() != want {
			t.Errorf("%s: %q, want %q", lang, b.String(), want)
		}
	}
}

// TestNoOtherCSVWriter fails when a package writes CSV with encoding/csv
// instead of this package: its export would not defuse formulas.
func TestNoOtherCSVWriter(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s", root)
	}
	here, _ := filepath.Abs(".")
	checked := 0
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == here || strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if bytes.Contains(src, []byte("csv.NewWriter(")) {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s writes CSV with encoding/csv: use csvout.NewWriter", rel)
		}
		return nil
	})
	if checked < 50 {
		t.Errorf("only %d Go files checked: is the walk in the right place?", checked)
	}
}
