package handbook

import (
	"context"
	"testing"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

type fixture struct {
	store *Store
	coord *auth.User
	opID  int64
	clock time.Time
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{clock: time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)}
	f.store = NewStore(d, func() time.Time { return f.clock })
	as := auth.NewStore(d)
	lead, err := as.CreateOrg(ctx, "Lead", auth.Administration)
	if err != nil {
		t.Fatal(err)
	}
	id, err := as.CreatePerson(ctx, auth.NewPerson{Name: "Sara", Email: "s@x.se"}, lead.ID, auth.Coordinator, "")
	if err != nil {
		t.Fatal(err)
	}
	f.coord, _ = as.User(ctx, id)
	ops := &operation.Store{DB: d, Now: f.store.Now}
	f.opID, err = ops.Create(ctx, f.coord, operation.Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: lead.ID, Level: 2})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) entry(t testing.TB, validUntil string, ts ...Translation) int64 {
	t.Helper()
	id, err := f.store.CreateEntry(context.Background(), f.coord, f.opID, EntryDraft{Kind: QA, Topics: []string{"vaccination"}, Source: "Folkhälsomyndigheten", ValidUntil: validUntil, Translations: ts})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) move(t testing.TB, id int64, as ...Action) {
	t.Helper()
	for _, a := range as {
		if err := f.store.Move(context.Background(), f.coord, id, a); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
}

func titles(es []CallerEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Title)
	}
	return out
}

var parts = []db.Migrations{auth.Migrations, operation.Migrations, Migrations}

func TestOnlyVerifiedEntriesReachCallersAndAnEditKeepsTheOldVersionVisible(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		sv := Translation{Lang: "sv", Title: "Var vaccinerar jag mig?", Body: "Boka tid på 1177."}
		id := f.entry(t, "2021-12-31", sv, Translation{Lang: "ar", Title: "أين أحصل على التطعيم؟", Body: "احجز موعدًا على 1177."})
		caller := func() []CallerEntry {
			es, err := f.store.ForCaller(ctx, f.opID, []string{"ar"}, f.clock, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		if len(caller()) != 0 {
			t.Fatal("a draft reached callers")
		}
		if err := f.store.Move(ctx, f.coord, id, Verify); !isProblem(err, "handbook.error.flow") {
			t.Fatalf("verifying a draft: %v", err)
		}
		f.move(t, id, Submit)
		if len(caller()) != 0 {
			t.Fatal("an entry in review reached callers")
		}
		f.move(t, id, Verify)
		got := caller()
		if len(got) != 1 || got[0].Lang != "ar" || got[0].Fallback || got[0].Dir() != "rtl" {
			t.Fatalf("verified entry: %+v", got)
		}

		// An edit of a verified entry is a new version in review; callers
		// keep the verified one.
		sv.Body = "Boka tid på 1177 eller ring vårdcentralen."
		vid, err := f.store.Edit(ctx, f.coord, id, EntryDraft{Kind: QA, ValidUntil: "2021-12-31", Translations: []Translation{sv}})
		if err != nil {
			t.Fatal(err)
		}
		vs, _ := f.store.Versions(ctx, id)
		if len(vs) != 2 || vs[0].ID != vid || vs[0].Status != InReview || vs[1].Status != Verified {
			t.Fatalf("versions after edit: %+v", vs)
		}
		if got := caller(); len(got) != 1 || got[0].Lang != "ar" {
			t.Fatalf("callers after edit: %+v", got)
		}
		// Verified: the new version replaces the old, which is superseded
		// and kept. It has no Arabic: the caller reads Swedish, flagged.
		f.clock = f.clock.Add(time.Hour)
		f.move(t, id, Verify)
		vs, _ = f.store.Versions(ctx, id)
		if vs[0].Status != Verified || vs[1].Status != Superseded || vs[0].VerifiedByName != "Sara" {
			t.Fatalf("versions after verify: %+v", vs)
		}
		got = caller()
		if len(got) != 1 || got[0].Lang != "sv" || !got[0].Fallback || got[0].Body != sv.Body {
			t.Fatalf("callers after verify: %+v", got)
		}
		diff := Diff(vs[1], vs[0], "sv")
		if !diff.Changed() {
			t.Fatalf("diff: %+v", diff)
		}
		f.move(t, id, Archive)
		if len(caller()) != 0 {
			t.Fatal("an archived entry reached callers")
		}
	}, parts...)
}

func TestAnExpiredEntryIsHiddenFromCallersAndFlaggedForEditors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.entry(t, "2021-03-01", Translation{Lang: "sv", Title: "Gäller till i dag"})
		f.move(t, id, Submit, Verify)
		if es, _ := f.store.ForCaller(ctx, f.opID, nil, f.clock, time.Time{}); len(es) != 1 {
			t.Fatalf("valid through its last day: %v", es)
		}
		f.clock = time.Date(2021, 3, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 March in Stockholm
		if es, _ := f.store.ForCaller(ctx, f.opID, nil, f.clock, time.Time{}); len(es) != 0 {
			t.Fatalf("expired entry reached callers: %v", es)
		}
		if _, _, err := f.store.Entry(ctx, id, nil, f.clock); err != ErrNotFound {
			t.Fatalf("Entry of an expired entry: %v", err)
		}
		eds, _ := f.store.ForEditors(ctx, f.opID, f.clock)
		if len(eds) != 1 || !eds[0].Expired {
			t.Fatalf("editors: %+v", eds)
		}
		// Re-verified with a new date, it is back.
		if _, err := f.store.Edit(ctx, f.coord, id, EntryDraft{Kind: QA, ValidUntil: "2021-06-30", Translations: []Translation{{Lang: "sv", Title: "Gäller till i dag"}}}); err != nil {
			t.Fatal(err)
		}
		f.move(t, id, Verify)
		if es, _ := f.store.ForCaller(ctx, f.opID, nil, f.clock, time.Time{}); len(es) != 1 {
			t.Fatalf("re-verified: %v", es)
		}
	}, parts...)
}

func TestSearchFindsWordsInEveryLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		vacc := f.entry(t, "2021-12-31",
			Translation{Lang: "sv", Title: "Är vaccinet gratis?", Body: "Ja, vaccinationen är kostnadsfri."},
			Translation{Lang: "ar", Title: "هل اللقاح مجاني؟", Body: "نعم، التطعيم مجاني."},
			Translation{Lang: "so", Title: "Tallaalku ma bilaash baa?", Body: "Haa, tallaalku waa lacag la'aan."},
			Translation{Lang: "ti", Title: "ክታበት ብነጻ ድዩ?", Body: "እወ፡ ብነጻ እዩ።"})
		test := f.entry(t, "2021-12-31", Translation{Lang: "sv", Title: "Hur testar jag mig?", Body: "Beställ ett självtest."})
		draft := f.entry(t, "2021-12-31", Translation{Lang: "sv", Title: "Vaccin utkast"})
		f.move(t, vacc, Submit, Verify)
		f.move(t, test, Submit, Verify)
		_ = draft
		for _, c := range []struct {
			q    string
			want []int64
		}{
			{"vaccinet", []int64{vacc}},
			{"VACCIN", []int64{vacc}}, // prefix and case; the draft is not found
			{"kostnadsfri vaccinationen", []int64{vacc}},
			{"hur testar", []int64{test}},
			{"sjalvtest", []int64{test}}, // without the ä
			{"اللقاح", []int64{vacc}},    // Arabic
			{"مَجّانِي", []int64{vacc}},  // with harakat
			{"tallaalku", []int64{vacc}}, // Somali
			{"la’aan", []int64{vacc}},    // Somali with a typographic apostrophe
			{"ክታበት", []int64{vacc}},      // Tigrinya
			{"nothing-like-this", nil},
		} {
			got, err := f.store.Search(ctx, f.opID, c.q, []string{"sv"}, f.clock)
			if err != nil {
				t.Fatalf("%q: %v", c.q, err)
			}
			var ids []int64
			for _, e := range got {
				ids = append(ids, e.EntryID)
			}
			if len(ids) != len(c.want) || (len(ids) > 0 && ids[0] != c.want[0]) {
				t.Errorf("search %q: %v, want %v", c.q, ids, c.want)
			}
		}
	}, parts...)
}

func TestBadEntriesAreRefusedAndNothingIsSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		for _, c := range []struct {
			name string
			d    EntryDraft
			key  string
		}{
			{"no Swedish title", EntryDraft{Kind: QA, ValidUntil: "2021-12-31", Translations: []Translation{{Lang: "en", Title: "Only English"}}}, "handbook.error.swedish_title"},
			{"empty Swedish title", EntryDraft{Kind: QA, ValidUntil: "2021-12-31", Translations: []Translation{{Lang: "sv", Title: "  "}}}, "handbook.error.swedish_title"},
			{"unknown tag", EntryDraft{Kind: QA, ValidUntil: "2021-12-31", Translations: []Translation{{Lang: "sv", Title: "x"}, {Lang: "xx-invalid-tag!", Title: "y"}}}, "handbook.error.lang"},
			{"twice", EntryDraft{Kind: QA, ValidUntil: "2021-12-31", Translations: []Translation{{Lang: "sv", Title: "x"}, {Lang: "SV", Title: "y"}}}, "handbook.error.lang_twice"},
			{"kind", EntryDraft{Kind: "poem", ValidUntil: "2021-12-31", Translations: []Translation{{Lang: "sv", Title: "x"}}}, "handbook.error.kind"},
			{"topic", EntryDraft{Kind: QA, Topics: []string{"gossip"}, ValidUntil: "2021-12-31", Translations: []Translation{{Lang: "sv", Title: "x"}}}, "handbook.error.topic"},
			{"date", EntryDraft{Kind: QA, ValidUntil: "31/12", Translations: []Translation{{Lang: "sv", Title: "x"}}}, "handbook.error.valid_until"},
		} {
			if _, err := f.store.CreateEntry(ctx, f.coord, f.opID, c.d); !isProblem(err, c.key) {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
		}
		if es, _ := f.store.ForEditors(ctx, f.opID, f.clock); len(es) != 0 {
			t.Fatalf("saved: %+v", es)
		}
		if _, err := f.store.Printable(ctx, f.opID, "ti", f.clock); !isProblem(err, "handbook.error.no_entries") {
			t.Fatalf("printable without entries: %v", err)
		}
	}, parts...)
}

func isProblem(err error, key string) bool {
	l, ok := problem.As(err)
	if !ok {
		return false
	}
	for _, p := range l {
		if p.Key == key {
			return true
		}
	}
	return false
}
