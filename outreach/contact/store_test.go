package contact_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"megafon/outreach/contact"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/secret"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time      { return c.t }
func (c *fakeClock) Add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *fakeClock               { return &fakeClock{t: time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)} }
func mustKeys(t testing.TB) *secret.Keyring {
	k, err := secret.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// world is a database with two partner groups and their people.
type world struct {
	d              *db.DB
	s              *contact.Store
	clock          *fakeClock
	log            *audit.Log
	groupA, groupB int64
	leadA, volA    *auth.User
	volB, coord    *auth.User
}

func newWorld(t testing.TB, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{d: d, clock: newClock()}
	w.s = &contact.Store{DB: d, Keys: mustKeys(t), Now: w.clock.Now}
	w.log = &audit.Log{DB: d, Now: w.clock.Now}
	as := auth.NewStore(d)
	a, err := as.CreateOrg(ctx, "Grupp A", auth.PartnerGroup)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := as.CreateOrg(ctx, "Grupp B", auth.PartnerGroup)
	city, _ := as.CreateOrg(ctx, "Förvaltningen", auth.Administration)
	w.groupA, w.groupB = a.ID, b.ID
	person := func(name, email string, org int64, role auth.Role) *auth.User {
		id, err := as.CreatePerson(ctx, auth.NewPerson{Name: name, Email: email, Languages: []string{"sv"}}, org, role, "")
		if err != nil {
			t.Fatal(err)
		}
		u, err := as.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.leadA = person("Lead A", "lead@a.test", a.ID, auth.GroupLead)
	w.volA = person("Vol A", "vol@a.test", a.ID, auth.Volunteer)
	w.volB = person("Vol B", "vol@b.test", b.ID, auth.Volunteer)
	w.coord = person("Coord", "coord@city.test", city.ID, auth.Coordinator)
	return w
}

func (w *world) add(t testing.TB, org int64, phone string, langs ...string) int64 {
	t.Helper()
	id, err := w.s.Add(context.Background(), org, contact.NewContact{Phone: phone, Name: "Amal Hassan", Languages: langs, District: "Dalhem",
		Basis: contact.BasisConsent, BasisNote: "muntligt", RetainUntil: w.clock.Now().AddDate(1, 0, 0)}, w.leadA)
	if err != nil {
		t.Fatalf("add %s: %v", phone, err)
	}
	return id
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newWorld(t, d)) }, auth.Migrations, contact.Migrations)
}

func TestNumbersAndNamesAreEncryptedAndRevealedToTheGroupOnly(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		id := w.add(t, w.groupA, "070-123 45 67", "ar", "sv")
		var phoneEnc, nameEnc, hash string
		if err := w.d.QueryRow(ctx, `SELECT phone_enc, name_enc, phone_hash FROM contacts WHERE id = $1`, id).Scan(&phoneEnc, &nameEnc, &hash); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{phoneEnc, nameEnc, hash} {
			if contains(v, "701234567") || contains(v, "Amal") {
				t.Errorf("the database shows personal data: %q", v)
			}
		}
		p, n, err := w.s.Reveal(ctx, id, w.leadA, w.log, "127.0.0.1", false)
		if err != nil || p != "+46701234567" || n != "Amal Hassan" {
			t.Fatalf("reveal: %q %q %v", p, n, err)
		}
		entries, _ := w.log.List(ctx, audit.Filter{Action: audit.ViewPersonal})
		if len(entries) != 1 || entries[0].Subject != "contact:"+itoa(id) || entries[0].ActorID != w.leadA.ID {
			t.Errorf("audit: %+v", entries)
		}
		// A volunteer of the group sees only the contact she holds;
		// holding one of another group's contacts opens nothing.
		for _, c := range []struct {
			u     *auth.User
			holds bool
		}{{w.volA, false}, {w.volB, false}, {w.volB, true}, {w.coord, false}, {w.coord, true}, {nil, true}} {
			if _, _, err := w.s.Reveal(ctx, id, c.u, w.log, "", c.holds); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("reveal to %v (holds %v): %v, want not found", c.u, c.holds, err)
			}
		}
		if _, _, err := w.s.Reveal(ctx, id, w.volA, w.log, "", true); err != nil {
			t.Errorf("reveal of her held contact: %v", err)
		}
		entries, _ = w.log.List(ctx, audit.Filter{Action: audit.ViewPersonal})
		if len(entries) != 2 {
			t.Errorf("%d audit entries, want 2 (one per reveal)", len(entries))
		}
		list, total, err := w.s.List(ctx, w.groupA, 0, 10)
		if err != nil || total != 1 || list[0].Masked != "+46 ••• ••• •67" || !list[0].HasName {
			t.Errorf("list: %+v %d %v", list, total, err)
		}
		// The lawful basis: what, when, by whom.
		var basis, note string
		var by int64
		var at time.Time
		w.d.QueryRow(ctx, `SELECT lawful_basis, basis_note, basis_recorded_by, basis_recorded_at FROM contacts WHERE id = $1`, id).Scan(&basis, &note, &by, &at)
		if basis != contact.BasisConsent || note != "muntligt" || by != w.leadA.ID || !at.Equal(w.clock.Now()) {
			t.Errorf("lawful basis %q %q by %d at %v", basis, note, by, at)
		}
	})
}

