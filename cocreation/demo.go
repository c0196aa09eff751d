package cocreation

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// DemoTitle is the demo process's title.
const DemoTitle = "Socialnämndens mål 2023"

var demoProcess = process.NewProcess{
	Title: DemoTitle,
	Purpose: "Vi som använder socialtjänsten, anhöriga, föreningar, personal och politiker tar fram socialnämndens mål tillsammans. " +
		"Vi berättar vad som fungerar extra bra och extra dåligt, ritar upp hur det är att använda en tjänst före, under och efter, " +
		"och föreslår mål och hur nämnden kan mäta att de gör skillnad. Nämnden beslutar och du får veta vad som blev av förslagen.",
	DecidingBody: "Socialnämnden",
	Lang:         "sv",
}

// demoPrompts are asked at every demo workshop, in this order.
var demoPrompts = [2]string{"Vad fungerar extra bra?", "Vad fungerar extra dåligt?"}

// demoText is a demo translation: name or prompt, and purpose or agenda.
type demoText struct{ title, body, by string }

// Demo translations: the process in English and Arabic, the workshop on
// now and its prompts too, the first workshop's agenda in Arabic.
var (
	demoProcessTexts = map[string]demoText{
		"en": {"Social welfare board goals 2023", "People who use the social services, relatives, associations, staff and politicians set the social welfare board's goals together. " +
			"We say what works extra well and extra badly, map what using a service is like before, during and after, " +
			"and propose goals and how the board can measure that they make a difference. The board decides, and you hear what came of the proposals.", "Gunilla Christiansson"},
		"ar": {"أهداف لجنة الشؤون الاجتماعية 2023", "نحن الذين نستخدم الخدمات الاجتماعية، والأقارب، والجمعيات، والموظفون، والسياسيون نضع معًا أهداف لجنة الشؤون الاجتماعية. " +
			"نحكي ما الذي يعمل بشكل جيد جدًا وما الذي يعمل بشكل سيئ جدًا، ونرسم كيف يكون استخدام الخدمة قبل وأثناء وبعد، " +
			"ونقترح أهدافًا وكيف يمكن للجنة أن تقيس أنها تُحدث فرقًا. اللجنة تقرر، وستعرف ماذا حدث للمقترحات.", "Tolkförmedlingen Väst"},
	}
	demoLiveTexts = map[string]demoText{
		"en": {"Disability support and social psychiatry", "Welcome and coffee\nWhat works extra well?\nWhat works extra badly?\nWe sort the notes into themes\nWhat happens next?", "Gunilla Christiansson"},
		"ar": {"دعم ذوي الإعاقة والطب النفسي الاجتماعي", "أهلًا بكم وقهوة\nما الذي يعمل بشكل جيد جدًا؟\nما الذي يعمل بشكل سيئ جدًا؟\nنرتب الملاحظات في محاور\nماذا سيحدث بعد ذلك؟", "Tolkförmedlingen Väst"},
	}
	demoPromptTexts = map[string][2]string{
		"en": {"What works extra well?", "What works extra badly?"},
		"ar": {"ما الذي يعمل بشكل جيد جدًا؟", "ما الذي يعمل بشكل سيئ جدًا؟"},
	}
	// The first workshop's agenda was translated before its last line was
	// added: the translation shows as older than the Swedish.
	demoFirstAgendaArabic = "17.30 أهلًا بكم، قهوة\n17.45 ما هي أهداف اللجنة؟ نبذة عن طريقة عملنا\n18.00 ما الذي يعمل بشكل جيد جدًا؟\n" +
		"18.30 ما الذي يعمل بشكل سيئ جدًا؟\n19.00 نرتب الملاحظات في محاور"
)

