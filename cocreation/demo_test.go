package cocreation_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"megafon/cocreation"
	"megafon/cocreation/process"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
)

// seededDemo is a server with the demo city's people and the demo process,
// seeded by the module itself; it reports how long the seeding took.
func seededDemo(t *testing.T, dialect db.Dialect) (*webtest.Server, *cocreation.Module, process.Process, time.Duration) {
	t.Helper()
	m := &cocreation.Module{}
	s := webtest.New(t, dialect, false, m)
	ctx := context.Background()
	start := time.Now()
	if err := m.SeedDemo(ctx, s.App, s.City); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	took := time.Since(start)
	ps, err := m.Store().Processes(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("%d processes after seeding, want 1", len(ps))
	}
	return s, m, ps[0], took
}

func eachDialect(t *testing.T, fn func(t *testing.T, dialect db.Dialect)) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			fn(t, dialect)
		})
	}
}

// The demo process is the social administration's board goals, in the
// workshops phase today, in Swedish with an English translation.
func TestDemoProcessIsInItsWorkshopsPhase(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, _, p, took := seededDemo(t, dialect)
		t.Logf("%s: seeded the demo process in %v", dialect, took)
		if en := p.In("en").Title; p.Title != cocreation.DemoTitle || en.Text != "Social welfare board goals 2023" || !en.Checked || p.DecidingBody != "Socialnämnden" {
			t.Errorf("process %q / %+v / %q", p.Title, en, p.DecidingBody)
		}
		if p.OrgID != s.City.Orgs[demo.SocialAdmin].ID {
			t.Errorf("owned by org %d, want the social administration", p.OrgID)
		}
		if len(p.Phases) != len(process.PhaseKinds) {
			t.Errorf("%d phases, want %d", len(p.Phases), len(process.PhaseKinds))
		}
		now := s.App.Now()
		if cur, _ := process.CurrentPhase(p.Phases, now); cur.Kind != "workshops" {
			t.Errorf("current phase %q, want workshops", cur.Kind)
		}
		if !p.JoinUntil.After(now) {
			t.Errorf("join link expired at %v", p.JoinUntil)
		}
	})
}

// 60 participants of every role with consent of the current version, four
// typed in from paper, two who withdrew and kept nothing personal.
func TestDemoParticipants(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, m, p, _ := seededDemo(t, dialect)
		ctx := context.Background()
		all, err := m.Store().Participants(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 60 {
			t.Fatalf("%d participants, want 60", len(all))
		}
		roles, bands := map[string]int{}, map[string]int{}
		var paper, withdrawn, english int
		for _, pt := range all {
			if pt.Withdrawn {
				withdrawn++
				if pt.Name != "" || pt.Role != "" || pt.AgeBand != "" || len(pt.Services) > 0 || pt.ConsentVersion != "" {
					t.Errorf("withdrawn participant %d kept %+v", pt.ID, pt)
				}
				continue
			}
			roles[pt.Role]++
			bands[pt.AgeBand]++
			if pt.Name == "" || pt.ConsentVersion != process.ConsentVersion || pt.ConsentedAt.IsZero() || pt.ConsentedAt.After(s.App.Now()) {
				t.Errorf("participant %d: name %q, consent %q at %v", pt.ID, pt.Name, pt.ConsentVersion, pt.ConsentedAt)
			}
			if pt.FromPaper {
				paper++
			}
			if pt.Lang == "en" {
				english++
			}
		}
		for _, r := range process.ParticipantRoles {
			if roles[r] == 0 {
				t.Errorf("no participant with the role %s", r)
			}
		}
		for _, b := range process.AgeBands {
			if bands[b] == 0 {
				t.Errorf("nobody in the age band %s", b)
			}
		}
		if paper != 4 || withdrawn != 2 || english == 0 {
			t.Errorf("%d from paper, %d withdrawn, %d in English; want 4, 2, some", paper, withdrawn, english)
		}
		t.Logf("roles %v, age bands %v", roles, bands)

		c, err := m.Store().ParticipantCounts(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Total != 58 {
			t.Errorf("overview counts %d participants, want 58 (60 less the two who withdrew)", c.Total)
		}
		// Nothing left that could bring a withdrawn participant back, and
		// no sign-ups counted for her.
		var left int
		if err := s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_participants p WHERE p.process_id = $1 AND p.withdrawn_at IS NOT NULL
			AND (p.token_hash IS NOT NULL OR p.code_hash IS NOT NULL OR EXISTS (SELECT 1 FROM cc_signups s WHERE s.participant_id = p.id))`, p.ID).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Errorf("%d withdrawn participants still have a token, a code or a sign-up", left)
		}
		var withTokens int
		if err := s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_participants WHERE process_id = $1 AND withdrawn_at IS NULL AND NOT from_paper
			AND token_hash IS NOT NULL AND code_hash IS NOT NULL`, p.ID).Scan(&withTokens); err != nil {
			t.Fatal(err)
		}
		if withTokens != 54 {
			t.Errorf("%d participants who joined by link have a token and a code, want 54", withTokens)
		}
	})
}

