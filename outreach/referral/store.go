package referral

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/redact"
	"megafon/platform/secret"
)

// Bounds of what a volunteer types: "what is needed" is a short note, not
// a case file (sensitive data: keep free text short), and a way to reach
// someone is a number or a time and place.
const (
	MaxNeedRunes    = 1000
	MaxContactRunes = 200
	contactContext  = "referral.contact"
)

// Audit actions of the module.
const (
	AuditView        = "view_referral"
	AuditMove        = "move_referral"
	AuditRouteChange = "referral_route_change"
)

// Problems the store answers with.
var (
	ErrNotFound     = problem.New(problem.NotFound, "error.not_found")
	errMove         = problem.New(problem.Conflict, "referral.error.move")
	errKeyTaken     = problem.New(problem.Conflict, "referral.error.key_taken")
	errContactGone  = problem.New(problem.Gone, "referral.error.contact_gone")
	errRouteMissing = problem.Field("category", "referral.error.no_route")
)

// Store keeps referrals and the routing table. Keys encrypts how to reach
// residents; Now is the clock.
type Store struct {
	DB   *db.DB
	Keys *secret.Keyring
	Now  func() time.Time
	// ContactRetention is how long a closed referral keeps its contact;
	// zero means DefaultContactRetention.
	ContactRetention time.Duration
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

func (s *Store) retention() time.Duration {
	if s.ContactRetention > 0 {
		return s.ContactRetention
	}
	return DefaultContactRetention
}

// Route is one row of the routing table.
type Route struct {
	Category Category
	OrgID    int64 // zero when the category is not routed
	OrgName  string
}

// Routes returns the routing table, one row per category in order.
func (s *Store) Routes(ctx context.Context) ([]Route, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.category, r.org_id, o.name FROM referral_routes r JOIN orgs o ON o.id = r.org_id`)
	if err != nil {
		return nil, fmt.Errorf("referral routes: %w", err)
	}
	defer rows.Close()
	byCat := map[Category]Route{}
	for rows.Next() {
		var r Route
		if err := rows.Scan(&r.Category, &r.OrgID, &r.OrgName); err != nil {
			return nil, fmt.Errorf("referral routes: %w", err)
		}
		byCat[r.Category] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("referral routes: %w", err)
	}
	out := make([]Route, len(Categories))
	for i, c := range Categories {
		out[i] = byCat[c]
		out[i].Category = c
	}
	return out, nil
}

// RouteField is the form field of a category in the routing table.
func RouteField(c Category) string { return "route_" + string(c) }

// SetRoutes replaces the routing table: each category to the
// administration orgIDs names, or to none when it is zero. Every
// organisation must be a city administration; otherwise nothing is saved.
func (s *Store) SetRoutes(ctx context.Context, by *auth.User, orgIDs map[Category]int64, addr string, log *audit.Log) error {
	for c := range orgIDs {
		if !c.Valid() {
			return problem.New(problem.Invalid, "referral.error.category")
		}
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var l problem.List
		for _, c := range Categories {
			id, ok := orgIDs[c]
			if !ok || id == 0 {
				continue
			}
			var kind string
			err := tx.QueryRowContext(ctx, `SELECT kind FROM orgs WHERE id = $1`, id).Scan(&kind)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != string(auth.Administration)) {
				l.Add(RouteField(c), "referral.error.route_org")
				continue
			}
			if err != nil {
				return fmt.Errorf("set referral routes: %w", err)
			}
		}
		if err := l.Err(); err != nil {
			return err
		}
		var changes []string
		for _, c := range Categories {
			id, ok := orgIDs[c]
			if !ok {
				continue
			}
			if id == 0 {
				if _, err := tx.ExecContext(ctx, `DELETE FROM referral_routes WHERE category = $1`, c); err != nil {
					return fmt.Errorf("set referral routes: %w", err)
				}
			} else if _, err := tx.ExecContext(ctx, `INSERT INTO referral_routes (category, org_id, updated_by, updated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (category) DO UPDATE SET org_id = excluded.org_id, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				c, id, by.ID, now); err != nil {
				return fmt.Errorf("set referral routes: %w", err)
			}
			changes = append(changes, fmt.Sprintf("%s=%d", c, id))
		}
		if log == nil {
			return nil
		}
		return log.RecordTx(ctx, tx, audit.Entry{ActorID: by.ID, ActorName: by.Name, Action: AuditRouteChange,
			Subject: "referral_routes", Detail: strings.Join(changes, " "), Addr: addr})
	})
}

// Filing is what a volunteer enters to file a referral.
type Filing struct {
	Category Category
	Urgency  Urgency
	Need     string
	Consent  bool   // the resident agreed to be contacted
	Contact  string // how to reach her, only with consent
	Key      string // the form's idempotency token
}

