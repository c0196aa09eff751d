package telephony_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/helpline/telephony"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/secret"
	"megafon/platform/web"
	"megafon/platform/web/webtest"
)

// migrationsOnly mounts nothing: it brings a part's tables into the test
// database (the calls have no pages yet).
type migrationsOnly struct {
	name  string
	parts []db.Migrations
}

func (m migrationsOnly) Name() string                { return m.name }
func (m migrationsOnly) Migrations() []db.Migrations { return m.parts }
func (m migrationsOnly) Mount(*web.App)              {}

// fakeRoster stands in for the help lines' store: the lines, which
// languages are open and who is on shift, as each test sets them.
type fakeRoster struct {
	mu    sync.Mutex
	lines map[int64]helpline.Line
	open  map[string]bool
	duty  map[string][]helpline.OnDuty
}

func (r *fakeRoster) Line(_ context.Context, id int64) (helpline.Line, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.lines[id]
	if !ok {
		return l, telephony.ErrNotFound
	}
	return l, nil
}

func (r *fakeRoster) OpenAt(_ context.Context, _ int64, lang string, _ time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.open[lang], nil
}

func (r *fakeRoster) OnShift(_ context.Context, _ int64, lang string, _ time.Time) ([]helpline.OnDuty, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.duty[lang], nil
}

func (r *fakeRoster) ShiftLanguages(context.Context, int64, time.Time) ([]helpline.LineLanguage, error) {
	return nil, nil
}

func (r *fakeRoster) setOpen(lang string, open bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.open[lang] = open
}

// fixture is the demo city with an operation led by the Labour Market
// Administration and its help line in Swedish (key 1), Arabic (key 2)
// and Tigrinya (key 3, not recorded, so left out of the menu); two
// volunteers on shift in Arabic; open in every language.
type fixture struct {
	s      *webtest.Server
	mod    *telephony.Module
	calls  *calls.Store
	roster *fakeRoster
	line   helpline.Line
	other  helpline.Line
	amina  int64 // the first on shift in Arabic
	fadumo int64 // the second
	secret string
	clock  time.Time
}

const (
	aminaPhone  = "+46701000001"
	fadumoPhone = "+46709000002"
	twilioSID   = "AC0123456789abcdef0123456789abcdef"
	twilioToken = "twilio-auth-token-of-the-line"
)

func modules(mod *telephony.Module) []web.Module {
	return []web.Module{&notify.Module{}, &operation.Module{}, &handbook.Module{}, &question.Module{},
		migrationsOnly{"helpline", []db.Migrations{helpline.Migrations}}, migrationsOnly{"calls", []db.Migrations{calls.Migrations}}, mod}
}

