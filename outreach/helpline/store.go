package helpline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"megafon/outreach/contact/phone"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
)

// Problems the store answers with.
var (
	ErrNotFound   = problem.New(problem.NotFound, "error.not_found")
	ErrTaken      = problem.New(problem.Conflict, "helpline.error.taken")
	errStarted    = problem.New(problem.Conflict, "helpline.error.started")
	errNotYours   = problem.New(problem.Conflict, "helpline.error.not_yours")
	errSwapGone   = problem.New(problem.Conflict, "helpline.error.swap_gone")
	errNumberUsed = problem.Field("public_number", "helpline.error.number_used")
)

// Limits of what people type.
const (
	MaxNameRunes  = 120
	MaxNoteRunes  = 300
	MaxLabelRunes = 60
)

// Store keeps the help lines, their hours, phones and shifts. Now is the
// clock.
type Store struct {
	DB  *db.DB
	Now func() time.Time
}

var _ Roster = (*Store)(nil)

func (s *Store) now() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

// forUpdate locks the rows a query reads until the transaction ends, on
// PostgreSQL; SQLite writes through one connection, one transaction at a
// time, so it needs no lock.
func (s *Store) forUpdate() string {
	if s.DB.Dialect == db.Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// LineDraft is what a coordinator enters for a line.
type LineDraft struct {
	Name             string
	PublicNumber     string
	Ring             Ring
	RingSeconds      int
	TimeZone         string
	ClosedOnHolidays bool
	Languages        []Language
}

// ValidLang reports whether code is a language tag a line may offer.
func ValidLang(code string) bool {
	if code == "" || len(code) > 12 {
		return false
	}
	_, err := language.Parse(code)
	return err == nil && strings.ToLower(code) == code
}

// Clean checks a draft, normalises its number and returns every problem.
func (d *LineDraft) Clean() error {
	var l problem.List
	d.Name = strings.TrimSpace(d.Name)
	if d.Name == "" {
		l.Add("name", "helpline.error.name_required")
	} else if utf8.RuneCountInString(d.Name) > MaxNameRunes {
		l.Add("name", "helpline.error.too_long", "Max", MaxNameRunes)
	}
	if n, err := phone.Normalize(d.PublicNumber, "SE"); err != nil {
		l.Add("public_number", "helpline.error.phone")
	} else {
		d.PublicNumber = n
	}
	if d.Ring != RingAll && d.Ring != RingTurn {
		l.Add("ring", "helpline.error.ring")
	}
	if d.RingSeconds < 5 || d.RingSeconds > 120 {
		l.Add("ring_seconds", "helpline.error.ring_seconds")
	}
	if d.TimeZone == "" {
		d.TimeZone = "Europe/Stockholm"
	}
	if _, err := time.LoadLocation(d.TimeZone); err != nil || d.TimeZone == "Local" {
		l.Add("time_zone", "helpline.error.time_zone")
	}
	if len(d.Languages) == 0 {
		l.Add("languages", "helpline.error.langs_required")
	}
	keys, langs := map[int]bool{}, map[string]bool{}
	for _, lg := range d.Languages {
		switch {
		case !ValidLang(lg.Lang):
			l.Add("languages", "helpline.error.lang_code")
		case lg.Key < 1 || lg.Key > 9:
			l.Add("languages", "helpline.error.menu_key")
		case keys[lg.Key] || langs[lg.Lang]:
			l.Add("languages", "helpline.error.menu_key_twice")
		}
		keys[lg.Key], langs[lg.Lang] = true, true
	}
	sort.Slice(d.Languages, func(i, j int) bool { return d.Languages[i].Key < d.Languages[j].Key })
	return l.Err()
}

// CreateLine adds a help line to an operation. The caller checks that by
// may (CanManageLine) and has cleaned d.
func (s *Store) CreateLine(ctx context.Context, by *auth.User, opID int64, d LineDraft) (int64, error) {
	now := s.now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO helplines (operation_id, name, public_number, ring, ring_seconds, time_zone, closed_on_holidays, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			opID, d.Name, d.PublicNumber, string(d.Ring), d.RingSeconds, d.TimeZone, d.ClosedOnHolidays, by.ID, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errNumberUsed
		}
		if err != nil {
			return fmt.Errorf("create help line: %w", err)
		}
		return setLanguages(ctx, tx, id, d.Languages)
	})
	return id, err
}

// UpdateLine changes a line's settings and languages. The weekly hours of
// a language the line keeps are kept; those of a language it drops go.
func (s *Store) UpdateLine(ctx context.Context, id int64, d LineDraft) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE helplines SET name = $1, public_number = $2, ring = $3, ring_seconds = $4, time_zone = $5,
			closed_on_holidays = $6, updated_at = $7 WHERE id = $8`,
			d.Name, d.PublicNumber, string(d.Ring), d.RingSeconds, d.TimeZone, d.ClosedOnHolidays, s.now(), id)
		if db.IsUniqueViolation(err) {
			return errNumberUsed
		}
		if err != nil {
			return fmt.Errorf("update help line %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		// The hours of the languages kept are put back after the
		// languages are replaced: two languages may trade menu keys.
		rows, err := tx.QueryContext(ctx, `SELECT lang, weekday, opens, closes FROM helpline_hours WHERE helpline_id = $1`, id)
		if err != nil {
			return fmt.Errorf("update help line %d: %w", id, err)
		}
		var hours []WeeklyHours
		for rows.Next() {
			var h WeeklyHours
			if err := rows.Scan(&h.Lang, &h.Weekday, &h.Opens, &h.Closes); err != nil {
				rows.Close()
				return fmt.Errorf("update help line %d: %w", id, err)
			}
			hours = append(hours, h)
		}
		rows.Close()
		if _, err := tx.ExecContext(ctx, `DELETE FROM helpline_languages WHERE helpline_id = $1`, id); err != nil {
			return fmt.Errorf("update help line %d: %w", id, err)
		}
		if err := setLanguages(ctx, tx, id, d.Languages); err != nil {
			return err
		}
		for _, h := range hours {
			if !slices.ContainsFunc(d.Languages, func(l Language) bool { return l.Lang == h.Lang }) {
				continue
			}
			if err := insertHours(ctx, tx, id, h); err != nil {
				return err
			}
		}
		return nil
	})
}

func setLanguages(ctx context.Context, tx *sql.Tx, id int64, langs []Language) error {
	for _, l := range langs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO helpline_languages (helpline_id, lang, menu_key) VALUES ($1, $2, $3)`, id, l.Lang, l.Key); err != nil {
			return fmt.Errorf("help line %d language %s: %w", id, l.Lang, err)
		}
	}
	return nil
}

