package campaign

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/outreach/question"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// DemoName is the demo campaign's name.
const DemoName = "Vaccination information spring 2021"

// demoStart is when the demo campaign began; its history runs eight weeks.
var demoStart = time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)

// demoOutcomes is how demo calls end, per attempt: weights that add up to
// 100, close to what the pilot saw (most residents who answer talk).
var demoOutcomes = []struct {
	o Outcome
	w int
}{{Completed, 50}, {NoAnswer, 23}, {Busy, 4}, {Voicemail, 8}, {WrongNumber, 3}, {Declined, 6}, {Callback, 3}, {OtherLanguage, 1}, {DoNotCall, 2}}

// demoAsked are residents' questions in the calls, by the phase of the
// eight weeks in which they were asked most, as in the pilot: symptoms
// and testing first, then vaccination, then work and benefits.
var demoAsked = []struct {
	phase        int
	topics, text string
}{
	{0, "symptoms", "Vad ska jag göra om jag har feber och hosta?"},
	{0, "symptoms,testing", "Min man har tappat smaken, ska han testa sig?"},
	{0, "testing", "Var kan jag testa mig gratis?"},
	{0, "isolation", "Hur länge ska jag vara hemma om någon i familjen är sjuk?"},
	{0, "symptoms,school", "Får barnen gå till skolan om de är snuviga?"},
	{1, "vaccination", "Kan jag välja vilket vaccin jag får?"},
	{1, "vaccination", "Behöver jag ta med legitimation till vaccinationen?"},
	{1, "vaccination,health_care", "Min mamma kan inte gå, kan någon komma hem och vaccinera henne?"},
	{1, "vaccination", "Är vaccinet säkert om jag ammar?"},
	{1, "vaccination", "Hur bokar jag tid om jag inte har BankID?"},
	{1, "school", "Ska barnen vaccineras?"},
	{2, "benefits", "Kan jag få ersättning om jag blir uppsagd?"},
	{2, "benefits,work", "Får jag sjuklön om jag måste vara hemma med barnen?"},
	{2, "vaccination,work", "Får jag ledigt från jobbet för att vaccinera mig?"},
	{2, "benefits,housing", "Kan jag få hjälp med hyran om jag har förlorat jobbet?"},
	{2, "travel", "Behöver jag intyg för att resa till Somalia?"},
}

// demoAskedIn picks a question of the week's phase most of the time.
func demoAskedIn(week int, rng *rand.Rand) (phase int, topics, text string) {
	want := min(week*3/8, 2)
	for {
		q := demoAsked[rng.IntN(len(demoAsked))]
		if q.phase == want || rng.IntN(100) < 15 {
			return q.phase, q.topics, q.text
		}
	}
}

var demoQuestions = []Question{
	{Kind: YesNo, Text: "Har du fått en kallelse till vaccination?"},
	{Kind: Choice, Text: "Var får du mest information om covid-19?", Choices: []string{"SMS", "TV och radio", "Familj och vänner", "Vårdcentralen", "Sociala medier"}},
	{Kind: YesNo, Text: "Vill du ha hjälp att boka en tid?"},
}

