package web

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"megafon/platform/i18n"
	"megafon/platform/problem"
)

func (a *App) mountPlatformRoutes() {
	// The platform's own files only, never a listing of the folder.
	a.ServeAssets("/assets/", Sub(assetFiles, "assets"))
	a.Handle("GET /healthz", Public, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
		return nil
	})
	a.Handle("GET /readyz", Public, func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		checks := append([]func(context.Context) error{a.DB.Ping}, a.readiness...)
		for _, check := range checks {
			if err := check(ctx); err != nil {
				a.Log.Warn("not ready", "err", err)
				w.WriteHeader(http.StatusServiceUnavailable)
				w.Write([]byte("not ready\n"))
				return nil
			}
		}
		w.Write([]byte("ready\n"))
		return nil
	})
	metrics := promhttp.HandlerFor(a.Metrics, promhttp.HandlerOpts{})
	a.Handle("GET /metrics", Public, func(w http.ResponseWriter, r *http.Request) error {
		metrics.ServeHTTP(w, r)
		return nil
	})
	a.Handle("POST /lang", Public, a.switchLanguage)
	// Any path no route claims gets the product's 404 page in the
	// person's language, not the mux's plain "404 page not found". It is
	// no route of its own (not in Routes): it only ever says no.
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		a.Fail(w, r, problem.New(problem.NotFound, "error.not_found"))
	})
}

// switchLanguage changes the interface language and remembers it: in a
// cookie, and for a signed-in person in her profile.
func (a *App) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PostFormValue("lang")
	if !i18n.IsUILang(lang) {
		return problem.New(problem.BadRequest, "error.unknown_language", "Lang", lang)
	}
	a.SetLangCookie(w, lang)
	if u := User(r); u != nil {
		if err := a.Auth.SetUILang(r.Context(), u.ID, lang); err != nil {
			return err
		}
	}
	return Redirect(w, r, LocalPath(r.PostFormValue("next")))
}
