// Package contact is the register of residents that partner groups call:
// numbers and names encrypted at rest with a keyed hash for look-up, the
// lawful basis of each contact and the date it is deleted, imports of
// CSV and XLSX lists, and the do-not-call list. A group sees its own
// contacts; the city sees counts.
package contact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"megafon/outreach/contact/phone"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/secret"
)

// Contact is what a campaign needs to know about a resident: no name, no
// number.
type Contact struct {
	ID        int64
	OrgID     int64
	Languages []string // BCP 47, the preferred first
	District  string
}

// Listed is a contact as its group's list shows it: the number masked.
type Listed struct {
	Contact
	Masked      string
	HasName     bool
	Basis       string
	RetainUntil time.Time
	ImportID    int64
}

// NewContact is a contact typed in by hand.
type NewContact struct {
	Phone       string // as typed; normalised to E.164
	Name        string
	Languages   []string
	District    string
	Basis       string
	BasisNote   string
	RetainUntil time.Time
}

// Lawful bases of processing a resident's number (GDPR art. 6).
const (
	BasisConsent     = "consent"
	BasisPublicTask  = "public_task"
	BasisLegitimate  = "legitimate_interest"
	hashPurpose      = "contact.phone"
	phoneContext     = "contact.phone"
	nameContext      = "contact.name"
	fileContext      = "contact.import_file"
	maxNameLen       = 200
	maxDistrictLen   = 100
	maxBasisNoteLen  = 500
	defaultRetention = 365 * 24 * time.Hour
)

// Bases lists the lawful bases, for forms.
var Bases = []string{BasisConsent, BasisPublicTask, BasisLegitimate}

// ValidBasis reports whether s is a lawful basis Megafon records.
func ValidBasis(s string) bool { return slices.Contains(Bases, s) }

// Store keeps contacts. Keys encrypts numbers and names; Now is the clock.
type Store struct {
	DB   *db.DB
	Keys *secret.Keyring
	Now  func() time.Time
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

// HashPhone returns the keyed hash of an E.164 number.
func (s *Store) HashPhone(e164 string) string { return s.Keys.HashString(hashPurpose, e164) }

var (
	errNotFound  = problem.New(problem.NotFound, "error.not_found")
	errDuplicate = problem.Field("phone", "contact.error.duplicate")
	errOnDNC     = problem.Field("phone", "contact.error.do_not_call")
)

// Add saves a contact typed in by hand for group orgID, recorded by by.
// The number must be new to the group and on no do-not-call list.
func (s *Store) Add(ctx context.Context, orgID int64, c NewContact, by *auth.User) (int64, error) {
	var l problem.List
	e164, err := phone.Normalize(c.Phone, "SE")
	if err != nil {
		l.Add("phone", "contact.error.phone."+string(phone.CodeOf(err)))
	}
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	if len(c.Name) > maxNameLen {
		l.Add("name", "contact.error.too_long")
	}
	if len(c.Languages) == 0 {
		l.Add("languages", "contact.error.languages")
	}
	c.District = strings.Join(strings.Fields(c.District), " ")
	if len(c.District) > maxDistrictLen {
		l.Add("district", "contact.error.too_long")
	}
	if !ValidBasis(c.Basis) {
		l.Add("basis", "contact.error.basis")
	}
	if len(c.BasisNote) > maxBasisNoteLen {
		l.Add("basis_note", "contact.error.too_long")
	}
	now := s.now()
	if c.RetainUntil.IsZero() || !c.RetainUntil.After(now) {
		l.Add("retain_until", "contact.error.retain_until")
	}
	if err := l.Err(); err != nil {
		return 0, err
	}
	hash := s.HashPhone(e164)
	if dnc, err := s.isDoNotCallFor(ctx, hash, orgID); err != nil {
		return 0, err
	} else if dnc {
		return 0, errOnDNC
	}
	phoneEnc, err := s.Keys.EncryptString(e164, phoneContext)
	if err != nil {
		return 0, err
	}
	var nameEnc sql.NullString
	if c.Name != "" {
		enc, err := s.Keys.EncryptString(c.Name, nameContext)
		if err != nil {
			return 0, err
		}
		nameEnc = sql.NullString{String: enc, Valid: true}
	}
	var id int64
	err = s.DB.WriteRow(ctx, `INSERT INTO contacts (org_id, phone_hash, phone_enc, name_enc, languages, district,
		lawful_basis, basis_note, basis_recorded_by, basis_recorded_at, retain_until, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10) RETURNING id`,
		orgID, hash, phoneEnc, nameEnc, strings.Join(c.Languages, ","), c.District,
		c.Basis, c.BasisNote, by.ID, now, db.Now(c.RetainUntil)).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, errDuplicate
	}
	if err != nil {
		return 0, fmt.Errorf("add contact: %w", err)
	}
	return id, nil
}

