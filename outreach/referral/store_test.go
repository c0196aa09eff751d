package referral

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
	"megafon/platform/secret"
)

var allMigrations = []db.Migrations{auth.Migrations, operation.Migrations, Migrations}

// fixture is a small city: two administrations with a coordinator each,
// an administrator, a partner group taking part in an operation with two
// volunteers, and a group outside it with one. Money goes to the first
// administration, health to the second. Its clock moves only when a test
// moves it.
type fixture struct {
	store                 *Store
	auth                  *auth.Store
	log                   *audit.Log
	d                     *db.DB
	op                    int64
	adminA, adminB, group auth.Org
	outside               auth.Org
	coordA, coordB, admin *auth.User
	vol, vol2, outsider   *auth.User
	clock                 atomic.Pointer[time.Time]
}

func (f *fixture) now() time.Time { return *f.clock.Load() }

func (f *fixture) advance(d time.Duration) {
	t := f.now().Add(d)
	f.clock.Store(&t)
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{auth: auth.NewStore(d), d: d}
	start := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	f.clock.Store(&start)
	keys, err := secret.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	f.store = &Store{DB: d, Keys: keys, Now: f.now}
	f.log = &audit.Log{DB: d, Now: f.now}
	mk := func(name string, kind auth.OrgKind) auth.Org {
		o, err := f.auth.CreateOrg(ctx, name, kind)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.adminA, f.adminB = mk("Labour", auth.Administration), mk("City", auth.Administration)
	f.group, f.outside = mk("Mothers", auth.PartnerGroup), mk("Others", auth.PartnerGroup)
	person := func(name string, org auth.Org, role auth.Role) *auth.User {
		id, err := f.auth.CreatePerson(ctx, auth.NewPerson{Name: name, Email: name + "@x.se", Languages: []string{"sv"}}, org.ID, role, "")
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.auth.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.coordA, f.coordB = person("coorda", f.adminA, auth.Coordinator), person("coordb", f.adminB, auth.Coordinator)
	f.admin = person("admin", f.adminB, auth.Admin)
	f.vol, f.vol2 = person("vol", f.group, auth.Volunteer), person("vol2", f.group, auth.Volunteer)
	f.outsider = person("outsider", f.outside, auth.Volunteer)
	ops := &operation.Store{DB: d, Now: f.now}
	if f.op, err = ops.Create(ctx, f.coordA, operation.Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: f.adminA.ID, Level: operation.LevelSupported}); err != nil {
		t.Fatal(err)
	}
	if err := ops.Invite(ctx, f.coordA, f.op, f.group.ID); err != nil {
		t.Fatal(err)
	}
	if err := ops.Join(ctx, f.op, f.group.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetRoutes(ctx, f.admin, map[Category]int64{Money: f.adminA.ID, Health: f.adminB.ID}, "", f.log); err != nil {
		t.Fatal(err)
	}
	return f
}

var keyN atomic.Int64

func freshKey() string { return fmt.Sprintf("%032x", keyN.Add(1)) }

// file files a clean referral by u and fails the test if that fails.
func (f *fixture) file(t testing.TB, u *auth.User, c Category, urg Urgency, need, contact string) int64 {
	t.Helper()
	id, err := f.tryFile(u, Filing{Category: c, Urgency: urg, Need: need, Consent: contact != "", Contact: contact, Key: freshKey()})
	if err != nil {
		t.Fatalf("file: %v", err)
	}
	return id
}

func (f *fixture) tryFile(u *auth.User, fl Filing) (int64, error) {
	if _, err := fl.Clean(); err != nil {
		return 0, err
	}
	return f.store.File(context.Background(), u, f.op, f.group.ID, fl)
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

func TestOnlyTheCoordinatorsOfTheRoutedAdministrationSeeAReferral(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		money := f.file(t, f.vol, Money, Normal, "Rent arrears letter", "")
		health := f.file(t, f.vol, Health, Urgent, "Fever, needs a doctor", "070-000 00 00")

		if r, err := f.store.View(ctx, money, f.coordA, f.log, "1.2.3.4"); err != nil || r.Need != "Rent arrears letter" || r.OrgID != f.adminA.ID {
			t.Fatalf("coordinator A views the money referral: %+v %v", r, err)
		}
		for _, who := range []*auth.User{f.coordB, f.admin, f.vol, f.vol2, f.outsider, nil} {
			if _, err := f.store.View(ctx, money, who, f.log, ""); !errors.Is(err, ErrNotFound) {
				t.Errorf("%v views the money referral: %v, want not found", who, err)
			}
			if who == f.coordB {
				continue
			}
			if _, err := f.store.RevealContact(ctx, health, who, f.log, ""); !errors.Is(err, ErrNotFound) {
				t.Errorf("%v reveals the health contact: %v, want not found", who, err)
			}
		}
		if _, err := f.store.View(ctx, 9999, f.coordA, f.log, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("a referral that does not exist: %v", err)
		}
		// Lists: each administration its own.
		a, _ := f.store.ForAdministrations(ctx, f.coordA.OrgsWith(auth.Coordinator))
		b, _ := f.store.ForAdministrations(ctx, f.coordB.OrgsWith(auth.Coordinator))
		if len(a) != 1 || a[0].ID != money || len(b) != 1 || b[0].ID != health {
			t.Fatalf("lists: A %+v, B %+v", a, b)
		}
		// The volunteer sees the status of what she filed, and no more.
		st, err := f.store.FiledBy(ctx, f.vol.ID)
		if err != nil || len(st) != 2 {
			t.Fatalf("filed by vol: %+v %v", st, err)
		}
		if other, _ := f.store.FiledBy(ctx, f.vol2.ID); len(other) != 0 {
			t.Errorf("another volunteer sees %+v", other)
		}
		// The contact is revealed to B's coordinator, decrypted, and both
		// views are in the audit log.
		c, err := f.store.RevealContact(ctx, health, f.coordB, f.log, "")
		if err != nil || c != "070-000 00 00" {
			t.Fatalf("reveal: %q %v", c, err)
		}
		var views, reveals int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2 AND actor_id = $3`, AuditView, fmt.Sprintf("referral:%d", money), f.coordA.ID).Scan(&views)
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2 AND actor_id = $3`, audit.ViewPersonal, fmt.Sprintf("referral_contact:%d", health), f.coordB.ID).Scan(&reveals)
		if views != 1 || reveals != 1 {
			t.Errorf("audit: %d views, %d reveals, want 1 and 1", views, reveals)
		}
		// At rest the contact is ciphertext.
		var enc string
		d.QueryRow(ctx, `SELECT contact_enc FROM referrals WHERE id = $1`, health).Scan(&enc)
		if strings.Contains(enc, "070") || !strings.HasPrefix(enc, "v1:") {
			t.Errorf("contact at rest: %q", enc)
		}
		// Only the most recently closed are listed.
		for i := range MaxClosedListed + 3 {
			id := f.file(t, f.vol2, Money, Normal, fmt.Sprint("closed ", i), "")
			f.store.Move(ctx, id, f.coordA, Acknowledged, "", nil, "")
			f.advance(time.Minute)
			if err := f.store.Move(ctx, id, f.coordA, Closed, Helped, nil, ""); err != nil {
				t.Fatal(err)
			}
		}
		a, _ = f.store.ForAdministrations(ctx, f.coordA.OrgsWith(auth.Coordinator))
		if len(a) != 1+MaxClosedListed || a[0].ID != money || a[1].Need != fmt.Sprint("closed ", MaxClosedListed+2) {
			t.Errorf("with many closed: %d listed, first %d, then %q", len(a), a[0].ID, a[1].Need)
		}
	}, allMigrations...)
}