// seedDemoTranslations translates the demo process and its workshops as
// a facilitator would, English checked by a fluent speaker and Arabic
// not yet.
func seedDemoTranslations(ctx context.Context, s *workshop.Store, p process.Process, workshops [4]workshop.Workshop, prompts [4][2]int64) error {
	live := len(workshops) - 1
	for _, lang := range []string{"en", "ar"} {
		pt, lt, qt := demoProcessTexts[lang], demoLiveTexts[lang], demoPromptTexts[lang]
		checked := lang == "en"
		edits := map[process.TextRef]process.TranslationEdit{
			{Kind: "process", ID: p.ID}:                {Title: pt.title, Body: pt.body, TranslatedBy: pt.by, Checked: checked},
			{Kind: "workshop", ID: workshops[live].ID}: {Title: lt.title, Body: lt.body, TranslatedBy: lt.by, Checked: checked},
		}
		for k, q := range qt {
			edits[process.TextRef{Kind: "prompt", ID: prompts[live][k]}] = process.TranslationEdit{Title: q, TranslatedBy: lt.by, Checked: checked}
		}
		if err := s.Translate(ctx, lang, edits); err != nil {
			return fmt.Errorf("demo translations into %s: %w", lang, err)
		}
	}
	first := workshops[0]
	agenda := first.Agenda
	first.Agenda = agenda[:strings.LastIndex(agenda, "\n")]
	if _, err := s.SaveWorkshop(ctx, first); err != nil {
		return fmt.Errorf("demo translations: %w", err)
	}
	if err := s.Translate(ctx, "ar", map[process.TextRef]process.TranslationEdit{{Kind: "workshop", ID: first.ID}: {Body: demoFirstAgendaArabic, TranslatedBy: "Tolkförmedlingen Väst"}}); err != nil {
		return fmt.Errorf("demo translations: %w", err)
	}
	first.Agenda = agenda
	if _, err := s.SaveWorkshop(ctx, first); err != nil {
		return fmt.Errorf("demo translations: %w", err)
	}
	return nil
}

// demoPerson is a participant of the demo process.
type demoPerson struct {
	name, role, age, services, lang string
	paper                           int // the workshop (1–4) where she gave her notes on paper; 0: she joined by link
	withdraws                       int // the workshop (1–4) after which she withdrew her consent
}

