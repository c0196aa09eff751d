package telephony

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Sim plays a telephony provider's part against the real webhook
// endpoints of a line, without a network or a contract: a call arrives,
// a key is pressed, a forwarded phone answers or not, the caller hangs
// up. It sends what the provider sends (signed with the line's token for
// Twilio, to the secret address for 46elks), follows the addresses in the
// replies as the provider would, and reads each reply back into a Reply.
// The demo's simulator page and the end-to-end tests use it.
type Sim struct {
	Handler    http.Handler // the application
	Provider   string       // "46elks" or "twilio"
	Hooks      string       // the line's full webhook address without the step
	Account    string       // Twilio account SID
	Token      string       // Twilio auth token
	RemoteAddr string       // the provider's address; default 192.0.2.10

	CallID   string
	From, To string
	// Last is the last reply of the call; Ended is set once the call is
	// over (a reply hung up, or the caller did).
	Last  Reply
	Ended bool
	// Log is every request of the call and its answer.
	Log []Exchange
}

// Exchange is one webhook request of the simulated call and its answer.
type Exchange struct {
	Step   Step
	Status int
	Body   string
	Reply  Reply
}

// ErrSimState is returned when the simulated call cannot do what was
// asked now (press a key while nothing listens for one, answer while
// nothing rings).
var ErrSimState = errors.New("the call cannot do that now")

func randomID(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return prefix + hex.EncodeToString(b)
}

// Arrive starts a call from the number from (E.164, or "" for a withheld
// number) to the line's public number to.
func (s *Sim) Arrive(from, to string) (Exchange, error) {
	s.From, s.To, s.Ended, s.Last, s.Log = from, to, false, Reply{}, nil
	form := url.Values{}
	if s.Provider == "twilio" {
		s.CallID = randomID("CA")
		if from == "" {
			from = "anonymous"
		}
		form.Set("CallStatus", "ringing")
		form.Set("Direction", "inbound")
	} else {
		s.CallID = randomID("c")
		form.Set("direction", "incoming")
		form.Set("created", time.Now().UTC().Format("2006-01-02T15:04:05.000000"))
	}
	form.Set(s.field("from"), from)
	form.Set(s.field("to"), to)
	return s.post(StepStart, s.Hooks+"/"+string(StepStart), form)
}

// field names a parameter as the provider does.
func (s *Sim) field(name string) string {
	if s.Provider != "twilio" {
		return name
	}
	switch name {
	case "from":
		return "From"
	case "to":
		return "To"
	}
	return name
}

// Press presses key while a menu or an offer listens; "" lets the time
// run out without a key.
func (s *Sim) Press(key string) (Exchange, error) {
	g := s.Last.Gather
	if s.Ended || g == nil {
		return Exchange{}, ErrSimState
	}
	form := url.Values{}
	if s.Provider == "twilio" {
		form.Set("Digits", key)
		form.Set("CallStatus", "in-progress")
	} else if key == "" {
		form.Set("result", "failed")
		form.Set("why", "noinput")
	} else {
		form.Set("result", key)
	}
	return s.post(stepOf(g.Next), g.Next, form)
}

// Ringing lists the numbers that ring now.
func (s *Sim) Ringing() []string {
	if s.Ended || s.Last.Forward == nil {
		return nil
	}
	return s.Last.Forward.Numbers
}

// Answer lets the ringing phone number answer, talk for talk and hang up.
func (s *Sim) Answer(number string, talk time.Duration) (Exchange, error) {
	f := s.Last.Forward
	if s.Ended || f == nil || !containsString(f.Numbers, number) {
		return Exchange{}, ErrSimState
	}
	if s.Provider == "twilio" {
		if f.Answered != "" {
			form := url.Values{"CallStatus": {"in-progress"}, "ParentCallSid": {s.CallID}, "To": {number},
				"From": {f.CallerID}, "Direction": {"outbound-dial"}}
			if _, err := s.postAs(StepAnswered, f.Answered, form, randomID("CA")); err != nil {
				return Exchange{}, err
			}
		}
		return s.post(StepForward, f.Next, url.Values{"DialCallStatus": {"completed"}, "DialCallDuration": {strconv.Itoa(int(talk / time.Second))}})
	}
	return s.post(StepForward, f.Next, url.Values{"result": {"success"}})
}

// NoAnswer lets the ringing phones ring out (busy: one is busy).
func (s *Sim) NoAnswer(busy bool) (Exchange, error) {
	f := s.Last.Forward
	if s.Ended || f == nil {
		return Exchange{}, ErrSimState
	}
	form := url.Values{}
	switch {
	case s.Provider == "twilio" && busy:
		form.Set("DialCallStatus", "busy")
	case s.Provider == "twilio":
		form.Set("DialCallStatus", "no-answer")
	case busy:
		form.Set("result", "busy")
	default:
		form.Set("result", "failed")
	}
	return s.post(StepForward, f.Next, form)
}

// HangUp ends the call from the caller's side (or reports the end of a
// call a reply hung up): the provider's end-of-call webhook.
func (s *Sim) HangUp(length time.Duration) (Exchange, error) {
	secs := strconv.Itoa(int(length / time.Second))
	form := url.Values{}
	if s.Provider == "twilio" {
		form.Set("CallStatus", "completed")
		form.Set("CallDuration", secs)
	} else {
		form.Set("duration", secs)
		form.Set("state", "success")
	}
	ex, err := s.post(StepEnd, s.Hooks+"/"+string(StepEnd), form)
	s.Ended = true
	return ex, err
}

