package workshop_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

func TestWhatASavedTranslationRecords(t *testing.T) {
	t.Parallel()
	sv := process.Source{Title: "Workshop 1", Body: "17.30 Fika"}
	older := process.Source{Title: "Workshop 1", Body: "17.00 Fika"}
	fresh := process.Translation{Lang: "ar", Title: "ورشة 1", Body: "17.30 قهوة", From: sv}
	checked := fresh
	checked.Checked = true
	stale := process.Translation{Lang: "ar", Title: "ورشة 1", Body: "17.00 قهوة", Checked: true, From: older}
	for _, c := range []struct {
		name        string
		old         process.Translation
		had         bool
		edit        process.TranslationEdit
		keep        bool
		checked     bool
		from        process.Source
		staleBody   bool
		translator  string
		title, body string
	}{
		{name: "a new translation is made from the Swedish now, unchecked",
			edit: process.TranslationEdit{Title: "ورشة 1", Body: "17.30 قهوة", TranslatedBy: "Amal"}, keep: true, from: sv, translator: "Amal", title: "ورشة 1", body: "17.30 قهوة"},
		{name: "a new one a fluent speaker checked",
			edit: process.TranslationEdit{Title: "ورشة 1", Checked: true}, keep: true, checked: true, from: sv, title: "ورشة 1"},
		{name: "saved again unchanged, a checked one stays checked", old: checked, had: true,
			edit: process.TranslationEdit{Title: fresh.Title, Body: fresh.Body}, keep: true, checked: true, from: sv, title: fresh.Title, body: fresh.Body},
		{name: "its words changed, it is no longer checked", old: checked, had: true,
			edit: process.TranslationEdit{Title: fresh.Title, Body: "17.30 قهوة وكعك"}, keep: true, from: sv, title: fresh.Title, body: "17.30 قهوة وكعك"},
		{name: "older than the Swedish and saved as it was, it stays older and unchecked", old: stale, had: true,
			edit: process.TranslationEdit{Title: stale.Title, Body: stale.Body}, keep: true, from: older, staleBody: true, title: stale.Title, body: stale.Body},
		{name: "older, its agenda rewritten: made from the Swedish now", old: stale, had: true,
			edit: process.TranslationEdit{Title: stale.Title, Body: "17.30 قهوة"}, keep: true, from: sv, title: stale.Title, body: "17.30 قهوة"},
		{name: "older, and she says it still holds: current, not checked", old: stale, had: true,
			edit: process.TranslationEdit{Title: stale.Title, Body: stale.Body, Current: true}, keep: true, from: sv, title: stale.Title, body: stale.Body},
		{name: "older, and a fluent speaker checked it against the new Swedish", old: stale, had: true,
			edit: process.TranslationEdit{Title: stale.Title, Body: stale.Body, Checked: true}, keep: true, checked: true, from: sv, title: stale.Title, body: stale.Body},
		{name: "emptied, it is removed", old: checked, had: true, edit: process.TranslationEdit{TranslatedBy: "Amal"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, keep := c.edit.Apply(c.old, c.had, sv)
			if keep != c.keep {
				t.Fatalf("keep = %v, want %v", keep, c.keep)
			}
			if !keep {
				return
			}
			_, staleBody := got.Stale(sv)
			if got.Checked != c.checked || got.From != c.from || staleBody != c.staleBody || got.CheckedAgainst(sv) != (c.checked && !c.staleBody) ||
				got.TranslatedBy != c.translator || got.Title != c.title || got.Body != c.body {
				t.Errorf("saved %+v (stale agenda %v)", got, staleBody)
			}
		})
	}
}