// demoPeople are the 60 participants: service users, relatives,
// associations, board members, staff, young people and others, as in the
// pilot; names or the pseudonyms they chose.
var demoPeople = []demoPerson{
	{"Leila", "service_user", "26_40", "financial_aid,housing", "sv", 0, 0},
	{"Mats Lindqvist", "service_user", "41_64", "addiction,mental_health", "sv", 0, 0},
	{"Fatima", "service_user", "26_40", "financial_aid,children_families", "sv", 0, 0},
	{"Kerstin Holm", "service_user", "65_plus", "elderly_care", "sv", 2, 0},
	{"Solrosen", "service_user", "41_64", "mental_health", "sv", 0, 0},
	{"Ahmed Y.", "service_user", "41_64", "financial_aid", "sv", 0, 0},
	{"Birgitta", "service_user", "65_plus", "elderly_care,disability", "sv", 2, 0},
	{"Jonas", "service_user", "26_40", "addiction", "sv", 0, 0},
	{"Sanna Ek", "service_user", "18_25", "mental_health,housing", "sv", 0, 0},
	{"Hussein", "service_user", "26_40", "disability", "en", 0, 0},
	{"Pappa på Söder", "service_user", "41_64", "children_families,financial_aid", "sv", 0, 0},
	{"Marie-Louise", "service_user", "41_64", "disability", "sv", 0, 0},
	{"Abdi", "service_user", "26_40", "financial_aid,housing", "sv", 0, 0},
	{"Gunnel Nilsson", "service_user", "65_plus", "elderly_care", "sv", 0, 0},
	{"Tomas", "service_user", "41_64", "addiction,housing", "sv", 0, 1},
	{"Aida", "service_user", "26_40", "children_families", "sv", 0, 0},
	{"Kämpe84", "service_user", "26_40", "addiction,mental_health", "sv", 0, 0},
	{"Nadia", "service_user", "18_25", "financial_aid", "sv", 0, 0},
	{"Rolf Andersson", "service_user", "65_plus", "elderly_care,disability", "sv", 1, 0},
	{"Samira", "service_user", "", "disability,children_families", "sv", 0, 0},
	{"Eva Lundgren", "relative", "41_64", "elderly_care", "sv", 0, 0},
	{"Karin", "relative", "65_plus", "elderly_care,disability", "sv", 0, 0},
	{"Mohammed Al-Hassan", "relative", "41_64", "disability", "sv", 0, 0},
	{"Lena", "relative", "41_64", "addiction", "sv", 0, 0},
	{"Mamma till två", "relative", "26_40", "disability,children_families", "sv", 0, 0},
	{"Stig", "relative", "65_plus", "elderly_care", "sv", 1, 0},
	{"Ingrid Berg", "relative", "41_64", "mental_health", "sv", 0, 0},
	{"Amal", "relative", "26_40", "elderly_care", "sv", 0, 0},
	{"Anders Pettersson", "association", "41_64", "addiction", "sv", 0, 0},
	{"Hodan", "association", "41_64", "children_families,financial_aid", "sv", 0, 0},
	{"Maria Gonzalez", "association", "26_40", "housing,financial_aid", "sv", 0, 0},
	{"Per-Olof", "association", "65_plus", "elderly_care", "sv", 0, 0},
	{"Elif", "association", "26_40", "disability", "sv", 0, 0},
	{"Selam", "association", "26_40", "children_families", "en", 0, 0},
	{"Ulla Magnusson", "association", "65_plus", "disability,elderly_care", "sv", 0, 0},
	{"Dragan", "association", "41_64", "mental_health", "sv", 0, 0},
	{"", "board_member", "65_plus", "", "sv", 0, 0}, // the demo board member, by his account's name
	{"Annika Strand", "board_member", "41_64", "children_families", "sv", 0, 0},
	{"Hassan Jama", "board_member", "41_64", "financial_aid", "sv", 0, 0},
	{"Cecilia Wallin", "board_member", "", "", "sv", 0, 0},
	{"Lars-Erik Olsson", "board_member", "65_plus", "elderly_care", "sv", 0, 0},
	{"Johanna, socialsekreterare", "staff", "26_40", "financial_aid", "sv", 0, 0},
	{"Emir", "staff", "26_40", "addiction", "sv", 0, 0},
	{"Pia Sjöberg", "staff", "41_64", "elderly_care", "sv", 0, 0},
	{"Malin", "staff", "41_64", "disability", "sv", 0, 0},
	{"Daniel", "staff", "26_40", "children_families", "sv", 0, 0},
	{"Sofia Axelsson", "staff", "26_40", "housing,financial_aid", "sv", 0, 0},
	{"Zeynep", "staff", "41_64", "mental_health", "sv", 0, 0},
	{"Henrik", "staff", "41_64", "addiction,mental_health", "sv", 0, 0},
	{"Lotta", "staff", "41_64", "elderly_care,disability", "sv", 0, 0},
	{"Amra", "staff", "26_40", "financial_aid,children_families", "sv", 0, 0},
	{"Alva", "young_person", "under_18", "children_families", "sv", 0, 0},
	{"Noah", "young_person", "18_25", "addiction", "sv", 0, 0},
	{"Yasmin", "young_person", "18_25", "financial_aid,housing", "sv", 0, 0},
	{"Liam", "young_person", "under_18", "mental_health", "sv", 0, 3},
	{"Ella", "young_person", "18_25", "disability", "sv", 0, 0},
	{"Ung i Dalhem", "young_person", "under_18", "children_families,mental_health", "sv", 0, 0},
	{"Gösta", "other", "65_plus", "other", "sv", 0, 0},
	{"Rebecka", "other", "26_40", "", "en", 0, 0},
	{"Ali, god man", "other", "41_64", "housing,other", "sv", 0, 0},
}

// demoMeeting is a demo workshop.
type demoMeeting struct {
	title, place, video, agenda, interpreters, access string
	daysAgo                                           int    // 0: today, around now
	start, end                                        string // past workshops
	capacity, signUps, attended                       int
	focus                                             []string // services it is about: those who know them come more
	roles                                             []string // roles that come more
	coFacilitator                                     string
}

