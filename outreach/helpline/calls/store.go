package calls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"megafon/outreach/contact/phone"
	"megafon/outreach/question"
	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/secret"
)

// callerContext binds the callers' encrypted numbers to this use, so a
// ciphertext copied elsewhere does not decrypt there.
const callerContext = "helpline.caller"

// Store keeps the calls, the callback requests and the call logs. Keys
// encrypts the callers' numbers; Now is the clock.
type Store struct {
	DB   *db.DB
	Keys *secret.Keyring
	Now  func() time.Time
	// HoldFor is how long a taken callback request stays with the
	// volunteer who took it; zero means DefaultHold.
	HoldFor time.Duration
	// Questions records the residents' questions of a log.
	Questions *question.Store
	// MaxAttempts is how many times a callback request is tried before
	// it closes unreached; zero means DefaultMaxAttempts.
	MaxAttempts int
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

const callColumns = `id, helpline_id, provider, provider_call_id, started_at, lang, outcome, COALESCE(answered_by, 0), COALESCE(phone_id, 0),
	answered_at, ended_at, duration_seconds, logged_at IS NOT NULL FROM helpline_calls`

func scanCall(row interface{ Scan(...any) error }) (Call, error) {
	var c Call
	var answered, ended sql.NullTime
	var secs int64
	err := row.Scan(&c.ID, &c.LineID, &c.Provider, &c.ProviderCallID, &c.StartedAt, &c.Lang, &c.Outcome, &c.AnsweredBy, &c.PhoneID,
		&answered, &ended, &secs, &c.Logged)
	c.AnsweredAt, c.EndedAt, c.Duration = answered.Time, ended.Time, time.Duration(secs)*time.Second
	c.StartedAt = c.StartedAt.UTC()
	if !c.AnsweredAt.IsZero() {
		c.AnsweredAt = c.AnsweredAt.UTC()
	}
	if !c.EndedAt.IsZero() {
		c.EndedAt = c.EndedAt.UTC()
	}
	return c, err
}

// Call returns one call.
func (s *Store) Call(ctx context.Context, id int64) (Call, error) {
	c, err := scanCall(s.DB.QueryRow(ctx, `SELECT `+callColumns+` WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Call{}, ErrNotFound
	}
	if err != nil {
		return Call{}, fmt.Errorf("call %d: %w", id, err)
	}
	return c, nil
}

// Arrive records a call that reached line lineID; idempotent on (provider,
// providerCallID): a provider's retry gets the same call back. caller is
// the caller's number in E.164, "" when withheld; it is encrypted with the
// keyring and never shown, only used to call back. A caller that is not a
// phone number is refused (a problem on the field "caller"), so that a
// parser's mistake is seen rather than stored.
func (s *Store) Arrive(ctx context.Context, lineID int64, provider, providerCallID, caller string, at time.Time) (Call, error) {
	if provider == "" || providerCallID == "" || len(provider) > 32 || len(providerCallID) > 200 {
		return Call{}, problem.New(problem.BadRequest, "error.bad_request")
	}
	var enc sql.NullString
	if caller != "" {
		e164, err := phone.Normalize(caller, "")
		if err != nil {
			return Call{}, problem.Field("caller", "calls.error.caller").Because(err)
		}
		if enc.String, err = s.Keys.EncryptString(e164, callerContext); err != nil {
			return Call{}, fmt.Errorf("arrive: %w", err)
		}
		enc.Valid = true
	}
	if at.IsZero() {
		at = s.now()
	}
	var exists int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM helplines WHERE id = $1`, lineID).Scan(&exists)
	if err != nil {
		return Call{}, fmt.Errorf("arrive: %w", err)
	}
	if exists == 0 {
		return Call{}, ErrNotFound
	}
	_, err = s.DB.Exec(ctx, `INSERT INTO helpline_calls (helpline_id, provider, provider_call_id, caller_enc, started_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider, provider_call_id) DO NOTHING`, lineID, provider, providerCallID, enc, db.Now(at))
	if err != nil {
		return Call{}, fmt.Errorf("arrive: %w", err)
	}
	c, err := s.ByProvider(ctx, provider, providerCallID)
	if err != nil {
		return Call{}, err
	}
	if c.LineID != lineID {
		// The provider's id is already a call of another line: not a retry.
		return Call{}, problem.New(problem.Conflict, "calls.error.other_line")
	}
	return c, nil
}

// ByProvider returns the call a provider knows by providerCallID.
func (s *Store) ByProvider(ctx context.Context, provider, providerCallID string) (Call, error) {
	c, err := scanCall(s.DB.WriteRow(ctx, `SELECT `+callColumns+` WHERE provider = $1 AND provider_call_id = $2`, provider, providerCallID))
	if errors.Is(err, sql.ErrNoRows) {
		return Call{}, ErrNotFound
	}
	if err != nil {
		return Call{}, fmt.Errorf("call %s %s: %w", provider, providerCallID, err)
	}
	return c, nil
}

// ChooseLanguage records the language chosen in the menu; it must be one
// the call's line offers. It may change while the call is on (a caller
// who pressed again), not after it ended.
func (s *Store) ChooseLanguage(ctx context.Context, callID int64, lang string) error {
	res, err := s.DB.Exec(ctx, `UPDATE helpline_calls SET lang = $1 WHERE id = $2 AND ended_at IS NULL
		AND EXISTS (SELECT 1 FROM helpline_languages l WHERE l.helpline_id = helpline_calls.helpline_id AND l.lang = $1)`, lang, callID)
	if err != nil {
		return fmt.Errorf("choose language of call %d: %w", callID, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	c, err := s.Call(ctx, callID)
	if err != nil {
		return err
	}
	if !c.EndedAt.IsZero() {
		if c.Lang == lang {
			return nil // a retry after the end
		}
		return errEnded
	}
	return errBadLanguage
}

// Answer records that personID answered on phoneID (0: her own phone);
// the first answer wins, atomically; a later one gets ErrTaken (so does an
// answer after the call ended unanswered). Her own retry succeeds. The
// call then waits in her "calls to log".
func (s *Store) Answer(ctx context.Context, callID, personID, phoneID int64, at time.Time) error {
	if personID == 0 {
		return problem.New(problem.BadRequest, "error.bad_request")
	}
	if at.IsZero() {
		at = s.now()
	}
	var ph any
	if phoneID != 0 {
		ph = phoneID
	}
	res, err := s.DB.Exec(ctx, `UPDATE helpline_calls SET answered_by = $1, phone_id = $2, answered_at = $3
		WHERE id = $4 AND answered_at IS NULL AND ended_at IS NULL`, personID, ph, db.Now(at), callID)
	if err != nil {
		return fmt.Errorf("answer call %d: %w", callID, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	c, err := s.Call(ctx, callID)
	if err != nil {
		return err
	}
	if !c.AnsweredAt.IsZero() && c.AnsweredBy == personID {
		return nil
	}
	return ErrTaken
}

// End records the end of the call: ended_at, the duration, and the
// outcome (kept as Answered when it was answered). Idempotent: a second
// End changes nothing.
func (s *Store) End(ctx context.Context, callID int64, outcome Outcome, at time.Time) error {
	if !outcome.Valid() {
		return errBadOutcome
	}
	if at.IsZero() {
		at = s.now()
	}
	at = db.Now(at)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` WHERE id = $1`, callID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("end call %d: %w", callID, err)
		}
		if !c.EndedAt.IsZero() {
			return nil
		}
		from := c.StartedAt
		if !c.AnsweredAt.IsZero() {
			outcome, from = Answered, c.AnsweredAt
		} else if outcome == Answered {
			// Nobody was recorded answering: the call was missed.
			outcome = NoAnswer
		}
		secs := int64(at.Sub(from) / time.Second)
		if secs < 0 {
			secs = 0
		}
		_, err = tx.ExecContext(ctx, `UPDATE helpline_calls SET ended_at = $1, outcome = $2, duration_seconds = $3
			WHERE id = $4 AND ended_at IS NULL`, at, string(outcome), secs, callID)
		if err != nil {
			return fmt.Errorf("end call %d: %w", callID, err)
		}
		return nil
	})
}

// RequestCallback puts the call's caller in the queue of the call's
// language on its line; ErrNoNumber when the number was withheld, and a
// conflict when no language was chosen (there is no queue to put her
// in). Idempotent per call: it returns the request's id.
func (s *Store) RequestCallback(ctx context.Context, callID int64, at time.Time) (int64, error) {
	if at.IsZero() {
		at = s.now()
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM helpline_callbacks WHERE call_id = $1`, callID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var lineID int64
		var lang string
		var enc sql.NullString
		err = tx.QueryRowContext(ctx, `SELECT helpline_id, lang, caller_enc FROM helpline_calls WHERE id = $1`, callID).Scan(&lineID, &lang, &enc)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !enc.Valid {
			return ErrNoNumber
		}
		if lang == "" {
			return errNoLanguage
		}
		number, err := s.Keys.DecryptString(enc.String, callerContext)
		if err != nil {
			return err
		}
		again, err := s.Keys.EncryptString(number, callbackContext)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO helpline_callbacks (call_id, helpline_id, lang, caller_enc, requested_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, callID, lineID, lang, again, db.Now(at)).Scan(&id)
	})
	if db.IsUniqueViolation(err) {
		// Two requests raced on PostgreSQL: the other one saved it.
		err = s.DB.WriteRow(ctx, `SELECT id FROM helpline_callbacks WHERE call_id = $1`, callID).Scan(&id)
	}
	if _, ok := problem.As(err); ok {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("request callback for call %d: %w", callID, err)
	}
	return id, nil
}

// callbackContext binds the numbers in the callback queue.
const callbackContext = "helpline.callback"
