// Package phone turns the phone numbers people type, paste and export from
// spreadsheets into E.164 ("+46701234567"), the one form Megafon stores,
// hashes and dials. It wraps github.com/nyaruka/phonenumbers (Google's
// libphonenumber metadata) and adds the habits of Swedish contact lists.
//
// Accepted, with default region "SE":
//
//	070-123 45 67        national, with the trunk 0
//	0046 70 123 45 67    international, with Sweden's 00 prefix
//	+46 (0)70 1234567    international, with the trunk 0 in brackets
//	+46 8 123 456 78     a Stockholm landline
//	46701234567          the country code without + or 00 (see below)
//	701234567            the trunk 0 lost (see below)
//	+44 20 7946 0958     foreign numbers with + or 00
//
// A number written with the country code but without + or 00 is accepted
// when the rest is a valid number of the default region, because that is
// what a spreadsheet shows after it stored "+46701234567" as a number. For
// the same reason a number whose trunk 0 was dropped ("701234567") is
// accepted. Both rules come from libphonenumber and only apply when the
// result is a valid number: "4670123456" is rejected.
//
// Rejected with an *Error whose Code says why: empty input, letters or
// other junk, numbers too short or too long for their country, numbers
// that are not valid (not assigned in the numbering plan), and numbers
// with an extension, which a volunteer cannot dial from a mobile phone.
package phone

import (
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Code is the stable, machine-readable reason a number was rejected. The
// web layer translates it; it never changes once released.
type Code string

// The reasons a number is rejected.
const (
	CodeEmpty     Code = "empty"        // nothing but spaces
	CodeJunk      Code = "not_a_number" // letters or other characters that are not part of a phone number
	CodeTooShort  Code = "too_short"    // too few digits for the country
	CodeTooLong   Code = "too_long"     // too many digits for the country, or absurdly long input
	CodeInvalid   Code = "invalid"      // the right length, but not a number in use in that country
	CodeExtension Code = "extension"    // has an extension, which cannot be dialled from a mobile
	CodeNoCountry Code = "no_country"   // no + or 00, and no default region to read it in
	CodeBadRegion Code = "bad_region"   // the default region is not a known region code
)

// Error is a rejected phone number: a stable Code and a Reason in English
// for logs. It never contains the number itself, which is personal data.
type Error struct {
	Code   Code
	Reason string
	Err    error // the library's error, when there is one
}

func (e *Error) Error() string {
	s := "phone: " + string(e.Code)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &phone.Error{Code: phone.CodeInvalid}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// CodeOf returns the Code of the *Error in err's chain, or "".
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// maxInput bounds the raw input: the longest E.164 number has 15 digits,
// so 40 characters leave room for every spacing people use.
const maxInput = 40

// Normalize returns raw as an E.164 number ("+46701234567"). A number
// without + or 00 is read as a number of defaultRegion, an ISO 3166 code
// such as "SE"; with defaultRegion "" only international numbers are
// accepted. The error is an *Error.
func Normalize(raw, defaultRegion string) (string, error) {
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	if region != "" && phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return "", &Error{Code: CodeBadRegion, Reason: fmt.Sprintf("unknown region %q", defaultRegion)}
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", &Error{Code: CodeEmpty, Reason: "no number"}
	}
	if len(s) > maxInput {
		return "", &Error{Code: CodeTooLong, Reason: fmt.Sprintf("more than %d characters", maxInput)}
	}
	if err := checkCharacters(s); err != nil {
		return "", err
	}
	if region == "" && !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "00") {
		return "", &Error{Code: CodeNoCountry, Reason: "no country code and no default region"}
	}
	if region == "" {
		// The library needs a region to understand 00; without one, 00 is
		// the international prefix of most of the world.
		s = "+" + strings.TrimPrefix(s, "00")
	}
	n, err := phonenumbers.Parse(digitsOnly(s), region)
	if err != nil {
		return "", parseError(err)
	}
	if n.GetExtension() != "" {
		return "", &Error{Code: CodeExtension, Reason: "has an extension"}
	}
	switch phonenumbers.IsPossibleNumberWithReason(n) {
	case phonenumbers.TOO_SHORT:
		return "", &Error{Code: CodeTooShort, Reason: "too few digits for the country"}
	case phonenumbers.TOO_LONG:
		return "", &Error{Code: CodeTooLong, Reason: "too many digits for the country"}
	case phonenumbers.INVALID_LENGTH:
		return "", lengthError(n)
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "", &Error{Code: CodeInvalid, Reason: "unknown country code"}
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", &Error{Code: CodeInvalid, Reason: "not a number in use in its country"}
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// extension matches an extension at the end of a number: "ext 12",
// "x12", "ankn. 12".
var extension = regexp.MustCompile(`(?i)(ext|x|ankn|anknytning)\.?\s*\d+\s*$`)

// checkCharacters rejects anything but digits (of any script, so that
// Arabic-Indic digits work) and the punctuation people put in numbers.
// Without it the library would read letters as a keypad ("070-FLOWERS").
func checkCharacters(s string) error {
	if extension.MatchString(s) {
		return &Error{Code: CodeExtension, Reason: "has an extension"}
	}
	digits := 0
	for i, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case r == '+':
			if i != 0 {
				return &Error{Code: CodeJunk, Reason: "a + that is not at the start"}
			}
		case strings.ContainsRune(" -()./\u00a0\u2010\u2011\u2012\u2013\u2212", r):
		default:
			return &Error{Code: CodeJunk, Reason: fmt.Sprintf("unexpected character %q", r)}
		}
	}
	if digits == 0 {
		return &Error{Code: CodeJunk, Reason: "no digits"}
	}
	return nil
}

// digitsOnly keeps the leading + and the digits (of any script: the
// library reads them). checkCharacters has let only punctuation through
// besides, and the library parses a bare number faster.
func digitsOnly(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if unicode.IsDigit(r) || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lengthError says whether a number whose length its country never uses
// has too many digits (a shorter number would be possible) or too few.
func lengthError(n *phonenumbers.PhoneNumber) error {
	nsn := n.GetNationalNumber()
	for shorter := nsn / 10; shorter > 0; shorter /= 10 {
		m := &phonenumbers.PhoneNumber{CountryCode: n.CountryCode, NationalNumber: &shorter}
		if phonenumbers.IsPossibleNumber(m) {
			return &Error{Code: CodeTooLong, Reason: "too many digits for the country"}
		}
	}
	return &Error{Code: CodeTooShort, Reason: "too few digits for the country"}
}

// parseError turns the library's parse errors into our codes.
func parseError(err error) error {
	switch {
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD),
		errors.Is(err, phonenumbers.ErrNotANumber):
		// checkCharacters has already let only digits and punctuation
		// through, so "not a number" here means too few digits.
		return &Error{Code: CodeTooShort, Reason: "too few digits", Err: err}
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return &Error{Code: CodeTooLong, Reason: "too many digits", Err: err}
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return &Error{Code: CodeInvalid, Reason: "unknown country code", Err: err}
	default:
		return &Error{Code: CodeJunk, Reason: "not a phone number", Err: err}
	}
}

// TelURI is a number as a tel: link for a template, digits and a leading +
// only. html/template would otherwise refuse the tel: scheme as unsafe.
func TelURI(number string) template.URL {
	var b strings.Builder
	for i, r := range number {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}
