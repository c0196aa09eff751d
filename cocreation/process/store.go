package process

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/secret"
)

// Store keeps processes and participants; workshop.Store adds workshops.
type Store struct {
	DB  *db.DB
	Now func() time.Time
	// Limits bound anonymous joins and notes; unset ones are the
	// defaults.
	Limits Limits
	// Keys encrypts participants' names and services (the contacts'
	// keyring).
	Keys *secret.Keyring
}

func (s *Store) Time() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

// Process is a goal-setting process of an administration.
type Process struct {
	ID           int64
	OrgID        int64
	Title        string
	Purpose      string
	DecidingBody string
	Lang         string
	JoinCode     string
	JoinUntil    time.Time
	Texts        map[string]Translation // name (Title) and purpose (Body) by language
	Phases       []Phase
}

// NewProcess is what a facilitator fills in, in Swedish; translations
// follow on their own page (Store.Translate).
type NewProcess struct {
	Title, Purpose, DecidingBody, Lang string
	Start                              string // first day, YYYY-MM-DD
}

func (n *NewProcess) clean() error {
	var l problem.List
	n.Title, n.Purpose, n.DecidingBody = CleanLine(n.Title), CleanText(n.Purpose), CleanLine(n.DecidingBody)
	if n.Title == "" {
		l.Add("title", "form.required")
	} else if utf8.RuneCountInString(n.Title) > MaxTitle {
		l.Add("title", "cc.error.too_long")
	}
	if utf8.RuneCountInString(n.Purpose) > MaxText || utf8.RuneCountInString(n.DecidingBody) > MaxTitle {
		l.Add("purpose", "cc.error.too_long")
	}
	if n.Start != "" && !ValidDay(n.Start) {
		l.Add("start", "cc.error.date")
	}
	if n.Lang == "" {
		n.Lang = "sv"
	}
	return l.Err()
}

// RandomText is n random bytes, base64url.
func RandomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CodeAlphabet has no 0/O, 1/I/L: the short code is read aloud and typed.
const CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

func ShortCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = CodeAlphabet[int(b[i])%len(CodeAlphabet)]
	}
	return string(b)
}

// NormalizeCode turns what a participant typed ("abcd-efgh ") into the
// stored form.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if strings.ContainsRune(CodeAlphabet, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeHash is what is stored of a come-back code: keyed with the keyring,
// since the 31^8 codes are few enough to try every one against a plain
// hash from a copied database. (Tokens are 32 random characters: a plain
// hash of one gives nothing away.) Codes stored before are plain hashes,
// still accepted, and move to the keyed one when used.
func (s *Store) CodeHash(code string) string { return s.Keys.HashString("cocreation.code", code) }

func Hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CreateProcess saves a new process with the default phases from its
// start day, and a join link valid until the end of the proposals phase.
func (s *Store) CreateProcess(ctx context.Context, orgID int64, n NewProcess) (int64, error) {
	if err := n.clean(); err != nil {
		return 0, err
	}
	start := s.Time().In(Stockholm)
	if n.Start != "" {
		start, _ = time.ParseInLocation(time.DateOnly, n.Start, Stockholm)
	}
	phases := DefaultPhases(start)
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertProcess(ctx, tx, orgID, n, phases, 0, s.Time())
		return err
	})
	return id, err
}

// joinUntil is the end of the last phase in which people may join.
func joinUntil(phases []Phase) time.Time {
	last := ""
	for _, p := range phases {
		if oneOf(p.Kind, allowedIn[ActionJoin]) && p.EndsOn > last {
			last = p.EndsOn
		}
	}
	if last == "" && len(phases) > 0 {
		last = phases[len(phases)-1].EndsOn
	}
	t, err := time.ParseInLocation(time.DateOnly, last, Stockholm)
	if err != nil {
		return time.Now().AddDate(1, 0, 0)
	}
	return db.Now(t.AddDate(0, 0, 1))
}

func insertProcess(ctx context.Context, tx *sql.Tx, orgID int64, n NewProcess, phases []Phase, copiedFrom int64, now time.Time) (int64, error) {
	var from any
	if copiedFrom > 0 {
		from = copiedFrom
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO cc_processes (org_id, title, purpose, deciding_body, lang, join_code, join_until, copied_from, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		orgID, n.Title, n.Purpose, n.DecidingBody, n.Lang, RandomText(12), joinUntil(phases), from, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create process: %w", err)
	}
	for i, p := range phases {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cc_phases (process_id, position, kind, name, starts_on, ends_on, skipped) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, i+1, p.Kind, p.Name, p.StartsOn, p.EndsOn, p.Skipped); err != nil {
			return 0, fmt.Errorf("create process: %w", err)
		}
	}
	return id, nil
}

var ErrNoProcess = problem.New(problem.NotFound, "error.not_found")

// Process reads a process with its phases and translations.
func (s *Store) Process(ctx context.Context, id int64) (Process, error) {
	var p Process
	err := s.DB.QueryRow(ctx, `SELECT id, org_id, title, purpose, deciding_body, lang, join_code, join_until FROM cc_processes WHERE id = $1`, id).
		Scan(&p.ID, &p.OrgID, &p.Title, &p.Purpose, &p.DecidingBody, &p.Lang, &p.JoinCode, &p.JoinUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("process %d: %w", id, ErrNoProcess)
	}
	if err != nil {
		return p, fmt.Errorf("process %d: %w", id, err)
	}
	return p, s.complete(ctx, &p)
}

