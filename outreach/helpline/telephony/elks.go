package telephony

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// elks is 46elks (https://46elks.se/docs/call-actions). Its webhooks are
// form posts: voice_start with callid, from, to; the result of an action
// at the action's "next" with callid and result (a digit, "failed",
// "success", "busy"); whenhangup with callid and the call's data. It
// reads JSON call actions back. It signs nothing: the line's webhook
// address carries a secret, and the provider's addresses may be listed.
type elks struct{}

func (elks) Name() string          { return "46elks" }
func (elks) SecretAddress() bool   { return true }
func (elks) SaysWhoAnswered() bool { return false }

// Verify checks the client address against the line's allow-list. The
// secret of the address was checked when the line was found by it.
func (elks) Verify(r *http.Request, s Settings, _, client string) error {
	if s.Provider != "46elks" || len(s.SecretHash) != sha256.Size {
		return fmt.Errorf("%w: the line is not set up for 46elks", ErrNotFromProvider)
	}
	if !addressAllowed(s.AllowIPs, client) {
		return fmt.Errorf("%w: address not in the allow-list", ErrNotFromProvider)
	}
	return nil
}

// SecretMatches compares a presented address secret with the stored hash
// in constant time.
func SecretMatches(secret string, hash []byte) bool {
	sum := sha256.Sum256([]byte(secret))
	return len(hash) == sha256.Size && subtle.ConstantTimeCompare(sum[:], hash) == 1
}

// addressAllowed reports whether client is in the comma-separated list of
// addresses and CIDR ranges; an empty list allows everyone.
func addressAllowed(list, client string) bool {
	if strings.TrimSpace(list) == "" {
		return true
	}
	ip, err := netip.ParseAddr(client)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if p, err := netip.ParsePrefix(part); err == nil && p.Contains(ip) {
			return true
		}
		if a, err := netip.ParseAddr(part); err == nil && a.Unmap() == ip {
			return true
		}
	}
	return false
}

func (elks) Parse(r *http.Request, step Step) (Event, error) {
	ev := Event{CallID: r.PostFormValue("callid")}
	if !validCallID(ev.CallID) {
		return Event{}, fmt.Errorf("%w: callid", ErrBadRequest)
	}
	switch step {
	case StepStart:
		ev.From, ev.To = r.PostFormValue("from"), r.PostFormValue("to")
		if ev.To == "" {
			return Event{}, fmt.Errorf("%w: to", ErrBadRequest)
		}
	case StepMenu, StepOffer:
		result := r.PostFormValue("result")
		switch {
		case result == "":
			return Event{}, fmt.Errorf("%w: result", ErrBadRequest)
		case isKey(result):
			ev.Key = result
		}
		// "failed" (no input in time) leaves the key empty.
	case StepForward:
		switch r.PostFormValue("result") {
		case "success":
			ev.Forward = Connected
		case "busy":
			ev.Forward = Busy
		case "failed":
			ev.Forward = NoReply
		default:
			return Event{}, fmt.Errorf("%w: result", ErrBadRequest)
		}
	case StepEnd:
		if d := r.PostFormValue("duration"); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 0 || n > 7*24*3600 {
				return Event{}, fmt.Errorf("%w: duration", ErrBadRequest)
			}
			ev.Duration = time.Duration(n) * time.Second
		}
	default:
		return Event{}, fmt.Errorf("%w: 46elks has no %s webhook", ErrBadRequest, step)
	}
	return ev, nil
}

// isKey reports whether s is one key of a phone's keypad.
func isKey(s string) bool {
	return len(s) == 1 && (s[0] >= '0' && s[0] <= '9' || s[0] == '*' || s[0] == '#')
}

// validCallID bounds a provider's call id: letters, digits, "-", "_", up to
// 64 characters (46elks' and Twilio's are 33 and 34).
func validCallID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Write writes rep as nested 46elks call actions: each recording a
// "play" whose "next" is the following action; the last recording of a
// gather is an "ivr" (one digit) so that the key pressed after the menu
// is collected; a forward is a "connect" with a comma-separated list of
// numbers, "callerid" and "timeout".
func (elks) Write(w http.ResponseWriter, rep Reply) error {
	action := elksActions(rep)
	if action == nil {
		action = map[string]any{"hangup": "reject"}
	}
	body, err := json.Marshal(action)
	if err != nil {
		return fmt.Errorf("46elks reply: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(body)
	return err
}

func elksActions(rep Reply) map[string]any {
	var tail map[string]any // what runs after the recordings
	plays := rep.Play
	switch {
	case rep.Gather != nil:
		tail = map[string]any{"digits": 1, "timeout": elksSeconds(rep.Gather.Timeout), "repeat": 1, "next": rep.Gather.Next}
		if len(plays) == 0 {
			// ivr needs a sound: without a recording the caller has
			// nothing to answer; the flow never asks this.
			return map[string]any{"hangup": "reject"}
		}
		tail["ivr"] = plays[len(plays)-1]
		plays = plays[:len(plays)-1]
	case rep.Forward != nil:
		tail = map[string]any{"connect": strings.Join(rep.Forward.Numbers, ","), "callerid": rep.Forward.CallerID,
			"timeout": int(rep.Forward.Timeout / time.Second), "next": rep.Forward.Next}
	case rep.Hangup && len(plays) == 0:
		tail = map[string]any{"hangup": "reject"}
	}
	// Without a "next" the call ends after the last action: that is the
	// hang-up after recordings.
	for i := len(plays) - 1; i >= 0; i-- {
		a := map[string]any{"play": plays[i]}
		if tail != nil {
			a["next"] = tail
		}
		tail = a
	}
	return tail
}

// elksSeconds is a gather timeout as 46elks takes it: 1 to 30 seconds.
func elksSeconds(d time.Duration) int {
	return min(max(int(d/time.Second), 1), 30)
}
