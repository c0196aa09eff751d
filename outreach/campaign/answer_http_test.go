package campaign_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"megafon/outreach/handbook"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// A resident asks a question the volunteer cannot answer and agrees to be
// called back; when the city's answer is verified, the next Arabic
// speaker who presses Next calls her first, with the answer in Arabic at
// the top of the call screen, and the Somali speaker never gets her.
func TestTheCallScreenOfACallbackShowsTheAnswerInHerLanguageFirst(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			ctx := context.Background()
			d := e.s.App.DB
			// She speaks Arabic only here, so the call is in Arabic.
			d.Exec(ctx, `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina)
			a := e.s.As(amina)
			screen := next(t, e, a)
			asked := callScreen.FindStringSubmatch(screen)
			r := a.Post(strings.SplitN(screen, "?", 2)[0], webtest.Form("seq", asked[2], "outcome", "completed",
				"asked_text", "هل اللقاح مجاني للأطفال؟", "escalate", "1", "asked_summary", "Är vaccinet gratis för barn?", "callback_ok", "1"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("record: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			var q int64
			var callback bool
			if err := d.QueryRow(ctx, `SELECT id, callback FROM resident_questions WHERE summary = 'Är vaccinet gratis för barn?'`).Scan(&q, &callback); err != nil || !callback {
				t.Fatalf("question: %v, callback %v", err, callback)
			}

			// The city answers: an entry in Swedish and Arabic, verified.
			coordinator := e.s.User(coord)
			hb := handbook.NewStore(d, e.s.App.Now)
			entry, err := hb.CreateEntry(ctx, coordinator, e.c.OperationID, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"vaccination"}, ValidUntil: "2099-12-31",
				Translations: []handbook.Translation{{Lang: "sv", Title: "Vaccinet är gratis för barn", Body: "Ring 1177 för en tid."},
					{Lang: "ar", Title: "اللقاح مجاني للأطفال", Body: "اتصل بالرقم 1177 لحجز موعد."}}})
			if err != nil {
				t.Fatal(err)
			}
			for _, act := range []handbook.Action{handbook.Submit, handbook.Verify} {
				if err := hb.Move(ctx, coordinator, entry, act); err != nil {
					t.Fatal(err)
				}
			}
			var qs *question.Store
			for _, m := range e.s.App.Modules() {
				if qm, ok := m.(*question.Module); ok {
					qs = qm.Store()
				}
			}
			if err := qs.AnswerWith(ctx, q, entry, coordinator, true); err != nil {
				t.Fatal(err)
			}

			// Fadumo speaks Somali and Swedish: never this callback.
			if got := callScreen.FindStringSubmatch(next(t, e, e.s.As(fadumo))); got[1] == asked[1] {
				t.Fatal("the Somali speaker got the Arabic callback")
			}
			// Amina's next call is the callback, before every other.
			back := next(t, e, a)
			m := callScreen.FindStringSubmatch(back)
			if m[1] != asked[1] {
				t.Fatalf("Amina's next call is entry %s, want the callback to %s", m[1], asked[1])
			}
			r = a.Get(back)
			card, who := strings.Index(r.Body, "Du ringer tillbaka med svaret"), strings.Index(r.Body, `id="who-h"`)
			if r.Status != 200 || card < 0 || card > who {
				t.Fatalf("the answer is not at the top of the call screen (%d, %d):\n%s", card, who, webtest.Text(r.Body))
			}
			top := r.Body[card:who]
			for _, want := range []string{`lang="ar" dir="rtl"`, "اللقاح مجاني للأطفال", "1177"} {
				if !strings.Contains(top, want) {
					t.Errorf("the answer card lacks %q:\n%s", want, top)
				}
			}
			if strings.Contains(top, "Vaccinet är gratis") {
				t.Error("the card shows the Swedish though the Arabic is verified")
			}
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control %q", cc)
			}
			// The card in every interface language.
			for _, lang := range []string{"en", "ar", "prs", "so", "ti", "bs", "uk", "sv-x-easy", "sv"} {
				a.Post("/lang", webtest.Form("lang", lang))
				r := a.Get(back)
				if r.Status != 200 || strings.Contains(r.Body, "campaign.screen.answer") || !strings.Contains(r.Body, "اللقاح مجاني للأطفال") {
					t.Errorf("call screen in %s: %d\n%s", lang, r.Status, webtest.Text(r.Body))
				}
				if lang == "en" && !strings.Contains(r.Body, "You are calling back with the answer") {
					t.Errorf("the card is not in English:\n%s", webtest.Text(r.Body))
				}
			}
			r = a.Post(strings.SplitN(back, "?", 2)[0], webtest.Form("seq", m[2], "outcome", "completed"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("record the callback: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			var open int
			d.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_answer_callbacks WHERE done_at IS NULL`).Scan(&open)
			if open != 0 {
				t.Fatalf("%d callbacks still open after the call", open)
			}
			other := next(t, e, a)
			om := callScreen.FindStringSubmatch(other)
			if om[1] == asked[1] {
				t.Fatal("called back twice")
			}

			// An answer not yet translated into Arabic is read out in
			// Swedish, marked as such.
			r = a.Post(strings.SplitN(other, "?", 2)[0], webtest.Form("seq", om[2], "outcome", "completed",
				"asked_text", "متى يفتح المركز؟", "escalate", "1", "asked_summary", "När öppnar mottagningen?", "callback_ok", "1"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("record the second question: %d\n%s", r.Status, webtest.Text(r.Body))
			}
			if err := d.QueryRow(ctx, `SELECT id FROM resident_questions WHERE summary = 'När öppnar mottagningen?'`).Scan(&q); err != nil {
				t.Fatal(err)
			}
			swedish, err := hb.CreateEntry(ctx, coordinator, e.c.OperationID, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"vaccination"}, ValidUntil: "2099-12-31",
				Translations: []handbook.Translation{{Lang: "sv", Title: "Mottagningen öppnar klockan 8", Body: "Måndag till fredag."}}})
			if err != nil {
				t.Fatal(err)
			}
			for _, act := range []handbook.Action{handbook.Submit, handbook.Verify} {
				if err := hb.Move(ctx, coordinator, swedish, act); err != nil {
					t.Fatal(err)
				}
			}
			if err := qs.AnswerWith(ctx, q, swedish, coordinator, true); err != nil {
				t.Fatal(err)
			}
			back = next(t, e, a)
			if callScreen.FindStringSubmatch(back)[1] != om[1] {
				t.Fatalf("the second callback is not first: %s", back)
			}
			r = a.Get(back)
			card, who = strings.Index(r.Body, "Du ringer tillbaka med svaret"), strings.Index(r.Body, `id="who-h"`)
			if card < 0 || card > who {
				t.Fatalf("no answer card:\n%s", webtest.Text(r.Body))
			}
			top = r.Body[card:who]
			for _, want := range []string{"Inte översatt till invånarens språk", `lang="sv" dir="ltr"`, "Mottagningen öppnar klockan 8"} {
				if !strings.Contains(top, want) {
					t.Errorf("the Swedish fallback lacks %q:\n%s", want, top)
				}
			}
		})
	}
}
