package importfile

import (
	"strings"
	"unicode"

	"golang.org/x/text/language"
)

// languageNames maps what people write in a "Språk" column to a BCP 47
// tag: Swedish and English names and a few endonyms of the languages
// Swedish cities' outreach has used most, and Sweden's national minority
// languages. Keys are lower case with accents folded (see foldAccents).
// Anything else must be a BCP 47 tag ("ar", "so", "fa-AF").
var languageNames = map[string]string{
	"svenska": "sv", "swedish": "sv",
	"engelska": "en", "english": "en",
	"arabiska": "ar", "arabic": "ar", "العربية": "ar", "عربي": "ar",
	"somaliska": "so", "somali": "so", "soomaali": "so", "af-soomaali": "so",
	"persiska": "fa", "farsi": "fa", "persian": "fa", "فارسی": "fa",
	"dari": "prs", "دری": "prs",
	"pashto": "ps", "pashtu": "ps", "pushtu": "ps", "پښتو": "ps",
	"tigrinja": "ti", "tigrinya": "ti", "ትግርኛ": "ti",
	"amhariska": "am", "amharic": "am", "አማርኛ": "am",
	"kurdiska": "ku", "kurdish": "ku", "kurdi": "ku",
	"sorani": "ckb", "kurmanji": "kmr", "kurmandji": "kmr",
	"turkiska": "tr", "turkish": "tr", "turkce": "tr",
	"bosniska": "bs", "bosnian": "bs",
	"serbiska": "sr", "serbian": "sr",
	"kroatiska": "hr", "croatian": "hr",
	"polska": "pl", "polish": "pl", "polski": "pl",
	"ryska": "ru", "russian": "ru", "русский": "ru",
	"ukrainska": "uk", "ukrainian": "uk", "українська": "uk",
	"finska": "fi", "finnish": "fi", "suomi": "fi",
	"meankieli": "fit",
	"samiska":   "se", "nordsamiska": "se", "sami": "se", "northern sami": "se",
	"romani": "rom", "romska": "rom", "romani chib": "rom",
	"jiddisch": "yi", "yiddish": "yi",
	"spanska": "es", "spanish": "es", "espanol": "es",
	"franska": "fr", "french": "fr", "francais": "fr",
	"tyska": "de", "german": "de", "deutsch": "de",
	"portugisiska": "pt", "portuguese": "pt",
	"thai": "th", "thailandska": "th",
	"vietnamesiska": "vi", "vietnamese": "vi",
	"kinesiska": "zh", "chinese": "zh", "mandarin": "zh",
	"kantonesiska": "yue", "cantonese": "yue",
	"urdu": "ur", "hindi": "hi",
	"bengali": "bn", "bengaliska": "bn", "bangla": "bn",
	"tamil": "ta", "tamilska": "ta",
	"albanska": "sq", "albanian": "sq", "shqip": "sq",
	"rumanska": "ro", "romanian": "ro",
	"grekiska": "el", "greek": "el",
	"swahili": "sw", "oromo": "om", "oromiska": "om",
	"assyriska": "aii", "assyrian": "aii", "syrianska": "tru", "turoyo": "tru",
}

// fillerWords join languages in a sentence and are not languages.
var fillerWords = map[string]bool{"och": true, "and": true, "samt": true, "eller": true, "or": true}

// ParseLanguages reads a cell of languages: names from a small table or BCP
// 47 tags, separated by commas, semicolons, slashes, "och"/"and" or
// spaces ("Arabiska, somaliska", "ar;so", "Bosniska/Kroatiska/Serbiska").
// It returns the canonical tags and the words it did not understand.
func ParseLanguages(s string) (tags, unknown []string) {
	add := func(t string) {
		if !contains(tags, t) {
			tags = append(tags, t)
		}
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",;/|&+\n\r、،؛", r) })
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		// The whole part first, for names of more than one word.
		if t, ok := lookupLanguage(part); ok {
			add(t)
			continue
		}
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("().:", r) }) {
			if fillerWords[strings.ToLower(w)] {
				continue
			}
			if t, ok := lookupLanguage(w); ok {
				add(t)
			} else {
				unknown = append(unknown, w)
			}
		}
	}
	return tags, unknown
}

// lookupLanguage returns the tag for a name in languageNames or a BCP 47
// tag of a known language.
func lookupLanguage(s string) (string, bool) {
	key := foldAccents(strings.ToLower(strings.Join(strings.Fields(s), " ")))
	if t, ok := languageNames[key]; ok {
		return t, true
	}
	tag, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	// Parse accepts "und" and private-use tags ("x-abc"); a caller needs a
	// real language.
	if base, conf := tag.Base(); conf != language.Exact || base.String() == "und" {
		return "", false
	}
	return tag.String(), true
}

// accentFolder folds the accents Swedish and other headers and language
// names are written with or without.
var accentFolder = strings.NewReplacer(
	"å", "a", "ä", "a", "ö", "o", "é", "e", "è", "e", "ü", "u", "ç", "c",
	"ñ", "n", "á", "a", "í", "i", "ó", "o", "ø", "o", "æ", "a", "ş", "s", "ı", "i",
)

func foldAccents(s string) string { return accentFolder.Replace(s) }
