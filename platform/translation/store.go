package translation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"megafon/platform/audit"
	"megafon/platform/db"
	"megafon/platform/i18n"
)

// Store keeps imported translations, the reports of imports and the
// city's switch for the mark on unchecked messages.
type Store struct {
	DB    *db.DB
	Audit *audit.Log
	Now   func() time.Time
}

// Override is an imported translation of one message.
type Override struct {
	Lang, Key      string
	Message        i18n.Message
	CheckedAgainst string
}

// Overrides lists every imported translation.
func (s *Store) Overrides(ctx context.Context) ([]Override, error) {
	rows, err := s.DB.Query(ctx, `SELECT lang, msg_key, forms, checked_against FROM translation_overrides ORDER BY lang, msg_key`)
	if err != nil {
		return nil, fmt.Errorf("list translation overrides: %w", err)
	}
	defer rows.Close()
	var out []Override
	for rows.Next() {
		var o Override
		var forms string
		if err := rows.Scan(&o.Lang, &o.Key, &forms, &o.CheckedAgainst); err != nil {
			return nil, fmt.Errorf("list translation overrides: %w", err)
		}
		if err := json.Unmarshal([]byte(forms), &o.Message); err != nil {
			return nil, fmt.Errorf("translation override %s %s: %w", o.Lang, o.Key, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Person is who did something, as the audit log and the reports name her.
type Person struct {
	ID   int64
	Name string
	Addr string // her network address, for the audit log
}

// Import is an import's report: its counts, and the rows that were
// rejected or kept unchecked (at most MaxListed of each).
type Import struct {
	ID                                        int64
	Lang, FileName, ByName                    string
	At                                        time.Time
	Rows, Updated, Unchanged, Rejected, Stale int
	Blank                                     int
	Listed                                    Listed
}

// Listed are the rows a report names.
type Listed struct {
	Rejected []Outcome `json:"rejected"`
	Stale    []Outcome `json:"stale"`
}

// MaxListed bounds the rows of each kind a report names; the counts are
// always whole.
const MaxListed = 500

// ImportFrom is the report of plan.
func ImportFrom(plan Plan, sheet *Sheet, fileName string) Import {
	im := Import{Lang: plan.Lang, FileName: fileName, Rows: len(plan.Outcomes), Updated: plan.Count(Updated),
		Unchanged: plan.Count(Unchanged), Rejected: plan.Count(Rejected), Stale: plan.Stale(), Blank: sheet.Blank}
	im.Listed.Rejected, im.Listed.Stale = []Outcome{}, []Outcome{}
	for _, o := range plan.Outcomes {
		if o.Result == Rejected && len(im.Listed.Rejected) < MaxListed {
			im.Listed.Rejected = append(im.Listed.Rejected, o)
		}
		if o.Stale && len(im.Listed.Stale) < MaxListed {
			im.Listed.Stale = append(im.Listed.Stale, o)
		}
	}
	return im
}

// SaveImport saves an import's changes, its report and its line in the
// audit log in one transaction: all of them or, on an error, none.
func (s *Store) SaveImport(ctx context.Context, im *Import, changes []Change, by Person) error {
	report, err := json.Marshal(im.Listed)
	if err != nil {
		return fmt.Errorf("save import of %s: %w", im.Lang, err)
	}
	im.At, im.ByName = db.Now(s.Now()), by.Name
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO translation_imports (lang, file_name, by_id, by_name, at, rows_read, updated, unchanged, rejected, stale, blank, report)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			im.Lang, im.FileName, nullID(by.ID), by.Name, im.At, im.Rows, im.Updated, im.Unchanged, im.Rejected, im.Stale, im.Blank, string(report)).Scan(&im.ID)
		if err != nil {
			return err
		}
		for _, c := range changes {
			forms, err := json.Marshal(c.Message)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO translation_overrides (lang, msg_key, forms, checked_against, import_id, by_id, by_name, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (lang, msg_key) DO UPDATE SET forms = excluded.forms, checked_against = excluded.checked_against,
					import_id = excluded.import_id, by_id = excluded.by_id, by_name = excluded.by_name, at = excluded.at`,
				im.Lang, c.Key, string(forms), c.CheckedAgainst, im.ID, nullID(by.ID), by.Name, im.At)
			if err != nil {
				return fmt.Errorf("key %s: %w", c.Key, err)
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{ActorID: by.ID, ActorName: by.Name, Action: ActionImport,
			Subject: fmt.Sprintf("translation-import:%d", im.ID), Addr: by.Addr,
			Detail: fmt.Sprintf("%s from %q: %d rows, %d updated, %d unchanged, %d rejected, %d checked against a changed Swedish text",
				im.Lang, im.FileName, im.Rows, im.Updated, im.Unchanged, im.Rejected, im.Stale)})
	})
	if err != nil {
		return fmt.Errorf("save import of %s: %w", im.Lang, err)
	}
	return nil
}

// Audit log actions of the module.
const (
	ActionImport = "translation_import"
	ActionMark   = "translation_mark"
)

// Imports lists the latest imports, newest first, without their rows.
func (s *Store) Imports(ctx context.Context, limit int) ([]Import, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, lang, file_name, by_name, at, rows_read, updated, unchanged, rejected, stale, blank
		FROM translation_imports ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list translation imports: %w", err)
	}
	defer rows.Close()
	var out []Import
	for rows.Next() {
		var im Import
		if err := rows.Scan(&im.ID, &im.Lang, &im.FileName, &im.ByName, &im.At, &im.Rows, &im.Updated, &im.Unchanged, &im.Rejected, &im.Stale, &im.Blank); err != nil {
			return nil, fmt.Errorf("list translation imports: %w", err)
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// Import returns the report of the import with id.
func (s *Store) Import(ctx context.Context, id int64) (Import, error) {
	var im Import
	var report string
	err := s.DB.QueryRow(ctx, `SELECT id, lang, file_name, by_name, at, rows_read, updated, unchanged, rejected, stale, blank, report
		FROM translation_imports WHERE id = $1`, id).
		Scan(&im.ID, &im.Lang, &im.FileName, &im.ByName, &im.At, &im.Rows, &im.Updated, &im.Unchanged, &im.Rejected, &im.Stale, &im.Blank, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return im, fmt.Errorf("translation import %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return im, fmt.Errorf("translation import %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(report), &im.Listed); err != nil {
		return im, fmt.Errorf("translation import %d: %w", id, err)
	}
	return im, nil
}

// ShowUncheckedMark returns the city's switch for the mark on unchecked
// messages; set is false while nobody has set it.
func (s *Store) ShowUncheckedMark(ctx context.Context) (on, set bool, err error) {
	err = s.DB.QueryRow(ctx, `SELECT show_unchecked_mark FROM translation_settings WHERE id = 1`).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("read the unchecked mark's switch: %w", err)
	}
	return on, true, nil
}

// SetShowUncheckedMark sets the switch, with its line in the audit log.
func (s *Store) SetShowUncheckedMark(ctx context.Context, on bool, by Person) error {
	at := db.Now(s.Now())
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO translation_settings (id, show_unchecked_mark, by_id, by_name, at) VALUES (1, $1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET show_unchecked_mark = excluded.show_unchecked_mark, by_id = excluded.by_id, by_name = excluded.by_name, at = excluded.at`,
			on, nullID(by.ID), by.Name, at)
		if err != nil {
			return err
		}
		detail := "off"
		if on {
			detail = "on"
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{ActorID: by.ID, ActorName: by.Name, Action: ActionMark,
			Subject: "translation-mark", Detail: detail, Addr: by.Addr})
	})
	if err != nil {
		return fmt.Errorf("set the unchecked mark's switch: %w", err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
