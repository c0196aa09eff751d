package helpline_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"megafon/outreach/helpline"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

// fixture is an operation with a help line, a partner group taking part,
// its lead and volunteers, on a fake clock.
type fixture struct {
	t      *testing.T
	d      *db.DB
	auth   *auth.Store
	store  *helpline.Store
	clock  time.Time
	op     operation.Operation
	group  int64
	other  int64 // a second group taking part
	coord  *auth.User
	lead   *auth.User
	vols   []*auth.User // speak ti, sv and ar
	line   int64
	phones []int64
}

func newFixture(t *testing.T, dialect db.Dialect, volunteers int) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, clock: local(2026, 11, 30, 8, 0)} // a Monday morning
	f.d = dbtest.Open(t, dialect, auth.Migrations, notify.Migrations, operation.Migrations, helpline.Migrations)
	f.auth = auth.NewStore(f.d)
	f.auth.Now = func() time.Time { return f.clock }
	f.store = &helpline.Store{DB: f.d, Now: func() time.Time { return f.clock }}
	admin, err := f.auth.CreateOrg(ctx, "Arbetsmarknadsförvaltningen", auth.Administration)
	must(t, err)
	group, err := f.auth.CreateOrg(ctx, "Stadsdelsmammorna", auth.PartnerGroup)
	must(t, err)
	other, err := f.auth.CreateOrg(ctx, "Somaliska kvinnoföreningen", auth.PartnerGroup)
	must(t, err)
	f.group, f.other = group.ID, other.ID
	f.coord = f.person(auth.NewPerson{Name: "Sara", Email: "sara@example.se", Languages: []string{"sv"}}, admin.ID, auth.Coordinator)
	f.lead = f.person(auth.NewPerson{Name: "Hodan", Email: "hodan@example.se", Languages: []string{"so", "sv"}}, group.ID, auth.GroupLead)
	for i := 0; i < volunteers; i++ {
		f.vols = append(f.vols, f.person(auth.NewPerson{Name: fmt.Sprintf("Volontär %02d", i), Phone: fmt.Sprintf("+467010099%02d", i),
			SecretKind: "passcode", Languages: []string{"ti", "sv", "ar"}}, group.ID, auth.Volunteer))
	}
	ops := &operation.Store{DB: f.d, Now: func() time.Time { return f.clock }}
	opID, err := ops.Create(ctx, f.coord, operation.Draft{Name: "Covid-19", StartsOn: "2026-01-01", LeadOrgID: admin.ID, Level: operation.LevelSelfRun})
	must(t, err)
	for _, g := range []int64{group.ID, other.ID} {
		must(t, ops.Invite(ctx, f.coord, opID, g))
		must(t, ops.Join(ctx, opID, g))
	}
	f.op, err = ops.Get(ctx, opID)
	must(t, err)
	d := helpline.LineDraft{Name: "Covid-linjen", PublicNumber: "010-123 45 67", Ring: helpline.RingAll, RingSeconds: 20, ClosedOnHolidays: true,
		Languages: []helpline.Language{{Lang: "sv", Key: 1}, {Lang: "ar", Key: 2}, {Lang: "ti", Key: 3}}}
	must(t, d.Clean())
	f.line, err = f.store.CreateLine(ctx, f.coord, opID, d)
	must(t, err)
	var weekly []helpline.WeeklyHours
	for _, h := range schedule(true).Weekly {
		if h.Lang != "so" {
			weekly = append(weekly, h)
		}
	}
	must(t, f.store.SetHours(ctx, f.line, []string{"sv", "ar", "ti"}, weekly))
	if err := f.store.SetHours(ctx, f.line, []string{"so"}, schedule(true).Weekly[len(weekly)-14:]); keyOf(err) != "helpline.error.lang_not_offered" {
		t.Fatalf("hours of a language the line does not offer: %v", err)
	}
	for i := 1; i <= 2; i++ {
		label, number := fmt.Sprintf("Telefon %d", i), fmt.Sprintf("070-100 98 0%d", i)
		must(t, helpline.CleanPhone(&label, &number))
		id, err := f.store.AddPhone(ctx, f.coord, f.line, label, number, group.ID)
		must(t, err)
		f.phones = append(f.phones, id)
	}
	return f
}

