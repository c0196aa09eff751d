package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/problem"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations are the platform's tables: organisations, people, sessions,
// throttling and the audit log.
var Migrations = db.Migrations{Name: "platform", FS: migrationFiles}

// Store keeps organisations, people, memberships and invitations.
type Store struct {
	DB     *db.DB
	Now    func() time.Time
	Argon2 Argon2
	// Verify checks a secret against its hash; VerifySecret when nil.
	// Tests count the checks with it.
	Verify func(hash, secret string) bool

	gate hashGate
}

// NewStore returns a store on d with the real clock and the default cost.
func NewStore(d *db.DB) *Store {
	return &Store{DB: d, Now: time.Now, Argon2: DefaultArgon2}
}

func (s *Store) now() time.Time { return db.Now(s.Now()) }

// CreateOrg adds an organisation.
func (s *Store) CreateOrg(ctx context.Context, name string, kind OrgKind) (Org, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Org{}, problem.Field("name", "form.required")
	}
	if kind != Administration && kind != PartnerGroup {
		return Org{}, problem.Field("kind", "form.invalid_choice")
	}
	o := Org{Name: name, Kind: kind}
	err := s.DB.WriteRow(ctx, `INSERT INTO orgs (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id`, name, kind, s.now()).Scan(&o.ID)
	if db.IsUniqueViolation(err) {
		return Org{}, problem.Field("name", "org.name_taken")
	}
	if err != nil {
		return Org{}, fmt.Errorf("create org %q: %w", name, err)
	}
	return o, nil
}

// Org returns the organisation with id.
func (s *Store) Org(ctx context.Context, id int64) (Org, error) {
	o := Org{ID: id}
	err := s.DB.QueryRow(ctx, `SELECT name, kind FROM orgs WHERE id = $1`, id).Scan(&o.Name, &o.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return Org{}, fmt.Errorf("org %d: %w", id, db.ErrNotFound)
	}
	return o, err
}

// Orgs lists every organisation, administrations first.
func (s *Store) Orgs(ctx context.Context) ([]Org, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name, kind FROM orgs ORDER BY kind, name`)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	defer rows.Close()
	var out []Org
	for rows.Next() {
		var o Org
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// NewPerson is what is known of someone before she has an account.
type NewPerson struct {
	Name       string
	Email      string
	Phone      string
	Languages  []string
	SecretKind string // "password" or "passcode"
}

// NormalizeEmail lower-cases and checks an e-mail address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.Index(s, "@"):], ".") {
		return "", errors.New("bad e-mail address")
	}
	return s, nil
}

// NormalizePhone returns a phone number in E.164, reading numbers without a
// country code as Swedish.
func NormalizePhone(s string) (string, error) {
	n, err := phonenumbers.Parse(s, "SE")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", errors.New("bad phone number")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// validate checks and normalises p, and reports every problem at once.
func (p *NewPerson) validate() error {
	var errs problem.List
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		errs.Add("name", "form.required")
	} else if utf8.RuneCountInString(p.Name) > 200 {
		errs.Add("name", "form.too_long", "Max", 200)
	}
	if p.Email = strings.TrimSpace(p.Email); p.Email != "" {
		e, err := NormalizeEmail(p.Email)
		if err != nil {
			errs.Add("email", "form.email")
		}
		p.Email = e
	}
	if p.Phone = strings.TrimSpace(p.Phone); p.Phone != "" {
		ph, err := NormalizePhone(p.Phone)
		if err != nil {
			errs.Add("phone", "form.phone")
		}
		p.Phone = ph
	}
	if p.Email == "" && p.Phone == "" && len(errs) == 0 {
		errs.Add("email", "person.email_or_phone")
	}
	langs := p.Languages[:0:0]
	for _, l := range p.Languages {
		tag, err := i18n.NormalizeTag(l)
		if err != nil {
			errs.Add("languages", "form.language_tag", "Tag", l)
			continue
		}
		langs = append(langs, tag)
	}
	p.Languages = langs
	if p.SecretKind == "" {
		p.SecretKind = "password"
	}
	if p.SecretKind != "password" && p.SecretKind != "passcode" {
		errs.Add("secret_kind", "form.invalid_choice")
	}
	return errs.Err()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// createPerson inserts p, which must be valid.
func (s *Store) createPerson(ctx context.Context, tx *sql.Tx, p NewPerson) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO people (name, email, phone, languages, secret_kind, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		p.Name, nullable(p.Email), nullable(p.Phone), strings.Join(p.Languages, ","), p.SecretKind, s.now()).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, problem.Field("email", "person.taken")
	}
	if err != nil {
		return 0, fmt.Errorf("create person: %w", err)
	}
	return id, nil
}

// CreatePerson adds a person with a role in an organisation and, when
// secret is not empty, her password or passcode. It is how the first
// administrator and the demo city are made; everyone else is invited.
func (s *Store) CreatePerson(ctx context.Context, p NewPerson, orgID int64, role Role, secret string) (int64, error) {
	if err := p.validate(); err != nil {
		return 0, err
	}
	var hash string
	if secret != "" {
		if err := ValidateSecret(p.SecretKind, secret); err != nil {
			return 0, problem.Field("secret", "secret."+err.Error()).Because(err)
		}
		var err error
		if hash, err = s.hashSecret(ctx, secret); err != nil {
			return 0, err
		}
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.createPerson(ctx, tx, p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE people SET secret_hash = $1 WHERE id = $2`, hash, id); err != nil {
			return err
		}
		return s.addMembership(ctx, tx, id, orgID, role)
	})
	return id, err
}

