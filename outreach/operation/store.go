package operation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/input"
	"megafon/platform/problem"
)

// Store keeps operations, their groups and their level history.
type Store struct {
	DB  *db.DB
	Now func() time.Time
}

// NewStore returns a store on d with the real clock.
func NewStore(d *db.DB) *Store { return &Store{DB: d, Now: time.Now} }

func (s *Store) now() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

// Errors of the store that a handler shows to the user.
var (
	ErrNotFound        = problem.New(problem.NotFound, "error.not_found")
	errReasonRequired  = problem.Field("reason", "operation.error.reason_required")
	errLevelInvalid    = problem.Field("level", "operation.error.level_invalid")
	errLevelSame       = problem.Field("level", "operation.error.level_same")
	errNameRequired    = problem.Field("name", "operation.error.name_required")
	errNameLine        = problem.Field("name", "operation.error.name_line", "Max", MaxNameRunes)
	errStartsOnInvalid = problem.Field("starts_on", "operation.error.date_invalid")
	errEndsOnInvalid   = problem.Field("ends_on", "operation.error.date_invalid")
	errEndsBeforeStart = problem.Field("ends_on", "operation.error.ends_before_start")
	errLeadInvalid     = problem.Field("lead_org_id", "operation.error.lead_invalid")
	errGroupInvalid    = problem.Field("org_id", "operation.error.group_invalid")
	errAlreadyInvited  = problem.Field("org_id", "operation.error.already_invited")
	errNoInvitation    = problem.New(problem.Conflict, "operation.error.no_invitation")
	errNotTakingPart   = problem.New(problem.Conflict, "operation.error.not_taking_part")
)

// MaxNameRunes bounds an operation's name: a subject line, a heading.
const MaxNameRunes = 200

// Draft is what a coordinator enters to create or edit an operation.
type Draft struct {
	Name        string
	Description string
	StartsOn    string
	EndsOn      string
	LeadOrgID   int64
	Level       Level
}

// Validate checks the draft and returns every problem at once.
func (d Draft) Validate() error {
	var l problem.List
	if strings.TrimSpace(d.Name) == "" {
		l = append(l, errNameRequired)
	} else if _, err := input.Line(d.Name, MaxNameRunes); err != nil {
		// The name goes into the subject of every e-mail about the
		// operation: one line, or a level change cannot be mailed.
		l = append(l, errNameLine)
	}
	start, err := time.Parse(time.DateOnly, d.StartsOn)
	if err != nil {
		l = append(l, errStartsOnInvalid)
	}
	if d.EndsOn != "" {
		end, err := time.Parse(time.DateOnly, d.EndsOn)
		switch {
		case err != nil:
			l = append(l, errEndsOnInvalid)
		case !start.IsZero() && end.Before(start):
			l = append(l, errEndsBeforeStart)
		}
	}
	if d.LeadOrgID <= 0 {
		l = append(l, errLeadInvalid)
	}
	if !d.Level.Valid() {
		l = append(l, errLevelInvalid)
	}
	return l.Err()
}

const opColumns = `o.id, o.name, o.description, o.starts_on, o.ends_on, o.lead_org_id, g.name, o.level, o.created_at`

func scanOperation(row interface{ Scan(...any) error }) (Operation, error) {
	var op Operation
	var level int
	err := row.Scan(&op.ID, &op.Name, &op.Description, &op.StartsOn, &op.EndsOn, &op.LeadOrgID, &op.LeadOrgName, &level, &op.CreatedAt)
	op.Level = Level(level)
	return op, err
}

// Get returns the operation with its groups taking part and invited.
func (s *Store) Get(ctx context.Context, id int64) (Operation, error) {
	op, err := scanOperation(s.DB.QueryRow(ctx, `SELECT `+opColumns+` FROM operations o JOIN orgs g ON g.id = o.lead_org_id WHERE o.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Operation{}, fmt.Errorf("operation %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Operation{}, fmt.Errorf("operation %d: %w", id, err)
	}
	ops := []Operation{op}
	if err := s.fillGroups(ctx, ops); err != nil {
		return Operation{}, err
	}
	return ops[0], nil
}

// fillGroups sets GroupIDs and InvitedIDs of ops.
func (s *Store) fillGroups(ctx context.Context, ops []Operation) error {
	rows, err := s.DB.Query(ctx, `SELECT operation_id, org_id, joined_at IS NOT NULL FROM operation_groups WHERE left_at IS NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("operation groups: %w", err)
	}
	defer rows.Close()
	index := map[int64]int{}
	for i, op := range ops {
		index[op.ID] = i
	}
	for rows.Next() {
		var opID, orgID int64
		var joined bool
		if err := rows.Scan(&opID, &orgID, &joined); err != nil {
			return fmt.Errorf("operation groups: %w", err)
		}
		i, ok := index[opID]
		if !ok {
			continue
		}
		if joined {
			ops[i].GroupIDs = append(ops[i].GroupIDs, orgID)
		} else {
			ops[i].InvitedIDs = append(ops[i].InvitedIDs, orgID)
		}
	}
	return rows.Err()
}

// All returns every operation, newest first.
func (s *Store) All(ctx context.Context) ([]Operation, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+opColumns+` FROM operations o JOIN orgs g ON g.id = o.lead_org_id ORDER BY o.starts_on DESC, o.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("operations: %w", err)
	}
	defer rows.Close()
	var ops []Operation
	for rows.Next() {
		op, err := scanOperation(rows)
		if err != nil {
			return nil, fmt.Errorf("operations: %w", err)
		}
		ops = append(ops, op)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("operations: %w", err)
	}
	return ops, s.fillGroups(ctx, ops)
}

// ListFor returns the operations that u may see, newest first. A city has
// few operations at a time, so the rule is applied in Go, the one place
// where it is written.
func (s *Store) ListFor(ctx context.Context, u *auth.User) ([]Operation, error) {
	all, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(op Operation) bool { return !CanSee(u, op) }), nil
}

// GetFor returns the operation when u may see it, and a not-found problem
// otherwise, so that nobody learns that an operation exists.
func (s *Store) GetFor(ctx context.Context, u *auth.User, id int64) (Operation, error) {
	op, err := s.Get(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !CanSee(u, op)) {
		return Operation{}, ErrNotFound
	}
	return op, err
}

// checkLead makes sure the lead organisation is a city administration.
func checkLead(ctx context.Context, tx *sql.Tx, orgID int64) error {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM orgs WHERE id = $1`, orgID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != string(auth.Administration)) {
		return errLeadInvalid
	}
	return err
}