func (f *fixture) person(p auth.NewPerson, org int64, role auth.Role) *auth.User {
	f.t.Helper()
	ctx := context.Background()
	id, err := f.auth.CreatePerson(ctx, p, org, role, "")
	must(f.t, err)
	u, err := f.auth.User(ctx, id)
	must(f.t, err)
	return u
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// plan plans a shift on Thursday 3 December from h to h2 local.
func (f *fixture) plan(langs []string, from, to time.Time, person, phone int64) (int64, error) {
	return f.store.PlanShift(context.Background(), f.lead, helpline.ShiftDraft{LineID: f.line, GroupID: f.group, Start: from, End: to,
		Langs: langs, PersonID: person, PhoneID: phone})
}

func keyOf(err error) string {
	if l, ok := problem.As(err); ok {
		return l[0].Key
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestALineKeepsItsLanguagesHoursAndExceptions(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect, 1)
			ctx := context.Background()
			l, err := f.store.Line(ctx, f.line)
			must(t, err)
			if l.PublicNumber != "+46101234567" || l.TimeZone != "Europe/Stockholm" || len(l.Languages) != 3 || l.Languages[2] != (helpline.Language{Lang: "ti", Key: 3}) {
				t.Fatalf("line: %+v", l)
			}
			// Arabic and Tigrinya trade keys; Swedish goes; Somali comes.
			d := helpline.LineDraft{Name: "Covid-linjen", PublicNumber: l.PublicNumber, Ring: helpline.RingTurn, RingSeconds: 15, ClosedOnHolidays: true,
				Languages: []helpline.Language{{Lang: "ti", Key: 2}, {Lang: "ar", Key: 3}, {Lang: "so", Key: 4}}}
			must(t, d.Clean())
			must(t, f.store.UpdateLine(ctx, f.line, d))
			l, err = f.store.Line(ctx, f.line)
			must(t, err)
			if l.Ring != helpline.RingTurn || fmt.Sprint(l.Languages) != "[{ti 2} {ar 3} {so 4}]" {
				t.Fatalf("after the change: %+v", l)
			}
			if open, err := f.store.OpenAt(ctx, f.line, "ar", local(2026, 12, 2, 10, 0)); err != nil || !open {
				t.Fatalf("Arabic kept its hours: %v %v", open, err)
			}
			if open, _ := f.store.OpenAt(ctx, f.line, "sv", local(2026, 12, 2, 21, 0)); open {
				t.Fatal("Swedish left the line but still answers")
			}
			// An exception closes Arabic on Wednesday; then another reopens it for an hour.
			e := helpline.Exception{Day: "2026-12-02", Closed: true, Note: "Personaldag"}
			must(t, helpline.CleanException(&e, l.Langs()))
			must(t, f.store.SetException(ctx, f.line, e))
			if open, _ := f.store.OpenAt(ctx, f.line, "ar", local(2026, 12, 2, 10, 0)); open {
				t.Fatal("open on a closed day")
			}
			must(t, f.store.SetException(ctx, f.line, helpline.Exception{Day: "2026-12-02", Lang: "ar", Span: helpline.Span{Opens: 600, Closes: 660}}))
			if open, _ := f.store.OpenAt(ctx, f.line, "ar", local(2026, 12, 2, 10, 30)); !open {
				t.Fatal("the language's own exception does not open it")
			}
			sc, err := f.store.Schedule(ctx, f.line)
			must(t, err)
			if len(sc.Exceptions) != 2 {
				t.Fatalf("exceptions: %+v", sc.Exceptions)
			}
			must(t, f.store.DeleteException(ctx, f.line, sc.Exceptions[0].ID))
			if err := f.store.DeleteException(ctx, f.line+1, sc.Exceptions[1].ID); !errors.Is(err, helpline.ErrNotFound) {
				t.Fatalf("another line's exception deleted: %v", err)
			}
			// A second line with the same public number is refused with a message.
			if _, err := f.store.CreateLine(ctx, f.coord, f.op.ID, d); keyOf(err) != "helpline.error.number_used" {
				t.Fatalf("same number: %v", err)
			}
			bad := helpline.LineDraft{Name: " ", PublicNumber: "070-ABC", Ring: "loud", RingSeconds: 1, TimeZone: "Mars/Olympus",
				Languages: []helpline.Language{{Lang: "ar", Key: 1}, {Lang: "so", Key: 1}, {Lang: "Not a tag", Key: 2}, {Lang: "ti", Key: 12}}}
			err = bad.Clean()
			if l, _ := problem.As(err); len(l) != 8 {
				t.Fatalf("a bad draft: %v", err)
			}
		})
	}
}

