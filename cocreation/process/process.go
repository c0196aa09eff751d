// Package process is the core of co-creation that every other part of it
// builds on: a goal-setting process and its phases with the rules of what
// may be done in each, its participants (who they are, how they join and
// come back, their consent and its withdrawal), the limits on anonymous
// joining and writing, invitations, and the translation of a process's
// material. It owns the migration set "cocreation": the tables of
// co-creation I, applied in one order since before the parts were split;
// parts added later bring their own sets for their own tables.
package process

import (
	"embed"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/web"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations are the co-creation tables of processes, participants,
// workshops, notes and translations, named "cocreation" as they were
// before the split so that databases migrated then go on from where they
// are. They refer to the platform's tables.
var Migrations = db.Migrations{Name: "cocreation", FS: web.Sub(migrationFiles, "migrations")}

// ErrNotFound is what a person is told of an object that does not exist
// or is not hers to see.
var ErrNotFound = problem.New(problem.NotFound, "error.not_found")

// Access of the routes: the coarse gate; handlers check the process's
// administration. Board members read processes and overviews; only
// facilitators and administrators see participants and change anything.
var (
	Readers      = web.Roles(auth.Admin, auth.Facilitator, auth.BoardMember)
	Facilitators = web.Roles(auth.Admin, auth.Facilitator)
)

// CanFacilitate: administrators, and facilitators of the process's
// administration.
func CanFacilitate(u *auth.User, p Process) bool {
	return u != nil && (u.IsAdmin() || u.HasIn(p.OrgID, auth.Facilitator))
}

// CanRead adds the administration's board members, who follow a process
// in counts.
func CanRead(u *auth.User, p Process) bool {
	return CanFacilitate(u, p) || (u != nil && u.HasIn(p.OrgID, auth.BoardMember))
}
