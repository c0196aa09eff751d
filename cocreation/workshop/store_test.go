package workshop_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"megafon/cocreation/internal/cctest"
	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/secret"
)

// world is a database with one administration and a clock.
type world struct {
	s   *workshop.Store
	org int64
	now time.Time
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	org, err := auth.NewStore(d).CreateOrg(context.Background(), "Socialförvaltningen", auth.Administration)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{org: org.ID, now: time.Date(2023, 3, 1, 10, 0, 0, 0, process.Stockholm)}
	keys, err := secret.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	w.s = &workshop.Store{Store: &process.Store{DB: d, Now: func() time.Time { return w.now }, Keys: keys}}
	return w
}

// process makes a process whose workshops phase is today.
func (w *world) process(t *testing.T) process.Process {
	t.Helper()
	ctx := context.Background()
	id, err := w.s.CreateProcess(ctx, w.org, process.NewProcess{Title: "Mål 2023", Purpose: "Nämndens mål",
		Start: w.now.AddDate(0, 0, -30).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.Translate(ctx, "en", map[process.TextRef]process.TranslationEdit{{Kind: "process", ID: id}: {Title: "Goals 2023"}}); err != nil {
		t.Fatal(err)
	}
	p, err := w.s.Process(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if cur, _ := process.CurrentPhase(p.Phases, w.now); cur.Kind != "workshops" {
		t.Fatalf("current phase %q, want workshops", cur.Kind)
	}
	return p
}

func TestAParticipantOutsideThePhaseIsRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		p := w.process(t)
		id, creds, err := w.s.Join(ctx, p, process.Joining{Name: "Ali", Role: "service_user", Consent: true})
		if err != nil || len(creds.Token) < 40 || len(creds.Code) != 8 {
			t.Fatalf("join: %v %+v", err, creds)
		}
		ws, err := w.s.SaveWorkshop(ctx, workshop.Workshop{ProcessID: p.ID, Title: "Workshop 1", StartsAt: w.now, EndsAt: w.now.Add(2 * time.Hour), Place: "Stadshuset"})
		if err != nil {
			t.Fatal(err)
		}
		prompt, err := w.s.OpenPrompt(ctx, ws, "Vad fungerar extra bra?")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.PostNote(ctx, p, ws, prompt, id, 0, "Min handläggare svarar snabbt", "nonce-0001"); err != nil {
			t.Fatalf("a note in the workshops phase: %v", err)
		}
		// The same tap twice is one note.
		if _, err := w.s.PostNote(ctx, p, ws, prompt, id, 0, "Min handläggare svarar snabbt", "nonce-0001"); err != nil {
			t.Fatal(err)
		}
		// Three months on, in the proposals phase, notes are closed.
		w.now = w.now.AddDate(0, 3, 0)
		if cur, _ := process.CurrentPhase(p.Phases, w.now); cur.Kind != "proposals" {
			t.Fatalf("phase %s", cur.Kind)
		}
		_, err = w.s.PostNote(ctx, p, ws, prompt, id, 0, "För sent", "nonce-0002")
		if cctest.ProblemKey(err) != "cc.error.phase_closed.post_note" {
			t.Fatalf("a note in the proposals phase: %v", err)
		}
		if err := w.s.SignUp(ctx, p, workshop.Workshop{ID: ws}, id); cctest.ProblemKey(err) != "cc.error.phase_closed.sign_up" {
			t.Fatalf("sign-up in the proposals phase: %v", err)
		}
		// A facilitator may still type in what came on paper.
		if _, err := w.s.PostNote(ctx, p, ws, prompt, 0, 0, "", "x"); cctest.ProblemKey(err) != "cc.error.note_empty" {
			t.Fatalf("empty note: %v", err)
		}
		notes, _ := w.s.Notes(ctx, ws, 0)
		if len(notes) != 1 {
			t.Fatalf("%d notes, want 1", len(notes))
		}
	}, auth.Migrations, process.Migrations)
}