func (s *Store) addMembership(ctx context.Context, tx *sql.Tx, personID, orgID int64, role Role) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO memberships (person_id, org_id, role, created_at) VALUES ($1, $2, $3, $4)`,
		personID, orgID, role, s.now())
	if db.IsUniqueViolation(err) {
		return problem.Field("role", "membership.exists")
	}
	if err != nil {
		return fmt.Errorf("add membership: %w", err)
	}
	return nil
}

// personColumns are read from people aliased p.
const personColumns = `p.id, p.name, COALESCE(p.email, ''), COALESCE(p.phone, ''), p.languages, p.ui_lang, p.secret_kind, p.epoch, p.secret_hash <> ''`

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var langs string
	err := row.Scan(&p.ID, &p.Name, &p.Email, &p.Phone, &langs, &p.UILang, &p.SecretKind, &p.Epoch, &p.Active)
	p.Languages = SplitLanguages(langs)
	return p, err
}

// Person returns the person with id.
func (s *Store) Person(ctx context.Context, id int64) (Person, error) {
	p, err := scanPerson(s.DB.QueryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, fmt.Errorf("person %d: %w", id, db.ErrNotFound)
	}
	return p, err
}

// User returns the person with id and her memberships. A disabled person
// is not found.
func (s *Store) User(ctx context.Context, id int64) (*User, error) {
	p, err := scanPerson(s.DB.QueryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = $1 AND p.disabled_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("user %d: %w", id, err)
	}
	u := &User{Person: p}
	rows, err := s.DB.Query(ctx, `SELECT m.id, m.org_id, o.name, o.kind, m.role FROM memberships m
		JOIN orgs o ON o.id = m.org_id WHERE m.person_id = $1 ORDER BY o.name, m.role`, id)
	if err != nil {
		return nil, fmt.Errorf("user %d memberships: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.ID, &m.OrgID, &m.OrgName, &m.OrgKind, &m.Role); err != nil {
			return nil, err
		}
		u.Memberships = append(u.Memberships, m)
	}
	return u, rows.Err()
}

// Member is a person in an organisation's member list.
type Member struct {
	Person
	MembershipID int64
	Role         Role
}

// Members lists the people of an organisation with their roles.
func (s *Store) Members(ctx context.Context, orgID int64) ([]Member, error) {
	rows, err := s.DB.Query(ctx, `SELECT m.id, m.role, `+personColumns+` FROM memberships m
		JOIN people p ON p.id = m.person_id WHERE m.org_id = $1 AND p.disabled_at IS NULL ORDER BY p.name, m.role`, orgID)
	if err != nil {
		return nil, fmt.Errorf("members of org %d: %w", orgID, err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var langs string
		if err := rows.Scan(&m.MembershipID, &m.Role, &m.ID, &m.Name, &m.Email, &m.Phone, &langs, &m.UILang, &m.SecretKind, &m.Epoch, &m.Active); err != nil {
			return nil, err
		}
		m.Languages = SplitLanguages(langs)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MembershipInfo is a membership with the person it belongs to.
type MembershipInfo struct {
	Membership
	PersonID   int64
	PersonName string
}

// MembershipByID returns one membership.
func (s *Store) MembershipByID(ctx context.Context, id int64) (MembershipInfo, error) {
	var m MembershipInfo
	err := s.DB.QueryRow(ctx, `SELECT m.id, m.org_id, o.name, o.kind, m.role, p.id, p.name FROM memberships m
		JOIN orgs o ON o.id = m.org_id JOIN people p ON p.id = m.person_id WHERE m.id = $1`, id).
		Scan(&m.ID, &m.OrgID, &m.OrgName, &m.OrgKind, &m.Role, &m.PersonID, &m.PersonName)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("membership %d: %w", id, db.ErrNotFound)
	}
	return m, err
}

// ChangeRole gives a membership another role.
func (s *Store) ChangeRole(ctx context.Context, membershipID int64, role Role) error {
	_, err := s.DB.Exec(ctx, `UPDATE memberships SET role = $1 WHERE id = $2`, role, membershipID)
	if db.IsUniqueViolation(err) {
		return problem.Field("role", "membership.exists")
	}
	if err != nil {
		return fmt.Errorf("change role of membership %d: %w", membershipID, err)
	}
	return nil
}

// RemoveMembership ends a membership.
func (s *Store) RemoveMembership(ctx context.Context, membershipID int64) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM memberships WHERE id = $1`, membershipID)
	if err != nil {
		return fmt.Errorf("remove membership %d: %w", membershipID, err)
	}
	return nil
}

