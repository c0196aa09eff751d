package calls

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"megafon/outreach/campaign"
	"megafon/outreach/helpline"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
)

// Defaults of the callback queue.
const (
	// DefaultHold is how long a taken request stays with the volunteer
	// who took it: time to dial, talk and record the outcome.
	DefaultHold = 20 * time.Minute
	// DefaultMaxAttempts is how many calls back a request gets before it
	// closes unreached.
	DefaultMaxAttempts = 3
	// DefaultRetryGap is how long a request that got no answer waits
	// before it is offered again, so a resident is not rung three times
	// in five minutes.
	DefaultRetryGap = 30 * time.Minute
)

// AuditCallback is the audit action of recording a call back.
const AuditCallback = "helpline_callback"

func (s *Store) hold() time.Duration {
	if s.HoldFor > 0 {
		return s.HoldFor
	}
	return DefaultHold
}

func (s *Store) maxAttempts() int {
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return DefaultMaxAttempts
}

// Callback is a callback request, without the number.
type Callback struct {
	ID, CallID, LineID int64
	OperationID        int64
	LineName           string
	Lang               string
	RequestedAt        time.Time
	Attempts           int
	LastOutcome        campaign.Outcome
	LastAttemptAt      time.Time
	TakenBy            int64
	TakenUntil         time.Time
	DoneAt             time.Time
	Outcome            campaign.Outcome
	// OnShift is set in a volunteer's queue when she is on shift for its
	// line and language now: those come first.
	OnShift bool
}

const callbackColumns = `cb.id, cb.call_id, cb.helpline_id, h.operation_id, h.name, cb.lang, cb.requested_at, cb.attempts, cb.last_outcome,
	cb.last_attempt_at, COALESCE(cb.taken_by, 0), cb.taken_until, cb.done_at, cb.outcome
	FROM helpline_callbacks cb JOIN helplines h ON h.id = cb.helpline_id`

func scanCallback(row interface{ Scan(...any) error }) (Callback, error) {
	var c Callback
	var last, until, done sql.NullTime
	err := row.Scan(&c.ID, &c.CallID, &c.LineID, &c.OperationID, &c.LineName, &c.Lang, &c.RequestedAt, &c.Attempts, &c.LastOutcome,
		&last, &c.TakenBy, &until, &done, &c.Outcome)
	c.LastAttemptAt, c.TakenUntil, c.DoneAt = last.Time, until.Time, done.Time
	return c, err
}

