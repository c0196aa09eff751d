package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
)

// Store keeps campaigns, their queue, calls and questions.
type Store struct {
	DB  *db.DB
	Now func() time.Time
}

// NewStore returns a store on d with the real clock.
func NewStore(d *db.DB) *Store { return &Store{DB: d, Now: time.Now} }

func (s *Store) now() time.Time { return db.Now(s.Now()) }

const campaignColumns = `id, operation_id, name, goal, starts_on, ends_on, languages, districts,
	COALESCE(script_entry_id, 0), entry_ids, questions, retry_rules, lease_minutes, created_at`

func scanCampaign(row interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var langs, districts, entries, questions, rules string
	if err := row.Scan(&c.ID, &c.OperationID, &c.Name, &c.Goal, &c.StartsOn, &c.EndsOn, &langs, &districts,
		&c.ScriptEntryID, &entries, &questions, &rules, &c.LeaseMinutes, &c.CreatedAt); err != nil {
		return c, err
	}
	c.Languages, c.Districts = splitList(langs), splitList(districts)
	for _, e := range splitList(entries) {
		if id, err := strconv.ParseInt(e, 10, 64); err == nil {
			c.EntryIDs = append(c.EntryIDs, id)
		}
	}
	if err := json.Unmarshal([]byte(questions), &c.Questions); err != nil {
		return c, fmt.Errorf("campaign %d questions: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(rules), &c.Rules); err != nil {
		return c, fmt.Errorf("campaign %d retry rules: %w", c.ID, err)
	}
	return c, nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Get returns the campaign with id, with its groups.
func (s *Store) Get(ctx context.Context, id int64) (Campaign, error) {
	c, err := scanCampaign(s.DB.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("campaign %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("campaign %d: %w", id, err)
	}
	c.GroupIDs, err = s.groups(ctx, id)
	return c, err
}

func (s *Store) groups(ctx context.Context, id int64) ([]int64, error) {
	rows, err := s.DB.Query(ctx, `SELECT org_id FROM campaign_groups WHERE campaign_id = $1 ORDER BY org_id`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %d groups: %w", id, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var g int64
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ForOperations returns the campaigns of the operations, newest first.
func (s *Store) ForOperations(ctx context.Context, opIDs []int64) ([]Campaign, error) {
	if len(opIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(opIDs))
	marks := make([]string, len(opIDs))
	for i, id := range opIDs {
		args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE operation_id IN (`+strings.Join(marks, ",")+`) ORDER BY starts_on DESC, id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].GroupIDs, err = s.groups(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Create saves a new campaign in the operation from a cleaned draft.
func (s *Store) Create(ctx context.Context, by *auth.User, opID int64, d Draft) (int64, error) {
	now := s.now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (operation_id, name, goal, starts_on, ends_on, languages, districts,
			script_entry_id, entry_ids, questions, retry_rules, lease_minutes, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
			opID, d.Name, d.Goal, d.StartsOn, d.EndsOn, strings.Join(d.Languages, ","), strings.Join(d.Districts, ","),
			nullID(d.ScriptEntryID), joinIDs(d.EntryIDs), encodeJSON(questionsOrEmpty(d.Questions)), encodeJSON(d.Rules),
			d.LeaseMinutes, by.ID, now).Scan(&id)
		if err != nil {
			return err
		}
		return putGroups(ctx, tx, id, d.GroupIDs)
	})
	if err != nil {
		return 0, fmt.Errorf("create campaign: %w", err)
	}
	return id, nil
}

func questionsOrEmpty(qs []Question) []Question {
	if qs == nil {
		return []Question{}
	}
	return qs
}

func putGroups(ctx context.Context, tx *sql.Tx, id int64, groups []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_groups WHERE campaign_id = $1`, id); err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_groups (campaign_id, org_id) VALUES ($1, $2)`, id, g); err != nil {
			return err
		}
	}
	return nil
}

// Update saves a cleaned draft over the campaign. A group that no longer
// takes part keeps its queue rows, but nobody can claim them: claims are
// limited to the campaign's groups.
func (s *Store) Update(ctx context.Context, id int64, d Draft) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET name = $2, goal = $3, starts_on = $4, ends_on = $5, languages = $6,
			districts = $7, script_entry_id = $8, entry_ids = $9, questions = $10, retry_rules = $11, lease_minutes = $12, updated_at = $13
			WHERE id = $1`,
			id, d.Name, d.Goal, d.StartsOn, d.EndsOn, strings.Join(d.Languages, ","), strings.Join(d.Districts, ","),
			nullID(d.ScriptEntryID), joinIDs(d.EntryIDs), encodeJSON(questionsOrEmpty(d.Questions)), encodeJSON(d.Rules),
			d.LeaseMinutes, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_queue WHERE campaign_id = $1 AND attempts = 0 AND state = 'queued'
			AND next_at <= $2 AND org_id NOT IN (`+joinIDsOrZero(d.GroupIDs)+`)`, id, s.now()); err != nil {
			return err
		}
		return putGroups(ctx, tx, id, d.GroupIDs)
	})
	if err != nil {
		return fmt.Errorf("update campaign %d: %w", id, err)
	}
	return nil
}

// joinIDsOrZero is an IN list of ids (numbers only, so safe to inline).
func joinIDsOrZero(ids []int64) string {
	if len(ids) == 0 {
		return "0"
	}
	return joinIDs(ids)
}

// TranslateQuestions saves one language's translations of the campaign's
// questions (QuestionsDraft.Apply). It writes only over the questions it
// read, so a coordinator's edit of the Swedish in between is applied to
// rather than lost.
func (s *Store) TranslateQuestions(ctx context.Context, id int64, d QuestionsDraft) error {
	for range 3 {
		var before string
		if err := s.DB.QueryRow(ctx, `SELECT questions FROM campaigns WHERE id = $1`, id).Scan(&before); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				err = db.ErrNotFound
			}
			return fmt.Errorf("translate campaign %d questions: %w", id, err)
		}
		var qs []Question
		if err := json.Unmarshal([]byte(before), &qs); err != nil {
			return fmt.Errorf("translate campaign %d questions: %w", id, err)
		}
		res, err := s.DB.Exec(ctx, `UPDATE campaigns SET questions = $2, updated_at = $3 WHERE id = $1 AND questions = $4`,
			id, encodeJSON(questionsOrEmpty(d.Apply(qs))), s.now(), before)
		if err != nil {
			return fmt.Errorf("translate campaign %d questions: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
	}
	return fmt.Errorf("translate campaign %d questions: changed by others three times", id)
}