// SetUILang remembers the interface language a person chose.
func (s *Store) SetUILang(ctx context.Context, personID int64, lang string) error {
	_, err := s.DB.Exec(ctx, `UPDATE people SET ui_lang = $1 WHERE id = $2`, lang, personID)
	return err
}

// SignOutEverywhere ends every session of the person: sessions carry the
// epoch they were made in, and a session of an older epoch is void.
func (s *Store) SignOutEverywhere(ctx context.Context, personID int64) error {
	_, err := s.DB.Exec(ctx, `UPDATE people SET epoch = epoch + 1 WHERE id = $1`, personID)
	if err != nil {
		return fmt.Errorf("sign out person %d everywhere: %w", personID, err)
	}
	return nil
}

// Invitation is a single-use link that lets a person set her password or
// passcode.
type Invitation struct {
	ID          int64
	Person      Person
	InvitedBy   string
	InvitedByID int64 // 0 when the inviter's account is gone
	ExpiresAt   time.Time
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewToken returns a random token of 32 bytes, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Invited is what Invite did.
type Invited struct {
	PersonID int64
	// Token is the invitation of a person who did not exist before, for
	// the inviter to pass on. It is empty when the person existed: an
	// inviter never holds a credential of someone who is already there,
	// or inviting her address would hand over her account and roles.
	Token        string
	InvitationID int64
	// Existed says the person was there before; Pending that she has not
	// yet set a password or passcode, and OpenLink that one of her earlier
	// invitations still works.
	Existed, Pending, OpenLink bool
	// Reset says her password was voided: it had been set through a link
	// from someone who could not give this role (see setUpBeyondItsMaker).
	Reset bool
	Email string // the person's own address, for a new invitation sent there
}

var errInviteSelf = problem.Field("email", "membership.own")

// Invite gives a person role in the organisation. A new person is created
// and gets a single-use invitation token (only its hash is stored); a
// person who exists gets the membership and no token. Her earlier open
// invitations that were made by someone who could not have given her this
// role are revoked, so that no link is worth more than its maker's rights.
func (s *Store) Invite(ctx context.Context, p NewPerson, orgID int64, role Role, invitedBy int64) (Invited, error) {
	var res Invited
	if err := p.validate(); err != nil {
		return res, err
	}
	org, err := s.Org(ctx, orgID)
	if err != nil {
		return res, fmt.Errorf("invite: %w", err)
	}
	distrusted, err := s.setUpBeyondItsMaker(ctx, p, org, role)
	if err != nil {
		return res, fmt.Errorf("invite: %w", err)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var active bool
		var email string
		err := tx.QueryRowContext(ctx, `SELECT id, secret_hash <> '', COALESCE(email, '') FROM people WHERE (email = $1 AND $1 <> '') OR (phone = $2 AND $2 <> '')`,
			p.Email, p.Phone).Scan(&res.PersonID, &active, &email)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if res.PersonID, err = s.createPerson(ctx, tx, p); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("find invitee: %w", err)
		default:
			res.Existed, res.Pending, res.Email = true, !active, email
		}
		if res.PersonID == invitedBy {
			return errInviteSelf
		}
		if active && res.PersonID == distrusted {
			// Whoever holds the password may not be her: it goes, with
			// every session, and she sets a new one from her own address.
			if _, err := tx.ExecContext(ctx, `UPDATE people SET secret_hash = '', epoch = epoch + 1 WHERE id = $1`, res.PersonID); err != nil {
				return fmt.Errorf("void a password set through a weaker link: %w", err)
			}
			res.Pending, res.Reset = true, true
		}
		if err := s.addMembership(ctx, tx, res.PersonID, orgID, role); err != nil {
			return err
		}
		if res.Existed {
			return nil
		}
		res.Token = NewToken()
		res.InvitationID, err = s.insertInvitation(ctx, tx, res.PersonID, invitedBy, res.Token)
		return err
	})
	if err != nil {
		return Invited{}, fmt.Errorf("invite: %w", err)
	}
	if res.Pending {
		if res.OpenLink, err = s.revokeInvitationsBeyond(ctx, res.PersonID, org, role); err != nil {
			return Invited{}, fmt.Errorf("invite: %w", err)
		}
	}
	return res, nil
}

