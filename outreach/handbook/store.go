package handbook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/input"
	"megafon/platform/problem"
)

// Store keeps the handbook.
type Store struct {
	DB  *db.DB
	Now func() time.Time
	ix  textIndex

	// onVerify runs in the transaction that verifies a version, after it
	// is verified: what depends on a verified answer (the questions it
	// answers, their callbacks, the notices) is saved with it or not at all.
	onVerify []func(ctx context.Context, tx *sql.Tx, v VerifiedVersion) error
}

// VerifiedVersion is a version just verified, for OnVerify.
type VerifiedVersion struct {
	EntryID, VersionID, OperationID int64
	By                              *auth.User
}

// OnVerify adds f to what runs when a version is verified, inside that
// transaction; an error from f undoes the verification.
func (s *Store) OnVerify(f func(ctx context.Context, tx *sql.Tx, v VerifiedVersion) error) {
	s.onVerify = append(s.onVerify, f)
}

// NewStore returns a store on d; now is its clock (nil: the real one).
func NewStore(d *db.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{DB: d, Now: now, ix: indexFor(d.Dialect)}
}

func (s *Store) now() time.Time { return db.Now(s.Now()) }

// Problems of the handbook that users see.
var (
	ErrNotFound     = problem.New(problem.NotFound, "error.not_found")
	errFlow         = problem.New(problem.Conflict, "handbook.error.flow")
	errNoEntries    = problem.New(problem.NotFound, "handbook.error.no_entries")
	errSearchTooBig = problem.Field("q", "handbook.error.query_too_long")
)

// CreateEntry stores a new entry of the operation as a first version in
// draft.
func (s *Store) CreateEntry(ctx context.Context, by *auth.User, operationID int64, d EntryDraft) (int64, error) {
	if err := d.Clean(); err != nil {
		return 0, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.CreateEntryTx(ctx, tx, by, operationID, d)
		return err
	})
	return id, err
}

// CreateEntryTx is CreateEntry inside tx, for a module that saves an
// entry together with its own rows (an answer to residents' questions).
// d must have been cleaned.
func (s *Store) CreateEntryTx(ctx context.Context, tx *sql.Tx, by *auth.User, operationID int64, d EntryDraft) (int64, error) {
	var id int64
	now := s.now()
	if err := tx.QueryRowContext(ctx, `INSERT INTO handbook_entries (operation_id, kind, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		operationID, string(d.Kind), by.ID, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("create entry: %w", err)
	}
	SourceVersions(nil, d.Translations, nil, 1, 0)
	_, err := s.insertVersion(ctx, tx, by, id, 1, Draft, d, now)
	return id, err
}

// insertVersion stores a version; d's translations have their
// SourceVersion set.
func (s *Store) insertVersion(ctx context.Context, tx *sql.Tx, by *auth.User, entryID int64, number int, status Status, d EntryDraft, now time.Time) (int64, error) {
	var vid int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO handbook_versions (entry_id, version, status, topics, source, valid_until, created_by, created_by_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		entryID, number, string(status), strings.Join(d.Topics, ","), d.Source, d.ValidUntil, by.ID, by.Name, now).Scan(&vid); err != nil {
		return 0, fmt.Errorf("insert version: %w", err)
	}
	return vid, s.putTranslations(ctx, tx, vid, d.Translations)
}

// putTranslations replaces the translations of version vid with ts, whose
// SourceVersion is set. An out-of-date translation is not indexed, so that
// nobody finds an entry by words it may no longer say; a version's
// translations change only here, so the index stays true.
func (s *Store) putTranslations(ctx context.Context, tx *sql.Tx, vid int64, ts []Translation) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM handbook_translations WHERE version_id = $1`, vid); err != nil {
		return fmt.Errorf("translations: %w", err)
	}
	if err := s.ix.drop(ctx, tx, vid); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	for _, t := range ts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO handbook_translations (version_id, lang, title, body, translated_by, checked, source_version) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			vid, t.Lang, t.Title, t.Body, t.TranslatedBy, t.Checked, t.SourceVersion); err != nil {
			return fmt.Errorf("translation %s: %w", t.Lang, err)
		}
		if (Version{Translations: ts}).OutOfDate(t.Lang) {
			continue
		}
		if err := s.ix.put(ctx, tx, vid, t.Lang, t.Title+"\n"+t.Body); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// EntryInfo is an entry with the operation it belongs to, for checking who
