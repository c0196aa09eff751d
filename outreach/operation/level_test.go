package operation

import (
	"errors"
	"testing"
	"time"
)

func TestDefaultLevelsAreTheFourOfTheProduct(t *testing.T) {
	t.Parallel()
	specs := DefaultLevels()
	if err := ValidateLevels(specs); err != nil {
		t.Fatalf("default levels are invalid: %v", err)
	}
	want := []struct {
		key      string
		answerIn time.Duration
		rhythm   Rhythm
	}{
		{"self_run", 72 * time.Hour, RhythmNone},
		{"supported", 24 * time.Hour, RhythmWeekly},
		{"joint", 4 * time.Hour, RhythmDaily},
		{"crisis", time.Hour, RhythmContinuous},
	}
	for i, w := range want {
		s := specs[i]
		if s.Level != Level(i+1) || s.Key != w.key || s.AnswerIn != w.answerIn || s.Reporting != w.rhythm {
			t.Errorf("level %d = %+v, want %+v", i+1, s, w)
		}
		if s.CityDoes != "operation.level."+w.key+".city_does" {
			t.Errorf("level %d city key = %q", i+1, s.CityDoes)
		}
		for _, role := range []string{"coordinator", "group_lead", "volunteer"} {
			if k, ok := s.MeaningFor.For(role); !ok || k != "operation.level."+w.key+".for_"+role {
				t.Errorf("level %d meaning for %s = %q, %v", i+1, role, k, ok)
			}
		}
	}
	if _, ok := specs[0].MeaningFor.For("board_member"); ok {
		t.Error("a board member has no meaning text")
	}
}

func TestDefaultLevelsReturnsACopyEachTime(t *testing.T) {
	t.Parallel()
	a := DefaultLevels()
	a[0].AnswerIn = time.Minute
	if b := DefaultLevels(); b[0].AnswerIn != 72*time.Hour {
		t.Fatal("changing one result changed the defaults")
	}
}

func TestAnEscalationAtLevelTwoIsDueADayLater(t *testing.T) {
	t.Parallel()
	s, ok := SpecFor(DefaultLevels(), LevelSupported)
	if !ok {
		t.Fatal("no level 2")
	}
	raised := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	if got, want := s.Deadline(raised), raised.Add(24*time.Hour); !got.Equal(want) {
		t.Fatalf("deadline = %v, want %v", got, want)
	}
	if _, ok := SpecFor(DefaultLevels(), 5); ok {
		t.Fatal("found a level 5")
	}
}

func TestLevelNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n     int
		valid bool
		key   string
		str   string
	}{
		{0, false, "", "level 0 (invalid)"},
		{1, true, "self_run", "level 1 (self_run)"},
		{2, true, "supported", "level 2 (supported)"},
		{3, true, "joint", "level 3 (joint)"},
		{4, true, "crisis", "level 4 (crisis)"},
		{5, false, "", "level 5 (invalid)"},
		{-1, false, "", "level -1 (invalid)"},
	}
	for _, tt := range tests {
		l, ok := ParseLevel(tt.n)
		if ok != tt.valid || l.Key() != tt.key || l.String() != tt.str {
			t.Errorf("ParseLevel(%d) = %v (%q, %q), want %v (%q, %q)", tt.n, ok, l.Key(), l.String(), tt.valid, tt.key, tt.str)
		}
	}
}

func TestValidateLevels(t *testing.T) {
	t.Parallel()
	edit := func(f func([]LevelSpec) []LevelSpec) []LevelSpec { return f(DefaultLevels()) }
	tests := []struct {
		name  string
		specs []LevelSpec
		want  []LevelProblem // nil: valid
	}{
		{"the defaults", DefaultLevels(), nil},
		{"a city answers faster at every level", edit(func(s []LevelSpec) []LevelSpec {
			s[0].AnswerIn, s[1].AnswerIn, s[2].AnswerIn, s[3].AnswerIn = 48*time.Hour, 8*time.Hour, 2*time.Hour, 30*time.Minute
			return s
		}), nil},
		{"no levels", nil, []LevelProblem{{0, "level", "operation.level.error.count"}}},
		{"three levels", DefaultLevels()[:3], []LevelProblem{{0, "level", "operation.level.error.count"}}},
		{"five levels", append(DefaultLevels(), DefaultLevels()[3]), []LevelProblem{{0, "level", "operation.level.error.count"}}},
		{"a zero deadline", edit(func(s []LevelSpec) []LevelSpec { s[3].AnswerIn = 0; return s }),
			[]LevelProblem{{4, "answer_in", "operation.level.error.positive"}}},
		{"a negative deadline", edit(func(s []LevelSpec) []LevelSpec { s[0].AnswerIn = -time.Hour; return s }),
			[]LevelProblem{{1, "answer_in", "operation.level.error.positive"}}},
		{"joint slower than supported", edit(func(s []LevelSpec) []LevelSpec { s[2].AnswerIn = 48 * time.Hour; return s }),
			[]LevelProblem{{3, "answer_in", "operation.level.error.decreasing"}}},
		{"crisis slower than joint", edit(func(s []LevelSpec) []LevelSpec { s[3].AnswerIn = 5 * time.Hour; return s }),
			[]LevelProblem{{4, "answer_in", "operation.level.error.decreasing"}}},
		{"two levels with the same deadline", edit(func(s []LevelSpec) []LevelSpec { s[1].AnswerIn = 72 * time.Hour; return s }),
			[]LevelProblem{{2, "answer_in", "operation.level.error.decreasing"}}},
		{"levels out of order", edit(func(s []LevelSpec) []LevelSpec { s[0].Level, s[1].Level = 2, 1; return s }),
			[]LevelProblem{{1, "level", "operation.level.error.order"}, {2, "level", "operation.level.error.order"}}},
		{"an unknown rhythm", edit(func(s []LevelSpec) []LevelSpec { s[1].Reporting = "hourly"; return s }),
			[]LevelProblem{{2, "reporting", "operation.level.error.unknown_rhythm"}}},
		{"a missing key and a duplicate key", edit(func(s []LevelSpec) []LevelSpec { s[0].Key = ""; s[3].Key = "joint"; return s }),
			[]LevelProblem{{1, "key", "operation.level.error.required"}, {4, "key", "operation.level.error.duplicate"}}},
		{"missing texts", edit(func(s []LevelSpec) []LevelSpec {
			s[2].CityDoes, s[2].GroupsDo, s[2].MeaningFor.Volunteer = "", "", ""
			return s
		}), []LevelProblem{
			{3, "city_does", "operation.level.error.required"},
			{3, "groups_do", "operation.level.error.required"},
			{3, "meaning_for", "operation.level.error.required"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateLevels(tt.specs)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("ValidateLevels = %v, want nil", err)
				}
				return
			}
			var got LevelProblems
			if !errors.As(err, &got) {
				t.Fatalf("ValidateLevels = %v, want LevelProblems", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("problem %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