func insertHours(ctx context.Context, tx *sql.Tx, id int64, h WeeklyHours) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO helpline_hours (helpline_id, lang, weekday, opens, closes) VALUES ($1, $2, $3, $4, $5)`,
		id, h.Lang, int(h.Weekday), h.Opens, h.Closes); err != nil {
		return fmt.Errorf("help line %d hours: %w", id, err)
	}
	return nil
}

const lineColumns = `id, operation_id, name, public_number, ring, ring_seconds, time_zone, closed_on_holidays`

func scanLine(row interface{ Scan(...any) error }) (Line, error) {
	var l Line
	var ring string
	err := row.Scan(&l.ID, &l.OperationID, &l.Name, &l.PublicNumber, &ring, &l.RingSeconds, &l.TimeZone, &l.ClosedOnHolidays)
	l.Ring = Ring(ring)
	return l, err
}

// Line returns one line with its languages, in menu order.
func (s *Store) Line(ctx context.Context, id int64) (Line, error) {
	l, err := scanLine(s.DB.QueryRow(ctx, `SELECT `+lineColumns+` FROM helplines WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Line{}, ErrNotFound
	}
	if err != nil {
		return Line{}, fmt.Errorf("help line %d: %w", id, err)
	}
	lines := []Line{l}
	if err := s.fillLanguages(ctx, lines); err != nil {
		return Line{}, err
	}
	return lines[0], nil
}

// Lines lists the lines of the operations opIDs (every line when opIDs is
// nil), by operation and name.
func (s *Store) Lines(ctx context.Context, opIDs []int64) ([]Line, error) {
	q := `SELECT ` + lineColumns + ` FROM helplines`
	var args []any
	if opIDs != nil {
		if len(opIDs) == 0 {
			return nil, nil
		}
		marks := make([]string, len(opIDs))
		for i, id := range opIDs {
			marks[i], args = "$"+strconv.Itoa(i+1), append(args, id)
		}
		q += ` WHERE operation_id IN (` + strings.Join(marks, ", ") + `)`
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY operation_id, name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("help lines: %w", err)
	}
	var out []Line
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("help lines: %w", err)
		}
		out = append(out, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("help lines: %w", err)
	}
	return out, s.fillLanguages(ctx, out)
}