// validKey is a form token as the page makes it: 32 hex digits.
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

// Clean checks a filing, trims it and masks its need, and returns every
// problem at once. found says what was masked, so the volunteer is told.
func (f *Filing) Clean() (found redact.Found, err error) {
	var l problem.List
	if !f.Category.Valid() {
		l.Add("category", "referral.error.category")
	}
	if !f.Urgency.Valid() {
		l.Add("urgency", "referral.error.urgency")
	}
	f.Need = strings.TrimSpace(f.Need)
	switch n := utf8.RuneCountInString(f.Need); {
	case n == 0:
		l.Add("need", "referral.error.need_required")
	case n > MaxNeedRunes:
		l.Add("need", "referral.error.too_long", "Max", MaxNeedRunes)
	}
	f.Contact = strings.TrimSpace(f.Contact)
	switch {
	case f.Contact != "" && !f.Consent:
		l.Add("consent", "referral.error.consent")
	case f.Consent && f.Contact == "":
		l.Add("contact", "referral.error.contact_required")
	case utf8.RuneCountInString(f.Contact) > MaxContactRunes:
		l.Add("contact", "referral.error.too_long", "Max", MaxContactRunes)
	}
	if !validKey(f.Key) {
		l.Add("", "referral.error.form_expired")
	}
	if err := l.Err(); err != nil {
		return found, err
	}
	f.Need, found = redact.Text(f.Need)
	return found, nil
}

// File saves a referral by volunteer by, of her group groupID, in the
// operation opID: routed to the administration of its category, with its
// deadlines from its urgency. The filing must be Clean. A second filing
// with the same key by the same person (a double tap, a retry) returns the
// first referral; by anyone else it is refused.
func (s *Store) File(ctx context.Context, by *auth.User, opID, groupID int64, f Filing) (int64, error) {
	now := s.now()
	ack, closeBy := DueDates(f.Urgency, now)
	var contactEnc sql.NullString
	if f.Consent && f.Contact != "" {
		enc, err := s.Keys.EncryptString(f.Contact, contactContext)
		if err != nil {
			return 0, fmt.Errorf("file referral: %w", err)
		}
		contactEnc = sql.NullString{String: enc, Valid: true}
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// The key first: a retry must find its referral even if the
		// routing table changed in between.
		var filer sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, filed_by FROM referrals WHERE idempotency_key = $1`, f.Key).Scan(&id, &filer)
		if err == nil {
			if filer.Int64 != by.ID {
				return errKeyTaken
			}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var orgID int64
		err = tx.QueryRowContext(ctx, `SELECT r.org_id FROM referral_routes r JOIN orgs o ON o.id = r.org_id
			WHERE r.category = $1 AND o.kind = 'administration'`, f.Category).Scan(&orgID)
		if errors.Is(err, sql.ErrNoRows) {
			return errRouteMissing
		}
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO referrals (operation_id, group_id, org_id, filed_by, category, urgency, need,
			contact_enc, state, ack_due, close_due, filed_at, updated_at, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', $9, $10, $11, $11, $12) RETURNING id`,
			opID, groupID, orgID, by.ID, f.Category, f.Urgency, f.Need, contactEnc, ack, closeBy, now, f.Key).Scan(&id)
		return err
	})
	if db.IsUniqueViolation(err) {
		// Two taps raced past the look-up: the other one saved it.
		var filer sql.NullInt64
		if err := s.DB.QueryRow(ctx, `SELECT id, filed_by FROM referrals WHERE idempotency_key = $1`, f.Key).Scan(&id, &filer); err != nil {
			return 0, fmt.Errorf("file referral: %w", err)
		}
		if filer.Int64 != by.ID {
			return 0, errKeyTaken
		}
		return id, nil
	}
	if _, ok := problem.As(err); ok {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("file referral: %w", err)
	}
	return id, nil
}

const referralColumns = `r.id, r.operation_id, op.name, r.group_id, g.name, r.org_id, o.name, COALESCE(r.filed_by, 0), COALESCE(p.name, ''),
	r.category, r.urgency, r.need, r.contact_enc IS NOT NULL, r.contact_deleted_at, r.state, r.outcome,
	r.ack_due, r.close_due, r.filed_at, r.acknowledged_at, r.closed_at
	FROM referrals r JOIN operations op ON op.id = r.operation_id JOIN orgs g ON g.id = r.group_id JOIN orgs o ON o.id = r.org_id
	LEFT JOIN people p ON p.id = r.filed_by`

