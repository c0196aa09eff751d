package cocreation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/db"
	"megafon/platform/problem"
)

// The demo process writes its participants, sign-ups and notes in one
// transaction: one at a time through Join, SignUp and PostNote would be
// some four hundred commits. Each row is still checked by the rules those
// functions apply, at the moment the demo says it happened.

// demoJoin is a participant of the demo: joined at At, by link or, when
// Paper, entered by a facilitator.
type demoJoin struct {
	process.Joining
	Paper bool
	At    time.Time
}

// demoSignUp is participant (an index into the joins) signing up for a
// workshop at At; Attended when the facilitator ticked her in.
type demoSignUp struct {
	Workshop    workshop.Workshop
	Participant int
	At          time.Time
	Attended    bool
}

// demoPost is a note by participant (an index into the joins) to an open
// prompt, typed in by the facilitator when Paper, placed in a theme
// (0: none yet) and maybe marked.
type demoPost struct {
	WorkshopID, PromptID, ThemeID int64
	Participant                   int
	Paper                         bool
	Text, Mark, Nonce             string
	At                            time.Time
}

// demoProcessID is the demo process of an administration, if it was seeded.
func demoProcessID(ctx context.Context, s *workshop.Store, orgID int64, title string) (int64, bool, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM cc_processes WHERE org_id = $1 AND title = $2 ORDER BY id LIMIT 1`, orgID, title).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("demo process: %w", err)
	}
	return id, true, nil
}

// insertDemo writes the joins, sign-ups and posts of process p in one
// transaction and returns the participants' and notes' ids, in order.
// facilitatorID is who typed in what came on paper.
func insertDemo(ctx context.Context, s *workshop.Store, p process.Process, facilitatorID int64, joins []demoJoin, signUps []demoSignUp, posts []demoPost) ([]int64, []int64, error) {
	for i := range joins {
		j := &joins[i]
		if err := j.Clean(j.Paper); err != nil {
			return nil, nil, fmt.Errorf("demo participant %d (%s): %w", i, j.Name, err)
		}
		if !j.Paper {
			if j.At.After(p.JoinUntil) {
				return nil, nil, fmt.Errorf("demo participant %d: %w", i, problem.New(problem.Gone, "cc.error.link_expired"))
			}
			if err := process.Allowed(p.Phases, j.At, process.ActionJoin); err != nil {
				return nil, nil, fmt.Errorf("demo participant %d: %w", i, err)
			}
		}
	}
	taken := map[int64]int{}
	for i, u := range signUps {
		if u.Participant < 0 || u.Participant >= len(joins) || u.At.Before(joins[u.Participant].At) {
			return nil, nil, fmt.Errorf("demo sign-up %d: no such participant then", i)
		}
		if err := process.Allowed(p.Phases, u.At, process.ActionSignUp); err != nil {
			return nil, nil, fmt.Errorf("demo sign-up %d: %w", i, err)
		}
		if taken[u.Workshop.ID]++; u.Workshop.Capacity > 0 && taken[u.Workshop.ID] > u.Workshop.Capacity {
			return nil, nil, fmt.Errorf("demo sign-up %d: %w", i, problem.New(problem.Conflict, "cc.error.full"))
		}
	}
	for i := range posts {
		n := &posts[i]
		text, err := process.CleanNote(n.Text)
		if err != nil {
			return nil, nil, fmt.Errorf("demo note %d: %w", i, err)
		}
		n.Text = text
		if n.Mark != "" && n.Mark != "journey" && n.Mark != "proposal" {
			return nil, nil, fmt.Errorf("demo note %d: mark %q", i, n.Mark)
		}
		if n.Participant < 0 || n.Participant >= len(joins) || n.At.Before(joins[n.Participant].At) {
			return nil, nil, fmt.Errorf("demo note %d: no such participant then", i)
		}
		if !n.Paper {
			if err := process.Allowed(p.Phases, n.At, process.ActionPostNote); err != nil {
				return nil, nil, fmt.Errorf("demo note %d: %w", i, err)
			}
		}
	}
	pids := make([]int64, len(joins))
	nids := make([]int64, len(posts))
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// Open prompts and themes of the process, by the workshop they belong to.
		open, err := workshopOf(ctx, tx, `SELECT pr.id, pr.workshop_id FROM cc_prompts pr JOIN cc_workshops w ON w.id = pr.workshop_id
			WHERE w.process_id = $1 AND pr.is_open`, p.ID)
		if err != nil {
			return err
		}
		themes, err := workshopOf(ctx, tx, `SELECT t.id, t.workshop_id FROM cc_themes t JOIN cc_workshops w ON w.id = t.workshop_id
			WHERE w.process_id = $1`, p.ID)
		if err != nil {
			return err
		}
		for i, j := range joins {
			var token, code, by any
			if j.Paper {
				by = facilitatorID
			} else {
				token, code = process.Hash(process.RandomText(32)), s.CodeHash(process.ShortCode())
			}
			at := db.Now(j.At)
			name, services, err := s.SealJoining(j.Joining)
			if err != nil {
				return fmt.Errorf("demo participant %d: %w", i, err)
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO cc_participants (process_id, token_hash, code_hash, name, role, age_band, services, lang,
				consent_version, consented_at, from_paper, entered_by, created_at, sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $10, TRUE) RETURNING id`,
				p.ID, token, code, name, j.Role, j.AgeBand, services, j.Lang, process.ConsentVersion, at, j.Paper, by).Scan(&pids[i]); err != nil {
				return fmt.Errorf("demo participant %d: %w", i, err)
			}
		}
		for i, u := range signUps {
			if u.Workshop.ProcessID != p.ID {
				return fmt.Errorf("demo sign-up %d: workshop of another process", i)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO cc_signups (workshop_id, participant_id, signed_up_at, attended) VALUES ($1, $2, $3, $4)`,
				u.Workshop.ID, pids[u.Participant], db.Now(u.At), u.Attended); err != nil {
				return fmt.Errorf("demo sign-up %d: %w", i, err)
			}
		}
		for i, n := range posts {
			if open[n.PromptID] != n.WorkshopID {
				return fmt.Errorf("demo note %d: %w", i, problem.Field("prompt", "cc.error.prompt_closed"))
			}
			var by, theme any
			if n.Paper {
				by = facilitatorID
			}
			if n.ThemeID > 0 {
				if themes[n.ThemeID] != n.WorkshopID {
					return fmt.Errorf("demo note %d: %w", i, problem.Field("theme", "form.invalid_choice"))
				}
				theme = n.ThemeID
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO cc_notes (workshop_id, prompt_id, participant_id, entered_by, text, theme_id, mark, nonce, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
				n.WorkshopID, n.PromptID, pids[n.Participant], by, n.Text, theme, n.Mark, n.Nonce, db.Now(n.At)).Scan(&nids[i]); err != nil {
				return fmt.Errorf("demo note %d: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return pids, nids, nil
}

// workshopOf maps the ids a query returns to their workshops.
func workshopOf(ctx context.Context, tx *sql.Tx, query string, args ...any) (map[int64]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, w int64
		if err := rows.Scan(&id, &w); err != nil {
			return nil, err
		}
		out[id] = w
	}
	return out, rows.Err()
}
