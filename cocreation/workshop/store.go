package workshop

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"megafon/cocreation/process"
	"megafon/platform/db"
	"megafon/platform/problem"
)

// Workshop is a meeting of a process.
type Workshop struct {
	ID            int64
	ProcessID     int64
	Title         string
	StartsAt      time.Time
	EndsAt        time.Time
	Place         string
	VideoURL      string
	Agenda        string
	Facilitators  string
	Interpreters  string // languages, comma-separated
	Accessibility string
	Capacity      int // 0: no limit
	SignedUp      int
	Attended      int
	Paused        bool                           // the board takes no notes from participants
	Texts         map[string]process.Translation // name (Title) and agenda (Body) by language
}

// WorkshopForm is what a facilitator types.
type WorkshopForm struct {
	Title, Date, Start, End, Place, VideoURL, Agenda, Facilitators, Interpreters, Accessibility, Capacity string
}

// Clean checks the form and returns the workshop.
func (f WorkshopForm) Clean() (Workshop, error) {
	var l problem.List
	w := Workshop{Title: process.CleanLine(f.Title), Place: process.CleanLine(f.Place), VideoURL: process.CleanLine(f.VideoURL),
		Agenda: process.CleanText(f.Agenda), Facilitators: process.CleanLine(f.Facilitators), Interpreters: process.CleanLine(f.Interpreters),
		Accessibility: process.CleanText(f.Accessibility)}
	if w.Title == "" {
		l.Add("title", "form.required")
	} else if utf8.RuneCountInString(w.Title) > process.MaxTitle {
		l.Add("title", "cc.error.too_long")
	}
	// Each of the three fields says what is wrong with it.
	day, errDay := time.ParseInLocation(time.DateOnly, strings.TrimSpace(f.Date), process.Stockholm)
	from, errFrom := time.Parse("15:04", strings.TrimSpace(f.Start))
	to, errTo := time.Parse("15:04", strings.TrimSpace(f.End))
	if errDay != nil {
		l.Add("date", "cc.error.date")
	}
	if errFrom != nil {
		l.Add("start", "cc.error.time")
	}
	if errTo != nil {
		l.Add("end", "cc.error.time")
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), from.Hour(), from.Minute(), 0, 0, process.Stockholm)
	end := time.Date(day.Year(), day.Month(), day.Day(), to.Hour(), to.Minute(), 0, 0, process.Stockholm)
	if errDay == nil && errFrom == nil && errTo == nil && !end.After(start) {
		l.Add("end", "cc.error.ends_before")
	}
	w.StartsAt, w.EndsAt = db.Now(start), db.Now(end)
	if w.VideoURL != "" {
		if u, err := url.Parse(w.VideoURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			l.Add("video_url", "cc.error.url")
		}
	}
	if w.Place == "" && w.VideoURL == "" {
		l.Add("place", "cc.error.place")
	}
	for _, s := range []string{w.Place, w.Facilitators, w.Interpreters} {
		if utf8.RuneCountInString(s) > process.MaxTitle {
			l.Add("place", "cc.error.too_long")
			break
		}
	}
	if utf8.RuneCountInString(w.Agenda) > process.MaxText || utf8.RuneCountInString(w.Accessibility) > process.MaxText {
		l.Add("agenda", "cc.error.too_long")
	}
	if c := strings.TrimSpace(f.Capacity); c != "" {
		if _, err := fmt.Sscanf(c, "%d", &w.Capacity); err != nil || w.Capacity < 0 || w.Capacity > 10000 {
			l.Add("capacity", "cc.error.capacity")
		}
	}
	return w, l.Err()
}

// Form is the workshop as its edit form shows it.
func (w Workshop) Form() WorkshopForm {
	f := WorkshopForm{Title: w.Title, Place: w.Place, VideoURL: w.VideoURL, Agenda: w.Agenda, Facilitators: w.Facilitators,
		Interpreters: w.Interpreters, Accessibility: w.Accessibility}
	if !w.StartsAt.IsZero() {
		f.Date, f.Start, f.End = w.StartsAt.In(process.Stockholm).Format(time.DateOnly), w.StartsAt.In(process.Stockholm).Format("15:04"), w.EndsAt.In(process.Stockholm).Format("15:04")
	}
	if w.Capacity > 0 {
		f.Capacity = fmt.Sprint(w.Capacity)
	}
	return f
}

