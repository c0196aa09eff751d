package calls

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"megafon/outreach/campaign"
	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/auth"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// Size of the demo's call log.
const (
	DemoCalls = 400
	DemoDays  = 56
)

// demoAsked are residents' questions of the demo, in the languages the
// demo volunteers speak; in the others a call's question is its topics.
var demoAsked = map[string][]question.Draft{
	"sv": {{Text: "Var kan jag vaccinera mig utan att boka tid?", Topics: []string{"vaccination"}},
		{Text: "Min son har hosta, får han gå till skolan?", Topics: []string{"school", "symptoms"}}},
	"ar": {{Text: "هل اللقاح مجاني لمن ليس لديه رقم شخصي؟", Topics: []string{"vaccination"}, Escalate: true, Summary: "Är vaccinet gratis för den som saknar personnummer?"},
		{Text: "أين أجري الفحص قرب رينكيبي؟", Topics: []string{"testing"}}},
	"so": {{Text: "Ma heli karaa lacag haddii aan shaqada ka maqnaado?", Topics: []string{"benefits", "work"}, Escalate: true, Summary: "Kan jag få ersättning om jag stannar hemma från jobbet?"}},
	"ti": {{Text: "ክታበት ንቖልዑ ይወሃብ ድዩ?", Topics: []string{"vaccination"}}},
	"en": {{Text: "How long must I stay home after a positive test?", Topics: []string{"isolation"}}},
}

// SeedDemo seeds about DemoCalls calls over the last DemoDays days on the
// demo operation's help line, which the help line module seeds: answered
// and logged ones with topics and questions, missed ones, callback
// requests done and open, and a few calls still to log. Without a demo
// help line it seeds nothing, and says so in the log.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	ops, err := m.ops.All(ctx)
	if err != nil {
		return err
	}
	var op operation.Operation
	for _, o := range ops {
		if o.Name == operation.DemoName {
			op = o
		}
	}
	if op.ID == 0 {
		app.Log.Info("demo calls: no demo operation, no calls seeded")
		return nil
	}
	lines, err := m.store.LinesOf(ctx, []int64{op.ID})
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		app.Log.Info("demo calls: the demo operation has no help line, no calls seeded", "operation", op.ID)
		return nil
	}
	n, err := SeedLine(ctx, m.store, app.Auth, op, lines[0], app.Now())
	if err != nil {
		return fmt.Errorf("demo calls: %w", err)
	}
	app.Log.Info("demo calls seeded", "line", lines[0].ID, "calls", n)
	return nil
}

// answerer is a volunteer who may answer the line, in her group.
type answerer struct {
	user  *auth.User
	group int64
}