// Four workshops in the workshops phase: three held with attendance and
// their prompts closed, one on today with both prompts open, one by video
// link, with interpreters and access notes.
func TestDemoWorkshops(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, m, p, _ := seededDemo(t, dialect)
		ctx := context.Background()
		st := m.Store()
		ws, err := st.Workshops(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 4 {
			t.Fatalf("%d workshops, want 4", len(ws))
		}
		now := s.App.Now()
		video := 0
		for i, w := range ws {
			if w.Attended == 0 || w.Attended > w.SignedUp || w.SignedUp > w.Capacity {
				t.Errorf("workshop %q: %d came of %d signed up, capacity %d", w.Title, w.Attended, w.SignedUp, w.Capacity)
			}
			if w.Agenda == "" || w.Interpreters == "" || w.Accessibility == "" || !strings.Contains(w.Facilitators, "Gunilla Christiansson") {
				t.Errorf("workshop %q lacks agenda, interpreters, access notes or its facilitator: %+v", w.Title, w)
			}
			if w.VideoURL != "" {
				video++
			} else if w.Place == "" {
				t.Errorf("workshop %q has neither place nor link", w.Title)
			}
			if cur, _ := process.CurrentPhase(p.Phases, w.StartsAt); cur.Kind != "workshops" {
				t.Errorf("workshop %q on %v falls in the %q phase", w.Title, w.StartsAt, cur.Kind)
			}
			prompts, err := st.Prompts(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			open := 0
			for _, q := range prompts {
				if q.Open {
					open++
				}
			}
			last := i == len(ws)-1
			switch {
			case len(prompts) != 2:
				t.Errorf("workshop %q has %d prompts, want 2", w.Title, len(prompts))
			case last && (process.Day(w.StartsAt) != process.Day(now) || open != 2):
				t.Errorf("last workshop on %s with %d open prompts, want today with 2", process.Day(w.StartsAt), open)
			case !last && (!w.EndsAt.Before(now) || open != 0):
				t.Errorf("workshop %q ends %v with %d open prompts, want past and closed", w.Title, w.EndsAt, open)
			}
			t.Logf("%s %s–%s %q: %d signed up, %d came", process.Day(w.StartsAt), w.StartsAt.In(process.Stockholm).Format("15:04"),
				w.EndsAt.In(process.Stockholm).Format("15:04"), w.Title, w.SignedUp, w.Attended)
		}
		if video != 1 {
			t.Errorf("%d workshops by video link, want 1", video)
		}
	})
}