func TestPhonesAreHandedOverWithTheirHistory(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect, 1)
			ctx := context.Background()
			f.clock = f.clock.Add(time.Hour)
			must(t, f.store.HandOver(ctx, f.lead, f.phones[0], f.other, "Vid veckomötet"))
			if err := f.store.HandOver(ctx, f.lead, f.phones[0], f.other, ""); keyOf(err) != "helpline.error.same_group" {
				t.Fatalf("to the group that has it: %v", err)
			}
			phones, err := f.store.Phones(ctx, f.line)
			must(t, err)
			p := phones[0]
			if p.GroupID != f.other || len(p.Handovers) != 2 || p.Handovers[0].FromName != "Stadsdelsmammorna" || p.Handovers[0].ToName != "Somaliska kvinnoföreningen" ||
				p.Handovers[0].Note != "Vid veckomötet" || p.Handovers[1].ToName != "Stadsdelsmammorna" {
				t.Fatalf("phone after the hand-over: %+v", p)
			}
			label, number := "Telefon 1", "0701009801"
			must(t, helpline.CleanPhone(&label, &number))
			if _, err := f.store.AddPhone(ctx, f.coord, f.line, label, number, f.group); keyOf(err) != "helpline.error.phone_exists" {
				t.Fatalf("the same phone twice: %v", err)
			}
			label, number = "Telefon 3", "not a number"
			if err := helpline.CleanPhone(&label, &number); keyOf(err) != "helpline.error.phone" {
				t.Fatalf("not a number: %v", err)
			}
			// A group that does not carry the phone cannot put it on a shift.
			if _, err := f.plan([]string{"ti"}, local(2026, 12, 3, 18, 0), local(2026, 12, 3, 21, 0), 0, f.phones[0]); keyOf(err) != "helpline.error.phone_elsewhere" {
				t.Fatalf("a phone the group does not carry: %v", err)
			}
		})
	}
}

