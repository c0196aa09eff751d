package handbook_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"megafon/platform/db"
)

// An Arabic translation carried past a change of the Swedish: the editors
// see it out of date, Amina reads the Swedish with a note until it is
// updated or confirmed.
func TestAnOutOfDateArabicTranslationIsShownAsTheSwedishWithANote(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, dialect, false)
			v1 := url.Values{
				"kind": {"qa"}, "topics": {"housing"}, "valid_until": {"2099-12-31"},
				"title_0": {"Var får jag hjälp med elräkningen?"}, "body_0": {"Kontakta socialtjänsten."},
				"lang_1": {"ar"}, "title_1": {"أين أحصل على مساعدة في فاتورة الكهرباء؟"}, "body_1": {"تواصل مع الخدمات الاجتماعية."},
				"lang_2": {"so"}, "title_2": {"Xaggee ka helaa caawimo biilka korontada?"}, "body_2": {"La xiriir adeegga bulshada."},
			}
			run(t, s, []step{{"created", leadCoord, "POST", "/operations/1/handbook", v1, 303, nil, nil}})
			id := entryID(t, s, "Var får jag hjälp med elräkningen?")
			p := fmt.Sprintf("/handbook/%d", id)
			v2 := url.Values{}
			for k, v := range v1 {
				if k != "csrf_token" { // each step's client brings its own
					v2[k] = append([]string(nil), v...)
				}
			}
			v2.Set("body_0", "Ring stadens energirådgivning.")
			v2.Set("body_2", "Wac la-taliyaha tamarta ee magaalada.")
			note := "Översättningen till arabiska håller på att uppdateras. Det här är den svenska texten."
			run(t, s, []step{
				{"submitted", leadCoord, "POST", p + "/move", url.Values{"action": {"submit"}}, 303, nil, nil},
				{"verified", leadCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 303, nil, nil},
				{"the edit form has nothing out of date", leadCoord, "GET", p + "/edit", nil, 200, []string{"Stämmer fortfarande med den nya svenska texten"}, []string{"Äldre än den svenska texten"}},
				{"the Swedish and the Somali change", leadCoord, "POST", p, v2, 303, nil, nil},
				{"the edit form marks the Arabic", leadCoord, "GET", p + "/edit", nil, 200, []string{"Äldre än den svenska texten"}, nil},
				{"the editors' list marks it", leadCoord, "GET", "/operations/1/handbook/manage", nil, 200, []string{"Inaktuell: ar", "Inlägg med inaktuella översättningar:"}, nil},
				{"the review page warns", leadCoord, "GET", p, nil, 200, []string{"översättningarna till arabiska har inte det"}, nil},
				{"verified all the same", leadCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 303, nil, nil},
				{"Amina's list has the Swedish and the note", amina, "GET", "/operations/1/handbook", nil, 200,
					[]string{"Var får jag hjälp med elräkningen?", "Ring stadens energirådgivning.", note}, []string{"أين أحصل على مساعدة في فاتورة الكهرباء؟"}},
				{"and so has the entry", amina, "GET", p, nil, 200,
					[]string{"Ring stadens energirådgivning.", note}, []string{"تواصل مع الخدمات الاجتماعية."}},
				{"the out-of-date Arabic finds nothing", amina, "GET", "/operations/1/handbook?q=" + url.QueryEscape("الكهرباء"), nil, 200, []string{"0 svar"}, nil},
				{"Fadumo reads the fresh Somali", fadumo, "GET", p, nil, 200, []string{"Wac la-taliyaha tamarta"}, []string{note, "håller på att uppdateras"}},
			})
			body := s.As(amina).Get(p).Body
			if !strings.Contains(body, `<h1 lang="sv" dir="ltr">`) || !strings.Contains(body, `<p class="body" lang="sv" dir="ltr">`) {
				t.Errorf("the Swedish is not marked as Swedish:\n%s", body)
			}
			list := s.As(amina).Get("/operations/1/handbook").Body
			if !strings.Contains(list, `<span lang="sv" dir="ltr">`) {
				t.Error("the list's Swedish title is not marked as Swedish")
			}
			// The printed Arabic handbook has the entry in Swedish, with the
			// note in Arabic; so has its PDF.
			for _, path := range []string{"/operations/1/handbook/print/ar", "/operations/1/handbook/print/ar/pdf"} {
				r := s.As(amina).Get(path)
				if r.Status != 200 || !strings.Contains(r.Body, `<article lang="sv" dir="ltr">`) || !strings.Contains(r.Body, "Ring stadens energirådgivning.") ||
					!strings.Contains(r.Body, `<p class="note" lang="ar" dir="rtl">يجري تحديث الترجمة إلى`) || strings.Contains(r.Body, "تواصل مع الخدمات الاجتماعية.") {
					t.Errorf("%s: %d\n%s", path, r.Status, r.Body)
				}
			}
			// The coordinator confirms the Arabic still matches: a new
			// version, verified, and Amina reads Arabic again.
			v2.Del("csrf_token")
			v2.Set("still_1", "1")
			run(t, s, []step{
				{"confirmed", leadCoord, "POST", p, v2, 303, nil, nil},
				{"nothing out of date", leadCoord, "GET", p, nil, 200, nil, []string{"Äldre än den svenska texten", "har ändrats sedan version"}},
				{"verified", leadCoord, "POST", p + "/move", url.Values{"action": {"verify"}}, 303, nil, nil},
				{"Amina reads Arabic", amina, "GET", p, nil, 200, []string{"تواصل مع الخدمات الاجتماعية."}, []string{note}},
			})
		})
	}
}
