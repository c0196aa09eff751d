package handbook

import (
	"context"
	"database/sql"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
)

func TestSourceVersionsFollowTheSwedish(t *testing.T) {
	sv := func(title string, rev int) Translation {
		return Translation{Lang: "sv", Title: title, SourceVersion: rev}
	}
	ar := func(title string, rev int) Translation {
		return Translation{Lang: "ar", Title: title, SourceVersion: rev}
	}
	for _, c := range []struct {
		name         string
		prev, next   []Translation
		still        []string
		number, max  int
		wantSv, want int // the Swedish revision, the Arabic's source
	}{
		{"a new entry", nil, []Translation{sv("a", 0), ar("x", 0)}, nil, 1, 0, 1, 1},
		{"nothing changed", []Translation{sv("a", 1), ar("x", 1)}, []Translation{sv("a", 0), ar("x", 0)}, nil, 2, 1, 1, 1},
		{"the Swedish changed in a new version", []Translation{sv("a", 1), ar("x", 1)}, []Translation{sv("b", 0), ar("x", 0)}, nil, 2, 1, 2, 1},
		{"both changed", []Translation{sv("a", 1), ar("x", 1)}, []Translation{sv("b", 0), ar("y", 0)}, nil, 2, 1, 2, 2},
		{"confirmed", []Translation{sv("a", 1), ar("x", 1)}, []Translation{sv("b", 0), ar("x", 0)}, []string{"ar"}, 2, 1, 2, 2},
		{"changed twice in one open version", []Translation{sv("b", 2), ar("y", 2)}, []Translation{sv("c", 0), ar("y", 0)}, nil, 2, 2, 3, 2},
		{"an old translation stays old", []Translation{sv("b", 2), ar("x", 1)}, []Translation{sv("b", 0), ar("x", 0)}, nil, 3, 2, 2, 1},
		{"a line end is no change", []Translation{sv("a", 1), {Lang: "ar", Title: "x", Body: "l1\nl2", SourceVersion: 1}},
			[]Translation{sv("b", 0), {Lang: "ar", Title: "x", Body: "l1\r\nl2"}}, nil, 2, 1, 2, 1},
	} {
		SourceVersions(c.prev, c.next, c.still, c.number, c.max)
		if c.next[0].SourceVersion != c.wantSv || c.next[1].SourceVersion != c.want {
			t.Errorf("%s: sv %d, ar %d; want %d, %d", c.name, c.next[0].SourceVersion, c.next[1].SourceVersion, c.wantSv, c.want)
		}
	}
}

// staleFixture is an entry verified in Swedish, Arabic and Somali.
func staleFixture(t *testing.T, d *db.DB) (*fixture, int64, EntryDraft) {
	t.Helper()
	f := newFixture(t, d)
	dr := EntryDraft{Kind: QA, Topics: []string{"vaccination"}, ValidUntil: "2021-12-31", Translations: []Translation{
		{Lang: "sv", Title: "Var vaccinerar jag mig?", Body: "Boka tid på 1177."},
		{Lang: "ar", Title: "أين أحصل على التطعيم؟", Body: "احجز موعدًا على 1177."},
		{Lang: "so", Title: "Xaggee laga tallaalaa?", Body: "Ballan ku qabso 1177."},
	}}
	id, err := f.store.CreateEntry(context.Background(), f.coord, f.opID, dr)
	if err != nil {
		t.Fatal(err)
	}
	f.move(t, id, Submit, Verify)
	return f, id, dr
}

// with returns a copy of d with the text of lang replaced.
func with(d EntryDraft, lang, title, body string) EntryDraft {
	d.Translations = slices.Clone(d.Translations)
	for i := range d.Translations {
		if d.Translations[i].Lang == lang {
			d.Translations[i].Title, d.Translations[i].Body = title, body
		}
	}
	return d
}

