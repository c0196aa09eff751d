package question

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/operation"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
)

// Store keeps residents' questions.
type Store struct {
	DB  *db.DB
	Now func() time.Time

	// onAnswered runs in the transaction that verifies an answer, for
	// every question it answers: notices, callbacks.
	onAnswered []func(ctx context.Context, tx *sql.Tx, a Answer) error
}

// Answer is a verified handbook version and the questions it answers: the
// ones answered with it and those merged into them.
type Answer struct {
	OperationID int64
	EntryID     int64
	VersionID   int64
	By          *auth.User
	Questions   []Question
}

// OnAnswered adds f to what runs, inside the verifying transaction, when
// questions are answered.
func (s *Store) OnAnswered(f func(ctx context.Context, tx *sql.Tx, a Answer) error) {
	s.onAnswered = append(s.onAnswered, f)
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

// Problems people see.
var (
	ErrNotFound   = problem.New(problem.NotFound, "error.not_found")
	errNotOpen    = problem.New(problem.Conflict, "question.error.not_open")
	errMergeSelf  = problem.Field("from", "question.error.merge_self")
	errMergeNone  = problem.Field("from", "question.error.merge_none")
	errMergeOther = problem.New(problem.Conflict, "question.error.merge_other")
	errEntry      = problem.Field("entry", "question.error.entry")
)

const columns = `q.id, q.operation_id, q.source, COALESCE(q.campaign_id, 0), COALESCE(q.call_id, 0), COALESCE(q.asked_by, 0), COALESCE(q.org_id, 0),
	q.language, q.district, q.topics, q.text, q.summary, q.on_the_spot, COALESCE(q.entry_id, 0), COALESCE(q.version_id, 0), q.callback,
	q.state, COALESCE(q.level, 0), q.escalated_at, q.due_at, COALESCE(q.taken_by, 0), q.taken_by_name, COALESCE(q.merged_into, 0), q.asks,
	COALESCE(q.answer_entry_id, 0), COALESCE(q.answer_version_id, 0), q.answered_at, q.closed_at, q.close_reason, q.handled_by_name, q.created_at`

type scanner interface{ Scan(...any) error }

func scan(r scanner) (Question, error) {
	var q Question
	var topics string
	var escalated, due, answered, closed sql.NullTime
	err := r.Scan(&q.ID, &q.OperationID, &q.Source, &q.CampaignID, &q.CallID, &q.AskedBy, &q.OrgID,
		&q.Language, &q.District, &topics, &q.Text, &q.Summary, &q.OnTheSpot, &q.EntryID, &q.VersionID, &q.Callback,
		&q.State, &q.Level, &escalated, &due, &q.TakenBy, &q.TakenByName, &q.MergedInto, &q.Asks,
		&q.AnswerEntry, &q.AnswerVer, &answered, &closed, &q.CloseReason, &q.HandledBy, &q.CreatedAt)
	if topics != "" {
		q.Topics = strings.Split(topics, ",")
	}
	q.EscalatedAt, q.DueAt, q.AnsweredAt, q.ClosedAt = escalated.Time, due.Time, answered.Time, closed.Time
	q.Languages = []string{q.Language}
	return q, err
}

// Record stores a cleaned draft (see Draft.Clean). A draft whose Key was
// recorded before records nothing: dup is set and id is the first one's.
func (s *Store) Record(ctx context.Context, d Draft) (id int64, dup bool, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		id, dup, err = s.RecordTx(ctx, tx, d)
		return err
	})
	if err != nil && d.Key != "" && db.IsUniqueViolation(err) {
		// Two taps raced on PostgreSQL: the other one saved it.
		err = s.DB.QueryRow(ctx, `SELECT id FROM resident_questions WHERE idempotency_key = $1`, d.Key).Scan(&id)
		return id, true, err
	}
	return id, dup, err
}

