// Package problem is how a domain says no: an error with a kind (which
// becomes the HTTP status), a translation key for a message that is safe
// to show, and optionally the form field it is about. Handlers never show
// other errors to users; the web layer logs them and shows a generic page.
package problem

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what sort of no it is.
type Kind int

const (
	Invalid      Kind = iota // the input is wrong: 422 on forms, 400 on requests
	BadRequest               // the request itself is malformed: 400
	NotFound                 // 404; also used where saying "forbidden" would reveal that a thing exists
	Forbidden                // 403
	Conflict                 // 409: the state changed under you, or a duplicate
	TooMany                  // 429: throttled
	Gone                     // 410: expired or used up
	TooLarge                 // 413
	Unauthorized             // 401: sign in first
)

// Lang is a content language's code as a message's argument: it is shown
// as the language's name in the reader's language ("ar" → "arabiska",
// "العربية"), never as the code.
type Lang string

// Error is a problem to show to the user.
type Error struct {
	Kind  Kind
	Key   string // translation key of the message
	Args  []any  // name, value pairs for the message
	Field string // form field, when the problem is about one
	Err   error  // the cause, for the log; never shown
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Key)
	if e.Field != "" {
		fmt.Fprintf(&b, " (field %s)", e.Field)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns a problem of kind with the message key and its arguments.
func New(kind Kind, key string, args ...any) *Error {
	return &Error{Kind: kind, Key: key, Args: args}
}

// Field returns an Invalid problem about one form field.
func Field(field, key string, args ...any) *Error {
	return &Error{Kind: Invalid, Key: key, Args: args, Field: field}
}

// Because records the cause of the problem, for the log.
func (e *Error) Because(err error) *Error { e.Err = err; return e }

// List gathers the problems of a form, so that all are shown at once.
type List []*Error

// Add appends a problem about field.
func (l *List) Add(field, key string, args ...any) { *l = append(*l, Field(field, key, args...)) }

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// As finds the problems in err: a List, or a single Error.
func As(err error) (List, bool) {
	var l List
	if errors.As(err, &l) {
		return l, true
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}, true
	}
	return nil, false
}
