package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"megafon/platform/db"
	"megafon/platform/problem"
)

var statusOf = map[problem.Kind]int{
	problem.Invalid:      http.StatusUnprocessableEntity,
	problem.BadRequest:   http.StatusBadRequest,
	problem.NotFound:     http.StatusNotFound,
	problem.Forbidden:    http.StatusForbidden,
	problem.Conflict:     http.StatusConflict,
	problem.TooMany:      http.StatusTooManyRequests,
	problem.Gone:         http.StatusGone,
	problem.TooLarge:     http.StatusRequestEntityTooLarge,
	problem.Unauthorized: http.StatusUnauthorized,
}

// Status is the HTTP status for err.
func Status(err error) int {
	if l, ok := problem.As(err); ok {
		return statusOf[l[0].Kind]
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, db.ErrNotFound):
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// problems turns err into messages safe to show: the problems it carries,
// or a generic message for its status.
func (a *App) problems(r *http.Request, err error, status int) []Message {
	if l, ok := problem.As(err); ok {
		out := make([]Message, len(l))
		for i, p := range l {
			args, named := p.Args, false
			for j, v := range args {
				if code, ok := v.(problem.Lang); ok {
					if !named {
						args, named = slices.Clone(p.Args), true
					}
					args[j] = a.LangName(Lang(r), string(code))
				}
			}
			out[i] = Message{Field: p.Field, Code: p.Key, Text: a.T(r, p.Key, args...)}
		}
		return out
	}
	key := "error.internal"
	switch status {
	case http.StatusNotFound:
		key = "error.not_found"
	case http.StatusRequestEntityTooLarge:
		key = "error.too_large"
	case http.StatusBadRequest:
		key = "error.bad_request"
	}
	return []Message{{Code: key, Text: a.T(r, key)}}
}

// Message is a translated problem, for a page or a JSON body.
type Message struct {
	Field string `json:"field,omitempty"`
	Code  string `json:"code"`
	Text  string `json:"message"`
}

// Fail is the one error path: it maps err to a status, logs what is
// internal, and answers with a page (or JSON) in the user's language.
// Users never see SQL, stack traces or internal messages.
func (a *App) Fail(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(err)
	if status >= 500 {
		a.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		a.Log.Debug("request refused", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	msgs := a.problems(r, err, status)
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"errors": msgs})
		return
	}
	a.Render(w, r, status, "platform/error", errorPage{Status: status, Messages: msgs})
}

type errorPage struct {
	Status   int
	Messages []Message
}

func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}
