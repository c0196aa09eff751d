package cocreation_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"megafon/cocreation/internal/cctest"
	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// atOnce runs n requests at the same moment and counts their statuses.
func atOnce(n int, send func(i int) int) map[int]int {
	statuses := make(chan int, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			<-start
			statuses <- send(i)
		}()
	}
	close(start)
	got := map[int]int{}
	for i := 0; i < n; i++ {
		got[<-statuses]++
	}
	return got
}

// A script on one address cannot fill a process with participants: of 80
// joins sent at once from the address that two people joined from
// already, exactly 58 get in (60 in ten minutes), the others are told in
// their language to wait, with what they typed kept. Ten minutes later
// the room's Wi-Fi may join again.
func TestJoinsFromOneAddressAreLimitedExactlyEvenAtOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		e := newEnv(t, dialect)
		before := e.count(t, "cc_participants")
		max := process.DefaultLimits.JoinsPerAddress.Max
		clients := make([]*webtest.Client, 80)
		for i := range clients {
			clients[i] = e.s.Client()
			clients[i].CSRF()
		}
		var mu sync.Mutex
		var refused string
		got := atOnce(len(clients), func(i int) int {
			r := clients[i].Post("/join/"+e.proc.JoinCode, webtest.Form("name", fmt.Sprintf("Skript %d", i), "role", "service_user", "lang", "sv", "consent", "yes"))
			if r.Status == http.StatusTooManyRequests {
				mu.Lock()
				refused = r.Body
				mu.Unlock()
			}
			return r.Status
		})
		if want := max - 2; got[http.StatusSeeOther] != want || got[http.StatusTooManyRequests] != len(clients)-want {
			t.Fatalf("80 joins at once from one address: %v, want %d × 303 and the rest 429", got, want)
		}
		if n := e.count(t, "cc_participants"); n != before+max-2 {
			t.Errorf("%d participants made, want %d", n-before, max-2)
		}
		if !strings.Contains(webtest.Text(refused), e.tr("sv", "cc.error.too_many_joins")) || !strings.Contains(refused, `value="Skript `) {
			t.Errorf("the refusal does not say why or loses what she typed:\n%s", webtest.Text(refused))
		}
		e.advance(10 * time.Minute)
		if r := e.s.Client().Post("/join/"+e.proc.JoinCode, webtest.Form("name", "Nästa grupp", "role", "relative", "lang", "sv", "consent", "yes")); r.Status != http.StatusSeeOther {
			t.Errorf("a join ten minutes later: %d\n%s", r.Status, webtest.Text(r.Body))
		}
	})
}

// Many addresses at once (a botnet, or a big event) stop at the process's
// ceiling, exactly, however the joins are spread over connections.
func TestJoinsIntoOneProcessStopAtItsCeilingEvenAtOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		e := newEnv(t, dialect)
		limited := &workshop.Store{Store: &process.Store{DB: e.st.DB, Now: e.now, Keys: e.st.Keys, Limits: process.Limits{JoinsPerProcess: process.Limit{Max: 25, Per: 10 * time.Minute}}}}
		// The env's first participant joined this process in this window.
		got := atOnce(40, func(i int) int {
			_, _, err := limited.JoinFrom(context.Background(), e.proc, process.Joining{Name: fmt.Sprintf("Bot %d", i), Role: "service_user", Consent: true},
				fmt.Sprintf("10.0.%d.%d", i/250, i%250))
			switch {
			case err == nil:
				return http.StatusSeeOther
			case cctest.ProblemKey(err) == "cc.error.too_many_joins_process":
				return http.StatusTooManyRequests
			default:
				t.Errorf("join %d: %v", i, err)
				return 0
			}
		})
		if got[http.StatusSeeOther] != 24 || got[http.StatusTooManyRequests] != 16 {
			t.Errorf("40 joins from 40 addresses at once: %v, want 24 in and 16 refused", got)
		}
	})
}