// ForGroups lists the callable contacts of the groups: those on no
// do-not-call list, neither the city's nor their group's.
func (s *Store) ForGroups(ctx context.Context, orgIDs []int64) ([]Contact, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(orgIDs))
	marks := make([]string, len(orgIDs))
	for i, id := range orgIDs {
		args[i] = id
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.DB.Query(ctx, `SELECT c.id, c.org_id, c.languages, c.district FROM contacts c
		WHERE c.org_id IN (`+strings.Join(marks, ",")+`)
		AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.phone_hash = c.phone_hash AND (d.org_id IS NULL OR d.org_id = c.org_id))
		ORDER BY c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("contacts for groups: %w", err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var c Contact
		var langs string
		if err := rows.Scan(&c.ID, &c.OrgID, &langs, &c.District); err != nil {
			return nil, fmt.Errorf("contacts for groups: %w", err)
		}
		c.Languages = auth.SplitLanguages(langs)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Callable reports whether the contact is still in the register and its
// number on no do-not-call list that holds for its group.
func (s *Store) Callable(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM contacts c WHERE c.id = $1
		AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.phone_hash = c.phone_hash AND (d.org_id IS NULL OR d.org_id = c.org_id))`, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("is contact %d callable: %w", id, err)
	}
	return n > 0, nil
}

// Get returns a contact, without its number or name.
func (s *Store) Get(ctx context.Context, id int64) (Contact, error) {
	var c Contact
	var langs string
	err := s.DB.QueryRow(ctx, `SELECT id, org_id, languages, district FROM contacts WHERE id = $1`, id).
		Scan(&c.ID, &c.OrgID, &langs, &c.District)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("contact %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("contact %d: %w", id, err)
	}
	c.Languages = auth.SplitLanguages(langs)
	return c, nil
}

