package campaign

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"megafon/outreach/handbook"
	"megafon/outreach/question"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
)

// Lease is a contact held for one volunteer: she calls it until Until.
type Lease struct {
	EntryID     int64
	ContactID   int64
	OrgID       int64
	Languages   []string
	District    string
	Attempts    int // calls made before this one
	Seq         int // which claim of the entry this is
	Until       time.Time
	Started     time.Time
	LastOutcome string
}

// Problems the queue and the call screen show.
var (
	// ErrNothingToCall: no contact that the volunteer may call is due.
	ErrNothingToCall = problem.New(problem.NotFound, "campaign.error.nothing_to_call")
	// ErrLeaseLost: the contact was given to someone else after the
	// volunteer's time ran out; her outcome is not saved.
	ErrLeaseLost = problem.New(problem.Conflict, "campaign.error.lease_lost")
	// errNotYours answers a call screen of an entry the volunteer does
	// not hold: 404, so that a screen never tells whose a contact is.
	errNotYours = problem.New(problem.NotFound, "campaign.error.not_yours")
)

// FillQueue adds the contacts of the campaign's groups that speak one of
// its languages and live in one of its districts (an empty list means
// any) to the queue, once each; it returns how many it added. Contacts
// already queued keep their state.
func (s *Store) FillQueue(ctx context.Context, c Campaign, contacts []Contact) (int, error) {
	now := s.now()
	var rows []Contact
	for _, ct := range contacts {
		if Reaches(c, ct) {
			rows = append(rows, ct)
		}
	}
	added := 0
	const batch = 400
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(rows); start += batch {
			part := rows[start:min(start+batch, len(rows))]
			var b strings.Builder
			b.WriteString(`INSERT INTO campaign_queue (campaign_id, contact_id, org_id, languages, district, next_at) VALUES `)
			args := make([]any, 0, len(part)*5+2)
			args = append(args, c.ID, now)
			for i, ct := range part {
				if i > 0 {
					b.WriteString(", ")
				}
				n := len(args)
				fmt.Fprintf(&b, "($1, $%d, $%d, $%d, $%d, $2)", n+1, n+2, n+3, n+4)
				args = append(args, ct.ID, ct.OrgID, wrapLangs(ct.Languages), ct.District)
			}
			b.WriteString(` ON CONFLICT (campaign_id, contact_id) DO NOTHING`)
			res, err := tx.ExecContext(ctx, b.String(), args...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("fill queue of campaign %d: %w", c.ID, err)
	}
	return added, nil
}

// Reaches reports whether the campaign calls the contact: her group takes
// part, she speaks one of its languages and lives in one of its districts
// (an empty list of either means every one).
func Reaches(c Campaign, ct Contact) bool {
	if !slices.Contains(c.GroupIDs, ct.OrgID) || len(ct.Languages) == 0 {
		return false
	}
	if len(c.Districts) > 0 && !slices.Contains(c.Districts, ct.District) {
		return false
	}
	if len(c.Languages) == 0 {
		return true
	}
	for _, l := range ct.Languages {
		if slices.Contains(c.Languages, l) {
			return true
		}
	}
	return false
}

const leaseColumns = `id, contact_id, org_id, languages, district, attempts, lease_seq, lease_until, lease_started, last_outcome`

func scanLease(row interface{ Scan(...any) error }) (Lease, error) {
	var l Lease
	var langs string
	err := row.Scan(&l.EntryID, &l.ContactID, &l.OrgID, &langs, &l.District, &l.Attempts, &l.Seq, &l.Until, &l.Started, &l.LastOutcome)
	l.Languages = splitList(langs)
	return l, err
}

// claimQuery is the one place where the databases differ in the queue.
// Both pick and take the next entry in a single UPDATE, so that no two
// volunteers get the same contact. On PostgreSQL, FOR UPDATE SKIP LOCKED
// lets concurrent claims (from any number of megafon processes) pass rows
// another transaction is taking instead of waiting for them; on SQLite
// every write goes through one connection, so the statement is atomic as
// it stands. The order is CallsBefore's: callbacks with an answer, then
// callbacks, then never tried, then retries, the longest waiting first;
// the claim moves next_at to the end of the lease, so the entry comes back
// by itself when the lease runs out.
func claimQuery(d db.Dialect, filter string) string {
	lock := ""
	if d == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return `UPDATE campaign_queue SET lease_holder = $1, lease_until = $2, next_at = $2, lease_started = $3, lease_seq = lease_seq + 1
		WHERE id = (SELECT id FROM campaign_queue WHERE ` + filter + `
			ORDER BY priority, next_at, id LIMIT 1` + lock + `)
		RETURNING ` + leaseColumns
}

// ClaimNext gives the caller the next contact of the campaign from the
// groups (hers, see CallerGroups) who speaks one of her languages, held
// for her for the campaign's lease. A contact she already holds comes
// back first, so a reload or a second tap never takes two. It returns
// ErrNothingToCall when none is due.
func (s *Store) ClaimNext(ctx context.Context, c Campaign, caller *auth.User, groups []int64) (Lease, error) {
	now := s.now()
	if len(groups) == 0 || len(caller.Languages) == 0 {
		return Lease{}, ErrNothingToCall
	}
	held, err := scanLease(s.DB.QueryRow(ctx, `SELECT `+leaseColumns+` FROM campaign_queue
		WHERE lease_holder = $1 AND campaign_id = $2 AND state = 'queued' AND lease_until > $3 ORDER BY id LIMIT 1`, caller.ID, c.ID, now))
	switch {
	case err == nil:
		return held, nil
	case !errors.Is(err, sql.ErrNoRows):
		return Lease{}, fmt.Errorf("claim in campaign %d: %w", c.ID, err)
	}
	return s.claimFresh(ctx, c, caller, groups)
}

// claimFresh takes the next due entry for the caller, whatever she holds.
func (s *Store) claimFresh(ctx context.Context, c Campaign, caller *auth.User, groups []int64) (Lease, error) {
	now := s.now()
	args := []any{caller.ID, now.Add(time.Duration(c.LeaseMinutes) * time.Minute), now, c.ID}
	mark := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	filter := `campaign_id = $4 AND state = 'queued' AND next_at <= $3`
	var orgs, langs []string
	for _, g := range groups {
		orgs = append(orgs, mark(g))
	}
	for _, l := range caller.Languages {
		langs = append(langs, "languages LIKE "+mark("%,"+l+",%"))
	}
	filter += ` AND org_id IN (` + strings.Join(orgs, ", ") + `) AND (` + strings.Join(langs, " OR ") + `)`
	l, err := scanLease(s.DB.WriteRow(ctx, claimQuery(s.DB.Dialect, filter), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, ErrNothingToCall
	}
	if err != nil {
		return Lease{}, fmt.Errorf("claim in campaign %d: %w", c.ID, err)
	}
	return l, nil
}

// Held returns the entry the caller holds under claim seq, for the call
// screen; a problem when it is not (or no longer) hers.
func (s *Store) Held(ctx context.Context, campaignID, entryID int64, seq int, caller *auth.User) (Lease, error) {
	var holder sql.NullInt64
	l, err := scanLeaseHolder(s.DB.QueryRow(ctx, `SELECT `+leaseColumns+`, lease_holder, state FROM campaign_queue
		WHERE id = $1 AND campaign_id = $2`, entryID, campaignID), &holder)
	if errors.Is(err, sql.ErrNoRows) {
		return l, problem.New(problem.NotFound, "error.not_found")
	}
	if err != nil {
		return l, fmt.Errorf("held entry %d: %w", entryID, err)
	}
	if !holder.Valid || holder.Int64 != caller.ID || l.Seq != seq {
		return l, ErrLeaseLost
	}
	return l, nil
}

func scanLeaseHolder(row interface{ Scan(...any) error }, holder *sql.NullInt64) (Lease, error) {
	var l Lease
	var langs, state string
	var until, started sql.NullTime
	err := row.Scan(&l.EntryID, &l.ContactID, &l.OrgID, &langs, &l.District, &l.Attempts, &l.Seq, &until, &started, &l.LastOutcome, holder, &state)
	l.Languages, l.Until, l.Started = splitList(langs), until.Time, started.Time
	if err == nil && state != "queued" {
		holder.Valid = false
	}
	return l, err
}

// Remove takes a contact that the register no longer has, or may no
// longer call, out of the campaign's queue: the entry the lease l holds is
// done, with "removed" as its last outcome, and no call is recorded.
func (s *Store) Remove(ctx context.Context, c Campaign, l Lease) error {
	_, err := s.DB.Exec(ctx, `UPDATE campaign_queue SET state = 'done', last_outcome = 'removed', lease_holder = NULL, lease_until = NULL,
		lease_started = NULL WHERE id = $1 AND campaign_id = $2 AND lease_seq = $3`, l.EntryID, c.ID, l.Seq)
	if err != nil {
		return fmt.Errorf("remove entry %d from campaign %d: %w", l.EntryID, c.ID, err)
	}
	return nil
}

// Report is what a volunteer records at the end of a call, in one screen.
type Report struct {
	EntryID       int64
	Seq           int    // the claim it belongs to
	Key           string // the screen's idempotency key: a retry records once
	Outcome       Outcome
	CallbackAt    *time.Time
	OtherLanguage string
	Answers       Answers
	AskedText     string
	AskedTopics   []string
	Escalate      bool   // "I couldn't answer this"
	Summary       string // her short Swedish summary of an escalated question
	AnsweredWith  int64  // the handbook entry she answered it with, on the screen
	AnsweredVer   int64  // in the version she had open
	CallbackOK    bool   // the resident may be called back with the answer
	AskedLanguage string // the language her question was asked in: one of hers, else the call's
	Masked        bool   // Validate masked personal data in the question (she is told)
}

// Validate checks a report against the campaign at now and returns every
// problem, by form field.
func (r *Report) Validate(c Campaign, now time.Time) error {
	var l problem.List
	if !r.Outcome.Valid() {
		l.Add("outcome", "campaign.error.outcome")
	}
	if r.Key == "" || len(r.Key) > 64 {
		l = append(l, problem.New(problem.BadRequest, "error.bad_request"))
	}
	switch r.Outcome {
	case Callback:
		if r.CallbackAt == nil || !r.CallbackAt.After(now) || r.CallbackAt.After(now.AddDate(0, 2, 0)) {
			l.Add("callback_at", "campaign.error.callback_at")
		}
	case OtherLanguage:
		t, err := language.Parse(strings.TrimSpace(r.OtherLanguage))
		if err != nil {
			l.Add("other_language", "campaign.error.other_language")
		} else {
			r.OtherLanguage = t.String()
		}
	}
	if r.Outcome != Callback {
		r.CallbackAt = nil
	}
	if r.Outcome != OtherLanguage {
		r.OtherLanguage = ""
	}
	for i, a := range r.Answers {
		if i < 0 || i >= len(c.Questions) {
			delete(r.Answers, i)
			continue
		}
		v, ok := ParseAnswer(c.Questions[i], a)
		if !ok {
			l.Add(fmt.Sprintf("a%d", i), "campaign.error.answer")
		}
		if v == "" {
			delete(r.Answers, i)
		} else {
			r.Answers[i] = v
		}
	}
	if r.AnsweredWith != 0 && r.AnsweredWith != c.ScriptEntryID && !slices.Contains(c.EntryIDs, r.AnsweredWith) {
		l.Add("asked_entry", "campaign.error.answered_with")
		r.AnsweredWith, r.AnsweredVer = 0, 0
	}
	if r.AskedText != "" || len(r.AskedTopics) > 0 || r.Escalate {
		// The question alone, checked and masked as the question module
		// checks every question, with its messages on this form's fields.
		d := r.question(c)
		found, err := d.Clean()
		if ps, ok := problem.As(err); ok {
			for _, e := range ps {
				if e.Field != "" {
					e.Field = "asked_" + e.Field
				}
				l = append(l, e)
			}
		} else if err != nil {
			l = append(l, problem.New(problem.BadRequest, "error.bad_request"))
		}
		r.AskedText, r.Summary, r.AskedTopics, r.Masked = d.Text, d.Summary, d.Topics, found.Any()
		if r.AskedLanguage != "" {
			r.AskedLanguage = d.Language
		}
		r.AnsweredWith, r.AnsweredVer, r.CallbackOK = d.EntryID, d.VersionID, d.Callback
	}
	return l.Err()
}

// question is the report's question as the question module records it,
// without the call's own facts, which RecordOutcome adds.
func (r *Report) question(c Campaign) question.Draft {
	lang := r.AskedLanguage
	if lang == "" {
		lang = handbook.Swedish // not said: checked as Swedish, recorded in the call's language
	}
	return question.Draft{OperationID: c.OperationID, Source: question.FromCampaign, CampaignID: c.ID,
		Language: lang, Topics: r.AskedTopics, Text: r.AskedText, Summary: r.Summary, Escalate: r.Escalate,
		OnTheSpot: r.AnsweredWith != 0, EntryID: r.AnsweredWith, VersionID: r.AnsweredVer, Callback: r.CallbackOK}
}

// Recorded is what RecordOutcome did.
type Recorded struct {
	CallID    int64
	Duplicate bool // the same screen was recorded before: nothing changed
	Final     bool // the contact leaves the queue
	NextAt    time.Time
}

// maxCallLength bounds a recorded duration: a screen left open overnight
// is not an eight-hour call.
const maxCallLength = 4 * time.Hour

// RecordOutcome saves a validated report of the caller's call, at most
// once per Key: the call, the contact's next place in the queue (by the
// campaign's retry rules), and the questions the resident asked. All or
// nothing. An outcome for a contact that was given to another volunteer
// (the caller's lease ran out and someone else took it) is refused with
// ErrLeaseLost. A do-not-call outcome takes the contact out of every
// campaign's queue; the caller also puts it on the contact module's list.
func (s *Store) RecordOutcome(ctx context.Context, c Campaign, caller *auth.User, r Report) (Recorded, error) {
	now := s.now()
	var rec Recorded
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if dup, err := recordedBefore(ctx, tx, r.Key); err != nil || dup != 0 {
			rec = Recorded{CallID: dup, Duplicate: true}
			return err
		}
		var l Lease
		var holder sql.NullInt64
		l, err := scanLeaseHolder(tx.QueryRowContext(ctx, `SELECT `+leaseColumns+`, lease_holder, state FROM campaign_queue
			WHERE id = $1 AND campaign_id = $2`, r.EntryID, c.ID), &holder)
		if errors.Is(err, sql.ErrNoRows) {
			return problem.New(problem.NotFound, "error.not_found")
		}
		if err != nil {
			return err
		}
		if !holder.Valid || holder.Int64 != caller.ID || l.Seq != r.Seq {
			// Either lost, or a concurrent request with the same key
			// committed between our first look and this one.
			if dup, err := recordedBefore(ctx, tx, r.Key); err != nil || dup != 0 {
				rec = Recorded{CallID: dup, Duplicate: true}
				return err
			}
			return ErrLeaseLost
		}
		attempts := l.Attempts + 1
		next, final := NextAttempt(c.Rules, attempts, r.Outcome, now, r.CallbackAt)
		state := "queued"
		if final {
			state, next = "done", now
		}
		langs := wrapLangs(l.Languages)
		if r.Outcome == OtherLanguage {
			langs = wrapLangs([]string{r.OtherLanguage})
		}
		priority := PriorityRetry
		if r.Outcome == Callback {
			priority = PriorityCallback
		}
		res, err := tx.ExecContext(ctx, `UPDATE campaign_queue SET attempts = $1, state = $2, next_at = $3, priority = $4, callback_at = $5,
			last_outcome = $6, languages = $7, lease_holder = NULL, lease_until = NULL, lease_started = NULL
			WHERE id = $8 AND lease_holder = $9 AND lease_seq = $10`,
			attempts, state, db.Now(next), int(priority), nullTime(r.CallbackAt), string(r.Outcome), langs, r.EntryID, caller.ID, r.Seq)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// A concurrent request with the same key got here first.
			if dup, err := recordedBefore(ctx, tx, r.Key); err != nil || dup != 0 {
				rec = Recorded{CallID: dup, Duplicate: true}
				return err
			}
			return ErrLeaseLost
		}
		if err := settleAnswerCallbacks(ctx, tx, l, r.Outcome, now); err != nil {
			return err
		}
		started := l.Started
		if started.IsZero() || started.After(now) {
			started = now
		}
		duration := min(now.Sub(started), maxCallLength)
		answers := map[string]string{}
		for i, a := range r.Answers {
			answers[strconv.Itoa(i)] = a
		}
		callLang := CallLanguage(l.Languages, caller.Languages)
		var callID int64
		err = tx.QueryRowContext(ctx, `INSERT INTO campaign_calls (campaign_id, queue_id, contact_id, org_id, caller_id, language, district,
			attempt, outcome, other_language, callback_at, answers, asked_topics, started_at, ended_at, duration_seconds, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			c.ID, r.EntryID, l.ContactID, l.OrgID, caller.ID, callLang, l.District, attempts, string(r.Outcome), r.OtherLanguage,
			nullTime(r.CallbackAt), encodeJSON(answers), strings.Join(r.AskedTopics, ","), db.Now(started), now,
			int(duration/time.Second), r.Key).Scan(&callID)
		if err != nil {
			return err
		}
		if r.AskedText != "" || len(r.AskedTopics) > 0 {
			qs := &question.Store{DB: s.DB, Now: s.Now}
			d := r.question(c)
			d.CallID, d.AskedBy, d.OrgID, d.District = callID, caller.ID, l.OrgID, l.District
			if r.AskedLanguage == "" || !slices.Contains(l.Languages, d.Language) {
				d.Language = callLang // not said, or not one of hers
			}
			if _, _, err := qs.RecordTx(ctx, tx, d); err != nil {
				return err
			}
		}
		if r.Outcome == DoNotCall {
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_queue SET state = 'done', lease_holder = NULL, lease_until = NULL
				WHERE contact_id = $1`, l.ContactID); err != nil {
				return err
			}
		}
		rec = Recorded{CallID: callID, Final: final, NextAt: next}
		return nil
	})
	if err != nil {
		if _, ok := problem.As(err); ok {
			return rec, err
		}
		if db.IsUniqueViolation(err) {
			// Two requests with one key raced on PostgreSQL: the other won.
			return Recorded{Duplicate: true}, nil
		}
		return rec, fmt.Errorf("record outcome of entry %d: %w", r.EntryID, err)
	}
	return rec, nil
}

func recordedBefore(ctx context.Context, tx *sql.Tx, key string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM campaign_calls WHERE idempotency_key = $1`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return db.Now(*t)
}
