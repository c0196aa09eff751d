package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"megafon/outreach/helpline"
	"megafon/outreach/helpline/telephony"
	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// The help line of issue 14 end to end in the demo city, on a 390 px phone
// in Arabic: the group lead plans an open Arabic shift; Amina takes it on
// "my shifts"; when it has begun a resident calls the line (Twilio,
// played by the simulator against the real webhooks), chooses Arabic,
// nobody answers the forwarded call and she asks to be called back; the
// request is in Amina's queue, first because she is on shift for
// Arabic; she takes it, calls back with one tap, records that she reached
// the resident and logs the call. The call's log never shows the
// resident's number. Every page on the way passes axe-core.
func TestAVolunteerTakesAShiftAndCallsBackAResidentWhoCalledTheHelpLine(t *testing.T) {
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	ctx := context.Background()
	var lines *helpline.Store
	var tel *telephony.Module
	for _, m := range s.App.Modules() {
		switch o := m.(type) {
		case *helpline.Module:
			lines = o.Store()
		case *telephony.Module:
			tel = o
		}
	}
	const amina, resident = "+46701000001", "+46709876543"
	vol := s.User(amina)
	var lineID, groupID int64
	var leadEmail string
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM helplines ORDER BY id LIMIT 1`).Scan(&lineID); err != nil {
		t.Fatalf("the demo line: %v", err)
	}
	if err := s.App.DB.QueryRow(ctx, `SELECT m.org_id, p.email FROM memberships m
		JOIN memberships l ON l.org_id = m.org_id AND l.role = 'group_lead' JOIN people p ON p.id = l.person_id
		JOIN operation_groups g ON g.org_id = m.org_id AND g.joined_at IS NOT NULL AND g.left_at IS NULL
		JOIN helplines h ON h.operation_id = g.operation_id AND h.id = $2
		WHERE m.person_id = $1 AND m.role = 'volunteer' ORDER BY m.org_id LIMIT 1`, vol.ID, lineID).Scan(&groupID, &leadEmail); err != nil {
		t.Fatalf("Amina's group and its lead: %v", err)
	}
	lead := s.User(leadEmail)

	// The story is played on the app's clock set back into last week
	// (a session's end is reckoned on the real clock, so the app's may go
	// back, not forward): the first two hours from a week ago when Arabic
	// is open. The lead plans the shift an hour before it starts.
	var mu sync.Mutex
	clock := s.App.Now()
	setClock := func(t time.Time) { mu.Lock(); clock = t; mu.Unlock() }
	s.App.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	var start time.Time
	var shiftID int64
	from := clock.Truncate(time.Hour).Add(-7 * 24 * time.Hour)
	for i := 0; i < 48*6 && shiftID == 0; i++ {
		at := from.Add(time.Duration(i) * 30 * time.Minute)
		open, err := lines.OpenAt(ctx, lineID, "ar", at)
		if err != nil {
			t.Fatal(err)
		}
		closesSoon, _ := lines.OpenAt(ctx, lineID, "ar", at.Add(2*time.Hour-time.Minute))
		if !open || !closesSoon {
			continue
		}
		setClock(at.Add(-time.Hour))
		// The demo has Amina on every Arabic shift of these weeks: she
		// is freed of those hours, so that she can take the new one.
		if _, err := s.App.DB.Exec(ctx, `DELETE FROM shifts WHERE person_id = $1 AND starts_at < $2 AND ends_at > $3`,
			vol.ID, db.Now(at.Add(2*time.Hour)), db.Now(at)); err != nil {
			t.Fatal(err)
		}
		id, err := lines.PlanShift(ctx, lead, helpline.ShiftDraft{LineID: lineID, GroupID: groupID, Start: at, End: at.Add(2 * time.Hour), Langs: []string{"ar"}})
		if err == nil {
			start, shiftID = at, id
		}
	}
	if shiftID == 0 {
		t.Fatal("no two Arabic hours last week to plan a shift in")
	}

	b := browsertest.New(t)
	b.SetViewport(phoneWidth, phoneHeight)
	browserSignIn(t, b, s.URL, amina, demo.Passcode)
	b.SetLanguage(s.URL, "ar")
	b.Visit(s.URL + "/shifts/mine")
	b.WaitVisible("main h1")
	b.AssertNoAxeViolations(t, "my shifts with an open shift")
	waitFor(t, b, "the open shift on my shifts", "")
	var offered bool
	b.Eval(fmt.Sprintf(`!!document.querySelector('form[action="/shifts/%d/take"]')`, shiftID), &offered)
	if !offered {
		var body string
		b.Eval(`document.body.innerText`, &body)
		t.Fatalf("my shifts offers no take of shift %d at %v:\n%.2000s", shiftID, start, body)
	}
	b.Click(fmt.Sprintf(`form[action="/shifts/%d/take"] button`, shiftID))
	b.WaitVisible("main h1")
	var takenBy int64
	if err := s.App.DB.QueryRow(ctx, `SELECT COALESCE(person_id, 0) FROM shifts WHERE id = $1`, shiftID).Scan(&takenBy); err != nil || takenBy != vol.ID {
		t.Fatalf("the shift is %d's, want Amina's (%d): %v", takenBy, vol.ID, err)
	}

	// Twenty minutes into her shift a resident calls.
	setClock(start.Add(20 * time.Minute))
	st, err := tel.Store().Settings(ctx, lineID)
	if err != nil {
		t.Fatalf("the demo line's telephony: %v", err)
	}
	sim := &telephony.Sim{Handler: s.App.Handler(), Provider: st.Provider, Account: st.Account, Token: st.Token,
		Hooks: strings.TrimRight(s.App.Config.BaseURL, "/") + fmt.Sprintf("/hooks/twilio/%d", lineID)}
	var line helpline.Line
	if line, err = lines.Line(ctx, lineID); err != nil {
		t.Fatal(err)
	}
	key := ""
	for _, l := range line.Languages {
		if l.Lang == "ar" {
			key = fmt.Sprint(l.Key)
		}
	}
	if _, err := sim.Arrive(resident, line.PublicNumber); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Press(key); err != nil {
		t.Fatal(err)
	}
	if ringing := sim.Ringing(); !strings.Contains(strings.Join(ringing, " "), amina) {
		t.Fatalf("the call rings %v, want Amina's phone among them", ringing)
	}
	if _, err := sim.NoAnswer(false); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Press("1"); err != nil { // "press 1 to be called back"
		t.Fatal(err)
	}
	if !sim.Ended {
		if _, err := sim.HangUp(0); err != nil {
			t.Fatal(err)
		}
	}
	var callbackID int64
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM helpline_callbacks WHERE lang = 'ar' AND done_at IS NULL ORDER BY id DESC LIMIT 1`).Scan(&callbackID); err != nil {
		t.Fatalf("the callback request in the Arabic queue: %v", err)
	}

	b.Visit(s.URL + "/helpline/callbacks")
	b.WaitVisible("main h1")
	b.AssertNoAxeViolations(t, "the callback queue")
	// Her shift's language comes first (oldest first within it): the
	// new request is among the Arabic ones, before any other language.
	var takes []string
	b.Eval(`[...document.querySelectorAll('form[action$="/take"]')].map(f => f.getAttribute('action'))`, &takes)
	ours, firstOther := -1, len(takes)
	for i, action := range takes {
		var id int64
		var lang string
		fmt.Sscanf(action, "/helpline/callbacks/%d/take", &id)
		if err := s.App.DB.QueryRow(ctx, `SELECT lang FROM helpline_callbacks WHERE id = $1`, id).Scan(&lang); err != nil {
			t.Fatal(err)
		}
		if id == callbackID {
			ours = i
		}
		if lang != "ar" && firstOther == len(takes) {
			firstOther = i
		}
	}
	if ours < 0 || ours > firstOther {
		t.Fatalf("her queue %v: the new Arabic request %d at %d, the first of another language at %d", takes, callbackID, ours, firstOther)
	}
	b.Click(fmt.Sprintf(`form[action="/helpline/callbacks/%d/take"] button`, callbackID))
	b.WaitVisible("#tel")
	var href string
	b.Eval(`document.querySelector('#tel').getAttribute('href')`, &href)
	if href != "tel:"+resident {
		t.Fatalf("the call-back link is %q, want tel:%s", href, resident)
	}
	b.AssertNoAxeViolations(t, "the callback screen")
	b.Click(`input[name=outcome][value=completed]`)
	b.Click(`#save`)
	b.WaitVisible("main h1")
	var done bool
	if err := s.App.DB.QueryRow(ctx, `SELECT done_at IS NOT NULL FROM helpline_callbacks WHERE id = $1`, callbackID).Scan(&done); err != nil || !done {
		t.Fatalf("the callback is not done: %v", err)
	}
	// She logs the conversation: the form comes pre-filled; she says
	// what it was about.
	var page string
	b.Eval(`location.pathname`, &page)
	if page != "/helpline/calls/new" {
		b.Visit(s.URL + "/helpline/calls/new")
		b.WaitVisible("main h1")
	}
	b.AssertNoAxeViolations(t, "the call log")
	b.Eval(`document.body.innerText`, &page)
	if strings.Contains(page, resident) || strings.Contains(page, strings.TrimPrefix(resident, "+46")) {
		t.Fatal("the call log shows the resident's number")
	}
	countLogs := func() int {
		var n int
		if err := s.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM helpline_call_logs WHERE logged_by = $1`, vol.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := countLogs()
	b.Click(`#f-topics`)
	b.Click(`#save`)
	for i := 0; countLogs() == before; i++ {
		if i == 100 {
			b.Eval(`document.body.innerText`, &page)
			t.Fatalf("the call was not logged:\n%.1500s", page)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
