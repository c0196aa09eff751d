package auth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newStore(d *db.DB) (*auth.Store, *clock) {
	c := &clock{t: time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := auth.NewStore(d)
	s.Now = c.Now
	s.Argon2 = auth.Argon2{Time: 1, Memory: 1024, Threads: 1}
	return s, c
}

func kindOf(err error) problem.Kind {
	if l, ok := problem.As(err); ok {
		return l[0].Kind
	}
	return -1
}

func TestAnInvitationWorksOnceAndThenSignsIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newStore(d)
		mothers, err := s.CreateOrg(ctx, "Stadsdelsmammor", auth.PartnerGroup)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Invite(ctx, auth.NewPerson{Name: "Amina", Phone: "070-123 45 67", Languages: []string{"ar", "SV"}, SecretKind: "passcode"}, mothers.ID, auth.Volunteer, 0)
		token, id := res.Token, res.PersonID
		if err != nil || token == "" {
			t.Fatalf("invite: %q %v", token, err)
		}
		inv, err := s.InvitationByToken(ctx, token)
		if err != nil || inv.Person.ID != id || inv.Person.Phone != "+46701234567" || len(inv.Person.Languages) != 2 || inv.Person.Languages[1] != "sv" {
			t.Fatalf("invitation = %+v, %v", inv, err)
		}
		if _, err := s.AcceptInvitation(ctx, token, "12"); kindOf(err) != problem.Invalid {
			t.Fatalf("a too short passcode: %v, want invalid", err)
		}
		if _, err := s.AcceptInvitation(ctx, token, "48291305"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptInvitation(ctx, token, "48291305"); kindOf(err) != problem.Gone {
			t.Fatalf("a used invitation: %v, want gone", err)
		}
		u, err := s.Authenticate(ctx, "0701234567", "48291305", "192.0.2.1", auth.DefaultThrottle)
		if err != nil || u.ID != id || !u.HasIn(mothers.ID, auth.Volunteer) {
			t.Fatalf("sign in by phone: %+v, %v", u, err)
		}
	}, auth.Migrations)
}

func TestAnInvitationExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c := newStore(d)
		city, _ := s.CreateOrg(ctx, "Stadsledningsförvaltningen", auth.Administration)
		res, err := s.Invite(ctx, auth.NewPerson{Name: "Erik", Email: "Erik@Example.se"}, city.ID, auth.Coordinator, 0)
		token := res.Token
		if err != nil {
			t.Fatal(err)
		}
		c.Advance(auth.InvitationTTL + time.Second)
		if _, err := s.AcceptInvitation(ctx, token, "ett långt lösenord"); kindOf(err) != problem.Gone {
			t.Fatalf("an expired invitation: %v, want gone", err)
		}
		if _, err := s.InvitationByToken(ctx, "forged"); kindOf(err) != problem.NotFound {
			t.Fatalf("a forged token: %v, want not found", err)
		}
	}, auth.Migrations)
}

func TestInvitingSomeoneWithAnAccountAddsTheRoleWithoutALink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newStore(d)
		city, _ := s.CreateOrg(ctx, "Socialförvaltningen", auth.Administration)
		id, err := s.CreatePerson(ctx, auth.NewPerson{Name: "Gunilla", Email: "gunilla@example.se"}, city.ID, auth.Facilitator, "ett långt lösenord")
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Invite(ctx, auth.NewPerson{Name: "Gunilla C", Email: "GUNILLA@example.se"}, city.ID, auth.BoardMember, 0)
		if err != nil || res.Token != "" || res.PersonID != id || res.Pending {
			t.Fatalf("invite existing: %+v %v", res, err)
		}
		if _, err := s.Invite(ctx, auth.NewPerson{Name: "Gunilla", Email: "gunilla@example.se"}, city.ID, auth.BoardMember, 0); kindOf(err) != problem.Invalid {
			t.Fatalf("the same role twice: %v, want invalid", err)
		}
		u, _ := s.User(ctx, id)
		if len(u.Memberships) != 2 {
			t.Fatalf("memberships = %+v, want two", u.Memberships)
		}
	}, auth.Migrations)
}