// SeedLine seeds the demo's calls on line of operation op, counted back
// from now, with the volunteers of the groups taking part as those who
// answered. It returns how many calls it seeded. The numbers are random
// Swedish mobile numbers; the same seed gives the same calls.
func SeedLine(ctx context.Context, s *Store, people *auth.Store, op operation.Operation, line Line, now time.Time) (int, error) {
	if len(line.Languages) == 0 {
		return 0, nil
	}
	var crew []answerer
	for _, g := range op.GroupIDs {
		members, err := people.Members(ctx, g)
		if err != nil {
			return 0, err
		}
		for _, mb := range members {
			if mb.Role != auth.Volunteer && mb.Role != auth.GroupLead {
				continue
			}
			u, err := people.User(ctx, mb.ID)
			if err != nil {
				return 0, err
			}
			crew = append(crew, answerer{u, g})
		}
	}
	if len(crew) == 0 {
		return 0, nil
	}
	rng := rand.New(rand.NewPCG(14, uint64(line.ID)))
	clock := now
	seeder := *s
	seeder.Now = func() time.Time { return clock }
	start := now.Add(-DemoDays * 24 * time.Hour)
	// Calls in order of time, so that callback attempts follow their call.
	times := make([]time.Time, DemoCalls)
	for i := range times {
		day := start.Add(time.Duration(rng.IntN(DemoDays)) * 24 * time.Hour).In(stockholm)
		local := time.Date(day.Year(), day.Month(), day.Day(), 9+rng.IntN(11), rng.IntN(60), rng.IntN(60), 0, stockholm)
		if local.After(now.Add(-10 * time.Minute)) {
			local = now.Add(-time.Duration(10+rng.IntN(600)) * time.Minute)
		}
		times[i] = local.UTC()
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	// A language's weight: the first ones (Swedish, Arabic) are asked most.
	pickLang := func() string {
		for _, l := range line.Languages {
			if rng.IntN(3) > 0 {
				return l
			}
		}
		return line.Languages[0]
	}
	unlogged := 0
	for i, at := range times {
		clock = at
		caller := ""
		if rng.IntN(10) > 0 {
			caller = fmt.Sprintf("+46701%06d", rng.IntN(1_000_000))
		}
		provider := "46elks"
		if i%3 == 0 {
			provider = "twilio"
		}
		c, err := seeder.Arrive(ctx, line.ID, provider, fmt.Sprintf("demo-%d-%d", line.ID, i), caller, at)
		if err != nil {
			return i, err
		}
		roll := rng.IntN(100)
		if roll < 3 { // no valid key in the menu
			if err := seeder.End(ctx, c.ID, UnknownKey, at.Add(25*time.Second)); err != nil {
				return i, err
			}
			continue
		}
		lang := pickLang()
		if err := seeder.ChooseLanguage(ctx, c.ID, lang); err != nil {
			return i, err
		}
		switch {
		case roll < 68:
			var who []answerer
			for _, a := range crew {
				if slices.Contains(a.user.Languages, lang) {
					who = append(who, a)
				}
			}
			if len(who) == 0 {
				who = crew
			}
			a := who[rng.IntN(len(who))]
			answered := at.Add(time.Duration(8+rng.IntN(30)) * time.Second)
			if err := seeder.Answer(ctx, c.ID, a.user.ID, 0, answered); err != nil {
				return i, err
			}
			end := answered.Add(time.Duration(60+rng.IntN(11*60)) * time.Second)
			if err := seeder.End(ctx, c.ID, HungUp, end); err != nil {
				return i, err
			}
			// The last day's calls wait in the volunteers' calls to log.
			if now.Sub(end) < 24*time.Hour && unlogged < 6 {
				unlogged++
				continue
			}
			clock = end.Add(time.Duration(1+rng.IntN(20)) * time.Minute)
			if err := seedLog(ctx, &seeder, rng, c.ID, a, line, lang, i); err != nil {
				return i, err
			}
		case roll < 90:
			if err := seeder.End(ctx, c.ID, NoAnswer, at.Add(time.Duration(20+rng.IntN(40))*time.Second)); err != nil {
				return i, err
			}
			if err := seedCallback(ctx, &seeder, &clock, rng, c.ID, caller, crew, lang, now); err != nil {
				return i, err
			}
		case roll < 96:
			if err := seeder.End(ctx, c.ID, Closed, at.Add(40*time.Second)); err != nil {
				return i, err
			}
			if err := seedCallback(ctx, &seeder, &clock, rng, c.ID, caller, crew, lang, now); err != nil {
				return i, err
			}
		default:
			if err := seeder.End(ctx, c.ID, HungUp, at.Add(time.Duration(5+rng.IntN(20))*time.Second)); err != nil {
				return i, err
			}
		}
	}
	return len(times), nil
}

// seedLog logs a demo call: one or two topics, and in some a question.
func seedLog(ctx context.Context, s *Store, rng *rand.Rand, callID int64, a answerer, line Line, lang string, i int) error {
	d := LogDraft{Lang: lang, Answered: true, Referral: rng.IntN(25) == 0, Key: fmt.Sprintf("%016x%016x", line.ID, i)}
	d.Topics = []string{handbook.Topics[rng.IntN(len(handbook.Topics))]}
	if rng.IntN(3) == 0 {
		d.Topics = append(d.Topics, handbook.Topics[rng.IntN(len(handbook.Topics))])
	}
	if rng.IntN(5) < 2 {
		if asked := demoAsked[lang]; len(asked) > 0 {
			q := asked[rng.IntN(len(asked))]
			q.Topics = slices.Clone(q.Topics)
			d.Questions = []question.Draft{q}
		}
	}
	if _, err := d.Clean(line); err != nil {
		return fmt.Errorf("demo log of call %d: %w", callID, err)
	}
	_, err := s.Log(ctx, callID, a.user.ID, a.group, d)
	return err
}

// seedCallback asks for a callback for a missed call with a number: done
// when older than two days (reached, or out of attempts), else open,
// some tried once.
func seedCallback(ctx context.Context, s *Store, clock *time.Time, rng *rand.Rand, callID int64, caller string, crew []answerer, lang string, now time.Time) error {
	if caller == "" || rng.IntN(10) < 3 {
		return nil
	}
	id, err := s.RequestCallback(ctx, callID, clock.Add(time.Minute))
	if err != nil {
		return err
	}
	var who []answerer
	for _, a := range crew {
		if slices.Contains(a.user.Languages, lang) {
			who = append(who, a)
		}
	}
	if len(who) == 0 {
		return nil // nobody speaks it: it waits
	}
	old := now.Sub(*clock) > 48*time.Hour
	tries := 0
	switch {
	case old:
		tries = 1 + rng.IntN(s.maxAttempts())
	case rng.IntN(3) == 0:
		tries = 1
	}
	for n := 0; n < tries; n++ {
		*clock = clock.Add(time.Duration(40+rng.IntN(200)) * time.Minute)
		if clock.After(now) {
			*clock = now.Add(-time.Minute)
		}
		a := who[rng.IntN(len(who))]
		if _, err := s.Take(ctx, id, a.user.ID); err != nil {
			return err
		}
		o := campaign.NoAnswer
		if old && n == tries-1 && rng.IntN(4) > 0 {
			o = campaign.Completed
		}
		step, _, err := s.RecordCallback(ctx, id, a.user, CallbackReport{Outcome: o, Attempt: n}, nil, "")
		if err != nil {
			return err
		}
		if step == Close {
			break
		}
	}
	return nil
}
