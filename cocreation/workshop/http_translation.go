package workshop

import (
	"fmt"
	"net/http"

	"megafon/cocreation/process"
)

// workshopTexts are the workshop's texts to translate: its name and
// agenda, and its prompts.
func workshopTexts(ws Workshop, prompts []Prompt) []process.Translatable {
	out := []process.Translatable{{Ref: process.TextRef{Kind: "workshop", ID: ws.ID}, Sv: ws.Source(), Texts: ws.Texts}}
	for _, q := range prompts {
		out = append(out, process.Translatable{Ref: process.TextRef{Kind: "prompt", ID: q.ID}, Sv: q.Source(), Texts: q.Texts})
	}
	return out
}

func (m *Pages) workshopTextsFor(r *http.Request, ws Workshop) ([]process.Translatable, error) {
	prompts, err := m.store.Prompts(r.Context(), ws.ID)
	if err != nil {
		return nil, err
	}
	return workshopTexts(ws, prompts), nil
}

func (m *Pages) workshopTranslations(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	lang := r.URL.Query().Get("lang")
	if lang != "" && !process.IsTranslationLang(lang) {
		return process.ErrNotFound
	}
	texts, err := m.workshopTextsFor(r, ws)
	if err != nil {
		return err
	}
	page := process.NewTranslationsPage(fmt.Sprintf("/workshops/%d/translations", ws.ID), fmt.Sprintf("/workshops/%d", ws.ID), ws.In(process.Swedish).Title, texts, lang)
	m.app.Render(w, r, http.StatusOK, "cocreation/translations", page)
	return nil
}

func (m *Pages) translateWorkshop(w http.ResponseWriter, r *http.Request) error {
	ws, _, err := m.workshopFor(r)
	if err != nil {
		return err
	}
	texts, err := m.workshopTextsFor(r, ws)
	if err != nil {
		return err
	}
	page := func(lang string) process.TranslationsPage {
		now, nowTexts := ws, texts
		if x, err := m.store.Workshop(r.Context(), ws.ID); err == nil {
			if t, err := m.workshopTextsFor(r, x); err == nil {
				now, nowTexts = x, t
			}
		}
		return process.NewTranslationsPage(fmt.Sprintf("/workshops/%d/translations", ws.ID), fmt.Sprintf("/workshops/%d", ws.ID), now.In(process.Swedish).Title, nowTexts, lang)
	}
	return m.pages.SaveTranslations(w, r, page, texts, fmt.Sprintf("cc_workshop:%d", ws.ID))
}