func TestBadPersonDataIsRefusedWithEveryProblemAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newStore(d)
		city, _ := s.CreateOrg(ctx, "AMF", auth.Administration)
		_, err := s.Invite(ctx, auth.NewPerson{Name: " ", Email: "not-an-address", Phone: "12", Languages: []string{"xx-!!"}}, city.ID, auth.Coordinator, 0)
		l, ok := problem.As(err)
		if !ok || len(l) != 4 {
			t.Fatalf("problems = %v, want name, email, phone and languages", err)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM people`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d people saved from bad input", n)
		}
	}, auth.Migrations)
}

func TestSignInIsThrottledPerAccountAndPerAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c := newStore(d)
		city, _ := s.CreateOrg(ctx, "AMF", auth.Administration)
		s.CreatePerson(ctx, auth.NewPerson{Name: "Sara", Email: "sara@example.se"}, city.ID, auth.Coordinator, "rätt lösenord här")
		th := auth.Throttle{Window: 15 * time.Minute, PerAccount: 3, PerAddress: 5}
		for i := 0; i < 3; i++ {
			if _, err := s.Authenticate(ctx, "sara@example.se", "fel", "192.0.2.1", th); kindOf(err) != problem.Invalid {
				t.Fatalf("wrong password: %v, want invalid", err)
			}
		}
		if _, err := s.Authenticate(ctx, "sara@example.se", "rätt lösenord här", "192.0.2.9", th); !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("after 3 failures the right password: %v, want throttled", err)
		}
		for i := 0; i < 2; i++ {
			s.Authenticate(ctx, "nobody@example.se", "x", "192.0.2.1", th)
		}
		if _, err := s.Authenticate(ctx, "other@example.se", "x", "192.0.2.1", th); !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("after 5 failures from one address: %v, want throttled", err)
		}
		c.Advance(16 * time.Minute)
		if _, err := s.Authenticate(ctx, "sara@example.se", "rätt lösenord här", "192.0.2.1", th); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	}, auth.Migrations)
}

func TestSessionsAreSharedThroughTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := &clock{t: time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)}
		a, b := auth.SessionStore{DB: d, Now: c.Now}, auth.SessionStore{DB: d, Now: c.Now}
		if err := a.Commit("tok", []byte("data"), c.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := b.Find("tok"); err != nil || !ok || string(got) != "data" {
			t.Fatalf("Find = %q %v %v", got, ok, err)
		}
		a.Commit("tok", []byte("more"), c.Now().Add(time.Hour))
		if got, _, _ := b.Find("tok"); string(got) != "more" {
			t.Fatalf("after a second commit Find = %q", got)
		}
		c.Advance(2 * time.Hour)
		if _, ok, _ := b.Find("tok"); ok {
			t.Fatal("an expired session was found")
		}
		b.DeleteExpired(context.Background())
		var n int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM sessions`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d sessions after deleting the expired ones", n)
		}
	}, auth.Migrations)
}