// SeedDemo adds the demo campaign to the demo operation: goal 1,500, the
// partner groups that have contacts, the operation's call script and
// vaccination entries, and eight weeks of calls with their outcomes and
// residents' questions. It needs the contacts seeded first.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	register := m.contacts()
	if register == nil {
		return nil // no contact register mounted: nobody to call
	}
	ops := &operation.Store{DB: app.DB, Now: func() time.Time { return demoStart.Add(-7 * 24 * time.Hour) }}
	all, err := ops.All(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(all, func(o operation.Operation) bool { return o.Name == operation.DemoName })
	if i < 0 {
		return nil
	}
	op := all[i]
	var partners []int64
	for _, o := range city.Orgs {
		if o.Kind == auth.PartnerGroup {
			partners = append(partners, o.ID)
		}
	}
	orgs, err := app.Auth.Orgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.Kind == auth.PartnerGroup && !slices.Contains(partners, o.ID) {
			partners = append(partners, o.ID)
		}
	}
	contacts, err := register.ForGroups(ctx, partners)
	if err != nil {
		return fmt.Errorf("demo campaign contacts: %w", err)
	}
	if len(contacts) == 0 {
		return nil // the contact module seeds after this one, or not at all
	}
	var groups []int64
	for _, c := range contacts {
		if !slices.Contains(groups, c.OrgID) {
			groups = append(groups, c.OrgID)
		}
	}
	slices.Sort(groups)
	coord := city.People["samordnare@demo.megafon.se"]
	for _, g := range groups {
		if op.Takes(g) {
			continue
		}
		// The demo story: every group with contacts joined the operation
		// for the vaccination campaign.
		if !op.Invited(g) {
			if err := ops.Invite(ctx, coord, op.ID, g); err != nil {
				return err
			}
		}
		if err := ops.Join(ctx, op.ID, g); err != nil {
			return err
		}
	}
	if op, err = ops.Get(ctx, op.ID); err != nil {
		return err
	}
	d := Draft{Name: DemoName, Goal: 1500, StartsOn: "2021-03-01", EndsOn: "2021-05-31",
		Questions: demoQuestions, Rules: DefaultRetryRules(), LeaseMinutes: DefaultLease, GroupIDs: groups}
	hb := handbook.NewStore(app.DB, func() time.Time { return demoStart })
	entries, err := hb.ForCaller(ctx, op.ID, []string{handbook.Swedish}, demoStart, time.Time{})
	// Entries written later to answer residents' questions were not the
	// campaign's of spring 2021.
	answers := map[int64]bool{}
	if rows, qerr := app.DB.Query(ctx, `SELECT DISTINCT answer_entry_id FROM resident_questions WHERE answer_entry_id IS NOT NULL`); qerr == nil {
		for rows.Next() {
			var id int64
			if rows.Scan(&id) == nil {
				answers[id] = true
			}
		}
		rows.Close()
	}
	if err == nil {
		for _, e := range entries {
			switch {
			case answers[e.EntryID]:
			case e.Kind == handbook.CallScript && d.ScriptEntryID == 0:
				d.ScriptEntryID = e.EntryID
			case e.Kind != handbook.CallScript && len(d.EntryIDs) < 6:
				d.EntryIDs = append(d.EntryIDs, e.EntryID)
			}
		}
	}

	if err := d.Clean(op); err != nil {
		return fmt.Errorf("demo campaign: %w", err)
	}
	store := &Store{DB: app.DB, Now: func() time.Time { return demoStart }}
	id, err := store.Create(ctx, coord, op.ID, d)
	if err != nil {
		return err
	}
	c, err := store.Get(ctx, id)
	if err != nil {
		return err
	}
	if _, err := store.FillQueue(ctx, c, contacts); err != nil {
		return err
	}
	return store.seedHistory(ctx, c, callersByGroup(city, groups))
}

func callersByGroup(city *demo.City, groups []int64) map[int64][]int64 {
	out := map[int64][]int64{}
	for _, a := range demo.Accounts {
		u := city.People[a.Login]
		if u == nil {
			continue
		}
		for _, g := range groups {
			if u.HasIn(g, auth.Volunteer, auth.GroupLead) {
				out[g] = append(out[g], u.ID)
			}
		}
	}
	return out
}

// demoCall is one call of the demo history.
type demoCall struct {
	queueID, contactID, orgID int64
	caller                    any
	lang, district            string
	attempt                   int
	outcome                   Outcome
	other                     string
	answers                   string
	topics                    string
	started, ended            time.Time
	question                  string
	escalated                 bool
}