// SaveWorkshop creates (w.ID == 0) or updates a workshop.
func (s *Store) SaveWorkshop(ctx context.Context, w Workshop) (int64, error) {
	if w.ID == 0 {
		err := s.DB.WriteRow(ctx, `INSERT INTO cc_workshops (process_id, title, starts_at, ends_at, place, video_url, agenda, facilitators, interpreters, accessibility, capacity, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			w.ProcessID, w.Title, w.StartsAt, w.EndsAt, w.Place, w.VideoURL, w.Agenda, w.Facilitators, w.Interpreters, w.Accessibility, w.Capacity, s.Time()).Scan(&w.ID)
		return w.ID, err
	}
	_, err := s.DB.Exec(ctx, `UPDATE cc_workshops SET title = $1, starts_at = $2, ends_at = $3, place = $4, video_url = $5, agenda = $6, facilitators = $7,
		interpreters = $8, accessibility = $9, capacity = $10 WHERE id = $11`,
		w.Title, w.StartsAt, w.EndsAt, w.Place, w.VideoURL, w.Agenda, w.Facilitators, w.Interpreters, w.Accessibility, w.Capacity, w.ID)
	return w.ID, err
}

const workshopColumns = `w.id, w.process_id, w.title, w.starts_at, w.ends_at, w.place, w.video_url, w.agenda, w.facilitators, w.interpreters, w.accessibility, w.capacity,
	(SELECT COUNT(*) FROM cc_signups s WHERE s.workshop_id = w.id), (SELECT COUNT(*) FROM cc_signups s WHERE s.workshop_id = w.id AND s.attended), w.paused`

func scanWorkshop(row interface{ Scan(...any) error }) (Workshop, error) {
	var w Workshop
	err := row.Scan(&w.ID, &w.ProcessID, &w.Title, &w.StartsAt, &w.EndsAt, &w.Place, &w.VideoURL, &w.Agenda, &w.Facilitators, &w.Interpreters,
		&w.Accessibility, &w.Capacity, &w.SignedUp, &w.Attended, &w.Paused)
	return w, err
}

// Workshop reads one workshop, with its translations.
func (s *Store) Workshop(ctx context.Context, id int64) (Workshop, error) {
	w, err := scanWorkshop(s.DB.QueryRow(ctx, `SELECT `+workshopColumns+` FROM cc_workshops w WHERE w.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return w, process.ErrNoProcess
	}
	if err != nil {
		return w, fmt.Errorf("workshop %d: %w", id, err)
	}
	texts, err := s.Translations(ctx, `SELECT t.workshop_id, `+process.TranslationColumns+` FROM cc_translations t WHERE t.workshop_id = $1`, id)
	if err != nil {
		return w, fmt.Errorf("workshop %d: %w", id, err)
	}
	w.Texts = texts[id]
	return w, nil
}

// Workshops lists a process's workshops by time, with their
// translations.
func (s *Store) Workshops(ctx context.Context, processID int64) ([]Workshop, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+workshopColumns+` FROM cc_workshops w WHERE w.process_id = $1 ORDER BY w.starts_at, w.id`, processID)
	if err != nil {
		return nil, fmt.Errorf("workshops: %w", err)
	}
	defer rows.Close()
	var out []Workshop
	for rows.Next() {
		w, err := scanWorkshop(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("workshops: %w", err)
	}
	texts, err := s.Translations(ctx, `SELECT t.workshop_id, `+process.TranslationColumns+` FROM cc_translations t
		JOIN cc_workshops w ON w.id = t.workshop_id WHERE w.process_id = $1`, processID)
	if err != nil {
		return nil, fmt.Errorf("workshops: %w", err)
	}
	for i := range out {
		out[i].Texts = texts[out[i].ID]
	}
	return out, nil
}

// SignUp signs a participant up for a workshop, if the phase allows it and
// there is room. Signing up twice is one sign-up.
func (s *Store) SignUp(ctx context.Context, p process.Process, w Workshop, participantID int64) error {
	if err := process.Allowed(p.Phases, s.Time(), process.ActionSignUp); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// One at a time, or two taking the last place at once both get it.
		if err := s.lockWorkshop(ctx, tx, w.ID); err != nil {
			return err
		}
		var capacity, n, mine int
		if err := tx.QueryRowContext(ctx, `SELECT capacity, (SELECT COUNT(*) FROM cc_signups WHERE workshop_id = $1),
			(SELECT COUNT(*) FROM cc_signups WHERE workshop_id = $1 AND participant_id = $2) FROM cc_workshops WHERE id = $1`, w.ID, participantID).Scan(&capacity, &n, &mine); err != nil {
			return fmt.Errorf("sign up: %w", err)
		}
		if mine > 0 {
			return nil
		}
		if capacity > 0 && n >= capacity {
			return problem.New(problem.Conflict, "cc.error.full")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO cc_signups (workshop_id, participant_id, signed_up_at) VALUES ($1, $2, $3)`, w.ID, participantID, s.Time())
		return err
	})
}

// SignedUp reports whether a participant signed up for a workshop.
func (s *Store) SignedUp(ctx context.Context, workshopID, participantID int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_signups WHERE workshop_id = $1 AND participant_id = $2`, workshopID, participantID).Scan(&n)
	return n > 0, err
}

// Attendee is a participant on a workshop's attendance list.
type Attendee struct {
	ParticipantID int64
	Name          string
	Withdrawn     bool
	Attended      bool
}

// Attendance lists those signed up for a workshop.
func (s *Store) Attendance(ctx context.Context, workshopID int64) ([]Attendee, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.name, p.sealed, p.withdrawn_at IS NOT NULL, s.attended FROM cc_signups s JOIN cc_participants p ON p.id = s.participant_id
		WHERE s.workshop_id = $1 ORDER BY p.id`, workshopID)
	if err != nil {
		return nil, fmt.Errorf("attendance: %w", err)
	}
	defer rows.Close()
	var out []Attendee
	for rows.Next() {
		var a Attendee
		var sealed bool
		if err := rows.Scan(&a.ParticipantID, &a.Name, &sealed, &a.Withdrawn, &a.Attended); err != nil {
			return nil, err
		}
		if sealed {
			if a.Name, err = s.Unseal(a.Name, process.NameContext); err != nil {
				return nil, fmt.Errorf("attendance: participant %d: %w", a.ParticipantID, err)
			}
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// By name, which only the decrypted list knows.
	slices.SortStableFunc(out, func(a, b Attendee) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// SetAttendance records who came: present are the participant ids ticked.
func (s *Store) SetAttendance(ctx context.Context, workshopID int64, present []int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE cc_signups SET attended = FALSE WHERE workshop_id = $1`, workshopID); err != nil {
			return err
		}
		for _, id := range present {
			if _, err := tx.ExecContext(ctx, `UPDATE cc_signups SET attended = TRUE WHERE workshop_id = $1 AND participant_id = $2`, workshopID, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Prompt is a question open for notes.
type Prompt struct {
	ID    int64
	Text  string
	Open  bool
	Texts map[string]process.Translation // the question (Title) by language
}

// OpenPrompt opens a new prompt in a workshop.
func (s *Store) OpenPrompt(ctx context.Context, workshopID int64, text string) (int64, error) {
	text = process.CleanLine(text)
	if text == "" {
		return 0, problem.Field("prompt", "form.required")
	}
	if utf8.RuneCountInString(text) > process.MaxPrompt {
		return 0, problem.Field("prompt", "cc.error.too_long")
	}
	var id int64
	err := s.DB.WriteRow(ctx, `INSERT INTO cc_prompts (workshop_id, text, is_open, created_at) VALUES ($1, $2, TRUE, $3) RETURNING id`, workshopID, text, s.Time()).Scan(&id)
	return id, err
}

// SetPromptOpen opens or closes a prompt of a workshop.
func (s *Store) SetPromptOpen(ctx context.Context, workshopID, promptID int64, open bool) error {
	res, err := s.DB.Exec(ctx, `UPDATE cc_prompts SET is_open = $1 WHERE id = $2 AND workshop_id = $3`, open, promptID, workshopID)
	if err != nil {
		return fmt.Errorf("open prompt: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.New(problem.NotFound, "error.not_found")
	}
	return nil
}

// Prompts lists a workshop's prompts, oldest first, with their
// translations.
func (s *Store) Prompts(ctx context.Context, workshopID int64) ([]Prompt, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, text, is_open FROM cc_prompts WHERE workshop_id = $1 ORDER BY id`, workshopID)
	if err != nil {
		return nil, fmt.Errorf("prompts: %w", err)
	}
	defer rows.Close()
	var out []Prompt
	for rows.Next() {
		var p Prompt
		if err := rows.Scan(&p.ID, &p.Text, &p.Open); err != nil {
			return nil, fmt.Errorf("prompts: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("prompts: %w", err)
	}
	texts, err := s.Translations(ctx, `SELECT t.prompt_id, `+process.TranslationColumns+` FROM cc_translations t
		JOIN cc_prompts p ON p.id = t.prompt_id WHERE p.workshop_id = $1`, workshopID)
	if err != nil {
		return nil, fmt.Errorf("prompts: %w", err)
	}
	for i := range out {
		out[i].Texts = texts[out[i].ID]
	}
	return out, nil
}

// Note is a short answer to a prompt.
type Note struct {
	ID          int64
	PromptID    int64
	Text        string
	ThemeID     int64
	Mark        string
	FromPaper   bool // typed in by a facilitator
	Withdrawn   bool
	Merged      int // how many duplicates were merged into it
	MergedInto  int64
	CreatedAt   time.Time
	Participant int64
}

// PostNote adds a note to an open prompt of a workshop. nonce makes a
// retried or double-tapped post one note: the second returns the first's
// id. enteredBy is the facilitator typing it from paper (0: the
// participant herself).
func (s *Store) PostNote(ctx context.Context, p process.Process, workshopID, promptID, participantID, enteredBy int64, text, nonce string) (int64, error) {
	text, err := process.CleanNote(text)
	if err != nil {
		return 0, err
	}
	if enteredBy == 0 {
		if err := process.Allowed(p.Phases, s.Time(), process.ActionPostNote); err != nil {
			return 0, err
		}
	}
	nonce = strings.TrimSpace(nonce)
	if len(nonce) < 8 || len(nonce) > 64 {
		nonce = process.RandomText(16)
	}
	var open bool
	err = s.DB.QueryRow(ctx, `SELECT is_open FROM cc_prompts WHERE id = $1 AND workshop_id = $2`, promptID, workshopID).Scan(&open)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, problem.Field("prompt", "cc.error.prompt_closed")
	}
	if err != nil {
		return 0, err
	}
	if !open && enteredBy == 0 {
		return 0, problem.Field("prompt", "cc.error.prompt_closed")
	}
	var pid, by any
	if participantID > 0 {
		pid = participantID
	}
	if enteredBy > 0 {
		by = enteredBy
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockNotes(ctx, tx, workshopID); err != nil {
			return err
		}
		if participantID > 0 && enteredBy == 0 {
			if err := s.mayPost(ctx, tx, workshopID, participantID); err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx, `INSERT INTO cc_notes (workshop_id, prompt_id, participant_id, entered_by, text, nonce, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, workshopID, promptID, pid, by, text, nonce, s.Time()).Scan(&id)
	})
	if err != nil && db.IsUniqueViolation(err) {
		// The same nonce from the same author in the same workshop is a
		// retried post. Anyone else's (replayed, forged) is no duplicate of
		// it: her note is saved under a new nonce.
		var wid, author, typist int64
		if err := s.DB.QueryRow(ctx, `SELECT id, workshop_id, COALESCE(participant_id, 0), COALESCE(entered_by, 0) FROM cc_notes WHERE nonce = $1`, nonce).
			Scan(&id, &wid, &author, &typist); err != nil {
			return 0, fmt.Errorf("note: %w", err)
		}
		if wid == workshopID && author == participantID && typist == enteredBy {
			return id, nil
		}
		return s.PostNote(ctx, p, workshopID, promptID, participantID, enteredBy, text, "")
	}
	if _, ok := problem.As(err); ok {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("note: %w", err)
	}
	return id, nil
}

// Errors of a participant's note that has to wait.
var (
	errPaused         error = problem.New(problem.Conflict, "cc.error.paused")
	errTooManyNotes   error = problem.New(problem.TooMany, "cc.error.too_many_notes")
	errTooManyOnBoard error = problem.New(problem.TooMany, "cc.error.board_busy")
)

// mayPost checks, in the note's transaction and after the workshop's row
// is held, that the board is not paused and that the participant and the
// workshop are within their limits (counting this note).
func (s *Store) mayPost(ctx context.Context, tx *sql.Tx, workshopID, participantID int64) error {
	var paused bool
	if err := tx.QueryRowContext(ctx, `SELECT paused FROM cc_workshops WHERE id = $1`, workshopID).Scan(&paused); err != nil {
		return fmt.Errorf("is the board paused: %w", err)
	}
	if paused {
		return errPaused
	}
	limits := s.Limits.OrDefault()
	if ok, err := s.Count(ctx, tx, fmt.Sprintf("note-participant:%d", participantID), limits.NotesPerParticipant); err != nil || !ok {
		return cmp.Or(err, errTooManyNotes)
	}
	if ok, err := s.Count(ctx, tx, fmt.Sprintf("note-workshop:%d", workshopID), limits.NotesPerWorkshop); err != nil || !ok {
		return cmp.Or(err, errTooManyOnBoard)
	}
	return nil
}

// SetPaused pauses a workshop's board (no notes from participants; a
// facilitator's from paper still go in) or opens it again.
func (s *Store) SetPaused(ctx context.Context, workshopID int64, paused bool) error {
	if _, err := s.DB.Exec(ctx, `UPDATE cc_workshops SET paused = $1 WHERE id = $2`, paused, workshopID); err != nil {
		return fmt.Errorf("pause board: %w", err)
	}
	return nil
}

// lockNotes makes a workshop's notes commit in the order of their ids,
// which open boards rely on when they ask for the notes after the last one
// they have. PostgreSQL hands out ids before commit, so without the lock a
// later id can commit first and a board that has read it skips the
// earlier one for good. On SQLite writes are serial already.
func (s *Store) lockNotes(ctx context.Context, tx *sql.Tx, workshopID int64) error {
	return s.lockWorkshop(ctx, tx, workshopID)
}

// lockWorkshop holds a workshop's row until tx ends, so that what is
// counted and written for it (sign-ups against its places, notes in id
// order) happens one transaction at a time. On SQLite writes are serial
// already.
func (s *Store) lockWorkshop(ctx context.Context, tx *sql.Tx, workshopID int64) error {
	if s.DB.Dialect != db.Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT id FROM cc_workshops WHERE id = $1 FOR NO KEY UPDATE`, workshopID)
	return err
}

// Notes lists a workshop's visible notes (not merged away) with id >
// after, oldest first.
func (s *Store) Notes(ctx context.Context, workshopID, after int64) ([]Note, error) {
	rows, err := s.DB.Query(ctx, `SELECT n.id, n.prompt_id, n.text, COALESCE(n.theme_id, 0), n.mark, n.entered_by IS NOT NULL,
		p.withdrawn_at IS NOT NULL, (SELECT COUNT(*) FROM cc_notes d WHERE d.merged_into = n.id), n.created_at, COALESCE(n.participant_id, 0)
		FROM cc_notes n LEFT JOIN cc_participants p ON p.id = n.participant_id
		WHERE n.workshop_id = $1 AND n.id > $2 AND n.merged_into IS NULL ORDER BY n.id`, workshopID, after)
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.PromptID, &n.Text, &n.ThemeID, &n.Mark, &n.FromPaper, &n.Withdrawn, &n.Merged, &n.CreatedAt, &n.Participant); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// MyNotes are the notes a participant wrote in a workshop.
func (s *Store) MyNotes(ctx context.Context, workshopID, participantID int64) ([]Note, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, text, created_at FROM cc_notes WHERE workshop_id = $1 AND participant_id = $2 ORDER BY id`, workshopID, participantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.Text, &n.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// LastNoteID is the newest note of a workshop (0: none), for live updates.
func (s *Store) LastNoteID(ctx context.Context, workshopID int64) (int64, error) {
	var id sql.NullInt64
	err := s.DB.QueryRow(ctx, `SELECT MAX(id) FROM cc_notes WHERE workshop_id = $1`, workshopID).Scan(&id)
	return id.Int64, err
}

// Theme is a named group of notes on the board.
type Theme struct {
	ID   int64
	Name string
}

// AddTheme names a new theme of a workshop.
func (s *Store) AddTheme(ctx context.Context, workshopID int64, name string) (int64, error) {
	name = process.CleanLine(name)
	if name == "" {
		return 0, problem.Field("theme", "form.required")
	}
	if utf8.RuneCountInString(name) > process.MaxTheme {
		return 0, problem.Field("theme", "cc.error.too_long")
	}
	var id int64
	err := s.DB.WriteRow(ctx, `INSERT INTO cc_themes (workshop_id, name, created_at) VALUES ($1, $2, $3) RETURNING id`, workshopID, name, s.Time()).Scan(&id)
	return id, err
}

// Themes lists a workshop's themes.
func (s *Store) Themes(ctx context.Context, workshopID int64) ([]Theme, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name FROM cc_themes WHERE workshop_id = $1 ORDER BY id`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Theme
	for rows.Next() {
		var t Theme
		if err := rows.Scan(&t.ID, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// MoveNote puts a note of a workshop in a theme of the same workshop
// (themeID 0: no theme).
func (s *Store) MoveNote(ctx context.Context, workshopID, noteID, themeID int64) error {
	var theme any
	if themeID > 0 {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cc_themes WHERE id = $1 AND workshop_id = $2`, themeID, workshopID).Scan(&n); err != nil {
			return fmt.Errorf("move note %d: %w", noteID, err)
		} else if n == 0 {
			return problem.Field("theme", "form.invalid_choice")
		}
		theme = themeID
	}
	res, err := s.DB.Exec(ctx, `UPDATE cc_notes SET theme_id = $1 WHERE id = $2 AND workshop_id = $3`, theme, noteID, workshopID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.New(problem.NotFound, "error.not_found")
	}
	return nil
}

// MarkNote marks a note as input for journeys or proposals ("" clears).
func (s *Store) MarkNote(ctx context.Context, workshopID, noteID int64, mark string) error {
	if mark != "" && mark != "journey" && mark != "proposal" {
		return problem.Field("mark", "form.invalid_choice")
	}
	res, err := s.DB.Exec(ctx, `UPDATE cc_notes SET mark = $1 WHERE id = $2 AND workshop_id = $3`, mark, noteID, workshopID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.New(problem.NotFound, "error.not_found")
	}
	return nil
}

// MergeNote hides a duplicate behind the note it repeats; the kept note
// counts it. Notes merged into the duplicate move along.
func (s *Store) MergeNote(ctx context.Context, workshopID, duplicateID, keepID int64) error {
	if duplicateID == keepID {
		return problem.Field("into", "cc.error.merge_self")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cc_notes WHERE id IN ($1, $2) AND workshop_id = $3 AND merged_into IS NULL`, duplicateID, keepID, workshopID).Scan(&n); err != nil {
			return err
		}
		if n != 2 {
			return problem.Field("into", "form.invalid_choice")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cc_notes SET merged_into = $1 WHERE merged_into = $2`, keepID, duplicateID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE cc_notes SET merged_into = $1 WHERE id = $2`, keepID, duplicateID)
		return err
	})
}

// ThemeCount is how many notes a theme holds, for the overview.
type ThemeCount struct {
	Workshop string
	Theme    string
	Notes    int
}

// NotesByTheme counts a process's visible notes by workshop and theme.
func (s *Store) NotesByTheme(ctx context.Context, processID int64) ([]ThemeCount, error) {
	rows, err := s.DB.Query(ctx, `SELECT w.title, COALESCE(t.name, ''), COUNT(*) FROM cc_notes n JOIN cc_workshops w ON w.id = n.workshop_id
		LEFT JOIN cc_themes t ON t.id = n.theme_id WHERE w.process_id = $1 AND n.merged_into IS NULL
		GROUP BY w.id, w.title, w.starts_at, t.id, t.name ORDER BY w.starts_at, w.id, COUNT(*) DESC`, processID)
	if err != nil {
		return nil, fmt.Errorf("notes by theme: %w", err)
	}
	defer rows.Close()
	var out []ThemeCount
	for rows.Next() {
		var c ThemeCount
		if err := rows.Scan(&c.Workshop, &c.Theme, &c.Notes); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// WorkshopText is a workshop's name and agenda as a reader sees them.
type WorkshopText struct{ Title, Agenda process.Shown }

// In is the workshop's name and agenda for a reader of lang.
func (w Workshop) In(lang string) WorkshopText {
	t := w.Texts[lang]
	return WorkshopText{Title: process.Show(lang, w.Title, t.Title, t.From.Title, t.Checked), Agenda: process.Show(lang, w.Agenda, t.Body, t.From.Body, t.Checked)}
}

// Source is the workshop's Swedish name and agenda.
func (w Workshop) Source() process.Source { return process.Source{Title: w.Title, Body: w.Agenda} }

// In is the prompt for a reader of lang.
func (p Prompt) In(lang string) process.Shown {
	t := p.Texts[lang]
	return process.Show(lang, p.Text, t.Title, t.From.Title, t.Checked)
}

// Source is the prompt's Swedish.
func (p Prompt) Source() process.Source { return process.Source{Title: p.Text} }