var demoMeetings = [4]demoMeeting{
	{
		title: "Ekonomiskt bistånd och boende", place: "Stadsbiblioteket, Läsesalongen, plan 2",
		agenda:       "17.30 Välkomna, fika\n17.45 Vad är nämndens mål? Kort om hur vi jobbar\n18.00 Vad fungerar extra bra?\n18.30 Vad fungerar extra dåligt?\n19.00 Vi sorterar lapparna i teman\n19.20 Vad händer sen?",
		interpreters: "arabiska, somaliska, tigrinja",
		access:       "Entré utan trappsteg från Stadsparken, hiss till plan 2, hörslinga i salen. Du kan skriva i mobilen eller på papper. Fika utan gluten och laktos finns.",
		daysAgo:      16, start: "17:30", end: "19:30", capacity: 30, signUps: 26, attended: 21,
		focus: []string{"financial_aid", "housing"}, roles: []string{"service_user", "association"}, coFacilitator: "Johan Lindberg",
	},
	{
		title: "Äldreomsorg och stöd till anhöriga", place: "Medborgarkontoret Drottninghög, Mötesrummet",
		agenda:       "13.00 Välkomna och kaffe\n13.15 Om nämndens mål\n13.30 Vad fungerar extra bra?\n14.00 Vad fungerar extra dåligt?\n14.30 Vi sorterar i teman\n15.00 Slut",
		interpreters: "arabiska, bosniska, persiska",
		access:       "Allt på entréplan, parkering för färdtjänst vid dörren. Stora stolar med armstöd. Vi skriver lappar åt dig om du vill.",
		daysAgo:      10, start: "13:00", end: "15:00", capacity: 25, signUps: 22, attended: 18,
		focus: []string{"elderly_care"}, roles: []string{"relative", "service_user"}, coFacilitator: "Pia Sjöberg",
	},
	{
		title: "Unga, beroende och psykisk hälsa (digitalt)", video: "https://video.demo.megafon.se/socialnamnden-unga",
		agenda:       "18.00 Hej! Hur mötet går till\n18.10 Vad fungerar extra bra?\n18.35 Vad fungerar extra dåligt?\n19.00 Teman\n19.15 Slut",
		interpreters: "tigrinja",
		access:       "Videomöte med textning. Du kan ha kameran avstängd och ringa in med telefon. Skriv i chatten eller i Megafon.",
		daysAgo:      4, start: "18:00", end: "19:15", capacity: 40, signUps: 28, attended: 20,
		focus: []string{"addiction", "mental_health", "children_families"}, roles: []string{"young_person", "staff"}, coFacilitator: "Emir Hadžić",
	},
	{
		title: "Funktionsstöd och socialpsykiatri", place: "Träffpunkt Dalhem, Stora salen",
		agenda:       "Välkomna och fika\nVad fungerar extra bra?\nVad fungerar extra dåligt?\nVi sorterar i teman\nVad händer sen?",
		interpreters: "arabiska, somaliska",
		access:       "Hörslinga, ramp vid entrén, tyst rum bredvid salen. Bildstöd till frågorna. Ledsagare och assistenter är välkomna.",
		capacity:     30, signUps: 24, attended: 17,
		focus: []string{"disability", "mental_health"}, roles: []string{"service_user", "relative"}, coFacilitator: "Malin Ek",
	},
}

// demoLine is one parsed line of demoNotes.
type demoLine struct {
	good, paper, withdrawer, dup bool
	role, mark, theme, text      string
}

var demoRoleLetters = map[rune]string{'u': "service_user", 'r': "relative", 'a': "association", 'b': "board_member", 's': "staff", 'y': "young_person", 'o': "other"}

