package handbook

import (
	"testing"

	"megafon/platform/i18n"
)

// FuzzEntryDraftClean feeds the entry form's language tags and titles to
// Clean: it never panics, and a draft it accepts has a Swedish title and
// only canonical, distinct tags.
func FuzzEntryDraftClean(f *testing.F) {
	f.Add("sv", "Rubrik", "ar", "عنوان")
	f.Add("SV", " ", "prs-AF", "x")
	f.Add("sv", "x", "klingon!!", "y")
	f.Add("sv", "x", "sv", "y")
	f.Fuzz(func(t *testing.T, lang1, title1, lang2, title2 string) {
		d := EntryDraft{Kind: QA, ValidUntil: "2021-12-31", Translations: []Translation{{Lang: lang1, Title: title1}, {Lang: lang2, Title: title2}}}
		if d.Clean() != nil {
			return
		}
		seen := map[string]bool{}
		hasSwedish := false
		for _, tr := range d.Translations {
			canon, err := i18n.NormalizeTag(tr.Lang)
			if err != nil || canon != tr.Lang || seen[tr.Lang] || tr.Title == "" {
				t.Fatalf("accepted %+v", d.Translations)
			}
			seen[tr.Lang] = true
			hasSwedish = hasSwedish || tr.Lang == Swedish
		}
		if !hasSwedish {
			t.Fatalf("accepted without Swedish: %+v", d.Translations)
		}
	})
}
