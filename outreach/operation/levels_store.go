package operation

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"megafon/platform/auth"
)

// LevelTextFields are the texts of a level that a city may reword.
var LevelTextFields = []string{"city_does", "groups_do", "for_coordinator", "for_group_lead", "for_volunteer"}

// CityLevels are the city's support levels: the numbers, and the texts it
// reworded per field and interface language (the catalogue's text is used
// where it did not).
type CityLevels struct {
	Specs []LevelSpec
	Texts map[Level]map[string]map[string]string // level -> field -> lang -> text
}

// Text returns the city's wording of field of level l in lang, or "".
func (c CityLevels) Text(l Level, field, lang string) string {
	return c.Texts[l][field][lang]
}

// TextKey returns the catalogue key of field of a level spec.
func TextKey(s LevelSpec, field string) string {
	switch field {
	case "city_does":
		return s.CityDoes
	case "groups_do":
		return s.GroupsDo
	}
	k, _ := s.MeaningFor.For(strings.TrimPrefix(field, "for_"))
	return k
}

// Levels returns the city's support levels: DefaultLevels with the
// numbers and texts the city's administrator saved.
func (s *Store) Levels(ctx context.Context) (CityLevels, error) {
	c := CityLevels{Specs: DefaultLevels(), Texts: map[Level]map[string]map[string]string{}}
	rows, err := s.DB.Query(ctx, `SELECT level, answer_in_minutes, reporting FROM support_levels`)
	if err != nil {
		return c, fmt.Errorf("support levels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var level, minutes int
		var rhythm string
		if err := rows.Scan(&level, &minutes, &rhythm); err != nil {
			return c, fmt.Errorf("support levels: %w", err)
		}
		if level >= 1 && level <= len(c.Specs) {
			c.Specs[level-1].AnswerIn = time.Duration(minutes) * time.Minute
			c.Specs[level-1].Reporting = Rhythm(rhythm)
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	trows, err := s.DB.Query(ctx, `SELECT level, field, lang, text FROM support_level_texts`)
	if err != nil {
		return c, fmt.Errorf("support level texts: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var level int
		var field, lang, text string
		if err := trows.Scan(&level, &field, &lang, &text); err != nil {
			return c, fmt.Errorf("support level texts: %w", err)
		}
		l := Level(level)
		if c.Texts[l] == nil {
			c.Texts[l] = map[string]map[string]string{}
		}
		if c.Texts[l][field] == nil {
			c.Texts[l][field] = map[string]string{}
		}
		c.Texts[l][field][lang] = text
	}
	return c, trows.Err()
}

// SaveLevels stores the city's numbers and texts for the four levels, all
// or nothing. An empty text means "use the catalogue's".
func (s *Store) SaveLevels(ctx context.Context, by *auth.User, c CityLevels) error {
	if err := ValidateLevels(c.Specs); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, spec := range c.Specs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM support_levels WHERE level = $1`, int(spec.Level)); err != nil {
				return fmt.Errorf("save levels: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO support_levels (level, answer_in_minutes, reporting, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)`,
				int(spec.Level), int(spec.AnswerIn/time.Minute), string(spec.Reporting), by.ID, now); err != nil {
				return fmt.Errorf("save levels: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM support_level_texts`); err != nil {
			return fmt.Errorf("save level texts: %w", err)
		}
		for l, fields := range c.Texts {
			for field, langs := range fields {
				for lang, text := range langs {
					if text = strings.TrimSpace(text); text == "" {
						continue
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO support_level_texts (level, field, lang, text) VALUES ($1, $2, $3, $4)`,
						int(l), field, lang, text); err != nil {
						return fmt.Errorf("save level texts: %w", err)
					}
				}
			}
		}
		return nil
	})
}
