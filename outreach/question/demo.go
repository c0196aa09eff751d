package question

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// demoAsked are questions the District Mothers entered after meeting
// residents, in the language they were asked, with a Swedish summary.
var demoAsked = []struct {
	who, lang, topics, text, summary string
}{
	{"+46701000001", "ar", "vaccination", "هل اللقاح مجاني لمن ليس لديه رقم شخصي؟", "Är vaccinet gratis för den som saknar personnummer?"},
	{"+46701000002", "so", "vaccination", "Tallaalku ma bilaash buu u yahay qofka aan lahayn lambarka shakhsiga?", "Är vaccinet gratis utan personnummer?"},
	{"+46701000004", "prs", "vaccination", "آیا واکسین برای کسی که نمبر شخصی ندارد رایگان است؟", "Gratis vaccin utan personnummer?"},
	{"+46701000001", "ar", "vaccination", "جارتي ليس لديها رقم شخصي، هل يمكنها أن تتطعم؟", "Kan grannen vaccineras utan personnummer?"},
	{"+46701000003", "ti", "benefits", "ካብ ስራሕ ምስ ተሰናበትኩ ሓገዝ ክረክብ ይኽእል ዶ?", "Kan jag få ersättning om jag blir uppsagd?"},
	{"+46701000002", "so", "benefits", "Haddii shaqada la iga joojiyo, ma heli karaa lacag?", "Ersättning vid uppsägning?"},
	{"+46701000001", "ar", "housing", "صاحب البيت يريد أن يطردنا لأننا تأخرنا في الإيجار بسبب كورونا", "Hyresvärden vill säga upp oss för sen hyra under pandemin"},
	{"+46701000005", "bs", "school", "Da li djeca moraju nositi masku u školi?", "Måste barnen bära munskydd i skolan?"},
	{"+46701000001", "ar", "symptoms", "ابني عنده حرارة منذ يومين، هل يذهب إلى المدرسة؟", "Barnet har haft feber i två dagar, får det gå till skolan?"},
}

// SeedDemo gives the demo operation's questions in every state, relative
// to now, so that the triage page has something overdue, something due
// soon and something taken: kept (two answered on the spot with a
// handbook entry), escalated and overdue, merged (one asked four times in
// four languages), answered with a verified entry in four languages, and
// closed with a reason. The calls' questions of the eight weeks of the
// campaign come with its demo.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	var opID int64
	if err := app.DB.QueryRow(ctx, `SELECT id FROM operations WHERE name = $1`, operation.DemoName).Scan(&opID); err != nil {
		return fmt.Errorf("demo questions: no demo operation: %w", err)
	}
	coord := city.People["samordnare@demo.megafon.se"]
	now := app.Now()
	at := now
	s := &Store{DB: app.DB, Now: func() time.Time { return at }, onAnswered: m.store.onAnswered}
	ask := func(i int, hoursAgo int, escalate bool) (int64, error) {
		a := demoAsked[i]
		who := city.People[a.who]
		d := Draft{OperationID: opID, Source: FromVolunteer, AskedBy: who.ID, Language: a.lang, Topics: []string{a.topics},
			Text: a.text, Summary: a.summary, Escalate: escalate}
		if len(who.Memberships) > 0 {
			d.OrgID = who.Memberships[0].OrgID
		}
		if _, err := d.Clean(); err != nil {
			return 0, fmt.Errorf("demo question %d: %w", i, err)
		}
		at = now.Add(-time.Duration(hoursAgo) * time.Hour)
		id, _, err := s.Record(ctx, d)
		return id, err
	}
	// Two answered on the spot with the handbook's first verified entry.
	var entry, version int64
	err := app.DB.QueryRow(ctx, `SELECT e.id, v.id FROM handbook_entries e JOIN handbook_versions v ON v.entry_id = e.id
		WHERE e.operation_id = $1 AND v.status = 'verified' ORDER BY e.id LIMIT 1`, opID).Scan(&entry, &version)
	if err != nil {
		return fmt.Errorf("demo questions: no verified entry: %w", err)
	}
	for _, i := range []int{7, 8} {
		a := demoAsked[i]
		d := Draft{OperationID: opID, Source: FromVolunteer, AskedBy: city.People[a.who].ID, Language: a.lang, Topics: []string{a.topics},
			Text: a.text, OnTheSpot: true, EntryID: entry, VersionID: version}
		if _, err := d.Clean(); err != nil {
			return err
		}
		at = now.Add(-30 * time.Hour)
		if _, _, err := s.Record(ctx, d); err != nil {
			return err
		}
	}
	// The same question four times, merged into the first: at self-run
	// level (72 h) the first is overdue.
	var same []int64
	for n, i := range []int{0, 1, 2, 3} {
		id, err := ask(i, 80-n*10, true)
		if err != nil {
			return err
		}
		same = append(same, id)
	}
	if err := s.Merge(ctx, same[0], same[1:], coord); err != nil {
		return fmt.Errorf("demo merge: %w", err)
	}
	// Due soon, and one taken.
	if _, err := ask(5, 60, true); err != nil {
		return err
	}
	taken, err := ask(6, 20, true)
	if err != nil {
		return err
	}
	at = now.Add(-18 * time.Hour)
	if err := s.Take(ctx, taken, coord); err != nil {
		return err
	}
	// Answered: the city wrote the answer, translated it and verified it.
	answered, err := ask(4, 120, true)
	if err != nil {
		return err
	}
	at = now.Add(-100 * time.Hour)
	valid := now.AddDate(0, 6, 0).Format(time.DateOnly)
	answer, err := s.AnswerNew(ctx, m.handbook, answered, coord, handbook.EntryDraft{Kind: handbook.QA, Topics: []string{"benefits", "work"},
		Source: "Arbetsförmedlingen", ValidUntil: valid, Translations: []handbook.Translation{
			{Lang: "sv", Title: "Kan jag få ersättning om jag blir uppsagd?", Body: "Ja, om du är med i en a-kassa. Skriv in dig hos Arbetsförmedlingen samma dag som du slutar. Stadens vägledning svarar på 0771-11 77 00."},
			{Lang: "ti", Title: "ካብ ስራሕ ምስ ተሰናበትኩ ሓገዝ ክረክብ ይኽእል ዶ?", Body: "እወ፡ ኣባል ኣ-ካሳ እንተዄንኩም። ኣብታ ስራሕ ዝወዳእኩምላ መዓልቲ ኣብ Arbetsförmedlingen ተመዝገቡ። 0771-11 77 00 ደውሉ።", TranslatedBy: "Tolkförmedlingen"},
			{Lang: "so", Title: "Ma heli karaa lacag haddii shaqada la iga joojiyo?", Body: "Haa, haddii aad xubin ka tahay a-kassa. Isqor Arbetsförmedlingen maalinta aad joojiso. Wac 0771-11 77 00.", TranslatedBy: "Tolkförmedlingen"},
			{Lang: "ar", Title: "هل يمكنني الحصول على تعويض إذا فُصلت من العمل؟", Body: "نعم، إذا كنت عضواً في صندوق البطالة. سجّل لدى Arbetsförmedlingen في يوم انتهاء عملك. اتصل على 0771-11 77 00.", TranslatedBy: "Tolkförmedlingen"},
		}})
	if err != nil {
		return fmt.Errorf("demo answer: %w", err)
	}
	for _, a := range []handbook.Action{handbook.Submit, handbook.Verify} {
		if err := m.handbook.Move(ctx, coord, answer, a); err != nil {
			return fmt.Errorf("demo answer: %w", err)
		}
	}
	if err := m.seedWeeks(ctx, app, city, opID); err != nil {
		return err
	}
	// Closed: not the city's to answer.
	closed, err := ask(7, 200, true)
	if err != nil {
		return err
	}
	at = now.Add(-190 * time.Hour)
	return s.Close(ctx, closed, coord, CloseDraft{Reason: "Skolan svarar: frågan skickades till förskoleförvaltningen."})
}

