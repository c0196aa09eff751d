package calls

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/helpline"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/secret"
)

var allMigrations = []db.Migrations{auth.Migrations, operation.Migrations, handbook.Migrations, question.Migrations, helpline.Migrations, Migrations}

// fixture is a help line of an operation in Swedish, Arabic and
// Tigrinya, a partner group with two volunteers taking part, a group
// outside with one, and a coordinator of the city. Its clock moves only
// when a test moves it.
type fixture struct {
	d                    *db.DB
	store                *Store
	auth                 *auth.Store
	log                  *audit.Log
	questions            *question.Store
	op, line, otherLine  int64
	group, outside, city auth.Org
	vol, vol2, outsider  *auth.User
	coord                *auth.User
	clock                atomic.Pointer[time.Time]
}

func (f *fixture) now() time.Time { return *f.clock.Load() }

func (f *fixture) advance(d time.Duration) {
	t := f.now().Add(d)
	f.clock.Store(&t)
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d, auth: auth.NewStore(d)}
	start := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	f.clock.Store(&start)
	keys, err := secret.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	f.questions = &question.Store{DB: d, Now: f.now}
	f.store = &Store{DB: d, Keys: keys, Now: f.now, Questions: f.questions}
	f.log = &audit.Log{DB: d, Now: f.now}
	mk := func(name string, kind auth.OrgKind) auth.Org {
		o, err := f.auth.CreateOrg(ctx, name, kind)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.city, f.group, f.outside = mk("City", auth.Administration), mk("Mothers", auth.PartnerGroup), mk("Others", auth.PartnerGroup)
	person := func(name string, org auth.Org, role auth.Role, langs ...string) *auth.User {
		id, err := f.auth.CreatePerson(ctx, auth.NewPerson{Name: name, Email: name + "@x.se", Languages: langs}, org.ID, role, "")
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.auth.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.coord = person("coord", f.city, auth.Coordinator, "sv")
	f.vol, f.vol2 = person("vol", f.group, auth.Volunteer, "sv", "ar"), person("vol2", f.group, auth.Volunteer, "sv", "ti")
	f.outsider = person("outsider", f.outside, auth.Volunteer, "sv", "ar", "ti")
	ops := &operation.Store{DB: d, Now: f.now}
	if f.op, err = ops.Create(ctx, f.coord, operation.Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: f.city.ID, Level: operation.LevelSupported}); err != nil {
		t.Fatal(err)
	}
	if err := ops.Invite(ctx, f.coord, f.op, f.group.ID); err != nil {
		t.Fatal(err)
	}
	if err := ops.Join(ctx, f.op, f.group.ID); err != nil {
		t.Fatal(err)
	}
	f.line = insertLine(t, d, f.op, "+46101234567", f.now(), "sv", "ar", "ti")
	other, err := ops.Create(ctx, f.coord, operation.Draft{Name: "Heat", StartsOn: "2021-01-01", LeadOrgID: f.city.ID, Level: operation.LevelSupported})
	if err != nil {
		t.Fatal(err)
	}
	f.otherLine = insertLine(t, d, other, "+46107654321", f.now(), "sv", "ar")
	return f
}

// insertLine makes a help line of operation op offering langs, the way
// the help line module stores one.
func insertLine(t testing.TB, d *db.DB, op int64, number string, now time.Time, langs ...string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := d.WriteRow(ctx, `INSERT INTO helplines (operation_id, name, public_number, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		op, "Help line "+number, number, db.Now(now)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for i, l := range langs {
		if _, err := d.Exec(ctx, `INSERT INTO helpline_languages (helpline_id, lang, menu_key) VALUES ($1, $2, $3)`, id, l, i+1); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

var callN atomic.Int64

// arrive records a call from caller on the fixture's line, in lang when
// it is not "", and fails the test if that fails.
func (f *fixture) arrive(t testing.TB, caller, lang string) Call {
	t.Helper()
	ctx := context.Background()
	c, err := f.store.Arrive(ctx, f.line, "46elks", "call-"+time.Now().Format("150405")+"-"+itoa(callN.Add(1)), caller, f.now())
	if err != nil {
		t.Fatalf("arrive: %v", err)
	}
	if lang != "" {
		if err := f.store.ChooseLanguage(ctx, c.ID, lang); err != nil {
			t.Fatalf("choose %s: %v", lang, err)
		}
		c.Lang = lang
	}
	return c
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// isProblem reports whether err is a problem with the message key.
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

func problemList(err error) (problem.List, bool) { return problem.As(err) }