func TestAReaderSeesHerLanguageElseTheSwedish(t *testing.T) {
	t.Parallel()
	w := workshop.Workshop{Title: "Workshop 1", Agenda: "17.30 Fika\nRing 1177", Texts: map[string]process.Translation{
		"ar":        {Lang: "ar", Title: "ورشة العمل 1", Body: "17.00 قهوة", Checked: true, From: process.Source{Title: "Workshop 1", Body: "17.00 Fika"}},
		"sv-x-easy": {Lang: "sv-x-easy", Title: "Möte 1", From: process.Source{Title: "Workshop 1"}},
	}}
	for _, c := range []struct {
		lang, title, titleLang, titleDir, agenda, agendaLang string
		titleChecked, agendaStale                            bool
	}{
		{"ar", "ورشة العمل 1", "ar", "rtl", "17.00 قهوة", "ar", true, true},
		{"en", "Workshop 1", "sv", "ltr", "17.30 Fika\nRing 1177", "sv", true, false},
		{"sv-x-easy", "Möte 1", "sv", "ltr", "17.30 Fika\nRing 1177", "sv", false, false},
		{"sv", "Workshop 1", "sv", "ltr", "17.30 Fika\nRing 1177", "sv", true, false},
	} {
		got := w.In(c.lang)
		if got.Title.Text != c.title || got.Title.Lang() != c.titleLang || got.Title.Dir() != c.titleDir || got.Title.Checked != c.titleChecked ||
			got.Agenda.Text != c.agenda || got.Agenda.Lang() != c.agendaLang || got.Agenda.Stale != c.agendaStale {
			t.Errorf("in %s: %+v", c.lang, got)
		}
	}
	// Numbers and addresses keep their order in right-to-left text; the
	// Swedish beside a stale translation is there to read.
	ar := w.In("ar").Agenda
	if got := string(ar.HTML()); got != `<bdi dir="ltr">17.00</bdi> قهوة` {
		t.Errorf("the Arabic agenda as HTML: %q", got)
	}
	if got := string(ar.SwedishHTML()); got != "17.30 Fika<br>Ring 1177" {
		t.Errorf("the Swedish beside it: %q", got)
	}
	if got := string(w.In("ar").Title.Inline()); got != `<span lang="ar"><bdi dir="rtl">ورشة العمل <bdi dir="ltr">1</bdi></bdi></span>` {
		t.Errorf("the title inline: %q", got)
	}
	// A text the Swedish does not have is shown in no language.
	if got := (workshop.Workshop{Title: "W", Texts: map[string]process.Translation{"ar": {Body: "قديم"}}}).In("ar").Agenda; got.Text != "" {
		t.Errorf("an agenda removed in Swedish is still shown: %+v", got)
	}
}

// translate saves translations into lang, failing the test on an error.
func translate(t *testing.T, s *workshop.Store, lang string, edits map[process.TextRef]process.TranslationEdit) {
	t.Helper()
	if err := s.Translate(context.Background(), lang, edits); err != nil {
		t.Fatal(err)
	}
}