// setUpBeyondItsMaker returns the id of the existing account with p's
// address whose password was set through an invitation from someone who
// could not have given role in org, else 0. Such a password proves only
// that its setter held the link, not that she owns the address: a group
// lead who invites a future coordinator's address as a volunteer and
// accepts the link herself would otherwise be made coordinator later.
// Accounts made without an invitation (the first administrator, the demo)
// are trusted.
func (s *Store) setUpBeyondItsMaker(ctx context.Context, p NewPerson, org Org, role Role) (int64, error) {
	var id, maker int64
	err := s.DB.QueryRow(ctx, `SELECT p.id, COALESCE(i.invited_by, 0) FROM people p JOIN invitations i ON i.person_id = p.id
		WHERE ((p.email = $1 AND $1 <> '') OR (p.phone = $2 AND $2 <> '')) AND p.secret_hash <> '' AND i.used_at IS NOT NULL
		ORDER BY i.used_at DESC LIMIT 1`, p.Email, p.Phone).Scan(&id, &maker)
	switch {
	case errors.Is(err, sql.ErrNoRows) || errors.Is(err, db.ErrNotFound):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("who set up the account: %w", err)
	case maker == 0:
		return 0, nil
	}
	u, err := s.User(ctx, maker)
	if errors.Is(err, db.ErrNotFound) {
		return id, nil // its maker is gone: nobody vouches for the link
	}
	if err != nil {
		return 0, fmt.Errorf("who set up the account: %w", err)
	}
	if CanGrant(u, org, role) {
		return 0, nil
	}
	return id, nil
}

func (s *Store) insertInvitation(ctx context.Context, tx *sql.Tx, personID, invitedBy int64, token string) (int64, error) {
	now := s.now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO invitations (token_hash, person_id, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		hashToken(token), personID, nullableID(invitedBy), now, now.Add(InvitationTTL)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert invitation: %w", err)
	}
	return id, nil
}

// revokeInvitationsBeyond ends the person's open invitations whose maker
// could not give role in org, and reports whether one still works.
func (s *Store) revokeInvitationsBeyond(ctx context.Context, personID int64, org Org, role Role) (bool, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, COALESCE(invited_by, 0) FROM invitations WHERE person_id = $1 AND used_at IS NULL AND expires_at > $2`, personID, s.now())
	if err != nil {
		return false, fmt.Errorf("open invitations: %w", err)
	}
	type open struct{ id, by int64 }
	var all []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.id, &o.by); err != nil {
			rows.Close()
			return false, err
		}
		all = append(all, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	left := false
	for _, o := range all {
		var maker *User
		if o.by != 0 {
			if maker, err = s.User(ctx, o.by); err != nil && !errors.Is(err, db.ErrNotFound) {
				return false, err
			}
		}
		if maker != nil && CanGrant(maker, org, role) {
			left = true
			continue
		}
		if _, err := s.DB.Exec(ctx, `UPDATE invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, s.now(), o.id); err != nil {
			return false, fmt.Errorf("revoke invitation %d: %w", o.id, err)
		}
	}
	return left, nil
}