func parseDemoNotes(block string) ([]demoLine, error) {
	var out []demoLine
	for _, line := range strings.Split(block, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		flags, rest, ok := strings.Cut(line, " ")
		theme, text, ok2 := strings.Cut(rest, ": ")
		if !ok || !ok2 || (flags[0] != '+' && flags[0] != '-') {
			return nil, fmt.Errorf("demo note %q", line)
		}
		l := demoLine{good: flags[0] == '+', theme: strings.TrimSpace(theme), text: text}
		for _, f := range flags[1:] {
			switch f {
			case 'x':
				l.paper = true
			case 'w':
				l.withdrawer = true
			case '=':
				l.dup = true
			case 'j':
				l.mark = "journey"
			case 'p':
				l.mark = "proposal"
			default:
				if l.role = demoRoleLetters[f]; l.role == "" {
					return nil, fmt.Errorf("demo note %q: flag %c", line, f)
				}
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// SeedDemo adds the process "Socialnämndens mål 2023" of the social
// administration: 60 participants of every role (four typed in from paper,
// two who withdrew), four workshops with sign-ups and attendance, and 180
// notes in themes. Its dates follow today: the workshops phase is current,
// three workshops were held in the last weeks and the fourth is on now,
// with both prompts open. It does nothing when the process exists.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	org, ok := city.Orgs[demo.SocialAdmin]
	facilitator := city.People["processledare@demo.megafon.se"]
	if !ok || facilitator == nil {
		return nil // no demo city to build on
	}
	now := app.Now()
	clock := now
	s := &workshop.Store{Store: &process.Store{DB: app.DB, Now: func() time.Time { return clock }, Keys: m.Keys}}
	if _, seeded, err := demoProcessID(ctx, s, org.ID, DemoTitle); err != nil || seeded {
		return err
	}
	rng := rand.New(rand.NewPCG(2023, 5))
	today := now.In(process.Stockholm)
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, process.Stockholm)

	// The invitation phase (four weeks) ended three weeks ago; the workshops
	// phase has three weeks to go.
	first := midnight.AddDate(0, 0, -48)
	n := demoProcess
	n.Start = first.Format(time.DateOnly)
	clock = first.AddDate(0, 0, -14).Add(10 * time.Hour)
	pid, err := s.CreateProcess(ctx, org.ID, n)
	if err != nil {
		return fmt.Errorf("demo process: %w", err)
	}
	p, err := s.Process(ctx, pid)
	if err != nil {
		return err
	}

	// Workshops, their prompts and themes.
	var workshops [4]workshop.Workshop
	var prompts [4][2]int64
	var lines [4][]demoLine
	themes := [4]map[string]int64{}
	for i, dm := range demoMeetings {
		if lines[i], err = parseDemoNotes(demoNotes[i]); err != nil {
			return err
		}
		day := midnight.AddDate(0, 0, -dm.daysAgo)
		for dm.daysAgo > 0 && (day.Weekday() == time.Saturday || day.Weekday() == time.Sunday) {
			day = day.AddDate(0, 0, -1)
		}
		start, end := dm.start, dm.end
		if dm.daysAgo == 0 {
			start, end = liveHours(today)
		}
		f := workshop.WorkshopForm{Title: dm.title, Date: day.Format(time.DateOnly), Start: start, End: end, Place: dm.place, VideoURL: dm.video,
			Agenda: dm.agenda, Facilitators: facilitator.Name + ", " + dm.coFacilitator, Interpreters: dm.interpreters,
			Accessibility: dm.access, Capacity: strconv.Itoa(dm.capacity)}
		w, err := f.Clean()
		if err != nil {
			return fmt.Errorf("demo workshop %d: %w", i+1, err)
		}
		w.ProcessID = p.ID
		clock = first.AddDate(0, 0, 2+i).Add(9 * time.Hour)
		if w.ID, err = s.SaveWorkshop(ctx, w); err != nil {
			return fmt.Errorf("demo workshop %d: %w", i+1, err)
		}
		workshops[i] = w
		clock = w.StartsAt.Add(10 * time.Minute)
		for k, q := range demoPrompts {
			if prompts[i][k], err = s.OpenPrompt(ctx, w.ID, q); err != nil {
				return err
			}
		}
		clock = w.StartsAt.Add(30 * time.Minute)
		themes[i] = map[string]int64{}
		for _, l := range lines[i] {
			if _, ok := themes[i][l.theme]; !ok && l.theme != "" {
				if themes[i][l.theme], err = s.AddTheme(ctx, w.ID, l.theme); err != nil {
					return err
				}
			}
		}
	}

	if err := seedDemoTranslations(ctx, s, p, workshops, prompts); err != nil {
		return err
	}

	people := make([]demoPerson, len(demoPeople))
	copy(people, demoPeople)
	for i := range people {
		if people[i].name == "" {
			people[i].name = "Bo Nämndsson"
			if u := city.People["ledamot@demo.megafon.se"]; u != nil {
				people[i].name = u.Name
			}
		}
	}
	// Who signed up for which workshop, and who came.
	seats := [4][]demoSeat{}
	for i, dm := range demoMeetings {
		taken := map[int]bool{}
		for k, pp := range people {
			if pp.paper == i+1 || pp.withdraws == i+1 {
				seats[i] = append(seats[i], demoSeat{k, true})
				taken[k] = true
			}
		}
		regular := func(k int) bool { return !taken[k] && people[k].paper == 0 && people[k].withdraws == 0 }
		weight := func(k int) float64 {
			w := 1.0
			for _, sv := range strings.Split(people[k].services, ",") {
				if slices.Contains(dm.focus, sv) {
					w += 3
					break
				}
			}
			if slices.Contains(dm.roles, people[k].role) {
				w += 2
			}
			return w
		}
		// First someone of every role that writes here, then the rest;
		// of those, as many came as the facilitator ticked in.
		for _, l := range lines[i] {
			if l.role == "" || l.paper || l.withdrawer || hasRole(people, seats[i], l.role) {
				continue
			}
			if k := pick(rng, len(people), func(k int) float64 {
				if !regular(k) || people[k].role != l.role {
					return 0
				}
				return weight(k)
			}); k >= 0 {
				seats[i] = append(seats[i], demoSeat{k, true})
				taken[k] = true
			}
		}
		came := len(seats[i])
		for len(seats[i]) < dm.signUps {
			k := pick(rng, len(people), func(k int) float64 {
				if !regular(k) {
					return 0
				}
				return weight(k)
			})
			if k < 0 {
				break
			}
			seats[i] = append(seats[i], demoSeat{k, false})
			taken[k] = true
		}
		rest := seats[i][came:]
		rng.Shuffle(len(rest), func(a, b int) { rest[a], rest[b] = rest[b], rest[a] })
		for k := 0; k < len(rest) && came < dm.attended; k++ {
			rest[k].attended = true
			came++
		}
	}

	// When each joined: at her first workshop's door, or in the weeks
	// before; the ones on paper were typed in after their workshop.
	invited := first.Add(9 * time.Hour)
	joinedAt := make([]time.Time, len(people))
	firstSeat := make([]int, len(people))
	for k := range firstSeat {
		firstSeat[k] = -1
	}
	for i := range seats {
		for _, st := range seats[i] {
			if firstSeat[st.person] < 0 {
				firstSeat[st.person] = i
			}
		}
	}
	atDoor := make([]bool, len(people))
	for k, pp := range people {
		u, door := rng.Float64(), rng.IntN(3) == 0
		switch w := firstSeat[k]; {
		case pp.paper > 0:
			joinedAt[k] = workshops[pp.paper-1].EndsAt.Add(30 * time.Minute)
		case w < 0:
			joinedAt[k] = invited.Add(time.Duration(u * float64(midnight.Add(-12*time.Hour).Sub(invited))))
		case door:
			joinedAt[k], atDoor[k] = workshops[w].StartsAt.Add(-time.Duration(5+int(u*25))*time.Minute), true
		default:
			joinedAt[k] = invited.Add(time.Duration(u * float64(workshops[w].StartsAt.Add(-24*time.Hour).Sub(invited))))
		}
	}
	// Insert in the order they joined, so the list reads as it happened.
	order := make([]int, len(people))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return joinedAt[order[a]].Before(joinedAt[order[b]]) })
	index := make([]int, len(people))
	joins := make([]demoJoin, len(people))
	for at, k := range order {
		index[k] = at
		pp := people[k]
		var services []string
		if pp.services != "" {
			services = strings.Split(pp.services, ",")
		}
		joins[at] = demoJoin{Joining: process.Joining{Name: pp.name, Role: pp.role, AgeBand: pp.age, Lang: pp.lang, Services: services, Consent: true},
			Paper: pp.paper > 0, At: joinedAt[k]}
	}
	var signUps []demoSignUp
	for i := range seats {
		for _, st := range seats[i] {
			at := joinedAt[st.person]
			if !atDoor[st.person] && people[st.person].paper == 0 {
				at = at.Add(time.Duration(rng.Float64() * float64(workshops[i].StartsAt.Add(-time.Hour).Sub(at))))
			}
			signUps = append(signUps, demoSignUp{Workshop: workshops[i], Participant: index[st.person], At: at.Add(time.Minute), Attended: st.attended})
		}
	}

	// The notes, by people who came, in the order of the lines.
	var posts []demoPost
	type merge struct{ dup, keep int }
	var merges []merge
	for i, ls := range lines {
		w := workshops[i]
		byRole := map[string][]int{}
		var anyone, paper []int
		withdrawer := -1
		for _, st := range seats[i] {
			pp := people[st.person]
			switch {
			case !st.attended:
			case pp.paper > 0:
				paper = append(paper, st.person)
			case pp.withdraws > 0:
				withdrawer = st.person
			default:
				byRole[pp.role] = append(byRole[pp.role], st.person)
				if pp.role != "staff" && pp.role != "board_member" {
					anyone = append(anyone, st.person)
				}
			}
		}
		from, span := w.StartsAt.Add(20*time.Minute), w.EndsAt.Sub(w.StartsAt)-40*time.Minute
		if demoMeetings[i].daysAgo == 0 {
			from = w.StartsAt.Add(15 * time.Minute)
			if span = now.Add(-2 * time.Minute).Sub(from); span < time.Minute {
				from, span = now.Add(-time.Minute), time.Minute
			}
		}
		keep, papers := -1, 0
		for k, l := range ls {
			author := -1
			switch {
			case l.paper && len(paper) > 0:
				author = paper[papers%len(paper)]
			case l.withdrawer && withdrawer >= 0:
				author = withdrawer
			case len(byRole[l.role]) > 0:
				author = byRole[l.role][rng.IntN(len(byRole[l.role]))]
			case len(anyone) > 0:
				author = anyone[rng.IntN(len(anyone))]
			default:
				return fmt.Errorf("demo workshop %d: nobody came to write %q", i+1, l.text)
			}
			prompt := prompts[i][1]
			if l.good {
				prompt = prompts[i][0]
			}
			at := from.Add(span * time.Duration(k) / time.Duration(len(ls)))
			if l.paper {
				at = w.EndsAt.Add(35*time.Minute + time.Duration(papers)*time.Minute)
				papers++
			}
			if l.dup && keep >= 0 {
				merges = append(merges, merge{len(posts), keep})
			} else {
				keep = len(posts)
			}
			posts = append(posts, demoPost{WorkshopID: w.ID, PromptID: prompt, ThemeID: themes[i][l.theme], Participant: index[author], Paper: l.paper,
				Text: l.text, Mark: l.mark, Nonce: fmt.Sprintf("demo-%d-%d-%02d", p.ID, i+1, k), At: at})
		}
	}
	pids, nids, err := insertDemo(ctx, s, p, facilitator.ID, joins, signUps, posts)
	if err != nil {
		return err
	}

	for _, mg := range merges {
		if err := s.MergeNote(ctx, posts[mg.dup].WorkshopID, nids[mg.dup], nids[mg.keep]); err != nil {
			return fmt.Errorf("demo merge: %w", err)
		}
	}
	for i, dm := range demoMeetings {
		if dm.daysAgo == 0 {
			continue // on now: the prompts stay open
		}
		for _, id := range prompts[i] {
			if err := s.SetPromptOpen(ctx, workshops[i].ID, id, false); err != nil {
				return err
			}
		}
	}
	for k, pp := range people {
		if pp.withdraws == 0 {
			continue
		}
		clock = workshops[pp.withdraws-1].EndsAt.Add(36 * time.Hour)
		if err := s.Withdraw(ctx, pids[index[k]]); err != nil {
			return fmt.Errorf("demo withdrawal: %w", err)
		}
	}
	return nil
}

