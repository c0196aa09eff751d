package cocreation

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"megafon/cocreation/internal/cctest"
	"megafon/cocreation/process"
	"megafon/platform/problem"
)

// The parsers of what people type never panic, and what they accept is
// what the rest of the module relies on.

func FuzzPhasesForm(f *testing.F) {
	// The form as the page sends it, with the empty row for a new phase.
	form := url.Values{}
	for i, p := range process.DefaultPhases(time.Date(2023, 1, 2, 0, 0, 0, 0, process.Stockholm)) {
		k := fmt.Sprint(i)
		form.Set("kind"+k, p.Kind)
		form.Set("starts"+k, p.StartsOn)
		form.Set("ends"+k, p.EndsOn)
	}
	form.Set("kind9", "custom")
	f.Add(form.Encode())
	f.Add("kind0=custom&name0=Uppf%C3%B6ljning&starts0=2024-01-01&ends0=2024-02-01&skip0=1")
	f.Add("kind0=workshops&starts0=2023-02-30&ends0=2023-03-01&kind01=party&kind-1=x&kind%2B1=y&kind99999999999999999999=z")
	f.Add("kind0=custom&name0=%00&starts0=2023-01-01&ends0=2022-01-01&kind1=")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return // the web layer answers 400 before the handler
		}
		phases := phasesFromForm(form)
		if err := process.CheckPhases(phases); err != nil {
			l, ok := problem.As(err)
			if !ok || len(l) == 0 {
				t.Fatalf("CheckPhases: %v is not a list of problems", err)
			}
			return
		}
		if len(phases) == 0 || len(phases) > process.MaxPhases {
			t.Fatalf("accepted %d phases", len(phases))
		}
		again := url.Values{}
		for i, p := range phases {
			cctest.CleanKept(t, "phase name", p.Name)
			if p.Kind != "custom" && !slices.Contains(process.PhaseKinds, p.Kind) {
				t.Fatalf("accepted the phase kind %q", p.Kind)
			}
			if p.Kind == "custom" && p.Name == "" {
				t.Fatal("accepted a custom phase without a name")
			}
			if !process.ValidDay(p.StartsOn) || !process.ValidDay(p.EndsOn) || p.EndsOn < p.StartsOn {
				t.Fatalf("accepted the days %q–%q", p.StartsOn, p.EndsOn)
			}
			k := fmt.Sprint(i)
			again.Set("kind"+k, p.Kind)
			again.Set("name"+k, p.Name)
			again.Set("starts"+k, p.StartsOn)
			again.Set("ends"+k, p.EndsOn)
			if p.Skipped {
				again.Set("skip"+k, "1")
			}
		}
		// The form shown again after saving saves the same phases.
		back := phasesFromForm(again)
		if err := process.CheckPhases(back); err != nil || fmt.Sprint(back) != fmt.Sprint(phases) {
			t.Fatalf("the phases %v come back from their form as %v, %v", phases, back, err)
		}
	})
}
