package redact

import (
	"strings"
	"testing"
)

func TestTextMasksWhatIdentifiesAPerson(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want string
		found    Found
	}{
		{"Mitt personnummer är 850709-9805, hjälp", "Mitt personnummer är [personnummer], hjälp", Found{Identity: true}},
		{"pnr 198507099805.", "pnr [personnummer].", Found{Identity: true}},
		{"samordningsnummer 850769-9801", "samordningsnummer [personnummer]", Found{Identity: true}},
		{"ring 070-123 45 67 i kväll", "ring [telefonnummer] i kväll", Found{Phone: true}},
		{"+46 70 123 45 67", "[telefonnummer]", Found{Phone: true}},
		{"0046701234567 eller 08-123 456 78", "[telefonnummer] eller [telefonnummer]", Found{Phone: true}},
		{"mejla amina.h@exempel.se tack", "mejla [e-post] tack", Found{Email: true}},
		{"رقمي 0731234567 شكرا", "رقمي [telefonnummer] شكرا", Found{Phone: true}},
		{"رقمي ٠٧٣١٢٣٤٥٦٧ شكرا", "رقمي [telefonnummer] شكرا", Found{Phone: true}},
		{"الرقم ٨٥٠٧٠٩-٩٨٠٥", "الرقم [personnummer]", Found{Identity: true}},
		// Written as people write them.
		{"070\u00a0123\u00a045\u00a067", "[telefonnummer]", Found{Phone: true}},
		{"070/1234567", "[telefonnummer]", Found{Phone: true}},
		{"070\u2011123\u201145\u201167", "[telefonnummer]", Found{Phone: true}},
		{"0 7 3 1 2 3 4 5 6 7", "[telefonnummer]", Found{Phone: true}},
		{"19850101 - 1234", "[personnummer]", Found{Identity: true}},
		{"19850101\u20101234", "[personnummer]", Found{Identity: true}},
		{"85 01 01-1234", "[personnummer]", Found{Identity: true}},
		{"1985-01-01-1234", "[personnummer]", Found{Identity: true}},
		{"anna@example", "[e-post]", Found{Email: true}},
		{"anna(at)example.com", "[e-post]", Found{Email: true}},
		{"anna [at] example [dot] com", "[e-post]", Found{Email: true}},
		// Not personal: dates, years, amounts, the public numbers.
		{"Vaccinet 2021-03-15, dos 2", "Vaccinet 2021-03-15, dos 2", Found{}},
		{"mellan 2020 och 2021, 100 000 kr", "mellan 2020 och 2021, 100 000 kr", Found{}},
		{"ring 1177 eller 112", "ring 1177 eller 112", Found{}},
	} {
		got, found := Text(c.in)
		if got != c.want || found != c.found {
			t.Errorf("Text(%q) = %q, %+v; want %q, %+v", c.in, got, found, c.want, c.found)
		}
	}
}

func TestTextLeavesNoDigitsOfAMaskedNumber(t *testing.T) {
	t.Parallel()
	in := "a 19850709-9805 b 0701234567 c"
	got, _ := Text(in)
	for _, d := range []string{"9805", "1234567", "850709"} {
		if strings.Contains(got, d) {
			t.Errorf("Text(%q) = %q keeps %q", in, got, d)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("850709-9805 070-1234567 a@b.se")
	f.Fuzz(func(t *testing.T, s string) {
		out, found := Text(s)
		again, twice := Text(out)
		if again != out || twice.Any() {
			t.Errorf("masking %q twice changed it: %q → %q", s, out, again)
		}
		_ = found
	})
}
