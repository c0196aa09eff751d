package handbook

import (
	"reflect"
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFoldForSearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, in, want string
	}{
		// Swedish: case, and å ä ö folded to a a o on purpose.
		{"sv", "Får jag träffa mormor?", "far jag traffa mormor?"},
		{"sv", "ÖPPETTIDER på Vårdcentralen", "oppettider pa vardcentralen"},
		{"sv", "Vaccination mot covid\u201119", "vaccination mot covid\u201019"}, // non-breaking hyphen
		{"sv", "Smittskydd\u00a0Stockholm", "smittskydd stockholm"},              // no-break space
		{"sv", "För\u00adsäkrings\u00adkassan", "forsakringskassan"},             // soft hyphens

		// English.
		{"en", "Fever AND Cough", "fever and cough"},
		{"en", "naïve café résumé", "naive cafe resume"},
		{"en", "ﬁle Ｆｕｌｌ", "file full"}, // ligature, full-width
		{"en", "Don’t panic", "dont panic"},

		// Arabic: harakat, tatweel, alef forms, ta marbuta, alef maqsura, hamza carriers.
		{"ar", "الْكِمَامَةُ", "الكمامه"},
		{"ar", "إصابة", "اصابه"},
		{"ar", "أعراض", "اعراض"},
		{"ar", "آلام", "الام"},
		{"ar", "ٱلصلاة", "الصلاه"},
		{"ar", "مستشفى", "مستشفي"},
		{"ar", "كـــورونا", "كورونا"},
		{"ar", "مسؤول رئيس", "مسوول رييس"},
		{"ar", "اتصل بـ ١١٧٧", "اتصل ب 1177"},
		{"ar", "ﻻ ﺷﻜﺮﺍ", "لا شكرا"},          // presentation forms
		{"ar", "\u200fمرحبا\u200e", "مرحبا"}, // direction marks from copied text
		{"ar", "اللّٰه", "الله"},             // shadda and superscript alef

		// Dari: Persian keheh and yeh meet the Arabic letters; ZWNJ; Persian digits; ezafe hamza.
		{"prs", "واکسین کرونا", "واكسين كرونا"},
		{"prs", "می‌خواهم", "ميخواهم"},
		{"prs", "شماره ۱۱۷۷", "شماره 1177"},
		{"prs", "خانهٔ ما", "خانه ما"},
		{"prs", "ۀ", "ه"},

		// Somali: Latin, the glottal stop apostrophe in any form.
		{"so", "Su'aal ku saabsan CAAFIMAADKA", "suaal ku saabsan caafimaadka"},
		{"so", "Su’aal", "suaal"},
		{"so", "Suʼaal", "suaal"},
		{"so", "'tallaal'", "'tallaal'"}, // quotes around a word stay

		// Tigrinya: Ethiopic comes out unchanged.
		{"ti", "ክታበት ኮቪድ-19 ብናጻ እዩ።", "ክታበት ኮቪድ-19 ብናጻ እዩ።"},
		{"ti", "ሰላም፡ኣደ", "ሰላም፡ኣደ"},
		{"ti", "ሕማም ኮሮና ምልክታት፧", "ሕማም ኮሮና ምልክታት፧"},

		// Others that must not break.
		{"de", "STRASSE Straße", "strasse strasse"},
		{"el", "ΣΟΦΙΑ σοφίας", "σοφια σοφιασ"},
		{"tr", "İstanbul", "istanbul"},
		{"hi", "नमस्ते", "नमस्ते"}, // Devanagari vowel signs and virama are kept
		{"", "", ""},
		{"", "\xff\xfeabc", "\ufffdabc"},
	}
	for _, tt := range tests {
		if got := FoldForSearch(tt.in); got != tt.want {
			t.Errorf("%s: FoldForSearch(%q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

func TestArabicAndDariSpellingsOfAWordMeet(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{"كرونا", "کرونا"},        // Arabic kaf, Persian keheh
		{"واكسين", "واکسین"},      // and Farsi yeh
		{"مدرسة", "مدرسه"},        // ta marbuta or heh
		{"أطفال", "اطفال"},        // with or without hamza
		{"مُسْتَشْفَى", "مستشفي"}, // vowelled or not, alef maqsura or yeh
	}
	for _, p := range pairs {
		if a, b := FoldForSearch(p[0]), FoldForSearch(p[1]); a != b {
			t.Errorf("%q → %q but %q → %q", p[0], a, p[1], b)
		}
	}
}

func TestEveryEthiopicCharacterSurvives(t *testing.T) {
	t.Parallel()
	for _, tab := range []*unicode.RangeTable{unicode.Ethiopic} {
		for _, rg := range tab.R16 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				if s := string(r); FoldForSearch(s) != s {
					t.Errorf("U+%04X %s became %q", r, s, FoldForSearch(s))
				}
			}
		}
		for _, rg := range tab.R32 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				if s := string(r); FoldForSearch(s) != s {
					t.Errorf("U+%04X %s became %q", r, s, FoldForSearch(s))
				}
			}
		}
	}
}

func TestTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, query string
		want        []string
	}{
		{"sv", "Får jag träffa mormor?", []string{"far", "jag", "traffa", "mormor"}},
		{"sv", "  ÖPPET, öppet!! ", []string{"oppet"}},
		{"sv", "covid-19 vaccin", []string{"covid", "19", "vaccin"}},
		{"en", "fever & cough: what to do", []string{"fever", "cough", "what", "to", "do"}},
		{"ar", "ما هي أعراض كورونا؟", []string{"ما", "هي", "اعراض", "كورونا"}},
		{"ar", "الْكِمَامَةُ، ضرورية.", []string{"الكمامه", "ضروريه"}},
		{"prs", "می‌خواهم واکسین بزنم", []string{"ميخواهم", "واكسين", "بزنم"}},
		{"prs", "۱۱۷۷", []string{"1177"}},
		{"so", "Su'aal: tallaalka COVID", []string{"suaal", "tallaalka", "covid"}},
		{"ti", "ክታበት ኮቪድ-19፧", []string{"ክታበት", "ኮቪድ", "19"}},
		{"ti", "ሰላም፡ኣደ።", []string{"ሰላም", "ኣደ"}},
		{"hi", "नमस्ते दुनिया", []string{"नमस्ते", "दुनिया"}},
		{"", "", nil},
		{"", "!!! ... ؟", nil},
		{"", "\u0301", nil}, // a lone accent is no word
	}
	for _, tt := range tests {
		if got := Terms(tt.query); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Terms(%q) = %q, want %q", tt.lang, tt.query, got, tt.want)
		}
	}
}

func FuzzFoldForSearch(f *testing.F) {
	for _, s := range []string{
		"Får jag träffa mormor?", "الْكِمَامَةُ", "می‌خواهم ۱۱۷۷", "Su'aal", "ክታበት ኮቪድ-19።",
		"ﬁ Ｆ ß İ ΣΑΣ", "a'\u0301b", "\xff", "ﻻ", "e\u0301\u0327", "ᄀ'ᅡ", "\u0654", "ـ'ـ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := FoldForSearch(s)
		if !utf8.ValidString(once) {
			t.Fatalf("FoldForSearch(%q) = %q is not valid UTF-8", s, once)
		}
		if twice := FoldForSearch(once); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", s, once, twice)
		}
		terms := Terms(s)
		if !slices.Equal(terms, Terms(once)) {
			t.Fatalf("Terms(%q) = %q but Terms(folded) = %q", s, terms, Terms(once))
		}
		for _, term := range terms {
			if term == "" || FoldForSearch(term) != term {
				t.Fatalf("Terms(%q) gave %q, which is not folded", s, term)
			}
		}
	})
}