func stepOf(u string) Step {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return Step(p.Path[strings.LastIndex(p.Path, "/")+1:])
}

func (s *Sim) post(step Step, target string, form url.Values) (Exchange, error) {
	return s.postAs(step, target, form, s.CallID)
}

func (s *Sim) postAs(step Step, target string, form url.Values, callID string) (Exchange, error) {
	if s.Provider == "twilio" {
		form.Set("CallSid", callID)
		form.Set("AccountSid", s.Account)
		if form.Get("From") == "" {
			form.Set("From", orAnonymous(s.From))
		}
		if form.Get("To") == "" {
			form.Set("To", s.To)
		}
	} else {
		form.Set("callid", callID)
		if form.Get("from") == "" {
			form.Set("from", s.From)
		}
		if form.Get("to") == "" {
			form.Set("to", s.To)
		}
	}
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = s.RemoteAddr
	if r.RemoteAddr == "" {
		r.RemoteAddr = "192.0.2.10:43210"
	}
	if s.Provider == "twilio" {
		r.Header.Set("X-Twilio-Signature", TwilioSignature(s.Token, target, form))
	}
	w := httptest.NewRecorder()
	s.Handler.ServeHTTP(w, r)
	body, _ := io.ReadAll(w.Result().Body)
	ex := Exchange{Step: step, Status: w.Code, Body: string(body)}
	if w.Code/100 != 2 {
		s.Log = append(s.Log, ex)
		return ex, fmt.Errorf("%s answered %d", step, w.Code)
	}
	rep, err := DecodeReply(s.Provider, body)
	if err != nil {
		s.Log = append(s.Log, ex)
		return ex, err
	}
	ex.Reply = rep
	s.Log = append(s.Log, ex)
	if step != StepAnswered && step != StepEnd {
		s.Last = rep
		if rep.Hangup {
			s.Ended = true
		}
	}
	return ex, nil
}

func orAnonymous(n string) string {
	if n == "" {
		return "anonymous"
	}
	return n
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// DecodeReply reads a provider's reply back into a Reply, as the
// provider would act on it.
func DecodeReply(provider string, body []byte) (Reply, error) {
	if provider == "twilio" {
		return decodeTwiML(body)
	}
	return decodeElks(body)
}

func decodeElks(body []byte) (Reply, error) {
	var action map[string]any
	if err := json.Unmarshal(body, &action); err != nil {
		return Reply{}, fmt.Errorf("46elks reply: %w", err)
	}
	var rep Reply
	for depth := 0; action != nil && depth < 50; depth++ {
		str := func(k string) string { v, _ := action[k].(string); return v }
		num := func(k string) time.Duration { v, _ := action[k].(float64); return time.Duration(v) * time.Second }
		next, _ := action["next"].(map[string]any)
		switch {
		case str("play") != "":
			rep.Play = append(rep.Play, str("play"))
		case str("ivr") != "":
			rep.Play = append(rep.Play, str("ivr"))
			rep.Gather = &Gather{Timeout: num("timeout"), Next: str("next")}
			return rep, nil
		case str("connect") != "":
			rep.Forward = &Forward{Numbers: strings.Split(str("connect"), ","), CallerID: str("callerid"), Timeout: num("timeout"), Next: str("next")}
			return rep, nil
		case action["hangup"] != nil:
			rep.Hangup = true
			return rep, nil
		default:
			return rep, fmt.Errorf("46elks reply: unknown action %v", action)
		}
		if next == nil {
			if str("next") != "" {
				return rep, fmt.Errorf("46elks reply: a play that goes on to an address")
			}
			rep.Hangup = true // nothing follows: the call ends
			return rep, nil
		}
		action = next
	}
	return rep, nil
}

func decodeTwiML(body []byte) (Reply, error) {
	var doc twiml
	if err := xml.Unmarshal(body, &doc); err != nil {
		return Reply{}, fmt.Errorf("TwiML reply: %w", err)
	}
	var rep Reply
	attr := func(v twimlVerb, name string) string {
		for _, a := range v.Attrs {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	secs := func(s string) time.Duration { n, _ := strconv.Atoi(s); return time.Duration(n) * time.Second }
	for _, v := range doc.Verbs {
		switch v.XMLName.Local {
		case "Play":
			rep.Play = append(rep.Play, strings.TrimSpace(v.Text))
		case "Gather":
			for _, p := range v.Nested {
				rep.Play = append(rep.Play, strings.TrimSpace(p.Text))
			}
			rep.Gather = &Gather{Timeout: secs(attr(v, "timeout")), Next: attr(v, "action")}
		case "Dial":
			f := &Forward{CallerID: attr(v, "callerId"), Timeout: secs(attr(v, "timeout")), Next: attr(v, "action")}
			for _, n := range v.Nested {
				f.Numbers = append(f.Numbers, strings.TrimSpace(n.Text))
				f.Answered = attr(n, "statusCallback")
			}
			rep.Forward = f
		case "Hangup":
			rep.Hangup = true
		default:
			return rep, fmt.Errorf("TwiML reply: unknown verb %s", v.XMLName.Local)
		}
	}
	if len(doc.Verbs) > 0 && rep.Gather == nil && rep.Forward == nil {
		rep.Hangup = true // nothing more to do: Twilio ends the call
	}
	return rep, nil
}