// may see it.
type EntryInfo struct {
	ID          int64
	OperationID int64
	Kind        Kind
}

// Info returns the entry's operation and kind.
func (s *Store) Info(ctx context.Context, entryID int64) (EntryInfo, error) {
	e := EntryInfo{ID: entryID}
	var kind string
	err := s.DB.QueryRow(ctx, `SELECT operation_id, kind FROM handbook_entries WHERE id = $1`, entryID).Scan(&e.OperationID, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	e.Kind = Kind(kind)
	return e, err
}

// Edit changes an entry. A version still open (draft or in review) is
// changed in place; when the newest version is verified (or superseded or
// archived), a new version is started in review, and the verified one stays
// what callers see until the new one is verified. It returns the version
// that now holds the edit.
func (s *Store) Edit(ctx context.Context, by *auth.User, entryID int64, d EntryDraft) (int64, error) {
	if err := d.Clean(); err != nil {
		return 0, err
	}
	var vid int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var number int
		var status string
		err := tx.QueryRowContext(ctx, `SELECT id, version, status FROM handbook_versions WHERE entry_id = $1 ORDER BY version DESC LIMIT 1`, entryID).Scan(&vid, &number, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("edit entry %d: %w", entryID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE handbook_entries SET kind = $1 WHERE id = $2`, string(d.Kind), entryID); err != nil {
			return fmt.Errorf("edit entry %d: %w", entryID, err)
		}
		prev, maxRev, err := s.sources(ctx, tx, entryID, vid)
		if err != nil {
			return fmt.Errorf("edit entry %d: %w", entryID, err)
		}
		if Status(status).Open() {
			SourceVersions(prev, d.Translations, d.StillMatches, number, maxRev)
			if _, err := tx.ExecContext(ctx, `UPDATE handbook_versions SET topics = $1, source = $2, valid_until = $3 WHERE id = $4`,
				strings.Join(d.Topics, ","), d.Source, d.ValidUntil, vid); err != nil {
				return fmt.Errorf("edit version %d: %w", vid, err)
			}
			return s.putTranslations(ctx, tx, vid, d.Translations)
		}
		SourceVersions(prev, d.Translations, d.StillMatches, number+1, maxRev)
		vid, err = s.insertVersion(ctx, tx, by, entryID, number+1, InReview, d, s.now())
		return err
	})
	return vid, err
}

// sources returns the translations of version vid as stored, with the
// Swedish revisions they were made from, and the highest revision any
// version of the entry has had.
func (s *Store) sources(ctx context.Context, tx *sql.Tx, entryID, vid int64) ([]Translation, int, error) {
	var maxRev int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(t.source_version), 0) FROM handbook_translations t JOIN handbook_versions v ON v.id = t.version_id
		WHERE v.entry_id = $1`, entryID).Scan(&maxRev); err != nil {
		return nil, 0, fmt.Errorf("translation sources: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT lang, title, body, source_version FROM handbook_translations WHERE version_id = $1`, vid)
	if err != nil {
		return nil, 0, fmt.Errorf("translation sources: %w", err)
	}
	defer rows.Close()
	var out []Translation
	for rows.Next() {
		var t Translation
		if err := rows.Scan(&t.Lang, &t.Title, &t.Body, &t.SourceVersion); err != nil {
			return nil, 0, fmt.Errorf("translation sources: %w", err)
		}
		out = append(out, t)
	}
	return out, maxRev, rows.Err()
}

// Move applies a step of the status flow to the entry's newest version.
// Verifying supersedes the version callers saw until then. The caller has
// checked who may do it (CanVerify for Verify and SendBack).
func (s *Store) Move(ctx context.Context, by *auth.User, entryID int64, a Action) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var vid int64
		var status string
		err := tx.QueryRowContext(ctx, `SELECT id, status FROM handbook_versions WHERE entry_id = $1 ORDER BY version DESC LIMIT 1`, entryID).Scan(&vid, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("move entry %d: %w", entryID, err)
		}
		from := Status(status)
		to, ok := Next(from, a)
		if !ok {
			// Archiving an entry whose newest version is superseded cannot
			// happen; archiving one whose open version follows a verified
			// one archives both, below.
			return errFlow
		}
		if a == Verify || a == Archive {
			next := Superseded
			if a == Archive {
				next = Archived
			}
			if _, err := tx.ExecContext(ctx, `UPDATE handbook_versions SET status = $1 WHERE entry_id = $2 AND status = 'verified' AND id <> $3`, string(next), entryID, vid); err != nil {
				return fmt.Errorf("supersede entry %d: %w", entryID, err)
			}
		}
		if a == Verify {
			alone, err := s.verifiesAlone(ctx, tx, by, vid)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE handbook_versions SET status = $1, verified_by = $2, verified_by_name = $3, verified_at = $4, verified_alone = $5 WHERE id = $6`,
				string(to), by.ID, by.Name, s.now(), alone, vid)
			if err != nil {
				return fmt.Errorf("move entry %d: %w", entryID, err)
			}
			if len(s.onVerify) > 0 {
				v := VerifiedVersion{EntryID: entryID, VersionID: vid, By: by}
				if err := tx.QueryRowContext(ctx, `SELECT operation_id FROM handbook_entries WHERE id = $1`, entryID).Scan(&v.OperationID); err != nil {
					return fmt.Errorf("move entry %d: %w", entryID, err)
				}
				for _, f := range s.onVerify {
					if err := f(ctx, tx, v); err != nil {
						return err
					}
				}
			}
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE handbook_versions SET status = $1 WHERE id = $2`, string(to), vid)
		}
		if err != nil {
			return fmt.Errorf("move entry %d: %w", entryID, err)
		}
		return nil
	})
}