func TestWithdrawingConsentAnonymisesAndDeletes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		p := w.process(t)
		id, creds, err := w.s.Join(ctx, p, process.Joining{Name: "Sanna Svensson", Role: "relative", AgeBand: "41_64", Services: []string{"elderly_care"}, Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		ws, _ := w.s.SaveWorkshop(ctx, workshop.Workshop{ProcessID: p.ID, Title: "W", StartsAt: w.now, EndsAt: w.now.Add(time.Hour), Place: "X"})
		if err := w.s.SignUp(ctx, p, workshop.Workshop{ID: ws}, id); err != nil {
			t.Fatal(err)
		}
		prompt, _ := w.s.OpenPrompt(ctx, ws, "Vad fungerar dåligt?")
		if _, err := w.s.PostNote(ctx, p, ws, prompt, id, 0, "Hemtjänsten byter personal hela tiden", "n-withdraw"); err != nil {
			t.Fatal(err)
		}
		if err := w.s.Withdraw(ctx, id); err != nil {
			t.Fatal(err)
		}
		got, err := w.s.Participant(ctx, id)
		if err != nil || !got.Withdrawn || got.Name != "" || got.Role != "" || got.AgeBand != "" || got.Services != nil || got.ConsentVersion != "" {
			t.Fatalf("after withdrawal: %+v %v", got, err)
		}
		if _, err := w.s.ParticipantByToken(ctx, creds.Token); err == nil {
			t.Error("the token still works")
		}
		if _, _, err := w.s.ComeBack(ctx, creds.Code); err == nil {
			t.Error("the code still works")
		}
		notes, _ := w.s.Notes(ctx, ws, 0)
		if len(notes) != 1 || !notes[0].Withdrawn || notes[0].Text != "Hemtjänsten byter personal hela tiden" {
			t.Fatalf("the note after withdrawal: %+v", notes)
		}
		var personal int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM cc_participants WHERE name <> '' OR token_hash IS NOT NULL OR code_hash IS NOT NULL OR services <> ''`).Scan(&personal)
		if personal != 0 {
			t.Errorf("%d rows still hold personal data", personal)
		}
		c, _ := w.s.ParticipantCounts(ctx, p.ID)
		if c.Total != 0 {
			t.Errorf("counts %+v", c)
		}
		wk, _ := w.s.Workshop(ctx, ws)
		if wk.SignedUp != 0 {
			t.Errorf("still signed up: %d", wk.SignedUp)
		}
	}, auth.Migrations, process.Migrations)
}

func TestCopyingAProcessKeepsItsStructureNotItsContent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		p := w.process(t)
		phases := p.Phases
		phases[2].Name, phases[3].Skipped = "Resor genom socialtjänsten", true
		phases = append(phases, process.Phase{Kind: "custom", Name: "Uppföljningsträff", StartsOn: "2024-01-10", EndsOn: "2024-01-10"})
		if err := w.s.SavePhases(ctx, p.ID, phases); err != nil {
			t.Fatal(err)
		}
		id, _, _ := w.s.Join(ctx, p, process.Joining{Name: "Ali", Role: "service_user", Consent: true})
		ws, _ := w.s.SaveWorkshop(ctx, workshop.Workshop{ProcessID: p.ID, Title: "W", StartsAt: w.now, EndsAt: w.now.Add(time.Hour), Place: "X"})
		prompt, _ := w.s.OpenPrompt(ctx, ws, "?")
		w.s.PostNote(ctx, p, ws, prompt, id, 0, "en lapp", "n-copy-1")

		copyID, err := w.s.CopyToNextYear(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		c, err := w.s.Process(ctx, copyID)
		if err != nil {
			t.Fatal(err)
		}
		if en := c.In("en").Title; c.Title != "Mål 2024" || en.Text != "Goals 2024" || en.Stale || c.Purpose != "Nämndens mål" || c.JoinCode == p.JoinCode {
			t.Errorf("copy %+v", c)
		}
		if len(c.Phases) != len(phases) {
			t.Fatalf("%d phases, want %d", len(c.Phases), len(phases))
		}
		for i, ph := range c.Phases {
			if ph.Kind != phases[i].Kind || ph.Name != phases[i].Name || ph.Skipped != phases[i].Skipped || ph.StartsOn != process.NextYear(phases[i].StartsOn) {
				t.Errorf("phase %d: %+v, from %+v", i, ph, phases[i])
			}
		}
		parts, _ := w.s.Participants(ctx, copyID)
		wss, _ := w.s.Workshops(ctx, copyID)
		if len(parts) != 0 || len(wss) != 0 {
			t.Errorf("the copy took %d participants and %d workshops", len(parts), len(wss))
		}
	}, auth.Migrations, process.Migrations)
}

func TestThemesMergesAndMarks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		p := w.process(t)
		ws, _ := w.s.SaveWorkshop(ctx, workshop.Workshop{ProcessID: p.ID, Title: "W", StartsAt: w.now, EndsAt: w.now.Add(time.Hour), Place: "X", Capacity: 1})
		other, _ := w.s.SaveWorkshop(ctx, workshop.Workshop{ProcessID: p.ID, Title: "W2", StartsAt: w.now, EndsAt: w.now.Add(time.Hour), Place: "X"})
		a, _, _ := w.s.Join(ctx, p, process.Joining{Name: "A", Role: "staff", Consent: true})
		b, _, _ := w.s.Join(ctx, p, process.Joining{Name: "B", Role: "staff", Consent: true})
		if err := w.s.SignUp(ctx, p, workshop.Workshop{ID: ws, Capacity: 1}, a); err != nil {
			t.Fatal(err)
		}
		if err := w.s.SignUp(ctx, p, workshop.Workshop{ID: ws, Capacity: 1}, b); cctest.ProblemKey(err) != "cc.error.full" {
			t.Fatalf("a full workshop: %v", err)
		}
		prompt, _ := w.s.OpenPrompt(ctx, ws, "?")
		n1, _ := w.s.PostNote(ctx, p, ws, prompt, a, 0, "Långa väntetider", "n-theme-1")
		n2, _ := w.s.PostNote(ctx, p, ws, prompt, a, 0, "Lång väntan", "n-theme-2")
		theme, err := w.s.AddTheme(ctx, ws, "Väntetider")
		if err != nil {
			t.Fatal(err)
		}
		otherTheme, _ := w.s.AddTheme(ctx, other, "Annat")
		if err := w.s.MoveNote(ctx, ws, n1, otherTheme); err == nil {
			t.Error("moved into another workshop's theme")
		}
		if err := w.s.MoveNote(ctx, ws, n1, theme); err != nil {
			t.Fatal(err)
		}
		if err := w.s.MarkNote(ctx, ws, n1, "proposal"); err != nil {
			t.Fatal(err)
		}
		if err := w.s.MarkNote(ctx, ws, n1, "nonsense"); err == nil {
			t.Error("an unknown mark")
		}
		if err := w.s.MergeNote(ctx, ws, n2, n1); err != nil {
			t.Fatal(err)
		}
		notes, _ := w.s.Notes(ctx, ws, 0)
		if len(notes) != 1 || notes[0].ID != n1 || notes[0].Merged != 1 || notes[0].ThemeID != theme || notes[0].Mark != "proposal" {
			t.Fatalf("board %+v", notes)
		}
		counts, _ := w.s.NotesByTheme(ctx, p.ID)
		if len(counts) != 1 || counts[0].Theme != "Väntetider" || counts[0].Notes != 1 {
			t.Errorf("by theme %+v", counts)
		}
	}, auth.Migrations, process.Migrations)
}

// TestComeBackCodesAreKeptKeyed: with 31^8 codes, a plain SHA-256 in a
// copied database gave every code up offline, and with it the way back in
// as that participant. A code stored before is still accepted, and moves
// to its keyed hash when used.
func TestComeBackCodesAreKeptKeyed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		p := w.process(t)
		plain := func(code string) string {
			h := sha256.Sum256([]byte(code))
			return hex.EncodeToString(h[:])
		}
		stored := func(id int64) string {
			var h string
			if err := d.QueryRow(ctx, `SELECT code_hash FROM cc_participants WHERE id = $1`, id).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		id, creds, err := w.s.Join(ctx, p, process.Joining{Name: "Ali", Role: "service_user", Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		if h := stored(id); h == plain(creds.Code) || strings.Contains(h, creds.Code) {
			t.Fatalf("the code is stored as its plain hash: %s", h)
		}
		if got, _, err := w.s.ComeBack(ctx, creds.Code); err != nil || got.ID != id {
			t.Fatalf("coming back with the code: %v %v", got.ID, err)
		}
		// A participant from before: her code's plain hash still works, once.
		old, oldCreds, err := w.s.Join(ctx, p, process.Joining{Name: "Beda", Role: "relative", Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE cc_participants SET code_hash = $1 WHERE id = $2`, plain(oldCreds.Code), old); err != nil {
			t.Fatal(err)
		}
		if got, _, err := w.s.ComeBackFrom(ctx, oldCreds.Code, "192.0.2.1"); err != nil || got.ID != old {
			t.Fatalf("coming back with a code stored before: %v %v", got.ID, err)
		}
		if h := stored(old); h == plain(oldCreds.Code) {
			t.Error("a code used after the change is still kept as its plain hash")
		}
	}, auth.Migrations, process.Migrations)
}
