package contact

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"megafon/outreach/contact/importfile"
	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
)

// Import is an uploaded contact list and how far its import came.
type Import struct {
	ID          int64
	OrgID       int64
	CreatedBy   int64
	FileName    string
	Header      []string // kept encrypted: without a header row, it may be a resident
	Mapping     importfile.Mapping
	Basis       string
	BasisNote   string
	RetainUntil time.Time
	State       string // as ImportState sees it
	Total       int    // data rows in the file
	Blank       int    // blank rows in the file after the header, skipped
	LastRow     int    // the last row whose batch was committed
	Imported    int
	Rejected    int
	Failure     string // a translation key, when the file could not be read to the end
	CreatedAt   time.Time
	UpdatedAt   time.Time // while running: the heartbeat of the process that runs it

	owner string // the process that runs or ran it (thisProcess of that process)
	claim int64  // the claim number when it was read, for taking it over
}

// Done is how many rows were handled, imported or rejected.
func (i Import) Done() int { return i.Imported + i.Rejected }

// Reject is a row an import did not take.
type Reject struct {
	Row    int
	Column int // -1 when no one column is at fault
	Code   string
	Detail string
}

// rejectContext binds an encrypted detail of a rejected row to its use;
// maxDetailLen is as much of a detail as is kept.
const (
	rejectContext = "contact.import_reject"
	maxDetailLen  = 100
)

// encryptedDetail says whether a rejected row's detail is kept encrypted:
// an unknown language's is the cell itself, which may be anything.
func encryptedDetail(code string) bool { return code == string(importfile.CodeUnknownLanguage) }

// Codes of rejected rows beyond importfile's.
const (
	RejectDuplicate = "duplicate"   // the group has the number already
	RejectRepeated  = "repeated"    // an earlier row of the file has the number; Detail is that row
	RejectDNC       = "do_not_call" // the number is on the city's or the group's do-not-call list
)

// Contexts of what an upload keeps encrypted besides the file.
const (
	headerContext  = "contact.import_header"
	previewContext = "contact.import_preview"
	headerPurpose  = "contact.import_header"
)

// PreviewRows is how many rows of a file the upload keeps for the
// preview.
const PreviewRows = 10

// Importer uploads, previews and imports contact lists.
type Importer struct {
	Store *Store
	Log   *slog.Logger
	// BatchSize is the number of rows committed together (default
	// DefaultBatchSize).
	BatchSize int
	// AfterBatch, when set, is called after each committed batch; an
	// error stops the run as a killed process would (tests).
	AfterBatch func(importID int64, lastRow int) error
	// Concurrent is how many files this process reads at once, uploads
	// and imports together (default DefaultConcurrent); a group reads one
	// at a time.
	Concurrent int

	wg   sync.WaitGroup
	mu   sync.Mutex
	busy int
	orgs map[int64]bool
}

// DefaultConcurrent bounds the files read at once: reading a file takes
// memory and a core, and the server has few of both.
const DefaultConcurrent = 2

// acquire takes one of the places to read a file, for group orgID: a
// group reads one file at a time (409), and the process Concurrent files
// (429). The person is told to try again in a minute.
func (im *Importer) acquire(orgID int64) (release func(), err error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	limit := im.Concurrent
	if limit <= 0 {
		limit = DefaultConcurrent
	}
	switch {
	case im.orgs[orgID]:
		return nil, problem.New(problem.Conflict, "contact.error.import_busy_group")
	case im.busy >= limit:
		return nil, problem.New(problem.TooMany, "contact.error.import_busy")
	}
	if im.orgs == nil {
		im.orgs = map[int64]bool{}
	}
	im.orgs[orgID] = true
	im.busy++
	return sync.OnceFunc(func() {
		im.mu.Lock()
		defer im.mu.Unlock()
		delete(im.orgs, orgID)
		im.busy--
	}), nil
}

// DefaultBatchSize is how many rows an import commits at once. The
// keyed hashes are random, so every batch touches pages all over the two
// hash indexes and SQLite writes each touched page to its log once per
// commit: 5,000 rows a batch imported 100,000 rows in about half the time
// of 1,000, and a batch still commits in well under StaleAfter.
const DefaultBatchSize = 5000

// MaxFileSize is the largest file a group may upload.
const MaxFileSize = 20 << 20

var errNotDraft = problem.New(problem.Conflict, "contact.error.import_state")