func TestTheSameNumberIsOneContactPerGroup(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		w.add(t, w.groupA, "070-123 45 67", "ar")
		for _, same := range []string{"+46701234567", "0046 70 123 45 67", "+46 (0)70 1234567"} {
			_, err := w.s.Add(ctx, w.groupA, contact.NewContact{Phone: same, Languages: []string{"so"}, Basis: contact.BasisPublicTask,
				RetainUntil: w.clock.Now().AddDate(0, 6, 0)}, w.leadA)
			if !isProblem(err, "contact.error.duplicate") {
				t.Errorf("%s again: %v, want duplicate", same, err)
			}
		}
		// Another group may have the same resident.
		w.add(t, w.groupB, "+46701234567", "ar")
		counts, _ := w.s.Counts(ctx)
		if counts[w.groupA] != 1 || counts[w.groupB] != 1 {
			t.Errorf("counts %v", counts)
		}
	})
}

func TestBadInputIsRefusedWithReasons(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		_, err := w.s.Add(context.Background(), w.groupA, contact.NewContact{Phone: "070-12", Basis: "whim", RetainUntil: w.clock.Now().Add(-time.Hour)}, w.leadA)
		for _, key := range []string{"contact.error.phone.too_short", "contact.error.languages", "contact.error.basis", "contact.error.retain_until"} {
			if !isProblem(err, key) {
				t.Errorf("want %s in %v", key, err)
			}
		}
	})
}

func TestDoNotCallIsNeverQueuedAgainAnywhere(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := w.add(t, w.groupA, "0701234567", "ar")
		w.add(t, w.groupB, "0701234567", "ar")
		keepA := w.add(t, w.groupA, "0701234568", "so")
		if err := w.s.DoNotCall(ctx, a, false); err != nil {
			t.Fatal(err)
		}
		got, _ := w.s.ForGroups(ctx, []int64{w.groupA, w.groupB})
		if len(got) != 1 || got[0].ID != keepA {
			t.Errorf("after a city-wide do-not-call: %+v, want only %d", got, keepA)
		}
		hash := w.s.HashPhone("+46701234567")
		if dnc, _ := w.s.IsDoNotCall(ctx, hash); !dnc {
			t.Error("the hash is not on the city-wide list")
		}
		var n int
		w.d.QueryRow(ctx, `SELECT COUNT(*) FROM do_not_call WHERE phone_hash = $1`, hash).Scan(&n)
		if n != 1 {
			t.Errorf("%d entries", n)
		}
		if _, err := w.s.Add(ctx, w.groupB, contact.NewContact{Phone: "070 123 45 67", Languages: []string{"ar"}, Basis: contact.BasisConsent,
			RetainUntil: w.clock.Now().AddDate(1, 0, 0)}, w.leadA); !isProblem(err, "contact.error.do_not_call") {
			t.Errorf("adding a blocked number: %v", err)
		}
		// A group's own list holds for that group only.
		if _, err := w.s.AddDoNotCall(ctx, "0701234569", w.groupA); err != nil {
			t.Fatal(err)
		}
		w.add(t, w.groupB, "0701234569", "ar")
		if _, err := w.s.Add(ctx, w.groupA, contact.NewContact{Phone: "0701234569", Languages: []string{"ar"}, Basis: contact.BasisConsent,
			RetainUntil: w.clock.Now().AddDate(1, 0, 0)}, w.leadA); !isProblem(err, "contact.error.do_not_call") {
			t.Errorf("group-blocked number in its group: %v", err)
		}
		city, group, _ := w.s.DoNotCallCounts(ctx, w.groupA)
		if city != 1 || group != 1 {
			t.Errorf("counts city %d group %d", city, group)
		}
	})
}

func TestContactsAreDeletedAfterTheirRetentionDate(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		short, _ := w.s.Add(ctx, w.groupA, contact.NewContact{Phone: "0701234567", Languages: []string{"ar"}, Basis: contact.BasisConsent,
			RetainUntil: w.clock.Now().Add(48 * time.Hour)}, w.leadA)
		long := w.add(t, w.groupA, "0701234568", "so")
		if n, err := w.s.DeleteExpired(ctx); n != 0 || err != nil {
			t.Fatalf("nothing expired yet: %d %v", n, err)
		}
		w.clock.Add(48 * time.Hour)
		if n, err := w.s.DeleteExpired(ctx); n != 1 || err != nil {
			t.Fatalf("deleted %d %v, want 1", n, err)
		}
		if _, err := w.s.Get(ctx, short); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("expired contact still there: %v", err)
		}
		if _, err := w.s.Get(ctx, long); err != nil {
			t.Errorf("kept contact: %v", err)
		}
	})
}

