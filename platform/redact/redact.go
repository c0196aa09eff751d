// Package redact masks what identifies a person in free text that
// volunteers type: Swedish personal identity (and co-ordination) numbers,
// phone numbers and e-mail addresses. Residents tell volunteers such
// things, and a question or a referral's "what is needed" must not keep
// them. It errs on the side of masking: a false mask costs a word, a
// missed one keeps someone's identity.
package redact

import (
	"regexp"
	"strings"
	"unicode"
)

// What was masked, and the mark that replaces it. The marks are Swedish:
// the city's staff read them, whatever language the text is in.
const (
	IdentityMark = "[personnummer]"
	PhoneMark    = "[telefonnummer]"
	EmailMark    = "[e-post]"
)

var (
	// An e-mail address: local part, "@" (or "(at)", "[at]"), a domain,
	// with or without a dot: "anna@example" is someone's address too.
	email = regexp.MustCompile(`()([\p{L}\p{N}._%+\-]+\s?(?:@|\(at\)|\[at\])\s?[\p{L}\p{N}\-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\p{L}\p{N}\-]+)*)`)
	// A personal identity number: (CC)YY MM DD, then "-", "+", a space or
	// nothing (with spaces around), then four digits. Month 01–12, day
	// 01–31 or 61–91 (a co-ordination number adds 60 to the day). The date
	// may be written with spaces or dashes between its parts.
	identity = regexp.MustCompile(`(^|[^\p{N}])((?:19|20)?\d{2}[- ]?(?:0[1-9]|1[0-2])[- ]?(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01]) ?[-+ ]? ?\d{4})($|[^\p{N}])`)
	// A phone number: starting with +, 00 or 0, then digits with spaces,
	// dashes, slashes, dots or brackets between them.
	phone = regexp.MustCompile(`(^|[^\p{N}+])((?:\+|00|0)[\d( ][\d\-. ()/]*\d)`)
)

// Found says which kinds of personal data Text masked.
type Found struct {
	Identity, Phone, Email bool
}

// Any reports whether anything was masked.
func (f Found) Any() bool { return f.Identity || f.Phone || f.Email }

// Text returns s with every personal identity number, phone number and
// e-mail address replaced by a mark, and what it found.
func Text(s string) (string, Found) {
	var f Found
	s = replaceGroup(email, s, func(string) (string, bool) { f.Email = true; return EmailMark, true })
	s = replaceGroup(identity, s, func(string) (string, bool) { f.Identity = true; return IdentityMark, true })
	s = replaceGroup(phone, s, func(m string) (string, bool) {
		if digits(m) < 7 || digits(m) > 15 {
			return m, false
		}
		f.Phone = true
		return PhoneMark, true
	})
	return s, f
}

// replaceGroup replaces the second submatch of each match of re in s by
// what repl returns, keeping the text around it (the first and any third
// submatch are the boundaries, which Go's regexp cannot look at without
// consuming). A match left alone is kept as it was. It matches on s with
// every decimal digit of any script read as an ASCII one, so that a
// number typed in Arabic-Indic digits is masked too.
func replaceGroup(re *regexp.Regexp, s string, repl func(string) (string, bool)) string {
	norm, at := asciiDigits(s)
	var b strings.Builder
	last := 0 // in norm
	for last <= len(norm) {
		loc := re.FindStringSubmatchIndex(norm[last:])
		if loc == nil {
			break
		}
		start, end := last+loc[4], last+loc[5]
		out, ok := repl(norm[start:end])
		if !ok {
			out = s[at[start]:at[end]]
		}
		b.WriteString(s[at[last]:at[start]])
		b.WriteString(out)
		if end == last { // never loop on an empty match
			if end == len(norm) {
				last = end
				break
			}
			end++
			b.WriteString(s[at[last]:at[end]])
		}
		last = end
	}
	b.WriteString(s[at[last]:])
	return b.String()
}

// asciiDigits returns s with every decimal digit as its ASCII digit,
// every space as " " and every dash as "-", and for each byte offset of
// that string (and its end) the offset in s: numbers are written with
// Arabic-Indic digits, no-break spaces and non-breaking hyphens too.
func asciiDigits(s string) (string, []int) {
	var b strings.Builder
	at := make([]int, 0, len(s)+1)
	for i, r := range s {
		if r > unicode.MaxASCII {
			var c byte
			switch {
			case unicode.IsDigit(r):
				c = byte('0' + digitValue(r))
			case unicode.Is(unicode.Zs, r):
				c = ' '
			case unicode.Is(unicode.Pd, r):
				c = '-'
			}
			if c != 0 {
				b.WriteByte(c)
				at = append(at, i)
				continue
			}
		}
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			at = append(at, i)
		}
	}
	at = append(at, len(s))
	return b.String(), at
}

// digitValue is the value of a decimal digit: Unicode's decimal digits
// come in runs of ten from zero (some runs follow each other).
func digitValue(r rune) int {
	z := r
	for unicode.IsDigit(z - 1) {
		z--
	}
	return int(r-z) % 10
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}