// RecordTx is Record inside tx, for a module that saves a question with
// its own rows (a campaign call).
func (s *Store) RecordTx(ctx context.Context, tx *sql.Tx, d Draft) (int64, bool, error) {
	var id int64
	if d.Key != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM resident_questions WHERE idempotency_key = $1`, d.Key).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("record question: %w", err)
		}
	}
	if d.EntryID != 0 {
		// The entry she answered with must be one of the operation's, and
		// the version one of the entry's; a version the form made up is
		// not recorded.
		var entryOp int64
		err := tx.QueryRowContext(ctx, `SELECT operation_id FROM handbook_entries WHERE id = $1`, d.EntryID).Scan(&entryOp)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && entryOp != d.OperationID) {
			return 0, false, problem.Field("entry", "question.error.entry")
		}
		if err != nil {
			return 0, false, fmt.Errorf("record question: %w", err)
		}
		if d.VersionID == 0 {
			// No version given (a form of her own): the one callers see now.
			err := tx.QueryRowContext(ctx, `SELECT id FROM handbook_versions WHERE entry_id = $1 AND status = 'verified'`, d.EntryID).Scan(&d.VersionID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return 0, false, fmt.Errorf("record question: %w", err)
			}
		}
		// The version must be one callers were shown: verified, or
		// verified then and superseded since the screen was opened.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM handbook_versions WHERE id = $1 AND entry_id = $2
			AND status IN ('verified', 'superseded')`, d.VersionID, d.EntryID).Scan(&n); err != nil {
			return 0, false, fmt.Errorf("record question: %w", err)
		}
		if n == 0 {
			return 0, false, problem.Field("entry", "question.error.entry")
		}
	}
	now := s.now()
	state, level := Kept, 0
	var escalated, due any
	if d.Escalate {
		l, answerIn, err := deadline(ctx, tx, d.OperationID)
		if err != nil {
			return 0, false, err
		}
		state, level, escalated, due = Escalated, l, now, db.Now(now.Add(answerIn))
	}
	var key any
	if d.Key != "" {
		key = d.Key
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO resident_questions (operation_id, source, campaign_id, call_id, asked_by, org_id, language, district,
		topics, text, summary, on_the_spot, entry_id, version_id, callback, state, level, escalated_at, due_at, idempotency_key, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
		d.OperationID, string(d.Source), nullID(d.CampaignID), nullID(d.CallID), nullID(d.AskedBy), nullID(d.OrgID), d.Language, d.District,
		strings.Join(d.Topics, ","), d.Text, d.Summary, d.OnTheSpot, nullID(d.EntryID), nullID(d.VersionID), d.Callback, string(state),
		nullInt(level), escalated, due, key, now).Scan(&id)
	if err != nil {
		return 0, false, fmt.Errorf("record question: %w", err)
	}
	for _, t := range d.Topics {
		if _, err := tx.ExecContext(ctx, `INSERT INTO resident_question_topics (question_id, operation_id, topic, language, district, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, d.OperationID, t, d.Language, d.District, now); err != nil {
			return 0, false, fmt.Errorf("record question topics: %w", err)
		}
	}
	return id, false, nil
}

// deadline is the operation's current level and how long the city has to
// answer an escalation at it: the city's setting, or the default.
func deadline(ctx context.Context, tx *sql.Tx, operationID int64) (int, time.Duration, error) {
	var level, minutes int
	err := tx.QueryRowContext(ctx, `SELECT o.level, COALESCE(l.answer_in_minutes, 0) FROM operations o
		LEFT JOIN support_levels l ON l.level = o.level WHERE o.id = $1`, operationID).Scan(&level, &minutes)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("deadline of operation %d: %w", operationID, err)
	}
	if minutes > 0 {
		return level, time.Duration(minutes) * time.Minute, nil
	}
	spec, ok := operation.SpecFor(operation.DefaultLevels(), operation.Level(level))
	if !ok {
		return 0, 0, fmt.Errorf("deadline of operation %d: no level %d", operationID, level)
	}
	return level, spec.AnswerIn, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// Get returns a question with the languages of those merged into it.
func (s *Store) Get(ctx context.Context, id int64) (Question, error) {
	q, err := scan(s.DB.QueryRow(ctx, `SELECT `+columns+` FROM resident_questions q WHERE q.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return q, ErrNotFound
	}
	if err != nil {
		return q, fmt.Errorf("question %d: %w", id, err)
	}
	qs := []Question{q}
	if err := s.fillLanguages(ctx, qs); err != nil {
		return q, err
	}
	return qs[0], nil
}

// fillLanguages adds to each question the languages of those merged into it.
func (s *Store) fillLanguages(ctx context.Context, qs []Question) error {
	if len(qs) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]string, 0, len(qs))
	for i, q := range qs {
		if q.Asks > 1 {
			at[q.ID] = i
			ids = append(ids, fmt.Sprint(q.ID))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.DB.Query(ctx, `SELECT DISTINCT merged_into, language FROM resident_questions WHERE merged_into IN (`+strings.Join(ids, ",")+`)`)
	if err != nil {
		return fmt.Errorf("merged languages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var into int64
		var lang string
		if err := rows.Scan(&into, &lang); err != nil {
			return fmt.Errorf("merged languages: %w", err)
		}
		q := &qs[at[into]]
		if !contains(q.Languages, lang) {
			q.Languages = append(q.Languages, lang)
		}
	}
	return rows.Err()
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TriageLimit bounds the triage page: more open escalations than this is
// a crisis, and the page says so rather than growing without end.
const TriageLimit = 200

// Triage lists the operation's open escalations by due time, the most
// overdue first, and how many there are in all.
func (s *Store) Triage(ctx context.Context, operationID int64) ([]Question, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM resident_questions WHERE operation_id = $1 AND state IN ('escalated', 'answering')`,
		operationID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("triage: %w", err)
	}
	qs, err := s.list(ctx, `WHERE q.operation_id = $1 AND q.state IN ('escalated', 'answering') ORDER BY q.due_at, q.id LIMIT $2`, operationID, TriageLimit)
	return qs, total, err
}

// OpenCounts counts the operation's open escalations and those overdue.
func (s *Store) OpenCounts(ctx context.Context, operationID int64, now time.Time) (open, overdue int, err error) {
	err = s.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at < $2 THEN 1 ELSE 0 END), 0) FROM resident_questions
		WHERE operation_id = $1 AND state IN ('escalated', 'answering')`, operationID, db.Now(now)).Scan(&open, &overdue)
	if err != nil {
		err = fmt.Errorf("open questions of operation %d: %w", operationID, err)
	}
	return open, overdue, err
}

// Settled lists the operation's questions answered or closed lately,
// newest first.
func (s *Store) Settled(ctx context.Context, operationID int64, limit int) ([]Question, error) {
	return s.list(ctx, `WHERE q.operation_id = $1 AND q.state IN ('answered', 'closed') ORDER BY COALESCE(q.answered_at, q.closed_at) DESC, q.id DESC LIMIT $2`, operationID, limit)
}

// AskedBy lists the questions a volunteer recorded in the operation,
// newest first, so that she sees what became of them.
func (s *Store) AskedBy(ctx context.Context, operationID, personID int64, limit int) ([]Question, error) {
	return s.list(ctx, `WHERE q.operation_id = $1 AND q.asked_by = $2 ORDER BY q.created_at DESC, q.id DESC LIMIT $3`, operationID, personID, limit)
}

func (s *Store) list(ctx context.Context, where string, args ...any) ([]Question, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+columns+` FROM resident_questions q `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	var out []Question
	for rows.Next() {
		q, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("questions: %w", err)
		}
		out = append(out, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.fillLanguages(ctx, out)
}

// Take marks the open question as being handled by a coordinator.
func (s *Store) Take(ctx context.Context, id int64, by *auth.User) error {
	res, err := s.DB.Exec(ctx, `UPDATE resident_questions SET taken_by = $1, taken_by_name = $2 WHERE id = $3 AND state IN ('escalated', 'answering')`,
		by.ID, by.Name, id)
	if err != nil {
		return fmt.Errorf("take question %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotOpen
	}
	return nil
}

// Merge folds the open questions from into the open question into: they
// are counted in its asks, their languages are its, and it answers them.
// The earliest due time of them all becomes its. All or nothing: a
// question no longer open (merged or answered meanwhile) fails the whole.
func (s *Store) Merge(ctx context.Context, into int64, from []int64, by *auth.User) error {
	from = uniqIDs(from)
	if len(from) == 0 {
		return errMergeNone
	}
	for _, f := range from {
		if f == into {
			return errMergeSelf
		}
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var opID int64
		var state string
		var due sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT operation_id, state, due_at FROM resident_questions WHERE id = $1`, into).Scan(&opID, &state, &due)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("merge into %d: %w", into, err)
		}
		if !State(state).Open() {
			return errNotOpen
		}
		asks := 0
		for _, f := range from {
			var fop int64
			var fstate string
			var n int
			var fdue sql.NullTime
			err := tx.QueryRowContext(ctx, `SELECT operation_id, state, asks, due_at FROM resident_questions WHERE id = $1`, f).Scan(&fop, &fstate, &n, &fdue)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && fop != opID) {
				return errMergeOther
			}
			if err != nil {
				return fmt.Errorf("merge %d: %w", f, err)
			}
			// Only an escalation nobody has answered yet: one that is being
			// answered keeps its own answer.
			res, err := tx.ExecContext(ctx, `UPDATE resident_questions SET state = 'merged', merged_into = $1, handled_by_name = $2
				WHERE id = $3 AND state = 'escalated'`, into, by.Name, f)
			if err != nil {
				return fmt.Errorf("merge %d: %w", f, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errNotOpen
			}
			// What was merged into it before comes along.
			if _, err := tx.ExecContext(ctx, `UPDATE resident_questions SET merged_into = $1 WHERE merged_into = $2`, into, f); err != nil {
				return fmt.Errorf("merge %d: %w", f, err)
			}
			asks += n
			if fdue.Valid && (!due.Valid || fdue.Time.Before(due.Time)) {
				due = fdue
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE resident_questions SET asks = asks + $1, due_at = $2
			WHERE id = $3 AND state IN ('escalated', 'answering')`, asks, nullTime(due), into)
		if err != nil {
			return fmt.Errorf("merge into %d: %w", into, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotOpen
		}
		return nil
	})
}

func nullTime(t sql.NullTime) any {
	if !t.Valid {
		return nil
	}
	return db.Now(t.Time)
}

func uniqIDs(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id > 0 && !containsID(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// AnswerNew answers the open question with a new question-and-answer entry
// of its operation, written by the coordinator and saved as a draft in the
// handbook's review flow. The question is answered when a version of the
// entry is verified. It returns the entry.
func (s *Store) AnswerNew(ctx context.Context, hb *handbook.Store, id int64, by *auth.User, d handbook.EntryDraft) (int64, error) {
	if err := d.Clean(); err != nil {
		return 0, err
	}
	var entry int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		opID, err := openQuestion(ctx, tx, id)
		if err != nil {
			return err
		}
		if entry, err = hb.CreateEntryTx(ctx, tx, by, opID, d); err != nil {
			return err
		}
		return answering(ctx, tx, id, entry, by)
	})
	return entry, err
}

// AnswerWith answers the open question with an existing entry of its
// operation. When the entry's verified version already says it (now is
// set), the question is answered at once; otherwise the coordinator goes
// on to write the entry's next version, and the question is answered when
// that is verified.
func (s *Store) AnswerWith(ctx context.Context, id, entryID int64, by *auth.User, now bool) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		opID, err := openQuestion(ctx, tx, id)
		if err != nil {
			return err
		}
		var entryOp int64
		err = tx.QueryRowContext(ctx, `SELECT operation_id FROM handbook_entries WHERE id = $1`, entryID).Scan(&entryOp)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && entryOp != opID) {
			return errEntry
		}
		if err != nil {
			return fmt.Errorf("answer question %d: %w", id, err)
		}
		var newest string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM handbook_versions WHERE entry_id = $1 ORDER BY version DESC LIMIT 1`, entryID).Scan(&newest); err != nil || newest == string(handbook.Archived) {
			return errEntry // archived: no version of it will answer anything
		}
		if err := answering(ctx, tx, id, entryID, by); err != nil {
			return err
		}
		if !now {
			return nil
		}
		var vid int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM handbook_versions WHERE entry_id = $1 AND status = 'verified'`, entryID).Scan(&vid)
		if errors.Is(err, sql.ErrNoRows) {
			return errEntry
		}
		if err != nil {
			return fmt.Errorf("answer question %d: %w", id, err)
		}
		return s.answer(ctx, tx, handbook.VerifiedVersion{EntryID: entryID, VersionID: vid, OperationID: opID, By: by}, id)
	})
}