// Callback returns one request, for the store's callers' own checks.
func (s *Store) Callback(ctx context.Context, id int64) (Callback, error) {
	c, err := scanCallback(s.DB.WriteRow(ctx, `SELECT `+callbackColumns+` WHERE cb.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Callback{}, ErrNotFound
	}
	if err != nil {
		return Callback{}, fmt.Errorf("callback %d: %w", id, err)
	}
	return c, nil
}

// Line is a help line as the call pages need it.
type Line struct {
	ID, OperationID int64
	Name            string
	Languages       []string // in the order of their menu keys
}

// Offers reports whether the line offers lang.
func (l Line) Offers(lang string) bool { return slices.Contains(l.Languages, lang) }

// LinesOf lists the help lines of the operations, by name.
func (s *Store) LinesOf(ctx context.Context, opIDs []int64) ([]Line, error) {
	var out []Line
	for _, op := range opIDs {
		rows, err := s.DB.Query(ctx, `SELECT h.id, h.operation_id, h.name, COALESCE(l.lang, '') FROM helplines h
			LEFT JOIN helpline_languages l ON l.helpline_id = h.id WHERE h.operation_id = $1 ORDER BY h.name, h.id, l.menu_key`, op)
		if err != nil {
			return nil, fmt.Errorf("help lines of operation %d: %w", op, err)
		}
		for rows.Next() {
			var l Line
			var lang string
			if err := rows.Scan(&l.ID, &l.OperationID, &l.Name, &lang); err != nil {
				rows.Close()
				return nil, fmt.Errorf("help lines of operation %d: %w", op, err)
			}
			if n := len(out); n > 0 && out[n-1].ID == l.ID {
				if lang != "" {
					out[n-1].Languages = append(out[n-1].Languages, lang)
				}
				continue
			}
			if lang != "" {
				l.Languages = []string{lang}
			}
			out = append(out, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("help lines of operation %d: %w", op, err)
		}
	}
	return out, nil
}

// LineOf returns one line.
func (s *Store) LineOf(ctx context.Context, id int64) (Line, error) {
	var op int64
	err := s.DB.QueryRow(ctx, `SELECT operation_id FROM helplines WHERE id = $1`, id).Scan(&op)
	if errors.Is(err, sql.ErrNoRows) {
		return Line{}, ErrNotFound
	}
	if err != nil {
		return Line{}, fmt.Errorf("help line %d: %w", id, err)
	}
	lines, err := s.LinesOf(ctx, []int64{op})
	if err != nil {
		return Line{}, err
	}
	for _, l := range lines {
		if l.ID == id {
			return l, nil
		}
	}
	return Line{}, ErrNotFound
}

// Queue is what one volunteer may take: the open requests on lines in
// her languages (langs) and in those she is on shift for, not held by
// another and not waiting out their retry gap, those she is on shift
// for first, then the oldest. The one she holds is included.
func (s *Store) Queue(ctx context.Context, personID int64, lines []int64, langs []string, shift []helpline.LineLanguage, now time.Time) ([]Callback, error) {
	now = db.Now(now)
	gap := now.Add(-DefaultRetryGap)
	var out []Callback
	for _, line := range lines {
		rows, err := s.DB.Query(ctx, `SELECT `+callbackColumns+` WHERE cb.helpline_id = $1 AND cb.done_at IS NULL
			AND (cb.taken_by IS NULL OR cb.taken_until <= $2 OR cb.taken_by = $3)
			AND (cb.last_attempt_at IS NULL OR cb.last_attempt_at <= $4 OR cb.taken_by = $3)
			ORDER BY cb.requested_at, cb.id`, line, now, personID, gap)
		if err != nil {
			return nil, fmt.Errorf("callback queue: %w", err)
		}
		for rows.Next() {
			c, err := scanCallback(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("callback queue: %w", err)
			}
			c.OnShift = slices.Contains(shift, helpline.LineLanguage{LineID: c.LineID, Lang: c.Lang})
			if c.OnShift || slices.Contains(langs, c.Lang) {
				if c.TakenBy != personID || !c.TakenUntil.After(now) {
					c.TakenBy, c.TakenUntil = 0, time.Time{}
				}
				out = append(out, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("callback queue: %w", err)
		}
	}
	slices.SortStableFunc(out, func(a, b Callback) int {
		if a.OnShift != b.OnShift {
			if a.OnShift {
				return -1
			}
			return 1
		}
		return cmp.Or(a.RequestedAt.Compare(b.RequestedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// OpenCallbacks counts a line's open requests per language.
func (s *Store) OpenCallbacks(ctx context.Context, lineID int64) (map[string]int, error) {
	rows, err := s.DB.Query(ctx, `SELECT lang, COUNT(*) FROM helpline_callbacks WHERE helpline_id = $1 AND done_at IS NULL GROUP BY lang`, lineID)
	if err != nil {
		return nil, fmt.Errorf("open callbacks of line %d: %w", lineID, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var lang string
		var n int
		if err := rows.Scan(&lang, &n); err != nil {
			return nil, fmt.Errorf("open callbacks of line %d: %w", lineID, err)
		}
		out[lang] = n
	}
	return out, rows.Err()
}

// Take holds the open request id for personID until the hold ends,
// atomically: of two volunteers taking it at once, one gets it and the
// other ErrTaken. Taking it again extends her hold; taking another lets
// go of the one she held. The caller checks that she may (CanHandle).
func (s *Store) Take(ctx context.Context, id, personID int64) (Callback, error) {
	now := s.now()
	until := db.Now(now.Add(s.hold()))
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE helpline_callbacks SET taken_by = $1, taken_at = $2, taken_until = $3
			WHERE id = $4 AND done_at IS NULL AND (taken_by IS NULL OR taken_until <= $2 OR taken_by = $1)`, personID, now, until, id)
		if err != nil {
			return fmt.Errorf("take callback %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrTaken
		}
		_, err = tx.ExecContext(ctx, `UPDATE helpline_callbacks SET taken_by = NULL, taken_at = NULL, taken_until = NULL
			WHERE taken_by = $1 AND id <> $2 AND done_at IS NULL`, personID, id)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrTaken) {
			if _, gone := s.Callback(ctx, id); gone != nil {
				return Callback{}, gone
			}
		}
		return Callback{}, err
	}
	return s.Callback(ctx, id)
}

// Held returns the request that personID holds now, and ErrNotFound for
// any other: the only request whose page she may open.
func (s *Store) Held(ctx context.Context, id, personID int64) (Callback, error) {
	c, err := s.Callback(ctx, id)
	if err != nil {
		return Callback{}, err
	}
	if c.TakenBy != personID || !c.TakenUntil.After(s.now()) || !c.DoneAt.IsZero() {
		return Callback{}, ErrNotFound
	}
	return c, nil
}

// RevealNumber returns the number to call back to the volunteer who
// holds the request, and records the view in the audit log. No number
// without its trace: a failed audit write fails the reveal.
func (s *Store) RevealNumber(ctx context.Context, id int64, viewer *auth.User, log *audit.Log, addr string) (string, error) {
	if _, err := s.Held(ctx, id, viewer.ID); err != nil {
		return "", err
	}
	var enc sql.NullString
	if err := s.DB.QueryRow(ctx, `SELECT caller_enc FROM helpline_callbacks WHERE id = $1`, id).Scan(&enc); err != nil {
		return "", fmt.Errorf("reveal callback number %d: %w", id, err)
	}
	if !enc.Valid {
		return "", ErrNoNumber
	}
	number, err := s.Keys.DecryptString(enc.String, callbackContext)
	if err != nil {
		return "", fmt.Errorf("reveal callback number %d: %w", id, err)
	}
	if err := log.Record(ctx, audit.Entry{ActorID: viewer.ID, ActorName: viewer.Name, Action: audit.ViewPersonal,
		Subject: fmt.Sprintf("callback:%d", id), Addr: addr}); err != nil {
		return "", fmt.Errorf("reveal callback number %d: audit: %w", id, err)
	}
	return number, nil
}

