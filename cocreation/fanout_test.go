package cocreation_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"megafon/cocreation"
	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/account"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/db/dbtest"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// The load of issue 5: a hundred participants in one room post their notes
// at the same moment, and the facilitator's open board receives every one.

const participants = 100

// room is a running workshop with an open prompt: one or more application
// instances on one database, like server processes behind a load balancer.
type room struct {
	urls     []string
	handlers []http.Handler
	store    *workshop.Store
	joinCode string
	workshop int64
	prompt   int64
}

// newRoom starts instances of the application (account and co-creation
// only) on one fresh database, seeds the demo city's people, and opens a
// workshop of a process in its workshops phase with one open prompt. poll
// is how often a board looks for notes written through another instance.
func newRoom(t testing.TB, dialect db.Dialect, instances int, poll time.Duration) *room {
	t.Helper()
	d := dbtest.Open(t, dialect, auth.Migrations, process.Migrations)
	r := &room{}
	var city *demo.City
	for i := 0; i < instances; i++ {
		app := web.New(web.Config{BaseURL: "http://megafon.test"}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		app.Auth.Argon2 = auth.Argon2{Time: 1, Memory: 1024, Threads: 1}
		// A hundred phones behind the test's one address join at once:
		// more than a workshop room's Wi-Fi is allowed by default.
		cc := &cocreation.Module{Poll: poll, Limits: process.Limits{JoinsPerAddress: process.Limit{Max: 1000, Per: time.Minute}}}
		app.Mount(&account.Module{}, cc)
		if i == 0 {
			var err error
			if city, _, err = demo.SeedPlatform(context.Background(), app.Auth); err != nil {
				t.Fatalf("seed demo platform: %v", err)
			}
			r.store = cc.Store()
		}
		srv := httptest.NewServer(app.Handler())
		t.Cleanup(srv.Close)
		r.urls = append(r.urls, srv.URL)
		r.handlers = append(r.handlers, app.Handler())
	}
	ctx := context.Background()
	now := time.Now()
	pid, err := r.store.CreateProcess(ctx, city.Orgs[demo.SocialAdmin].ID, process.NewProcess{Title: "Nämndens mål 2023",
		Purpose: "Vad fungerar bra, vad fungerar dåligt?", Start: now.AddDate(0, 0, -30).Format(time.DateOnly)})
	if err != nil {
		t.Fatalf("create process: %v", err)
	}
	p, err := r.store.Process(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	r.joinCode = p.JoinCode
	if r.workshop, err = r.store.SaveWorkshop(ctx, workshop.Workshop{ProcessID: pid, Title: "Workshop 1", Place: "Stadshuset",
		StartsAt: db.Now(now.Add(-time.Hour)), EndsAt: db.Now(now.Add(time.Hour))}); err != nil {
		t.Fatalf("save workshop: %v", err)
	}
	if r.prompt, err = r.store.OpenPrompt(ctx, r.workshop, "Vad fungerar extra bra?"); err != nil {
		t.Fatalf("open prompt: %v", err)
	}
	return r
}

// browser is one phone or laptop: its own cookies, its own connection, the
// CSRF token of the last page it read. It returns errors instead of
// failing the test, as it is used from many goroutines.
type browser struct {
	base string
	http *http.Client
	csrf string
}

func newBrowser(base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{base: base, http: &http.Client{Jar: jar, Timeout: time.Minute,
		Transport:     http.DefaultTransport.(*http.Transport).Clone(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) close() { b.http.CloseIdleConnections() }

var (
	csrfField  = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	nonceField = regexp.MustCompile(`name="nonce" value="([^"]+)"`)
	promptID   = regexp.MustCompile(`name="prompt" value="(\d+)"`)
	lastNote   = regexp.MustCompile(`data-last="(\d+)"`)
)

func (b *browser) get(path string) (string, error) {
	resp, err := b.http.Get(b.base + path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return string(body), nil
}

// post sends a form with the CSRF token and expects a redirect; it
// returns where to.
func (b *browser) post(path string, form url.Values) (string, error) {
	form.Set("csrf_token", b.csrf)
	resp, err := b.http.PostForm(b.base+path, form)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("POST %s: status %d, want 303", path, resp.StatusCode)
	}
	return resp.Header.Get("Location"), nil
}

// participant is a person in the room with her phone, on the workshop's
// page, a note typed and not yet sent.
type participant struct {
	*browser
	nonce  string
	prompt string
}

// join follows the QR code's link, joins and opens the workshop's page.
func (r *room) join(base string, n int) (*participant, error) {
	b := newBrowser(base)
	link := fmt.Sprintf("/join/%s?w=%d", r.joinCode, r.workshop)
	if _, err := b.get(link); err != nil {
		return nil, err
	}
	if _, err := b.post("/join/"+r.joinCode, url.Values{"name": {fmt.Sprintf("Deltagare %d", n)}, "role": {"service_user"},
		"lang": {"sv"}, "consent": {"yes"}, "w": {strconv.FormatInt(r.workshop, 10)}}); err != nil {
		return nil, fmt.Errorf("join %d: %w", n, err)
	}
	page, err := b.get(fmt.Sprintf("/p/w/%d", r.workshop))
	if err != nil {
		return nil, err
	}
	nonce, prompt := nonceField.FindStringSubmatch(page), promptID.FindStringSubmatch(page)
	if nonce == nil || prompt == nil {
		return nil, fmt.Errorf("participant %d: no note form on the workshop's page", n)
	}
	return &participant{browser: b, nonce: nonce[1], prompt: prompt[1]}, nil
}

// joinAll has n participants join through base, a few at a time.
func (r *room) joinAll(t testing.TB, base string, n int) []*participant {
	t.Helper()
	out := make([]*participant, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p, err := r.join(base, i)
			out[i] = p
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, p := range out {
			p.close()
		}
	})
	return out
}

// postNote sends her note; the answer is the redirect back to her page.
func (p *participant) postNote(workshop int64, text, nonce string) error {
	loc, err := p.post(fmt.Sprintf("/p/w/%d/notes", workshop), url.Values{"prompt": {p.prompt}, "text": {text}, "nonce": {nonce}})
	if err != nil {
		return err
	}
	if want := fmt.Sprintf("/p/w/%d#mine", workshop); loc != want {
		return fmt.Errorf("note posted, sent to %q, want %q", loc, want)
	}
	return nil
}

// facilitator signs in as the demo process leader.
func facilitator(t testing.TB, base string) *browser {
	t.Helper()
	b := newBrowser(base)
	t.Cleanup(b.close)
	if _, err := b.get("/signin"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.post("/signin", url.Values{"login": {"processledare@demo.megafon.se"}, "secret": {demo.Password}}); err != nil {
		t.Fatalf("sign in as the facilitator: %v", err)
	}
	return b
}

// arrival is a note as the board's stream delivered it, and when.
type arrival struct {
	ID   int64
	Text string
	At   time.Time
}

// stream is an open connection to a board's server-sent events.
type stream struct {
	notes  chan arrival
	done   chan error // the stream's end: nil when closed by us
	cancel context.CancelFunc
}

// openStream connects to the events of the board, as the board's
// EventSource does (lastEventID: as after a reconnect, "" for the first
// connection), and returns once the server has answered.
func openStream(t testing.TB, b *browser, path, lastEventID string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	// The stream lives longer than the client's timeout.
	c := *b.http
	c.Timeout = 0
	resp, err := c.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("open the board's events: %v", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("board's events: status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &stream{notes: make(chan arrival, 1000), done: make(chan error, 1), cancel: cancel}
	sc := bufio.NewScanner(resp.Body)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "retry:") {
		cancel()
		t.Fatalf("board's events: first line %q, want retry", sc.Text())
	}
	go func() {
		defer resp.Body.Close()
		var id, event, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if event == "note" {
					var n struct {
						ID   int64  `json:"id"`
						Text string `json:"text"`
					}
					if err := json.Unmarshal([]byte(data), &n); err != nil || strconv.FormatInt(n.ID, 10) != id {
						s.done <- fmt.Errorf("bad event id %q data %q: %v", id, data, err)
						return
					}
					s.notes <- arrival{ID: n.ID, Text: n.Text, At: time.Now()}
				}
				id, event, data = "", "", ""
			case strings.HasPrefix(line, "id: "):
				id = line[4:]
			case strings.HasPrefix(line, "event: "):
				event = line[7:]
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			}
		}
		if ctx.Err() != nil {
			s.done <- nil
			return
		}
		s.done <- fmt.Errorf("the board's stream ended: %v", sc.Err())
	}()
	t.Cleanup(cancel)
	return s
}

// collect reads n notes from the stream; it gives up when the stream ends
// or after a minute (a safeguard, not a measure).
func (s *stream) collect(n int) ([]arrival, error) {
	var got []arrival
	limit := time.NewTimer(time.Minute)
	defer limit.Stop()
	for len(got) < n {
		select {
		case a := <-s.notes:
			got = append(got, a)
		case err := <-s.done:
			return got, fmt.Errorf("after %d of %d notes: %v", len(got), n, err)
		case <-limit.C:
			return got, fmt.Errorf("after a minute, %d of %d notes arrived", len(got), n)
		}
	}
	return got, nil
}

// openBoard opens the facilitator's board page and its live stream, as
// the page's script does: events after the last note the page shows.
func (r *room) openBoard(t testing.TB, fac *browser) *stream {
	t.Helper()
	page, err := fac.get(fmt.Sprintf("/workshops/%d/board", r.workshop))
	if err != nil {
		t.Fatal(err)
	}
	m := lastNote.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the board has no data-last for its script")
	}
	return openStream(t, fac, fmt.Sprintf("/workshops/%d/events?after=%s", r.workshop, m[1]), "")
}

// posting is when a note's POST was sent and when it was answered.
type posting struct{ Sent, Answered time.Time }

// postAtOnce has every participant post one note at the same moment and
// returns when each was sent and answered, by text.
func postAtOnce(t testing.TB, workshop int64, ps []*participant, text func(i int) string, nonce func(i int, p *participant) string) map[string]posting {
	t.Helper()
	start := make(chan struct{})
	sent := make([]posting, len(ps))
	errs := make([]error, len(ps))
	var ready, done sync.WaitGroup
	for i, p := range ps {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			sent[i].Sent = time.Now()
			errs[i] = p.postNote(workshop, text(i), nonce(i, p))
			sent[i].Answered = time.Now()
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	out := map[string]posting{}
	for i, err := range errs {
		if err != nil {
			t.Errorf("participant %d: %v", i, err)
		}
		out[text(i)] = sent[i]
	}
	if t.Failed() {
		t.FailNow()
	}
	return out
}

func noteText(round, i int) string {
	return fmt.Sprintf("Lapp %d från deltagare %03d: personalen lyssnar & svarar <snabbt>", round, i)
}

// checkEveryNote checks that the notes posted are stored once each, came
// once each over the stream, and are all on the board's page.
func (r *room) checkEveryNote(t *testing.T, fac *browser, posted map[string]posting, got []arrival) {
	t.Helper()
	notes, err := r.store.Notes(context.Background(), r.workshop, 0)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int64{}
	for _, n := range notes {
		if _, ok := posted[n.Text]; !ok {
			t.Errorf("stored note %d %q was never posted", n.ID, n.Text)
		}
		if _, dup := stored[n.Text]; dup {
			t.Errorf("note %q stored twice", n.Text)
		}
		stored[n.Text] = n.ID
	}
	if len(notes) != len(posted) {
		t.Errorf("%d notes stored, %d posted", len(notes), len(posted))
	}

	streamed := map[int64]bool{}
	for _, a := range got {
		if streamed[a.ID] {
			t.Errorf("note %d came twice over the stream", a.ID)
		}
		streamed[a.ID] = true
		if id, ok := stored[a.Text]; !ok || id != a.ID {
			t.Errorf("streamed note %d %q is not the stored one (%d)", a.ID, a.Text, id)
		}
	}
	for text, id := range stored {
		if !streamed[id] {
			t.Errorf("note %d %q never arrived on the open board", id, text)
		}
	}

	page, err := fac.get(fmt.Sprintf("/workshops/%d/board", r.workshop))
	if err != nil {
		t.Fatal(err)
	}
	for text, id := range stored {
		if !strings.Contains(page, fmt.Sprintf(`id="note-%d"`, id)) || !strings.Contains(page, html.EscapeString(text)) {
			t.Errorf("the board page does not show note %d %q", id, text)
		}
	}
	if m := lastNote.FindStringSubmatch(page); m == nil || m[1] != strconv.FormatInt(maxID(stored), 10) {
		t.Errorf("the board's data-last is %v, want the newest note %d", m, maxID(stored))
	}
}

func maxID(ids map[string]int64) int64 {
	var m int64
	for _, id := range ids {
		m = max(m, id)
	}
	return m
}

func pageNonce(_ int, p *participant) string { return p.nonce }

func TestHundredParticipantsPostAtOnceAndTheBoardShowsEveryNote(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			r := newRoom(t, dialect, 1, 0)
			ps := r.joinAll(t, r.urls[0], participants)
			fac := facilitator(t, r.urls[0])
			board := r.openBoard(t, fac)

			posted := postAtOnce(t, r.workshop, ps, func(i int) string { return noteText(1, i) }, pageNonce)
			got, err := board.collect(participants)
			if err != nil {
				t.Error(err)
			}
			r.checkEveryNote(t, fac, posted, got)
		})
	}
}

// Two server processes on one database: the participants' phones reach
// instance A, the facilitator's board is open on instance B, which finds
// the notes by looking every Poll.
func TestHundredParticipantsPostThroughOneInstanceAndTheBoardOnAnotherShowsEveryNote(t *testing.T) {
	t.Parallel()
	r := newRoom(t, db.Postgres, 2, 50*time.Millisecond)
	ps := r.joinAll(t, r.urls[0], participants)
	fac := facilitator(t, r.urls[1])
	board := r.openBoard(t, fac)

	posted := postAtOnce(t, r.workshop, ps, func(i int) string { return noteText(1, i) }, pageNonce)
	got, err := board.collect(participants)
	if err != nil {
		t.Error(err)
	}
	r.checkEveryNote(t, fac, posted, got)
}

// randomNonce is what a retried post would carry again; each new note
// gets its own.
func randomNonce(i int, _ *participant) string {
	return fmt.Sprintf("n%015d%d", time.Now().UnixNano()%1e15, i)
}

// A note that took its number first but is slow to commit (another
// participant's post in flight) still reaches the open board: a later
// note waits for it rather than overtaking it, on PostgreSQL where ids are
// handed out before commit.
func TestANoteSlowToCommitIsNotOvertakenOnTheBoard(t *testing.T) {
	t.Parallel()
	r := newRoom(t, db.Postgres, 1, 20*time.Millisecond)
	ctx := context.Background()
	fac := facilitator(t, r.urls[0])
	board := r.openBoard(t, fac)
	p, err := r.store.Process(ctx, mustProcessOf(t, r))
	if err != nil {
		t.Fatal(err)
	}

	// The slow post: as PostNote does, lock the workshop's notes, insert,
	// and do not commit yet.
	tx, err := r.store.DB.Writer().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT id FROM cc_workshops WHERE id = $1 FOR NO KEY UPDATE`, r.workshop); err != nil {
		t.Fatal(err)
	}
	var first int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO cc_notes (workshop_id, prompt_id, text, nonce, created_at) VALUES ($1, $2, 'först', 'slow-note-nonce', $3) RETURNING id`,
		r.workshop, r.prompt, db.Now(time.Now())).Scan(&first); err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() {
		_, err := r.store.PostNote(ctx, p, r.workshop, r.prompt, 0, 0, "sedan", "fast-note-nonce")
		second <- err
	}()
	// Give the later note every chance to overtake: until it is saved or
	// streamed, or a while has passed. Then the slow one commits.
	select {
	case err := <-second:
		second <- err
	case a := <-board.notes:
		board.notes <- a
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	got, err := board.collect(2)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].ID != first || got[0].Text != "först" || got[1].Text != "sedan" || got[1].ID <= first {
		t.Errorf("the board received %+v, want note %d 'först' then 'sedan'", got, first)
	}
}

