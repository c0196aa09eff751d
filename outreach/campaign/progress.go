package campaign

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// reachedOutcomes are the outcomes where someone answered.
var reachedOutcomes = map[Outcome]bool{Completed: true, Declined: true, Callback: true, OtherLanguage: true, DoNotCall: true}

// Tally is the calls of one slice of a campaign (a language, a district,
// a group, a day).
type Tally struct {
	Key       string `json:"key"`
	Label     string `json:"label,omitempty"`
	Calls     int    `json:"calls"`
	Completed int    `json:"completed"`
}

// Progress is how far a campaign has come. Nothing in it is personal.
type Progress struct {
	Goal      int `json:"goal"`
	Completed int `json:"completed"`
	Calls     int `json:"calls"`
	// Funnel: contacts queued, tried at least once, reached, completed.
	Contacts int `json:"contacts"`
	Tried    int `json:"tried"`
	Reached  int `json:"reached"`
	Left     int `json:"left"` // still to call (queued, not done)
	// AvgSeconds is the mean length of a completed call.
	AvgSeconds int             `json:"avg_seconds"`
	Outcomes   map[Outcome]int `json:"outcomes"`
	ByLanguage []Tally         `json:"by_language"`
	ByDistrict []Tally         `json:"by_district"`
	ByGroup    []Tally         `json:"by_group"`
	ByDay      []Tally         `json:"by_day"`
	Questions  int             `json:"questions"`
	Escalated  int             `json:"escalated"`
}

// Percent is the share of the goal reached, at most 100.
func (p Progress) Percent() int {
	if p.Goal <= 0 {
		return 0
	}
	return min(100, p.Completed*100/p.Goal)
}