// ReissueInvitation makes a new invitation for a person who exists but
// has not set a password or passcode. The token must go to her own
// address only (the caller sends it by e-mail), never to whoever asked.
func (s *Store) ReissueInvitation(ctx context.Context, personID, invitedBy int64) (token string, id int64, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var active bool
		if err := tx.QueryRowContext(ctx, `SELECT secret_hash <> '' FROM people WHERE id = $1 AND disabled_at IS NULL`, personID).Scan(&active); err != nil {
			return err
		}
		if active {
			return errInvitationUsed
		}
		token = NewToken()
		id, err = s.insertInvitation(ctx, tx, personID, invitedBy, token)
		return err
	})
	if err != nil {
		return "", 0, fmt.Errorf("reissue invitation for person %d: %w", personID, err)
	}
	return token, id, nil
}

// Problems with invitation links.
var (
	errInvitationUnknown = problem.New(problem.NotFound, "invitation.unknown")
	errInvitationExpired = problem.New(problem.Gone, "invitation.expired")
	errInvitationUsed    = problem.New(problem.Gone, "invitation.used")
)

// InvitationByToken returns the invitation behind a link, or a problem that
// says why the link no longer works. A link of a person who has an
// account already is used, whatever its row says.
func (s *Store) InvitationByToken(ctx context.Context, token string) (Invitation, error) {
	var inv Invitation
	var personID int64
	var used sql.NullTime
	err := s.DB.QueryRow(ctx, `SELECT i.id, i.person_id, COALESCE(b.name, ''), COALESCE(i.invited_by, 0), i.expires_at, i.used_at FROM invitations i
		LEFT JOIN people b ON b.id = i.invited_by WHERE i.token_hash = $1`, hashToken(token)).
		Scan(&inv.ID, &personID, &inv.InvitedBy, &inv.InvitedByID, &inv.ExpiresAt, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, errInvitationUnknown
	}
	if err != nil {
		return inv, fmt.Errorf("invitation: %w", err)
	}
	if used.Valid {
		return inv, errInvitationUsed
	}
	if !s.now().Before(inv.ExpiresAt) {
		return inv, errInvitationExpired
	}
	inv.Person, err = s.Person(ctx, personID)
	if err == nil && inv.Person.Active {
		return inv, errInvitationUsed
	}
	return inv, err
}

// AcceptInvitation sets the invitee's password or passcode and ends every
// open invitation of hers, in one transaction: a link works once even when
// two tabs race, and no other link of hers works after it. It returns the
// invitation used, for the audit log.
func (s *Store) AcceptInvitation(ctx context.Context, token, secret string) (Invitation, error) {
	inv, err := s.InvitationByToken(ctx, token)
	if err != nil {
		return inv, err
	}
	if err := ValidateSecret(inv.Person.SecretKind, secret); err != nil {
		return inv, problem.Field("secret", "secret."+err.Error()).Because(err)
	}
	hash, err := s.hashSecret(ctx, secret)
	if err != nil {
		return inv, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL`, s.now(), inv.Person.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n < 1 {
			return errInvitationUsed
		}
		res, err = tx.ExecContext(ctx, `UPDATE people SET secret_hash = $1, epoch = epoch + 1 WHERE id = $2 AND secret_hash = ''`, hash, inv.Person.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errInvitationUsed
		}
		return nil
	})
	if err != nil {
		return inv, fmt.Errorf("accept invitation: %w", err)
	}
	return inv, nil
}

// SetSecretHash stores an already hashed secret; the demo seed uses it to
// hash its one password once.
func (s *Store) SetSecretHash(ctx context.Context, personID int64, hash string) error {
	_, err := s.DB.Exec(ctx, `UPDATE people SET secret_hash = $1 WHERE id = $2`, hash, personID)
	if err != nil {
		return fmt.Errorf("set secret of person %d: %w", personID, err)
	}
	return nil
}