func TestDeadlinesFollowUrgencyAndOverdueUrgentReferralsAreASignal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		start := f.now()
		urgent := f.file(t, f.vol, Health, Urgent, "a", "")
		soon := f.file(t, f.vol, Money, Soon, "b", "")
		normal := f.file(t, f.vol, Money, Normal, "c", "")
		for id, want := range map[int64][2]time.Duration{urgent: {4 * time.Hour, 72 * time.Hour}, soon: {24 * time.Hour, 14 * 24 * time.Hour}, normal: {72 * time.Hour, 30 * 24 * time.Hour}} {
			r, err := f.store.get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !r.AckDue.Equal(start.Add(want[0])) || !r.CloseDue.Equal(start.Add(want[1])) {
				t.Errorf("referral %d (%s): due %v / %v", id, r.Urgency, r.AckDue, r.CloseDue)
			}
		}
		count := func() int {
			n, err := f.store.UrgentUnacknowledged(ctx, f.op, f.now())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		f.advance(4 * time.Hour)
		if n := count(); n != 0 {
			t.Errorf("at the deadline: %d overdue, want 0", n)
		}
		f.advance(time.Minute)
		if n := count(); n != 1 {
			t.Errorf("a minute past: %d overdue, want 1", n)
		}
		r, _ := f.store.get(ctx, urgent)
		if !r.AckOverdue(f.now()) || r.CloseOverdue(f.now()) {
			t.Errorf("overdue flags: ack %v close %v", r.AckOverdue(f.now()), r.CloseOverdue(f.now()))
		}
		// Acknowledged late still counts no more.
		if err := f.store.Move(ctx, urgent, f.coordB, Acknowledged, "", f.log, ""); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Errorf("after acknowledging: %d overdue", n)
		}
		// Soon and normal referrals are never this signal.
		f.advance(10 * 24 * time.Hour)
		if n := count(); n != 0 {
			t.Errorf("non-urgent counted: %d", n)
		}
		r, _ = f.store.get(ctx, urgent)
		if !r.CloseOverdue(f.now()) {
			t.Error("an urgent referral open for ten days is not overdue to close")
		}
	}, allMigrations...)
}

