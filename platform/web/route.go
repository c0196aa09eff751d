package web

import (
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"megafon/platform/auth"
	"megafon/platform/input"
	"megafon/platform/problem"
)

// Handler handles a request and returns an error for the one error path.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Access is who may use a route at all. Finer rules (this operation, that
// group) are checked by the handler against the data.
type Access struct {
	Name  string
	allow func(u *auth.User) bool
}

var (
	// Public routes are open to everyone, signed in or not.
	Public = Access{Name: "public"}
	// SignedIn routes need a session of any role.
	SignedIn = Access{Name: "signed-in", allow: func(u *auth.User) bool { return u != nil }}
)

// Roles allows the signed-in holders of any of roles.
func Roles(roles ...auth.Role) Access {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return Access{Name: strings.Join(names, "|"), allow: func(u *auth.User) bool { return u.Has(roles...) }}
}

// Allows reports whether u may use a route with this access.
func (ac Access) Allows(u *auth.User) bool { return ac.allow == nil || ac.allow(u) }

// RouteInfo describes a registered route.
type RouteInfo struct {
	Pattern string
	Access  Access
}

// RouteOption changes how a route treats requests.
type RouteOption func(*routeOptions)

type routeOptions struct {
	maxBody   int64
	noCSRF    bool
	maxRunes  int
	cacheable bool
}

// MaxBody sets the largest request body the route takes (uploads).
func MaxBody(n int64) RouteOption { return func(o *routeOptions) { o.maxBody = n } }

// LongText raises the length limit of each form value of the route from
// input.DefaultMaxRunes to n characters.
func LongText(n int) RouteOption { return func(o *routeOptions) { o.maxRunes = n } }

// Cacheable lets browsers keep the route's answers (assets). Every other
// answer is sent with "Cache-Control: no-store": volunteers share phones,
// and a page with a resident's number must not stay in the browser.
func Cacheable() RouteOption { return func(o *routeOptions) { o.cacheable = true } }

// NoCSRF is for routes that other machines call (telephony webhooks,
// which prove themselves with a secret or a signature instead).
func NoCSRF() RouteOption { return func(o *routeOptions) { o.noCSRF = true } }

var (
	errCSRF        = problem.New(problem.Forbidden, "error.csrf")
	errCrossOrigin = problem.New(problem.Forbidden, "error.cross_origin")
	errForbidden   = problem.New(problem.Forbidden, "error.forbidden")
)

// Handle registers h at pattern (net/http's syntax: "GET /operations/{id}")
// for those whom access allows.
func (a *App) Handle(pattern string, access Access, h Handler, opts ...RouteOption) {
	o := routeOptions{maxBody: a.Config.MaxBodyBytes}
	for _, opt := range opts {
		opt(&o)
	}
	a.routes = append(a.routes, RouteInfo{Pattern: pattern, Access: access})
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, o.maxBody)
		if !o.cacheable {
			w.Header().Set("Cache-Control", "no-store")
		}
		u := User(r)
		if !access.Allows(u) {
			if u == nil {
				a.askToSignIn(w, r)
				return
			}
			a.Fail(w, r, errForbidden)
			return
		}
		// An upload over the memory limit is spooled to a temporary file,
		// in the clear: it goes when the request does, whatever happens.
		// (net/http would remove it only for the request it was given, not
		// for the copies the middleware makes.)
		defer func() {
			if r.MultipartForm != nil {
				r.MultipartForm.RemoveAll()
			}
		}()
		if err := parseForm(r); err != nil {
			a.Fail(w, r, err)
			return
		}
		if err := filterInput(r, o.maxRunes); err != nil {
			a.Fail(w, r, err)
			return
		}
		if !o.noCSRF && !safeMethod(r.Method) && !a.validCSRF(r) {
			a.Fail(w, r, errCSRF)
			return
		}
		if err := h(w, r); err != nil {
			a.Fail(w, r, err)
		}
	})
}

// parseForm reads the request's form (on GET only its query) up front, so
// that a body over the limit is answered with 413 rather than looking like
// a missing token, and so that every value passes filterInput.
func parseForm(r *http.Request) error {
	var err error
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case safeMethod(r.Method):
		err = r.ParseForm()
	case mediaType == "multipart/form-data": // ParseMediaType lowers the case
		err = r.ParseMultipartForm(8 << 20)
	default:
		err = r.ParseForm()
		// Nothing parses the body later behind the filter's back (a
		// handler's FormFile would read an upload nobody checked).
		r.MultipartForm = &multipart.Form{Value: map[string][]string{}, File: map[string][]*multipart.FileHeader{}}
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge):
		return problem.New(problem.TooLarge, "error.too_large").Because(err)
	}
	return problem.New(problem.BadRequest, "error.bad_request").Because(err)
}

// filterInput passes every value, field name and uploaded file's name of
// the request through the one input filter before a handler sees them,
// and keeps the normalised values (line breaks as "\n", no bidirectional
// controls). A value it refuses answers 422 with a message, on either
// database, before anything is read or written.
func filterInput(r *http.Request, maxRunes int) error {
	if _, err := input.Line(r.URL.Path, 2048); err != nil {
		return problem.New(problem.BadRequest, "error.bad_request").Because(err)
	}
	for _, values := range []url.Values{r.Form, r.PostForm} {
		for name, vs := range values {
			if err := input.Name(name); err != nil {
				return inputProblem("", err, maxRunes)
			}
			for i, v := range vs {
				clean, err := input.Text(v, maxRunes)
				if err != nil {
					return inputProblem(name, err, maxRunes)
				}
				vs[i] = clean
			}
		}
	}
	if r.MultipartForm != nil {
		for name, files := range r.MultipartForm.File {
			if err := input.Name(name); err != nil {
				return inputProblem("", err, maxRunes)
			}
			for _, f := range files {
				clean, err := input.Line(f.Filename, 255)
				if err != nil {
					return inputProblem(name, err, 255)
				}
				f.Filename = clean
			}
		}
	}
	return nil
}

func inputProblem(field string, err error, maxRunes int) error {
	if maxRunes <= 0 {
		maxRunes = input.DefaultMaxRunes
	}
	key := "error.input.control"
	switch {
	case errors.Is(err, input.ErrTooLong):
		return problem.Field(field, "error.input.too_long", "Max", maxRunes).Because(err)
	case errors.Is(err, input.ErrInvalidUTF8):
		key = "error.input.encoding"
	}
	return problem.Field(field, key).Because(err)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// askToSignIn sends a person who is not signed in to the sign-in page and
// back afterwards; API clients get a 401.
func (a *App) askToSignIn(w http.ResponseWriter, r *http.Request) {
	if wantsJSON(r) || !safeMethod(r.Method) {
		a.Fail(w, r, problem.New(problem.Unauthorized, "error.signin_required"))
		return
	}
	http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// LocalPath returns next when it is a path on this site, else "/": it
// keeps redirects after sign-in from leading elsewhere.
func LocalPath(next string) string {
	// Browsers drop tabs and line breaks from a URL and read a backslash
	// as a slash, so "/\t/evil.example" would lead to another site.
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

// PathID reads the positive integer named name in the request's path
// ({id} in the route's pattern). Anything else is notFound, the module's
// own 404, so that a bad id and a missing object answer alike.
func PathID(r *http.Request, name string, notFound error) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound
	}
	return id, nil
}
