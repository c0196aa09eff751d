package campaign

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/problem"
)

// migrations are everything a campaign store needs, in order.
var allMigrations = []db.Migrations{auth.Migrations, operation.Migrations, handbook.Migrations, question.Migrations, Migrations}

// fixture is a small city: a lead administration with a coordinator, two
// partner groups taking part in an operation, volunteers who speak
// Arabic, Somali or both, and a campaign over both groups. Its clock only
// moves when a test moves it.
type fixture struct {
	store              *Store
	auth               *auth.Store
	op                 operation.Operation
	lead, groupA, grpB auth.Org
	coord              *auth.User
	arabic, somali     *auth.User // volunteers of group A
	volB               *auth.User // a volunteer of group B who speaks Arabic
	clock              atomic.Pointer[time.Time]
	campaign           Campaign
}

func (f *fixture) now() time.Time { return *f.clock.Load() }

func (f *fixture) advance(d time.Duration) {
	t := f.now().Add(d)
	f.clock.Store(&t)
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{auth: auth.NewStore(d)}
	start := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	f.clock.Store(&start)
	f.store = &Store{DB: d, Now: f.now}
	mk := func(name string, kind auth.OrgKind) auth.Org {
		o, err := f.auth.CreateOrg(ctx, name, kind)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.lead, f.groupA, f.grpB = mk("Lead", auth.Administration), mk("Group A", auth.PartnerGroup), mk("Group B", auth.PartnerGroup)
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
	f.coord = person("coord", f.lead, auth.Coordinator, "sv")
	f.arabic = person("arabic", f.groupA, auth.Volunteer, "ar", "sv")
	f.somali = person("somali", f.groupA, auth.Volunteer, "so")
	f.volB = person("volb", f.grpB, auth.Volunteer, "ar")
	ops := &operation.Store{DB: d, Now: f.now}
	opID, err := ops.Create(ctx, f.coord, operation.Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: f.lead.ID, Level: operation.LevelSupported})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []auth.Org{f.groupA, f.grpB} {
		if err := ops.Invite(ctx, f.coord, opID, g.ID); err != nil {
			t.Fatal(err)
		}
		if err := ops.Join(ctx, opID, g.ID); err != nil {
			t.Fatal(err)
		}
	}
	if f.op, err = ops.Get(ctx, opID); err != nil {
		t.Fatal(err)
	}
	draft := Draft{Name: "Vaccination", Goal: 100, StartsOn: "2021-03-01", EndsOn: "2021-04-30",
		Questions: []Question{{Kind: YesNo, Text: "Vaccinated?"}, {Kind: Choice, Text: "Where did you hear?", Choices: []string{"radio", "friends"}}},
		Rules:     DefaultRetryRules(), LeaseMinutes: 15, GroupIDs: []int64{f.groupA.ID, f.grpB.ID}}
	if err := draft.Clean(f.op); err != nil {
		t.Fatal(err)
	}
	id, err := f.store.Create(ctx, f.coord, opID, draft)
	if err != nil {
		t.Fatal(err)
	}
	if f.campaign, err = f.store.Get(ctx, id); err != nil {
		t.Fatal(err)
	}
	return f
}

// fill queues contacts numbered from first, all of group org and language.
func (f *fixture) fill(t testing.TB, org auth.Org, first, n int, langs ...string) {
	t.Helper()
	cs := make([]Contact, n)
	for i := range cs {
		cs[i] = Contact{ID: int64(first + i), OrgID: org.ID, Languages: langs, District: "Drottninghög"}
	}
	if _, err := f.store.FillQueue(context.Background(), f.campaign, cs); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) claim(t testing.TB, u *auth.User) (Lease, error) {
	t.Helper()
	return f.store.ClaimNext(context.Background(), f.campaign, u, CallerGroups(u, f.op, f.campaign))
}

func (f *fixture) mustClaim(t testing.TB, u *auth.User) Lease {
	t.Helper()
	l, err := f.claim(t, u)
	if err != nil {
		t.Fatalf("claim as %s: %v", u.Name, err)
	}
	return l
}

var keys atomic.Int64

func (f *fixture) record(t testing.TB, u *auth.User, l Lease, o Outcome) (Recorded, error) {
	t.Helper()
	r := Report{EntryID: l.EntryID, Seq: l.Seq, Key: fmt.Sprintf("k%d", keys.Add(1)), Outcome: o}
	if err := r.Validate(f.campaign, f.now()); err != nil {
		t.Fatal(err)
	}
	return f.store.RecordOutcome(context.Background(), f.campaign, u, r)
}