func TestShiftsArePlannedTakenGivenBackAndSwapped(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect, 3)
			ctx := context.Background()
			amina, selam, mariam := f.vols[0], f.vols[1], f.vols[2]
			thu := func(h int) time.Time { return local(2026, 12, 3, h, 0) }
			planned, err := f.plan([]string{"ti"}, thu(18), thu(21), amina.ID, f.phones[0])
			must(t, err)
			// The rules, through the store: nothing half-saved.
			for _, c := range []struct {
				name          string
				langs         []string
				from, to      time.Time
				person, phone int64
				want          string
			}{
				{"the same volunteer at the same hours", []string{"ti"}, thu(19), thu(20), amina.ID, 0, "helpline.error.overlap"},
				{"the same phone at the same hours", []string{"ti"}, thu(19), thu(20), selam.ID, f.phones[0], "helpline.error.phone_busy"},
				{"outside the hours", []string{"ti"}, thu(15), thu(17), selam.ID, 0, "helpline.error.outside_hours"},
				{"a language she does not speak", []string{"sv"}, thu(20), thu(23), f.lead.ID, 0, "helpline.error.person"},
				{"in the past", []string{"ar"}, local(2026, 11, 27, 9, 0), local(2026, 11, 27, 10, 0), 0, 0, "helpline.error.past"},
				{"years ahead", []string{"ar"}, local(2999, 1, 8, 9, 0), local(2999, 1, 8, 10, 0), 0, 0, "helpline.error.too_far"},
			} {
				if _, err := f.plan(c.langs, c.from, c.to, c.person, c.phone); keyOf(err) != c.want {
					t.Errorf("%s: %v, want %s", c.name, err, c.want)
				}
			}
			var n int
			must(t, f.d.QueryRow(ctx, `SELECT COUNT(*) FROM shifts`).Scan(&n))
			if n != 1 {
				t.Fatalf("%d shifts after the refusals", n)
			}
			on, err := f.store.OnShift(ctx, f.line, "ti", thu(19))
			must(t, err)
			if len(on) != 1 || on[0].PersonID != amina.ID || on[0].Number != "+46701009801" || on[0].ShiftID != planned {
				t.Fatalf("on shift: %+v", on)
			}
			langs, err := f.store.ShiftLanguages(ctx, amina.ID, thu(20))
			must(t, err)
			if len(langs) != 1 || langs[0] != (helpline.LineLanguage{LineID: f.line, Lang: "ti"}) {
				t.Fatalf("shift languages: %+v", langs)
			}
			// An open shift, taken by Selam; Mariam is too late.
			open, err := f.plan([]string{"ar"}, local(2026, 12, 4, 9, 0), local(2026, 12, 4, 12, 0), 0, 0)
			must(t, err)
			must(t, f.store.TakeShift(ctx, selam, open))
			if err := f.store.TakeShift(ctx, mariam, open); !errors.Is(err, helpline.ErrTaken) {
				t.Fatalf("taking a taken shift: %v", err)
			}
			// A volunteer of another group does not see it to take it.
			if err := f.store.TakeShift(ctx, f.lead, open); !errors.Is(err, helpline.ErrNotFound) {
				t.Fatalf("a lead takes a shift: %v", err)
			}
			// Selam gives it back; Mariam takes it.
			if err := f.store.GiveBack(ctx, mariam, open); keyOf(err) != "helpline.error.not_yours" {
				t.Fatalf("giving back another's shift: %v", err)
			}
			must(t, f.store.GiveBack(ctx, selam, open))
			must(t, f.store.TakeShift(ctx, mariam, open))
			// Amina offers her Thursday evening to Selam, who accepts.
			swap, err := f.store.OfferSwap(ctx, amina, planned, selam.ID)
			must(t, err)
			offers, err := f.store.SwapsOffered(ctx, selam.ID)
			must(t, err)
			if len(offers) != 1 || offers[0].ID != swap || offers[0].FromName != amina.Name || offers[0].Shift.Langs[0] != "ti" {
				t.Fatalf("offers: %+v", offers)
			}
			if err := f.store.AnswerSwap(ctx, mariam, swap, true); keyOf(err) != "helpline.error.swap_gone" {
				t.Fatalf("another accepts: %v", err)
			}
			must(t, f.store.AnswerSwap(ctx, selam, swap, true))
			sh, err := f.store.Shift(ctx, planned)
			must(t, err)
			if sh.PersonID != selam.ID {
				t.Fatalf("after the swap: %+v", sh)
			}
			if err := f.store.AnswerSwap(ctx, selam, swap, true); keyOf(err) != "helpline.error.swap_gone" {
				t.Fatalf("accepting twice: %v", err)
			}
			// Selam offers it to Mariam, who declines: it stays Selam's.
			swap, err = f.store.OfferSwap(ctx, selam, planned, mariam.ID)
			must(t, err)
			must(t, f.store.AnswerSwap(ctx, mariam, swap, false))
			if sh, _ := f.store.Shift(ctx, planned); sh.PersonID != selam.ID {
				t.Fatalf("after declining: %+v", sh)
			}
			// Once the shift has started it can be neither given back nor offered.
			f.clock = thu(18).Add(time.Minute)
			if err := f.store.GiveBack(ctx, selam, planned); keyOf(err) != "helpline.error.not_yours" {
				t.Fatalf("giving back a started shift: %v", err)
			}
			if _, err := f.store.OfferSwap(ctx, selam, planned, mariam.ID); keyOf(err) != "helpline.error.not_yours" {
				t.Fatalf("offering a started shift: %v", err)
			}
			mine, err := f.store.PersonShifts(ctx, selam.ID, f.clock)
			must(t, err)
			if len(mine) != 1 || mine[0].ID != planned {
				t.Fatalf("Selam's shifts: %+v", mine)
			}
		})
	}
}