func newFixture(t testing.TB, d db.Dialect, provider string, ring helpline.Ring) *fixture {
	t.Helper()
	ctx := context.Background()
	keys, err := secret.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{roster: &fakeRoster{lines: map[int64]helpline.Line{}, open: map[string]bool{"sv": true, "ar": true, "ti": true},
		duty: map[string][]helpline.OnDuty{}}, clock: time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)}
	f.mod = &telephony.Module{Keys: keys, Roster: f.roster}
	f.s = webtest.New(t, d, false, modules(f.mod)...)
	app := f.s.App
	app.Now = func() time.Time { return f.clock }
	f.calls = &calls.Store{DB: app.DB, Keys: keys, Now: app.Now}
	f.mod.Calls = f.calls

	coord := f.s.User("samordnare@demo.megafon.se")
	ops := &operation.Store{DB: app.DB, Now: app.Now}
	opID, err := ops.Create(ctx, coord, operation.Draft{Name: "Covid-19", StartsOn: "2021-01-01", LeadOrgID: f.s.City.Orgs[demo.LabourMarket].ID, Level: operation.LevelSupported})
	if err != nil {
		t.Fatal(err)
	}
	f.line = insertLine(t, app.DB, opID, "+46101234567", ring, f.clock, "sv", "ar", "ti")
	f.other = insertLine(t, app.DB, opID, "+46107654321", ring, f.clock, "sv", "ar")
	f.roster.lines[f.line.ID], f.roster.lines[f.other.ID] = f.line, f.other
	f.amina, f.fadumo = f.s.User("+46701000001").ID, f.s.User("+46701000002").ID
	f.roster.duty["ar"] = []helpline.OnDuty{{ShiftID: 1, PersonID: f.amina, Name: "Amina", Number: aminaPhone},
		{ShiftID: 2, PersonID: f.fadumo, Name: "Fadumo", Number: fadumoPhone}}

	store := f.mod.Store()
	for _, l := range []helpline.Line{f.line, f.other} {
		c := telephony.Connection{Provider: provider, Account: "elks-user", Token: "elks-password"}
		if provider == "twilio" {
			c.Account, c.Token = twilioSID, twilioToken
		}
		sec, err := store.Connect(ctx, coord.ID, l.ID, c)
		if err != nil {
			t.Fatal(err)
		}
		if l.ID == f.line.ID {
			f.secret = sec
		}
		for i, rec := range []struct {
			lang string
			kind telephony.Kind
		}{{"sv", telephony.Welcome}, {"sv", telephony.MenuPrompt}, {"ar", telephony.MenuPrompt}, {"ar", telephony.ClosedMessage},
			{"ar", telephony.NoAnswerOffer}, {"ar", telephony.CallbackTaken}, {"sv", telephony.ClosedMessage}} {
			if _, err := store.SaveRecording(ctx, coord.ID, l.ID, []string{"sv", "ar", "ti"}, rec.lang, rec.kind,
				telephony.ToneWAV(300+float64(i)*50+float64(l.ID), 200*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func insertLine(t testing.TB, d *db.DB, op int64, number string, ring helpline.Ring, now time.Time, langs ...string) helpline.Line {
	t.Helper()
	ctx := context.Background()
	l := helpline.Line{OperationID: op, Name: "Jourlinjen " + number, PublicNumber: number, Ring: ring, RingSeconds: 15, TimeZone: "Europe/Stockholm"}
	if err := d.WriteRow(ctx, `INSERT INTO helplines (operation_id, name, public_number, ring, ring_seconds, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, op, l.Name, number, string(ring), l.RingSeconds, db.Now(now)).Scan(&l.ID); err != nil {
		t.Fatal(err)
	}
	for i, lang := range langs {
		if _, err := d.Exec(ctx, `INSERT INTO helpline_languages (helpline_id, lang, menu_key) VALUES ($1, $2, $3)`, l.ID, lang, i+1); err != nil {
			t.Fatal(err)
		}
		l.Languages = append(l.Languages, helpline.Language{Lang: lang, Key: i + 1})
	}
	return l
}

// hooks is the line's webhook address as the provider knows it.
func (f *fixture) hooks(provider string, l helpline.Line, secret string) string {
	if provider == "twilio" {
		return "http://megafon.test/hooks/twilio/" + strconv.FormatInt(l.ID, 10)
	}
	return "http://megafon.test/hooks/46elks/" + secret
}

// sim is a simulated provider on the fixture's line.
func (f *fixture) sim(provider string) *telephony.Sim {
	return &telephony.Sim{Handler: f.s.App.Handler(), Provider: provider, Hooks: f.hooks(provider, f.line, f.secret),
		Account: twilioSID, Token: twilioToken}
}

// call returns the calls store's record of the simulated call.
func (f *fixture) call(t testing.TB, s *telephony.Sim) calls.Call {
	t.Helper()
	c, err := f.calls.ByProvider(context.Background(), s.Provider, s.CallID)
	if err != nil {
		t.Fatalf("the call %s was not recorded: %v", s.CallID, err)
	}
	return c
}

func (f *fixture) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := f.s.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// advance moves the clock; tests that use it do not run requests at the
// same time.
func (f *fixture) advance(d time.Duration) { f.clock = f.clock.Add(d) }

// recordingURL is the address of a recording of the fixture's line.
func (f *fixture) recordingURL(t testing.TB, lang string, kind telephony.Kind) string {
	t.Helper()
	recs, err := f.mod.Store().Recordings(context.Background(), f.line.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Lang == lang && r.Kind == kind {
			return "http://megafon.test/telephony/audio/" + r.SHA256
		}
	}
	t.Fatalf("no %s recording in %s", kind, lang)
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