// demoWeeks are the topics volunteers noted week by week over the last
// eight weeks, as the pilot saw them change: symptoms and testing first,
// then vaccination, then work and benefits. The chart of what worries
// people now shows them; the campaign's own calls of spring 2021 are
// older than its default eight weeks.
var demoWeeks = [3][]string{
	{"symptoms", "symptoms", "symptoms", "testing", "testing", "isolation", "school"},
	{"vaccination", "vaccination", "vaccination", "vaccination", "health_care", "symptoms", "school"},
	{"benefits", "benefits", "benefits", "work", "work", "housing", "vaccination"},
}

var (
	demoLanguages = []string{"ar", "ar", "ar", "so", "so", "ti", "prs", "sv", "bs", "uk"}
	demoDistricts = []string{"Drottninghög", "Dalhem", "Husensjö", "Söder", "Planteringen", "Fredriksdal"}
	demoNoters    = []string{"+46701000001", "+46701000002", "+46701000003", "+46701000004", "+46701000005"}
)

// seedWeeks records the eight weeks of noted questions, topics only
// (what a volunteer ticks after a short talk), 40 to 90 a week.
func (m *Module) seedWeeks(ctx context.Context, app *web.App, city *demo.City, opID int64) error {
	rng := rand.New(rand.NewPCG(2021, 13))
	now := app.Now()
	var at time.Time
	s := &Store{DB: app.DB, Now: func() time.Time { return at }}
	return app.DB.Tx(ctx, func(tx *sql.Tx) error {
		for week := 0; week < 8; week++ {
			phase := min(week*3/8, 2)
			for n := 40 + week*7 + rng.IntN(10); n > 0; n-- {
				who := city.People[demoNoters[rng.IntN(len(demoNoters))]]
				topics := demoWeeks[phase]
				d := Draft{OperationID: opID, Source: FromVolunteer, AskedBy: who.ID, Language: demoLanguages[rng.IntN(len(demoLanguages))],
					District: demoDistricts[rng.IntN(len(demoDistricts))], Topics: []string{topics[rng.IntN(len(topics))]}}
				if len(who.Memberships) > 0 {
					d.OrgID = who.Memberships[0].OrgID
				}
				if _, err := d.Clean(); err != nil {
					return err
				}
				// Weeks back from this one; this week's up to now.
				at = now.Add(-time.Duration(7*(7-week))*24*time.Hour - time.Duration(rng.IntN(6*24))*time.Hour)
				if at.After(now) {
					at = now.Add(-time.Hour)
				}
				if _, _, err := s.RecordTx(ctx, tx, d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
