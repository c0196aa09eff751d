package calls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/redact"
)

// Limits of the call log.
const (
	// MaxQuestions is how many of the resident's questions one log
	// takes: a help-line call is short, and the form stays one screen.
	MaxQuestions = 3
	// MaxManualDuration bounds a call logged by hand.
	MaxManualDuration = 4 * time.Hour
)

// LogDraft is what a volunteer writes after a call.
type LogDraft struct {
	Lang       string
	Topics     []string
	Answered   bool
	Referral   bool  // a referral was filed for the resident
	ReferralID int64 // which, when she says
	Questions  []question.Draft
	Key        string // the form's idempotency token
}

// QuestionField is the form field of a question's field name ("text",
// "summary") in the log form: q0_text.
func QuestionField(i int, name string) string { return fmt.Sprintf("q%d_%s", i, name) }

// Clean checks a log against the line's languages and cleans its
// questions (question.Draft.Clean: masked, bounded), and returns every
// problem at once, the questions' under their fields in the form. A
// question with neither text nor topics of its own is dropped: an empty
// block of the form.
func (d *LogDraft) Clean(line Line) (redact.Found, error) {
	var l problem.List
	var found redact.Found
	d.Lang = strings.TrimSpace(d.Lang)
	if !line.Offers(d.Lang) {
		l.Add("lang", "calls.error.language")
	}
	for _, t := range d.Topics {
		if !slices.Contains(handbook.Topics, t) {
			l.Add("topics", "calls.error.topic")
			break
		}
	}
	d.Topics = slices.Compact(slices.Sorted(slices.Values(d.Topics)))
	if !validKey(d.Key) {
		l = append(l, problem.New(problem.BadRequest, "calls.error.form_expired"))
	}
	if len(d.Questions) > MaxQuestions {
		l = append(l, problem.New(problem.BadRequest, "error.bad_request"))
	}
	var kept []question.Draft
	for i, q := range d.Questions {
		if strings.TrimSpace(q.Text) == "" && strings.TrimSpace(q.Summary) == "" && !q.Escalate {
			continue
		}
		q.Source = question.FromHelpLine
		if q.Language == "" {
			q.Language = d.Lang
		}
		if len(q.Topics) == 0 {
			q.Topics = d.Topics
		}
		q.Key = fmt.Sprintf("%s-q%d", d.Key, i)
		f, err := q.Clean()
		if err != nil {
			ps, _ := problem.As(err)
			for _, p := range ps {
				c := *p
				if c.Field != "" {
					c.Field = QuestionField(i, c.Field)
				}
				l = append(l, &c)
			}
			continue
		}
		found.Identity, found.Phone, found.Email = found.Identity || f.Identity, found.Phone || f.Phone, found.Email || f.Email
		kept = append(kept, q)
	}
	d.Questions = kept
	return found, l.Err()
}