// Progress counts the campaign's queue and calls. Group tallies are keyed
// by the group's id and labelled with its name.
func (s *Store) Progress(ctx context.Context, c Campaign) (Progress, error) {
	p := Progress{Goal: c.Goal, Outcomes: map[Outcome]int{}}
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0)
		FROM campaign_queue WHERE campaign_id = $1`, c.ID).Scan(&p.Contacts, &p.Tried, &p.Left)
	if err != nil {
		return p, fmt.Errorf("progress of campaign %d: %w", c.ID, err)
	}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(DISTINCT contact_id) FROM campaign_calls WHERE campaign_id = $1
		AND outcome IN ('completed', 'declined', 'callback', 'other_language', 'do_not_call')`, c.ID).Scan(&p.Reached); err != nil {
		return p, fmt.Errorf("progress of campaign %d: %w", c.ID, err)
	}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN escalated_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM resident_questions
		WHERE source = 'campaign' AND campaign_id = $1`, c.ID).Scan(&p.Questions, &p.Escalated); err != nil {
		return p, fmt.Errorf("progress of campaign %d: %w", c.ID, err)
	}
	// The slices are grouped by the database; days are grouped here,
	// because a Stockholm calendar day is computed differently by each.
	byLang, byDistrict, byGroup := map[string]*Tally{}, map[string]*Tally{}, map[string]*Tally{}
	rows, err := s.DB.Query(ctx, `SELECT k.language, k.district, k.org_id, COALESCE(o.name, ''), k.outcome, COUNT(*), SUM(k.duration_seconds)
		FROM campaign_calls k LEFT JOIN orgs o ON o.id = k.org_id
		WHERE k.campaign_id = $1 GROUP BY k.language, k.district, k.org_id, o.name, k.outcome`, c.ID)
	if err != nil {
		return p, fmt.Errorf("progress of campaign %d: %w", c.ID, err)
	}
	var completedSeconds int64
	for rows.Next() {
		var lang, district, orgName, outcome string
		var orgID int64
		var n int
		var seconds int64
		if err := rows.Scan(&lang, &district, &orgID, &orgName, &outcome, &n, &seconds); err != nil {
			rows.Close()
			return p, err
		}
		o := Outcome(outcome)
		p.Calls += n
		p.Outcomes[o] += n
		done := 0
		if o == Completed {
			done = n
			p.Completed += n
			completedSeconds += seconds
		}
		add(byLang, lang, "", n, done)
		add(byDistrict, district, "", n, done)
		add(byGroup, fmt.Sprint(orgID), orgName, n, done)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	if p.Completed > 0 {
		p.AvgSeconds = int(completedSeconds / int64(p.Completed))
	}
	days := map[string]*Tally{}
	drows, err := s.DB.Query(ctx, `SELECT ended_at, outcome FROM campaign_calls WHERE campaign_id = $1`, c.ID)
	if err != nil {
		return p, fmt.Errorf("progress of campaign %d by day: %w", c.ID, err)
	}
	defer drows.Close()
	for drows.Next() {
		var at time.Time
		var outcome string
		if err := drows.Scan(&at, &outcome); err != nil {
			return p, err
		}
		done := 0
		if outcome == string(Completed) {
			done = 1
		}
		add(days, at.In(stockholm).Format(time.DateOnly), "", 1, done)
	}
	if err := drows.Err(); err != nil {
		return p, err
	}
	p.ByLanguage, p.ByDistrict, p.ByGroup = sorted(byLang, false), sorted(byDistrict, false), sorted(byGroup, false)
	p.ByDay = sorted(days, true)
	return p, nil
}

func add(m map[string]*Tally, key, label string, calls, completed int) {
	t := m[key]
	if t == nil {
		t = &Tally{Key: key, Label: label}
		m[key] = t
	}
	t.Calls += calls
	t.Completed += completed
}

// sorted lists tallies by most completed first, or by key (days).
func sorted(m map[string]*Tally, byKey bool) []Tally {
	out := make([]Tally, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if !byKey && out[i].Completed != out[j].Completed {
			return out[i].Completed > out[j].Completed
		}
		return out[i].Key < out[j].Key
	})
	return out
}

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// ExportRow is one call in an export: no name, number or contact id, and
// no free text (a resident may have named someone in it).
type ExportRow struct {
	EndedAt  time.Time
	Group    string
	Language string
	District string
	Attempt  int
	Outcome  Outcome
	Other    string
	Seconds  int
	Answers  map[string]string
	Topics   string
}

// Export returns the campaign's calls, oldest first, for CSV and XLSX: every
// group's when all is set, else only those of groups (see ExportGroups).
func (s *Store) Export(ctx context.Context, c Campaign, groups []int64, all bool, each func(ExportRow) error) error {
	q := `SELECT k.ended_at, COALESCE(o.name, ''), k.language, k.district, k.attempt, k.outcome, k.other_language,
		k.duration_seconds, k.answers, k.asked_topics
		FROM campaign_calls k LEFT JOIN orgs o ON o.id = k.org_id WHERE k.campaign_id = $1`
	args := []any{c.ID}
	if !all {
		// Only these groups' calls; no groups, no rows.
		q += ` AND k.org_id IN (0`
		for _, g := range groups {
			args = append(args, g)
			q += fmt.Sprintf(", $%d", len(args))
		}
		q += `)`
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY k.ended_at, k.id`, args...)
	if err != nil {
		return fmt.Errorf("export campaign %d: %w", c.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ExportRow
		var outcome, answers string
		if err := rows.Scan(&r.EndedAt, &r.Group, &r.Language, &r.District, &r.Attempt, &outcome, &r.Other, &r.Seconds, &answers, &r.Topics); err != nil {
			return fmt.Errorf("export campaign %d: %w", c.ID, err)
		}
		r.Outcome = Outcome(outcome)
		r.Answers = decodeAnswers(answers)
		if err := each(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AvgDuration is the mean length of a completed call as m:ss.
func (p Progress) AvgDuration() string {
	return fmt.Sprintf("%d:%02d", p.AvgSeconds/60, p.AvgSeconds%60)
}