func TestAVolunteerGetsOnlyHerGroupsContactsInHerLanguages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.fill(t, f.groupA, 1, 2, "ar")
		f.fill(t, f.groupA, 3, 1, "so", "ti")
		f.fill(t, f.grpB, 4, 1, "ar")
		seen := map[int64]bool{}
		for range 2 {
			l := f.mustClaim(t, f.arabic)
			if l.OrgID != f.groupA.ID || l.Languages[0] != "ar" {
				t.Fatalf("the Arabic speaker of group A got %+v", l)
			}
			seen[l.ContactID] = true
			if _, err := f.record(t, f.arabic, l, Completed); err != nil {
				t.Fatal(err)
			}
		}
		if len(seen) != 2 {
			t.Fatalf("contacts seen: %v", seen)
		}
		if _, err := f.claim(t, f.arabic); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("group A has no more Arabic contacts, got %v", err)
		}
		if l := f.mustClaim(t, f.somali); l.ContactID != 3 {
			t.Fatalf("the Somali speaker got %+v", l)
		}
		if l := f.mustClaim(t, f.volB); l.ContactID != 4 {
			t.Fatalf("group B's volunteer got %+v", l)
		}
	}, allMigrations...)
}

func TestPressingNextTwiceGivesTheSameHeldContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.fill(t, f.groupA, 1, 3, "ar")
		a, b := f.mustClaim(t, f.arabic), f.mustClaim(t, f.arabic)
		if a.EntryID != b.EntryID || a.Seq != b.Seq {
			t.Fatalf("second Next took another contact: %+v then %+v", a, b)
		}
	}, allMigrations...)
}

func TestQueueOrderCallbacksThenNewThenRetries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		f.fill(t, f.groupA, 1, 2, "ar")
		// Contact 1: no answer (retry in 3 h). Contact 2: asks to be called back in 1 h.
		l1 := f.mustClaim(t, f.arabic)
		if _, err := f.record(t, f.arabic, l1, NoAnswer); err != nil {
			t.Fatal(err)
		}
		l2 := f.mustClaim(t, f.arabic)
		in1h := f.now().Add(time.Hour)
		r := Report{EntryID: l2.EntryID, Seq: l2.Seq, Key: "cb", Outcome: Callback, CallbackAt: &in1h}
		if err := r.Validate(f.campaign, f.now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.RecordOutcome(ctx, f.campaign, f.arabic, r); err != nil {
			t.Fatal(err)
		}
		f.fill(t, f.groupA, 3, 1, "ar")
		l3 := f.mustClaim(t, f.arabic)
		if l3.ContactID != 3 {
			t.Fatalf("only the new contact is due now, got %+v", l3)
		}
		if _, err := f.record(t, f.arabic, l3, Completed); err != nil {
			t.Fatal(err)
		}
		if _, err := f.claim(t, f.arabic); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("nothing is due before the callback, got %v", err)
		}
		f.advance(4 * time.Hour) // both the callback and the retry are due
		if l := f.mustClaim(t, f.arabic); l.ContactID != 2 {
			t.Fatalf("the callback comes first, got %+v", l)
		}
	}, allMigrations...)
}

func TestALeaseThatRunsOutGoesToAnotherAndTheLateOutcomeIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.fill(t, f.groupA, 1, 1, "ar")
		second := f.somali
		second.Languages = []string{"ar"}
		first := f.mustClaim(t, f.arabic)
		if _, err := f.claim(t, second); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("a held contact went to another volunteer: %v", err)
		}
		f.advance(16 * time.Minute) // the 15-minute lease ran out mid-call
		taken := f.mustClaim(t, second)
		if taken.ContactID != first.ContactID || taken.Seq != first.Seq+1 {
			t.Fatalf("expired lease did not return to the queue: %+v after %+v", taken, first)
		}
		_, err := f.record(t, f.arabic, first, Completed)
		if !errors.Is(err, ErrLeaseLost) {
			t.Fatalf("the first volunteer's late outcome: %v, want ErrLeaseLost", err)
		}
		if p, ok := problem.As(err); !ok || p[0].Kind != problem.Conflict {
			t.Fatalf("late outcome is not a conflict problem: %v", err)
		}
		if _, err := f.record(t, second, taken, Completed); err != nil {
			t.Fatalf("the second volunteer's outcome: %v", err)
		}
	}, allMigrations...)
}

func TestAnExpiredLeaseNobodyTookStillAcceptsTheOutcome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.fill(t, f.groupA, 1, 1, "ar")
		l := f.mustClaim(t, f.arabic)
		f.advance(time.Hour)
		if _, err := f.record(t, f.arabic, l, Completed); err != nil {
			t.Fatal(err)
		}
	}, allMigrations...)
}

func TestADoubleTapRecordsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		f.fill(t, f.groupA, 1, 1, "ar")
		l := f.mustClaim(t, f.arabic)
		f.advance(3 * time.Minute)
		r := Report{EntryID: l.EntryID, Seq: l.Seq, Key: "screen-1", Outcome: Completed, Answers: Answers{0: "yes", 1: "radio"},
			AskedText: "Can I choose the vaccine?", AskedTopics: []string{"vaccination"}, Escalate: true}
		if err := r.Validate(f.campaign, f.now()); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]Recorded, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Go(func() { results[i], errs[i] = f.store.RecordOutcome(ctx, f.campaign, f.arabic, r) })
		}
		wg.Wait()
		dups := 0
		for i, err := range errs {
			if err != nil {
				t.Fatalf("tap %d: %v", i, err)
			}
			if results[i].Duplicate {
				dups++
			}
		}
		if dups != 3 {
			t.Fatalf("%d duplicates of 4 taps, want 3", dups)
		}
		var calls, questions, escalated, seconds int
		d.QueryRow(ctx, `SELECT COUNT(*), MAX(duration_seconds) FROM campaign_calls`).Scan(&calls, &seconds)
		d.QueryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN state = 'escalated' THEN 1 ELSE 0 END) FROM resident_questions`).Scan(&questions, &escalated)
		if calls != 1 || questions != 1 || escalated != 1 || seconds != 180 {
			t.Fatalf("calls %d, questions %d, escalated %d, duration %ds; want 1, 1, 1, 180", calls, questions, escalated, seconds)
		}
		p, err := f.store.Progress(ctx, f.campaign)
		if err != nil {
			t.Fatal(err)
		}
		if p.Completed != 1 || p.Reached != 1 || p.Contacts != 1 || p.Left != 0 || p.Escalated != 1 || len(p.ByDay) != 1 || p.ByLanguage[0].Key != "ar" {
			t.Fatalf("progress %+v", p)
		}
	}, allMigrations...)
}

func TestRetriesFollowTheRulesUntilTheLastAttempt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.fill(t, f.groupA, 1, 1, "ar")
		for attempt := 1; attempt <= 3; attempt++ {
			l := f.mustClaim(t, f.arabic)
			if l.Attempts != attempt-1 {
				t.Fatalf("attempt %d: entry has %d attempts", attempt, l.Attempts)
			}
			rec, err := f.record(t, f.arabic, l, NoAnswer)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Final != (attempt == 3) {
				t.Fatalf("attempt %d final = %v", attempt, rec.Final)
			}
			f.advance(2 * time.Hour)
			if _, err := f.claim(t, f.arabic); !errors.Is(err, ErrNothingToCall) {
				t.Fatalf("retry came before its 3 hours: %v", err)
			}
			f.advance(time.Hour)
		}
		if _, err := f.claim(t, f.arabic); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("a fourth attempt: %v", err)
		}
	}, allMigrations...)
}

func TestDoNotCallLeavesEveryCampaign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		f.fill(t, f.groupA, 1, 1, "ar")
		other := f.campaign
		d2 := DraftOf(f.campaign)
		d2.Name = "Second"
		id, err := f.store.Create(ctx, f.coord, f.op.ID, d2)
		if err != nil {
			t.Fatal(err)
		}
		f.campaign, _ = f.store.Get(ctx, id)
		f.fill(t, f.groupA, 1, 1, "ar")
		f.campaign = other
		l := f.mustClaim(t, f.arabic)
		if _, err := f.record(t, f.arabic, l, DoNotCall); err != nil {
			t.Fatal(err)
		}
		var left int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_queue WHERE state = 'queued'`).Scan(&left)
		if left != 0 {
			t.Fatalf("%d queue entries left for a do-not-call contact", left)
		}
	}, allMigrations...)
}

func TestAnOtherLanguageOutcomeGoesToASpeakerOfIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.fill(t, f.groupA, 1, 1, "ar")
		l := f.mustClaim(t, f.arabic)
		r := Report{EntryID: l.EntryID, Seq: l.Seq, Key: "ol", Outcome: OtherLanguage, OtherLanguage: "so"}
		if err := r.Validate(f.campaign, f.now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.RecordOutcome(context.Background(), f.campaign, f.arabic, r); err != nil {
			t.Fatal(err)
		}
		if _, err := f.claim(t, f.arabic); !errors.Is(err, ErrNothingToCall) {
			t.Fatalf("the Arabic speaker got the contact again: %v", err)
		}
		if got := f.mustClaim(t, f.somali); got.ContactID != 1 {
			t.Fatalf("the Somali speaker got %+v", got)
		}
	}, allMigrations...)
}