// Step is what happens to a callback request after a call back.
type Step string

// The steps.
const (
	Close Step = "close" // done: reached, refused, or out of attempts
	Retry Step = "retry" // back in the queue after the retry gap
	Move  Step = "move"  // to the queue of the language she needs
)

// NextStep is the retry rule: an outcome that did not reach the resident
// (no answer, busy, voicemail) or that asks for another time puts the
// request back in the queue until it has had max attempts; one that
// needs another language moves it to that language's queue; the others
// close it. attempts counts this one.
func NextStep(o campaign.Outcome, attempts, max int) Step {
	switch o {
	case campaign.NoAnswer, campaign.Busy, campaign.Voicemail, campaign.Callback:
		if attempts < max {
			return Retry
		}
		return Close
	case campaign.OtherLanguage:
		if attempts < max {
			return Move
		}
		return Close
	}
	return Close
}

// CallbackReport is a volunteer's outcome of a call back.
type CallbackReport struct {
	Outcome       campaign.Outcome
	OtherLanguage string // with OtherLanguage: one the line offers
	Attempt       int    // the attempts the request had when she took it: a double tap records once
}

// RecordCallback records the outcome of the call back of the request id
// that by holds, and closes it, puts it back or moves it as NextStep
// says. It returns the step taken; dup is set when this attempt was
// recorded before (a double tap), and nothing changes.
func (s *Store) RecordCallback(ctx context.Context, id int64, by *auth.User, rep CallbackReport, log *audit.Log, addr string) (step Step, dup bool, err error) {
	if !rep.Outcome.Valid() {
		return "", false, problem.Field("outcome", "calls.error.outcome")
	}
	now := s.now()
	key := fmt.Sprintf("callback-%d-%d", id, rep.Attempt)
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var recordedBy sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT person_id FROM helpline_callback_attempts WHERE idempotency_key = $1`, key).Scan(&recordedBy)
		if err == nil {
			if recordedBy.Int64 != by.ID {
				return ErrNotFound // another's attempt: not hers to repeat
			}
			dup = true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		c, err := scanCallback(tx.QueryRowContext(ctx, `SELECT `+callbackColumns+` WHERE cb.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if c.TakenBy != by.ID || !c.TakenUntil.After(now) || !c.DoneAt.IsZero() || c.Attempts != rep.Attempt {
			return ErrNotFound
		}
		attempts := c.Attempts + 1
		step = NextStep(rep.Outcome, attempts, s.maxAttempts())
		lang := c.Lang
		// The language she names is checked whether the request moves to
		// it or, at its last attempt, closes with it.
		if rep.Outcome == campaign.OtherLanguage {
			var offered int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM helpline_languages WHERE helpline_id = $1 AND lang = $2`,
				c.LineID, rep.OtherLanguage).Scan(&offered); err != nil {
				return err
			}
			if offered == 0 || rep.OtherLanguage == c.Lang {
				return problem.Field("other_language", "calls.error.other_language")
			}
			if step == Move {
				lang = rep.OtherLanguage
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO helpline_callback_attempts (callback_id, person_id, outcome, at, idempotency_key)
			VALUES ($1, $2, $3, $4, $5)`, id, by.ID, string(rep.Outcome), now, key); err != nil {
			return err
		}
		var done, doneBy, outcome any = nil, nil, ""
		if step == Close {
			done, doneBy, outcome = now, by.ID, string(rep.Outcome)
		}
		res, err := tx.ExecContext(ctx, `UPDATE helpline_callbacks SET attempts = $1, last_outcome = $2, last_attempt_at = $3, lang = $4,
			taken_by = NULL, taken_at = NULL, taken_until = NULL, done_at = $5, done_by = $6, outcome = $7
			WHERE id = $8 AND taken_by = $9 AND attempts = $10 AND done_at IS NULL`,
			attempts, string(rep.Outcome), now, lang, done, doneBy, outcome, id, by.ID, rep.Attempt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if log == nil {
			return nil
		}
		return log.RecordTx(ctx, tx, audit.Entry{ActorID: by.ID, ActorName: by.Name, Action: AuditCallback,
			Subject: fmt.Sprintf("callback:%d", id), Detail: fmt.Sprintf("%s %s", rep.Outcome, step), Addr: addr})
	})
	if db.IsUniqueViolation(err) {
		return "", true, nil
	}
	if _, ok := problem.As(err); ok {
		return "", false, err
	}
	if err != nil {
		return "", false, fmt.Errorf("record callback %d: %w", id, err)
	}
	return step, dup, nil
}