const versionColumns = `v.id, v.entry_id, v.version, v.status, e.kind, v.topics, v.source, v.valid_until, v.created_by_name, v.created_at, v.verified_by_name, v.verified_at, v.verified_alone`

// verifiesAlone applies SecondVerifier to by verifying version vid: the
// version's author and how many other active coordinators its operation's
// lead administration has.
func (s *Store) verifiesAlone(ctx context.Context, tx *sql.Tx, by *auth.User, vid int64) (bool, error) {
	var author sql.NullInt64
	var others int
	err := tx.QueryRowContext(ctx, `SELECT v.created_by, (SELECT COUNT(DISTINCT p.id) FROM memberships m JOIN people p ON p.id = m.person_id
			WHERE m.org_id = o.lead_org_id AND m.role = 'coordinator' AND p.disabled_at IS NULL AND p.id <> $2)
		FROM handbook_versions v JOIN handbook_entries e ON e.id = v.entry_id JOIN operations o ON o.id = e.operation_id
		WHERE v.id = $1`, vid, by.ID).Scan(&author, &others)
	if err != nil {
		return false, fmt.Errorf("verify version %d: %w", vid, err)
	}
	return SecondVerifier(by.ID, author.Int64, others)
}

// loadVersions runs a query selecting versionColumns and fills in their
// translations.
func (s *Store) loadVersions(ctx context.Context, where, order string, args ...any) ([]Version, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+versionColumns+` FROM handbook_versions v JOIN handbook_entries e ON e.id = v.entry_id WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	index := map[int64]int{}
	for rows.Next() {
		var v Version
		var status, kind, topics string
		var verifiedAt sql.NullTime
		if err := rows.Scan(&v.ID, &v.EntryID, &v.Number, &status, &kind, &topics, &v.Source, &v.ValidUntil, &v.CreatedByName, &v.CreatedAt, &v.VerifiedByName, &verifiedAt, &v.VerifiedAlone); err != nil {
			return nil, fmt.Errorf("versions: %w", err)
		}
		v.Status, v.Kind, v.Topics, v.VerifiedAt = Status(status), Kind(kind), splitTopics(topics), verifiedAt.Time
		index[v.ID] = len(out)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	// The translations of these versions, by the same condition.
	trows, err := s.DB.Query(ctx, `SELECT t.version_id, t.lang, t.title, t.body, t.translated_by, t.checked, t.source_version
		FROM handbook_translations t JOIN handbook_versions v ON v.id = t.version_id JOIN handbook_entries e ON e.id = v.entry_id
		WHERE `+where+` ORDER BY t.version_id, CASE WHEN t.lang = 'sv' THEN 0 ELSE 1 END, t.lang`, args...)
	if err != nil {
		return nil, fmt.Errorf("translations: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var vid int64
		var t Translation
		if err := trows.Scan(&vid, &t.Lang, &t.Title, &t.Body, &t.TranslatedBy, &t.Checked, &t.SourceVersion); err != nil {
			return nil, fmt.Errorf("translations: %w", err)
		}
		// Text stored before the input filter, or written by another
		// path, may carry controls that reorder what a caller reads.
		t.Title, t.Body = input.StripBidiControls(t.Title), input.StripBidiControls(t.Body)
		if i, ok := index[vid]; ok {
			out[i].Translations = append(out[i].Translations, t)
		}
	}
	return out, trows.Err()
}

// Versions returns every version of an entry, newest first.
func (s *Store) Versions(ctx context.Context, entryID int64) ([]Version, error) {
	vs, err := s.loadVersions(ctx, `v.entry_id = $1`, `v.version DESC`, entryID)
	if err == nil && len(vs) == 0 {
		return nil, ErrNotFound
	}
	return vs, err
}

// EditorEntry is an entry as its editors see it in the list: the version
// callers see (if any) and the newest version.
type EditorEntry struct {
	EntryID  int64
	Visible  *Version // the verified version, nil when there is none
	Newest   Version
	Expired  bool // the verified version is past its date: callers don't see it
	Pending  bool // a newer version waits (draft or in review)
	Archived bool
}

// Title is the entry's Swedish title of its newest version.
func (e EditorEntry) Title() string { t, _ := e.Newest.In(Swedish); return t.Title }

// ForEditors lists every entry of the operation with its state, for
// coordinators.
func (s *Store) ForEditors(ctx context.Context, operationID int64, now time.Time) ([]EditorEntry, error) {
	vs, err := s.loadVersions(ctx, `e.operation_id = $1 AND (v.status = 'verified'
		OR v.version = (SELECT MAX(v2.version) FROM handbook_versions v2 WHERE v2.entry_id = v.entry_id))`, `v.entry_id, v.version`, operationID)
	if err != nil {
		return nil, err
	}
	byEntry := map[int64]*EditorEntry{}
	var order []int64
	for _, v := range vs {
		e := byEntry[v.EntryID]
		if e == nil {
			e = &EditorEntry{EntryID: v.EntryID}
			byEntry[v.EntryID] = e
			order = append(order, v.EntryID)
		}
		if v.Status == Verified {
			vv := v
			e.Visible = &vv
			e.Expired = v.Expired(now)
		}
		if v.Number >= e.Newest.Number {
			e.Newest = v
		}
	}
	out := make([]EditorEntry, 0, len(order))
	for _, id := range order {
		e := byEntry[id]
		e.Pending = e.Newest.Status.Open()
		e.Archived = e.Newest.Status == Archived
		out = append(out, *e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Title() < out[j].Title() })
	return out, nil
}

// visibleWhere selects the versions callers see: verified and not expired.
const visibleWhere = `e.operation_id = $1 AND v.status = 'verified' AND v.valid_until >= $2`

// ForCaller returns the verified, valid entries of the operation, each in
// the first of langs that it has (else Swedish, with Fallback set), newest
// verified first. lastVisit, when not zero, marks entries verified after it
// as New.
func (s *Store) ForCaller(ctx context.Context, operationID int64, langs []string, now, lastVisit time.Time) ([]CallerEntry, error) {
	vs, err := s.loadVersions(ctx, visibleWhere, `v.verified_at DESC, v.id DESC`, operationID, Today(now))
	if err != nil {
		return nil, err
	}
	return callerEntries(vs, langs, lastVisit), nil
}

func callerEntries(vs []Version, langs []string, lastVisit time.Time) []CallerEntry {
	out := make([]CallerEntry, 0, len(vs))
	for _, v := range vs {
		t, fallback, outdated := v.CallerText(langs)
		wanted := Swedish
		if len(langs) > 0 {
			wanted = langs[0]
		}
		var outdatedLang string
		if outdated {
			picked, _ := v.Pick(langs)
			outdatedLang = picked.Lang
		}
		out = append(out, CallerEntry{Wanted: wanted, Outdated: outdatedLang,
			EntryID: v.EntryID, VersionID: v.ID, Kind: v.Kind, Topics: v.Topics, Source: v.Source,
			ValidUntil: v.ValidUntil, VerifiedAt: v.VerifiedAt, Translation: t, Fallback: fallback,
			New: !lastVisit.IsZero() && v.VerifiedAt.After(lastVisit),
		})
	}
	return out
}

// Entry returns one entry as a caller sees it, or a not-found problem when
// it has no verified, valid version.
func (s *Store) Entry(ctx context.Context, entryID int64, langs []string, now time.Time) (CallerEntry, int64, error) {
	var opID int64
	if err := s.DB.QueryRow(ctx, `SELECT operation_id FROM handbook_entries WHERE id = $1`, entryID).Scan(&opID); err != nil {
		return CallerEntry{}, 0, ErrNotFound
	}
	vs, err := s.loadVersions(ctx, visibleWhere+` AND e.id = $3`, `v.id`, opID, Today(now), entryID)
	if err != nil {
		return CallerEntry{}, 0, err
	}
	if len(vs) == 0 {
		return CallerEntry{}, opID, ErrNotFound
	}
	return callerEntries(vs, langs, time.Time{})[0], opID, nil
}

// MaxResults is the most entries a search returns: a caller on a phone
// reads the first few, and narrows the search rather than scroll.
const MaxResults = 50

// maxQueryRunes bounds a search query.
const maxQueryRunes = 200

// Search returns the verified, valid entries of the operation whose text,
// in any language, has every word of query (as a word or the start of
// one). Each is shown in the first of langs it has.
func (s *Store) Search(ctx context.Context, operationID int64, query string, langs []string, now time.Time) ([]CallerEntry, error) {
	if len([]rune(query)) > maxQueryRunes {
		return nil, errSearchTooBig
	}
	terms := Terms(query)
	if len(terms) == 0 {
		return s.ForCaller(ctx, operationID, langs, now, time.Time{})
	}
	sub, arg := s.ix.matching(terms, 3)
	rows, err := s.DB.Query(ctx, `SELECT v.id FROM handbook_versions v JOIN handbook_entries e ON e.id = v.entry_id
		WHERE `+visibleWhere+` AND v.id IN (`+sub+`) ORDER BY v.verified_at DESC, v.id DESC LIMIT `+strconv.Itoa(MaxResults), operationID, Today(now), arg)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search: %w", err)
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// The ids are numbers read from the database, safe to inline.
	vs, err := s.loadVersions(ctx, `v.id IN (`+strings.Join(ids, ",")+`)`, `v.verified_at DESC, v.id DESC`)
	if err != nil {
		return nil, err
	}
	return callerEntries(vs, langs, time.Time{}), nil
}

// LastVisit returns when the person last opened the operation's handbook,
// and records now as her newest visit.
func (s *Store) LastVisit(ctx context.Context, personID, operationID int64) (time.Time, error) {
	var last time.Time
	err := s.DB.QueryRow(ctx, `SELECT visited_at FROM handbook_visits WHERE person_id = $1 AND operation_id = $2`, personID, operationID).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return last, fmt.Errorf("last visit: %w", err)
	}
	now := s.now()
	_, err = s.DB.Exec(ctx, `INSERT INTO handbook_visits (person_id, operation_id, visited_at) VALUES ($1, $2, $3)
		ON CONFLICT (person_id, operation_id) DO UPDATE SET visited_at = excluded.visited_at`, personID, operationID, now)
	if err != nil {
		return last, fmt.Errorf("record visit: %w", err)
	}
	return last, nil
}

// Printable returns the verified, valid entries of the operation that have
// a translation in lang, in the order of kinds and then titles, for the
// printed handbook; where that translation is out of date, the entry is
// in Swedish with Outdated set. It is a not-found problem when there are none.
func (s *Store) Printable(ctx context.Context, operationID int64, lang string, now time.Time) ([]CallerEntry, error) {
	all, err := s.ForCaller(ctx, operationID, []string{lang}, now, time.Time{})
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(e CallerEntry) bool { return e.Fallback })
	if len(all) == 0 {
		return nil, errNoEntries
	}
	sort.SliceStable(all, func(i, j int) bool {
		ki, kj := slices.Index(Kinds, all[i].Kind), slices.Index(Kinds, all[j].Kind)
		if ki != kj {
			return ki < kj
		}
		return all[i].Title < all[j].Title
	})
	return all, nil
}

// Languages lists the languages that verified, valid entries of the
// operation have, Swedish first.
func (s *Store) Languages(ctx context.Context, operationID int64, now time.Time) ([]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT DISTINCT t.lang FROM handbook_translations t
		JOIN handbook_versions v ON v.id = t.version_id JOIN handbook_entries e ON e.id = v.entry_id
		WHERE `+visibleWhere+` ORDER BY t.lang`, operationID, Today(now))
	if err != nil {
		return nil, fmt.Errorf("handbook languages: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	slices.SortStableFunc(out, func(a, b string) int {
		if a == Swedish {
			return -1
		}
		if b == Swedish {
			return 1
		}
		return 0
	})
	return out, rows.Err()
}
