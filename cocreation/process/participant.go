package process

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/problem"
)

// Participant is a person taking part in one process, without an account.
type Participant struct {
	ID             int64
	ProcessID      int64
	Name           string // name or pseudonym; empty after withdrawal
	Role           string
	AgeBand        string
	Services       []string
	Lang           string
	ConsentVersion string
	ConsentedAt    time.Time
	FromPaper      bool
	Withdrawn      bool

	// What is stored of Name and Services: encrypted (sealed) since
	// migration 004, in clear in a row that start-up has not sealed yet.
	// Store.Open decrypts them where they are shown.
	nameStored, servicesStored string
	sealed                     bool
}

// Contexts of a participant's encrypted details, bound to each
// ciphertext: one copied to another column does not decrypt there.
const (
	NameContext     = "cocreation.participant.name"
	servicesContext = "cocreation.participant.services"
)

// seal encrypts a detail of a participant; empty stays empty (nothing to
// hide, as after withdrawal).
func (s *Store) seal(v, context string) (string, error) {
	if v == "" {
		return "", nil
	}
	if s.Keys == nil {
		return "", errors.New("seal participant: no keyring")
	}
	return s.Keys.EncryptString(v, context)
}

func (s *Store) Unseal(v, context string) (string, error) {
	if v == "" {
		return "", nil
	}
	if s.Keys == nil {
		return "", errors.New("open participant: no keyring")
	}
	return s.Keys.DecryptString(v, context)
}

// sealJoining encrypts the name and services of a participant to be
// stored.
func (s *Store) SealJoining(j Joining) (name, services string, err error) {
	if name, err = s.seal(j.Name, NameContext); err != nil {
		return "", "", err
	}
	if services, err = s.seal(strings.Join(j.Services, ","), servicesContext); err != nil {
		return "", "", err
	}
	return name, services, nil
}

// Open decrypts the participant's name and services, for a page that
// shows them: only such pages decrypt.
func (s *Store) Open(p *Participant) error {
	if !p.sealed {
		return nil
	}
	name, err := s.Unseal(p.nameStored, NameContext)
	if err != nil {
		return fmt.Errorf("open participant %d: %w", p.ID, err)
	}
	services, err := s.Unseal(p.servicesStored, servicesContext)
	if err != nil {
		return fmt.Errorf("open participant %d: %w", p.ID, err)
	}
	p.Name, p.Services, p.sealed = name, nil, false
	if services != "" {
		p.Services = strings.Split(services, ",")
	}
	return nil
}

// Joining is what a participant gives when she joins.
type Joining struct {
	Name, Role, AgeBand, Lang string
	Services                  []string
	Consent                   bool
	// Nonce is the join form's, as stored: bound to the browser that was
	// shown the form (see boundJoinNonce). The same nonce twice is one
	// participant.
	Nonce string
}

func (j *Joining) Clean(paper bool) error {
	var l problem.List
	j.Name = CleanLine(j.Name)
	switch n := utf8.RuneCountInString(j.Name); {
	case n == 0:
		l.Add("name", "cc.error.name")
	case n > MaxName:
		l.Add("name", "cc.error.too_long")
	}
	if !oneOf(j.Role, ParticipantRoles) {
		l.Add("role", "cc.error.role")
	}
	if j.AgeBand != "" && !oneOf(j.AgeBand, AgeBands) {
		l.Add("age_band", "form.invalid_choice")
	}
	for _, s := range j.Services {
		if !oneOf(s, Services) {
			l.Add("services", "form.invalid_choice")
			break
		}
	}
	if !i18n.IsUILang(j.Lang) {
		j.Lang = Swedish
	}
	switch {
	case !j.Consent && paper:
		l.Add("consent", "cc.error.paper_consent")
	case !j.Consent:
		l.Add("consent", "cc.error.consent")
	}
	return l.Err()
}

// Credentials are what a participant keeps: the token for her cookie and
// the short code to come back on another device. Only their hashes are
// stored.
type Credentials struct {
	Token string
	Code  string
}

// Join adds a participant to the process of an invitation link that is
// still open and in a phase that lets people join.
func (s *Store) Join(ctx context.Context, p Process, j Joining) (int64, Credentials, error) {
	return s.JoinFrom(ctx, p, j, "")
}