func TestTheContactOfAClosedReferralIsDeletedAfterTheRetentionTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.store.ContactRetention = 7 * 24 * time.Hour
		closed := f.file(t, f.vol, Money, Normal, "x", "ring kvällstid 0701234567")
		open := f.file(t, f.vol, Money, Normal, "y", "ring förmiddag")
		for _, to := range []State{Acknowledged, InProgress} {
			if err := f.store.Move(ctx, closed, f.coordA, to, "", f.log, ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.store.Move(ctx, closed, f.coordA, Closed, Helped, f.log, ""); err != nil {
			t.Fatal(err)
		}
		f.advance(7*24*time.Hour - time.Second)
		if n, err := f.store.DeleteExpiredContacts(ctx); err != nil || n != 0 {
			t.Fatalf("before the time: %d %v", n, err)
		}
		f.advance(time.Second)
		if n, err := f.store.DeleteExpiredContacts(ctx); err != nil || n != 1 {
			t.Fatalf("at the time: %d %v", n, err)
		}
		if _, err := f.store.RevealContact(ctx, closed, f.coordA, f.log, ""); !isProblem(err, "referral.error.contact_gone") {
			t.Errorf("reveal after deletion: %v", err)
		}
		r, _ := f.store.get(ctx, closed)
		if r.HasContact || r.ContactDeleted.IsZero() || r.Need != "x" || r.Outcome != Helped {
			t.Errorf("after deletion: %+v (the referral stays, its contact goes)", r)
		}
		if c, err := f.store.RevealContact(ctx, open, f.coordA, f.log, ""); err != nil || c != "ring förmiddag" {
			t.Errorf("an open referral keeps its contact: %q %v", c, err)
		}
		// Long after, the open one still keeps it.
		f.advance(365 * 24 * time.Hour)
		if n, _ := f.store.DeleteExpiredContacts(ctx); n != 0 {
			t.Errorf("deleted %d contacts of open referrals", n)
		}
	}, allMigrations...)
}