// Upload reads a file once, to the end, and keeps it as a draft import of
// group orgID with its header and first rows (all three encrypted), its
// row counts and a proposed mapping: the group's last one when the header
// is the same, else a guess. A file without data rows is refused.
func (im *Importer) Upload(ctx context.Context, orgID int64, by *auth.User, name string, data []byte, basis, note string, retainUntil time.Time) (int64, error) {
	s := im.Store
	var l problem.List
	if !ValidBasis(basis) {
		l.Add("basis", "contact.error.basis")
	}
	if len(note) > maxBasisNoteLen {
		l.Add("basis_note", "contact.error.too_long")
	}
	if retainUntil.IsZero() || !retainUntil.After(s.now()) {
		l.Add("retain_until", "contact.error.retain_until")
	}
	if len(data) == 0 {
		l.Add("file", "contact.error.file.empty_file")
	}
	if err := l.Err(); err != nil {
		return 0, err
	}
	release, err := im.acquire(orgID)
	if err != nil {
		return 0, err
	}
	defer release()
	f, err := readFile(data, name)
	if err != nil {
		return 0, err
	}
	if f.total == 0 {
		return 0, problem.Field("file", "contact.error.file.no_rows")
	}
	mapping, err := im.lastMapping(ctx, orgID, f.header, f.guess)
	if err != nil {
		return 0, err
	}
	enc, err := s.Keys.Encrypt(data, fileContext)
	if err != nil {
		return 0, err
	}
	hj, _ := json.Marshal(f.header)
	headerEnc, err := s.Keys.Encrypt(hj, headerContext)
	if err != nil {
		return 0, err
	}
	pj, _ := json.Marshal(f.preview)
	previewEnc, err := s.Keys.Encrypt(pj, previewContext)
	if err != nil {
		return 0, err
	}
	mj, _ := json.Marshal(mapping)
	now := s.now()
	var id int64
	err = s.DB.WriteRow(ctx, `INSERT INTO contact_imports (org_id, created_by, file_name, file_enc, header_enc, preview_enc, mapping,
		lawful_basis, basis_note, retain_until, state, total, blank, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, $13, $13) RETURNING id`,
		orgID, by.ID, truncateName(name), enc, headerEnc, previewEnc, string(mj), basis, note, db.Now(retainUntil), f.total, f.blank, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("upload contacts: %w", err)
	}
	return id, nil
}

// encryptOldHeaders encrypts the headers that uploads kept in the clear
// before header_enc: one of them may be a resident. Mount runs it; it is
// idempotent, and safe with several servers (each row is changed once).
func (im *Importer) encryptOldHeaders(ctx context.Context) error {
	rows, err := im.Store.DB.Query(ctx, `SELECT id, header FROM contact_imports WHERE header_enc IS NULL AND header <> '[]'`)
	if err != nil {
		return fmt.Errorf("old headers: %w", err)
	}
	type old struct {
		id     int64
		header string
	}
	var olds []old
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.id, &o.header); err != nil {
			rows.Close()
			return fmt.Errorf("old headers: %w", err)
		}
		olds = append(olds, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("old headers: %w", err)
	}
	for _, o := range olds {
		enc, err := im.Store.Keys.Encrypt([]byte(o.header), headerContext)
		if err != nil {
			return err
		}
		if _, err := im.Store.DB.Exec(ctx, `UPDATE contact_imports SET header_enc = $1, header = '[]' WHERE id = $2 AND header_enc IS NULL`, enc, o.id); err != nil {
			return fmt.Errorf("old header of import %d: %w", o.id, err)
		}
	}
	return nil
}

// fileSummary is what the one reading of an uploaded file finds.
type fileSummary struct {
	header  []string
	guess   importfile.Mapping
	preview []importfile.Row // the first PreviewRows rows
	total   int
	blank   int
}

// readFile reads an uploaded file once, to the end: every row is counted,
// and a file that cannot be read is refused now, not halfway through the
// import.
func readFile(data []byte, name string) (fileSummary, error) {
	t, err := importfile.Open(bytes.NewReader(data), name)
	if err != nil {
		return fileSummary{}, fileProblem(err)
	}
	defer t.Close()
	f := fileSummary{header: t.Header, guess: importfile.Guess(t.Header)}
	for row, err := range t.Rows() {
		if err != nil {
			return f, fileProblem(err)
		}
		if f.total == 0 && t.NoHeader {
			f.guess = importfile.GuessFromRow(row.Cells)
		}
		if len(f.preview) < PreviewRows {
			f.preview = append(f.preview, row)
		}
		f.total++
	}
	f.blank = t.Blank()
	return f, nil
}

func truncateName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