// TestTwoAtOnceOneWins runs many requests at the same moment on both
// databases: one shift taken by many, one volunteer taking many shifts at
// the same hours, one phone planned on many shifts at the same hours.
func TestTwoAtOnceOneWins(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			const n = 12
			f := newFixture(t, dialect, n)
			ctx := context.Background()
			race := func(fn func(i int) error) (won int, lost []error) {
				var wg sync.WaitGroup
				var mu sync.Mutex
				start := make(chan struct{})
				for i := 0; i < n; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						err := fn(i)
						mu.Lock()
						defer mu.Unlock()
						if err == nil {
							won++
						} else {
							lost = append(lost, err)
						}
					}()
				}
				close(start)
				wg.Wait()
				return won, lost
			}
			open, err := f.plan([]string{"ar"}, local(2026, 12, 2, 9, 0), local(2026, 12, 2, 12, 0), 0, 0)
			must(t, err)
			won, lost := race(func(i int) error { return f.store.TakeShift(ctx, f.vols[i], open) })
			if won != 1 {
				t.Fatalf("one shift taken by %d", won)
			}
			for _, err := range lost {
				if !errors.Is(err, helpline.ErrTaken) {
					t.Fatalf("the others: %v", err)
				}
			}
			// n open shifts at the same hours, one volunteer takes them all at once.
			var ids []int64
			for i := 0; i < n; i++ {
				id, err := f.plan([]string{"ar"}, local(2026, 12, 1, 9+i%3, 0), local(2026, 12, 1, 13, 0), 0, 0)
				must(t, err)
				ids = append(ids, id)
			}
			won, lost = race(func(i int) error { return f.store.TakeShift(ctx, f.vols[1], ids[i]) })
			if won != 1 {
				t.Fatalf("one volunteer on %d shifts at the same hours", won)
			}
			for _, err := range lost {
				if keyOf(err) != "helpline.error.overlap" {
					t.Fatalf("the others: %v", err)
				}
			}
			// n shifts planned at once on one phone at overlapping hours.
			won, lost = race(func(i int) error {
				_, err := f.plan([]string{"ar"}, local(2026, 12, 4, 9+i%4, 0), local(2026, 12, 4, 14, 0), 0, f.phones[1])
				return err
			})
			if won != 1 {
				t.Fatalf("one phone on %d shifts at the same hours", won)
			}
			for _, err := range lost {
				if keyOf(err) != "helpline.error.phone_busy" {
					t.Fatalf("the others: %v", err)
				}
			}
			// And n volunteers planned at once on one volunteer's hours.
			won, _ = race(func(i int) error {
				_, err := f.plan([]string{"ti"}, local(2026, 12, 3, 18, 0), local(2026, 12, 3, 19+i%2, 0), f.vols[2].ID, 0)
				return err
			})
			if won != 1 {
				t.Fatalf("one volunteer planned on %d shifts at the same hours", won)
			}
		})
	}
}

func TestAReminderGoesOnceBeforeTheShift(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect, 2)
			ctx := context.Background()
			soon, err := f.plan([]string{"ar"}, local(2026, 11, 30, 10, 0), local(2026, 11, 30, 12, 0), f.vols[0].ID, 0)
			must(t, err)
			if _, err := f.plan([]string{"ar"}, local(2026, 12, 1, 10, 0), local(2026, 12, 1, 12, 0), f.vols[1].ID, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := f.plan([]string{"ar"}, local(2026, 11, 30, 9, 0), local(2026, 11, 30, 10, 0), 0, 0); err != nil { // open: nobody to remind
				t.Fatal(err)
			}
			var mu sync.Mutex
			var told []int64
			tell := func(ctx context.Context, tx *sql.Tx, r helpline.Reminder) error {
				mu.Lock()
				defer mu.Unlock()
				told = append(told, r.ID)
				return nil
			}
			var wg sync.WaitGroup
			for i := 0; i < 4; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := f.store.RemindBefore(ctx, 3*time.Hour, tell); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if len(told) != 1 || told[0] != soon {
				t.Fatalf("reminded %v, want once for %d", told, soon)
			}
			f.clock = local(2026, 12, 1, 8, 0)
			if n, err := f.store.RemindBefore(ctx, 3*time.Hour, tell); err != nil || n != 1 {
				t.Fatalf("the next day: %d %v", n, err)
			}
		})
	}
}

func TestACalendarFeedAddressIsRenewed(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, dialect, 1)
			ctx := context.Background()
			first, err := f.store.RenewFeed(ctx, f.vols[0].ID)
			must(t, err)
			if id, err := f.store.FeedOwner(ctx, first); err != nil || id != f.vols[0].ID {
				t.Fatalf("owner: %d %v", id, err)
			}
			second, err := f.store.RenewFeed(ctx, f.vols[0].ID)
			must(t, err)
			if _, err := f.store.FeedOwner(ctx, first); !errors.Is(err, helpline.ErrNotFound) {
				t.Fatalf("the old address still works: %v", err)
			}
			if id, _ := f.store.FeedOwner(ctx, second); id != f.vols[0].ID {
				t.Fatal("the new address does not work")
			}
			var stored []byte
			must(t, f.d.QueryRow(ctx, `SELECT token_hash FROM shift_calendar_feeds`).Scan(&stored))
			if string(stored) == second || len(stored) != 32 {
				t.Fatalf("the token is stored as %x", stored)
			}
		})
	}
}