// 180 notes answering the prompts, by participants who came, in named
// themes (the newest few of today's workshop wait to be grouped), some
// merged, marked or typed in from paper; a withdrawn author shows as "a
// participant".
func TestDemoNotes(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, m, p, _ := seededDemo(t, dialect)
		ctx := context.Background()
		st := m.Store()
		var total, merged, strangers int
		if err := s.App.DB.QueryRow(ctx, `SELECT COUNT(*), COUNT(n.merged_into),
			COUNT(CASE WHEN NOT EXISTS (SELECT 1 FROM cc_signups s WHERE s.workshop_id = n.workshop_id AND s.participant_id = n.participant_id AND s.attended)
				AND pt.withdrawn_at IS NULL THEN 1 END)
			FROM cc_notes n JOIN cc_workshops w ON w.id = n.workshop_id JOIN cc_participants pt ON pt.id = n.participant_id WHERE w.process_id = $1`, p.ID).
			Scan(&total, &merged, &strangers); err != nil {
			t.Fatal(err)
		}
		if total != 180 {
			t.Errorf("%d notes, want 180", total)
		}
		if merged < 3 {
			t.Errorf("%d duplicates merged, want a few", merged)
		}
		if strangers != 0 {
			t.Errorf("%d notes by someone who did not come", strangers)
		}

		ws, err := st.Workshops(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		themeNames := map[string]bool{}
		marks := map[string]int{}
		var visible, paper, anonymous, waiting, counted int
		for i, w := range ws {
			themes, err := st.Themes(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(themes) < 4 {
				t.Errorf("workshop %q has %d themes, want at least 4", w.Title, len(themes))
			}
			for _, th := range themes {
				themeNames[th.Name] = true
			}
			notes, err := st.Notes(ctx, w.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) < 30 {
				t.Errorf("workshop %q shows %d notes, want at least 30", w.Title, len(notes))
			}
			for _, n := range notes {
				visible++
				marks[n.Mark]++
				if n.FromPaper {
					paper++
				}
				if n.Withdrawn {
					anonymous++
				} else if n.Participant == 0 {
					t.Errorf("note %d has no author", n.ID)
				}
				if n.ThemeID == 0 {
					if i != len(ws)-1 {
						t.Errorf("note %q of the past workshop %q is in no theme", n.Text, w.Title)
					}
					waiting++
				}
			}
		}
		for _, name := range []string{"Bemötande", "Väntetider", "Information och språk", "Digitala tjänster"} {
			if !themeNames[name] {
				t.Errorf("no theme %q", name)
			}
		}
		if visible != total-merged {
			t.Errorf("%d notes on the boards, want %d", visible, total-merged)
		}
		if marks["journey"] < 10 || marks["proposal"] < 10 || paper < 5 || anonymous < 2 || waiting == 0 || waiting > 10 {
			t.Errorf("marks %v, %d from paper, %d anonymous, %d waiting for a theme", marks, paper, anonymous, waiting)
		}
		bt, err := st.NotesByTheme(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range bt {
			if c.Theme != "" {
				counted += c.Notes
			}
		}
		if counted != visible-waiting {
			t.Errorf("the overview counts %d notes in themes, want %d", counted, visible-waiting)
		}
		t.Logf("%d notes, %d merged, %d in themes, %d waiting, marks %v, %d from paper, %d anonymous", total, merged, counted, waiting, marks, paper, anonymous)
	})
}

// On first start a newcomer can join by the link and post a note to
// today's workshop straight away.
func TestDemoNewcomerPostsStraightAway(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		_, m, p, _ := seededDemo(t, dialect)
		ctx := context.Background()
		st := m.Store()
		id, _, err := st.Join(ctx, p, process.Joining{Name: "Ny deltagare", Role: "service_user", Consent: true})
		if err != nil {
			t.Fatalf("join: %v", err)
		}
		ws, err := st.Workshops(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		today := ws[len(ws)-1]
		if err := st.SignUp(ctx, p, today, id); err != nil {
			t.Fatalf("sign up for today's workshop: %v", err)
		}
		prompts, err := st.Prompts(ctx, today.ID)
		if err != nil {
			t.Fatal(err)
		}
		nid, err := st.PostNote(ctx, p, today.ID, prompts[0].ID, id, 0, "Bra att det finns fika", "newcomer-note-1")
		if err != nil {
			t.Fatalf("post a note: %v", err)
		}
		notes, err := st.Notes(ctx, today.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if last := notes[len(notes)-1]; last.ID != nid || last.Participant != id {
			t.Errorf("the newest note on today's board is %+v, want the newcomer's", last)
		}
	})
}

// Seeding again finds the process and adds nothing.
func TestDemoSeedsOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, m, p, _ := seededDemo(t, dialect)
		ctx := context.Background()
		count := func() string {
			var n [4]int
			if err := s.App.DB.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM cc_processes), (SELECT COUNT(*) FROM cc_participants),
				(SELECT COUNT(*) FROM cc_workshops), (SELECT COUNT(*) FROM cc_notes)`).Scan(&n[0], &n[1], &n[2], &n[3]); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(n)
		}
		before := count()
		if err := m.SeedDemo(ctx, s.App, s.City); err != nil {
			t.Fatalf("seed again: %v", err)
		}
		if after := count(); after != before || before != "[1 60 4 180]" {
			t.Errorf("processes, participants, workshops, notes: %s, then %s; want [1 60 4 180] both times", before, after)
		}
		if _, err := m.Store().Process(ctx, p.ID); err != nil {
			t.Error(err)
		}
	})
}

// The same notes by the same people in the same themes on every seeding,
// so that screenshots are stable.
func TestDemoIsDeterministic(t *testing.T) {
	t.Parallel()
	board := func() []string {
		_, m, p, _ := seededDemo(t, db.SQLite)
		ctx := context.Background()
		ws, err := m.Store().Workshops(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range ws {
			themes, _ := m.Store().Themes(ctx, w.ID)
			name := map[int64]string{}
			for _, th := range themes {
				name[th.ID] = th.Name
			}
			att, err := m.Store().Attendance(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range att {
				out = append(out, fmt.Sprintf("%s: %s came %v", w.Title, a.Name, a.Attended))
			}
			notes, err := m.Store().Notes(ctx, w.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range notes {
				out = append(out, fmt.Sprintf("%s: %d | %s | %s | %s", w.Title, n.Participant, name[n.ThemeID], n.Mark, n.Text))
			}
		}
		return out
	}
	a, b := board(), board()
	if !slices.Equal(a, b) {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("seedings differ at line %d: %q and %q", i, a[i], b[i])
			}
		}
		t.Fatalf("seedings differ: %d and %d lines", len(a), len(b))
	}
}

// On first start the facilitator sees the demo on her pages: the overview
// in counts, and today's board with its notes and themes; the board
// member reads the overview.
func TestDemoPages(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		s, m, p, _ := seededDemo(t, dialect)
		ws, err := m.Store().Workshops(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		today := ws[len(ws)-1]
		facilitator, board := s.As("processledare@demo.megafon.se"), s.As("ledamot@demo.megafon.se")
		for _, tc := range []struct {
			who  *webtest.Client
			path string
			want []string
		}{
			{facilitator, "/processes", []string{cocreation.DemoTitle}},
			{facilitator, fmt.Sprintf("/processes/%d/overview", p.ID), []string{"Bemötande", "Väntetider", today.Title}},
			{facilitator, fmt.Sprintf("/workshops/%d/board", today.ID), []string{"Vad fungerar extra bra?", "Information och språk",
				"Lättläst beslut med bilder. Första gången jag förstod mitt beslut."}},
			{facilitator, fmt.Sprintf("/workshops/%d/board", ws[0].ID), []string{"Ringde 14 gånger innan någon svarade."}},
			{board, fmt.Sprintf("/processes/%d/overview", p.ID), []string{"Bemötande"}},
		} {
			r := tc.who.Get(tc.path)
			text := webtest.Text(r.Body)
			if r.Status != 200 {
				t.Errorf("GET %s: %d", tc.path, r.Status)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("GET %s does not show %q", tc.path, w)
				}
			}
		}
	})
}

// The demo seeds at any time of day, on the days the clocks change too,
// with today's workshop still today.
func TestDemoSeedsAtAnyHour(t *testing.T) {
	t.Parallel()
	for _, at := range []time.Time{
		time.Date(2026, 1, 1, 0, 0, 0, 0, process.Stockholm),
		time.Date(2026, 3, 29, 0, 20, 0, 0, process.Stockholm),
		time.Date(2026, 3, 29, 3, 5, 0, 0, process.Stockholm),
		time.Date(2026, 6, 15, 12, 0, 0, 0, process.Stockholm),
		time.Date(2026, 10, 25, 23, 50, 0, 0, process.Stockholm),
		time.Date(2026, 12, 31, 23, 59, 59, 0, process.Stockholm),
	} {
		t.Run(at.Format("2006-01-02T15:04"), func(t *testing.T) {
			t.Parallel()
			m := &cocreation.Module{}
			s := webtest.New(t, db.SQLite, false, m)
			s.App.Now = func() time.Time { return at }
			ctx := context.Background()
			if err := m.SeedDemo(ctx, s.App, s.City); err != nil {
				t.Fatalf("seed at %v: %v", at, err)
			}
			ps, err := m.Store().Processes(ctx, nil)
			if err != nil || len(ps) != 1 {
				t.Fatalf("%d processes, %v", len(ps), err)
			}
			if cur, _ := process.CurrentPhase(ps[0].Phases, at); cur.Kind != "workshops" {
				t.Errorf("current phase %q", cur.Kind)
			}
			ws, err := m.Store().Workshops(ctx, ps[0].ID)
			if err != nil || len(ws) != 4 {
				t.Fatalf("%d workshops, %v", len(ws), err)
			}
			if last := ws[3]; process.Day(last.StartsAt) != process.Day(at) || !last.EndsAt.After(last.StartsAt) {
				t.Errorf("today's workshop %v–%v", last.StartsAt, last.EndsAt)
			}
			var notes int
			if err := s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_notes`).Scan(&notes); err != nil || notes != 180 {
				t.Errorf("%d notes, %v", notes, err)
			}
		})
	}
}
