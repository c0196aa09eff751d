package workshop_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"megafon/cocreation/internal/cctest"
	"megafon/cocreation/process"
	"megafon/cocreation/workshop"
	"megafon/platform/problem"
)

// A workshop form, whatever is typed into it, is a workshop or a list of
// problems, never a panic.
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
			cctest.CleanKept(t, what, s)
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