func TestChangingTheSwedishMakesTheTranslationsCarriedOverOutOfDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f, id, v1 := staleFixture(t, d)
		newest := func() Version {
			t.Helper()
			vs, err := f.store.Versions(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return vs[0]
		}
		edit := func(dr EntryDraft) {
			t.Helper()
			if _, err := f.store.Edit(ctx, f.coord, id, dr); err != nil {
				t.Fatal(err)
			}
		}
		if got := newest().OutOfDateLangs(); got != nil {
			t.Fatalf("a new entry has out-of-date translations: %v", got)
		}
		// The Swedish body changes in a new version: both others are old.
		v2 := with(v1, "sv", "Var vaccinerar jag mig?", "Boka tid på 1177 eller gå till en drop-in.")
		edit(v2)
		if v := newest(); v.Number != 2 || !slices.Equal(v.OutOfDateLangs(), []string{"ar", "so"}) {
			t.Fatalf("after the Swedish changed: v%d %v", v.Number, v.OutOfDateLangs())
		}
		// In place: the Arabic is rewritten, the Somali confirmed.
		v2 = with(v2, "ar", "أين أحصل على التطعيم؟", "احجز موعدًا على 1177 أو اذهب إلى عيادة دون موعد.")
		v2.StillMatches = []string{"so"}
		edit(v2)
		if v := newest(); v.Number != 2 || v.OutOfDateLangs() != nil {
			t.Fatalf("after updating and confirming: v%d %v", v.Number, v.OutOfDateLangs())
		}
		// The Swedish changes again in the same open version: out of date
		// again, though the version's number is the same.
		v2.StillMatches = nil
		v2 = with(v2, "sv", "Var vaccinerar jag mig?", "Boka tid på 1177.se eller gå till en drop-in-mottagning.")
		edit(v2)
		if v := newest(); v.Number != 2 || !slices.Equal(v.OutOfDateLangs(), []string{"ar", "so"}) {
			t.Fatalf("after a second change in place: v%d %v", v.Number, v.OutOfDateLangs())
		}
		// Saved again as it is, nothing becomes fresh by itself.
		edit(v2)
		if got := newest().OutOfDateLangs(); !slices.Equal(got, []string{"ar", "so"}) {
			t.Fatalf("saved unchanged: %v", got)
		}
		v2.StillMatches = []string{"ar", "so"}
		edit(v2)
		f.move(t, id, Verify)
		// A change of the Swedish title alone is a change.
		v3 := with(v2, "sv", "Var och hur vaccinerar jag mig?", "Boka tid på 1177.se eller gå till en drop-in-mottagning.")
		v3.StillMatches = nil
		edit(v3)
		if v := newest(); v.Number != 3 || !slices.Equal(v.OutOfDateLangs(), []string{"ar", "so"}) {
			t.Fatalf("after the title changed: v%d %v", v.Number, v.OutOfDateLangs())
		}
		// The version callers see is untouched by the edits after it.
		vs, _ := f.store.Versions(ctx, id)
		if vs[1].Status != Verified || vs[1].OutOfDateLangs() != nil {
			t.Fatalf("the verified version: %s %v", vs[1].Status, vs[1].OutOfDateLangs())
		}
		// Editors see it in their list.
		eds, err := f.store.ForEditors(ctx, f.opID, f.clock)
		if err != nil || len(eds) != 1 || !slices.Equal(eds[0].Newest.OutOfDateLangs(), []string{"ar", "so"}) {
			t.Fatalf("editors' list: %v %+v", err, eds)
		}
	}, parts...)
}

func TestCallersGetTheSwedishWithANoteInsteadOfAnOutOfDateTranslation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f, id, v1 := staleFixture(t, d)
		visit := f.clock
		f.clock = f.clock.Add(time.Hour)
		// The Swedish and the Somali change; the Arabic does not.
		v2 := with(v1, "sv", "Var vaccinerar jag mig?", "Ring vårdcentralen för att boka.")
		v2 = with(v2, "so", "Xaggee laga tallaalaa?", "Wac xarunta caafimaadka si aad u ballansato.")
		if _, err := f.store.Edit(ctx, f.coord, id, v2); err != nil {
			t.Fatal(err)
		}
		// Before it is verified, callers read version 1, in Arabic.
		es, err := f.store.ForCaller(ctx, f.opID, []string{"ar"}, f.clock, time.Time{})
		if err != nil || len(es) != 1 || es[0].Lang != "ar" || es[0].Outdated != "" {
			t.Fatalf("before verifying: %v %+v", err, es)
		}
		f.move(t, id, Verify)

		swedish := func(where string, e CallerEntry) {
			t.Helper()
			if e.Lang != "sv" || e.Body != "Ring vårdcentralen för att boka." || e.Outdated != "ar" || e.Fallback || e.Dir() != "ltr" {
				t.Errorf("%s: %+v", where, e)
			}
		}
		es, err = f.store.ForCaller(ctx, f.opID, []string{"ar", "sv"}, f.clock, visit)
		if err != nil || len(es) != 1 {
			t.Fatalf("ForCaller: %v %+v", err, es)
		}
		swedish("the list", es[0])
		if !es[0].New {
			t.Error("the new version is not new since her last visit")
		}
		e, _, err := f.store.Entry(ctx, id, []string{"ar"}, f.clock)
		if err != nil {
			t.Fatal(err)
		}
		swedish("the entry", e)
		// The Somali is fresh, and a Somali reader gets it.
		if e, _, _ := f.store.Entry(ctx, id, []string{"so"}, f.clock); e.Lang != "so" || e.Outdated != "" {
			t.Errorf("the Somali reader: %+v", e)
		}
		// Search finds it by the Swedish and shows the Swedish to an
		// Arabic reader; the out-of-date Arabic words find nothing.
		if es, err := f.store.Search(ctx, f.opID, "vårdcentralen", []string{"ar"}, f.clock); err != nil || len(es) != 1 {
			t.Fatalf("search by Swedish: %v %+v", err, es)
		} else {
			swedish("search", es[0])
		}
		if es, err := f.store.Search(ctx, f.opID, "احجز", []string{"ar"}, f.clock); err != nil || len(es) != 0 {
			t.Errorf("found by the out-of-date Arabic: %v %+v", err, es)
		}
		if es, err := f.store.Search(ctx, f.opID, "xarunta", []string{"so"}, f.clock); err != nil || len(es) != 1 || es[0].Lang != "so" {
			t.Errorf("search by the fresh Somali: %v %+v", err, es)
		}
		// The printed Arabic handbook has it, in Swedish, marked.
		ps, err := f.store.Printable(ctx, f.opID, "ar", f.clock)
		if err != nil || len(ps) != 1 {
			t.Fatalf("printable: %v %+v", err, ps)
		}
		swedish("print", ps[0])
		if ps, _ := f.store.Printable(ctx, f.opID, "so", f.clock); len(ps) != 1 || ps[0].Lang != "so" || ps[0].Outdated != "" {
			t.Errorf("the Somali print: %+v", ps)
		}
		// Updated and verified, the Arabic is back.
		v3 := with(v2, "ar", "أين أحصل على التطعيم؟", "اتصل بالمركز الصحي لحجز موعد.")
		if _, err := f.store.Edit(ctx, f.coord, id, v3); err != nil {
			t.Fatal(err)
		}
		f.move(t, id, Verify)
		if e, _, _ := f.store.Entry(ctx, id, []string{"ar"}, f.clock); e.Lang != "ar" || e.Outdated != "" {
			t.Errorf("after the Arabic was updated: %+v", e)
		}
		if es, _ := f.store.Search(ctx, f.opID, "بالمركز", []string{"ar"}, f.clock); len(es) != 1 {
			t.Errorf("the updated Arabic is not found: %+v", es)
		}
	}, parts...)
}

