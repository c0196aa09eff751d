package cocreation

import (
	"fmt"
	"net/http"

	"megafon/cocreation/process"
)

// processTexts are the process's texts to translate: its name and purpose.
func processTexts(p process.Process) []process.Translatable {
	return []process.Translatable{{Ref: process.TextRef{Kind: "process", ID: p.ID}, Sv: p.Source(), Texts: p.Texts}}
}

func (m *Module) processTranslations(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	lang := r.URL.Query().Get("lang")
	if lang != "" && !process.IsTranslationLang(lang) {
		return process.ErrNotFound
	}
	page := process.NewTranslationsPage(fmt.Sprintf("/processes/%d/translations", p.ID), fmt.Sprintf("/processes/%d", p.ID), p.In(process.Swedish).Title, processTexts(p), lang)
	m.app.Render(w, r, http.StatusOK, "cocreation/translations", page)
	return nil
}

func (m *Module) translateProcess(w http.ResponseWriter, r *http.Request) error {
	p, err := m.pages.ProcessFor(r, true)
	if err != nil {
		return err
	}
	texts := processTexts(p)
	page := func(lang string) process.TranslationsPage {
		// Against the Swedish as it is now, which may have moved.
		if now, err := m.store.Process(r.Context(), p.ID); err == nil {
			p = now
		}
		return process.NewTranslationsPage(fmt.Sprintf("/processes/%d/translations", p.ID), fmt.Sprintf("/processes/%d", p.ID), p.In(process.Swedish).Title, processTexts(p), lang)
	}
	return m.pages.SaveTranslations(w, r, page, texts, fmt.Sprintf("cc_process:%d", p.ID))
}
