// Command megafon-load measures the call queue under load: N simulated
// volunteers press Next, open the call screen and record an outcome,
// against a running Megafon on this machine, and it prints the throughput
// and the p50 and p99 latencies.
//
//	megafon-load serve -db load.db -contacts 10000 -volunteers 128
//	megafon-load run -url http://127.0.0.1:8089 -volunteers 128 -duration 20s
//
// serve starts the real application (every module, the demo city) with a
// load-test partner group of volunteers and a campaign over its contacts,
// imported into the real contact register (encrypted; every reveal
// decrypted and audited).
//
// It only talks to 127.0.0.1 and is bounded in volunteers and time.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"megafon/outreach/contact"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"megafon/outreach/campaign"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/web"
	"megafon/server"
)

// Bounds of a run.
const (
	maxVolunteers = 512
	maxDuration   = 5 * time.Minute
	maxContacts   = 200_000
	loadPassword  = "megafon-load-2021"
	loadGroup     = "Lasttestgruppen"
	loadCampaign  = "Load test"
)

// loadLanguages are the languages of the load group's volunteers and
// contacts, in turn.
var loadLanguages = []string{"ar", "so", "ti", "prs"}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: megafon-load serve|run [flags]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx, os.Args[2:])
	case "run":
		err = run(ctx, os.Args[2:], os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "megafon-load:", err)
		os.Exit(1)
	}
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dsn := fs.String("db", "megafon-load.db", "SQLite file or postgres:// URL (a fresh one)")
	addr := fs.String("addr", "127.0.0.1:8089", "address to listen on (127.0.0.1 only)")
	nContacts := fs.Int("contacts", 10_000, "contacts of the load group")
	volunteers := fs.Int("volunteers", 128, "volunteers of the load group")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the serving to this file")
	// Simulated volunteers call far faster than people and all sign in
	// from 127.0.0.1: the limits that stop a person or a script enumerating
	// contacts would stop the measurement. They are raised here only.
	reveals := fs.Int("reveals-per-minute", 1_000_000, "names and numbers one volunteer may see a minute (the server's default is "+fmt.Sprint(contact.DefaultRevealsPerMinute)+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || (host != "127.0.0.1" && host != "localhost") {
		return errors.New("serve listens on 127.0.0.1 only")
	}
	if *nContacts < 1 || *nContacts > maxContacts || *volunteers < 1 || *volunteers > maxVolunteers {
		return fmt.Errorf("contacts 1 to %d, volunteers 1 to %d", maxContacts, maxVolunteers)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	modules := server.Modules()
	var contacts *contact.Module
	for _, m := range modules {
		if c, ok := m.(*contact.Module); ok {
			contacts = c
		}
	}
	if contacts == nil {
		return errors.New("the server has no contact module")
	}
	if err := d.Migrate(ctx, server.Migrations(modules)...); err != nil {
		return err
	}
	contacts.RevealsPerMinute = *reveals
	throttle := auth.DefaultThrottle
	throttle.PerAddress = 1_000_000
	app := web.New(web.Config{BaseURL: "http://" + *addr, Throttle: throttle}, d, log)
	app.Mount(modules...)
	orgs, err := app.Auth.Orgs(ctx)
	if err != nil {
		return err
	}
	if len(orgs) > 0 {
		return errors.New("serve needs an empty database")
	}
	// The demo city first, with about 2,400 contacts in its two groups.
	start := time.Now()
	if _, err := server.SeedDemo(ctx, app); err != nil {
		return err
	}
	fmt.Printf("seeded the demo city with its campaign history in %v\n", time.Since(start).Round(time.Millisecond))
	id, err := seedLoad(ctx, app, contacts, *nContacts, *volunteers)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("serving at http://%s/ ; load campaign %d with %d contacts and %d volunteers (load-N@load.megafon.test)\n", ln.Addr(), id, *nContacts, *volunteers)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// seedLoad adds the load group with its volunteers to the demo operation
// and a campaign over its contacts.
func seedLoad(ctx context.Context, app *web.App, register *contact.Module, contacts, volunteers int) (int64, error) {
	group, err := app.Auth.CreateOrg(ctx, loadGroup, auth.PartnerGroup)
	if err != nil {
		return 0, err
	}
	hash := app.Auth.Argon2.Hash(loadPassword)
	for i := range volunteers {
		pid, err := app.Auth.CreatePerson(ctx, auth.NewPerson{Name: fmt.Sprintf("Volontär %d", i), Email: fmt.Sprintf("load-%d@load.megafon.test", i),
			Languages: []string{loadLanguages[i%len(loadLanguages)]}}, group.ID, auth.Volunteer, "")
		if err != nil {
			return 0, err
		}
		if err := app.Auth.SetSecretHash(ctx, pid, hash); err != nil {
			return 0, err
		}
	}
	ops := &operation.Store{DB: app.DB, Now: time.Now}
	all, err := ops.All(ctx)
	if err != nil || len(all) == 0 {
		return 0, fmt.Errorf("no demo operation: %v", err)
	}
	op := all[0]
	var adminID int64
	if err := app.DB.QueryRow(ctx, `SELECT id FROM people WHERE email = $1`, "admin@demo.megafon.se").Scan(&adminID); err != nil {
		return 0, fmt.Errorf("demo administrator: %w", err)
	}
	admin, err := app.Auth.User(ctx, adminID)
	if err != nil {
		return 0, err
	}
	if err := ops.Invite(ctx, admin, op.ID, group.ID); err != nil {
		return 0, err
	}
	if err := ops.Join(ctx, op.ID, group.ID); err != nil {
		return 0, err
	}
	if op, err = ops.Get(ctx, op.ID); err != nil {
		return 0, err
	}
	st := &campaign.Store{DB: app.DB, Now: time.Now}
	d := campaign.Draft{Name: loadCampaign, Goal: contacts, StartsOn: "2021-03-01", EndsOn: "2030-12-31", Rules: campaign.DefaultRetryRules(),
		LeaseMinutes: campaign.DefaultLease, GroupIDs: []int64{group.ID}, Questions: []campaign.Question{{Kind: campaign.YesNo, Text: "Vaccinerad?"}}}
	if err := d.Clean(op); err != nil {
		return 0, err
	}
	id, err := st.Create(ctx, admin, op.ID, d)
	if err != nil {
		return 0, err
	}
	c, err := st.Get(ctx, id)
	if err != nil {
		return 0, err
	}
	// The group's list, imported as a lead would: one column of numbers,
	// one of languages, in turn the load languages.
	var list strings.Builder
	list.WriteString("Telefon;Språk\n")
	for i := range contacts {
		fmt.Fprintf(&list, "+4673%07d;%s\n", i, loadLanguages[i%len(loadLanguages)])
	}
	imp, err := register.Importer().Upload(ctx, group.ID, admin, "load.csv", []byte(list.String()), contact.BasisConsent, "", time.Now().AddDate(1, 0, 0))
	if err != nil {
		return 0, err
	}
	if err := register.Importer().Run(ctx, imp); err != nil {
		return 0, err
	}
	cs, err := register.CampaignContacts().ForGroups(ctx, []int64{group.ID})
	if err != nil {
		return 0, err
	}
	if len(cs) != contacts {
		return 0, fmt.Errorf("imported %d load contacts of %d", len(cs), contacts)
	}
	if _, err := st.FillQueue(ctx, c, cs); err != nil {
		return 0, err
	}
	return id, nil
}

var (
	csrfField  = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	screenPath = regexp.MustCompile(`^/campaigns/\d+/calls/(\d+)\?seq=(\d+)$`)
)

// volunteer is one simulated volunteer: her own cookies and CSRF token.
type volunteer struct {
	client *http.Client
	base   string
	csrf   string
}

func (v *volunteer) do(method, path string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		form.Set("csrf_token", v.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, v.base+path, body)
	if err != nil {
		return nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		v.csrf = string(m[1])
	}
	return resp, string(b), err
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8089", "the server (127.0.0.1 only)")
	n := fs.Int("volunteers", 16, "simulated volunteers")
	duration := fs.Duration("duration", 20*time.Second, "how long to run")
	think := fs.Duration("think", 0, "mean pause of each volunteer between a call and the next, at random from half to one and a half times it (0: none, a stress test)")
	campaignID := fs.Int("campaign", 0, "campaign id (default: the one named "+loadCampaign+", found from /campaigns)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		return errors.New("run talks to 127.0.0.1 only")
	}
	if *n < 1 || *n > maxVolunteers || *duration <= 0 || *duration > maxDuration {
		return fmt.Errorf("volunteers 1 to %d, duration up to %v", maxVolunteers, maxDuration)
	}
	transport := &http.Transport{MaxIdleConnsPerHost: *n, MaxConnsPerHost: *n + 4}
	vols := make([]*volunteer, *n)
	var signErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4) // signing in hashes a password: a few at a time
	for i := range vols {
		jar, _ := cookiejar.New(nil)
		v := &volunteer{base: strings.TrimSuffix(*base, "/"), client: &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		vols[i] = v
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, _, err := v.do("GET", "/signin", nil); err != nil {
				mu.Lock()
				signErr = err
				mu.Unlock()
				return
			}
			resp, _, err := v.do("POST", "/signin", url.Values{"login": {fmt.Sprintf("load-%d@load.megafon.test", i)}, "secret": {loadPassword}})
			if err == nil && resp.StatusCode != http.StatusSeeOther {
				err = fmt.Errorf("sign in load-%d: status %d", i, resp.StatusCode)
			}
			if err != nil {
				mu.Lock()
				signErr = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if signErr != nil {
		return signErr
	}
	id := *campaignID
	if id == 0 {
		_, body, err := vols[0].do("GET", "/campaigns", nil)
		if err != nil {
			return err
		}
		m := regexp.MustCompile(`href="/campaigns/(\d+)">` + loadCampaign + `<`).FindStringSubmatch(body)
		if m == nil {
			return errors.New("no load campaign on /campaigns: start the server with megafon-load serve, or give -campaign")
		}
		fmt.Sscan(m[1], &id)
	}
	for _, v := range vols {
		if _, _, err := v.do("GET", fmt.Sprintf("/campaigns/%d/call", id), nil); err != nil {
			return err
		}
	}

	var (
		lat       = map[string][]time.Duration{}
		cycles    int
		failures  int
		exhausted int
	)
	record := func(op string, d time.Duration) {
		mu.Lock()
		lat[op] = append(lat[op], d)
		mu.Unlock()
	}
	outcomes := []string{"completed", "completed", "completed", "no_answer", "busy", "voicemail", "declined"}
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	start := time.Now()
	for i, v := range vols {
		wg.Go(func() {
			// Volunteers start and pause at random within the think time,
			// as people do, rather than all pressing Next at once.
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			pause := func(d time.Duration) {
				select {
				case <-ctx.Done():
				case <-time.After(d):
				}
			}
			if *think > 0 {
				pause(time.Duration(rng.Int64N(int64(*think))))
			}
			for k := 0; ctx.Err() == nil; k++ {
				t0 := time.Now()
				resp, _, err := v.do("POST", fmt.Sprintf("/campaigns/%d/next", id), url.Values{})
				if err != nil || resp.StatusCode != http.StatusSeeOther {
					mu.Lock()
					failures++
					mu.Unlock()
					continue
				}
				record("next", time.Since(t0))
				loc := resp.Header.Get("Location")
				m := screenPath.FindStringSubmatch(loc)
				if m == nil { // nothing to call
					mu.Lock()
					exhausted++
					mu.Unlock()
					return
				}
				t1 := time.Now()
				resp, _, err = v.do("GET", loc, nil)
				if err != nil || resp.StatusCode != http.StatusOK {
					mu.Lock()
					failures++
					mu.Unlock()
					continue
				}
				record("screen", time.Since(t1))
				t2 := time.Now()
				form := url.Values{"seq": {m[2]}, "outcome": {outcomes[(i+k)%len(outcomes)]}, "a0": {"yes"}}
				resp, _, err = v.do("POST", strings.SplitN(loc, "?", 2)[0], form)
				if err != nil || resp.StatusCode != http.StatusSeeOther {
					mu.Lock()
					failures++
					mu.Unlock()
					continue
				}
				record("outcome", time.Since(t2))
				mu.Lock()
				cycles++
				mu.Unlock()
				if *think > 0 {
					pause(*think/2 + time.Duration(rng.Int64N(int64(*think))))
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	fmt.Fprintf(stdout, "volunteers %d, think %v, %v: %d calls (Next + screen + outcome), %.1f calls/s, %.1f requests/s, %d failures, %d volunteers ran out of contacts\n",
		*n, *think, elapsed.Round(time.Millisecond), cycles, float64(cycles)/elapsed.Seconds(), float64(3*cycles)/elapsed.Seconds(), failures, exhausted)
	for _, op := range []string{"next", "screen", "outcome"} {
		ds := lat[op]
		all = append(all, ds...)
		p50, p99 := percentiles(ds)
		fmt.Fprintf(stdout, "  %-8s n=%-6d p50 %6.1f ms  p99 %6.1f ms\n", op, len(ds), ms(p50), ms(p99))
	}
	p50, p99 := percentiles(all)
	fmt.Fprintf(stdout, "  %-8s n=%-6d p50 %6.1f ms  p99 %6.1f ms\n", "all", len(all), ms(p50), ms(p99))
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)*50/100], s[min(len(s)-1, len(s)*99/100)]
}
