package campaign_test

import (
	"context"
	"strings"
	"testing"

	"megafon/platform/db"
)

// A call script stored with a right-to-left override (before the input
// filter, or by another path) reaches the call screen without it, its
// title isolated and its number wrapped as bodies are.
func TestTheCallScreenDropsStoredBidiControlsAndIsolatesTheTitle(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dialect)
			ctx := context.Background()
			e.s.App.DB.Exec(ctx, `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina)
			if _, err := e.s.App.DB.Exec(ctx, `UPDATE handbook_translations SET title = $1, body = $2 WHERE lang = 'ar'`,
				"نص \u202e1177\u202c المكالمة", "اتصل \u2067بالرقم 1177\u2069\nشكرا"); err != nil {
				t.Fatal(err)
			}
			a := e.s.As(amina)
			r := a.Get(next(t, e, a))
			if r.Status != 200 {
				t.Fatalf("call screen: %d", r.Status)
			}
			if strings.ContainsAny(r.Body, "\u202e\u202c\u2067\u2069") {
				t.Error("the call screen carries a bidi control")
			}
			for _, want := range []string{
				`<bdi dir="rtl">نص <bdi dir="ltr">1177</bdi> المكالمة</bdi>`,
				`اتصل بالرقم <bdi dir="ltr">1177</bdi><br>شكرا`,
			} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("the call screen lacks %s", want)
				}
			}
		})
	}
}
