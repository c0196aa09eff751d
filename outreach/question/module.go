package question

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"megafon/outreach/handbook"
	"megafon/outreach/notify"
	"megafon/outreach/operation"
	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates
var templates embed.FS

//go:embed catalogue/*.json
var catalogue embed.FS

// Migrations are the questions' tables. They refer to the operation and
// handbook modules' tables, which must be applied first, and come before
// the campaign module's, which moved its questions here.
var Migrations = db.Migrations{Name: "question", FS: web.Sub(migrations, "migrations")}

// Module mounts residents' questions: the volunteer's form, the city's
// triage, and the answer that comes back through the handbook.
type Module struct {
	app      *web.App
	store    *Store
	ops      *operation.Store
	handbook *handbook.Store
}

// Name is the module's name.
func (*Module) Name() string { return "question" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount).
func (m *Module) Store() *Store { return m.store }

// Mount adds the question pages to app, answers questions when the
// handbook verifies their answer, and counts overdue escalations for the
// level suggestion. The operation and handbook modules are mounted first.
func (m *Module) Mount(app *web.App) {
	m.app = app
	now := func() time.Time { return app.Now() }
	m.store = &Store{DB: app.DB, Now: now}
	m.ops = &operation.Store{DB: app.DB, Now: now}
	for _, other := range app.Modules() {
		switch o := other.(type) {
		case *operation.Module:
			o.AddSignalSource(m.store)
		case *handbook.Module:
			m.handbook = o.Store()
			m.handbook.OnVerify(m.store.answered)
		}
	}
	if m.handbook == nil {
		// Only the handbook's tables (a test of another module): answers
		// are verified through this store alone.
		m.handbook = handbook.NewStore(app.DB, now)
		m.handbook.OnVerify(m.store.answered)
	}
	m.store.OnAnswered(m.tellCallers)
	app.Catalogue.MustLoad(web.Sub(catalogue, "catalogue"))
	app.Templates("question", web.Sub(templates, "templates"))
	m.routes(app)
}

// tellCallers notifies every member of the operation that a question
// residents asked has a verified answer, with a link to it, in the same
// transaction as the answer: in the app, and by e-mail or SMS where she
// chose them (notify.Tell).
func (m *Module) tellCallers(ctx context.Context, tx *sql.Tx, a Answer) error {
	members, err := m.ops.Members(ctx, tx, a.OperationID)
	if err != nil {
		return err
	}
	// The title in each reader's language when its translation was made
	// from this Swedish, else the Swedish.
	rows, err := tx.QueryContext(ctx, `SELECT lang, title, source_version FROM handbook_translations WHERE version_id = $1`, a.VersionID)
	if err != nil {
		return fmt.Errorf("answer title: %w", err)
	}
	titles, sources := map[string]string{}, map[string]int{}
	for rows.Next() {
		var lang, title string
		var source int
		if err := rows.Scan(&lang, &title, &source); err != nil {
			rows.Close()
			return fmt.Errorf("answer title: %w", err)
		}
		titles[lang], sources[lang] = title, source
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("answer title: %w", err)
	}
	asks := 0
	for _, q := range a.Questions {
		if q.State != Merged {
			asks += q.Asks
		}
	}
	byTitle := map[string][]int64{}
	var order []string
	for _, mb := range members {
		title := titles[handbook.Swedish]
		if t, ok := titles[mb.UILang]; ok && sources[mb.UILang] >= sources[handbook.Swedish] {
			title = t
		}
		if i18n.Dir(mb.UILang) == "rtl" {
			// Isolated, so that a Swedish title's "?" stays at its end
			// inside the Arabic sentence.
			title = "\u2068" + title + "\u2069"
		}
		if _, ok := byTitle[title]; !ok {
			order = append(order, title)
		}
		byTitle[title] = append(byTitle[title], mb.PersonID)
	}
	for _, title := range order {
		msg := notify.Message{Key: "question.notice.answered", Link: fmt.Sprintf("/handbook/%d", a.EntryID),
			Args: map[string]string{"Title": title, "Asks": fmt.Sprint(asks)}}
		if err := notify.Tell(ctx, tx, m.app.Now(), m.app.Catalogue.T, m.app.Config.BaseURL, "question.notice.answered_subject", byTitle[title], msg); err != nil {
			return err
		}
	}
	return nil
}