func TestReencryptMovesEveryRowToTheNewKey(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		var ids []int64
		for _, p := range []string{"0701234567", "0701234568", "+44 20 7946 0958"} {
			ids = append(ids, w.add(t, w.groupA, p, "en"))
		}
		old := w.s.Keys
		rotated, err := old.WithNewKey()
		if err != nil {
			t.Fatal(err)
		}
		w.s.Keys = rotated
		n, err := w.s.Reencrypt(ctx)
		if err != nil || n != 3 {
			t.Fatalf("re-encrypted %d, %v", n, err)
		}
		if n, _ := w.s.Reencrypt(ctx); n != 0 {
			t.Errorf("second run changed %d", n)
		}
		rows, _ := w.d.Query(ctx, `SELECT phone_enc, name_enc FROM contacts`)
		for rows.Next() {
			var p, n string
			rows.Scan(&p, &n)
			if rotated.NeedsRotation(p) || rotated.NeedsRotation(n) {
				t.Errorf("still under the old key: %.12s %.12s", p, n)
			}
		}
		rows.Close()
		// The hash key does not rotate: look-ups still work.
		if _, err := w.s.Add(ctx, w.groupA, contact.NewContact{Phone: "0701234567", Languages: []string{"ar"}, Basis: contact.BasisConsent,
			RetainUntil: w.clock.Now().AddDate(1, 0, 0)}, w.leadA); !isProblem(err, "contact.error.duplicate") {
			t.Errorf("duplicate after rotation: %v", err)
		}
		p, _, err := w.s.Reveal(ctx, ids[2], w.leadA, w.log, "", false)
		if err != nil || p != "+442079460958" {
			t.Errorf("reveal after rotation: %q %v", p, err)
		}
	})
}

// The normalisation table through the store, on both databases: every
// way of writing one number is stored as its E.164 form (and its keyed
// hash), and a number that is not one is refused with the reason.
func TestNumbersAreStoredInE164OrRefusedWithTheReason(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		valid := []struct{ raw, want string }{
			{"070-123 45 67", "+46701234567"}, {"0046 70 123 45 67", "+46701234567"}, {"+46 (0)70 1234567", "+46701234567"},
			{"46701234567", "+46701234567"}, {"08-123 456 78", "+46812345678"}, {"070\u2013123 45 67", "+46701234567"},
			{"٠٧٠١٢٣٤٥٦٧", "+46701234567"}, {"+44 20 7946 0958", "+442079460958"}, {"0044 20 7946 0958", "+442079460958"},
			{"+1 (415) 555-2671", "+14155552671"}, {"+252 61 5123456", "+252615123456"}, {"0047 412 34 567", "+4741234567"},
		}
		for _, tt := range valid {
			id, err := w.s.Add(ctx, w.groupA, contact.NewContact{Phone: tt.raw, Languages: []string{"ar"}, Basis: contact.BasisPublicTask,
				RetainUntil: w.clock.Now().AddDate(0, 1, 0)}, w.leadA)
			if err != nil {
				t.Errorf("%q: %v", tt.raw, err)
				continue
			}
			p, _, err := w.s.Reveal(ctx, id, w.leadA, w.log, "", false)
			var hash string
			w.d.QueryRow(ctx, `SELECT phone_hash FROM contacts WHERE id = $1`, id).Scan(&hash)
			if err != nil || p != tt.want || hash != w.s.HashPhone(tt.want) {
				t.Errorf("%q stored as %q (%v), want %q", tt.raw, p, err, tt.want)
			}
			if err := w.s.Delete(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		invalid := []struct{ raw, key string }{
			{"", "empty"}, {"saknas", "not_a_number"}, {"4.67012E+10", "not_a_number"}, {"12345", "too_short"},
			{"+46 70 123 45 67 89", "too_long"}, {"+46 70 123 456", "invalid"}, {"+999 123 456 789", "invalid"},
			{"08-123 456 78 ankn. 12", "extension"},
		}
		for _, tt := range invalid {
			_, err := w.s.Add(ctx, w.groupA, contact.NewContact{Phone: tt.raw, Languages: []string{"ar"}, Basis: contact.BasisPublicTask,
				RetainUntil: w.clock.Now().AddDate(0, 1, 0)}, w.leadA)
			if !isProblem(err, "contact.error.phone."+tt.key) {
				t.Errorf("%q: %v, want contact.error.phone.%s", tt.raw, err, tt.key)
			}
		}
		if _, total, _ := w.s.List(ctx, w.groupA, 0, 1); total != 0 {
			t.Errorf("%d contacts left", total)
		}
	})
}