// ProcessByJoinCode finds the process of an invitation link.
func (s *Store) ProcessByJoinCode(ctx context.Context, code string) (Process, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM cc_processes WHERE join_code = $1`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Process{}, problem.New(problem.NotFound, "cc.error.bad_link")
	}
	if err != nil {
		return Process{}, fmt.Errorf("join code: %w", err)
	}
	return s.Process(ctx, id)
}

func (s *Store) complete(ctx context.Context, p *Process) error {
	texts, err := s.Translations(ctx, `SELECT t.process_id, `+TranslationColumns+` FROM cc_translations t WHERE t.process_id = $1`, p.ID)
	if err != nil {
		return fmt.Errorf("process %d: %w", p.ID, err)
	}
	p.Texts = texts[p.ID]
	p.Phases, err = s.Phases(ctx, p.ID)
	return err
}

// Phases are a process's phases in order.
func (s *Store) Phases(ctx context.Context, processID int64) ([]Phase, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, position, kind, name, starts_on, ends_on, skipped FROM cc_phases WHERE process_id = $1 ORDER BY position, id`, processID)
	if err != nil {
		return nil, fmt.Errorf("phases: %w", err)
	}
	defer rows.Close()
	var out []Phase
	for rows.Next() {
		var p Phase
		if err := rows.Scan(&p.ID, &p.Position, &p.Kind, &p.Name, &p.StartsOn, &p.EndsOn, &p.Skipped); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Processes lists the processes of the organisations given (all when
// orgIDs is nil), newest first.
func (s *Store) Processes(ctx context.Context, orgIDs []int64) ([]Process, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, org_id FROM cc_processes ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("processes: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id, org int64
		if err := rows.Scan(&id, &org); err != nil {
			rows.Close()
			return nil, err
		}
		if orgIDs == nil || containsID(orgIDs, org) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	out := make([]Process, 0, len(ids))
	for _, id := range ids {
		p, err := s.Process(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// UpdateProcess saves the facilitator's edit of texts. Translations made
// from the Swedish before are older than it from now on (Translation.Stale).
func (s *Store) UpdateProcess(ctx context.Context, id int64, n NewProcess) error {
	if err := n.clean(); err != nil {
		return err
	}
	if _, err := s.DB.Exec(ctx, `UPDATE cc_processes SET title = $1, purpose = $2, deciding_body = $3 WHERE id = $4`, n.Title, n.Purpose, n.DecidingBody, id); err != nil {
		return fmt.Errorf("update process %d: %w", id, err)
	}
	return nil
}

// SavePhases replaces a process's phases (rename, skip, add, dates) and
// moves the join link's end with them.
func (s *Store) SavePhases(ctx context.Context, processID int64, phases []Phase) error {
	if err := CheckPhases(phases); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM cc_phases WHERE process_id = $1`, processID); err != nil {
			return err
		}
		for i, p := range phases {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cc_phases (process_id, position, kind, name, starts_on, ends_on, skipped) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				processID, i+1, p.Kind, p.Name, p.StartsOn, p.EndsOn, p.Skipped); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE cc_processes SET join_until = $1 WHERE id = $2`, joinUntil(phases), processID)
		return err
	})
}

// CopyToNextYear makes a new process with the structure of id: texts,
// translations and phases a year later. Participants, workshops and notes
// stay behind.
func (s *Store) CopyToNextYear(ctx context.Context, id int64) (int64, error) {
	p, err := s.Process(ctx, id)
	if err != nil {
		return 0, err
	}
	n := NewProcess{Title: nextYearTitle(p.Title), Purpose: p.Purpose, DecidingBody: p.DecidingBody, Lang: p.Lang}
	phases := make([]Phase, len(p.Phases))
	for i, ph := range p.Phases {
		ph.StartsOn, ph.EndsOn = NextYear(ph.StartsOn), NextYear(ph.EndsOn)
		phases[i] = ph
	}
	var newID int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if newID, err = insertProcess(ctx, tx, p.OrgID, n, phases, p.ID, s.Time()); err != nil {
			return err
		}
		// The translations come along, their year counted up as the
		// Swedish one is: one that was up to date with the Swedish stays so.
		for _, t := range p.Texts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cc_translations (process_id, lang, title, body, translated_by, checked, source_title, source_body)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, newID, t.Lang, nextYearTitle(t.Title), t.Body, t.TranslatedBy, t.Checked,
				nextYearTitle(t.From.Title), t.From.Body); err != nil {
				return fmt.Errorf("copy translation %s: %w", t.Lang, err)
			}
		}
		return nil
	})
	return newID, err
}

// nextYearTitle counts a year in the title up: "Goals 2023" → "Goals 2024".
func nextYearTitle(t string) string {
	words := strings.Fields(t)
	for i := len(words) - 1; i >= 0; i-- {
		var y int
		if len(words[i]) == 4 {
			if _, err := fmt.Sscanf(words[i], "%d", &y); err == nil && y > 1900 && y < 3000 {
				words[i] = fmt.Sprint(y + 1)
				return strings.Join(words, " ")
			}
		}
	}
	return t
}
