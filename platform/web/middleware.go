package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/i18n"
)

type ctxKey int

const (
	userKey ctxKey = iota
	langKey
	addrKey
	csrfKey
)

// User is the signed-in user of the request, or nil.
func User(r *http.Request) *auth.User {
	u, _ := r.Context().Value(userKey).(*auth.User)
	return u
}

// Lang is the interface language of the request.
func Lang(r *http.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	return i18n.Default
}

// WithUser returns r as if u were signed in, for tests of handlers.
func WithUser(r *http.Request, u *auth.User) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), userKey, u))
}

// Session keys.
const (
	sessionPerson = "person"
	sessionEpoch  = "epoch"
	sessionCSRF   = "csrf"
	langCookie    = "megafon_lang"
)

// withUser finds who is signed in and which language to speak. A session
// from before "sign out everywhere" (an older epoch) is void.
func (a *App) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		lang := i18n.Default
		if c, err := r.Cookie(langCookie); err == nil && i18n.IsUILang(c.Value) {
			lang = c.Value
		}
		if id := a.Sessions.GetInt64(ctx, sessionPerson); id != 0 {
			u, err := a.Auth.User(ctx, id)
			switch {
			case err == nil && u.Epoch == a.Sessions.GetInt64(ctx, sessionEpoch):
				ctx = context.WithValue(ctx, userKey, u)
				if i18n.IsUILang(u.UILang) {
					lang = u.UILang
				}
			case err == nil || errors.Is(err, db.ErrNotFound):
				a.Sessions.Remove(ctx, sessionPerson)
			default:
				a.Fail(w, r, fmt.Errorf("load signed-in user: %w", err))
				return
			}
		}
		ctx = context.WithValue(ctx, langKey, lang)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// SignIn starts a session for u, with a new token so that a session
// fixed before sign-in is worthless.
func (a *App) SignIn(r *http.Request, u *auth.User) error {
	if err := a.Sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	a.Sessions.Put(r.Context(), sessionPerson, u.ID)
	a.Sessions.Put(r.Context(), sessionEpoch, u.Epoch)
	return nil
}

// SignOut ends the request's session.
func (a *App) SignOut(r *http.Request) error { return a.Sessions.Destroy(r.Context()) }

// SetLangCookie remembers the interface language in the browser for a year.
func (a *App) SetLangCookie(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.Config.SecureCookies})
}

// An anonymous visitor's CSRF token lives in a cookie of its own rather
// than in a session, so that looking at a page writes no session row; a
// form sends it back and the two are compared (double submit). Once she
// has a session the session's token is used.
const csrfCookie = "megafon_csrf"

// csrfCookieState carries the visitor's cookie token through a request,
// and lets the first page that needs one set it.
type csrfCookieState struct {
	w       http.ResponseWriter
	token   string
	hasSent bool
}

func (a *App) withCSRFCookie(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &csrfCookieState{w: w}
		if c, err := r.Cookie(csrfCookie); err == nil && isToken(c.Value) {
			st.token, st.hasSent = c.Value, true
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), csrfKey, st)))
	})
}

func newCSRFToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// isToken reports whether s looks like a token newCSRFToken made.
func isToken(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// csrfToken returns the token a form of this request must send back: the
// session's for someone signed in or with one already, otherwise the
// visitor's cookie token, made when needed.
func (a *App) csrfToken(r *http.Request) string {
	ctx := r.Context()
	if tok := a.Sessions.GetString(ctx, sessionCSRF); tok != "" {
		return tok
	}
	st, _ := ctx.Value(csrfKey).(*csrfCookieState)
	if User(r) != nil || st == nil {
		tok := newCSRFToken()
		a.Sessions.Put(ctx, sessionCSRF, tok)
		return tok
	}
	if st.token == "" {
		st.token = newCSRFToken()
	}
	if !st.hasSent {
		http.SetCookie(st.w, &http.Cookie{Name: csrfCookie, Value: st.token, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: a.Config.SecureCookies})
		st.hasSent = true
	}
	return st.token
}

// CSRFToken is the token a form of this request must send back.
func (a *App) CSRFToken(r *http.Request) string { return a.csrfToken(r) }

// validCSRF compares the token sent with the session's, or for a visitor
// who is not signed in and has no session token, with her cookie's.
func (a *App) validCSRF(r *http.Request) bool {
	want := a.Sessions.GetString(r.Context(), sessionCSRF)
	if want == "" && User(r) == nil {
		if c, err := r.Cookie(csrfCookie); err == nil && isToken(c.Value) {
			want = c.Value
		}
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf_token")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// securityHeaders: a CSP that allows no inline script, no framing, no
// sniffing, and nothing loaded from anywhere but this server.
func securityHeaders(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a logged 500 page instead of a dropped
// connection.
func (a *App) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				a.failPlainly(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// failPlainly answers with the error page, and when even that panics (the
// session may be what broke) with a plain 500, so that no request ever gets
// an empty reply.
func (a *App) failPlainly(w http.ResponseWriter, r *http.Request, err error) {
	defer func() {
		if v := recover(); v != nil {
			a.Log.Error("panic while showing the error page", "path", r.URL.Path, "panic", v)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}
	}()
	a.Fail(w, r, err)
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry, d *db.DB) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "megafon_http_requests_total", Help: "HTTP requests by route, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "megafon_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration, prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	for _, pool := range []struct {
		name  string
		stats func() (int, int)
	}{
		{"read", func() (int, int) { s, _ := d.Stats(); return s.InUse, s.Idle }},
		{"write", func() (int, int) { _, s := d.Stats(); return s.InUse, s.Idle }},
	} {
		labels := prometheus.Labels{"pool": pool.name}
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "megafon_db_connections_in_use", Help: "Database connections in use.", ConstLabels: labels},
			func() float64 { n, _ := pool.stats(); return float64(n) }))
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "megafon_db_connections_idle", Help: "Idle database connections.", ConstLabels: labels},
			func() float64 { _, n := pool.stats(); return float64(n) }))
	}
	return m
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush for server-sent events.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a flush on: the compression wrapper above it asks the
// writer beneath it directly (not through Unwrap), and without this an
// event stream sat in a buffer until 4 KB had gathered.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// observe counts and times every request and logs it.
func (a *App) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		a.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		a.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
		a.Log.Debug("request", "method", r.Method, "route", route, "status", sw.status, "ms", float64(d.Microseconds())/1000)
	})
}

// ClientAddr is the request's network address, for throttling and the
// audit log: the peer's, or behind a trusted reverse proxy the client's
// that the proxy reports (see Config.TrustedProxies).
func ClientAddr(r *http.Request) string {
	if a, ok := r.Context().Value(addrKey).(string); ok {
		return a
	}
	return peerAddr(r)
}

func peerAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// withClientAddr works out the client's address once per request.
func (a *App) withClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientAddr(peerAddr(r), r.Header.Values("X-Forwarded-For"), a.Config.TrustedProxies)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), addrKey, addr)))
	})
}

// clientAddr takes X-Forwarded-For from the right while the hop that
// appended it is a trusted proxy: the right-most address that no trusted
// proxy vouches for is the client. Everything left of it may be forged.
func clientAddr(peer string, forwarded []string, trusted []netip.Prefix) string {
	isTrusted := func(s string) bool {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return false
		}
		ip = ip.Unmap()
		for _, p := range trusted {
			if p.Contains(ip) {
				return true
			}
		}
		return false
	}
	if !isTrusted(peer) {
		return peer
	}
	var hops []string
	for _, h := range forwarded {
		for _, part := range strings.Split(h, ",") {
			hops = append(hops, strings.TrimSpace(part))
		}
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // garbage: keep the last hop a trusted proxy named
		}
		client = ip.Unmap().String()
		if !isTrusted(client) {
			break
		}
	}
	return client
}

// ParsePrefixes reads a comma-separated list of addresses and CIDR ranges.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", part)
		}
		out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
	}
	return out, nil
}
