package handbook

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FoldForSearch returns s in the form that the handbook's full-text index
// stores and that queries are matched in, so that a caller finds an entry
// however she types a word on her phone. The same function is applied to the
// indexed text and to the query, on SQLite and PostgreSQL alike, so neither
// database's own accent or case handling is relied upon.
//
// It does, in order:
//
//   - NFKC: compatibility forms become plain ones (full-width letters, the
//     ligature "ﬁ", Arabic presentation forms such as "ﻻ" become "لا").
//   - Unicode case folding (ß → ss, Σ/ς → σ, İ → i).
//   - Removal of accents and other combining marks that are not letters:
//     marks of the Latin, Greek and Cyrillic kind ("inherited" marks: é → e,
//     ü → u), Arabic harakat and tashkeel (fatha, kasra, shadda, sukun,
//     tanwin, superscript alef, Quranic marks), and Hebrew points. For
//     Swedish this deliberately folds å and ä to a and ö to o: people type
//     without them on foreign keyboards and in SMS, and recall matters more
//     to a caller than telling "får" from "far". Marks that are part of a
//     letter in other scripts (Ethiopic, Indic vowel signs) are kept.
//   - Arabic-script letters are unified towards the Arabic forms: أ إ آ ٱ → ا,
//     ؤ → و, ئ → ي (the hamza is a mark after decomposition), ة → ه, ى → ي,
//     the Persian/Dari ی → ي and ک → ك, ۀ → ه, and the tatweel ـ is removed.
//     Arabic-Indic and Persian digits (٣, ۳) become ASCII digits.
//   - Format characters are removed (zero-width joiner and non-joiner,
//     direction marks, soft hyphen), so that copied right-to-left text and
//     the Dari half-space do not split words: "می‌خواهم" → "میخواهم" (with ي).
//   - An apostrophe between two letters is removed, so the Somali glottal
//     stop in "su'aal" matches "suaal" and "su’aal".
//
// Ethiopic (Tigrinya, Amharic) has no case, no decompositions and no
// foldable marks, so it comes out unchanged. Invalid UTF-8 becomes U+FFFD.
// FoldForSearch(FoldForSearch(s)) == FoldForSearch(s).
func FoldForSearch(s string) string {
	// One pass is almost always a fixed point; the loop guarantees it for
	// the odd sequence where folding creates something that folds again.
	s = strings.ToValidUTF8(s, "\uFFFD")
	for range 4 {
		next := foldOnce(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

var caseFolder = cases.Fold()

func foldOnce(s string) string {
	s = norm.NFKC.String(s)
	s = caseFolder.String(s)
	s = norm.NFD.String(s)

	out := make([]rune, 0, len(s))
	for _, r := range s {
		if dropForSearch(r) {
			continue
		}
		switch {
		case r >= '\u0660' && r <= '\u0669': // Arabic-Indic digits
			r = '0' + r - '\u0660'
		case r >= '\u06F0' && r <= '\u06F9': // Persian (Extended Arabic-Indic) digits
			r = '0' + r - '\u06F0'
		default:
			if m, ok := arabicFold[r]; ok {
				r = m
			}
		}
		out = append(out, r)
	}
	out = dropInnerApostrophes(out)
	return norm.NFC.String(string(out))
}

// dropForSearch reports whether r carries no meaning for search.
func dropForSearch(r rune) bool {
	switch {
	case r == '\u0640': // Arabic tatweel, a stretching stroke
		return true
	case unicode.Is(unicode.Cf, r): // ZWJ, ZWNJ, LRM/RLM, bidi embeddings, soft hyphen
		return true
	case unicode.Is(unicode.Mn, r):
		return unicode.Is(unicode.Inherited, r) || unicode.Is(unicode.Arabic, r) || unicode.Is(unicode.Hebrew, r)
	}
	return false
}

// arabicFold maps Arabic-script letters to the one form that search uses.
// The target is always the Arabic letter, so Arabic and Dari spellings of a
// shared word meet.
var arabicFold = map[rune]rune{
	'\u0622': 'ا', // آ alef with madda (normally decomposed already)
	'\u0623': 'ا', // أ alef with hamza above
	'\u0625': 'ا', // إ alef with hamza below
	'\u0671': 'ا', // ٱ alef wasla
	'\u0672': 'ا', // ٲ alef with wavy hamza above
	'\u0673': 'ا', // ٳ alef with wavy hamza below
	'\u0629': 'ه', // ة ta marbuta
	'\u06C0': 'ه', // ۀ heh with yeh above (Persian ezafe)
	'\u06C1': 'ه', // ہ heh goal
	'\u06D5': 'ه', // ە ae
	'\u0649': 'ي', // ى alef maqsura
	'\u06CC': 'ي', // ی Farsi yeh (Persian, Dari)
	'\u06D0': 'ي', // ې yeh (Pashto)
	'\u06A9': 'ك', // ک keheh (Persian, Dari)
	'\u06AA': 'ك', // ڪ swash kaf
}

// isApostrophe reports whether r is one of the ways phones type an
// apostrophe or the Somali glottal stop.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02BC', '`', '\u00B4':
		return true
	}
	return false
}

func dropInnerApostrophes(rs []rune) []rune {
	out := rs[:0]
	for i, r := range rs {
		if isApostrophe(r) && i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Terms splits a query into folded search words: runs of letters, digits
// and the marks that belong to them, with everything else (spaces,
// punctuation, the Ethiopic word separator ፡) between words. Each word
// appears once, in the order of the query. Scripts written without spaces
// (Chinese, Thai) come out as one term per run; no handbook language needs
// more.
func Terms(query string) []string {
	folded := FoldForSearch(query)
	var terms []string
	seen := map[string]bool{}
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := folded[start:end]
		start = -1
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) || seen[w] {
			return
		}
		seen[w] = true
		terms = append(terms, w)
	}
	for i, r := range folded {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(folded))
	return terms
}
