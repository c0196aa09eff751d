package process_test

import (
	"strconv"
	"strings"
	"testing"

	"megafon/cocreation/internal/cctest"
	"megafon/cocreation/process"
)

func TestParseAddresses(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
		problem  string
	}{
		{"one a line", "sara@example.se\nali@example.se\n", []string{"sara@example.se", "ali@example.se"}, ""},
		{"commas, semicolons and spaces", "a@x.se, b@x.se; c@x.se d@x.se", []string{"a@x.se", "b@x.se", "c@x.se", "d@x.se"}, ""},
		{"pasted from a mail program", "Sara Ek <sara@example.se>; \"Ali, A\" <ali@example.se>", []string{"sara@example.se", "ali@example.se"}, ""},
		{"repeats once, whatever the case", "a@x.se\nA@X.SE\n a@x.se ", []string{"a@x.se"}, ""},
		{"a wrong address refuses all", "a@x.se\nnot-an-address\nb@localhost", nil, "cc.error.bad_emails"},
		{"nothing", " \n ,; ", nil, "cc.error.no_emails"},
		{"too many", strings.Repeat("x@y.se\n", 1) + manyAddresses(process.MaxInvitations+1), nil, "cc.error.many_emails"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := process.ParseAddresses(c.in)
			if key := cctest.ProblemKey(err); key != c.problem {
				t.Fatalf("problem %q, want %q (%v)", key, c.problem, err)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func manyAddresses(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("p" + strings.Repeat("a", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i) + "@example.se\n")
	}
	return b.String()
}

// FuzzParseAddresses: whatever is pasted, no panic, and what comes back is
// either a problem or 1..MaxInvitations distinct addresses with an @.
func FuzzParseAddresses(f *testing.F) {
	for _, s := range []string{"a@x.se", "Sara <s@x.se>; b@x.se", "\"a,b\" <c@d.se>", "<>", "@", "a@b@c", "\x00\xff", "a@x.se\r\nb@x.se"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := process.ParseAddresses(in)
		if err != nil {
			if got != nil {
				t.Fatalf("addresses with a problem: %q", got)
			}
			return
		}
		if len(got) == 0 || len(got) > process.MaxInvitations {
			t.Fatalf("%d addresses", len(got))
		}
		seen := map[string]bool{}
		for _, a := range got {
			if !strings.Contains(a, "@") || strings.ContainsAny(a, "\r\n") || seen[strings.ToLower(a)] {
				t.Fatalf("address %q in %q", a, got)
			}
			seen[strings.ToLower(a)] = true
		}
	})
}