// rawPost posts a form with c's cookies and CSRF token taken once, from
// many goroutines (webtest.Client remembers tokens, which is no place for
// a race): it returns the status and the page.
func rawPost(t *testing.T, e *env, client *http.Client, csrf, path string, form url.Values) (int, string) {
	form.Set("csrf_token", csrf)
	resp, err := client.PostForm(e.s.URL+path, form)
	if err != nil {
		t.Errorf("POST %s: %v", path, err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// joinRaw joins p with a plain HTTP client and returns it with its CSRF
// token.
func joinRaw(t *testing.T, e *env, name string) (*http.Client, string) {
	t.Helper()
	b := newBrowser(e.s.URL)
	if _, err := b.get("/join/" + e.proc.JoinCode); err != nil {
		t.Fatal(err)
	}
	if _, err := b.post("/join/"+e.proc.JoinCode, url.Values{"name": {name}, "role": {"service_user"}, "lang": {"sv"}, "consent": {"yes"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.get(fmt.Sprintf("/p/w/%d", e.ws)); err != nil {
		t.Fatal(err)
	}
	return b.http, b.csrf
}

// One participant (or a script with her cookie) sends 30 notes at once:
// exactly 20 reach the board, the rest are told to wait a minute, with
// the note kept in the box. A minute later she may post again.
func TestNotesOfOneParticipantAreLimitedExactlyEvenAtOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		e := newEnv(t, dialect)
		c, csrf := joinRaw(t, e, "Flitig")
		max := process.DefaultLimits.NotesPerParticipant.Max
		before := e.count(t, "cc_notes")
		var mu sync.Mutex
		var refused string
		got := atOnce(30, func(i int) int {
			status, body := rawPost(t, e, c, csrf, fmt.Sprintf("/p/w/%d/notes", e.ws), url.Values{"prompt": {fmt.Sprint(e.prompt)},
				"text": {fmt.Sprintf("Lapp nummer %d", i)}, "nonce": {fmt.Sprintf("flitig-%04d", i)}})
			if status == http.StatusTooManyRequests {
				mu.Lock()
				refused = body
				mu.Unlock()
			}
			return status
		})
		if got[http.StatusSeeOther] != max || got[http.StatusTooManyRequests] != 30-max {
			t.Fatalf("30 notes at once: %v, want %d × 303 and the rest 429", got, max)
		}
		if n := e.count(t, "cc_notes"); n != before+max {
			t.Errorf("%d notes saved, want %d", n-before, max)
		}
		if !strings.Contains(webtest.Text(refused), e.tr("sv", "cc.error.too_many_notes")) || !strings.Contains(refused, ">Lapp nummer ") {
			t.Errorf("the refusal does not say why or loses her note:\n%s", webtest.Text(refused))
		}
		e.advance(time.Minute)
		if status, body := rawPost(t, e, c, csrf, fmt.Sprintf("/p/w/%d/notes", e.ws), url.Values{"prompt": {fmt.Sprint(e.prompt)}, "text": {"En minut senare"}, "nonce": {"flitig-later"}}); status != http.StatusSeeOther {
			t.Errorf("a note a minute later: %d\n%s", status, webtest.Text(body))
		}
	})
}

// Many participants at once stop at the workshop's ceiling, exactly.
func TestNotesIntoOneWorkshopStopAtItsCeilingEvenAtOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		e := newEnv(t, dialect)
		ctx := context.Background()
		var people []int64
		for i := 0; i < 6; i++ {
			id, _, err := e.st.Join(ctx, e.proc, process.Joining{Name: fmt.Sprintf("Deltagare %d", i), Role: "service_user", Consent: true})
			if err != nil {
				t.Fatal(err)
			}
			people = append(people, id)
		}
		limited := &workshop.Store{Store: &process.Store{DB: e.st.DB, Now: e.now, Keys: e.st.Keys, Limits: process.Limits{NotesPerWorkshop: process.Limit{Max: 10, Per: time.Minute}}}}
		// The env's note was posted in this minute: 9 more.
		got := atOnce(30, func(i int) int {
			_, err := limited.PostNote(ctx, e.proc, e.ws, e.prompt, people[i%len(people)], 0, fmt.Sprintf("Lapp %d", i), fmt.Sprintf("tak-%04d", i))
			switch {
			case err == nil:
				return http.StatusSeeOther
			case cctest.ProblemKey(err) == "cc.error.board_busy":
				return http.StatusTooManyRequests
			default:
				t.Errorf("note %d: %v", i, err)
				return 0
			}
		})
		if got[http.StatusSeeOther] != 9 || got[http.StatusTooManyRequests] != 21 {
			t.Errorf("30 notes at once: %v, want 9 saved and 21 refused", got)
		}
	})
}