func (s *Store) fillLanguages(ctx context.Context, lines []Line) error {
	for i := range lines {
		rows, err := s.DB.Query(ctx, `SELECT lang, menu_key FROM helpline_languages WHERE helpline_id = $1 ORDER BY menu_key`, lines[i].ID)
		if err != nil {
			return fmt.Errorf("help line languages: %w", err)
		}
		for rows.Next() {
			var l Language
			if err := rows.Scan(&l.Lang, &l.Key); err != nil {
				rows.Close()
				return fmt.Errorf("help line languages: %w", err)
			}
			lines[i].Languages = append(lines[i].Languages, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("help line languages: %w", err)
		}
	}
	return nil
}

// Langs lists the codes of the line's languages in menu order.
func (l Line) Langs() []string {
	out := make([]string, len(l.Languages))
	for i, lg := range l.Languages {
		out[i] = lg.Lang
	}
	return out
}

// Schedule reads everything that says when the line answers.
func (s *Store) Schedule(ctx context.Context, lineID int64) (Schedule, error) {
	return s.schedule(ctx, s.DB.Reader(), lineID)
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func (s *Store) schedule(ctx context.Context, q querier, lineID int64) (Schedule, error) {
	var sc Schedule
	var tz string
	err := q.QueryRowContext(ctx, `SELECT time_zone, closed_on_holidays FROM helplines WHERE id = $1`, lineID).Scan(&tz, &sc.ClosedOnHolidays)
	if errors.Is(err, sql.ErrNoRows) {
		return sc, ErrNotFound
	}
	if err != nil {
		return sc, fmt.Errorf("help line %d schedule: %w", lineID, err)
	}
	if sc.Loc, err = time.LoadLocation(tz); err != nil {
		return sc, fmt.Errorf("help line %d time zone: %w", lineID, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT lang, weekday, opens, closes FROM helpline_hours WHERE helpline_id = $1 ORDER BY lang, weekday, opens`, lineID)
	if err != nil {
		return sc, fmt.Errorf("help line %d hours: %w", lineID, err)
	}
	for rows.Next() {
		var h WeeklyHours
		if err := rows.Scan(&h.Lang, &h.Weekday, &h.Opens, &h.Closes); err != nil {
			rows.Close()
			return sc, fmt.Errorf("help line %d hours: %w", lineID, err)
		}
		sc.Weekly = append(sc.Weekly, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return sc, fmt.Errorf("help line %d hours: %w", lineID, err)
	}
	rows, err = q.QueryContext(ctx, `SELECT id, day, lang, opens, closes, note FROM helpline_exceptions WHERE helpline_id = $1 ORDER BY day, lang`, lineID)
	if err != nil {
		return sc, fmt.Errorf("help line %d exceptions: %w", lineID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Exception
		var opens, closes sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Day, &e.Lang, &opens, &closes, &e.Note); err != nil {
			return sc, fmt.Errorf("help line %d exceptions: %w", lineID, err)
		}
		e.Closed = !opens.Valid
		e.Opens, e.Closes = int(opens.Int64), int(closes.Int64)
		sc.Exceptions = append(sc.Exceptions, e)
	}
	return sc, rows.Err()
}

// SetHours replaces the weekly hours of the line's languages that hours
// names (a language not named keeps its hours).
func (s *Store) SetHours(ctx context.Context, lineID int64, langs []string, hours []WeeklyHours) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, h := range hours {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM helpline_languages WHERE helpline_id = $1 AND lang = $2`, lineID, h.Lang).Scan(&n); err != nil {
				return fmt.Errorf("help line %d hours: %w", lineID, err)
			}
			if n == 0 || !slices.Contains(langs, h.Lang) {
				return problem.Field("hours", "helpline.error.lang_not_offered")
			}
		}
		for _, lang := range langs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM helpline_hours WHERE helpline_id = $1 AND lang = $2`, lineID, lang); err != nil {
				return fmt.Errorf("help line %d hours: %w", lineID, err)
			}
		}
		for _, h := range hours {
			if err := insertHours(ctx, tx, lineID, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// CleanException checks an exception as typed and returns every problem.
func CleanException(e *Exception, lineLangs []string) error {
	var l problem.List
	if t, err := time.Parse("2006-01-02", strings.TrimSpace(e.Day)); err != nil {
		l.Add("day", "helpline.error.day")
	} else {
		e.Day = t.Format("2006-01-02")
	}
	if e.Lang != "" && !slices.Contains(lineLangs, e.Lang) {
		l.Add("lang", "helpline.error.lang_not_offered")
	}
	if !e.Closed && (e.Opens < 0 || e.Closes > 1440 || e.Opens >= e.Closes) {
		l.Add("hours", "helpline.error.hours")
	}
	e.Note = strings.TrimSpace(e.Note)
	if utf8.RuneCountInString(e.Note) > MaxNoteRunes {
		l.Add("note", "helpline.error.too_long", "Max", MaxNoteRunes)
	}
	return l.Err()
}

// SetException records an exception for a date and language, replacing
// the one there was.
func (s *Store) SetException(ctx context.Context, lineID int64, e Exception) error {
	var opens, closes any
	if !e.Closed {
		opens, closes = e.Opens, e.Closes
	}
	_, err := s.DB.Exec(ctx, `INSERT INTO helpline_exceptions (helpline_id, day, lang, opens, closes, note) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (helpline_id, day, lang) DO UPDATE SET opens = excluded.opens, closes = excluded.closes, note = excluded.note`,
		lineID, e.Day, e.Lang, opens, closes, e.Note)
	if err != nil {
		return fmt.Errorf("help line %d exception: %w", lineID, err)
	}
	return nil
}

// DeleteException removes an exception of the line.
func (s *Store) DeleteException(ctx context.Context, lineID, id int64) error {
	res, err := s.DB.Exec(ctx, `DELETE FROM helpline_exceptions WHERE id = $1 AND helpline_id = $2`, id, lineID)
	if err != nil {
		return fmt.Errorf("help line %d exception: %w", lineID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// OpenAt says whether the line answers in lang at the instant at.
func (s *Store) OpenAt(ctx context.Context, lineID int64, lang string, at time.Time) (bool, error) {
	sc, err := s.Schedule(ctx, lineID)
	if err != nil {
		return false, err
	}
	return sc.OpenAt(lang, at), nil
}

// OnShift lists the volunteers on shift in lang at the instant at, the
// earliest started first (then by shift).
func (s *Store) OnShift(ctx context.Context, lineID int64, lang string, at time.Time) ([]OnDuty, error) {
	at = db.Now(at)
	rows, err := s.DB.Query(ctx, `SELECT s.id, s.person_id, p.name, COALESCE(s.phone_id, 0), COALESCE(ph.number, p.phone, '')
		FROM shifts s JOIN shift_languages sl ON sl.shift_id = s.id JOIN people p ON p.id = s.person_id
		LEFT JOIN shared_phones ph ON ph.id = s.phone_id
		WHERE s.helpline_id = $1 AND sl.lang = $2 AND s.starts_at <= $3 AND s.ends_at > $3
		ORDER BY s.starts_at, s.id`, lineID, lang, at)
	if err != nil {
		return nil, fmt.Errorf("on shift: %w", err)
	}
	defer rows.Close()
	var out []OnDuty
	for rows.Next() {
		var d OnDuty
		if err := rows.Scan(&d.ShiftID, &d.PersonID, &d.Name, &d.PhoneID, &d.Number); err != nil {
			return nil, fmt.Errorf("on shift: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ShiftLanguages lists the (line, language) pairs personID is on shift
// for at the instant at.
func (s *Store) ShiftLanguages(ctx context.Context, personID int64, at time.Time) ([]LineLanguage, error) {
	at = db.Now(at)
	rows, err := s.DB.Query(ctx, `SELECT DISTINCT s.helpline_id, sl.lang FROM shifts s JOIN shift_languages sl ON sl.shift_id = s.id
		WHERE s.person_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2 ORDER BY s.helpline_id, sl.lang`, personID, at)
	if err != nil {
		return nil, fmt.Errorf("shift languages: %w", err)
	}
	defer rows.Close()
	var out []LineLanguage
	for rows.Next() {
		var l LineLanguage
		if err := rows.Scan(&l.LineID, &l.Lang); err != nil {
			return nil, fmt.Errorf("shift languages: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Phone is a shared phone of a line.
type Phone struct {
	ID        int64
	LineID    int64
	Label     string
	Number    string
	GroupID   int64 // 0: with nobody
	GroupName string
	Handovers []Handover
}

// Handover is one change of the group that carries a phone.
type Handover struct {
	FromName, ToName string
	ByName           string
	At               time.Time
	Note             string
}

// CleanPhone checks a phone's label and number, normalising the number.
func CleanPhone(label, number *string) error {
	var l problem.List
	*label = strings.TrimSpace(*label)
	if *label == "" {
		l.Add("label", "helpline.error.label_required")
	} else if utf8.RuneCountInString(*label) > MaxLabelRunes {
		l.Add("label", "helpline.error.too_long", "Max", MaxLabelRunes)
	}
	if n, err := phone.Normalize(*number, "SE"); err != nil {
		l.Add("number", "helpline.error.phone")
	} else {
		*number = n
	}
	return l.Err()
}

// AddPhone adds a shared phone to a line, carried by groupID (0: nobody
// yet); the first carrier is the first hand-over of its history.
func (s *Store) AddPhone(ctx context.Context, by *auth.User, lineID int64, label, number string, groupID int64) (int64, error) {
	now := s.now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO shared_phones (helpline_id, label, number, group_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			lineID, label, number, nullID(groupID), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return problem.Field("label", "helpline.error.phone_exists")
		}
		if err != nil {
			return fmt.Errorf("add phone: %w", err)
		}
		if groupID == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO phone_handovers (phone_id, from_group_id, to_group_id, by_person, at) VALUES ($1, NULL, $2, $3, $4)`, id, groupID, by.ID, now)
		if err != nil {
			return fmt.Errorf("add phone: %w", err)
		}
		return nil
	})
	return id, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// HandOver gives a phone to another group and records it. A shift of the