func TestAPersonalIdentityNumberInWhatIsNeededNeverReachesTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		fl := Filing{Category: Money, Urgency: Soon, Need: "Hon heter Sara, pnr 19811218-9876, mejl sara@example.se, tel 070-123 45 67", Key: freshKey()}
		found, err := fl.Clean()
		if err != nil || !found.Identity || !found.Email || !found.Phone {
			t.Fatalf("clean: %+v %v", found, err)
		}
		id, err := f.store.File(ctx, f.vol, f.op, f.group.ID, fl)
		if err != nil {
			t.Fatal(err)
		}
		var need string
		d.QueryRow(ctx, `SELECT need FROM referrals WHERE id = $1`, id).Scan(&need)
		for _, secret := range []string{"19811218", "9876", "sara@example.se", "123 45 67"} {
			if strings.Contains(need, secret) {
				t.Errorf("stored need %q holds %q", need, secret)
			}
		}
		// Nowhere else either: not in any text column of any referral.
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM referrals WHERE need LIKE '%9876%' OR COALESCE(contact_enc, '') LIKE '%9876%' OR idempotency_key LIKE '%9876%'`).Scan(&n)
		if n != 0 {
			t.Errorf("%d rows hold the number", n)
		}
	}, allMigrations...)
}

func TestBadFilingsAreRefusedWithProblemsAndNothingIsSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		for _, c := range []struct {
			name string
			fl   Filing
			key  string
		}{
			{"unknown category", Filing{Category: "pets", Urgency: Soon, Need: "x"}, "referral.error.category"},
			{"unknown urgency", Filing{Category: Money, Urgency: "yesterday", Need: "x"}, "referral.error.urgency"},
			{"no need", Filing{Category: Money, Urgency: Soon, Need: "  "}, "referral.error.need_required"},
			{"5,000 characters", Filing{Category: Money, Urgency: Soon, Need: strings.Repeat("å", 5000)}, "referral.error.too_long"},
			{"contact without consent", Filing{Category: Money, Urgency: Soon, Need: "x", Contact: "070"}, "referral.error.consent"},
			{"consent without contact", Filing{Category: Money, Urgency: Soon, Need: "x", Consent: true}, "referral.error.contact_required"},
			{"a category nobody handles", Filing{Category: Housing, Urgency: Soon, Need: "x"}, "referral.error.no_route"},
		} {
			c.fl.Key = freshKey()
			if _, err := f.tryFile(f.vol, c.fl); !isProblem(err, c.key) {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
		}
		if _, err := f.tryFile(f.vol, Filing{Category: Money, Urgency: Soon, Need: "x", Key: "not-a-token"}); !isProblem(err, "referral.error.form_expired") {
			t.Errorf("a forged key: %v", err)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM referrals`).Scan(&n)
		if n != 0 {
			t.Errorf("%d referrals saved", n)
		}
	}, allMigrations...)
}

func TestTheRoutingTableTakesOnlyTheCitysAdministrations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		for name, org := range map[string]int64{"a partner group": f.group.ID, "no organisation": 99999} {
			err := f.store.SetRoutes(ctx, f.admin, map[Category]int64{Food: f.adminA.ID, Housing: org}, "", f.log)
			if !isProblem(err, "referral.error.route_org") {
				t.Errorf("%s: %v", name, err)
			}
		}
		// Nothing half-saved: food was valid but is not routed either.
		routes, _ := f.store.Routes(ctx)
		for _, r := range routes {
			if (r.Category == Food || r.Category == Housing) && r.OrgID != 0 {
				t.Errorf("%s routed to %d after a refused change", r.Category, r.OrgID)
			}
		}
		// A valid change moves new referrals, not old ones.
		old := f.file(t, f.vol, Money, Soon, "x", "")
		if err := f.store.SetRoutes(ctx, f.admin, map[Category]int64{Money: f.adminB.ID}, "", f.log); err != nil {
			t.Fatal(err)
		}
		fresh := f.file(t, f.vol, Money, Soon, "y", "")
		ro, _ := f.store.get(ctx, old)
		rn, _ := f.store.get(ctx, fresh)
		if ro.OrgID != f.adminA.ID || rn.OrgID != f.adminB.ID {
			t.Errorf("old to %d, new to %d", ro.OrgID, rn.OrgID)
		}
		// Removing a route stops filing in that category.
		if err := f.store.SetRoutes(ctx, f.admin, map[Category]int64{Money: 0}, "", f.log); err != nil {
			t.Fatal(err)
		}
		if _, err := f.tryFile(f.vol, Filing{Category: Money, Urgency: Soon, Need: "z", Key: freshKey()}); !isProblem(err, "referral.error.no_route") {
			t.Errorf("after removing the route: %v", err)
		}
	}, allMigrations...)
}

