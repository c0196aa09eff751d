package handbook

import (
	"regexp"
	"strings"
)

// DiffOp says whether a piece of text is in both versions, only the old
// one, or only the new one.
type DiffOp int

// The diff operations.
const (
	Same DiffOp = iota
	Removed
	Added
)

// DiffPart is a run of words with one operation.
type DiffPart struct {
	Op   DiffOp
	Text string
}

// FieldDiff is the word diff of one field (title or body).
type FieldDiff []DiffPart

// Changed reports whether anything differs.
func (d FieldDiff) Changed() bool {
	for _, p := range d {
		if p.Op != Same {
			return true
		}
	}
	return false
}

// VersionDiff is what changed between two versions in one language.
type VersionDiff struct {
	Lang        string
	Title, Body FieldDiff
	Meta        []string // names of other fields that changed: "source", "valid_until", "topics", "kind"
}

// Changed reports whether the versions differ in this language.
func (d VersionDiff) Changed() bool { return d.Title.Changed() || d.Body.Changed() || len(d.Meta) > 0 }

// Diff compares the old and new version's text in lang, word by word.
func Diff(old, new Version, lang string) VersionDiff {
	a, _ := old.In(lang)
	b, _ := new.In(lang)
	d := VersionDiff{Lang: lang, Title: DiffWords(a.Title, b.Title), Body: DiffWords(a.Body, b.Body)}
	if old.Source != new.Source {
		d.Meta = append(d.Meta, "source")
	}
	if old.ValidUntil != new.ValidUntil {
		d.Meta = append(d.Meta, "valid_until")
	}
	if strings.Join(old.Topics, ",") != strings.Join(new.Topics, ",") {
		d.Meta = append(d.Meta, "topics")
	}
	return d
}

var tokens = regexp.MustCompile(`\s+|[^\s]+`)

// maxDiffTokens bounds the quadratic table; longer texts are shown as
// replaced whole, which a handbook entry never needs.
const maxDiffTokens = 3000

// DiffWords returns the word diff of a and b: the longest common
// subsequence of their words and spaces, with neighbouring parts of the
// same operation joined.
func DiffWords(a, b string) FieldDiff {
	x, y := tokens.FindAllString(a, -1), tokens.FindAllString(b, -1)
	var out FieldDiff
	add := func(op DiffOp, s string) {
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
			return
		}
		out = append(out, DiffPart{op, s})
	}
	if len(x) > maxDiffTokens || len(y) > maxDiffTokens {
		if a == b {
			return FieldDiff{{Same, a}}
		}
		if a != "" {
			add(Removed, a)
		}
		if b != "" {
			add(Added, b)
		}
		return out
	}
	// lcs[i][j] is the length of the LCS of x[i:] and y[j:].
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			add(Same, x[i])
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			add(Removed, x[i])
			i++
		default:
			add(Added, y[j])
			j++
		}
	}
	for ; i < len(x); i++ {
		add(Removed, x[i])
	}
	for ; j < len(y); j++ {
		add(Added, y[j])
	}
	return out
}