// Errors of too many joins: from one address, or into one process.
var (
	errTooManyJoinsHere error = problem.New(problem.TooMany, "cc.error.too_many_joins")
	errTooManyJoins     error = problem.New(problem.TooMany, "cc.error.too_many_joins_process")
)

// JoinFrom is Join for someone at a network address (web.ClientAddr; ""
// for none): at most Limits.JoinsPerAddress joins from one address and
// Limits.JoinsPerProcess into one process in their windows. The counts
// and the participant are one transaction: a refused or failed join
// counts for nothing.
func (s *Store) JoinFrom(ctx context.Context, p Process, j Joining, addr string) (int64, Credentials, error) {
	if err := j.Clean(false); err != nil {
		return 0, Credentials{}, err
	}
	now := s.Time()
	if now.After(p.JoinUntil) {
		return 0, Credentials{}, problem.New(problem.Gone, "cc.error.link_expired")
	}
	if err := Allowed(p.Phases, now, ActionJoin); err != nil {
		return 0, Credentials{}, err
	}
	c := Credentials{Token: RandomText(32), Code: ShortCode()}
	var nonce any
	if j.Nonce != "" {
		nonce = j.Nonce
	}
	name, services, err := s.SealJoining(j)
	if err != nil {
		return 0, Credentials{}, fmt.Errorf("join: %w", err)
	}
	limits := s.Limits.OrDefault()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if addr != "" {
			if ok, err := s.Count(ctx, tx, s.addrKey("join", addr), limits.JoinsPerAddress); err != nil || !ok {
				return cmp.Or(err, errTooManyJoinsHere)
			}
		}
		if ok, err := s.Count(ctx, tx, fmt.Sprintf("join-process:%d", p.ID), limits.JoinsPerProcess); err != nil || !ok {
			return cmp.Or(err, errTooManyJoins)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO cc_participants (process_id, token_hash, code_hash, name, role, age_band, services, lang, consent_version, consented_at, join_nonce, created_at, sealed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, TRUE) RETURNING id`,
			p.ID, Hash(c.Token), s.CodeHash(c.Code), name, j.Role, j.AgeBand, services, j.Lang, ConsentVersion, now, nonce).Scan(&id)
	})
	if err != nil && j.Nonce != "" && db.IsUniqueViolation(err) {
		return s.rejoin(ctx, p, j.Nonce, now)
	}
	if _, ok := problem.As(err); ok {
		return 0, Credentials{}, err
	}
	if err != nil {
		return 0, c, fmt.Errorf("join: %w", err)
	}
	return id, c, nil
}

// rejoinWindow is how long after joining the same form may be sent again
// (a double tap, a retried request) and still mean the same person.
const rejoinWindow = 10 * time.Minute

// rejoin answers the second sending of a join form: the participant made
// by the first gets new credentials, since only their hashes are kept and
// this response's cookie is the one the browser keeps. Past the window, or
// for another process, the nonce is refused as a join link used twice.
func (s *Store) rejoin(ctx context.Context, p Process, nonce string, now time.Time) (int64, Credentials, error) {
	c := Credentials{Token: RandomText(32), Code: ShortCode()}
	var id int64
	err := s.DB.WriteRow(ctx, `UPDATE cc_participants SET token_hash = $1, code_hash = $2
		WHERE join_nonce = $3 AND process_id = $4 AND withdrawn_at IS NULL AND created_at > $5 RETURNING id`,
		Hash(c.Token), s.CodeHash(c.Code), nonce, p.ID, now.Add(-rejoinWindow)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, Credentials{}, problem.New(problem.Conflict, "cc.error.join_again")
	}
	if err != nil {
		return 0, Credentials{}, fmt.Errorf("join again: %w", err)
	}
	return id, c, nil
}

// AddFromPaper records a participant a facilitator met on paper: no token,
// no code; what she wrote is marked as entered by the facilitator.
func (s *Store) AddFromPaper(ctx context.Context, processID, facilitatorID int64, j Joining) (int64, error) {
	if err := j.Clean(true); err != nil {
		return 0, err
	}
	name, services, err := s.SealJoining(j)
	if err != nil {
		return 0, fmt.Errorf("add from paper: %w", err)
	}
	var id int64
	err = s.DB.WriteRow(ctx, `INSERT INTO cc_participants (process_id, name, role, age_band, services, lang, consent_version, consented_at, from_paper, entered_by, created_at, sealed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $8, TRUE) RETURNING id`,
		processID, name, j.Role, j.AgeBand, services, j.Lang, ConsentVersion, s.Time(), facilitatorID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add from paper: %w", err)
	}
	return id, nil
}

const participantColumns = `id, process_id, name, role, age_band, services, lang, consent_version, consented_at, from_paper, withdrawn_at, sealed`

// scanParticipant reads a participant without decrypting her name and
// services (Store.Open does).
func scanParticipant(row interface{ Scan(...any) error }) (Participant, error) {
	var p Participant
	var consented, withdrawn sql.NullTime
	err := row.Scan(&p.ID, &p.ProcessID, &p.nameStored, &p.Role, &p.AgeBand, &p.servicesStored, &p.Lang, &p.ConsentVersion, &consented, &p.FromPaper, &withdrawn, &p.sealed)
	if !p.sealed {
		p.Name = p.nameStored
		if p.servicesStored != "" {
			p.Services = strings.Split(p.servicesStored, ",")
		}
	}
	p.ConsentedAt, p.Withdrawn = consented.Time, withdrawn.Valid
	return p, err
}

var ErrNoParticipant = problem.New(problem.Unauthorized, "cc.error.not_participant")

// ParticipantByToken finds the participant of a cookie's token.
func (s *Store) ParticipantByToken(ctx context.Context, token string) (Participant, error) {
	if token == "" {
		return Participant{}, ErrNoParticipant
	}
	p, err := scanParticipant(s.DB.QueryRow(ctx, `SELECT `+participantColumns+` FROM cc_participants WHERE token_hash = $1`, Hash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNoParticipant
	}
	return p, err
}

// Participant reads a participant by id, her details decrypted.
func (s *Store) Participant(ctx context.Context, id int64) (Participant, error) {
	p, err := scanParticipant(s.DB.QueryRow(ctx, `SELECT `+participantColumns+` FROM cc_participants WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, problem.New(problem.NotFound, "error.not_found")
	}
	if err != nil {
		return p, err
	}
	return p, s.Open(&p)
}