// validKey is a form token as the pages make it: 32 hex digits.
func validKey(k string) bool {
	if len(k) != 32 {
		return false
	}
	for _, r := range k {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// ToLog lists the calls personID answered and has not logged yet, the
// oldest first: her "calls to log".
func (s *Store) ToLog(ctx context.Context, personID int64) ([]Call, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+callColumns+` WHERE answered_by = $1 AND logged_at IS NULL ORDER BY started_at, id`, personID)
	if err != nil {
		return nil, fmt.Errorf("calls to log: %w", err)
	}
	defer rows.Close()
	var out []Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, fmt.Errorf("calls to log: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountToLog counts them, for her start page.
func (s *Store) CountToLog(ctx context.Context, personID int64) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM helpline_calls WHERE answered_by = $1 AND logged_at IS NULL`, personID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count calls to log: %w", err)
	}
	return n, nil
}

var errKeyTaken = problem.New(problem.Conflict, "calls.error.key_taken")

// Log saves the log of call callID that personID answered, in her group
// groupID, with the resident's questions in the questions domain, all in
// one transaction: a question refused leaves nothing saved. A call is
// logged once: the same form again (a double tap) returns dup; another
// log of a logged call is refused. d must be Clean.
func (s *Store) Log(ctx context.Context, callID, personID, groupID int64, d LogDraft) (dup bool, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		dup, err = s.logTx(ctx, tx, callID, personID, groupID, d)
		return err
	})
	return dup, s.logErr(ctx, err, d.Key, callID, &dup)
}

func (s *Store) logErr(ctx context.Context, err error, key string, callID int64, dup *bool) error {
	if db.IsUniqueViolation(err) {
		// Two taps raced: the other saved it.
		var logged int64
		if e := s.DB.WriteRow(ctx, `SELECT call_id FROM helpline_call_logs WHERE idempotency_key = $1`, key).Scan(&logged); e == nil && (callID == 0 || logged == callID) {
			*dup = true
			return nil
		}
		return errKeyTaken
	}
	if _, ok := problem.As(err); ok {
		return err
	}
	if err != nil {
		return fmt.Errorf("log call %d: %w", callID, err)
	}
	return nil
}

func (s *Store) logTx(ctx context.Context, tx *sql.Tx, callID, personID, groupID int64, d LogDraft) (bool, error) {
	var keyCall int64
	err := tx.QueryRowContext(ctx, `SELECT call_id FROM helpline_call_logs WHERE idempotency_key = $1`, d.Key).Scan(&keyCall)
	if err == nil {
		if keyCall == callID {
			return true, nil
		}
		return false, errKeyTaken
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	var answeredBy sql.NullInt64
	var logged sql.NullTime
	var op int64
	err = tx.QueryRowContext(ctx, `SELECT c.answered_by, c.logged_at, h.operation_id FROM helpline_calls c JOIN helplines h ON h.id = c.helpline_id
		WHERE c.id = $1`, callID).Scan(&answeredBy, &logged, &op)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && answeredBy.Int64 != personID) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, err
	}
	if logged.Valid {
		return false, problem.New(problem.Conflict, "calls.error.logged")
	}
	now := s.now()
	var refID any
	if d.Referral && d.ReferralID > 0 {
		refID = d.ReferralID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO helpline_call_logs (call_id, logged_by, group_id, lang, topics, answered, referral, referral_id,
		questions, logged_at, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		callID, personID, groupID, d.Lang, strings.Join(d.Topics, ","), d.Answered, d.Referral, refID, len(d.Questions), now, d.Key); err != nil {
		return false, err
	}
	// The log's language is the call's when the menu had none (a call
	// logged by hand, or a caller who spoke to her in another).
	if _, err := tx.ExecContext(ctx, `UPDATE helpline_calls SET logged_at = $1, lang = $2 WHERE id = $3`, now, d.Lang, callID); err != nil {
		return false, err
	}
	for _, q := range d.Questions {
		q.OperationID, q.Source, q.CallID, q.AskedBy, q.OrgID = op, question.FromHelpLine, callID, personID, groupID
		if _, _, err := s.Questions.RecordTx(ctx, tx, q); err != nil {
			return false, err
		}
	}
	return false, nil
}

// ManualCall is a call a volunteer took on a shared phone without a
// provider, logged by hand.
type ManualCall struct {
	LineID    int64
	StartedAt time.Time
	Duration  time.Duration
}

// LogManual records a call personID took by hand and its log in one
// transaction; the form's key is the call's id with the provider
// "manual", so a double tap records one call. It returns the call's id.
func (s *Store) LogManual(ctx context.Context, personID, groupID int64, m ManualCall, d LogDraft) (id int64, dup bool, err error) {
	now := s.now()
	var l problem.List
	if m.StartedAt.IsZero() || m.StartedAt.After(now.Add(time.Minute)) || m.StartedAt.Before(now.Add(-30*24*time.Hour)) {
		l.Add("started_at", "calls.error.started_at")
	}
	if m.Duration < 0 || m.Duration > MaxManualDuration {
		l.Add("minutes", "calls.error.minutes", "Max", int(MaxManualDuration/time.Minute))
	}
	if err := l.Err(); err != nil {
		return 0, false, err
	}
	start := db.Now(m.StartedAt)
	// A call she missed on the shared phone is hers to log all the same.
	outcome, answeredAt := NoAnswer, any(nil)
	if d.Answered {
		outcome, answeredAt = Answered, start
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM helpline_calls WHERE provider = $1 AND provider_call_id = $2`, Manual, d.Key).Scan(&id)
		if err == nil {
			dup = true
			var by sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT answered_by FROM helpline_calls WHERE id = $1`, id).Scan(&by); err != nil {
				return err
			}
			if by.Int64 != personID {
				return errKeyTaken
			}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO helpline_calls (helpline_id, provider, provider_call_id, lang, outcome, answered_by,
			started_at, answered_at, ended_at, duration_seconds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			m.LineID, Manual, d.Key, d.Lang, string(outcome), personID, start, answeredAt, db.Now(start.Add(m.Duration)), int64(m.Duration/time.Second)).Scan(&id)
		if err != nil {
			return err
		}
		_, err = s.logTx(ctx, tx, id, personID, groupID, d)
		return err
	})
	if db.IsUniqueViolation(err) {
		if e := s.DB.WriteRow(ctx, `SELECT id FROM helpline_calls WHERE provider = $1 AND provider_call_id = $2 AND answered_by = $3`,
			Manual, d.Key, personID).Scan(&id); e == nil {
			return id, true, nil
		}
		return 0, false, errKeyTaken
	}
	if _, ok := problem.As(err); ok {
		return 0, false, err
	}
	if err != nil {
		return 0, false, fmt.Errorf("log a call by hand: %w", err)
	}
	return id, dup, nil
}

// CallLog is a logged call as its log page shows it again.
type CallLog struct {
	CallID    int64
	Lang      string
	Topics    []string
	Answered  bool
	Referral  bool
	Questions int
	LoggedAt  time.Time
}

// LogOf returns the log of a call.
func (s *Store) LogOf(ctx context.Context, callID int64) (CallLog, error) {
	var l CallLog
	var topics string
	err := s.DB.QueryRow(ctx, `SELECT call_id, lang, topics, answered, referral, questions, logged_at FROM helpline_call_logs WHERE call_id = $1`,
		callID).Scan(&l.CallID, &l.Lang, &topics, &l.Answered, &l.Referral, &l.Questions, &l.LoggedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return CallLog{}, ErrNotFound
	}
	if err != nil {
		return CallLog{}, fmt.Errorf("log of call %d: %w", callID, err)
	}
	if topics != "" {
		l.Topics = strings.Split(topics, ",")
	}
	return l, nil
}
