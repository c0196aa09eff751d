package helpline

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

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

//go:embed assets
var assets embed.FS

// Migrations are the help lines' tables. They refer to the platform's orgs
// and people and to the operation module's operations.
var Migrations = db.Migrations{Name: "helpline", FS: mustSub(migrations, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// DefaultReminderLead is how long before her shift a volunteer is
// reminded: time to charge the shared phone and fetch it from whoever had
// it, and still the same day.
const DefaultReminderLead = 3 * time.Hour

// Module mounts the help lines. It needs the operation module mounted
// before it.
type Module struct {
	// Reminders, when set, is how often the reminders of the shifts
	// starting soon are queued, in a goroutine Mount starts (the server:
	// every five minutes).
	Reminders time.Duration
	// ReminderLead is how long before a shift its reminder goes; zero
	// means DefaultReminderLead.
	ReminderLead time.Duration

	app   *web.App
	store *Store
	ops   *operation.Store
	// stopReminders ends the reminder job.
	stopReminders context.CancelFunc
	remindersDone chan struct{}
}

// Name is the module's name.
func (*Module) Name() string { return "helpline" }

// Migrations returns the module's migrations.
func (*Module) Migrations() []db.Migrations { return []db.Migrations{Migrations} }

// Store is the module's store (after Mount): the Roster that telephony and
// the call log use.
func (m *Module) Store() *Store { return m.store }

// Roster is the store as what the call log and telephony ask of it: who
// is on shift, and whether a language is open.
func (m *Module) Roster() Roster { return m.store }

// Mount adds the help line pages to app and starts the reminders.
func (m *Module) Mount(app *web.App) {
	m.app = app
	m.store = &Store{DB: app.DB, Now: func() time.Time { return app.Now() }}
	for _, mod := range app.Modules() {
		if ops, ok := mod.(*operation.Module); ok {
			m.ops = ops.Store()
		}
	}
	if m.ops == nil {
		panic("helpline: mount the operation module first")
	}
	m.mountRoutes(app)
	if m.Reminders > 0 {
		ctx, stop := context.WithCancel(context.Background())
		m.stopReminders, m.remindersDone = stop, make(chan struct{})
		go func() {
			defer close(m.remindersDone)
			m.RunReminders(ctx, m.Reminders)
		}()
	}
}

// Stop ends the reminder job, if it runs, and waits for it.
func (m *Module) Stop() {
	if m.stopReminders != nil {
		m.stopReminders()
		<-m.remindersDone
	}
}

func (m *Module) lead() time.Duration {
	if m.ReminderLead > 0 {
		return m.ReminderLead
	}
	return DefaultReminderLead
}

// RunReminders queues the reminders now and then every interval until ctx
// ends.
func (m *Module) RunReminders(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := m.SendReminders(ctx)
		if err != nil && ctx.Err() == nil {
			m.app.Log.Error("queue shift reminders", "err", err)
		} else if n > 0 {
			m.app.Log.Info("queued shift reminders", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendReminders queues, through the outbox, a reminder to each volunteer
// whose shift starts within the lead time and who has not had one: in the
// app, and by e-mail or SMS as she chose, in her language. It returns how
// many went.
func (m *Module) SendReminders(ctx context.Context) (int, error) {
	return m.store.RemindBefore(ctx, m.lead(), func(ctx context.Context, tx *sql.Tx, r Reminder) error {
		loc, err := time.LoadLocation(r.TimeZone)
		if err != nil {
			return fmt.Errorf("reminder of shift %d: %w", r.ID, err)
		}
		start, end := r.Start.In(loc), r.End.In(loc)
		args := map[string]string{
			"Line":  r.LineName,
			"Day":   start.Format("2006-01-02"),
			"From":  start.Format("15:04"),
			"To":    end.Format("15:04"),
			"Langs": strings.Join(r.Langs, ", "),
			"Phone": r.PhoneLabel,
		}
		key := "helpline.notice.reminder"
		if r.PhoneLabel != "" {
			key = "helpline.notice.reminder_phone"
		}
		// The line's name is the city's words in Swedish: isolated, so it
		// keeps its order inside an Arabic or Dari sentence.
		var lang string
		if err := tx.QueryRowContext(ctx, `SELECT ui_lang FROM people WHERE id = $1`, r.PersonID).Scan(&lang); err == nil && i18n.Dir(lang) == "rtl" {
			args["Line"] = "\u2068" + r.LineName + "\u2069"
		}
		msg := notify.Message{Key: key, Link: "/shifts/mine", Args: args}
		return notify.Tell(ctx, tx, m.app.Now(), m.app.Catalogue.T, m.app.Config.BaseURL, "helpline.notice.reminder_subject", []int64{r.PersonID}, msg)
	})
}