// liveHours are the hours of the workshop on now: from the last full hour
// but one, for three hours, within today.
func liveHours(now time.Time) (string, string) {
	start := now.Truncate(time.Hour).Add(-time.Hour)
	if start.Day() != now.Day() {
		start = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	}
	end := start.Add(3 * time.Hour)
	if end.Day() != now.Day() {
		return start.Format("15:04"), "23:59"
	}
	return start.Format("15:04"), end.Format("15:04")
}

// pick draws an index in [0, n) with the weights given (0: never); -1
// when every weight is 0.
func pick(rng *rand.Rand, n int, weight func(int) float64) int {
	total := 0.0
	for k := 0; k < n; k++ {
		total += weight(k)
	}
	if total == 0 {
		return -1
	}
	r := rng.Float64() * total
	for k := 0; k < n; k++ {
		if w := weight(k); w > 0 {
			if r < w {
				return k
			}
			r -= w
		}
	}
	for k := n - 1; k >= 0; k-- {
		if weight(k) > 0 {
			return k
		}
	}
	return -1
}

// demoSeat is a participant signed up for a demo workshop.
type demoSeat struct {
	person   int
	attended bool
}

// hasRole reports whether someone of role, who writes on her phone, came.
func hasRole(people []demoPerson, seats []demoSeat, role string) bool {
	for _, st := range seats {
		pp := people[st.person]
		if st.attended && pp.role == role && pp.paper == 0 && pp.withdraws == 0 {
			return true
		}
	}
	return false
}
