package telephony_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"megafon/outreach/helpline"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/helpline/telephony"
	"megafon/platform/db"
)

var dialects = []db.Dialect{db.SQLite, db.Postgres}

// eachProvider runs fn for both providers on both databases.
func eachProvider(t *testing.T, fn func(t *testing.T, d db.Dialect, provider string)) {
	for _, d := range dialects {
		for _, p := range telephony.ProviderNames() {
			t.Run(string(d)+"/"+p, func(t *testing.T) {
				t.Parallel()
				fn(t, d, p)
			})
		}
	}
}

// must fails the test when a step of the simulated call fails.
func must(t *testing.T) func(telephony.Exchange, error) telephony.Exchange {
	return func(ex telephony.Exchange, err error) telephony.Exchange {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v\n%s", ex.Step, err, ex.Body)
		}
		return ex
	}
}

func TestACallHearsTheMenuIsForwardedAndAnsweredByAVolunteerOnShift(t *testing.T) {
	eachProvider(t, func(t *testing.T, d db.Dialect, provider string) {
		f := newFixture(t, d, provider, helpline.RingAll)
		s := f.sim(provider)
		ex := must(t)(s.Arrive("+46731112233", f.line.PublicNumber))
		// The welcome, then the menu in the languages that have a prompt:
		// Tigrinya has none and is left out.
		want := []string{f.recordingURL(t, "sv", telephony.Welcome), f.recordingURL(t, "sv", telephony.MenuPrompt), f.recordingURL(t, "ar", telephony.MenuPrompt)}
		if !slices.Equal(ex.Reply.Play, want) || ex.Reply.Gather == nil {
			t.Fatalf("the caller hears %v (gather %v), want %v and a key asked for\n%s", ex.Reply.Play, ex.Reply.Gather, want, ex.Body)
		}
		ex = must(t)(s.Press("2"))
		fw := ex.Reply.Forward
		if fw == nil || fw.CallerID != f.line.PublicNumber {
			t.Fatalf("Arabic is not forwarded with the line's number shown: %+v\n%s", fw, ex.Body)
		}
		// Twilio rings both at once and says who answered; 46elks does
		// not say, so it rings them in turn.
		wantRing := []string{aminaPhone, fadumoPhone}
		if provider == "46elks" {
			wantRing = wantRing[:1]
		}
		if !slices.Equal(fw.Numbers, wantRing) {
			t.Fatalf("rings %v, want %v", fw.Numbers, wantRing)
		}
		answerer, answererID := aminaPhone, f.amina
		if provider == "twilio" {
			answerer, answererID = fadumoPhone, f.fadumo
		}
		f.advance(10 * time.Second)
		ex = must(t)(s.Answer(answerer, 3*time.Minute))
		if !ex.Reply.Hangup {
			t.Errorf("after the conversation the call goes on: %s", ex.Body)
		}
		f.advance(3 * time.Minute)
		must(t)(s.HangUp(3*time.Minute + 30*time.Second))
		c := f.call(t, s)
		if c.Outcome != calls.Answered || c.AnsweredBy != answererID || c.Lang != "ar" || c.EndedAt.IsZero() {
			t.Errorf("the call is %+v, want answered in Arabic by %d", c, answererID)
		}
		if f.count(t, "helpline_callbacks") != 0 {
			t.Error("an answered call left a callback request")
		}
	})
}

func TestNobodyAnsweringOffersACallbackInTheCallersLanguage(t *testing.T) {
	eachProvider(t, func(t *testing.T, d db.Dialect, provider string) {
		f := newFixture(t, d, provider, helpline.RingTurn)
		s := f.sim(provider)
		must(t)(s.Arrive("+46731112233", f.line.PublicNumber))
		ex := must(t)(s.Press("2"))
		if got := ex.Reply.Forward; got == nil || !slices.Equal(got.Numbers, []string{aminaPhone}) {
			t.Fatalf("in turn, the first on shift rings first: %+v", got)
		}
		ex = must(t)(s.NoAnswer(false))
		if got := ex.Reply.Forward; got == nil || !slices.Equal(got.Numbers, []string{fadumoPhone}) {
			t.Fatalf("then the next: %+v\n%s", got, ex.Body)
		}
		ex = must(t)(s.NoAnswer(true))
		if !slices.Equal(ex.Reply.Play, []string{f.recordingURL(t, "ar", telephony.NoAnswerOffer)}) || ex.Reply.Gather == nil {
			t.Fatalf("nobody answered: the caller hears %v, want the Arabic callback offer\n%s", ex.Reply.Play, ex.Body)
		}
		ex = must(t)(s.Press("1"))
		if !ex.Reply.Hangup || !slices.Equal(ex.Reply.Play, []string{f.recordingURL(t, "ar", telephony.CallbackTaken)}) {
			t.Errorf("after pressing 1 the caller hears %v and the call ends %v", ex.Reply.Play, ex.Reply.Hangup)
		}
		must(t)(s.HangUp(time.Minute))
		c := f.call(t, s)
		if c.Outcome != calls.NoAnswer || c.Lang != "ar" {
			t.Errorf("the call is %+v, want no answer in Arabic", c)
		}
		var lang string
		if err := f.s.App.DB.QueryRow(context.Background(), `SELECT lang FROM helpline_callbacks WHERE call_id = $1`, c.ID).Scan(&lang); err != nil || lang != "ar" {
			t.Errorf("the callback request is in %q (%v), want the Arabic queue", lang, err)
		}
	})
}