// errWrongCode is a code of the right form that is no one's: a guess.
var errWrongCode = problem.Field("code", "cc.error.bad_code")

// ComeBack exchanges a short code for a new token on another device. The
// code stays valid; the token of the device she used before does not
// (see below).
func (s *Store) ComeBack(ctx context.Context, code string) (Participant, string, error) {
	code = NormalizeCode(code)
	if len(code) != 8 {
		return Participant{}, "", problem.Field("code", "cc.error.bad_code")
	}
	p, err := scanParticipant(s.DB.QueryRow(ctx, `SELECT `+participantColumns+` FROM cc_participants WHERE code_hash IN ($1, $2)`, s.CodeHash(code), Hash(code)))
	if errors.Is(err, sql.ErrNoRows) {
		return p, "", errWrongCode
	}
	if err != nil {
		return p, "", err
	}
	// One token per participant keeps sign-out simple: the newest device
	// wins, the older one is asked for the code again.
	token := RandomText(32)
	// A code stored before codes were keyed moves to its keyed hash.
	if _, err := s.DB.Exec(ctx, `UPDATE cc_participants SET token_hash = $1, code_hash = $2 WHERE id = $3`, Hash(token), s.CodeHash(code), p.ID); err != nil {
		return p, "", fmt.Errorf("come back: %w", err)
	}
	return p, token, nil
}

// Guessing codes: at most CodeTries wrong codes per network address in
// codeWindow. With 31^8 codes guessing stays hopeless even so, and a
// workshop room behind one Wi-Fi address, where people mistype now and
// then, is not shut out.
const (
	CodeTries  = 30
	codeWindow = 15 * time.Minute
)

// errRightCode ends the transaction of a right code: it is no guess, so
// its count is rolled back.
var errRightCode = errors.New("the right code")