// List returns a page of group orgID's contacts, numbers masked, and how
// many there are.
func (s *Store) List(ctx context.Context, orgID int64, offset, limit int) ([]Listed, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE org_id = $1`, orgID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count contacts: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT id, org_id, languages, district, phone_enc, name_enc IS NOT NULL,
		lawful_basis, retain_until, COALESCE(import_id, 0)
		FROM contacts WHERE org_id = $1 ORDER BY id LIMIT $2 OFFSET $3`, orgID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list contacts: %w", err)
	}
	defer rows.Close()
	var out []Listed
	for rows.Next() {
		var c Listed
		var langs, enc string
		if err := rows.Scan(&c.ID, &c.OrgID, &langs, &c.District, &enc, &c.HasName, &c.Basis, &c.RetainUntil, &c.ImportID); err != nil {
			return nil, 0, fmt.Errorf("list contacts: %w", err)
		}
		c.Languages = auth.SplitLanguages(langs)
		e164, err := s.Keys.DecryptString(enc, phoneContext)
		if err != nil {
			return nil, 0, fmt.Errorf("list contacts: contact %d: %w", c.ID, err)
		}
		c.Masked = Mask(e164)
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// Reveal decrypts a contact's number and name for viewer and records the
// view in the audit log. holds says that the caller checked that the
// viewer holds this contact now (a campaign's lease). CanReveal decides;
// anyone it refuses gets db.ErrNotFound, as if the contact did not exist.
func (s *Store) Reveal(ctx context.Context, contactID int64, viewer *auth.User, log *audit.Log, addr string, holds bool) (phoneNumber, name string, err error) {
	var orgID int64
	var phoneEnc string
	var nameEnc sql.NullString
	err = s.DB.QueryRow(ctx, `SELECT org_id, phone_enc, name_enc FROM contacts WHERE id = $1`, contactID).Scan(&orgID, &phoneEnc, &nameEnc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("reveal contact %d: %w", contactID, db.ErrNotFound)
	}
	if err != nil {
		return "", "", fmt.Errorf("reveal contact %d: %w", contactID, err)
	}
	if !CanReveal(viewer, orgID, holds) {
		return "", "", fmt.Errorf("reveal contact %d: %w", contactID, db.ErrNotFound)
	}
	if phoneNumber, err = s.Keys.DecryptString(phoneEnc, phoneContext); err != nil {
		return "", "", fmt.Errorf("reveal contact %d: %w", contactID, err)
	}
	if nameEnc.Valid {
		if name, err = s.Keys.DecryptString(nameEnc.String, nameContext); err != nil {
			return "", "", fmt.Errorf("reveal contact %d: %w", contactID, err)
		}
	}
	// No view without its trace: a failed audit write fails the reveal.
	if err := log.Record(ctx, audit.Entry{ActorID: viewer.ID, ActorName: viewer.Name, Action: audit.ViewPersonal,
		Subject: fmt.Sprintf("contact:%d", contactID), Addr: addr}); err != nil {
		return "", "", fmt.Errorf("reveal contact %d: audit: %w", contactID, err)
	}
	return phoneNumber, name, nil
}

// Delete removes a contact.
func (s *Store) Delete(ctx context.Context, contactID int64) error {
	res, err := s.DB.Exec(ctx, `DELETE FROM contacts WHERE id = $1`, contactID)
	if err != nil {
		return fmt.Errorf("delete contact %d: %w", contactID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete contact %d: %w", contactID, db.ErrNotFound)
	}
	return nil
}

// DoNotCall puts the contact's number on the do-not-call list and deletes
// the contact, in one transaction. A resident's own "don't call me again"
// is city-wide (orgWide false): no group calls her again. With orgWide the
// entry holds for the owning group only (a group that decides not to call
// a number).
func (s *Store) DoNotCall(ctx context.Context, contactID int64, orgWide bool) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var hash string
		var orgID int64
		err := tx.QueryRowContext(ctx, `SELECT phone_hash, org_id FROM contacts WHERE id = $1`, contactID).Scan(&hash, &orgID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("do not call contact %d: %w", contactID, db.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("do not call contact %d: %w", contactID, err)
		}
		var org any
		if orgWide {
			org = orgID
		}
		if err := insertDoNotCall(ctx, tx, hash, org, s.now()); err != nil {
			return err
		}
		// City-wide: every group's copy of the number goes.
		q, args := `DELETE FROM contacts WHERE phone_hash = $1`, []any{hash}
		if orgWide {
			q, args = `DELETE FROM contacts WHERE id = $1`, []any{contactID}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("do not call contact %d: %w", contactID, err)
		}
		return nil
	})
}

func insertDoNotCall(ctx context.Context, tx *sql.Tx, hash string, org any, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO do_not_call (phone_hash, org_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, hash, org, now)
	if err != nil {
		return fmt.Errorf("add to do-not-call list: %w", err)
	}
	return nil
}