// Create stores a new operation, with its first level as the start of its
// history.
func (s *Store) Create(ctx context.Context, by *auth.User, d Draft) (int64, error) {
	d.Name, d.Description = strings.TrimSpace(d.Name), strings.TrimSpace(d.Description)
	if err := d.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkLead(ctx, tx, d.LeadOrgID); err != nil {
			return err
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO operations (name, description, starts_on, ends_on, lead_org_id, level, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			d.Name, d.Description, d.StartsOn, d.EndsOn, d.LeadOrgID, int(d.Level), by.ID, now).Scan(&id); err != nil {
			return fmt.Errorf("create operation: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO operation_level_changes (operation_id, from_level, to_level, reason, changed_by, changed_by_name, changed_at)
			VALUES ($1, 0, $2, $3, $4, $5, $6)`, id, int(d.Level), "—", by.ID, by.Name, now)
		return err
	})
	return id, err
}

// Update changes an operation's name, description, period and lead. Its
// level changes only through ChangeLevel.
func (s *Store) Update(ctx context.Context, id int64, d Draft) error {
	d.Name, d.Description = strings.TrimSpace(d.Name), strings.TrimSpace(d.Description)
	d.Level = LevelSelfRun // not changed here; keeps Validate quiet
	if err := d.Validate(); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkLead(ctx, tx, d.LeadOrgID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE operations SET name = $1, description = $2, starts_on = $3, ends_on = $4, lead_org_id = $5 WHERE id = $6`,
			d.Name, d.Description, d.StartsOn, d.EndsOn, d.LeadOrgID, id)
		if err != nil {
			return fmt.Errorf("update operation %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// Invite invites a partner group to take part.
func (s *Store) Invite(ctx context.Context, by *auth.User, opID, orgID int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM orgs WHERE id = $1`, orgID).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != string(auth.PartnerGroup)) {
			return errGroupInvalid
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO operation_groups (operation_id, org_id, invited_by, invited_at) VALUES ($1, $2, $3, $4)`,
			opID, orgID, by.ID, s.now())
		if db.IsUniqueViolation(err) {
			return errAlreadyInvited
		}
		return err
	})
}

// Join accepts the open invitation of the group.
func (s *Store) Join(ctx context.Context, opID, orgID int64) error {
	res, err := s.DB.Exec(ctx, `UPDATE operation_groups SET joined_at = $1 WHERE operation_id = $2 AND org_id = $3 AND joined_at IS NULL AND left_at IS NULL`,
		s.now(), opID, orgID)
	if err != nil {
		return fmt.Errorf("join operation %d: %w", opID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoInvitation
	}
	return nil
}

// Leave ends the group's part in the operation (or declines its
// invitation). The row stays, as history.
func (s *Store) Leave(ctx context.Context, opID, orgID int64) error {
	res, err := s.DB.Exec(ctx, `UPDATE operation_groups SET left_at = $1 WHERE operation_id = $2 AND org_id = $3 AND left_at IS NULL`,
		s.now(), opID, orgID)
	if err != nil {
		return fmt.Errorf("leave operation %d: %w", opID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotTakingPart
	}
	return nil
}

// Participations lists every group's part in the operation, past ones too.
func (s *Store) Participations(ctx context.Context, opID int64) ([]Participation, error) {
	rows, err := s.DB.Query(ctx, `SELECT g.org_id, o.name, g.invited_at, g.joined_at, g.left_at
		FROM operation_groups g JOIN orgs o ON o.id = g.org_id WHERE g.operation_id = $1 ORDER BY o.name, g.id`, opID)
	if err != nil {
		return nil, fmt.Errorf("participations: %w", err)
	}
	defer rows.Close()
	var out []Participation
	for rows.Next() {
		var p Participation
		var joined, left sql.NullTime
		if err := rows.Scan(&p.OrgID, &p.OrgName, &p.InvitedAt, &joined, &left); err != nil {
			return nil, fmt.Errorf("participations: %w", err)
		}
		p.JoinedAt, p.LeftAt = joined.Time, left.Time
		out = append(out, p)
	}
	return out, rows.Err()
}

// History returns the operation's level changes, newest first.
func (s *Store) History(ctx context.Context, opID int64) ([]LevelChange, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, from_level, to_level, reason, COALESCE(changed_by, 0), changed_by_name, changed_at
		FROM operation_level_changes WHERE operation_id = $1 ORDER BY changed_at DESC, id DESC`, opID)
	if err != nil {
		return nil, fmt.Errorf("level history: %w", err)
	}
	defer rows.Close()
	var out []LevelChange
	for rows.Next() {
		var c LevelChange
		var from, to int
		if err := rows.Scan(&c.ID, &from, &to, &c.Reason, &c.ByID, &c.ByName, &c.At); err != nil {
			return nil, fmt.Errorf("level history: %w", err)
		}
		c.From, c.To = Level(from), Level(to)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Member is a person taking part in an operation, to be notified.
type Member struct {
	PersonID int64
	Name     string
	Email    string
	UILang   string
}

// Members lists the people of the operation: the coordinators of the lead
// administration and the group leads and volunteers of the groups taking
// part, each once.
func (s *Store) Members(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, opID int64) ([]Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT p.id, p.name, COALESCE(p.email, ''), p.ui_lang
		FROM people p JOIN memberships m ON m.person_id = p.id
		WHERE p.disabled_at IS NULL AND (
			(m.role = 'coordinator' AND m.org_id = (SELECT lead_org_id FROM operations WHERE id = $1))
			OR (m.role IN ('group_lead', 'volunteer') AND m.org_id IN (
				SELECT org_id FROM operation_groups WHERE operation_id = $1 AND joined_at IS NOT NULL AND left_at IS NULL)))
		ORDER BY p.id`, opID)
	if err != nil {
		return nil, fmt.Errorf("operation members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.PersonID, &m.Name, &m.Email, &m.UILang); err != nil {
			return nil, fmt.Errorf("operation members: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// LevelChangeRequest is a coordinator's decision to change the level.
type LevelChangeRequest struct {
	To     Level
	Reason string
}

// Validate checks a level change against the current level.
func (r LevelChangeRequest) Validate(current Level) error {
	var l problem.List
	switch {
	case !r.To.Valid():
		l = append(l, errLevelInvalid)
	case r.To == current:
		l = append(l, errLevelSame)
	}
	if strings.TrimSpace(r.Reason) == "" {
		l = append(l, errReasonRequired)
	}
	return l.Err()
}

// OnLevelChange is called inside the level change's transaction, so that
// the notifications are stored with the change or not at all.
type OnLevelChange func(ctx context.Context, tx *sql.Tx, op Operation, c LevelChange, members []Member) error

// ChangeLevel sets the operation's level and records who changed it, when
// and why. The caller has checked CanChangeLevel. notify, when not nil, runs
// in the same transaction.
func (s *Store) ChangeLevel(ctx context.Context, by *auth.User, opID int64, req LevelChangeRequest, notify OnLevelChange) (LevelChange, error) {
	req.Reason = strings.TrimSpace(req.Reason)
	var change LevelChange
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var cur int
		err := tx.QueryRowContext(ctx, `SELECT level FROM operations WHERE id = $1`, opID).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("change level: %w", err)
		}
		if err := req.Validate(Level(cur)); err != nil {
			return err
		}
		now := s.now()
		// The WHERE on the old level makes two coordinators changing the
		// level at once see a conflict instead of overwriting each other.
		res, err := tx.ExecContext(ctx, `UPDATE operations SET level = $1 WHERE id = $2 AND level = $3`, int(req.To), opID, cur)
		if err != nil {
			return fmt.Errorf("change level: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return problem.New(problem.Conflict, "operation.error.level_conflict")
		}
		change = LevelChange{From: Level(cur), To: req.To, Reason: req.Reason, ByID: by.ID, ByName: by.Name, At: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO operation_level_changes (operation_id, from_level, to_level, reason, changed_by, changed_by_name, changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, opID, cur, int(req.To), req.Reason, by.ID, by.Name, now).Scan(&change.ID); err != nil {
			return fmt.Errorf("change level: %w", err)
		}
		if notify == nil {
			return nil
		}
		op, err := scanOperation(tx.QueryRowContext(ctx, `SELECT `+opColumns+` FROM operations o JOIN orgs g ON g.id = o.lead_org_id WHERE o.id = $1`, opID))
		if err != nil {
			return fmt.Errorf("change level: %w", err)
		}
		members, err := s.Members(ctx, tx, opID)
		if err != nil {
			return err
		}
		return notify(ctx, tx, op, change, members)
	})
	return change, err
}