// openQuestion returns the operation of the question when it is open.
func openQuestion(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	var opID int64
	var state string
	err := tx.QueryRowContext(ctx, `SELECT operation_id, state FROM resident_questions WHERE id = $1`, id).Scan(&opID, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("question %d: %w", id, err)
	}
	if !State(state).Open() {
		return 0, errNotOpen
	}
	return opID, nil
}

func answering(ctx context.Context, tx *sql.Tx, id, entryID int64, by *auth.User) error {
	res, err := tx.ExecContext(ctx, `UPDATE resident_questions SET state = 'answering', answer_entry_id = $1, handled_by_name = $2,
		taken_by = COALESCE(taken_by, $3), taken_by_name = CASE WHEN taken_by IS NULL THEN $2 ELSE taken_by_name END
		WHERE id = $4 AND state IN ('escalated', 'answering')`, entryID, by.Name, by.ID, id)
	if err != nil {
		return fmt.Errorf("answer question %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotOpen
	}
	return nil
}

// Close closes the open question unanswered, with a reason; the questions
// merged into it are closed with it.
func (s *Store) Close(ctx context.Context, id int64, by *auth.User, d CloseDraft) error {
	if err := d.Clean(); err != nil {
		return err
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := openQuestion(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE resident_questions SET state = 'closed', closed_at = $1, close_reason = $2, handled_by_name = $3
			WHERE (id = $4 AND state IN ('escalated', 'answering')) OR (merged_into = $4 AND state = 'merged')`, now, d.Reason, by.Name, id)
		if err != nil {
			return fmt.Errorf("close question %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotOpen
		}
		return nil
	})
}

// answered runs when a handbook version is verified (handbook's OnVerify):
// the questions waiting for an answer from its entry are answered with it,
// and those merged into them too; then OnAnswered's functions run.
func (s *Store) answered(ctx context.Context, tx *sql.Tx, v handbook.VerifiedVersion) error {
	return s.answer(ctx, tx, v, 0)
}

// answer answers with v the questions waiting for its entry, or only the
// question only (when not 0): a coordinator who says the verified version
// already answers one question has not said so of the others waiting for
// the entry's next version.
func (s *Store) answer(ctx context.Context, tx *sql.Tx, v handbook.VerifiedVersion, only int64) error {
	waiting := `(answer_entry_id = $1 AND state = 'answering')`
	args := []any{v.EntryID}
	if only != 0 {
		waiting = `(answer_entry_id = $1 AND state = 'answering' AND id = $2)`
		args = append(args, only)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+columns+` FROM resident_questions q
		WHERE q.id IN (SELECT id FROM resident_questions WHERE `+waiting+`)
		OR (q.state = 'merged' AND q.merged_into IN (SELECT id FROM resident_questions WHERE `+waiting+`))
		ORDER BY q.id`, args...)
	if err != nil {
		return fmt.Errorf("answered by entry %d: %w", v.EntryID, err)
	}
	var qs []Question
	var ids []string
	for rows.Next() {
		q, err := scan(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("answered by entry %d: %w", v.EntryID, err)
		}
		qs = append(qs, q)
		ids = append(ids, fmt.Sprint(q.ID))
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(qs) == 0 {
		return err
	}
	now := s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE resident_questions SET answer_entry_id = $1, answer_version_id = $2, answered_at = $3,
		state = CASE WHEN state = 'answering' THEN 'answered' ELSE state END
		WHERE id IN (`+strings.Join(ids, ",")+`)`, v.EntryID, v.VersionID, now); err != nil {
		return fmt.Errorf("answered by entry %d: %w", v.EntryID, err)
	}
	for i := range qs {
		qs[i].AnswerEntry, qs[i].AnswerVer, qs[i].AnsweredAt = v.EntryID, v.VersionID, now
		if qs[i].State == Answering {
			qs[i].State = Answered
		}
	}
	a := Answer{OperationID: v.OperationID, EntryID: v.EntryID, VersionID: v.VersionID, By: v.By, Questions: qs}
	for _, f := range s.onAnswered {
		if err := f(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

// Signals counts the operation's escalations past their due time, for the
// level suggestion; it is the operation module's SignalSource.
func (s *Store) Signals(ctx context.Context, operationID int64, now time.Time) (operation.Signals, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM resident_questions WHERE operation_id = $1 AND state IN ('escalated', 'answering') AND due_at < $2`,
		operationID, db.Now(now)).Scan(&n)
	if err != nil {
		return operation.Signals{}, fmt.Errorf("question signals of operation %d: %w", operationID, err)
	}
	return operation.Signals{OverdueEscalations: n}, nil
}
