package handbook

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"megafon/platform/db"
)

// textIndex is the handbook's full-text index, one implementation per
// database. Both store the words of FoldForSearch and Terms, so accents,
// case, Arabic letter variants and the Somali apostrophe are handled the
// same way on both; each query word matches as a prefix, so "vacc" finds
// "vaccination".
type textIndex interface {
	// put indexes the text of a translation of a version.
	put(ctx context.Context, tx *sql.Tx, versionID int64, lang, text string) error
	// drop removes a version's texts from the index.
	drop(ctx context.Context, tx *sql.Tx, versionID int64) error
	// matching returns a subquery selecting the version_id of every text
	// that has all terms, with its one parameter in position n.
	matching(terms []string, n int) (subquery string, arg string)
}

func indexFor(d db.Dialect) textIndex {
	if d == db.Postgres {
		return pgIndex{}
	}
	return ftsIndex{}
}

// indexWords is what is stored for a text: its search words, in order.
func indexWords(texts ...string) string { return strings.Join(Terms(strings.Join(texts, "\n")), " ") }

// ftsIndex is SQLite's FTS5.
type ftsIndex struct{}

func (ftsIndex) put(ctx context.Context, tx *sql.Tx, versionID int64, lang, text string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO handbook_search (words, version_id, lang) VALUES ($1, $2, $3)`, indexWords(text), versionID, lang)
	return err
}

func (ftsIndex) drop(ctx context.Context, tx *sql.Tx, versionID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM handbook_search WHERE version_id = $1`, versionID)
	return err
}

func (ftsIndex) matching(terms []string, n int) (string, string) {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"*`
	}
	return fmt.Sprintf(`SELECT version_id FROM handbook_search WHERE handbook_search MATCH $%d`, n), strings.Join(q, " AND ")
}

// pgIndex is PostgreSQL's full-text search with the 'simple' configuration:
// no stemming and no stop words, which suits six languages at once.
type pgIndex struct{}

func (pgIndex) put(ctx context.Context, tx *sql.Tx, versionID int64, lang, text string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO handbook_search (words, version_id, lang) VALUES ($1, $2, $3)`, indexWords(text), versionID, lang)
	return err
}

func (pgIndex) drop(ctx context.Context, tx *sql.Tx, versionID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM handbook_search WHERE version_id = $1`, versionID)
	return err
}

func (pgIndex) matching(terms []string, n int) (string, string) {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = "'" + strings.ReplaceAll(t, "'", "''") + "':*"
	}
	return fmt.Sprintf(`SELECT version_id FROM handbook_search WHERE tsv @@ to_tsquery('simple', $%d)`, n), strings.Join(q, " & ")
}