func TestADoubleTapFilesOnceEvenWhenTheTapsRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		key := freshKey()
		var wg sync.WaitGroup
		ids := make([]int64, 8)
		errs := make([]error, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i], errs[i] = f.tryFile(f.vol, Filing{Category: Money, Urgency: Soon, Need: "x", Key: key})
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("tap %d: %d %v, want %d", i, ids[i], errs[i], ids[0])
			}
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM referrals`).Scan(&n)
		if n != 1 {
			t.Errorf("%d referrals, want 1", n)
		}
		// Someone else's form token is refused, not taken over.
		if _, err := f.tryFile(f.vol2, Filing{Category: Money, Urgency: Soon, Need: "x", Key: key}); !isProblem(err, "referral.error.key_taken") {
			t.Errorf("another volunteer with the same key: %v", err)
		}
	}, allMigrations...)
}

func TestAReferralMovesOnlyForwardAndOneOfManyConcurrentMovesWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.file(t, f.vol, Money, Urgent, "x", "")
		if err := f.store.Move(ctx, id, f.coordA, InProgress, "", f.log, ""); !isProblem(err, "referral.error.move") {
			t.Errorf("new to in progress: %v", err)
		}
		if err := f.store.Move(ctx, id, f.coordB, Acknowledged, "", f.log, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("another administration's coordinator: %v", err)
		}
		var wins, conflicts atomic.Int32
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch err := f.store.Move(ctx, id, f.coordA, Acknowledged, "", f.log, ""); {
				case err == nil:
					wins.Add(1)
				case isProblem(err, "referral.error.move"):
					conflicts.Add(1)
				default:
					t.Errorf("concurrent move: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 || conflicts.Load() != 9 {
			t.Errorf("%d moves won, %d refused; want 1 and 9", wins.Load(), conflicts.Load())
		}
		if err := f.store.Move(ctx, id, f.coordA, Closed, "", f.log, ""); !isProblem(err, "referral.error.outcome") {
			t.Errorf("closing without outcome: %v", err)
		}
		if err := f.store.Move(ctx, id, f.coordA, Closed, Declined, f.log, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.store.Move(ctx, id, f.coordA, Acknowledged, "", f.log, ""); !isProblem(err, "referral.error.move") {
			t.Errorf("reopening: %v", err)
		}
		r, _ := f.store.get(ctx, id)
		if r.State != Closed || r.Outcome != Declined || r.ClosedAt.IsZero() || r.AcknowledgedAt.IsZero() {
			t.Errorf("closed: %+v", r)
		}
		var moves int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = $1`, AuditMove).Scan(&moves)
		if moves != 2 {
			t.Errorf("%d moves audited, want 2", moves)
		}
	}, allMigrations...)
}

func TestAfterAKeyRotationEveryContactIsEncryptedAgainAndStillReadable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.file(t, f.vol, Money, Soon, "x", "ring 0701234567")
		next, err := f.store.Keys.WithNewKey()
		if err != nil {
			t.Fatal(err)
		}
		f.store.Keys = next
		n, err := f.store.Reencrypt(ctx)
		if err != nil || n != 1 {
			t.Fatalf("reencrypt: %d %v", n, err)
		}
		if n, _ := f.store.Reencrypt(ctx); n != 0 {
			t.Errorf("a second pass changed %d", n)
		}
		var enc string
		d.QueryRow(ctx, `SELECT contact_enc FROM referrals WHERE id = $1`, id).Scan(&enc)
		if !strings.HasPrefix(enc, "v1:"+next.CurrentKeyID()+":") {
			t.Errorf("not under the new key: %q", enc)
		}
		if c, err := f.store.RevealContact(ctx, id, f.coordA, f.log, ""); err != nil || c != "ring 0701234567" {
			t.Errorf("after rotation: %q %v", c, err)
		}
	}, allMigrations...)
}