// AddDoNotCall puts a number typed by a person on the do-not-call list:
// city-wide when orgID is 0, else for that group. Contacts with the number
// are deleted from the list's scope. It returns the number of contacts
// deleted.
func (s *Store) AddDoNotCall(ctx context.Context, raw string, orgID int64) (int, error) {
	e164, err := phone.Normalize(raw, "SE")
	if err != nil {
		return 0, problem.Field("phone", "contact.error.phone."+string(phone.CodeOf(err)))
	}
	hash := s.HashPhone(e164)
	var n int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var org any
		q, args := `DELETE FROM contacts WHERE phone_hash = $1`, []any{hash}
		if orgID != 0 {
			org = orgID
			q, args = `DELETE FROM contacts WHERE phone_hash = $1 AND org_id = $2`, []any{hash, orgID}
		}
		if err := insertDoNotCall(ctx, tx, hash, org, s.now()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("add to do-not-call list: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// IsDoNotCall reports whether the number with phoneHash is on the
// city-wide do-not-call list.
func (s *Store) IsDoNotCall(ctx context.Context, phoneHash string) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM do_not_call WHERE phone_hash = $1 AND org_id IS NULL`, phoneHash).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("is do not call: %w", err)
	}
	return n > 0, nil
}

func (s *Store) isDoNotCallFor(ctx context.Context, phoneHash string, orgID int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM do_not_call WHERE phone_hash = $1 AND (org_id IS NULL OR org_id = $2)`, phoneHash, orgID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("is do not call: %w", err)
	}
	return n > 0, nil
}

// DoNotCallCounts returns how many numbers are on the city-wide list and
// on group orgID's own.
func (s *Store) DoNotCallCounts(ctx context.Context, orgID int64) (city, group int, err error) {
	err = s.DB.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN org_id IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN org_id = $1 THEN 1 ELSE 0 END), 0) FROM do_not_call`, orgID).Scan(&city, &group)
	if err != nil {
		return 0, 0, fmt.Errorf("do-not-call counts: %w", err)
	}
	return city, group, nil
}

// Counts returns the number of contacts of every group that has any, by
// group id: what the city sees.
func (s *Store) Counts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.DB.Query(ctx, `SELECT org_id, COUNT(*) FROM contacts GROUP BY org_id`)
	if err != nil {
		return nil, fmt.Errorf("contact counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("contact counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// DeleteExpired deletes the contacts whose retention date has passed and
// returns how many. It also forgets uploads that hold numbers beyond
// their time: a draft nobody started within AbandonedAfter is deleted,
// and an import past its retention date loses its file (an interrupted
// one can then only be rolled back). The module runs it every hour.
func (s *Store) DeleteExpired(ctx context.Context) (int, error) {
	now := s.now()
	res, err := s.DB.Exec(ctx, `DELETE FROM contacts WHERE retain_until <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("delete expired contacts: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := s.DB.Exec(ctx, `DELETE FROM contact_imports WHERE state = 'draft' AND (updated_at < $1 OR retain_until <= $2)`,
		now.Add(-AbandonedAfter), now); err != nil {
		return int(n), fmt.Errorf("delete abandoned uploads: %w", err)
	}
	if _, err := s.DB.Exec(ctx, `UPDATE contact_imports SET file_enc = NULL, preview_enc = NULL WHERE file_enc IS NOT NULL AND retain_until <= $1`, now); err != nil {
		return int(n), fmt.Errorf("drop expired import files: %w", err)
	}
	return int(n), nil
}

// AbandonedAfter is how long an uploaded list may wait for its import to
// be started before it is deleted: it holds residents' numbers.
const AbandonedAfter = 7 * 24 * time.Hour

// Reencrypt encrypts every number and name that is not under the current
// key again with it, in batches, and returns how many contacts it changed.
// Run it after putting a new key first in the keyring; afterwards the old
// key can be dropped.
func (s *Store) Reencrypt(ctx context.Context) (int, error) {
	prefix := "v1:" + s.Keys.CurrentKeyID() + ":"
	changed := 0
	after := int64(0)
	for {
		type row struct {
			id          int64
			phone, name sql.NullString
		}
		rows, err := s.DB.Query(ctx, `SELECT id, phone_enc, name_enc FROM contacts WHERE id > $1
			AND (phone_enc NOT LIKE $2 OR (name_enc IS NOT NULL AND name_enc NOT LIKE $2)) ORDER BY id LIMIT 500`, after, prefix+"%")
		if err != nil {
			return changed, fmt.Errorf("re-encrypt contacts: %w", err)
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.phone, &r.name); err != nil {
				rows.Close()
				return changed, fmt.Errorf("re-encrypt contacts: %w", err)
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return changed, fmt.Errorf("re-encrypt contacts: %w", err)
		}
		if len(batch) == 0 {
			return changed, nil
		}
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			for _, r := range batch {
				p, err := s.Keys.Reencrypt(r.phone.String, phoneContext)
				if err != nil {
					return fmt.Errorf("re-encrypt contact %d: %w", r.id, err)
				}
				n := r.name
				if n.Valid {
					if n.String, err = s.Keys.Reencrypt(n.String, nameContext); err != nil {
						return fmt.Errorf("re-encrypt contact %d: %w", r.id, err)
					}
				}
				if _, err := tx.ExecContext(ctx, `UPDATE contacts SET phone_enc = $1, name_enc = $2 WHERE id = $3`, p, n, r.id); err != nil {
					return fmt.Errorf("re-encrypt contact %d: %w", r.id, err)
				}
			}
			return nil
		})
		if err != nil {
			return changed, err
		}
		changed += len(batch)
		after = batch[len(batch)-1].id
	}
}
