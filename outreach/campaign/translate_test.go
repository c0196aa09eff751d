package campaign_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"megafon/outreach/campaign"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// englishQuestions translates the demo campaign's three questions.
func englishQuestions() url.Values {
	return webtest.Form("lang", "en", "translated_by", "Anna Translator", "checked", "1",
		"t0_text", "Have you been invited to vaccination?",
		"t1_text", "Where do you get most information about covid-19?",
		"t1_c0", "Text message", "t1_c1", "TV and radio", "t1_c2", "Family and friends", "t1_c3", "Health centre", "t1_c4", "Social media",
		"t2_text", "Would you like help to book a time?")
}

// editForm is the campaign form that saves d unchanged.
func editForm(d campaign.Draft) url.Values {
	f := webtest.Form("name", d.Name, "goal", fmt.Sprint(d.Goal), "starts_on", d.StartsOn, "ends_on", d.EndsOn,
		"lease_minutes", fmt.Sprint(d.LeaseMinutes), "script", fmt.Sprint(d.ScriptEntryID), "districts", strings.Join(d.Districts, ","))
	f["languages"] = d.Languages
	for _, g := range d.GroupIDs {
		f.Add("groups", fmt.Sprint(g))
	}
	for _, id := range d.EntryIDs {
		f.Add("entries", fmt.Sprint(id))
	}
	for i, q := range d.Questions {
		f.Set(fmt.Sprintf("q%d_kind", i), string(q.Kind))
		f.Set(fmt.Sprintf("q%d_text", i), q.Text)
		f.Set(fmt.Sprintf("q%d_choices", i), strings.Join(q.Choices, ","))
	}
	return f
}

func TestTheQuestionsAreAskedInTheVolunteersLanguageAndTheSwedishWhenTheTranslationIsStale(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			ctx := context.Background()
			c := e.s.As(coord)
			r := c.Post(e.path("/campaigns/%d/translate"), englishQuestions())
			if r.Status != http.StatusSeeOther {
				t.Fatalf("translate: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			r = c.Post(e.path("/campaigns/%d/translate"), webtest.Form("lang", "ar", "t0_text", "هل تلقيت دعوة للتطعيم؟"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("translate into Arabic: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			// Round trip: the page shows what was saved, beside the Swedish.
			r = c.Get(e.path("/campaigns/%d/translate?lang=en"))
			for _, want := range []string{"Where do you get most information about covid-19?", "Health centre", "Anna Translator", "Vårdcentralen", `lang="sv" dir="ltr"`, `lang="en" dir="ltr"`, `value="1" checked`} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("translation page lacks %q", want)
				}
			}
			if r := c.Get(e.path("/campaigns/%d/translate?lang=ar")); !strings.Contains(r.Body, `value="هل تلقيت دعوة للتطعيم؟" maxlength="300" lang="ar" dir="rtl"`) {
				t.Errorf("the Arabic field is not Arabic, right to left:\n%s", r.Body)
			}
			var audited int
			e.s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.translate' AND subject = $1`, fmt.Sprint("campaign:", e.c.ID)).Scan(&audited)
			if audited != 2 {
				t.Errorf("%d translations audited, want 2", audited)
			}

			// Amina speaks Arabic here, and reads the interface in English.
			e.s.App.DB.Exec(ctx, `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina)
			a := e.s.As(amina)
			a.Post("/lang", webtest.Form("lang", "en", "next", "/"))
			screen := next(t, e, a)
			r = a.Get(screen)
			for _, want := range []string{`<span lang="en" dir="ltr"><bdi dir="ltr">Have you been invited to vaccination?`, `value="Vårdcentralen"`, "Health centre", "Would you like help to book a time?",
				`Ask: <span lang="ar" dir="rtl"><bdi dir="rtl">هل تلقيت دعوة للتطعيم؟`} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("English call screen lacks %q", want)
				}
			}
			if strings.Contains(r.Body, "Var får du mest information") {
				t.Error("English call screen shows a translated question in Swedish")
			}
			// The answer is stored as the Swedish choice.
			m := callScreen.FindStringSubmatch(screen)
			r = a.Post(strings.SplitN(screen, "?", 2)[0], webtest.Form("seq", m[2], "outcome", "completed", "a1", "Vårdcentralen"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("record: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			var answers string
			e.s.App.DB.QueryRow(ctx, `SELECT answers FROM campaign_calls WHERE caller_id = $1 AND idempotency_key NOT LIKE 'demo-%'`, e.s.User(amina).ID).Scan(&answers)
			if !strings.Contains(answers, "Vårdcentralen") {
				t.Errorf("answers stored as %s", answers)
			}

			// The coordinator rewords the first question: its translations are stale.
			d := campaign.DraftOf(e.c)
			d.Questions[0].Text = "Har du fått en kallelse till vaccination i år?"
			r = c.Post(e.path("/campaigns/%d"), editForm(d))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("edit: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			r = c.Get(e.path("/campaigns/%d/translate?lang=en"))
			if !strings.Contains(webtest.Text(r.Body), "Den svenska texten har ändrats") || strings.Contains(r.Body, `value="1" checked`) {
				t.Errorf("a stale translation is not marked, or still shown as checked:\n%s", webtest.Text(r.Body))
			}
			r = a.Get(next(t, e, a))
			for _, want := range []string{`<span lang="sv" dir="ltr"><bdi dir="ltr">Har du fått en kallelse till vaccination i år?`, "Where do you get most information about covid-19?"} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("call screen after the change lacks %q", want)
				}
			}
			if strings.Contains(r.Body, "Have you been invited") || strings.Contains(r.Body, "هل تلقيت دعوة") {
				t.Error("the call screen shows a stale translation")
			}
		})
	}
}

func TestABadTranslationIsRefusedWithEveryProblemAndNothingIsSaved(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	c := e.s.As(coord)
	cases := []struct {
		name string
		form url.Values
		want []string
	}{
		{"Swedish", webtest.Form("lang", "sv", "t0_text", "Fråga?"), []string{"Välj ett av gränssnittets språk utom svenska"}},
		{"a language of no interface", webtest.Form("lang", "de", "t0_text", "Frage?"), []string{"Välj ett av gränssnittets språk utom svenska"}},
		{"too long, and choices missing", webtest.Form("lang", "en", "t0_text", strings.Repeat("a", 301), "t1_text", "Where?", "t1_c0", "SMS"),
			[]string{"Skriv frågan på en rad, högst 300 tecken", "Översätt varje svar på en rad"}},
	}
	for _, tc := range cases {
		r := c.Post(e.path("/campaigns/%d/translate"), tc.form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", tc.name, r.Status)
		}
		for _, want := range tc.want {
			if !strings.Contains(webtest.Text(r.Body), want) {
				t.Errorf("%s: no %q in\n%.600s", tc.name, want, webtest.Text(r.Body))
			}
		}
	}
	st := campaign.NewStore(e.s.App.DB)
	got, err := st.Get(context.Background(), e.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range got.Questions {
		if len(q.Translations) > 0 {
			t.Errorf("saved from bad input: %+v", q.Translations)
		}
	}
}
