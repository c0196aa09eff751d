package operation

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

// fixture is an empty city: two administrations, two partner groups and a
// coordinator in the first administration.
type fixture struct {
	store            *Store
	auth             *auth.Store
	lead, other      auth.Org
	groupA, groupB   auth.Org
	coord, volunteer *auth.User
	clock            time.Time
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{auth: auth.NewStore(d), clock: time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)}
	f.store = &Store{DB: d, Now: func() time.Time { return f.clock }}
	var err error
	mk := func(name string, kind auth.OrgKind) auth.Org {
		o, err := f.auth.CreateOrg(ctx, name, kind)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.lead, f.other = mk("Lead", auth.Administration), mk("Other", auth.Administration)
	f.groupA, f.groupB = mk("Group A", auth.PartnerGroup), mk("Group B", auth.PartnerGroup)
	person := func(name, email string, org auth.Org, role auth.Role) *auth.User {
		id, err := f.auth.CreatePerson(ctx, auth.NewPerson{Name: name, Email: email}, org.ID, role, "")
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.auth.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.coord = person("Coord", "c@x.se", f.lead, auth.Coordinator)
	f.volunteer = person("Vol", "v@x.se", f.groupA, auth.Volunteer)
	_ = err
	return f
}

func (f *fixture) create(t *testing.T) int64 {
	t.Helper()
	id, err := f.store.Create(context.Background(), f.coord, Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: f.lead.ID, Level: LevelSupported})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAGroupTakesPartOnlyAfterAcceptingAndUntilItLeaves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.create(t)
		if err := f.store.Invite(ctx, f.coord, id, f.groupA.ID); err != nil {
			t.Fatal(err)
		}
		op, _ := f.store.Get(ctx, id)
		if len(op.GroupIDs) != 0 || !op.Invited(f.groupA.ID) {
			t.Fatalf("invited group: %+v", op)
		}
		if CanSee(f.volunteer, op) {
			t.Error("a volunteer of a group that is only invited sees the operation")
		}
		if err := f.store.Invite(ctx, f.coord, id, f.groupA.ID); !isProblem(err, "operation.error.already_invited") {
			t.Errorf("second invitation: %v", err)
		}
		if err := f.store.Invite(ctx, f.coord, id, f.other.ID); !isProblem(err, "operation.error.group_invalid") {
			t.Errorf("inviting an administration: %v", err)
		}
		if err := f.store.Join(ctx, id, f.groupB.ID); !isProblem(err, "operation.error.no_invitation") {
			t.Errorf("joining without invitation: %v", err)
		}
		if err := f.store.Join(ctx, id, f.groupA.ID); err != nil {
			t.Fatal(err)
		}
		op, _ = f.store.Get(ctx, id)
		if !op.Takes(f.groupA.ID) || !CanSee(f.volunteer, op) {
			t.Fatalf("joined group: %+v", op)
		}
		ops, err := f.store.ListFor(ctx, f.volunteer)
		if err != nil || len(ops) != 1 {
			t.Fatalf("ListFor volunteer: %v %v", ops, err)
		}
		if err := f.store.Leave(ctx, id, f.groupA.ID); err != nil {
			t.Fatal(err)
		}
		op, _ = f.store.Get(ctx, id)
		if op.Takes(f.groupA.ID) || CanSee(f.volunteer, op) {
			t.Fatalf("left group still takes part: %+v", op)
		}
		// Invited again after leaving: a new row, the old one kept.
		if err := f.store.Invite(ctx, f.coord, id, f.groupA.ID); err != nil {
			t.Fatal(err)
		}
		ps, _ := f.store.Participations(ctx, id)
		if len(ps) != 2 || ps[0].LeftAt.IsZero() {
			t.Fatalf("participations: %+v", ps)
		}
		if _, err := f.store.GetFor(ctx, f.volunteer, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetFor an outsider: %v", err)
		}
	}, auth.Migrations, Migrations)
}