// old group that holds the phone after now keeps it: the groups agree on
// the day of the hand-over, and the line page shows both.
func (s *Store) HandOver(ctx context.Context, by *auth.User, phoneID, toGroup int64, note string) error {
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var from sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT group_id FROM shared_phones WHERE id = $1`+s.forUpdate(), phoneID).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("hand over phone %d: %w", phoneID, err)
		}
		if from.Int64 == toGroup {
			return problem.Field("to", "helpline.error.same_group")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shared_phones SET group_id = $1 WHERE id = $2`, nullID(toGroup), phoneID); err != nil {
			return fmt.Errorf("hand over phone %d: %w", phoneID, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO phone_handovers (phone_id, from_group_id, to_group_id, by_person, at, note) VALUES ($1, $2, $3, $4, $5, $6)`,
			phoneID, from, nullID(toGroup), by.ID, now, note)
		if err != nil {
			return fmt.Errorf("hand over phone %d: %w", phoneID, err)
		}
		return nil
	})
}

// Phone returns one phone with its history.
func (s *Store) Phone(ctx context.Context, id int64) (Phone, error) {
	var p Phone
	err := s.DB.QueryRow(ctx, `SELECT ph.id, ph.helpline_id, ph.label, ph.number, COALESCE(ph.group_id, 0), COALESCE(o.name, '')
		FROM shared_phones ph LEFT JOIN orgs o ON o.id = ph.group_id WHERE ph.id = $1`, id).
		Scan(&p.ID, &p.LineID, &p.Label, &p.Number, &p.GroupID, &p.GroupName)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("phone %d: %w", id, err)
	}
	return p, nil
}

// Phones lists a line's phones by label, each with its hand-overs, the
// newest first.
func (s *Store) Phones(ctx context.Context, lineID int64) ([]Phone, error) {
	rows, err := s.DB.Query(ctx, `SELECT ph.id, ph.helpline_id, ph.label, ph.number, COALESCE(ph.group_id, 0), COALESCE(o.name, '')
		FROM shared_phones ph LEFT JOIN orgs o ON o.id = ph.group_id WHERE ph.helpline_id = $1 AND ph.retired_at IS NULL ORDER BY ph.label`, lineID)
	if err != nil {
		return nil, fmt.Errorf("phones: %w", err)
	}
	var out []Phone
	for rows.Next() {
		var p Phone
		if err := rows.Scan(&p.ID, &p.LineID, &p.Label, &p.Number, &p.GroupID, &p.GroupName); err != nil {
			rows.Close()
			return nil, fmt.Errorf("phones: %w", err)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("phones: %w", err)
	}
	for i := range out {
		rows, err := s.DB.Query(ctx, `SELECT COALESCE(f.name, ''), COALESCE(t.name, ''), COALESCE(p.name, ''), h.at, h.note FROM phone_handovers h
			LEFT JOIN orgs f ON f.id = h.from_group_id LEFT JOIN orgs t ON t.id = h.to_group_id LEFT JOIN people p ON p.id = h.by_person
			WHERE h.phone_id = $1 ORDER BY h.at DESC, h.id DESC`, out[i].ID)
		if err != nil {
			return nil, fmt.Errorf("phone hand-overs: %w", err)
		}
		for rows.Next() {
			var h Handover
			if err := rows.Scan(&h.FromName, &h.ToName, &h.ByName, &h.At, &h.Note); err != nil {
				rows.Close()
				return nil, fmt.Errorf("phone hand-overs: %w", err)
			}
			out[i].Handovers = append(out[i].Handovers, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("phone hand-overs: %w", err)
		}
	}
	return out, nil
}

// Shift is a planned shift.
type Shift struct {
	ID          int64
	LineID      int64
	LineName    string
	OperationID int64
	GroupID     int64
	GroupName   string
	Start, End  time.Time
	PersonID    int64 // 0 while open
	PersonName  string
	PhoneID     int64
	PhoneLabel  string
	PhoneNumber string
	Langs       []string
}

// WeekdayKey is the catalogue key of the shift's weekday, in Swedish
// time as the pages show it.
func (s Shift) WeekdayKey() string {
	return "helpline.weekday." + strconv.Itoa(int(s.Start.In(pageZone).Weekday()))
}

// pageZone is the time zone the pages show times in (platform/web's date
// functions): Sweden's.
var pageZone = func() *time.Location {
	l, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return l
}()

// Interval is the shift's time.
func (s Shift) Interval() Interval { return Interval{s.Start, s.End} }

const shiftSelect = `SELECT s.id, s.helpline_id, h.name, h.operation_id, s.group_id, o.name, s.starts_at, s.ends_at,
	COALESCE(s.person_id, 0), COALESCE(p.name, ''), COALESCE(s.phone_id, 0), COALESCE(ph.label, ''), COALESCE(ph.number, '')
	FROM shifts s JOIN helplines h ON h.id = s.helpline_id JOIN orgs o ON o.id = s.group_id
	LEFT JOIN people p ON p.id = s.person_id LEFT JOIN shared_phones ph ON ph.id = s.phone_id `

func (s *Store) shifts(ctx context.Context, q querier, where string, args ...any) ([]Shift, error) {
	rows, err := q.QueryContext(ctx, shiftSelect+where, args...)
	if err != nil {
		return nil, fmt.Errorf("shifts: %w", err)
	}
	var out []Shift
	for rows.Next() {
		var sh Shift
		if err := rows.Scan(&sh.ID, &sh.LineID, &sh.LineName, &sh.OperationID, &sh.GroupID, &sh.GroupName, &sh.Start, &sh.End,
			&sh.PersonID, &sh.PersonName, &sh.PhoneID, &sh.PhoneLabel, &sh.PhoneNumber); err != nil {
			rows.Close()
			return nil, fmt.Errorf("shifts: %w", err)
		}
		out = append(out, sh)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shifts: %w", err)
	}
	for i := range out {
		lr, err := q.QueryContext(ctx, `SELECT lang FROM shift_languages WHERE shift_id = $1 ORDER BY lang`, out[i].ID)
		if err != nil {
			return nil, fmt.Errorf("shift languages: %w", err)
		}
		for lr.Next() {
			var l string
			if err := lr.Scan(&l); err != nil {
				lr.Close()
				return nil, fmt.Errorf("shift languages: %w", err)
			}
			out[i].Langs = append(out[i].Langs, l)
		}
		lr.Close()
		if err := lr.Err(); err != nil {
			return nil, fmt.Errorf("shift languages: %w", err)
		}
	}
	return out, nil
}

// Shift returns one shift.
func (s *Store) Shift(ctx context.Context, id int64) (Shift, error) {
	out, err := s.shifts(ctx, s.DB.Reader(), `WHERE s.id = $1`, id)
	if err != nil {
		return Shift{}, err
	}
	if len(out) == 0 {
		return Shift{}, ErrNotFound
	}
	return out[0], nil
}

// LineShifts lists a line's shifts that touch [from, to), in time order.
func (s *Store) LineShifts(ctx context.Context, lineID int64, from, to time.Time) ([]Shift, error) {
	return s.shifts(ctx, s.DB.Reader(), `WHERE s.helpline_id = $1 AND s.ends_at > $2 AND s.starts_at < $3 ORDER BY s.starts_at, s.id`,
		lineID, db.Now(from), db.Now(to))
}

// PersonShifts lists a person's shifts that end after from, in time order.
func (s *Store) PersonShifts(ctx context.Context, personID int64, from time.Time) ([]Shift, error) {
	return s.shifts(ctx, s.DB.Reader(), `WHERE s.person_id = $1 AND s.ends_at > $2 ORDER BY s.starts_at, s.id`, personID, db.Now(from))
}

// OpenShifts lists the shifts nobody has taken in the groups groupIDs that
// have not ended by from, in time order.
func (s *Store) OpenShifts(ctx context.Context, groupIDs []int64, from time.Time) ([]Shift, error) {
	if len(groupIDs) == 0 {
		return nil, nil
	}
	args := []any{db.Now(from)}
	marks := make([]string, len(groupIDs))
	for i, g := range groupIDs {
		marks[i], args = "$"+strconv.Itoa(i+2), append(args, g)
	}
	return s.shifts(ctx, s.DB.Reader(), `WHERE s.person_id IS NULL AND s.ends_at > $1 AND s.group_id IN (`+strings.Join(marks, ", ")+`) ORDER BY s.starts_at, s.id`, args...)
}

// ShiftDraft is what a group lead plans.
type ShiftDraft struct {
	LineID   int64
	GroupID  int64
	Start    time.Time
	End      time.Time
	Langs    []string
	PersonID int64 // 0: open, for a volunteer of the group to take
	PhoneID  int64 // 0: none
}

// personLangs reads what a person speaks, locking her row (PostgreSQL) so
// that her shifts change one transaction at a time.
func (s *Store) lockPerson(ctx context.Context, tx *sql.Tx, personID int64) ([]string, error) {
	var langs string
	err := tx.QueryRowContext(ctx, `SELECT languages FROM people WHERE id = $1 AND disabled_at IS NULL`+s.forUpdate(), personID).Scan(&langs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.Field("person", "helpline.error.person")
	}
	if err != nil {
		return nil, fmt.Errorf("lock person %d: %w", personID, err)
	}
	out := auth.SplitLanguages(langs)
	if out == nil {
		out = []string{}
	}
	return out, nil
}

func (s *Store) busy(ctx context.Context, tx *sql.Tx, column string, id, exceptShift int64) ([]Interval, error) {
	rows, err := tx.QueryContext(ctx, `SELECT starts_at, ends_at FROM shifts WHERE `+column+` = $1 AND id <> $2`, id, exceptShift)
	if err != nil {
		return nil, fmt.Errorf("shifts of %s %d: %w", column, id, err)
	}
	defer rows.Close()
	var out []Interval
	for rows.Next() {
		var iv Interval
		if err := rows.Scan(&iv.From, &iv.To); err != nil {
			return nil, fmt.Errorf("shifts of %s %d: %w", column, id, err)
		}
		out = append(out, iv)
	}
	return out, rows.Err()
}

func isVolunteerOf(ctx context.Context, tx *sql.Tx, personID, groupID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE person_id = $1 AND org_id = $2 AND role = 'volunteer'`, personID, groupID).Scan(&n)
	return n > 0, err
}

