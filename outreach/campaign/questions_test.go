package campaign

import (
	"strings"
	"testing"

	"megafon/platform/problem"
)

func vaccinationQuestion() Question {
	return Question{Kind: Choice, Text: "Var får du information?", Choices: []string{"SMS", "Vårdcentralen"}}
}

func TestATranslationIsStaleOnceTheSwedishChanges(t *testing.T) {
	t.Parallel()
	q := vaccinationQuestion()
	q.Translations = map[string]QuestionTranslation{"en": {Text: "Where do you get information?", Choices: []string{"Text message", "Health centre"}, Checked: true, Source: q.SourceHash()}}
	if _, ok := q.Fresh("en"); !ok || q.Stale("en") {
		t.Fatal("a translation of the present Swedish is not fresh")
	}
	w := q.In("en")
	if w.Lang != "en" || w.Dir != "ltr" || w.Fallback || w.Choices[1].Value != "Vårdcentralen" || !strings.Contains(string(w.Choices[1].HTML), "Health centre") {
		t.Errorf("in English: %+v", w)
	}
	for name, change := range map[string]func(*Question){
		"text":         func(q *Question) { q.Text = "Var får du mest information?" },
		"a choice":     func(q *Question) { q.Choices[1] = "Apoteket" },
		"a new choice": func(q *Question) { q.Choices = append(q.Choices, "TV") },
		"the kind":     func(q *Question) { q.Kind = Short },
	} {
		c := q
		c.Choices = append([]string(nil), q.Choices...)
		change(&c)
		if _, ok := c.Fresh("en"); ok || !c.Stale("en") {
			t.Errorf("after a change of %s the translation is still fresh", name)
		}
		if w := c.In("en"); w.Lang != "sv" || w.Dir != "ltr" || !w.Fallback {
			t.Errorf("after a change of %s the question is not shown in Swedish: %+v", name, w)
		}
	}
	if w := q.In("ar"); w.Lang != "sv" || !w.Fallback {
		t.Errorf("with no Arabic: %+v", w)
	}
	if w := q.In("sv"); w.Lang != "sv" || w.Fallback {
		t.Errorf("in Swedish: %+v", w)
	}
}

func TestATranslationIsCheckedWithTheLimitsOfTheSwedish(t *testing.T) {
	t.Parallel()
	qs := []Question{vaccinationQuestion(), {Kind: YesNo, Text: "Vill du ha hjälp?"}}
	tests := []struct {
		name  string
		draft QuestionsDraft
		want  []string // fields with a problem
	}{
		{"a whole translation", QuestionsDraft{Lang: "ar", Texts: map[int]string{0: "من أين تحصل على المعلومات؟", 1: " هل تريد المساعدة؟ "}, Choices: map[int][]string{0: {"رسالة", "المركز الصحي"}}}, nil},
		{"one question left for later", QuestionsDraft{Lang: "so", Texts: map[int]string{1: "Ma rabtaa caawimaad?"}}, nil},
		{"Swedish is the source", QuestionsDraft{Lang: "sv", Texts: map[int]string{1: "Hjälp?"}}, []string{"lang"}},
		{"not an interface language", QuestionsDraft{Lang: "fr", Texts: map[int]string{}}, []string{"lang"}},
		{"a choice missing", QuestionsDraft{Lang: "en", Texts: map[int]string{0: "Where?"}, Choices: map[int][]string{0: {"Text"}}}, []string{"t0_c1"}},
		{"too long", QuestionsDraft{Lang: "en", Texts: map[int]string{1: strings.Repeat("a", maxQuestionRunes+1)}}, []string{"t1_text"}},
		{"two lines", QuestionsDraft{Lang: "en", Texts: map[int]string{1: "Help?\nNow?"}, TranslatedBy: "Anna\tB"}, []string{"translated_by", "t1_text"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.draft.Clean(qs)
			var got []string
			if l, ok := problem.As(err); ok {
				for _, p := range l {
					got = append(got, p.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("problems with %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSavingOneLanguageKeepsTheOthersAndAnEmptyQuestionDropsIts(t *testing.T) {
	t.Parallel()
	qs := []Question{vaccinationQuestion(), {Kind: YesNo, Text: "Vill du ha hjälp?"}}
	en := QuestionsDraft{Lang: "en", Checked: true, TranslatedBy: "Anna", Texts: map[int]string{0: "Where?", 1: "Help?"}, Choices: map[int][]string{0: {"Text", "Health centre"}}}
	qs = en.Apply(qs)
	ar := QuestionsDraft{Lang: "ar", Texts: map[int]string{1: "مساعدة؟"}, Sources: map[int]string{1: "0123456789abcdef"}}
	qs = ar.Apply(qs)
	if t0, ok := qs[0].Fresh("en"); !ok || !t0.Checked || t0.TranslatedBy != "Anna" || t0.Choices[1] != "Health centre" {
		t.Errorf("English lost: %+v", qs[0].Translations)
	}
	if _, ok := qs[0].Translations["ar"]; ok {
		t.Error("an Arabic translation of a question left empty")
	}
	// Made from a Swedish that is no longer the question's: stale at once.
	if !qs[1].Stale("ar") {
		t.Error("a translation of other Swedish is fresh")
	}
	edited := []Question{{Kind: YesNo, Text: "Ny fråga?"}, {Kind: YesNo, Text: "Vill du ha hjälp?"}, qs[0]}
	edited[2].Translations = nil
	kept := KeepTranslations(qs, edited)
	if _, ok := kept[2].Fresh("en"); !ok {
		t.Error("a moved question lost its translation")
	}
	if _, ok := kept[1].Fresh("en"); !ok {
		t.Error("an unchanged question lost its translation")
	}
	if !kept[0].Stale("en") {
		t.Error("a new question in an old one's place has a fresh translation")
	}
}
