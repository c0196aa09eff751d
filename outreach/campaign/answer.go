package campaign

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"megafon/outreach/question"
	"megafon/platform/db"
)

// PriorityAnswer is a callback with the verified answer to a question the
// resident asked on a call: it comes before every other call, since she
// is waiting for it and the answer may be urgent. It is stored as 0,
// below PriorityCallback.
const PriorityAnswer Priority = 0

// AnswerCallback is a callback with an answer: the handbook entry that
// answers what the resident asked, in the language she asked in.
type AnswerCallback struct {
	EntryID  int64
	Language string
}

// callableFunc reports whether the contact register may still call a
// contact (Contacts.Callable).
type callableFunc func(ctx context.Context, contactID int64) (bool, error)

// QueueAnswerCallbacks runs in the transaction that verifies an answer
// (question.Store.OnAnswered): every question of it asked on a campaign
// call whose resident agreed to be called back puts that call's queue
// entry back in the queue, due now, before everything else, for a
// volunteer who speaks the question's language; at most once per question.
// A contact that callable refuses (on the do-not-call list, deleted) is
// never called back, nor one whose last outcome was "do not call again"
// or "wrong number" (the answer would reach a stranger).
// An entry another volunteer holds right now keeps her lease: her call
// began before the answer, so her screen does not show it, and her
// outcome is followed by the callback (RecordOutcome); if she records
// none, the callback is due when her lease ends. Taking the contact from
// her mid-call would have two volunteers dial one resident. It returns
// how many callbacks it queued.
func (s *Store) QueueAnswerCallbacks(ctx context.Context, tx *sql.Tx, callable callableFunc, a question.Answer) (int, error) {
	now := s.now()
	queued := 0
	for _, q := range a.Questions {
		if q.Source != question.FromCampaign || !q.Callback || q.CallID == 0 {
			continue
		}
		var queueID, contactID int64
		var langs, last string
		err := tx.QueryRowContext(ctx, `SELECT k.queue_id, k.contact_id, e.languages, e.last_outcome FROM campaign_calls k
			JOIN campaign_queue e ON e.id = k.queue_id WHERE k.id = $1`, q.CallID).Scan(&queueID, &contactID, &langs, &last)
		if errors.Is(err, sql.ErrNoRows) {
			continue // the call is gone with its campaign
		}
		if err != nil {
			return queued, fmt.Errorf("answer callback of question %d: %w", q.ID, err)
		}
		if last == string(DoNotCall) || last == string(WrongNumber) || last == "removed" {
			continue // she said so, the number is no longer hers, or she left the register
		}
		if callable == nil {
			continue // no register to ask: nobody could call her anyway
		}
		ok, err := callable(ctx, contactID)
		if err != nil {
			return queued, fmt.Errorf("answer callback of question %d: %w", q.ID, err)
		}
		if !ok {
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO campaign_answer_callbacks (question_id, queue_id, entry_id, version_id, language, languages_before, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (question_id) DO NOTHING`, q.ID, queueID, a.EntryID, a.VersionID, q.Language, langs, now)
		if err != nil {
			return queued, fmt.Errorf("answer callback of question %d: %w", q.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // queued at an earlier verification
		}
		if err := requeueForAnswer(ctx, tx, queueID, q.Language, now); err != nil {
			return queued, fmt.Errorf("answer callback of question %d: %w", q.ID, err)
		}
		queued++
	}
	return queued, nil
}

// requeueForAnswer puts the entry at the head of the queue for speakers
// of lang: due now, or when the lease of a volunteer who holds it ends.
func requeueForAnswer(ctx context.Context, tx *sql.Tx, queueID int64, lang string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE campaign_queue SET state = 'queued', priority = $1, languages = $2, callback_at = NULL,
		next_at = CASE WHEN state = 'queued' AND lease_holder IS NOT NULL AND lease_until > $3 THEN lease_until ELSE $3 END
		WHERE id = $4`, int(PriorityAnswer), wrapLangs([]string{lang}), now, queueID)
	return err
}

// settleAnswerCallbacks runs when an outcome of the entry is recorded, in
// its transaction: the callbacks the volunteer was shown (those made
// before she took the contact, see AnswerCallbacks) are done; one that
// came while she held it is queued again after her call, unless the
// resident must not be called again or the number is not hers.
func settleAnswerCallbacks(ctx context.Context, tx *sql.Tx, l Lease, outcome Outcome, now time.Time) error {
	shown := l.Started
	if shown.IsZero() {
		shown = now
	}
	// The languages the entry had before the first of them narrowed it.
	var before string
	err := tx.QueryRowContext(ctx, `SELECT languages_before FROM campaign_answer_callbacks WHERE queue_id = $1 AND done_at IS NULL AND created_at <= $2
		ORDER BY id LIMIT 1`, l.EntryID, db.Now(shown)).Scan(&before)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("settle answer callbacks of entry %d: %w", l.EntryID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE campaign_answer_callbacks SET done_at = $1 WHERE queue_id = $2 AND done_at IS NULL AND created_at <= $3`,
		now, l.EntryID, db.Now(shown)); err != nil {
		return fmt.Errorf("settle answer callbacks of entry %d: %w", l.EntryID, err)
	}
	if outcome == DoNotCall || outcome == WrongNumber {
		return nil
	}
	var lang string
	err = tx.QueryRowContext(ctx, `SELECT language FROM campaign_answer_callbacks WHERE queue_id = $1 AND done_at IS NULL ORDER BY id DESC LIMIT 1`,
		l.EntryID).Scan(&lang)
	switch {
	case err == nil:
		err = requeueForAnswer(ctx, tx, l.EntryID, lang, now)
	case errors.Is(err, sql.ErrNoRows) && before != "" && outcome != OtherLanguage:
		// The answer is given: her retries, if any, go to any of her
		// languages again.
		_, err = tx.ExecContext(ctx, `UPDATE campaign_queue SET languages = $1 WHERE id = $2`, before, l.EntryID)
	case errors.Is(err, sql.ErrNoRows):
		err = nil
	}
	if err != nil {
		return fmt.Errorf("settle answer callbacks of entry %d: %w", l.EntryID, err)
	}
	return nil
}

// AnswerCallbacks lists the answers the volunteer holding l calls back
// with: those queued before she took the contact and not yet done, each
// answer once.
func (s *Store) AnswerCallbacks(ctx context.Context, l Lease) ([]AnswerCallback, error) {
	shown := l.Started
	if shown.IsZero() {
		shown = s.now()
	}
	rows, err := s.DB.Query(ctx, `SELECT entry_id, language FROM campaign_answer_callbacks
		WHERE queue_id = $1 AND done_at IS NULL AND created_at <= $2 ORDER BY id`, l.EntryID, db.Now(shown))
	if err != nil {
		return nil, fmt.Errorf("answer callbacks of entry %d: %w", l.EntryID, err)
	}
	defer rows.Close()
	var out []AnswerCallback
	seen := map[int64]bool{}
	for rows.Next() {
		var c AnswerCallback
		if err := rows.Scan(&c.EntryID, &c.Language); err != nil {
			return nil, fmt.Errorf("answer callbacks of entry %d: %w", l.EntryID, err)
		}
		if !seen[c.EntryID] {
			seen[c.EntryID] = true
			out = append(out, c)
		}
	}
	return out, rows.Err()
}
