package phone

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeAcceptsHowPeopleWriteNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw, region, want string
	}{
		{"Swedish mobile with dashes and spaces", "070-123 45 67", "SE", "+46701234567"},
		{"Swedish mobile, digits only", "0701234567", "SE", "+46701234567"},
		{"Swedish mobile with 00 46", "0046 70 123 45 67", "SE", "+46701234567"},
		{"Swedish mobile with +46 and (0)", "+46 (0)70 1234567", "SE", "+46701234567"},
		{"Swedish mobile with +46", "+46701234567", "SE", "+46701234567"},
		{"country code without + (spreadsheet)", "46701234567", "SE", "+46701234567"},
		{"trunk 0 lost (spreadsheet)", "701234567", "SE", "+46701234567"},
		{"Stockholm landline international", "+46 8 123 456 78", "SE", "+46812345678"},
		{"Stockholm landline national", "08-123 456 78", "SE", "+46812345678"},
		{"Gothenburg landline", "031-123 45 67", "SE", "+46311234567"},
		{"dots and slashes", "070.123.45.67", "SE", "+46701234567"},
		{"slash after area code", "070/1234567", "SE", "+46701234567"},
		{"non-breaking spaces", "070\u00a0123\u00a045\u00a067", "SE", "+46701234567"},
		{"en dash", "070\u2013123 45 67", "SE", "+46701234567"},
		{"Arabic-Indic digits", "٠٧٠١٢٣٤٥٦٧", "SE", "+46701234567"},
		{"surrounding spaces", "  070 123 45 67 ", "SE", "+46701234567"},
		{"lower-case region", "070-123 45 67", "se", "+46701234567"},
		{"UK with +", "+44 20 7946 0958", "SE", "+442079460958"},
		{"UK with 00", "0044 20 7946 0958", "SE", "+442079460958"},
		{"US with +", "+1 (415) 555-2671", "SE", "+14155552671"},
		{"Finland", "+358 40 1234567", "SE", "+358401234567"},
		{"Somalia", "+252 61 5123456", "SE", "+252615123456"},
		{"Norway with 00", "0047 412 34 567", "SE", "+4741234567"},
		{"no default region, +", "+46 70 123 45 67", "", "+46701234567"},
		{"no default region, 00", "0046 70 123 45 67", "", "+46701234567"},
		{"Norwegian default region", "412 34 567", "NO", "+4741234567"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Normalize(tt.raw, tt.region)
			if err != nil || got != tt.want {
				t.Errorf("Normalize(%q, %q) = %q, %v; want %q", tt.raw, tt.region, got, err, tt.want)
			}
		})
	}
}

func TestNormalizeRejectsWithAReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw, region string
		want              Code
	}{
		{"empty", "", "SE", CodeEmpty},
		{"spaces", "   ", "SE", CodeEmpty},
		{"a word", "saknas", "SE", CodeJunk},
		{"a dash", "-", "SE", CodeJunk},
		{"letters in the number", "070-FLOWERS", "SE", CodeJunk},
		{"an e-mail", "anna@example.se", "SE", CodeJunk},
		{"spreadsheet exponent", "4.67012E+10", "SE", CodeJunk},
		{"plus in the middle", "070+1234567", "SE", CodeJunk},
		{"two numbers", "070-1234567, 070-7654321", "SE", CodeJunk},
		{"tel: URL", "tel:+46701234567", "SE", CodeJunk},
		{"too short", "12345", "SE", CodeTooShort},
		{"one digit", "7", "SE", CodeTooShort},
		{"too short international", "+46 70", "SE", CodeTooShort},
		{"too long for Sweden", "+46 70 123 45 67 89", "SE", CodeTooLong},
		{"absurdly long", strings.Repeat("1", 60), "SE", CodeTooLong},
		{"Swedish mobile one digit short", "+46 70 123 456", "SE", CodeInvalid},
		{"country code without + but too short", "4670123456", "SE", CodeInvalid},
		{"national with extra digits", "0701234567890", "SE", CodeInvalid},
		{"unknown country code", "+999 123 456 789", "SE", CodeInvalid},
		{"unassigned Swedish range", "+46 10 000 00 00", "SE", CodeInvalid},
		{"extension", "08-123 456 78 ext 12", "SE", CodeExtension},
		{"Swedish extension", "08-123 456 78 ankn. 12", "SE", CodeExtension},
		{"national without region", "070-123 45 67", "", CodeNoCountry},
		{"unknown region", "070-123 45 67", "XX", CodeBadRegion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Normalize(tt.raw, tt.region)
			if err == nil {
				t.Fatalf("Normalize(%q, %q) = %q; want error %s", tt.raw, tt.region, got, tt.want)
			}
			if CodeOf(err) != tt.want {
				t.Errorf("Normalize(%q, %q) error = %v; want code %s", tt.raw, tt.region, err, tt.want)
			}
			if !errors.Is(err, &Error{Code: tt.want}) {
				t.Errorf("errors.Is(%v, code %s) = false", err, tt.want)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(tt.raw)) && len(strings.TrimSpace(tt.raw)) > 6 {
				t.Errorf("error %q repeats the number, which is personal data", err)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"070-123 45 67", "+46 (0)70 1234567", "0046 70 123 45 67", "46701234567", "x", "+", "00", "ext 1", "٠٧٠", "+46 8 123 456 78;ext=12"} {
		f.Add(s, "SE")
	}
	f.Add("+1 415 555 2671", "")
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := Normalize(raw, region)
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("Normalize(%q, %q): error without a code: %v", raw, region, err)
			}
			return
		}
		if !strings.HasPrefix(got, "+") || len(got) > 16 {
			t.Fatalf("Normalize(%q, %q) = %q, not E.164", raw, region, got)
		}
		// Normalising is idempotent: an E.164 number comes back unchanged.
		again, err := Normalize(got, region)
		if err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}