// PlanShift adds a shift after checking it against the rules (CheckShift)
// in one transaction, with the phone and the volunteer locked, so that
// two leads planning at once cannot both put one person or one phone on
// the same hours. The caller checks that by leads d.GroupID in the line's
// operation.
// MaxPlanDays is how far ahead a shift may be planned.
const MaxPlanDays = 366

func (s *Store) PlanShift(ctx context.Context, by *auth.User, d ShiftDraft) (int64, error) {
	now := s.now()
	d.Start, d.End = db.Now(d.Start), db.Now(d.End)
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		line, err := scanLine(tx.QueryRowContext(ctx, `SELECT `+lineColumns+` FROM helplines WHERE id = $1`, d.LineID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("plan shift: %w", err)
		}
		sc, err := s.schedule(ctx, tx, d.LineID)
		if err != nil {
			return err
		}
		c := ShiftCheck{Interval: Interval{d.Start, d.End}, Langs: d.Langs, Schedule: sc}
		lr, err := tx.QueryContext(ctx, `SELECT lang FROM helpline_languages WHERE helpline_id = $1`, line.ID)
		if err != nil {
			return fmt.Errorf("plan shift: %w", err)
		}
		for lr.Next() {
			var l string
			if err := lr.Scan(&l); err != nil {
				lr.Close()
				return fmt.Errorf("plan shift: %w", err)
			}
			c.LineLangs = append(c.LineLangs, l)
		}
		lr.Close()
		var l problem.List
		if !d.End.After(now) {
			l.Add("day", "helpline.error.past")
		} else if d.Start.After(now.AddDate(0, 0, MaxPlanDays)) {
			// A date years ahead is a slip of the keyboard.
			l.Add("day", "helpline.error.too_far")
		}
		if d.PhoneID != 0 {
			var holder sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT group_id FROM shared_phones WHERE id = $1 AND helpline_id = $2 AND retired_at IS NULL`+s.forUpdate(),
				d.PhoneID, d.LineID).Scan(&holder)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				l.Add("phone", "helpline.error.phone_unknown")
			case err != nil:
				return fmt.Errorf("plan shift: %w", err)
			case holder.Int64 != d.GroupID:
				l.Add("phone", "helpline.error.phone_elsewhere")
			default:
				if c.PhoneShifts, err = s.busy(ctx, tx, "phone_id", d.PhoneID, 0); err != nil {
					return err
				}
			}
		}
		if d.PersonID != 0 {
			ok, err := isVolunteerOf(ctx, tx, d.PersonID, d.GroupID)
			if err != nil {
				return fmt.Errorf("plan shift: %w", err)
			}
			if !ok {
				l.Add("person", "helpline.error.person")
			} else {
				if c.PersonLangs, err = s.lockPerson(ctx, tx, d.PersonID); err != nil {
					return err
				}
				if c.PersonShifts, err = s.busy(ctx, tx, "person_id", d.PersonID, 0); err != nil {
					return err
				}
			}
		}
		if err := CheckShift(c); err != nil {
			ps, _ := problem.As(err)
			l = append(l, ps...)
		}
		if err := l.Err(); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO shifts (helpline_id, group_id, starts_at, ends_at, person_id, phone_id, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			d.LineID, d.GroupID, d.Start, d.End, nullID(d.PersonID), nullID(d.PhoneID), by.ID, now).Scan(&id); err != nil {
			return fmt.Errorf("plan shift: %w", err)
		}
		for _, lang := range d.Langs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO shift_languages (shift_id, lang) VALUES ($1, $2)`, id, lang); err != nil {
				return fmt.Errorf("plan shift: %w", err)
			}
		}
		return nil
	})
	return id, err
}