// A facilitator pauses the board: participants see that it is paused,
// and a note sent meanwhile is refused and kept in her box; a note from
// paper still goes in. Opened again, her note goes through.
func TestAFacilitatorPausesTheBoardAndOpensItAgain(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		e := newEnv(t, dialect)
		f, p := e.clients[facil], e.clients[pt]
		page := fmt.Sprintf("/p/w/%d", e.ws)
		if r := p.Get(page); strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.pworkshop.paused")) {
			t.Fatal("the board is paused before anyone paused it")
		}
		if r := f.Post(fmt.Sprintf("/workshops/%d/pause", e.ws), webtest.Form("paused", "1")); r.Status != http.StatusSeeOther {
			t.Fatalf("pause: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		if r := f.Get(fmt.Sprintf("/workshops/%d/board", e.ws)); !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.board.resume")) {
			t.Errorf("the board does not offer to open it again:\n%s", webtest.Text(r.Body))
		}
		if r := p.Get(page); r.Status != http.StatusOK || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.pworkshop.paused")) {
			t.Errorf("her page does not say the board is paused: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		before := e.count(t, "cc_notes")
		r := p.Post(page+"/notes", webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Skriven under pausen", "nonce", "paus-0001"))
		if r.Status != http.StatusConflict || !strings.Contains(webtest.Text(r.Body), e.tr("sv", "cc.error.paused")) || !strings.Contains(r.Body, "Skriven under pausen") {
			t.Errorf("a note while paused: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		if n := e.count(t, "cc_notes"); n != before {
			t.Errorf("%d notes saved while paused", n-before)
		}
		if r := f.Post(fmt.Sprintf("/workshops/%d/notes", e.ws), webtest.Form("prompt", fmt.Sprint(e.prompt), "text", "Från papper", "nonce", "papper-0001")); r.Status != http.StatusSeeOther {
			t.Errorf("a note from paper while paused: %d\n%s", r.Status, webtest.Text(r.Body))
		}
		if r := f.Post(fmt.Sprintf("/workshops/%d/pause", e.ws), webtest.Form("paused", "0")); r.Status != http.StatusSeeOther {
			t.Fatalf("resume: %d", r.Status)
		}
		e.post(t, p, e.ws, e.prompt, "Skriven under pausen")
	})
}

// Wrong codes sent at once from one address stop at CodeTries exactly:
// counted and checked in one transaction, not counted and then checked.
func TestWrongCodesAtOnceStopAtTheLimitExactly(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect db.Dialect) {
		e := newEnv(t, dialect)
		wrong := "ZZZZZZZZ"
		if wrong == e.codes[pt] || wrong == e.codes[otherPt] {
			wrong = "YYYYYYYY"
		}
		clients := make([]*webtest.Client, 2*process.CodeTries)
		for i := range clients {
			clients[i] = e.s.Client()
			clients[i].CSRF()
		}
		got := atOnce(len(clients), func(i int) int {
			return clients[i].Post("/back", webtest.Form("code", wrong)).Status
		})
		if got[http.StatusUnprocessableEntity] != process.CodeTries || got[http.StatusTooManyRequests] != process.CodeTries {
			t.Errorf("%d wrong codes at once: %v, want %d looked at and the rest refused", len(clients), got, process.CodeTries)
		}
	})
}
