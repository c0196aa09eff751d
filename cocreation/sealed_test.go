package cocreation_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// raw is every stored personal column of the process's participants, as
// a copy of the database shows them.
func (e *env) raw(t *testing.T) string {
	t.Helper()
	rows, err := e.s.App.DB.Query(context.Background(), `SELECT name, services, role, age_band FROM cc_participants ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var name, services, role, age string
		if err := rows.Scan(&name, &services, &role, &age); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s|%s|%s|%s\n", name, services, role, age)
	}
	return b.String()
}

// A participant's name and the services she uses (addiction care, mental
// health) are encrypted in the database; her facilitators and she herself
// still read them, and rows stored in clear before are encrypted when the
// server starts. A new key takes every row over (`keys reencrypt`).
func TestParticipantsNamesAndServicesAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		e := newEnv(t, dialect)
		ctx := context.Background()
		c, _ := e.join(t, e.proc, "Zenobia Kryptoniusdotter", "26_40", "addiction")
		raw := e.raw(t)
		for _, clear := range []string{"Zenobia", "Kryptonius", "addiction", "Fatima Testsson", "housing"} {
			if strings.Contains(raw, clear) {
				t.Errorf("the database holds %q in clear:\n%s", clear, raw)
			}
		}
		var encrypted int
		if err := e.s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_participants WHERE sealed AND name LIKE 'v1:%' AND services LIKE 'v1:%'`).Scan(&encrypted); err != nil || encrypted != 3 {
			t.Errorf("%d participants encrypted, want 3 (%v)", encrypted, err)
		}
		list := e.clients[facil].Get(fmt.Sprintf("/processes/%d/participants", e.proc.ID))
		if !strings.Contains(list.Body, "Zenobia Kryptoniusdotter") {
			t.Errorf("the participants page does not show her name:\n%s", webtest.Text(list.Body))
		}
		mine := webtest.Text(c.Get("/p/consent").Body)
		if !strings.Contains(mine, "Zenobia Kryptoniusdotter") || !strings.Contains(mine, e.tr("sv", "cc.service.addiction")) {
			t.Errorf("'my data' does not show her name and services:\n%s", mine)
		}

		// A participant stored before encryption is encrypted at start.
		if _, err := e.s.App.DB.Exec(ctx, `INSERT INTO cc_participants (process_id, name, role, age_band, services, lang, consent_version, consented_at, created_at)
			VALUES ($1, 'Gammal Klartextsson', 'relative', '41_64', 'mental_health', 'sv', $2, $3, $3)`, e.proc.ID, process.ConsentVersion, e.now()); err != nil {
			t.Fatal(err)
		}
		if n, err := e.st.SealParticipants(ctx); err != nil || n != 1 {
			t.Fatalf("sealed %d participants, want 1 (%v)", n, err)
		}
		if raw := e.raw(t); strings.Contains(raw, "Klartextsson") || strings.Contains(raw, "mental_health") {
			t.Errorf("the old row is still in clear:\n%s", raw)
		}

		// Rotation: a new first key, then every participant onto it.
		next, err := e.st.Keys.WithNewKey()
		if err != nil {
			t.Fatal(err)
		}
		rotated := &workshop.Store{Store: &process.Store{DB: e.st.DB, Now: e.now, Keys: next}}
		if n, err := rotated.Reencrypt(ctx); err != nil || n != 4 {
			t.Fatalf("re-encrypted %d participants, want 4 (%v)", n, err)
		}
		var old int
		if err := e.s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_participants WHERE name <> '' AND name NOT LIKE $1`, "v1:"+next.CurrentKeyID()+":%").Scan(&old); err != nil || old != 0 {
			t.Errorf("%d participants under the old key (%v)", old, err)
		}
		ps, err := rotated.Participants(ctx, e.proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range ps {
			names = append(names, p.Name+" "+strings.Join(p.Services, ","))
		}
		if got := strings.Join(names, "; "); !strings.Contains(got, "Zenobia Kryptoniusdotter addiction") || !strings.Contains(got, "Gammal Klartextsson mental_health") {
			t.Errorf("after re-encryption: %s", got)
		}
		if n, err := rotated.Reencrypt(ctx); err != nil || n != 0 {
			t.Errorf("a second pass re-encrypted %d (%v)", n, err)
		}

		// Withdrawal still empties her row.
		if r := c.Post("/p/withdraw", webtest.Form("confirm", "yes")); r.Status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", r.Status)
		}
		var left int
		if err := e.s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_participants WHERE withdrawn_at IS NOT NULL AND (name <> '' OR services <> '')`).Scan(&left); err != nil || left != 0 {
			t.Errorf("%d withdrawn rows keep a ciphertext (%v)", left, err)
		}
	})
}