// fileProblem turns an importfile error into a message for the person.
func fileProblem(err error) error {
	code := importfile.CodeOf(err)
	if code == "" {
		code = importfile.CodeBadFile
	}
	row := 0
	if e := (*importfile.Error)(nil); errors.As(err, &e) {
		row = e.Row
	}
	return problem.Field("file", "contact.error.file."+string(code), "Row", row,
		"Columns", importfile.MaxColumns, "Chars", importfile.MaxCellLen).Because(err)
}

// savedMapping is a group's last mapping and the keyed hash of the header
// it was made for: a header may be a resident's name and number.
type savedMapping struct {
	HeaderHash string             `json:"header_hash"`
	Mapping    importfile.Mapping `json:"mapping"`
}

// headerHash is the keyed hash of a header, the same for headers that
// SameHeader finds the same.
func (im *Importer) headerHash(header []string) string {
	norm := make([]string, len(header))
	for k, h := range header {
		norm[k] = strings.ToLower(strings.TrimSpace(h))
	}
	return im.Store.Keys.HashString(headerPurpose, strings.Join(norm, "\x1f"))
}

// lastMapping is the group's last mapping when it was made for the same
// header, else guess.
func (im *Importer) lastMapping(ctx context.Context, orgID int64, header []string, guess importfile.Mapping) (importfile.Mapping, error) {
	var raw string
	err := im.Store.DB.QueryRow(ctx, `SELECT mapping FROM contact_mappings WHERE org_id = $1`, orgID).Scan(&raw)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return importfile.Mapping{}, fmt.Errorf("last mapping: %w", err)
	}
	var saved savedMapping
	if err == nil && json.Unmarshal([]byte(raw), &saved) == nil && saved.HeaderHash == im.headerHash(header) && len(saved.Mapping.Columns) == len(header) {
		return saved.Mapping, nil
	}
	return guess, nil
}

// SameHeader reports whether two headers name the same columns, ignoring
// case and surrounding spaces.
func SameHeader(a, b []string) bool {
	return slices.EqualFunc(a, b, func(x, y string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(y)) })
}

const importColumns = `id, org_id, COALESCE(created_by, 0), file_name, header, header_enc, mapping, lawful_basis, basis_note, retain_until,
	state, total, blank, last_row, imported, rejected, failure, owner, claim, created_at, updated_at`

func (im *Importer) scan(row interface{ Scan(...any) error }) (Import, error) {
	var i Import
	var header, mapping string
	var headerEnc sql.NullString
	err := row.Scan(&i.ID, &i.OrgID, &i.CreatedBy, &i.FileName, &header, &headerEnc, &mapping, &i.Basis, &i.BasisNote, &i.RetainUntil,
		&i.State, &i.Total, &i.Blank, &i.LastRow, &i.Imported, &i.Rejected, &i.Failure, &i.owner, &i.claim, &i.CreatedAt, &i.UpdatedAt)
	if err != nil {
		return i, err
	}
	_ = json.Unmarshal([]byte(mapping), &i.Mapping)
	if headerEnc.Valid {
		// Under a key since dropped, the columns are shown unnamed.
		if hj, err := im.Store.Keys.Decrypt(headerEnc.String, headerContext); err == nil {
			_ = json.Unmarshal(hj, &i.Header)
		} else {
			i.Header = make([]string, len(i.Mapping.Columns))
		}
	} else {
		_ = json.Unmarshal([]byte(header), &i.Header) // an upload from before the header was encrypted
	}
	i.State = ImportState(i.State, i.UpdatedAt, im.Store.now(), ownerOf(i.owner, i.ID))
	return i, nil
}