// Translations saved before their source was recorded count from the
// first version that had their text word for word: one carried past a
// change of the Swedish is out of date, and no longer found by search.
func TestTheMigrationDatesTranslationsFromTheVersionsThatHadThem(t *testing.T) {
	before := fstest.MapFS{}
	for _, name := range []string{"001_handbook.sql", "002_verified_alone.sql"} {
		data, err := fs.ReadFile(Migrations.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: data}
	}
	old := db.Migrations{Name: Migrations.Name, FS: before}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var entryID int64
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, `INSERT INTO handbook_entries (operation_id, kind, created_at) VALUES ($1, 'qa', $2) RETURNING id`, f.opID, f.clock).Scan(&entryID); err != nil {
				return err
			}
			versions := []map[string]string{
				{"sv": "a", "ar": "x"},
				{"sv": "b", "ar": "x", "so": "y"}, // the Swedish changed, the Arabic did not
				{"sv": "b", "ar": "x", "so": "z"}, // only the Somali changed
				{"sv": "b", "ar": "w", "so": "z"}, // the Arabic caught up
			}
			for i, ts := range versions {
				status := "superseded"
				if i == len(versions)-1 {
					status = "verified"
				}
				var vid int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO handbook_versions (entry_id, version, status, valid_until, created_by_name, created_at, verified_at)
					VALUES ($1, $2, $3, '2021-12-31', 'Sara', $4, $4) RETURNING id`, entryID, i+1, status, f.clock).Scan(&vid); err != nil {
					return err
				}
				for lang, title := range ts {
					if _, err := tx.ExecContext(ctx, `INSERT INTO handbook_translations (version_id, lang, title) VALUES ($1, $2, $3)`, vid, lang, title+"-text"); err != nil {
						return err
					}
					if err := f.store.ix.put(ctx, tx, vid, lang, title+"word"); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx, Migrations); err != nil {
			t.Fatal(err)
		}
		vs, err := f.store.Versions(ctx, entryID)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{{}, {"ar"}, {"ar"}, {}} // by version, oldest first
		for _, v := range vs {
			if got := v.OutOfDateLangs(); !slices.Equal(got, want[v.Number-1]) && len(got)+len(want[v.Number-1]) > 0 {
				t.Errorf("version %d: out of date %v, want %v", v.Number, got, want[v.Number-1])
			}
		}
		if ar, _ := vs[0].In("ar"); ar.SourceVersion != 4 {
			t.Errorf("the Arabic of version 4 is from %d", ar.SourceVersion)
		}
		if so, _ := vs[1].In("so"); so.SourceVersion != 3 {
			t.Errorf("the Somali of version 3 is from %d", so.SourceVersion)
		}
		// The index keeps the Arabic of versions 1 and 4, not of 2 and 3.
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM handbook_search WHERE lang = 'ar'`).Scan(&n); err != nil || n != 2 {
			t.Errorf("Arabic rows in the index: %d, %v", n, err)
		}
		// New edits go on from the migrated revisions.
		dr := EntryDraft{Kind: QA, ValidUntil: "2021-12-31", Translations: []Translation{{Lang: "sv", Title: "c-text"}, {Lang: "ar", Title: "w-text"}, {Lang: "so", Title: "z-text"}}}
		if _, err := f.store.Edit(ctx, f.coord, entryID, dr); err != nil {
			t.Fatal(err)
		}
		if vs, _ := f.store.Versions(ctx, entryID); vs[0].Number != 5 || !slices.Equal(vs[0].OutOfDateLangs(), []string{"ar", "so"}) {
			t.Errorf("an edit after the migration: v%d %v", vs[0].Number, vs[0].OutOfDateLangs())
		}
	}, auth.Migrations, operation.Migrations, old)
}