func scanReferral(row interface{ Scan(...any) error }) (Referral, error) {
	var r Referral
	var deleted, acked, closed sql.NullTime
	err := row.Scan(&r.ID, &r.OperationID, &r.OperationName, &r.GroupID, &r.GroupName, &r.OrgID, &r.OrgName, &r.FiledBy, &r.FiledByName,
		&r.Category, &r.Urgency, &r.Need, &r.HasContact, &deleted, &r.State, &r.Outcome,
		&r.AckDue, &r.CloseDue, &r.FiledAt, &acked, &closed)
	r.ContactDeleted, r.AcknowledgedAt, r.ClosedAt = deleted.Time, acked.Time, closed.Time
	return r, err
}

// get reads a referral without asking who may see it: for the store's
// own checks only.
func (s *Store) get(ctx context.Context, id int64) (Referral, error) {
	r, err := scanReferral(s.DB.QueryRow(ctx, `SELECT `+referralColumns+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Referral{}, fmt.Errorf("referral %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Referral{}, fmt.Errorf("referral %d: %w", id, err)
	}
	return r, nil
}

// View returns a referral's details to a coordinator of its
// administration and records that she saw them; to anyone else it is not
// found, so that nobody learns it exists. No view without its trace: a
// failed audit write fails the view.
func (s *Store) View(ctx context.Context, id int64, viewer *auth.User, log *audit.Log, addr string) (Referral, error) {
	r, err := s.get(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !CanSeeDetails(viewer, r.OrgID)) {
		return Referral{}, ErrNotFound
	}
	if err != nil {
		return Referral{}, err
	}
	if err := log.Record(ctx, audit.Entry{ActorID: viewer.ID, ActorName: viewer.Name, Action: AuditView,
		Subject: fmt.Sprintf("referral:%d", id), Addr: addr}); err != nil {
		return Referral{}, fmt.Errorf("view referral %d: audit: %w", id, err)
	}
	return r, nil
}

// RevealContact returns how to reach the resident of a referral to a
// coordinator of its administration, and records the view in the audit
// log as a view of personal data.
func (s *Store) RevealContact(ctx context.Context, id int64, viewer *auth.User, log *audit.Log, addr string) (string, error) {
	var orgID int64
	var enc sql.NullString
	err := s.DB.QueryRow(ctx, `SELECT org_id, contact_enc FROM referrals WHERE id = $1`, id).Scan(&orgID, &enc)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !CanSeeDetails(viewer, orgID)) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("reveal referral contact %d: %w", id, err)
	}
	if !enc.Valid {
		return "", errContactGone
	}
	contact, err := s.Keys.DecryptString(enc.String, contactContext)
	if err != nil {
		return "", fmt.Errorf("reveal referral contact %d: %w", id, err)
	}
	if err := log.Record(ctx, audit.Entry{ActorID: viewer.ID, ActorName: viewer.Name, Action: audit.ViewPersonal,
		Subject: fmt.Sprintf("referral_contact:%d", id), Addr: addr}); err != nil {
		return "", fmt.Errorf("reveal referral contact %d: audit: %w", id, err)
	}
	return contact, nil
}

// ForAdministrations lists the referrals routed to the administrations:
// the open ones (most urgent, then oldest), then the most recently closed.
func (s *Store) ForAdministrations(ctx context.Context, orgIDs []int64) ([]Referral, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(orgIDs))
	marks := make([]string, len(orgIDs))
	for i, id := range orgIDs {
		args[i] = id
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	in := strings.Join(marks, ",")
	open, err := s.list(ctx, `SELECT `+referralColumns+` WHERE r.org_id IN (`+in+`) AND r.state <> 'closed'
		ORDER BY CASE r.urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END, r.filed_at, r.id`, args...)
	if err != nil {
		return nil, err
	}
	closed, err := s.list(ctx, `SELECT `+referralColumns+` WHERE r.org_id IN (`+in+`) AND r.state = 'closed'
		ORDER BY r.closed_at DESC, r.id DESC LIMIT `+strconv.Itoa(MaxClosedListed), args...)
	return append(open, closed...), err
}

// MaxClosedListed is how many closed referrals the list shows, the most
// recently closed: the open ones are the work, the closed a reminder.
const MaxClosedListed = 50