func TestALevelChangeNeedsAReasonAndIsKeptWithItsMembersNotified(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		id := f.create(t)
		f.store.Invite(ctx, f.coord, id, f.groupA.ID)
		f.store.Join(ctx, id, f.groupA.ID)

		var notified []Member
		notify := func(ctx context.Context, tx *sql.Tx, op Operation, c LevelChange, ms []Member) error {
			notified = ms
			return nil
		}
		_, err := f.store.ChangeLevel(ctx, f.coord, id, LevelChangeRequest{To: LevelJoint, Reason: "  "}, notify)
		if !isProblem(err, "operation.error.reason_required") {
			t.Fatalf("without reason: %v", err)
		}
		_, err = f.store.ChangeLevel(ctx, f.coord, id, LevelChangeRequest{To: LevelSupported, Reason: "x"}, notify)
		if !isProblem(err, "operation.error.level_same") {
			t.Fatalf("same level: %v", err)
		}
		_, err = f.store.ChangeLevel(ctx, f.coord, id, LevelChangeRequest{To: 7, Reason: "x"}, notify)
		if !isProblem(err, "operation.error.level_invalid") {
			t.Fatalf("level 7: %v", err)
		}
		if notified != nil {
			t.Fatal("members notified of a refused change")
		}
		// A failing notification undoes the change: nothing half-way.
		boom := errors.New("boom")
		_, err = f.store.ChangeLevel(ctx, f.coord, id, LevelChangeRequest{To: LevelJoint, Reason: "x"},
			func(context.Context, *sql.Tx, Operation, LevelChange, []Member) error { return boom })
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if op, _ := f.store.Get(ctx, id); op.Level != LevelSupported {
			t.Fatalf("level after failed notification: %v", op.Level)
		}

		f.clock = f.clock.Add(time.Hour)
		c, err := f.store.ChangeLevel(ctx, f.coord, id, LevelChangeRequest{To: LevelJoint, Reason: "Many new questions about vaccines"}, notify)
		if err != nil {
			t.Fatal(err)
		}
		if c.From != LevelSupported || c.To != LevelJoint {
			t.Fatalf("change: %+v", c)
		}
		ids := []int64{}
		for _, m := range notified {
			ids = append(ids, m.PersonID)
		}
		if !slices.Equal(ids, []int64{f.coord.ID, f.volunteer.ID}) {
			t.Errorf("notified %v, want coordinator and volunteer", ids)
		}
		h, err := f.store.History(ctx, id)
		if err != nil || len(h) != 2 {
			t.Fatalf("history: %+v %v", h, err)
		}
		if h[0].Reason != "Many new questions about vaccines" || h[0].ByName != "Coord" || !h[0].At.Equal(f.clock) {
			t.Errorf("newest change: %+v", h[0])
		}
	}, auth.Migrations, Migrations)
}

func TestCreateRefusesBadInputAllAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.store.Create(context.Background(), f.coord, Draft{StartsOn: "2021-13-01", EndsOn: "x", Level: 9})
		l, ok := problem.As(err)
		if !ok || len(l) != 5 {
			t.Fatalf("problems: %v", err)
		}
		_, err = f.store.Create(context.Background(), f.coord, Draft{Name: "x", StartsOn: "2021-01-01", LeadOrgID: f.groupA.ID, Level: 1})
		if !isProblem(err, "operation.error.lead_invalid") {
			t.Fatalf("a partner group as lead: %v", err)
		}
		ops, _ := f.store.All(context.Background())
		if len(ops) != 0 {
			t.Fatal("saved despite problems")
		}
	}, auth.Migrations, Migrations)
}

func TestTheCityRewordsItsLevels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, err := f.store.Levels(ctx)
		if err != nil || c.Specs[1].AnswerIn != 24*time.Hour {
			t.Fatalf("defaults: %+v %v", c, err)
		}
		c.Specs[1].AnswerIn = 12 * time.Hour
		c.Texts[LevelSupported] = map[string]map[string]string{"city_does": {"sv": "Vi ringer varje dag."}}
		if err := f.store.SaveLevels(ctx, f.coord, c); err != nil {
			t.Fatal(err)
		}
		got, _ := f.store.Levels(ctx)
		if got.Specs[1].AnswerIn != 12*time.Hour || got.Text(LevelSupported, "city_does", "sv") != "Vi ringer varje dag." {
			t.Fatalf("saved: %+v", got)
		}
		got.Specs[2].AnswerIn = 48 * time.Hour // slower than level 2: refused
		if err := f.store.SaveLevels(ctx, f.coord, got); err == nil {
			t.Fatal("levels out of order saved")
		}
	}, auth.Migrations, Migrations)
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
