package process

import (
	"net/mail"
	"strings"

	"megafon/platform/problem"
)

// MaxInvitations is how many e-mail invitations one form may send: a
// workshop's worth, not a mailing list.
const MaxInvitations = 200

// ParseAddresses reads the e-mail addresses a facilitator pasted, one a
// line or separated by commas, semicolons or spaces, with or without names
// ("Sara <sara@example.se>"), without repeats. A wrong address is refused
// by name, so that nobody is silently left out.
func ParseAddresses(text string) ([]string, error) {
	var fields []string
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if list, err := mail.ParseAddressList(strings.ReplaceAll(line, ";", ",")); err == nil {
			for _, a := range list {
				fields = append(fields, a.Address)
			}
			continue
		}
		fields = append(fields, strings.FieldsFunc(line, func(r rune) bool {
			return r == ',' || r == ';' || r == ' ' || r == '\t'
		})...)
	}
	seen := map[string]bool{}
	var out, bad []string
	for _, f := range fields {
		a, err := mail.ParseAddress(f)
		if err != nil || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@')+1:], ".") {
			bad = append(bad, f)
			continue
		}
		key := strings.ToLower(a.Address)
		if !seen[key] {
			seen[key] = true
			out = append(out, a.Address)
		}
	}
	switch {
	case len(bad) > 0:
		if len(bad) > 5 {
			bad = append(bad[:5], "…")
		}
		return nil, problem.Field("emails", "cc.error.bad_emails", "List", strings.Join(bad, ", "))
	case len(out) == 0:
		return nil, problem.Field("emails", "cc.error.no_emails")
	case len(out) > MaxInvitations:
		return nil, problem.Field("emails", "cc.error.many_emails", "Max", MaxInvitations, "N", len(out))
	}
	return out, nil
}
