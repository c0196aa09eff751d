package telephony

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"

	"megafon/outreach/helpline"
)

// How long the caller has to press a key after a menu or an offer.
const (
	MenuTimeout  = 8 * time.Second
	OfferTimeout = 8 * time.Second
	// defaultRing is how long a forward rings when the line does not say.
	defaultRing = 20 * time.Second
)

// Flow is the help line's call flow: what happens at each webhook.
type Flow struct {
	Roster helpline.Roster
	Calls  CallLog
	Store  *Store
	Now    func() time.Time
}

// turn is one webhook of a call as the flow sees it.
type turn struct {
	line  helpline.Line
	p     Provider
	step  Step
	query url.Values
	ev    Event
	hooks string // the line's webhook address, without the step
	audio string // the address recordings are served under, ending in "/"
}

func (t turn) url(step Step, q url.Values) string {
	u := t.hooks + "/" + string(step)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// menu is what the line offers now: recordings by language and kind, and
// the languages with a menu prompt, in key order.
type menu struct {
	rec   map[string]map[Kind]string // lang -> kind -> address
	langs []helpline.Language
}

func (f *Flow) menu(ctx context.Context, t turn) (menu, error) {
	recs, err := f.Store.Recordings(ctx, t.line.ID)
	if err != nil {
		return menu{}, err
	}
	m := menu{rec: map[string]map[Kind]string{}}
	for _, r := range recs {
		if m.rec[r.Lang] == nil {
			m.rec[r.Lang] = map[Kind]string{}
		}
		m.rec[r.Lang][r.Kind] = t.audio + r.SHA256
	}
	langs := slices.Clone(t.line.Languages)
	slices.SortFunc(langs, func(a, b helpline.Language) int { return a.Key - b.Key })
	for _, l := range langs {
		if m.rec[l.Lang][MenuPrompt] != "" {
			m.langs = append(m.langs, l)
		}
	}
	return m, nil
}

// first returns the recording of kind in the first language (by key) that
// has one, preferring lang.
func (m menu) first(kind Kind, lang string, all []helpline.Language) string {
	if u := m.rec[lang][kind]; u != "" {
		return u
	}
	for _, l := range all {
		if u := m.rec[l.Lang][kind]; u != "" {
			return u
		}
	}
	return ""
}

func (m menu) prompts() []string {
	var out []string
	for _, l := range m.langs {
		out = append(out, m.rec[l.Lang][MenuPrompt])
	}
	return out
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Handle answers one webhook.
func (f *Flow) Handle(ctx context.Context, t turn) (Reply, error) {
	switch t.step {
	case StepStart:
		return f.start(ctx, t)
	case StepMenu:
		return f.chooseLanguage(ctx, t)
	case StepForward:
		return f.forwarded(ctx, t)
	case StepAnswered:
		return f.answered(ctx, t)
	case StepOffer:
		return f.offerAnswered(ctx, t)
	case StepEnd:
		return f.ended(ctx, t)
	}
	return Reply{}, fmt.Errorf("%w: step %q", ErrBadRequest, t.step)
}

func (f *Flow) now() time.Time { return f.Now() }

func (f *Flow) start(ctx context.Context, t turn) (Reply, error) {
	caller := t.ev.From
	if !e164.MatchString(caller) {
		caller = "" // withheld ("anonymous", "unknown") or not a number to call back
	}
	call, err := f.Calls.Arrive(ctx, t.line.ID, t.p.Name(), t.ev.CallID, caller, f.now())
	if err != nil {
		return Reply{}, err
	}
	m, err := f.menu(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	open := false
	for _, l := range m.langs {
		ok, err := f.Roster.OpenAt(ctx, t.line.ID, l.Lang, f.now())
		if err != nil {
			return Reply{}, err
		}
		open = open || ok
	}
	if !open {
		return f.hangUp(ctx, t, call, Closed, m.first(ClosedMessage, "", t.line.Languages))
	}
	rep := Reply{Gather: &Gather{Timeout: MenuTimeout, Next: t.url(StepMenu, url.Values{"round": {"1"}})}}
	if w := m.first(Welcome, "", t.line.Languages); w != "" {
		rep.Play = append(rep.Play, w)
	}
	rep.Play = append(rep.Play, m.prompts()...)
	return rep, nil
}

// hangUp plays what is given and ends the call with outcome.
func (f *Flow) hangUp(ctx context.Context, t turn, call Call, outcome Outcome, play ...string) (Reply, error) {
	if err := f.Calls.End(ctx, call.ID, outcome, f.now()); err != nil {
		return Reply{}, err
	}
	rep := Reply{Hangup: true}
	for _, p := range play {
		if p != "" {
			rep.Play = append(rep.Play, p)
		}
	}
	return rep, nil
}

func (f *Flow) call(ctx context.Context, t turn) (Call, error) {
	return f.Calls.ByProvider(ctx, t.p.Name(), t.ev.CallID)
}

func (f *Flow) chooseLanguage(ctx context.Context, t turn) (Reply, error) {
	round := t.query.Get("round")
	if round != "1" && round != "2" {
		return Reply{}, fmt.Errorf("%w: round", ErrBadRequest)
	}
	call, err := f.call(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	m, err := f.menu(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	var lang string
	for _, l := range m.langs {
		if t.ev.Key == strconv.Itoa(l.Key) {
			lang = l.Lang
		}
	}
	if lang == "" {
		if round == "1" && len(m.langs) > 0 {
			// Once more, without the welcome.
			return Reply{Play: m.prompts(), Gather: &Gather{Timeout: MenuTimeout, Next: t.url(StepMenu, url.Values{"round": {"2"}})}}, nil
		}
		return f.hangUp(ctx, t, call, UnknownKey)
	}
	if err := f.Calls.ChooseLanguage(ctx, call.ID, lang); err != nil {
		return Reply{}, err
	}
	now := f.now()
	open, err := f.Roster.OpenAt(ctx, t.line.ID, lang, now)
	if err != nil {
		return Reply{}, err
	}
	var duty []helpline.OnDuty
	if open {
		if duty, err = f.Roster.OnShift(ctx, t.line.ID, lang, now); err != nil {
			return Reply{}, err
		}
	}
	if len(numbers(duty)) == 0 {
		return f.offer(ctx, t, call, lang, Closed, m.rec[lang][ClosedMessage])
	}
	return f.forward(ctx, t, lang, duty, 0, now)
}

// numbers are the distinct numbers of the volunteers on duty, in order.
func numbers(duty []helpline.OnDuty) []string {
	var out []string
	for _, d := range duty {
		if d.Number != "" && !slices.Contains(out, d.Number) {
			out = append(out, d.Number)
		}
	}
	return out
}

// forward rings the volunteers on duty: all at once when the line says so
// and the provider tells who answered; else the one at index i.
func (f *Flow) forward(ctx context.Context, t turn, lang string, duty []helpline.OnDuty, i int, now time.Time) (Reply, error) {
	nums := numbers(duty)
	ring := time.Duration(t.line.RingSeconds) * time.Second
	if ring <= 0 {
		ring = defaultRing
	}
	q := url.Values{"lang": {lang}}
	if t.line.Ring == helpline.RingTurn || !t.p.SaysWhoAnswered() {
		nums = nums[i : i+1]
		q.Set("i", strconv.Itoa(i))
	} else {
		q.Set("i", "all")
	}
	if err := f.Store.setCallState(ctx, t.p.Name(), t.ev.CallID, callState{ForwardedAt: now}); err != nil {
		return Reply{}, err
	}
	fw := &Forward{Numbers: nums, CallerID: t.line.PublicNumber, Timeout: ring, Next: t.url(StepForward, q)}
	if t.p.SaysWhoAnswered() {
		fw.Answered = t.url(StepAnswered, url.Values{"lang": {lang}})
	}
	return Reply{Forward: fw}, nil
}

// offer plays a message with "press 1 for a callback", remembering how
// the call ends; without a recording it ends the call.
func (f *Flow) offer(ctx context.Context, t turn, call Call, lang string, outcome Outcome, recording string) (Reply, error) {
	if recording == "" {
		return f.hangUp(ctx, t, call, outcome)
	}
	if err := f.Store.setCallState(ctx, t.p.Name(), t.ev.CallID, callState{Outcome: outcome}); err != nil {
		return Reply{}, err
	}
	return Reply{Play: []string{recording}, Gather: &Gather{Timeout: OfferTimeout, Next: t.url(StepOffer, url.Values{"lang": {lang}})}}, nil
}

func (f *Flow) lineLang(t turn) (string, error) {
	lang := t.query.Get("lang")
	for _, l := range t.line.Languages {
		if l.Lang == lang {
			return lang, nil
		}
	}
	return "", fmt.Errorf("%w: lang", ErrBadRequest)
}

// ringing is what a forward's webhooks need: the call's language, the
// call, when the forward began ringing, and who was on shift then (the
// phones it rang).
func (f *Flow) ringing(ctx context.Context, t turn) (lang string, call Call, rang time.Time, duty []helpline.OnDuty, err error) {
	if lang, err = f.lineLang(t); err != nil {
		return
	}
	if call, err = f.call(ctx, t); err != nil {
		return
	}
	st, err := f.Store.callState(ctx, t.p.Name(), t.ev.CallID)
	if err != nil {
		return
	}
	if rang = st.ForwardedAt; rang.IsZero() {
		rang = f.now()
	}
	duty, err = f.Roster.OnShift(ctx, t.line.ID, lang, rang)
	return
}

func (f *Flow) forwarded(ctx context.Context, t turn) (Reply, error) {
	lang, call, rang, duty, err := f.ringing(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	nums := numbers(duty)
	i := -1
	if s := t.query.Get("i"); s != "all" {
		if i, err = strconv.Atoi(s); err != nil || i < 0 || i > 100 {
			return Reply{}, fmt.Errorf("%w: i", ErrBadRequest)
		}
	}
	if t.ev.Forward == Connected {
		answered := call.AnsweredBy != 0
		if !answered && i >= 0 && i < len(nums) {
			// The provider tells who answered only by the result of
			// ringing one number: the conversation began about when it
			// rang (at most the ring time later).
			if d, ok := onDutyWith(duty, nums[i]); ok {
				if err := f.Calls.Answer(ctx, call.ID, d.PersonID, d.PhoneID, rang); err != nil {
					return Reply{}, err
				}
			}
		}
		return f.hangUp(ctx, t, call, Answered)
	}
	if i >= 0 && i+1 < len(nums) {
		return f.forward(ctx, t, lang, duty, i+1, f.now())
	}
	m, err := f.menu(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	return f.offer(ctx, t, call, lang, NoAnswer, m.rec[lang][NoAnswerOffer])
}

// onDutyWith finds the volunteer on duty whose phone is number.
func onDutyWith(duty []helpline.OnDuty, number string) (helpline.OnDuty, bool) {
	for _, d := range duty {
		if d.Number == number {
			return d, true
		}
	}
	return helpline.OnDuty{}, false
}

func (f *Flow) answered(ctx context.Context, t turn) (Reply, error) {
	_, call, _, duty, err := f.ringing(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	d, ok := onDutyWith(duty, t.ev.Number)
	if !ok {
		return Reply{}, nil // not a phone of this forward: nothing to record
	}
	if err := f.Calls.Answer(ctx, call.ID, d.PersonID, d.PhoneID, f.now()); err != nil && !errors.Is(err, errTaken) {
		return Reply{}, err
	}
	return Reply{}, nil
}

func (f *Flow) offerAnswered(ctx context.Context, t turn) (Reply, error) {
	lang, err := f.lineLang(t)
	if err != nil {
		return Reply{}, err
	}
	call, err := f.call(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	st, err := f.Store.callState(ctx, t.p.Name(), t.ev.CallID)
	if err != nil {
		return Reply{}, err
	}
	outcome := st.Outcome
	if outcome == "" {
		outcome = NoAnswer
	}
	if t.ev.Key != "1" {
		return f.hangUp(ctx, t, call, outcome)
	}
	if _, err := f.Calls.RequestCallback(ctx, call.ID, f.now()); err != nil && !errors.Is(err, errNoNumber) {
		return Reply{}, err
	}
	m, err := f.menu(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	return f.hangUp(ctx, t, call, outcome, m.rec[lang][CallbackTaken])
}

func (f *Flow) ended(ctx context.Context, t turn) (Reply, error) {
	call, err := f.call(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	st, err := f.Store.callState(ctx, t.p.Name(), t.ev.CallID)
	if err != nil {
		return Reply{}, err
	}
	outcome := st.Outcome
	if outcome == "" {
		outcome = HungUp
	}
	if err := f.Calls.End(ctx, call.ID, outcome, f.now()); err != nil {
		return Reply{}, err
	}
	return Reply{}, nil
}