// seedHistory writes eight weeks of calls over the campaign's queue, in
// batches, and leaves each queue entry where those calls put it.
func (s *Store) seedHistory(ctx context.Context, c Campaign, callers map[int64][]int64) error {
	rng := rand.New(rand.NewPCG(2021, 3))
	rows, err := s.DB.Query(ctx, `SELECT id, contact_id, org_id, languages, district FROM campaign_queue WHERE campaign_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	type entry struct {
		id, contact, org int64
		langs, district  string
	}
	var entries []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.contact, &e.org, &e.langs, &e.district); err != nil {
			rows.Close()
			return err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Leave about a fifth never tried, so that the demo volunteers have
	// residents to call.
	rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	tried := entries[:len(entries)*82/100]
	var calls []demoCall
	type queueState struct {
		id          int64
		attempts    int
		state, last string
		next        time.Time
		priority    Priority
		langs       string
	}
	var states []queueState
	const weeks = 8
	for _, e := range tried {
		at := demoStart.Add(time.Duration(rng.IntN(weeks*7*24-72)) * time.Hour)
		langs := splitList(e.langs)
		st := queueState{id: e.id, state: "queued", langs: e.langs, priority: PriorityNew, next: demoStart}
		for attempt := 1; ; attempt++ {
			at = workingHours(at, rng)
			o := pickOutcome(rng)
			call := demoCall{queueID: e.id, contactID: e.contact, orgID: e.org, lang: CallLanguage(langs, langs), district: e.district,
				attempt: attempt, outcome: o, answers: "{}", ended: at}
			call.started = at.Add(-time.Duration(30+rng.IntN(60)) * time.Second)
			if ids := callers[e.org]; len(ids) > 0 {
				call.caller = ids[rng.IntN(len(ids))]
			}
			var cb *time.Time
			switch o {
			case Completed:
				call.started = at.Add(-time.Duration(180+rng.IntN(540)) * time.Second)
				call.answers = demoAnswers(rng)
				if rng.IntN(100) < 35 {
					_, topics, text := demoAskedIn(int(at.Sub(demoStart)/(7*24*time.Hour)), rng)
					call.topics = topics
					if rng.IntN(100) < 60 {
						call.question = text
						call.escalated = rng.IntN(100) < 15
					}
				}
			case Callback:
				t := at.Add(time.Duration(20+rng.IntN(50)) * time.Hour)
				cb = &t
			case OtherLanguage:
				call.other = "en"
			}
			calls = append(calls, call)
			st.attempts, st.last = attempt, string(o)
			next, final := NextAttempt(c.Rules, attempt, o, at, cb)
			if final {
				st.state, st.next = "done", at
				break
			}
			st.next, st.priority = next, PriorityRetry
			if o == Callback {
				st.priority = PriorityCallback
			}
			if o == OtherLanguage {
				st.langs = wrapLangs([]string{call.other})
			}
			if next.After(demoStart.Add(weeks * 7 * 24 * time.Hour)) {
				break // its next attempt has not come yet
			}
			at = next.Add(time.Duration(rng.IntN(48)) * time.Hour)
			if at.After(demoStart.Add(weeks * 7 * 24 * time.Hour)) {
				break
			}
		}
		states = append(states, st)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		const batch = 300
		for start := 0; start < len(calls); start += batch {
			part := calls[start:min(start+batch, len(calls))]
			var b strings.Builder
			b.WriteString(`INSERT INTO campaign_calls (campaign_id, queue_id, contact_id, org_id, caller_id, language, district, attempt, outcome,
				other_language, answers, asked_topics, started_at, ended_at, duration_seconds, idempotency_key) VALUES `)
			args := []any{c.ID}
			for i, k := range part {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("($1")
				for range 15 {
					args = append(args, nil)
					b.WriteString(", $" + strconv.Itoa(len(args)))
				}
				b.WriteString(")")
				n := len(args) - 15
				vals := []any{k.queueID, k.contactID, k.orgID, k.caller, k.lang, k.district, k.attempt, string(k.outcome), k.other,
					k.answers, k.topics, db.Now(k.started), db.Now(k.ended), int(k.ended.Sub(k.started) / time.Second),
					fmt.Sprintf("demo-%d-%d-%d", c.ID, k.queueID, k.attempt)}
				copy(args[n:], vals)
			}
			if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
				return fmt.Errorf("demo calls: %w", err)
			}
		}
		// Questions refer to their call by its key; each is recorded at
		// the end of its call, as the call screen records it.
		var at time.Time
		qs := &question.Store{DB: s.DB, Now: func() time.Time { return at }}
		for _, k := range calls {
			if k.topics == "" && k.question == "" {
				continue
			}
			var callID int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM campaign_calls WHERE idempotency_key = $1`,
				fmt.Sprintf("demo-%d-%d-%d", c.ID, k.queueID, k.attempt)).Scan(&callID); err != nil {
				return fmt.Errorf("demo questions: %w", err)
			}
			d := question.Draft{OperationID: c.OperationID, Source: question.FromCampaign, CampaignID: c.ID, CallID: callID,
				OrgID: k.orgID, Language: k.lang, District: k.district, Text: k.question, Summary: k.question, Escalate: k.escalated}
			if k.topics != "" {
				d.Topics = strings.Split(k.topics, ",")
			}
			if id, ok := k.caller.(int64); ok {
				d.AskedBy = id
			}
			if _, err := d.Clean(); err != nil {
				return fmt.Errorf("demo question %q: %w", k.question, err)
			}
			at = k.ended
			if _, _, err := qs.RecordTx(ctx, tx, d); err != nil {
				return fmt.Errorf("demo questions: %w", err)
			}
		}
		// The pilot's escalations were handled in their day: closed with a
		// word on where the answer went, so that today's triage shows
		// today's questions (the question module's demo).
		if _, err := tx.ExecContext(ctx, `UPDATE resident_questions SET state = 'closed', closed_at = due_at, handled_by_name = 'Sara Samordnare',
			close_reason = 'Besvarad i handboken under piloten.' WHERE campaign_id = $1 AND state = 'escalated'`, c.ID); err != nil {
			return fmt.Errorf("demo questions: %w", err)
		}
		for _, st := range states {
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_queue SET attempts = $1, state = $2, next_at = $3, priority = $4, last_outcome = $5, languages = $6
				WHERE id = $7`, st.attempts, st.state, db.Now(st.next), int(st.priority), st.last, st.langs, st.id); err != nil {
				return fmt.Errorf("demo queue: %w", err)
			}
		}
		return nil
	})
}

func pickOutcome(rng *rand.Rand) Outcome {
	n := rng.IntN(100)
	for _, w := range demoOutcomes {
		if n < w.w {
			return w.o
		}
		n -= w.w
	}
	return Completed
}

func demoAnswers(rng *rand.Rand) string {
	a := map[string]string{}
	a["0"] = []string{"yes", "yes", "no", "unsure"}[rng.IntN(4)]
	a["1"] = demoQuestions[1].Choices[rng.IntN(len(demoQuestions[1].Choices))]
	if rng.IntN(3) > 0 {
		a["2"] = []string{"yes", "no", "no"}[rng.IntN(3)]
	}
	return encodeJSON(a)
}

// workingHours moves t to a weekday between 9 and 19, Stockholm time, as
// the groups called.
func workingHours(t time.Time, rng *rand.Rand) time.Time {
	l := t.In(stockholm)
	for l.Weekday() == time.Saturday || l.Weekday() == time.Sunday {
		l = l.Add(24 * time.Hour)
	}
	if l.Hour() < 9 || l.Hour() >= 19 {
		l = time.Date(l.Year(), l.Month(), l.Day(), 9+rng.IntN(10), rng.IntN(60), 0, 0, stockholm)
	}
	return l.UTC()
}