// ComeBackFrom is ComeBack for someone at a network address: after
// CodeTries wrong codes within a window of codeWindow it refuses without
// looking. A code of the wrong form is no guess and is not counted, nor is
// the right one. Counting and looking are one transaction on the address's
// counter, so that guesses sent at once cannot slip past the limit.
func (s *Store) ComeBackFrom(ctx context.Context, code, addr string) (Participant, string, error) {
	code = NormalizeCode(code)
	if len(code) != 8 {
		return Participant{}, "", problem.Field("code", "cc.error.bad_code")
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ok, err := s.Count(ctx, tx, s.addrKey("code", addr), Limit{Max: CodeTries, Per: codeWindow})
		if err != nil {
			return err
		}
		if !ok {
			return problem.New(problem.TooMany, "cc.error.too_many_codes")
		}
		var id int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM cc_participants WHERE code_hash IN ($1, $2)`, s.CodeHash(code), Hash(code)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // a wrong code: counted
		}
		if err != nil {
			return err
		}
		return errRightCode
	})
	if errors.Is(err, errRightCode) {
		return s.ComeBack(ctx, code)
	}
	if _, ok := problem.As(err); ok {
		return Participant{}, "", err
	}
	if err != nil {
		return Participant{}, "", fmt.Errorf("come back: %w", err)
	}
	return Participant{}, "", errWrongCode
}

// SetLang remembers the participant's language, one of the interface's.
func (s *Store) SetLang(ctx context.Context, id int64, lang string) error {
	if !i18n.IsUILang(lang) {
		lang = Swedish
	}
	_, err := s.DB.Exec(ctx, `UPDATE cc_participants SET lang = $1 WHERE id = $2`, lang, id)
	return err
}

// Withdraw takes back a participant's consent: her name, role, age band,
// services, token and code are deleted; her notes stay, shown as "a
// participant"; her sign-ups are removed from the counts.
func (s *Store) Withdraw(ctx context.Context, id int64) error {
	if _, err := s.forget(ctx, `id = $1`, id); err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	return nil
}

// Counts are a process's participants by role and by age band, without
// those who withdrew.
type Counts struct {
	Total     int
	ByRole    map[string]int
	ByAgeBand map[string]int
}

// ParticipantCounts counts a process's participants.
func (s *Store) ParticipantCounts(ctx context.Context, processID int64) (Counts, error) {
	c := Counts{ByRole: map[string]int{}, ByAgeBand: map[string]int{}}
	rows, err := s.DB.Query(ctx, `SELECT role, age_band, COUNT(*) FROM cc_participants WHERE process_id = $1 AND withdrawn_at IS NULL GROUP BY role, age_band`, processID)
	if err != nil {
		return c, fmt.Errorf("participant counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var role, band string
		var n int
		if err := rows.Scan(&role, &band, &n); err != nil {
			return c, err
		}
		if band == "" {
			band = "unknown"
		}
		c.Total += n
		c.ByRole[role] += n
		c.ByAgeBand[band] += n
	}
	return c, rows.Err()
}

// Participants lists a process's participants for its facilitators,
// their details decrypted.
func (s *Store) Participants(ctx context.Context, processID int64) ([]Participant, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+participantColumns+` FROM cc_participants WHERE process_id = $1 ORDER BY id`, processID)
	if err != nil {
		return nil, fmt.Errorf("participants: %w", err)
	}
	defer rows.Close()
	var out []Participant
	for rows.Next() {
		p, err := scanParticipant(rows)
		if err != nil {
			return nil, err
		}
		if err := s.Open(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// forget anonymises the participants not yet withdrawn that match where
// (a condition on cc_participants with args as $1, $2 ...) and removes
// their sign-ups, both or neither: half a withdrawal would keep them in
// the counts. Their rows stay, so that what they wrote is "a
// participant's". It reports how many it anonymised.
func (s *Store) forget(ctx context.Context, where string, args ...any) (int, error) {
	var n int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM cc_signups WHERE participant_id IN
			(SELECT id FROM cc_participants WHERE withdrawn_at IS NULL AND `+where+`)`, args...); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE cc_participants SET name = '', role = '', age_band = '', services = '',
			token_hash = NULL, code_hash = NULL, join_nonce = NULL, consent_version = '', consented_at = NULL, lang = '', withdrawn_at = $%d
			WHERE withdrawn_at IS NULL AND %s`, len(args)+1, where), append(args, s.Time())...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// ForgetFinished anonymises, as a withdrawal does, every participant of a
// process whose last phase ended before today: the consent text promises
// that details are kept until the process is finished. What they wrote
// stays, as "a participant". It reports how many were anonymised.
func (s *Store) ForgetFinished(ctx context.Context) (int, error) {
	n, err := s.forget(ctx, `process_id IN (SELECT process_id FROM cc_phases GROUP BY process_id HAVING MAX(ends_on) < $1)`, Day(s.Time()))
	if err != nil {
		return 0, fmt.Errorf("forget participants of finished processes: %w", err)
	}
	return n, nil
}

// SealParticipants encrypts the name and services of every participant
// stored in clear (written before encryption, migration 004) and returns
// how many it sealed. The server runs it when it starts; a row is sealed
// once, so several servers starting at once do no harm.
func (s *Store) SealParticipants(ctx context.Context) (int, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name, services FROM cc_participants WHERE NOT sealed ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("seal participants: %w", err)
	}
	type clear struct {
		id             int64
		name, services string
	}
	var todo []clear
	for rows.Next() {
		var c clear
		if err := rows.Scan(&c.id, &c.name, &c.services); err != nil {
			rows.Close()
			return 0, fmt.Errorf("seal participants: %w", err)
		}
		todo = append(todo, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("seal participants: %w", err)
	}
	n := 0
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, c := range todo {
			name, err := s.seal(c.name, NameContext)
			if err != nil {
				return err
			}
			services, err := s.seal(c.services, servicesContext)
			if err != nil {
				return err
			}
			// Only a row still in clear: another server may have sealed it.
			res, err := tx.ExecContext(ctx, `UPDATE cc_participants SET name = $1, services = $2, sealed = TRUE WHERE id = $3 AND NOT sealed`, name, services, c.id)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("seal participants: %w", err)
	}
	return n, nil
}

// Reencrypt encrypts every participant's name and services that are not
// under the keyring's current key again with it, and returns how many
// participants it changed (with those it sealed): `megafon keys reencrypt` runs it after the
// contacts', so that the old key can be dropped.
func (s *Store) Reencrypt(ctx context.Context) (int, error) {
	// Rows still in clear (no server started since migration 004) are
	// encrypted first, with the current key.
	sealed, err := s.SealParticipants(ctx)
	if err != nil {
		return 0, err
	}
	prefix := "v1:" + s.Keys.CurrentKeyID() + ":%"
	rows, err := s.DB.Query(ctx, `SELECT id, name, services FROM cc_participants WHERE sealed
		AND ((name <> '' AND name NOT LIKE $1) OR (services <> '' AND services NOT LIKE $1)) ORDER BY id`, prefix)
	if err != nil {
		return 0, fmt.Errorf("re-encrypt participants: %w", err)
	}
	type row struct {
		id             int64
		name, services string
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.services); err != nil {
			rows.Close()
			return 0, fmt.Errorf("re-encrypt participants: %w", err)
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("re-encrypt participants: %w", err)
	}
	again := func(v, context string) (string, error) {
		if v == "" {
			return "", nil
		}
		return s.Keys.Reencrypt(v, context)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range todo {
			name, err := again(r.name, NameContext)
			if err != nil {
				return fmt.Errorf("participant %d: %w", r.id, err)
			}
			services, err := again(r.services, servicesContext)
			if err != nil {
				return fmt.Errorf("participant %d: %w", r.id, err)
			}
			// Only if unchanged meanwhile: a withdrawal empties the row.
			if _, err := tx.ExecContext(ctx, `UPDATE cc_participants SET name = $1, services = $2 WHERE id = $3 AND name = $4 AND services = $5`,
				name, services, r.id, r.name, r.services); err != nil {
				return fmt.Errorf("participant %d: %w", r.id, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("re-encrypt participants: %w", err)
	}
	return sealed + len(todo), nil
}