// CancelShift deletes a shift that has not ended. The caller checks that
// by leads its group.
func (s *Store) CancelShift(ctx context.Context, id int64) error {
	res, err := s.DB.Exec(ctx, `DELETE FROM shifts WHERE id = $1 AND ends_at > $2`, id, s.now())
	if err != nil {
		return fmt.Errorf("cancel shift %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errStarted
	}
	return nil
}

// TakeShift gives an open shift to u, a volunteer of its group who speaks
// its languages and is free then. Of two volunteers taking one shift at
// once, one gets it and the other ErrTaken; one volunteer taking two
// shifts at the same hours at once gets one of them.
func (s *Store) TakeShift(ctx context.Context, u *auth.User, id int64) error {
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		sh, err := s.shifts(ctx, tx, `WHERE s.id = $1`, id)
		if err != nil {
			return err
		}
		if len(sh) == 0 {
			return ErrNotFound
		}
		if ok, err := isVolunteerOf(ctx, tx, u.ID, sh[0].GroupID); err != nil {
			return fmt.Errorf("take shift %d: %w", id, err)
		} else if !ok {
			return ErrNotFound
		}
		if !sh[0].End.After(now) {
			return errStarted
		}
		langs, err := s.lockPerson(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if !Speaks(langs, sh[0].Langs) {
			return problem.New(problem.Conflict, "helpline.error.not_spoken")
		}
		busy, err := s.busy(ctx, tx, "person_id", u.ID, id)
		if err != nil {
			return err
		}
		if OverlapsAny(sh[0].Interval(), busy) {
			return problem.New(problem.Conflict, "helpline.error.overlap")
		}
		res, err := tx.ExecContext(ctx, `UPDATE shifts SET person_id = $1, updated_at = $2 WHERE id = $3 AND person_id IS NULL`, u.ID, now, id)
		if err != nil {
			return fmt.Errorf("take shift %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrTaken
		}
		return nil
	})
}

// GiveBack makes u's shift open again, before it starts, and withdraws
// her offers to swap it.
func (s *Store) GiveBack(ctx context.Context, u *auth.User, id int64) error {
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE shifts SET person_id = NULL, reminded_at = NULL, updated_at = $1 WHERE id = $2 AND person_id = $3 AND starts_at > $1`, now, id, u.ID)
		if err != nil {
			return fmt.Errorf("give back shift %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotYours
		}
		_, err = tx.ExecContext(ctx, `UPDATE shift_swaps SET state = 'withdrawn', decided_at = $1 WHERE shift_id = $2 AND state = 'offered'`, now, id)
		if err != nil {
			return fmt.Errorf("give back shift %d: %w", id, err)
		}
		return nil
	})
}

// Swap is an offer to hand a shift to another volunteer.
type Swap struct {
	ID       int64
	Shift    Shift
	FromID   int64
	FromName string
	ToID     int64
	ToName   string
	State    string
}

// OfferSwap offers u's shift, before it starts, to another volunteer of
// its group; it is hers when she accepts. One open offer per shift: a
// new one replaces the old.
func (s *Store) OfferSwap(ctx context.Context, u *auth.User, shiftID, toPerson int64) (int64, error) {
	now := s.now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var group int64
		err := tx.QueryRowContext(ctx, `SELECT group_id FROM shifts WHERE id = $1 AND person_id = $2 AND starts_at > $3`, shiftID, u.ID, now).Scan(&group)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotYours
		}
		if err != nil {
			return fmt.Errorf("offer swap: %w", err)
		}
		if toPerson == u.ID {
			return problem.Field("to", "helpline.error.person")
		}
		if ok, err := isVolunteerOf(ctx, tx, toPerson, group); err != nil {
			return fmt.Errorf("offer swap: %w", err)
		} else if !ok {
			return problem.Field("to", "helpline.error.person")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shift_swaps SET state = 'withdrawn', decided_at = $1 WHERE shift_id = $2 AND state = 'offered'`, now, shiftID); err != nil {
			return fmt.Errorf("offer swap: %w", err)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO shift_swaps (shift_id, from_person, to_person, state, created_at) VALUES ($1, $2, $3, 'offered', $4) RETURNING id`,
			shiftID, u.ID, toPerson, now).Scan(&id)
	})
	return id, err
}

// SwapsOffered lists the open offers to personID, the soonest shift first.
func (s *Store) SwapsOffered(ctx context.Context, personID int64) ([]Swap, error) {
	return s.swaps(ctx, `WHERE w.to_person = $1 AND w.state = 'offered' AND s.starts_at > $2`, personID)
}

// SwapsMade lists personID's own open offers.
func (s *Store) SwapsMade(ctx context.Context, personID int64) ([]Swap, error) {
	return s.swaps(ctx, `WHERE w.from_person = $1 AND w.state = 'offered' AND s.starts_at > $2`, personID)
}

func (s *Store) swaps(ctx context.Context, where string, personID int64) ([]Swap, error) {
	rows, err := s.DB.Query(ctx, `SELECT w.id, w.shift_id, w.from_person, f.name, w.to_person, t.name, w.state FROM shift_swaps w
		JOIN shifts s ON s.id = w.shift_id JOIN people f ON f.id = w.from_person JOIN people t ON t.id = w.to_person `+where+` ORDER BY s.starts_at, w.id`,
		personID, s.now())
	if err != nil {
		return nil, fmt.Errorf("swaps: %w", err)
	}
	var out []Swap
	for rows.Next() {
		var w Swap
		if err := rows.Scan(&w.ID, &w.Shift.ID, &w.FromID, &w.FromName, &w.ToID, &w.ToName, &w.State); err != nil {
			rows.Close()
			return nil, fmt.Errorf("swaps: %w", err)
		}
		out = append(out, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("swaps: %w", err)
	}
	for i := range out {
		if out[i].Shift, err = s.Shift(ctx, out[i].Shift.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AnswerSwap accepts or declines an offer made to u. Accepting moves the
// shift to her when it is still the offerer's, has not started, she
// speaks its languages and she is free then, atomically like TakeShift.
func (s *Store) AnswerSwap(ctx context.Context, u *auth.User, swapID int64, accept bool) error {
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var shiftID, from int64
		err := tx.QueryRowContext(ctx, `SELECT shift_id, from_person FROM shift_swaps WHERE id = $1 AND to_person = $2 AND state = 'offered'`+s.forUpdate(),
			swapID, u.ID).Scan(&shiftID, &from)
		if errors.Is(err, sql.ErrNoRows) {
			return errSwapGone
		}
		if err != nil {
			return fmt.Errorf("answer swap %d: %w", swapID, err)
		}
		if !accept {
			_, err := tx.ExecContext(ctx, `UPDATE shift_swaps SET state = 'declined', decided_at = $1 WHERE id = $2`, now, swapID)
			if err != nil {
				return fmt.Errorf("decline swap %d: %w", swapID, err)
			}
			return nil
		}
		// Both volunteers locked in the order of their ids, so that two
		// swaps between the same two cannot wait on each other.
		first, second := from, u.ID
		if second < first {
			first, second = second, first
		}
		var langs []string
		for _, p := range []int64{first, second} {
			l, err := s.lockPerson(ctx, tx, p)
			if err != nil {
				return err
			}
			if p == u.ID {
				langs = l
			}
		}
		sh, err := s.shifts(ctx, tx, `WHERE s.id = $1`, shiftID)
		if err != nil {
			return err
		}
		if len(sh) == 0 || sh[0].PersonID != from || !sh[0].Start.After(now) {
			return errSwapGone
		}
		if !Speaks(langs, sh[0].Langs) {
			return problem.New(problem.Conflict, "helpline.error.not_spoken")
		}
		busy, err := s.busy(ctx, tx, "person_id", u.ID, shiftID)
		if err != nil {
			return err
		}
		if OverlapsAny(sh[0].Interval(), busy) {
			return problem.New(problem.Conflict, "helpline.error.overlap")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shifts SET person_id = $1, reminded_at = NULL, updated_at = $2 WHERE id = $3 AND person_id = $4`, u.ID, now, shiftID, from); err != nil {
			return fmt.Errorf("accept swap %d: %w", swapID, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE shift_swaps SET state = 'accepted', decided_at = $1 WHERE id = $2`, now, swapID)
		if err != nil {
			return fmt.Errorf("accept swap %d: %w", swapID, err)
		}
		return nil
	})
}

// Colleagues lists the other volunteers of a group, for a swap offer.
func (s *Store) Colleagues(ctx context.Context, groupID, except int64) ([]auth.Person, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.name, p.languages FROM people p JOIN memberships m ON m.person_id = p.id
		WHERE m.org_id = $1 AND m.role = 'volunteer' AND p.id <> $2 AND p.disabled_at IS NULL ORDER BY p.name, p.id`, groupID, except)
	if err != nil {
		return nil, fmt.Errorf("colleagues: %w", err)
	}
	defer rows.Close()
	var out []auth.Person
	for rows.Next() {
		var p auth.Person
		var langs string
		if err := rows.Scan(&p.ID, &p.Name, &langs); err != nil {
			return nil, fmt.Errorf("colleagues: %w", err)
		}
		p.Languages = auth.SplitLanguages(langs)
		out = append(out, p)
	}
	return out, rows.Err()
}

// hashToken is how a calendar feed's secret is kept: a feed address is a
// bearer secret with 256 bits, so a fast hash is enough.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// RenewFeed makes a new secret for personID's calendar feed, replacing
// the old one, whose address stops working. It returns the secret, which
// is stored only hashed.
func (s *Store) RenewFeed(ctx context.Context, personID int64) (string, error) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	token := hex.EncodeToString(b)
	_, err := s.DB.Exec(ctx, `INSERT INTO shift_calendar_feeds (person_id, token_hash, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`, personID, hashToken(token), s.now())
	if err != nil {
		return "", fmt.Errorf("renew calendar feed: %w", err)
	}
	return token, nil
}