func mustProcessOf(t *testing.T, r *room) int64 {
	t.Helper()
	w, err := r.store.Workshop(context.Background(), r.workshop)
	if err != nil {
		t.Fatal(err)
	}
	return w.ProcessID
}

// The board stays live for a whole workshop behind a server whose read and
// write timeouts are shorter than the workshop (cmd/megafon reads for at
// most two minutes): the stream outlives them on the same connection.
func TestTheBoardStreamOutlivesTheServersTimeouts(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			r := newRoom(t, dialect, 1, 0)
			srv := httptest.NewUnstartedServer(r.handlers[0])
			srv.Config.ReadTimeout, srv.Config.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
			srv.Start()
			t.Cleanup(srv.Close)
			ps := r.joinAll(t, srv.URL, 1)
			fac := facilitator(t, srv.URL)
			board := r.openBoard(t, fac)
			time.Sleep(time.Second)
			if err := ps[0].postNote(r.workshop, "efter en stund", randomNonce(0, nil)); err != nil {
				t.Fatal(err)
			}
			got, err := board.collect(1)
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Text != "efter en stund" {
				t.Errorf("the board received %q", got[0].Text)
			}
		})
	}
}

// After a dropped connection the browser reconnects with Last-Event-ID
// (and the page's own ?after=, from when it was loaded): the board gets
// the notes it missed, each once, and not the ones it had.
func TestTheBoardResumesAfterTheLastNoteItReceived(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			r := newRoom(t, dialect, 1, 0)
			ps := r.joinAll(t, r.urls[0], 1)
			fac := facilitator(t, r.urls[0])
			events := fmt.Sprintf("/workshops/%d/events?after=0", r.workshop)
			board := openStream(t, fac, events, "")
			for i := 1; i <= 3; i++ {
				if err := ps[0].postNote(r.workshop, fmt.Sprintf("lapp %d", i), randomNonce(i, nil)); err != nil {
					t.Fatal(err)
				}
			}
			before, err := board.collect(3)
			if err != nil {
				t.Fatal(err)
			}
			board.cancel()
			for i := 4; i <= 5; i++ {
				if err := ps[0].postNote(r.workshop, fmt.Sprintf("lapp %d", i), randomNonce(i, nil)); err != nil {
					t.Fatal(err)
				}
			}
			board = openStream(t, fac, events, strconv.FormatInt(before[2].ID, 10))
			after, err := board.collect(2)
			if err != nil {
				t.Fatal(err)
			}
			if after[0].Text != "lapp 4" || after[1].Text != "lapp 5" {
				t.Errorf("after reconnecting the board received %q, %q; want lapp 4, lapp 5", after[0].Text, after[1].Text)
			}
		})
	}
}
