package campaign

import (
	"slices"
	"testing"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/problem"
)

var testCampaign = Campaign{Questions: []Question{{Kind: YesNo, Text: "Vaccinated?"}, {Kind: Choice, Text: "Where?", Choices: []string{"radio", "friends"}}, {Kind: Short, Text: "Anything else?"}}}

func TestReportValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
	later, past, far := now.Add(time.Hour), now.Add(-time.Hour), now.AddDate(0, 3, 0)
	tests := []struct {
		name   string
		r      Report
		fields []string // fields with a problem; none for a good report
	}{
		{"completed with answers", Report{Key: "k", Outcome: Completed, Answers: Answers{0: "yes", 1: "radio", 2: "no"}}, nil},
		{"no outcome", Report{Key: "k"}, []string{"outcome"}},
		{"unknown outcome", Report{Key: "k", Outcome: "hung_up"}, []string{"outcome"}},
		{"callback later", Report{Key: "k", Outcome: Callback, CallbackAt: &later}, nil},
		{"callback without a time", Report{Key: "k", Outcome: Callback}, []string{"callback_at"}},
		{"callback in the past", Report{Key: "k", Outcome: Callback, CallbackAt: &past}, []string{"callback_at"}},
		{"callback in three months", Report{Key: "k", Outcome: Callback, CallbackAt: &far}, []string{"callback_at"}},
		{"other language", Report{Key: "k", Outcome: OtherLanguage, OtherLanguage: "so"}, nil},
		{"other language missing", Report{Key: "k", Outcome: OtherLanguage}, []string{"other_language"}},
		{"yes/no answer not offered", Report{Key: "k", Outcome: Completed, Answers: Answers{0: "maybe"}}, []string{"a0"}},
		{"choice not offered", Report{Key: "k", Outcome: Completed, Answers: Answers{1: "tv"}}, []string{"a1"}},
		{"answer to no question is dropped", Report{Key: "k", Outcome: Completed, Answers: Answers{7: "yes"}}, nil},
		{"unknown topic", Report{Key: "k", Outcome: Completed, AskedTopics: []string{"weather"}}, []string{"asked_topics"}},
		{"escalation needs the question", Report{Key: "k", Outcome: Completed, Escalate: true}, []string{"asked_text"}},
		{"escalated question", Report{Key: "k", Outcome: Completed, Escalate: true, AskedText: "Which vaccine?", AskedTopics: []string{"vaccination"}}, nil},
		{"no key", Report{Outcome: Completed}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.r
			err := r.Validate(testCampaign, now)
			var got []string
			if l, ok := problem.As(err); ok {
				for _, p := range l {
					got = append(got, p.Field)
				}
			} else if err != nil {
				t.Fatalf("not a problem: %v", err)
			}
			if !slices.Equal(got, tt.fields) {
				t.Fatalf("problems at %v, want %v (%v)", got, tt.fields, err)
			}
		})
	}
}

func TestDraftClean(t *testing.T) {
	t.Parallel()
	op := testOperation()
	good := Draft{Name: " Vaccination ", Goal: 10, StartsOn: "2021-03-01", EndsOn: "2021-04-01", Languages: []string{"ar", "SO", "ar"},
		Rules: DefaultRetryRules(), LeaseMinutes: 15, GroupIDs: []int64{4}}
	if err := good.Clean(op); err != nil || good.Name != "Vaccination" || !slices.Equal(good.Languages, []string{"ar", "so"}) {
		t.Fatalf("good draft: %v %+v", err, good)
	}
	tooMany := good
	tooMany.Questions = make([]Question, MaxQuestions+1)
	for i := range tooMany.Questions {
		tooMany.Questions[i] = Question{Kind: YesNo, Text: "Q?"}
	}
	bad := Draft{Goal: 0, StartsOn: "1 March", EndsOn: "2021-04-01", Languages: []string{"not a language!"}, LeaseMinutes: 500,
		Rules: RetryRules{Declined: {MaxAttempts: 3}}, GroupIDs: []int64{99}, Questions: []Question{{Kind: "essay", Text: "x"}, {Kind: Choice, Text: "y", Choices: []string{"one"}}}}
	tests := []struct {
		name string
		d    Draft
		want []string
	}{
		{"too many questions", tooMany, []string{"questions"}},
		{"everything wrong", bad, []string{"name", "goal", "starts_on", "languages", "q0_kind", "q1_choices", "rules", "lease_minutes", "groups"}},
	}
	for _, tt := range tests {
		err := tt.d.Clean(op)
		l, _ := problem.As(err)
		var got []string
		for _, p := range l {
			got = append(got, p.Field)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCallLanguageAndReach(t *testing.T) {
	t.Parallel()
	if got := CallLanguage([]string{"so", "sv"}, []string{"ar", "sv"}); got != "sv" {
		t.Errorf("CallLanguage = %s", got)
	}
	if got := CallLanguage([]string{"ti"}, []string{"ar"}); got != "ti" {
		t.Errorf("CallLanguage without a shared language = %s", got)
	}
	c := Campaign{GroupIDs: []int64{4}, Languages: []string{"ar"}, Districts: []string{"Dalhem"}}
	for _, tt := range []struct {
		ct   Contact
		want bool
	}{
		{Contact{OrgID: 4, Languages: []string{"ar"}, District: "Dalhem"}, true},
		{Contact{OrgID: 5, Languages: []string{"ar"}, District: "Dalhem"}, false},
		{Contact{OrgID: 4, Languages: []string{"so"}, District: "Dalhem"}, false},
		{Contact{OrgID: 4, Languages: []string{"ar"}, District: "Närlunda"}, false},
		{Contact{OrgID: 4, District: "Dalhem"}, false},
	} {
		if got := Reaches(c, tt.ct); got != tt.want {
			t.Errorf("Reaches(%+v) = %v", tt.ct, got)
		}
	}
}

// FuzzReport: whatever a phone posts, validating never panics, and what it
// accepts is a valid outcome with answers the questions offer.
func FuzzReport(f *testing.F) {
	f.Add("completed", "yes", "radio", "text", "vaccination", "so", "2021-03-01T12:00", true)
	f.Add("callback", "", "", "", "", "", "2021-03-01T09:00", false)
	f.Add("other_language", "maybe", "tv", "x", "weather", "!!", "bad", true)
	now := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, outcome, a0, a1, a2, topic, lang, callback string, escalate bool) {
		r := Report{Key: "k", Outcome: Outcome(outcome), Answers: Answers{0: a0, 1: a1, 2: a2}, AskedTopics: []string{topic},
			OtherLanguage: lang, Escalate: escalate, AskedText: a2}
		if cb, err := time.Parse("2006-01-02T15:04", callback); err == nil {
			r.CallbackAt = &cb
		}
		if err := r.Validate(testCampaign, now); err != nil {
			return
		}
		if !r.Outcome.Valid() {
			t.Fatalf("accepted outcome %q", r.Outcome)
		}
		for i, a := range r.Answers {
			if _, ok := ParseAnswer(testCampaign.Questions[i], a); !ok || a == "" {
				t.Fatalf("accepted answer %d %q", i, a)
			}
		}
	})
}

func testOperation() operation.Operation {
	return operation.Operation{ID: 1, LeadOrgID: 1, GroupIDs: []int64{4, 5}}
}