// HasFeed reports when personID's feed was made, zero when she has none.
func (s *Store) HasFeed(ctx context.Context, personID int64) (time.Time, error) {
	var at time.Time
	err := s.DB.QueryRow(ctx, `SELECT created_at FROM shift_calendar_feeds WHERE person_id = $1`, personID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return at, err
}

// FeedOwner returns the person whose feed token is, or ErrNotFound.
func (s *Store) FeedOwner(ctx context.Context, token string) (int64, error) {
	if len(token) != 64 {
		return 0, ErrNotFound
	}
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT person_id FROM shift_calendar_feeds WHERE token_hash = $1`, hashToken(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("calendar feed: %w", err)
	}
	return id, nil
}

// Reminder is a shift whose volunteer is to be reminded.
type Reminder struct {
	Shift
	TimeZone string
}

// RemindBefore queues one reminder for each shift that starts within lead
// of now and has not been reminded: tell is called in the transaction
// that marks it reminded, so a reminder goes once even when two processes
// run the job at the same moment.
func (s *Store) RemindBefore(ctx context.Context, lead time.Duration, tell func(ctx context.Context, tx *sql.Tx, r Reminder) error) (int, error) {
	now := s.now()
	due, err := s.shifts(ctx, s.DB.Reader(), `WHERE s.person_id IS NOT NULL AND s.reminded_at IS NULL AND s.starts_at > $1 AND s.starts_at <= $2 ORDER BY s.starts_at, s.id`,
		now, db.Now(now.Add(lead)))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, sh := range due {
		marked := false
		var tz string
		if err := s.DB.QueryRow(ctx, `SELECT time_zone FROM helplines WHERE id = $1`, sh.LineID).Scan(&tz); err != nil {
			return sent, fmt.Errorf("remind shift %d: %w", sh.ID, err)
		}
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE shifts SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL AND person_id = $3`, now, sh.ID, sh.PersonID)
			if err != nil {
				return fmt.Errorf("remind shift %d: %w", sh.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			marked = true
			return tell(ctx, tx, Reminder{Shift: sh, TimeZone: tz})
		})
		if err != nil {
			return sent, err
		}
		if marked {
			sent++
		}
	}
	return sent, nil
}