func (s *Store) list(ctx context.Context, query string, args ...any) ([]Referral, error) {
	rows, err := s.DB.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("referrals of administrations: %w", err)
	}
	defer rows.Close()
	var out []Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, fmt.Errorf("referrals of administrations: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FiledBy lists the status of the referrals a person filed, newest first.
func (s *Store) FiledBy(ctx context.Context, personID int64) ([]Status, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.id, op.name, r.category, r.urgency, r.state, r.filed_at, r.updated_at
		FROM referrals r JOIN operations op ON op.id = r.operation_id WHERE r.filed_by = $1 ORDER BY r.filed_at DESC, r.id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("referrals filed by %d: %w", personID, err)
	}
	defer rows.Close()
	var out []Status
	for rows.Next() {
		var st Status
		if err := rows.Scan(&st.ID, &st.OperationName, &st.Category, &st.Urgency, &st.State, &st.FiledAt, &st.UpdatedAt); err != nil {
			return nil, fmt.Errorf("referrals filed by %d: %w", personID, err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// Move moves a referral to the state to, for a coordinator of its
// administration; closing needs an outcome. The move happens only from
// the state the referral is in when it is saved: of two coordinators
// acknowledging at once, one succeeds and the other is told it moved.
func (s *Store) Move(ctx context.Context, id int64, by *auth.User, to State, outcome Outcome, log *audit.Log, addr string) error {
	r, err := s.get(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !CanSeeDetails(by, r.OrgID)) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if to == Closed && !outcome.Valid() {
		return problem.Field("outcome", "referral.error.outcome")
	}
	if to != Closed {
		outcome = ""
	}
	if !CanMove(r.State, to) {
		return errMove
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET state = $1, outcome = $2, updated_at = $3,
			acknowledged_at = CASE WHEN $1 = 'acknowledged' THEN $3 ELSE acknowledged_at END,
			closed_at = CASE WHEN $1 = 'closed' THEN $3 ELSE closed_at END
			WHERE id = $4 AND state = $5`, string(to), string(outcome), now, id, string(r.State))
		if err != nil {
			return fmt.Errorf("move referral %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errMove
		}
		if log == nil {
			return nil
		}
		return log.RecordTx(ctx, tx, audit.Entry{ActorID: by.ID, ActorName: by.Name, Action: AuditMove,
			Subject: fmt.Sprintf("referral:%d", id), Detail: fmt.Sprintf("%s -> %s %s", r.State, to, outcome), Addr: addr})
	})
}

// DeleteExpiredContacts deletes how to reach the resident from every
// referral closed longer ago than the retention time, and returns how
// many it deleted. The referral itself stays, for the reports.
func (s *Store) DeleteExpiredContacts(ctx context.Context) (int, error) {
	now := s.now()
	res, err := s.DB.Exec(ctx, `UPDATE referrals SET contact_enc = NULL, contact_deleted_at = $1
		WHERE contact_enc IS NOT NULL AND state = 'closed' AND closed_at <= $2`, now, now.Add(-s.retention()))
	if err != nil {
		return 0, fmt.Errorf("delete expired referral contacts: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// UrgentUnacknowledged counts the operation's urgent referrals still new
// after their acknowledgement deadline at now: the signal that the city
// is not keeping up with residents at risk.
func (s *Store) UrgentUnacknowledged(ctx context.Context, opID int64, now time.Time) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM referrals WHERE operation_id = $1 AND urgency = 'urgent' AND state = 'new' AND ack_due < $2`,
		opID, db.Now(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("urgent referrals of operation %d: %w", opID, err)
	}
	return n, nil
}

// Reencrypt encrypts every referral contact that is not under the
// keyring's current key again with it, and returns how many it changed:
// `megafon keys reencrypt` runs it with the contacts', so that the old key
// can be dropped.
func (s *Store) Reencrypt(ctx context.Context) (int, error) {
	prefix := "v1:" + s.Keys.CurrentKeyID() + ":%"
	rows, err := s.DB.Query(ctx, `SELECT id, contact_enc FROM referrals WHERE contact_enc IS NOT NULL AND contact_enc NOT LIKE $1 ORDER BY id`, prefix)
	if err != nil {
		return 0, fmt.Errorf("re-encrypt referral contacts: %w", err)
	}
	type row struct {
		id  int64
		enc string
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.enc); err != nil {
			rows.Close()
			return 0, fmt.Errorf("re-encrypt referral contacts: %w", err)
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("re-encrypt referral contacts: %w", err)
	}
	changed := 0
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range todo {
			enc, err := s.Keys.Reencrypt(r.enc, contactContext)
			if err != nil {
				return fmt.Errorf("referral %d: %w", r.id, err)
			}
			// Only if unchanged meanwhile: the retention job may have
			// deleted it.
			res, err := tx.ExecContext(ctx, `UPDATE referrals SET contact_enc = $1 WHERE id = $2 AND contact_enc = $3`, enc, r.id, r.enc)
			if err != nil {
				return fmt.Errorf("referral %d: %w", r.id, err)
			}
			n, _ := res.RowsAffected()
			changed += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("re-encrypt referral contacts: %w", err)
	}
	return changed, nil
}