func TestTranslationsAreKeptAndMarkedWhenTheSwedishChanges(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		p := w.process(t)
		wid, err := w.s.SaveWorkshop(ctx, workshop.Workshop{ProcessID: p.ID, Title: "Workshop 1", Agenda: "17.30 Fika", StartsAt: w.now, EndsAt: w.now.Add(time.Hour), Place: "Dalhem"})
		if err != nil {
			t.Fatal(err)
		}
		q1, _ := w.s.OpenPrompt(ctx, wid, "Vad fungerar extra bra?")
		w.s.OpenPrompt(ctx, wid, "Vad fungerar extra dåligt?")
		proc, ws, pq1 := process.TextRef{Kind: "process", ID: p.ID}, process.TextRef{Kind: "workshop", ID: wid}, process.TextRef{Kind: "prompt", ID: q1}
		translate(t, w.s, "ar", map[process.TextRef]process.TranslationEdit{
			proc: {Title: "أهداف 2023", Body: "أهداف اللجنة", TranslatedBy: "Amal"},
			ws:   {Title: " ورشة العمل 1 ", Body: "17.30 قهوة\r\n", TranslatedBy: "Amal", Checked: true},
			pq1:  {Title: "ما الذي يعمل بشكل جيد جدًا؟", Checked: true},
		})
		got, _ := w.s.Workshop(ctx, wid)
		if ar := got.In("ar"); ar.Title.Text != "ورشة العمل 1" || ar.Agenda.Text != "17.30 قهوة" || !ar.Title.Checked || ar.Agenda.Stale {
			t.Errorf("the workshop in Arabic: %+v", ar)
		}
		if tr := got.Texts["ar"]; tr.TranslatedBy != "Amal" || tr.From != got.Source() {
			t.Errorf("stored: %+v", tr)
		}
		prompts, _ := w.s.Prompts(ctx, wid)
		if a, b := prompts[0].In("ar"), prompts[1].In("ar"); a.Text != "ما الذي يعمل بشكل جيد جدًا؟" || a.Code != "ar" || b.Text != "Vad fungerar extra dåligt?" || b.Code != "sv" {
			t.Errorf("prompts in Arabic: %+v, %+v", a, b)
		}
		if ws, _ := w.s.Workshops(ctx, p.ID); len(ws) != 1 || ws[0].In("ar").Title.Text != "ورشة العمل 1" {
			t.Errorf("the process's workshops lack their translations: %+v", ws)
		}

		// The Swedish agenda changes: the agenda's translation is older
		// than it and no longer checked; the name's is as it was.
		changed := got
		changed.Agenda = "18.00 Fika"
		if _, err := w.s.SaveWorkshop(ctx, changed); err != nil {
			t.Fatal(err)
		}
		got, _ = w.s.Workshop(ctx, wid)
		if ar := got.In("ar"); !ar.Agenda.Stale || ar.Agenda.Checked || ar.Agenda.Swedish != "18.00 Fika" || ar.Title.Stale || !ar.Title.Checked {
			t.Errorf("after the Swedish agenda changed: %+v", ar)
		}
		// So with the process's purpose.
		if err := w.s.UpdateProcess(ctx, p.ID, process.NewProcess{Title: p.Title, Purpose: "Nämndens mål för 2023", DecidingBody: p.DecidingBody}); err != nil {
			t.Fatal(err)
		}
		p2, _ := w.s.Process(ctx, p.ID)
		if ar := p2.In("ar"); !ar.Purpose.Stale || ar.Title.Stale {
			t.Errorf("after the Swedish purpose changed: %+v", ar)
		}
		if en := p2.In("en"); en.Title.Text != "Goals 2023" || en.Purpose.Text != "Nämndens mål för 2023" || en.Purpose.Code != "sv" {
			t.Errorf("in English: %+v", en)
		}

		// A form shown before the Swedish changed saves nothing, and says
		// why beside the text whose Swedish moved.
		shownBefore := process.TranslationEdit{Title: "ورشة العمل 1", Body: "18.00 قهوة", Shown: "0000000000000000"}
		err = w.s.Translate(ctx, "ar", map[process.TextRef]process.TranslationEdit{ws: shownBefore, pq1: {Title: "تغيير"}})
		if l, ok := problem.As(err); !ok || l[0].Key != "cc.error.swedish_changed" || l[0].Kind != problem.Conflict || l[0].Field != ws.Field("title") {
			t.Fatalf("saving against an older Swedish: %v", err)
		}
		if prompts, _ := w.s.Prompts(ctx, wid); prompts[0].In("ar").Text != "ما الذي يعمل بشكل جيد جدًا؟" {
			t.Error("half of a refused save was kept")
		}
		// Rewritten against the Swedish now, it is current again.
		translate(t, w.s, "ar", map[process.TextRef]process.TranslationEdit{ws: {Title: "ورشة العمل 1", Body: "18.00 قهوة", TranslatedBy: "Amal"}})
		got, _ = w.s.Workshop(ctx, wid)
		if ar := got.In("ar"); ar.Agenda.Stale || ar.Agenda.Checked || ar.Agenda.Text != "18.00 قهوة" {
			t.Errorf("rewritten: %+v", ar)
		}

		// Emptied, a translation is gone; the reader sees the Swedish.
		translate(t, w.s, "ar", map[process.TextRef]process.TranslationEdit{pq1: {}})
		if prompts, _ := w.s.Prompts(ctx, wid); prompts[0].In("ar").Code != "sv" || prompts[0].Texts["ar"].Title != "" {
			t.Errorf("an emptied translation is still there: %+v", prompts[0].Texts)
		}

		// What cannot be saved is refused, field by field, and nothing is.
		for _, c := range []struct {
			lang  string
			edits map[process.TextRef]process.TranslationEdit
			field string
		}{
			{"sv", map[process.TextRef]process.TranslationEdit{ws: {Title: "x"}}, "lang"},
			{"xx", map[process.TextRef]process.TranslationEdit{ws: {Title: "x"}}, "lang"},
			{"so", map[process.TextRef]process.TranslationEdit{ws: {Title: strings.Repeat("a", process.MaxTitle+1)}}, ws.Field("title")},
			{"so", map[process.TextRef]process.TranslationEdit{pq1: {Title: strings.Repeat("a", process.MaxPrompt+1)}}, pq1.Field("title")},
			{"so", map[process.TextRef]process.TranslationEdit{ws: {Title: "x", Body: strings.Repeat("a", process.MaxText+1)}}, ws.Field("body")},
		} {
			err := w.s.Translate(ctx, c.lang, c.edits)
			if l, ok := problem.As(err); !ok || l[0].Field != c.field {
				t.Errorf("%s %+v: %v, want a problem with %s", c.lang, c.edits, err, c.field)
			}
		}
		if err := w.s.Translate(ctx, "so", map[process.TextRef]process.TranslationEdit{{Kind: "workshop", ID: 9999}: {Title: "x"}}); err == nil {
			t.Error("a translation of no workshop was saved")
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM cc_translations WHERE lang = 'so'`).Scan(&n)
		if n != 0 {
			t.Errorf("%d refused translations were saved", n)
		}

		// Next year's copy has the process's translations, up to date
		// with its Swedish as they were with this year's.
		copyID, err := w.s.CopyToNextYear(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := w.s.Process(ctx, copyID)
		if ar := c.In("ar"); ar.Title.Text != "أهداف 2024" || ar.Title.Stale || !ar.Purpose.Stale {
			t.Errorf("the copy in Arabic: %+v", ar)
		}
	}, auth.Migrations, process.Migrations)
}

// The English names and purposes processes had before translations were
// kept in their own table move to the translations, as made from the
// Swedish they stand beside.
func TestEnglishNamesFromBeforeBecomeTranslations(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		before := fstest.MapFS{}
		files, _ := fs.Glob(process.Migrations.FS, "*.sql")
		for _, f := range files {
			if f < "005" {
				b, _ := fs.ReadFile(process.Migrations.FS, f)
				before[f] = &fstest.MapFile{Data: b}
			}
		}
		if err := d.Migrate(ctx, db.Migrations{Name: process.Migrations.Name, FS: before}); err != nil {
			t.Fatal(err)
		}
		org, err := auth.NewStore(d).CreateOrg(ctx, "Socialförvaltningen", auth.Administration)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO cc_processes (id, org_id, title, purpose, join_code, join_until, created_at) VALUES (7, $1, 'Mål 2023', 'Nämndens mål', 'code', $2, $2)`,
			org.ID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO cc_process_texts (process_id, lang, title, purpose) VALUES (7, 'en', 'Goals 2023', 'The board''s goals')`); err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx, process.Migrations); err != nil {
			t.Fatal(err)
		}
		s := &workshop.Store{Store: &process.Store{DB: d}}
		p, err := s.Process(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if en := p.In("en"); en.Title.Text != "Goals 2023" || en.Purpose.Text != "The board's goals" || en.Title.Stale || en.Purpose.Stale || en.Title.Checked {
			t.Errorf("the English from before: %+v", en)
		}
	}, auth.Migrations)
}
