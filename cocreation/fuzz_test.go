package cocreation

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/problem"
)

// The parsers of what people type never panic, and what they accept is
// what the rest of the module relies on.

// cleanKept is what every cleaned text promises: valid UTF-8, no control
// characters but new lines and tabs, no space at either end.
func cleanKept(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q is not valid UTF-8", what, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			t.Fatalf("%s %q keeps the control character %U", what, s, r)
		}
	}
	if strings.TrimSpace(s) != s {
		t.Fatalf("%s %q is not trimmed", what, s)
	}
}

func FuzzCleanNote(f *testing.F) {
	for _, s := range []string{"", " ", "Bra bemötande", "\x00", "a\r\nb", "\xff\xfe", strings.Repeat("å", process.MaxNote), strings.Repeat("å", process.MaxNote+1),
		" \t\n ", "=HYPERLINK(\"x\")", "\u202eevil", "🙂🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := process.CleanNote(in)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Field != "text" || (pe.Key != "cc.error.note_empty" && pe.Key != "cc.error.note_long") {
				t.Fatalf("CleanNote(%q): %v is not a problem about the text", in, err)
			}
			return
		}
		cleanKept(t, "note", out)
		if n := utf8.RuneCountInString(out); n < 1 || n > process.MaxNote {
			t.Fatalf("CleanNote(%q) = %q: %d characters", in, out, n)
		}
		if again, err := process.CleanNote(out); err != nil || again != out {
			t.Fatalf("CleanNote is not stable: %q → %q → %q, %v", in, out, again, err)
		}
	})
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH", "abcd efgh", " abcd-efgh ", "0O1IL", "ÅÄÖ", "\x00", "ⅠⅡ", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := process.NormalizeCode(in)
		for _, r := range out {
			if !strings.ContainsRune(process.CodeAlphabet, r) {
				t.Fatalf("NormalizeCode(%q) = %q has %q", in, out, r)
			}
		}
		if process.NormalizeCode(out) != out {
			t.Fatalf("NormalizeCode is not stable: %q → %q → %q", in, out, process.NormalizeCode(out))
		}
		if utf8.RuneCountInString(out) > utf8.RuneCountInString(strings.ToUpper(in)) {
			t.Fatalf("NormalizeCode(%q) = %q is longer than what was typed", in, out)
		}
		// A code as it is handed out comes back as itself, however typed.
		if len(out) == 8 {
			typed := strings.ToLower(out[:4]) + " - " + out[4:]
			if process.NormalizeCode(typed) != out {
				t.Fatalf("NormalizeCode(%q) = %q, want %q", typed, process.NormalizeCode(typed), out)
			}
		}
	})
}

func FuzzWorkshopFormClean(f *testing.F) {
	f.Add("Första workshopen", "2023-03-15", "17:00", "19:00", "Medborgarhuset", "", "3")
	f.Add("", "2023-02-30", "25:00", "19:00", "", "javascript:alert(1)", "-1")
	f.Add("Video", "2023-03-26", "01:30", "03:30", "", "https://meet.example/x", "")
	f.Add("\x00", "2023-10-29", "02:30", "02:45", "\xff", "http://", "1e9")
	f.Fuzz(func(t *testing.T, title, date, start, end, place, video, capacity string) {
		form := workshop.WorkshopForm{Title: title, Date: date, Start: start, End: end, Place: place, VideoURL: video, Capacity: capacity,
			Agenda: title + place, Facilitators: place, Interpreters: title, Accessibility: video}
		w, err := form.Clean()
		if err != nil {
			l, ok := problem.As(err)
			if !ok || len(l) == 0 {
				t.Fatalf("Clean(%+v): %v is not a list of problems", form, err)
			}
			for _, p := range l {
				if p.Field == "" || p.Key == "" {
					t.Fatalf("Clean(%+v): a problem without its field: %+v", form, p)
				}
			}
			return
		}
		for what, s := range map[string]string{"title": w.Title, "place": w.Place, "video": w.VideoURL, "agenda": w.Agenda,
			"facilitators": w.Facilitators, "interpreters": w.Interpreters, "accessibility": w.Accessibility} {
			cleanKept(t, what, s)
		}
		if w.Title == "" || utf8.RuneCountInString(w.Title) > process.MaxTitle {
			t.Fatalf("Clean(%+v) accepted the title %q", form, w.Title)
		}
		if !w.EndsAt.After(w.StartsAt) {
			t.Fatalf("Clean(%+v) accepted a workshop that ends %v, before it starts %v", form, w.EndsAt, w.StartsAt)
		}
		if w.Place == "" && w.VideoURL == "" {
			t.Fatalf("Clean(%+v) accepted a workshop nowhere", form)
		}
		if w.VideoURL != "" && !strings.HasPrefix(w.VideoURL, "https://") && !strings.HasPrefix(w.VideoURL, "http://") {
			t.Fatalf("Clean(%+v) accepted the link %q", form, w.VideoURL)
		}
		if w.Capacity < 0 || w.Capacity > 10000 {
			t.Fatalf("Clean(%+v) accepted %d places", form, w.Capacity)
		}
		// The edit form shows what was saved, and saving it again changes nothing.
		again, err := w.Form().Clean()
		if err != nil || again.Title != w.Title || !again.StartsAt.Equal(w.StartsAt) || !again.EndsAt.Equal(w.EndsAt) || again.Capacity != w.Capacity {
			t.Fatalf("the edit form of %+v saves as %+v, %v", w, again, err)
		}
	})
}

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
			cleanKept(t, "phase name", p.Name)
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
