// Package audit is Megafon's append-only record of who did what: sign-ins,
// failed sign-ins, invitations, role changes and every view of a
// resident's personal data. The table refuses updates (see the platform
// migration); entries are only added and read.
package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"megafon/platform/db"
)

// Actions recorded by the platform; modules add their own.
const (
	SignIn         = "signin"
	SignInFailed   = "signin_failed"
	SignOut        = "signout"
	SignOutAll     = "signout_everywhere"
	Invite         = "invite"
	InviteAccept   = "invite_accept"
	RoleChange     = "role_change"
	MemberRemove   = "member_remove"
	ViewPersonal   = "view_personal_data"
	ExportPersonal = "export_personal_data"
)

// Entry is one line of the audit log.
type Entry struct {
	ID        int64
	At        time.Time
	ActorID   int64 // 0 when nobody was signed in
	ActorName string
	Action    string
	Subject   string // what it was done to, e.g. "person:12" or "contact:88"
	Detail    string // short, and never a secret
	Addr      string
}

// Log writes to and reads the audit log.
type Log struct {
	DB  *db.DB
	Now func() time.Time
}

// Bounds, in bytes, of what an entry keeps of each field.
const (
	MaxName    = 200
	MaxAction  = 64
	MaxSubject = 300
	MaxDetail  = 500
	MaxAddr    = 64
)

// Record adds an entry. Its time is the log's clock.
func (l *Log) Record(ctx context.Context, e Entry) error {
	return l.insert(ctx, l.DB.Writer(), e)
}

// RecordTx adds an entry within tx, so that the change it records and the
// entry are saved together or not at all.
func (l *Log) RecordTx(ctx context.Context, tx *sql.Tx, e Entry) error {
	return l.insert(ctx, tx, e)
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (l *Log) insert(ctx context.Context, x execer, e Entry) error {
	var actor any
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	// The log only grows, so whatever a caller hands in is cut to a
	// bound here, the last wall against a megabyte name or login.
	_, err := x.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, action, subject, detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		db.Now(l.Now()), actor, truncate(e.ActorName, MaxName), truncate(e.Action, MaxAction), truncate(e.Subject, MaxSubject),
		truncate(e.Detail, MaxDetail), truncate(e.Addr, MaxAddr))
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// Filter narrows a listing. Zero values match everything.
type Filter struct {
	Action  string
	ActorID int64
	Subject string // prefix, e.g. "contact:"
	From    time.Time
	To      time.Time
	Limit   int   // default 200
	Before  int64 // entries with a smaller id: for paging
}

// List returns entries matching f, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ActorID != 0 {
		add("actor_id = ?", f.ActorID)
	}
	if f.Subject != "" {
		add("subject LIKE ?", strings.NewReplacer("%", "", "_", "").Replace(f.Subject)+"%")
	}
	if !f.From.IsZero() {
		add("at >= ?", db.Now(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", db.Now(f.To))
	}
	if f.Before != 0 {
		add("id < ?", f.Before)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q := `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, subject, detail, ip FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", f.Limit)
	rows, err := l.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Subject, &e.Detail, &e.Addr); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Actions lists the distinct actions in the log, for the filter's menu.
func (l *Log) Actions(ctx context.Context) ([]string, error) {
	rows, err := l.DB.Query(ctx, `SELECT DISTINCT action FROM audit_log ORDER BY action`)
	if err != nil {
		return nil, fmt.Errorf("audit actions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
