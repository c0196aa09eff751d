package handbook

import (
	"context"
	"fmt"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// translators of the demo translations.
var demoTranslators = map[string]string{"en": "Sara Samordnare", "ar": "Stadens tolkservice", "so": "Hodan Ali", "ti": "Selam Tesfay", "prs": "Mariam Ahmadi"}

// SeedDemo fills the demo operation's handbook: 25 entries in Swedish with
// translations, most verified, three in review (one of them a new version
// of a verified entry), one expired, and one verified with its Somali
// translation out of date.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	var opID int64
	if err := app.DB.QueryRow(ctx, `SELECT id FROM operations WHERE name = $1`, operation.DemoName).Scan(&opID); err != nil {
		return fmt.Errorf("demo handbook: no demo operation: %w", err)
	}
	now := app.Now()
	clock := now.AddDate(0, 0, -60)
	s := NewStore(app.DB, func() time.Time { return clock })
	coord := city.People["samordnare@demo.megafon.se"]
	valid := now.AddDate(0, 6, 0).Format(time.DateOnly)
	inReview := map[int]bool{16: true, 19: true}
	const expired, edited = 8, 1
	var ids []int64
	for i, e := range demoEntries {
		d := EntryDraft{Kind: e.kind, Topics: e.topics, Source: e.source, ValidUntil: valid}
		if i == expired {
			d.ValidUntil = now.AddDate(0, 0, -10).Format(time.DateOnly)
		}
		for _, lang := range []string{"sv", "en", "ar", "so", "ti", "prs"} {
			if t, ok := e.text[lang]; ok {
				d.Translations = append(d.Translations, Translation{Lang: lang, Title: t[0], Body: t[1],
					TranslatedBy: demoTranslators[lang], Checked: lang != "sv" && i%3 != 0})
			}
		}
		clock = now.AddDate(0, 0, -60+2*i)
		id, err := s.CreateEntry(ctx, coord, opID, d)
		if err != nil {
			return fmt.Errorf("demo entry %d: %w", i, err)
		}
		ids = append(ids, id)
		if err := s.Move(ctx, coord, id, Submit); err != nil {
			return err
		}
		if inReview[i] {
			continue
		}
		clock = clock.Add(3 * time.Hour)
		if err := s.Move(ctx, coord, id, Verify); err != nil {
			return err
		}
	}
	// A verified entry edited: the new version waits for review while
	// callers keep the old one.
	clock = now.AddDate(0, 0, -1)
	vs, err := s.Versions(ctx, ids[edited])
	if err != nil {
		return err
	}
	v := vs[0]
	for i, t := range v.Translations {
		if t.Lang == Swedish {
			v.Translations[i].Body = "Boka på 1177.se med BankID eller Freja eID. Har du ingen e-legitimation: ring 0771-11 77 00 eller gå till en drop-in-mottagning."
		}
	}
	if _, err = s.Edit(ctx, coord, ids[edited], EntryDraft{Kind: v.Kind, Topics: v.Topics, Source: v.Source, ValidUntil: v.ValidUntil, Translations: v.Translations}); err != nil {
		return err
	}
	// Long ago, a day after it was first verified: the campaign's demo
	// takes the most recently verified entries, and keeps the ones it had.
	return seedOutdated(ctx, s, coord, ids[outdated], func(d time.Duration) { clock = now.AddDate(0, 0, -60+2*outdated+1).Add(d) })
}

// outdated is the demo entry verified with one translation out of date.
const outdated = 2

// outdatedText is what the Swedish of that entry gained, in every language
// but Somali, whose translator has not caught up: Somali callers read it
// in Swedish, with a note, until she has.
var outdatedText = map[string]string{
	"sv":  " Ring 1177 om du får hög feber eller svårt att andas.",
	"en":  " Call 1177 if you get a high fever or find it hard to breathe.",
	"ar":  " اتصل بالرقم 1177 إذا أصبت بحمى شديدة أو صعوبة في التنفس.",
	"ti":  " ልዑል ረስኒ ወይ ናይ ምትንፋስ ጸገም እንተ ኣጋጢሙካ ናብ 1177 ደውል።",
	"prs": " اگر تب شدید یا مشکل تنفس دارید به 1177 زنگ بزنید.",
}

// seedOutdated verifies a new version of the entry whose Swedish changed
// and whose Somali did not, so that an out-of-date translation shows on
// the editors' pages, to callers and in print. at sets the store's clock.
func seedOutdated(ctx context.Context, s *Store, coord *auth.User, id int64, at func(time.Duration)) error {
	at(0)
	vs, err := s.Versions(ctx, id)
	if err != nil {
		return err
	}
	v := vs[0]
	for i, t := range v.Translations {
		v.Translations[i].Body = t.Body + outdatedText[t.Lang]
	}
	if _, err := s.Edit(ctx, coord, id, EntryDraft{Kind: v.Kind, Topics: v.Topics, Source: v.Source, ValidUntil: v.ValidUntil, Translations: v.Translations}); err != nil {
		return fmt.Errorf("demo outdated entry: %w", err)
	}
	at(2 * time.Hour)
	return s.Move(ctx, coord, id, Verify)
}