// The concurrency test of the issue: 200 volunteers press Next at once
// over 10,000 contacts; every contact is handed out exactly once per
// attempt. Then every lease runs out and the round repeats: every contact
// is handed out exactly once more.
func TestEveryContactIsClaimedExactlyOncePerAttempt(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		const contacts, claimers = 10_000, 200
		f.fill(t, f.groupA, 1, contacts, "ar")
		volunteers := make([]*auth.User, claimers)
		for i := range volunteers {
			id, err := f.auth.CreatePerson(ctx, auth.NewPerson{Name: fmt.Sprint("v", i), Email: fmt.Sprintf("v%d@x.se", i), Languages: []string{"ar"}}, f.groupA.ID, auth.Volunteer, "")
			if err != nil {
				t.Fatal(err)
			}
			if volunteers[i], err = f.auth.User(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		for round := 1; round <= 2; round++ {
			var mu sync.Mutex
			got := map[int64]int{}
			var wg sync.WaitGroup
			for _, v := range volunteers {
				wg.Go(func() {
					groups := CallerGroups(v, f.op, f.campaign)
					for {
						// Not ClaimNext, which gives a volunteer back
						// the contact she holds: each claim here takes
						// a new one, as if she had recorded an outcome.
						l, err := f.store.claimFresh(ctx, f.campaign, v, groups)
						if errors.Is(err, ErrNothingToCall) {
							return
						}
						if err != nil {
							t.Error(err)
							return
						}
						if l.Seq != round {
							t.Errorf("contact %d claimed with seq %d in round %d", l.ContactID, l.Seq, round)
						}
						mu.Lock()
						got[l.ContactID]++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if len(got) != contacts {
				t.Fatalf("round %d: %d contacts handed out, want %d", round, len(got), contacts)
			}
			for id, n := range got {
				if n != 1 {
					t.Fatalf("round %d: contact %d handed out %d times", round, id, n)
				}
			}
			f.advance(16 * time.Minute)
		}
	}, allMigrations...)
}

// BenchmarkClaimNext claims contacts one after another from a queue of
// 10,000 (each claim a new contact, as after an outcome), on both
// databases, with b.N claimers in parallel.
func BenchmarkClaimNext(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			d := dbtest.Open(b, dialect, allMigrations...)
			f := newFixture(b, d)
			ctx := context.Background()
			const contacts = 10_000
			f.fill(b, f.groupA, 1, contacts, "ar")
			groups := CallerGroups(f.arabic, f.op, f.campaign)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					_, err := f.store.claimFresh(ctx, f.campaign, f.arabic, groups)
					if errors.Is(err, ErrNothingToCall) {
						// The queue ran dry: every lease runs out and it fills again.
						b.StopTimer()
						f.advance(time.Hour)
						b.StartTimer()
						continue
					}
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// secondPool opens the test's database again, as another megafon process
// sharing it would: its own connections (on SQLite, its own writer).
func secondPool(t *testing.T, d *db.DB) *db.DB {
	t.Helper()
	ctx := context.Background()
	dsn := ""
	if d.Dialect == db.SQLite {
		var seq int
		var name string
		if err := d.QueryRow(ctx, `PRAGMA database_list`).Scan(&seq, &name, &dsn); err != nil {
			t.Fatal(err)
		}
	} else {
		var schema string
		if err := d.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(dbtest.PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	other, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// Two megafon instances on one database (several processes behind a load
// balancer, each with its own connections): their volunteers, pressing
// Next at once, never get the same contact.
func TestTwoInstancesNeverHandOutTheSameContact(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		const contacts, perInstance = 2_000, 50
		f.fill(t, f.groupA, 1, contacts, "ar")
		stores := []*Store{f.store, {DB: secondPool(t, d), Now: f.now}}
		var mu sync.Mutex
		got := map[int64]int{}
		var wg sync.WaitGroup
		for _, st := range stores {
			for i := range perInstance {
				id, err := f.auth.CreatePerson(ctx, auth.NewPerson{Name: fmt.Sprint("w", i), Email: fmt.Sprintf("w%d-%p@x.se", i, st),
					Languages: []string{"ar"}}, f.groupA.ID, auth.Volunteer, "")
				if err != nil {
					t.Fatal(err)
				}
				v, err := f.auth.User(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				wg.Go(func() {
					groups := CallerGroups(v, f.op, f.campaign)
					for {
						l, err := st.claimFresh(ctx, f.campaign, v, groups)
						if errors.Is(err, ErrNothingToCall) {
							return
						}
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						got[l.ContactID]++
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
		if len(got) != contacts {
			t.Fatalf("%d contacts handed out, want %d", len(got), contacts)
		}
		for id, n := range got {
			if n != 1 {
				t.Fatalf("contact %d handed out %d times", id, n)
			}
		}
	}, allMigrations...)
}