func TestOutsideOpeningHoursTheCallerHearsTheClosedMessageAndMayAskForACallback(t *testing.T) {
	eachProvider(t, func(t *testing.T, d db.Dialect, provider string) {
		f := newFixture(t, d, provider, helpline.RingAll)
		f.roster.setOpen("ar", false)
		s := f.sim(provider)
		must(t)(s.Arrive("+46731112233", f.line.PublicNumber))
		ex := must(t)(s.Press("2"))
		if ex.Reply.Forward != nil || !slices.Equal(ex.Reply.Play, []string{f.recordingURL(t, "ar", telephony.ClosedMessage)}) || ex.Reply.Gather == nil {
			t.Fatalf("closed in Arabic: the caller hears %v, forward %+v\n%s", ex.Reply.Play, ex.Reply.Forward, ex.Body)
		}
		must(t)(s.Press("1"))
		must(t)(s.HangUp(time.Minute))
		if c := f.call(t, s); c.Outcome != calls.Closed || c.Lang != "ar" {
			t.Errorf("the call is %+v, want closed in Arabic", c)
		}
		if n := f.count(t, "helpline_callbacks"); n != 1 {
			t.Errorf("%d callback requests, want 1", n)
		}

		// Closed in every language: the closed message, and the call ends.
		f.roster.setOpen("sv", false)
		f.roster.setOpen("ti", false)
		s = f.sim(provider)
		ex = must(t)(s.Arrive("", f.line.PublicNumber))
		if !ex.Reply.Hangup || ex.Reply.Gather != nil || !slices.Equal(ex.Reply.Play, []string{f.recordingURL(t, "sv", telephony.ClosedMessage)}) {
			t.Errorf("closed everywhere: the caller hears %v, hang-up %v\n%s", ex.Reply.Play, ex.Reply.Hangup, ex.Body)
		}
		if c := f.call(t, s); c.Outcome != calls.Closed || c.EndedAt.IsZero() {
			t.Errorf("the call is %+v, want ended as closed", c)
		}
	})
}

func TestAnUnknownKeyHearsTheMenuOnceMoreThenTheCallEnds(t *testing.T) {
	eachProvider(t, func(t *testing.T, d db.Dialect, provider string) {
		f := newFixture(t, d, provider, helpline.RingAll)
		s := f.sim(provider)
		must(t)(s.Arrive("+46731112233", f.line.PublicNumber))
		// 3 is Tigrinya's key, but Tigrinya has no recording: not offered.
		ex := must(t)(s.Press("3"))
		want := []string{f.recordingURL(t, "sv", telephony.MenuPrompt), f.recordingURL(t, "ar", telephony.MenuPrompt)}
		if !slices.Equal(ex.Reply.Play, want) || ex.Reply.Gather == nil {
			t.Fatalf("after an unknown key the caller hears %v, want the menu again\n%s", ex.Reply.Play, ex.Body)
		}
		ex = must(t)(s.Press(""))
		if !ex.Reply.Hangup {
			t.Fatalf("the second miss does not end the call: %s", ex.Body)
		}
		must(t)(s.HangUp(20 * time.Second))
		if c := f.call(t, s); c.Outcome != calls.UnknownKey || c.Lang != "" {
			t.Errorf("the call is %+v, want an unknown key", c)
		}
	})
}

func TestACallerHangingUpDuringTheMenuIsLoggedAsHungUp(t *testing.T) {
	eachProvider(t, func(t *testing.T, d db.Dialect, provider string) {
		f := newFixture(t, d, provider, helpline.RingAll)
		s := f.sim(provider)
		must(t)(s.Arrive("+46731112233", f.line.PublicNumber))
		f.advance(5 * time.Second)
		must(t)(s.HangUp(5 * time.Second))
		c := f.call(t, s)
		if c.Outcome != calls.HungUp || c.Duration != 5*time.Second {
			t.Errorf("the call is %+v, want hung up after 5 s", c)
		}
		// The provider's retry of the end changes nothing.
		must(t)(s.HangUp(5 * time.Second))
		if again := f.call(t, s); again.Outcome != calls.HungUp || !again.EndedAt.Equal(c.EndedAt) {
			t.Errorf("a retried end changed the call: %+v", again)
		}
	})
}
