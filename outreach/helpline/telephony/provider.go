// Package telephony connects a help line to a telephony provider (46elks,
// Twilio): it answers the provider's webhooks with a language menu built
// from recorded audio, forwards the call to the volunteers on shift for
// the chosen language, offers a callback when nobody can answer, and logs
// the call through the calls store. The conversation itself is never
// recorded.
//
// Each provider is one Provider, registered in providers below (as
// RapidPro's courier registers one handler per channel type): it parses
// the provider's requests into provider-neutral events, writes
// provider-neutral replies in the provider's format, and verifies that a
// request comes from the provider.
package telephony

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"time"
)

// Step names the webhook a request arrives at: the last part of its path.
type Step string

// The webhooks of a call.
const (
	StepStart    Step = "start"    // a call arrives
	StepMenu     Step = "menu"     // a key pressed in the language menu (or none)
	StepForward  Step = "forward"  // the result of forwarding the call
	StepAnswered Step = "answered" // a forwarded phone answered (Twilio tells at once)
	StepOffer    Step = "offer"    // a key pressed after the callback offer (or none)
	StepEnd      Step = "end"      // the call ended
)

// Steps lists every step, for routes and fuzzing.
var Steps = []Step{StepStart, StepMenu, StepForward, StepAnswered, StepOffer, StepEnd}

// ForwardResult is how forwarding a call went.
type ForwardResult string

// The results of a forward.
const (
	Connected ForwardResult = "connected" // someone answered (and the conversation may be over)
	NoReply   ForwardResult = "no_reply"  // nobody answered in time
	Busy      ForwardResult = "busy"
	Failed    ForwardResult = "failed"
)

// Event is a provider's request in words that do not depend on the
// provider.
type Event struct {
	CallID string // the provider's id of the call
	From   string // the caller, on StepStart; "" when withheld
	To     string // the line's number, on StepStart
	// Key is the key pressed on StepMenu and StepOffer; "" when none was.
	Key string
	// Forward is the result on StepForward; Number is the phone that
	// answered when the provider says it (StepAnswered, Twilio).
	Forward ForwardResult
	Number  string
	// Duration is the call's length on StepEnd, when the provider says it.
	Duration time.Duration
}

// Reply is what the provider is to do next, in words that do not depend
// on the provider. Its parts run in this order: play, then gather or
// forward, then hang up.
type Reply struct {
	// Play lists the addresses of recordings to play, in order.
	Play []string
	// Gather, when set, collects one key while or after Play plays.
	Gather *Gather
	// Forward, when set, rings phones after Play.
	Forward *Forward
	// Hangup ends the call after the rest.
	Hangup bool
}

// Gather collects one key: the result goes to Next, also when no key is
// pressed within Timeout.
type Gather struct {
	Timeout time.Duration
	Next    string
}

// Forward rings Numbers (E.164) all at once, showing CallerID, for
// Timeout; the result goes to Next. Answered, when set, is told at once
// which number answered (where the provider can).
type Forward struct {
	Numbers  []string
	CallerID string
	Timeout  time.Duration
	Next     string
	Answered string
}

// Settings are what a provider needs to verify a request to a line.
type Settings struct {
	LineID     int64
	Provider   string
	Account    string // Twilio account SID, 46elks API user
	Token      string // Twilio auth token, 46elks API password (decrypted)
	SecretHash []byte // SHA-256 of the 46elks address secret
	AllowIPs   string // comma-separated addresses or CIDR ranges; "" allows any
}

// Errors of the providers. A request that fails verification is refused
// with 403; one that cannot be parsed with 400.
var (
	ErrNotFromProvider = errors.New("telephony: request not from the provider")
	ErrBadRequest      = errors.New("telephony: request missing fields")
)

// Provider is one telephony provider's dialect.
type Provider interface {
	// Name is the provider's name in addresses and the database.
	Name() string
	// SecretAddress reports whether the line is named in the webhook's
	// address by a secret (46elks, which signs nothing) rather than by
	// its id (Twilio, which signs its requests).
	SecretAddress() bool
	// Verify checks that r comes from the provider for the line of s;
	// url is the full public address the provider requested and
	// client the request's client address.
	Verify(r *http.Request, s Settings, url, client string) error
	// Parse reads the provider's request at step. Its form has been
	// parsed (and filtered) already.
	Parse(r *http.Request, step Step) (Event, error)
	// Write writes rep in the provider's format.
	Write(w http.ResponseWriter, rep Reply) error
	// SaysWhoAnswered reports whether the provider tells which of several
	// numbers rung at once answered. When it does not, the flow rings the
	// volunteers one after another, so that the answer can be attributed.
	SaysWhoAnswered() bool
}

// providers are the registered providers, by name: the one place a new
// provider is added.
var providers = map[string]Provider{
	"46elks": elks{},
	"twilio": twilio{},
}

// ProviderNamed returns the registered provider called name.
func ProviderNamed(name string) (Provider, bool) {
	p, ok := providers[name]
	return p, ok
}

// ProviderNames lists the registered providers' names, sorted.
func ProviderNames() []string { return slices.Sorted(maps.Keys(providers)) }
