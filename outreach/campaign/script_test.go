package campaign_test

import (
	"context"
	"strings"
	"testing"

	"megafon/outreach/handbook"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// The call script's Swedish changes and its Arabic does not: Amina, calling
// in Arabic, reads the Swedish script with a note, not the old Arabic.
func TestTheCallScreenShowsTheSwedishScriptWhenItsTranslationIsOutOfDate(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			ctx := context.Background()
			hb := handbook.NewStore(e.s.App.DB, e.s.App.Now)
			c := e.s.User(coord)
			vs, err := hb.Versions(ctx, e.c.ScriptEntryID)
			if err != nil {
				t.Fatal(err)
			}
			v := vs[0]
			for i, tr := range v.Translations {
				if tr.Lang == handbook.Swedish {
					v.Translations[i].Body = "Hej, jag ringer från Stadsdelsmammorna på uppdrag av staden."
				}
			}
			if _, err := hb.Edit(ctx, c, e.c.ScriptEntryID, handbook.EntryDraft{Kind: v.Kind, Topics: v.Topics, ValidUntil: v.ValidUntil, Translations: v.Translations}); err != nil {
				t.Fatal(err)
			}
			if err := hb.Move(ctx, c, e.c.ScriptEntryID, handbook.Verify); err != nil {
				t.Fatal(err)
			}
			e.s.App.DB.Exec(ctx, `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina)
			a := e.s.As(amina)
			a.Post("/lang", webtest.Form("lang", "en", "next", "/"))
			r := a.Get(next(t, e, a))
			for _, want := range []string{"The Arabic translation is being updated. This is the Swedish text.",
				`<div lang="sv" dir="ltr"><h3>`, "Hej, jag ringer från Stadsdelsmammorna på uppdrag av staden."} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("the call screen lacks %q", want)
				}
			}
			if strings.Contains(r.Body, "مرحبا، أتصل من أمهات الأحياء.") {
				t.Error("the call screen shows the out-of-date Arabic script")
			}
		})
	}
}