func TestTheAuditLogCannotBeRewritten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `INSERT INTO audit_log (at, action) VALUES ($1, 'signin')`, db.Now(time.Now())); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE audit_log SET action = 'nothing'`); err == nil {
			t.Fatal("the audit log was updated")
		}
		if _, err := d.Exec(ctx, `DELETE FROM audit_log`); err == nil {
			t.Fatal("the audit log was deleted from")
		}
		if d.Dialect == db.Postgres {
			if _, err := d.Exec(ctx, `TRUNCATE audit_log`); err == nil {
				t.Fatal("the audit log was truncated")
			}
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'signin'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d entries left (%v), want the one", n, err)
		}
	}, auth.Migrations)
}

func TestNoInviterGetsALinkToSomeoneWhoExistsAndAcceptingEndsEveryLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newStore(d)
		city, _ := s.CreateOrg(ctx, "Stadsledningsförvaltningen", auth.Administration)
		mothers, _ := s.CreateOrg(ctx, "Stadsdelsmammor", auth.PartnerGroup)
		adminID, _ := s.CreatePerson(ctx, auth.NewPerson{Name: "Alva", Email: "alva@example.se"}, city.ID, auth.Admin, "ett långt lösenord")
		leadID, _ := s.CreatePerson(ctx, auth.NewPerson{Name: "Hodan", Email: "hodan@example.se"}, mothers.ID, auth.GroupLead, "ett långt lösenord")

		// The administrator invites a new administrator, who has not yet
		// set her password; a group lead then invites her address.
		first, err := s.Invite(ctx, auth.NewPerson{Name: "Nora", Email: "nora@example.se"}, city.ID, auth.Admin, adminID)
		if err != nil || first.Token == "" {
			t.Fatalf("invite: %+v %v", first, err)
		}
		again, err := s.Invite(ctx, auth.NewPerson{Name: "Nora", Email: "NORA@example.se"}, mothers.ID, auth.Volunteer, leadID)
		if err != nil || again.Token != "" || !again.Existed || !again.Pending || again.PersonID != first.PersonID || again.Email != "nora@example.se" {
			t.Fatalf("the group lead was handed %+v (%v), want no token", again, err)
		}
		if !again.OpenLink {
			t.Fatal("the administrator's link (she may make administrators) was revoked")
		}
		// Her own address gets a new link; accepting one ends the other.
		mailed, _, err := s.ReissueInvitation(ctx, first.PersonID, leadID)
		if err != nil || mailed == "" {
			t.Fatalf("reissue: %v", err)
		}
		inv, err := s.AcceptInvitation(ctx, mailed, "ett långt lösenord")
		if err != nil || inv.InvitedByID != leadID || inv.ID == first.InvitationID {
			t.Fatalf("accept: %+v %v", inv, err)
		}
		if _, err := s.InvitationByToken(ctx, first.Token); kindOf(err) != problem.Gone {
			t.Fatalf("her older link after she activated: %v, want gone", err)
		}
		if _, err := s.AcceptInvitation(ctx, first.Token, "ett annat långt lösenord"); kindOf(err) != problem.Gone {
			t.Fatalf("accepting an older link: %v, want gone", err)
		}
		if _, _, err := s.ReissueInvitation(ctx, first.PersonID, leadID); err == nil {
			t.Fatal("a new invitation for someone with an account")
		}
	}, auth.Migrations)
}

func TestALinkMadeByAGroupLeadDiesWhenAnAdministratorRaisesTheInvitee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newStore(d)
		city, _ := s.CreateOrg(ctx, "Stadsledningsförvaltningen", auth.Administration)
		mothers, _ := s.CreateOrg(ctx, "Stadsdelsmammor", auth.PartnerGroup)
		adminID, _ := s.CreatePerson(ctx, auth.NewPerson{Name: "Alva", Email: "alva@example.se"}, city.ID, auth.Admin, "ett långt lösenord")
		leadID, _ := s.CreatePerson(ctx, auth.NewPerson{Name: "Hodan", Email: "hodan@example.se"}, mothers.ID, auth.GroupLead, "ett långt lösenord")
		byLead, _ := s.Invite(ctx, auth.NewPerson{Name: "Nora", Email: "nora@example.se"}, mothers.ID, auth.Volunteer, leadID)
		raised, err := s.Invite(ctx, auth.NewPerson{Name: "Nora", Email: "nora@example.se"}, city.ID, auth.Admin, adminID)
		if err != nil || raised.Token != "" || raised.OpenLink {
			t.Fatalf("raise: %+v %v", raised, err)
		}
		if _, err := s.InvitationByToken(ctx, byLead.Token); kindOf(err) != problem.Gone {
			t.Fatalf("the group lead's link to a new administrator: %v, want gone", err)
		}
		if _, err := s.Invite(ctx, auth.NewPerson{Name: "Alva", Email: "alva@example.se"}, mothers.ID, auth.Volunteer, adminID); kindOf(err) != problem.Invalid {
			t.Fatalf("inviting oneself: %v, want invalid", err)
		}
	}, auth.Migrations)
}

// countChecks makes s count the secrets it checks.
func countChecks(s *auth.Store) *atomic.Int64 {
	var n atomic.Int64
	s.Verify = func(hash, secret string) bool { n.Add(1); return auth.VerifySecret(hash, secret) }
	return &n
}

func TestAHundredSimultaneousWrongPasscodesAreCheckedAtMostFiveTimes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c := newStore(d)
		mothers, _ := s.CreateOrg(ctx, "Stadsdelsmammor", auth.PartnerGroup)
		if _, err := s.CreatePerson(ctx, auth.NewPerson{Name: "Amina", Phone: "0701234567", SecretKind: "passcode"}, mothers.ID, auth.Volunteer, "48291305"); err != nil {
			t.Fatal(err)
		}
		checks := countChecks(s)
		th := auth.DefaultThrottle
		var wg sync.WaitGroup
		var bad, throttled atomic.Int64
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Authenticate(ctx, "0701234567", fmt.Sprintf("%08d", i), fmt.Sprintf("198.51.100.%d", i), th)
				switch {
				case errors.Is(err, auth.ErrThrottled):
					throttled.Add(1)
				case kindOf(err) == problem.Invalid:
					bad.Add(1)
				default:
					t.Errorf("attempt %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if n := checks.Load(); n > int64(th.PerAccount) {
			t.Fatalf("%d passcodes were checked, want at most %d", n, th.PerAccount)
		}
		if bad.Load()+throttled.Load() != 100 || bad.Load() > int64(th.PerAccount) {
			t.Fatalf("%d refused as wrong, %d as throttled", bad.Load(), throttled.Load())
		}
		// Locked out: the right passcode from elsewhere is refused unchecked...
		before := checks.Load()
		if _, err := s.Authenticate(ctx, "0701234567", "48291305", "192.0.2.50", th); !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("during the lockout: %v, want throttled", err)
		}
		if checks.Load() != before {
			t.Fatal("a passcode was checked during the lockout")
		}
		// ...and works once the lockout is over.
		c.Advance(th.Lockout)
		if u, err := s.Authenticate(ctx, "0701234567", "48291305", "192.0.2.50", th); err != nil || u.Name != "Amina" {
			t.Fatalf("after the lockout: %v", err)
		}
	}, auth.Migrations)
}

func TestLockoutsGrowOneAfterAnother(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c := newStore(d)
		city, _ := s.CreateOrg(ctx, "AMF", auth.Administration)
		s.CreatePerson(ctx, auth.NewPerson{Name: "Sara", Email: "sara@example.se"}, city.ID, auth.Coordinator, "rätt lösenord här")
		th := auth.DefaultThrottle
		fail := func(n int) error {
			var err error
			for i := 0; i < n; i++ {
				_, err = s.Authenticate(ctx, "sara@example.se", "fel", "192.0.2.1", th)
			}
			return err
		}
		right := func() error {
			_, err := s.Authenticate(ctx, "sara@example.se", "rätt lösenord här", "192.0.2.2", th)
			return err
		}
		if err := fail(th.PerAccount); !errors.Is(err, auth.ErrLockedOut) || kindOf(err) != problem.Invalid {
			t.Fatalf("the fifth failure: %v, want bad credentials that lock out", err)
		}
		c.Advance(time.Minute)
		if err := fail(th.PerAccount); !errors.Is(err, auth.ErrLockedOut) {
			t.Fatalf("five more failures: %v, want a second lockout", err)
		}
		c.Advance(time.Minute)
		if err := right(); !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("a minute into the second lockout: %v, want throttled", err)
		}
		c.Advance(time.Minute)
		if err := right(); err != nil {
			t.Fatalf("after the two-minute lockout: %v", err)
		}
		// A success forgives: the next lockout is a minute again.
		fail(th.PerAccount)
		c.Advance(time.Minute)
		if err := right(); err != nil {
			t.Fatalf("after a lockout that follows a success: %v", err)
		}
	}, auth.Migrations)
}

func TestSignInReadsNoHugeLoginOrSecret(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newStore(d)
		checks := countChecks(s)
		huge := strings.Repeat("a", auth.MaxSignInSecretLength+1)
		if _, err := s.Authenticate(ctx, huge+"@example.se", "x", "192.0.2.1", auth.DefaultThrottle); kindOf(err) != problem.Invalid {
			t.Fatalf("a huge login: %v", err)
		}
		if _, err := s.Authenticate(ctx, "sara@example.se", huge, "192.0.2.1", auth.DefaultThrottle); kindOf(err) != problem.Invalid {
			t.Fatalf("a huge secret: %v", err)
		}
		var rows int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM signin_throttle`).Scan(&rows)
		if checks.Load() != 0 || rows != 0 {
			t.Fatalf("%d checks and %d throttle rows for refused input", checks.Load(), rows)
		}
	}, auth.Migrations)
}