// Get returns an import.
func (im *Importer) Get(ctx context.Context, id int64) (Import, error) {
	i, err := im.scan(im.Store.DB.QueryRow(ctx, `SELECT `+importColumns+` FROM contact_imports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return i, fmt.Errorf("import %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return i, fmt.Errorf("import %d: %w", id, err)
	}
	return i, nil
}

// List returns group orgID's imports, the newest first.
func (im *Importer) List(ctx context.Context, orgID int64) ([]Import, error) {
	rows, err := im.Store.DB.Query(ctx, `SELECT `+importColumns+` FROM contact_imports WHERE org_id = $1 ORDER BY id DESC LIMIT 50`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	defer rows.Close()
	var out []Import
	for rows.Next() {
		i, err := im.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list imports: %w", err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// SetMapping changes the mapping of a draft import.
func (im *Importer) SetMapping(ctx context.Context, id int64, m importfile.Mapping) error {
	mj, _ := json.Marshal(m)
	res, err := im.Store.DB.Exec(ctx, `UPDATE contact_imports SET mapping = $1, updated_at = $2 WHERE id = $3 AND state = 'draft'`, string(mj), im.Store.now(), id)
	if err != nil {
		return fmt.Errorf("set mapping of import %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotDraft
	}
	return nil
}

// PreviewRow is a row as the import would read it: the number masked.
type PreviewRow struct {
	Row       int
	Masked    string
	HasName   bool
	Languages []string
	District  string
	Problems  []importfile.Problem
	// Reject is why a readable row would still be turned away
	// (RejectDuplicate, RejectRepeated, RejectDNC), as the import itself
	// would decide; RepeatsRow is the earlier row a repeated one repeats.
	Reject     string
	RepeatsRow int
}

// Preview reads the first n data rows of a draft with its mapping.
//
// The rows are those the upload kept: viewing the page never reads the
// file again (a workbook that took seconds to read did so on every view).
func (im *Importer) Preview(ctx context.Context, i Import, n int) ([]PreviewRow, error) {
	var enc sql.NullString
	if err := im.Store.DB.QueryRow(ctx, `SELECT preview_enc FROM contact_imports WHERE id = $1`, i.ID).Scan(&enc); err != nil {
		return nil, fmt.Errorf("preview of import %d: %w", i.ID, err)
	}
	var rows []importfile.Row
	if enc.Valid {
		pj, err := im.Store.Keys.Decrypt(enc.String, previewContext)
		if err != nil {
			return nil, fmt.Errorf("preview of import %d: %w", i.ID, err)
		}
		if err := json.Unmarshal(pj, &rows); err != nil {
			return nil, fmt.Errorf("preview of import %d: %w", i.ID, err)
		}
	}
	var out []PreviewRow
	seen := map[string]int{}
	for _, row := range rows {
		c, problems := importfile.Apply(i.Mapping, row)
		p := PreviewRow{Row: row.Number, HasName: c.Name != "", Languages: c.Languages, District: c.District, Problems: problems}
		if c.Phone != "" {
			p.Masked = Mask(c.Phone)
			if len(problems) == 0 {
				var err error
				if p.Reject, p.RepeatsRow, err = im.previewReject(ctx, i.OrgID, im.Store.HashPhone(c.Phone), row.Number, seen); err != nil {
					return nil, err
				}
			}
		}
		if len(c.Languages) == 0 && len(problems) == 0 {
			p.Problems = []importfile.Problem{{Row: row.Number, Column: -1, Field: importfile.FieldLanguages, Code: CodeNoLanguage}}
		}
		out = append(out, p)
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// previewReject says whether the import would turn a readable number
// away: on a do-not-call list, already the group's, or an earlier row's
// (and which).
func (im *Importer) previewReject(ctx context.Context, orgID int64, hash string, row int, seen map[string]int) (string, int, error) {
	var blocked, known bool
	err := im.Store.DB.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM do_not_call WHERE phone_hash = $1 AND (org_id IS NULL OR org_id = $2)),
		EXISTS (SELECT 1 FROM contacts WHERE phone_hash = $1 AND org_id = $2)`, hash, orgID).Scan(&blocked, &known)
	if err != nil {
		return "", 0, fmt.Errorf("preview: %w", err)
	}
	if blocked {
		return RejectDNC, 0, nil
	}
	if first, ok := seen[hash]; ok {
		return RejectRepeated, first, nil
	}
	seen[hash] = row
	if known {
		return RejectDuplicate, 0, nil
	}
	return "", 0, nil
}

// CodeNoLanguage rejects a row without a language: nobody could be
// matched to call her.
const CodeNoLanguage importfile.Code = "no_language"

// open decrypts an import's file and opens it at its header.
func (im *Importer) open(ctx context.Context, id int64) (*importfile.Table, error) {
	var name string
	var enc sql.NullString
	err := im.Store.DB.QueryRow(ctx, `SELECT file_name, file_enc FROM contact_imports WHERE id = $1`, id).Scan(&name, &enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("import %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("import %d: %w", id, err)
	}
	if !enc.Valid {
		return nil, fmt.Errorf("import %d: file gone: %w", id, db.ErrNotFound)
	}
	data, err := im.Store.Keys.Decrypt(enc.String, fileContext)
	if err != nil {
		return nil, fmt.Errorf("import %d: %w", id, err)
	}
	t, err := importfile.Open(bytes.NewReader(data), name)
	if err != nil {
		return nil, fileProblem(err)
	}
	return t, nil
}

// Start begins a draft import in the background and remembers its
// mapping for the group's next file.
func (im *Importer) Start(ctx context.Context, id int64) error {
	i, err := im.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := i.Mapping.Validate(); err != nil {
		return problem.New(problem.Invalid, "contact.error.no_phone_column").Because(err)
	}
	sm, _ := json.Marshal(savedMapping{HeaderHash: im.headerHash(i.Header), Mapping: i.Mapping})
	return im.startRun(ctx, i, `state = 'draft'`, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO contact_mappings (org_id, mapping, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (org_id) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`, i.OrgID, string(sm), im.Store.now())
		return err
	})
}

// Resume carries on an interrupted import from the row after the last
// committed batch. It takes the import over by its claim number: should
// its old process still be alive after all, that one stops at its next
// batch.
func (im *Importer) Resume(ctx context.Context, id int64) error {
	i, err := im.Get(ctx, id)
	if err != nil {
		return err
	}
	if i.State != StateInterrupted {
		return errNotDraft
	}
	return im.startRun(ctx, i, `state = 'running' AND claim = $4`, nil, i.claim)
}

// startRun claims import i where holds and runs it in the background,
// in one of the places to read a file.
func (im *Importer) startRun(ctx context.Context, i Import, where string, also func(*sql.Tx) error, args ...any) error {
	release, err := im.acquire(i.OrgID)
	if err != nil {
		return err
	}
	working.add(i.ID)
	claim, err := im.claim(ctx, i.ID, where, also, args...)
	if err != nil {
		working.remove(i.ID)
		release()
		return err
	}
	im.wg.Add(1)
	go func() {
		defer im.wg.Done()
		defer release()
		defer working.remove(i.ID)
		if err := im.run(context.Background(), i.ID, claim); err != nil && !errors.Is(err, errStopped) {
			im.Log.Error("contact import", "import", i.ID, "err", err)
		}
	}()
	return nil
}

// claim sets the import running in this process under a new claim number
// when where holds ($1 the import, $2 now, $3 this process, then args),
// in one transaction with also.
func (im *Importer) claim(ctx context.Context, id int64, where string, also func(*sql.Tx) error, args ...any) (int64, error) {
	var claim int64
	err := im.Store.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE contact_imports SET state = 'running', claim = claim + 1, owner = $3, updated_at = $2
			WHERE id = $1 AND `+where+` RETURNING claim`, append([]any{id, im.Store.now(), thisProcess}, args...)...).Scan(&claim)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotDraft
		}
		if err != nil {
			return fmt.Errorf("claim import %d: %w", id, err)
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	return claim, err
}

// Wait waits for the imports running in the background (tests, shutdown).
func (im *Importer) Wait() { im.wg.Wait() }

// Run imports a draft or interrupted import in the foreground (tests and
// benchmarks): it claims it first, as Start and Resume do.
func (im *Importer) Run(ctx context.Context, id int64) error {
	i, err := im.Get(ctx, id)
	if err != nil {
		return err
	}
	where, args := `state = 'draft'`, []any(nil)
	if i.State == StateInterrupted {
		where, args = `state = 'running' AND claim = $4`, []any{i.claim}
	}
	release, err := im.acquire(i.OrgID)
	if err != nil {
		return err
	}
	defer release()
	working.add(id)
	defer working.remove(id)
	claim, err := im.claim(ctx, id, where, nil, args...)
	if err != nil {
		return err
	}
	return im.run(ctx, id, claim)
}

// errStopped ends a run whose claim was taken over, or that was rolled
// back, or that AfterBatch stopped.
var errStopped = errors.New("import stopped")

// ErrStopped reports whether err is a run that was stopped, not failed.
func ErrStopped(err error) bool { return errors.Is(err, errStopped) }

func (im *Importer) run(ctx context.Context, id, claim int64) error {
	i, err := im.Get(ctx, id)
	if err != nil {
		return err
	}
	t, err := im.open(ctx, id)
	if err != nil {
		return im.fail(ctx, id, claim, err)
	}
	defer t.Close()
	beat, stop := context.WithCancel(ctx)
	defer stop()
	go im.heartbeat(beat, id, claim)
	size := im.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	var batch []importfile.Row
	last := i.LastRow
	seen := map[string]int{} // the keyed hash of each number, and the first row that had it
	for {
		row, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if cerr := im.commit(ctx, i, claim, batch, last, seen); cerr != nil {
				return cerr
			}
			return im.fail(ctx, id, claim, fileProblem(err))
		}
		if row.Number <= i.LastRow {
			// Resumed: the rows done before still name the first row
			// that had a number.
			if c, problems := importfile.Apply(i.Mapping, row); len(problems) == 0 && len(c.Languages) > 0 {
				if h := im.Store.HashPhone(c.Phone); seen[h] == 0 {
					seen[h] = row.Number
				}
			}
			continue
		}
		batch = append(batch, row)
		last = row.Number
		if len(batch) == size {
			if err := im.commit(ctx, i, claim, batch, last, seen); err != nil {
				return err
			}
			batch = batch[:0]
			if im.AfterBatch != nil {
				if err := im.AfterBatch(id, last); err != nil {
					return fmt.Errorf("%w: %v", errStopped, err)
				}
			}
		}
	}
	if err := im.commit(ctx, i, claim, batch, last, seen); err != nil {
		return err
	}
	return im.finish(ctx, id, claim, "")
}

// HeartbeatEvery is how often a running import tells that its process is
// alive, between batches too; another process takes it for interrupted
// after StaleAfter without one.
const HeartbeatEvery = 5 * time.Second

func (im *Importer) heartbeat(ctx context.Context, id, claim int64) {
	t := time.NewTicker(HeartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := im.Store.DB.Exec(ctx, `UPDATE contact_imports SET updated_at = $1 WHERE id = $2 AND claim = $3 AND state = 'running'`,
			im.Store.now(), id, claim); err != nil && ctx.Err() == nil {
			im.Log.Warn("contact import heartbeat", "import", id, "err", err)
		}
	}
}

func (im *Importer) fail(ctx context.Context, id, claim int64, err error) error {
	key := "contact.error.file.bad_file"
	var p *problem.Error
	if errors.As(err, &p) {
		key = p.Key
	}
	if ferr := im.finish(ctx, id, claim, key); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}

// finish marks the import done and drops its file.
func (im *Importer) finish(ctx context.Context, id, claim int64, failure string) error {
	res, err := im.Store.DB.Exec(ctx, `UPDATE contact_imports SET state = 'done', file_enc = NULL, preview_enc = NULL, failure = $1, updated_at = $2
		WHERE id = $3 AND claim = $4 AND state = 'running'`, failure, im.Store.now(), id, claim)
	if err != nil {
		return fmt.Errorf("finish import %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errStopped
	}
	return nil
}

type good struct {
	row             int
	hash, phone     string
	name            sql.NullString
	langs, district string
	note            string
}

// commit checks a batch against the group's contacts and the do-not-call
// list and saves it: the good rows, the rejected ones and the new last
// row, all or nothing.
//
// seen has the keyed hash of every number taken or turned away before,
// with its row, so that a number the file repeats names the row it
// repeats.
func (im *Importer) commit(ctx context.Context, i Import, claim int64, rows []importfile.Row, last int, seen map[string]int) error {
	s := im.Store
	var rejects []Reject
	var goods []good
	for _, row := range rows {
		c, problems := importfile.Apply(i.Mapping, row)
		if len(problems) > 0 {
			p := problems[0]
			r := Reject{Row: row.Number, Column: p.Column, Code: string(p.Code), Detail: p.Reason}
			if encryptedDetail(r.Code) {
				// The "language" is whatever the cell held: with a column
				// mapped wrongly, a name or a number. Kept encrypted.
				enc, err := s.Keys.EncryptString(truncate(p.Reason, maxDetailLen), rejectContext)
				if err != nil {
					return err
				}
				r.Detail = enc
			}
			rejects = append(rejects, r)
			continue
		}
		if len(c.Languages) == 0 {
			rejects = append(rejects, Reject{Row: row.Number, Column: -1, Code: string(CodeNoLanguage)})
			continue
		}
		g := good{row: row.Number, hash: s.HashPhone(c.Phone), langs: strings.Join(c.Languages, ","), district: c.District}
		var err error
		if g.phone, err = s.Keys.EncryptString(c.Phone, phoneContext); err != nil {
			return err
		}
		if c.Name != "" {
			enc, err := s.Keys.EncryptString(c.Name, nameContext)
			if err != nil {
				return err
			}
			g.name = sql.NullString{String: enc, Valid: true}
		}
		g.note = joinNote(i.BasisNote, c.Consent)
		goods = append(goods, g)
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		hashes := make([]string, len(goods))
		for k, g := range goods {
			hashes[k] = g.hash
		}
		blocked, err := hashesIn(ctx, s.DB.Dialect, tx, `SELECT phone_hash FROM do_not_call WHERE (org_id IS NULL OR org_id = $1) AND phone_hash IN `, i.OrgID, hashes)
		if err != nil {
			return err
		}
		var take []good
		for _, g := range goods {
			first, repeated := seen[g.hash]
			switch {
			case blocked[g.hash]:
				rejects = append(rejects, Reject{Row: g.row, Column: -1, Code: RejectDNC})
			case repeated:
				rejects = append(rejects, Reject{Row: g.row, Column: -1, Code: RejectRepeated, Detail: strconv.Itoa(first)})
			default:
				seen[g.hash] = g.row
				take = append(take, g)
			}
		}
		// The group's existing contacts are found by the insert itself:
		// a row the unique (org_id, phone_hash) turned away is a duplicate.
		inserted, err := insertContacts(ctx, s.DB.Dialect, tx, i, take, now)
		if err != nil {
			return err
		}
		imported := 0
		for _, g := range take {
			if inserted[g.hash] {
				imported++
			} else {
				rejects = append(rejects, Reject{Row: g.row, Column: -1, Code: RejectDuplicate})
			}
		}
		slices.SortFunc(rejects, func(a, b Reject) int { return a.Row - b.Row })
		if err := insertRejects(ctx, s.DB.Dialect, tx, i.ID, rejects); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE contact_imports SET last_row = $1, imported = imported + $2, rejected = rejected + $3, updated_at = $4
			WHERE id = $5 AND claim = $6 AND state = 'running'`, last, imported, len(rejects), now, i.ID, claim)
		if err != nil {
			return fmt.Errorf("import %d: progress: %w", i.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStopped
		}
		return nil
	})
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return truncate(b, maxBasisNoteLen)
	case b == "":
		return a
	}
	return truncate(a+"; "+b, maxBasisNoteLen)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}

// marks returns n placeholders from $from on: "?" on SQLite, whose
// parser looks numbered names up one by one (quadratic in a statement of
// thousands), "$n" on PostgreSQL.
func marks(d db.Dialect, from, n int) string {
	var b strings.Builder
	for k := range n {
		if k > 0 {
			b.WriteString(",")
		}
		if d == db.SQLite {
			b.WriteString("?")
		} else {
			fmt.Fprintf(&b, "$%d", from+k)
		}
	}
	return b.String()
}

// chunk is how many rows go in one statement: within SQLite's 32,766
// and PostgreSQL's 65,535 parameters.
const chunk = 500

// hashesIn runs query (with $1 the group, ending in "IN ") for the hashes,
// in chunks, and returns the hashes found.
func hashesIn(ctx context.Context, d db.Dialect, tx *sql.Tx, query string, orgID int64, hashes []string) (map[string]bool, error) {
	found := map[string]bool{}
	if d == db.SQLite {
		query = strings.Replace(query, "$1", "?", 1)
	}
	for start := 0; start < len(hashes); start += chunk {
		part := hashes[start:min(start+chunk, len(hashes))]
		args := []any{orgID}
		for _, h := range part {
			args = append(args, h)
		}
		rows, err := tx.QueryContext(ctx, query+"("+marks(d, 2, len(part))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("look up hashes: %w", err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("look up hashes: %w", err)
			}
			found[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("look up hashes: %w", err)
		}
	}
	return found, nil
}

// insertContacts saves rows with multi-row INSERTs (one round trip per
// 500 rows, which is what makes PostgreSQL fast here) and returns the
// hashes it inserted; the others the group had already.
func insertContacts(ctx context.Context, d db.Dialect, tx *sql.Tx, i Import, goods []good, now time.Time) (map[string]bool, error) {
	const cols = 13
	retain := db.Now(i.RetainUntil)
	inserted := make(map[string]bool, len(goods))
	for start := 0; start < len(goods); start += chunk {
		part := goods[start:min(start+chunk, len(goods))]
		var q strings.Builder
		q.WriteString(`INSERT INTO contacts (org_id, phone_hash, phone_enc, name_enc, languages, district,
			lawful_basis, basis_note, basis_recorded_by, basis_recorded_at, retain_until, import_id, created_at) VALUES `)
		args := make([]any, 0, len(part)*cols)
		for k, g := range part {
			if k > 0 {
				q.WriteString(",")
			}
			q.WriteString("(" + marks(d, len(args)+1, cols) + ")")
			args = append(args, i.OrgID, g.hash, g.phone, g.name, g.langs, g.district, i.Basis, g.note, nullID(i.CreatedBy), now, retain, nullID(i.ID), now)
		}
		q.WriteString(` ON CONFLICT DO NOTHING RETURNING phone_hash`)
		rows, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("import %d: insert contacts: %w", i.ID, err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("import %d: insert contacts: %w", i.ID, err)
			}
			inserted[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("import %d: insert contacts: %w", i.ID, err)
		}
	}
	return inserted, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func insertRejects(ctx context.Context, d db.Dialect, tx *sql.Tx, importID int64, rejects []Reject) error {
	const cols = 5
	for start := 0; start < len(rejects); start += chunk {
		part := rejects[start:min(start+chunk, len(rejects))]
		var q strings.Builder
		q.WriteString(`INSERT INTO contact_import_rejects (import_id, row_number, col, code, detail) VALUES `)
		args := make([]any, 0, len(part)*cols)
		for k, r := range part {
			if k > 0 {
				q.WriteString(",")
			}
			q.WriteString("(" + marks(d, len(args)+1, cols) + ")")
			detail := r.Detail
			if !encryptedDetail(r.Code) {
				detail = truncate(detail, maxDetailLen)
			}
			args = append(args, importID, r.Row, r.Column, r.Code, detail)
		}
		q.WriteString(` ON CONFLICT DO NOTHING`)
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("import %d: insert rejects: %w", importID, err)
		}
	}
	return nil
}

// Rejects returns the rows an import did not take, by row number.
func (im *Importer) Rejects(ctx context.Context, id int64, limit int) ([]Reject, error) {
	q := `SELECT row_number, col, code, detail FROM contact_import_rejects WHERE import_id = $1 ORDER BY row_number`
	args := []any{id}
	if limit > 0 {
		q += ` LIMIT $2`
		args = append(args, limit)
	}
	rows, err := im.Store.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("rejects of import %d: %w", id, err)
	}
	defer rows.Close()
	var out []Reject
	for rows.Next() {
		var r Reject
		if err := rows.Scan(&r.Row, &r.Column, &r.Code, &r.Detail); err != nil {
			return nil, fmt.Errorf("rejects of import %d: %w", id, err)
		}
		if encryptedDetail(r.Code) {
			// Under a key since dropped (Reencrypt leaves these): the
			// row and its reason still stand without the detail.
			if r.Detail, err = im.Store.Keys.DecryptString(r.Detail, rejectContext); err != nil {
				r.Detail = ""
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Rollback undoes an interrupted or finished import: its contacts are
// deleted and its file dropped; the rejected rows stay for the record.
func (im *Importer) Rollback(ctx context.Context, id int64) error {
	i, err := im.Get(ctx, id)
	if err != nil {
		return err
	}
	if i.State != StateInterrupted && i.State != StateDone {
		return errNotDraft
	}
	return im.Store.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE contact_imports SET state = 'rolled_back', file_enc = NULL, preview_enc = NULL, claim = claim + 1, imported = 0, updated_at = $1
			WHERE id = $2 AND (state = 'done' OR (state = 'running' AND claim = $3))`, im.Store.now(), id, i.claim)
		if err != nil {
			return fmt.Errorf("roll back import %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotDraft
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE import_id = $1`, id); err != nil {
			return fmt.Errorf("roll back import %d: %w", id, err)
		}
		return nil
	})
}

// Discard deletes a draft import and its file.
func (im *Importer) Discard(ctx context.Context, id int64) error {
	res, err := im.Store.DB.Exec(ctx, `DELETE FROM contact_imports WHERE id = $1 AND state = 'draft'`, id)
	if err != nil {
		return fmt.Errorf("discard import %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotDraft
	}
	return nil
}

// thisProcess names this process as the owner of the imports it runs:
// host, process id and start time, so that a restarted process (even with
// the same id, as in a container) is not taken for the one before.
var thisProcess = fmt.Sprintf("%s/%d/%d", thisHost, os.Getpid(), time.Now().UnixNano())

var thisHost, _ = os.Hostname()

// working are the imports that this process runs now.
var working = &runningHere{ids: map[int64]int{}}

// runningHere counts the runs of each import in this process.
type runningHere struct {
	mu  sync.Mutex
	ids map[int64]int
}

func (w *runningHere) add(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ids[id]++
}

func (w *runningHere) remove(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ids[id]--; w.ids[id] <= 0 {
		delete(w.ids, id)
	}
}

func (w *runningHere) has(id int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ids[id] > 0
}

// ownerOf says whether the process that owns a running import is known
// to run it (this process, running it), known to be gone (this process,
// not running it; a process of this host that has ended, or an earlier
// life of this one), or elsewhere, on another host, where only its
// heartbeat tells.
func ownerOf(owner string, id int64) Owner {
	if owner == "" {
		return OwnerElsewhere
	}
	if owner == thisProcess {
		if working.has(id) {
			return OwnerWorking
		}
		return OwnerGone
	}
	host, rest, _ := strings.Cut(owner, "/")
	pidText, _, _ := strings.Cut(rest, "/")
	pid, err := strconv.Atoi(pidText)
	if err != nil || host != thisHost {
		return OwnerElsewhere
	}
	if pid == os.Getpid() || !processAlive(pid) {
		return OwnerGone
	}
	return OwnerElsewhere
}

// processAlive reports whether a process of this host has id pid.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
