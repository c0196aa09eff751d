package telephony

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// twilio is Twilio Programmable Voice (TwiML). Its webhooks are form
// posts signed in X-Twilio-Signature: the voice URL with CallSid, From, To;
// a <Gather>'s action with Digits; a <Dial>'s action with
// DialCallStatus; a <Number>'s status callback with ParentCallSid and To
// when it answers; the number's status callback with CallStatus and
// CallDuration when the call ends. It reads TwiML back.
type twilio struct{}

func (twilio) Name() string          { return "twilio" }
func (twilio) SecretAddress() bool   { return false }
func (twilio) SaysWhoAnswered() bool { return true }

// TwilioSignature is Twilio's signature of a request: HMAC-SHA1 under the
// auth token of the full URL followed by every POST parameter, sorted by
// name, each name then its value; base64.
func TwilioSignature(token, fullURL string, form url.Values) string {
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(fullURL))
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range form[name] {
			mac.Write([]byte(name))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify checks X-Twilio-Signature over the full public URL and the POST
// parameters with the line's auth token, and that the request names the
// line's account.
func (twilio) Verify(r *http.Request, s Settings, fullURL, _ string) error {
	if s.Provider != "twilio" || s.Token == "" {
		return fmt.Errorf("%w: the line is not set up for Twilio", ErrNotFromProvider)
	}
	got := r.Header.Get("X-Twilio-Signature")
	want := TwilioSignature(s.Token, fullURL, r.PostForm)
	if got == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return fmt.Errorf("%w: bad signature", ErrNotFromProvider)
	}
	if s.Account != "" && r.PostFormValue("AccountSid") != s.Account {
		return fmt.Errorf("%w: another account", ErrNotFromProvider)
	}
	return nil
}

func (twilio) Parse(r *http.Request, step Step) (Event, error) {
	ev := Event{CallID: r.PostFormValue("CallSid")}
	if step == StepAnswered {
		// A <Number>'s callback comes from the forwarded leg: its
		// parent is the caller's call.
		ev.CallID = r.PostFormValue("ParentCallSid")
	}
	if !validCallID(ev.CallID) {
		return Event{}, fmt.Errorf("%w: CallSid", ErrBadRequest)
	}
	switch step {
	case StepStart:
		ev.From, ev.To = r.PostFormValue("From"), r.PostFormValue("To")
		if ev.To == "" {
			return Event{}, fmt.Errorf("%w: To", ErrBadRequest)
		}
	case StepMenu, StepOffer:
		if _, ok := r.PostForm["Digits"]; !ok {
			return Event{}, fmt.Errorf("%w: Digits", ErrBadRequest)
		}
		// One digit was asked for; anything else counts as no key.
		if d := r.PostFormValue("Digits"); isKey(d) {
			ev.Key = d
		}
	case StepForward:
		switch r.PostFormValue("DialCallStatus") {
		case "completed", "answered":
			ev.Forward = Connected
		case "busy":
			ev.Forward = Busy
		case "no-answer", "canceled":
			ev.Forward = NoReply
		case "failed":
			ev.Forward = Failed
		default:
			return Event{}, fmt.Errorf("%w: DialCallStatus", ErrBadRequest)
		}
	case StepAnswered:
		ev.Number = r.PostFormValue("To")
		if ev.Number == "" {
			return Event{}, fmt.Errorf("%w: To", ErrBadRequest)
		}
	case StepEnd:
		if d := r.PostFormValue("CallDuration"); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 0 || n > 7*24*3600 {
				return Event{}, fmt.Errorf("%w: CallDuration", ErrBadRequest)
			}
			ev.Duration = time.Duration(n) * time.Second
		}
	default:
		return Event{}, fmt.Errorf("%w: no %s webhook", ErrBadRequest, step)
	}
	return ev, nil
}

// TwiML's elements, as much of them as the help line uses.
type twiml struct {
	XMLName xml.Name    `xml:"Response"`
	Verbs   []twimlVerb `xml:",any"`
}

type twimlVerb struct {
	XMLName xml.Name
	Attrs   []xml.Attr  `xml:",any,attr"`
	Text    string      `xml:",chardata"`
	Nested  []twimlVerb `xml:",any"`
}

func verb(name, text string, attrs ...string) twimlVerb {
	v := twimlVerb{XMLName: xml.Name{Local: name}, Text: text}
	for i := 0; i+1 < len(attrs); i += 2 {
		v.Attrs = append(v.Attrs, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
	}
	return v
}

// Write writes rep as TwiML: the recordings as <Play>, inside a <Gather>
// of one digit (posting to its action also when no key is pressed) when
// a key is to be collected; a forward as a <Dial> of one <Number> per
// phone, each telling when it answers.
func (twilio) Write(w http.ResponseWriter, rep Reply) error {
	var doc twiml
	var plays []twimlVerb
	for _, p := range rep.Play {
		plays = append(plays, verb("Play", p))
	}
	if rep.Gather != nil {
		g := verb("Gather", "", "input", "dtmf", "numDigits", "1", "timeout", strconv.Itoa(int(rep.Gather.Timeout/time.Second)),
			"action", rep.Gather.Next, "method", "POST", "actionOnEmptyResult", "true")
		g.Nested = plays
		doc.Verbs = append(doc.Verbs, g)
	} else {
		doc.Verbs = append(doc.Verbs, plays...)
	}
	if f := rep.Forward; f != nil {
		d := verb("Dial", "", "callerId", f.CallerID, "timeout", strconv.Itoa(int(f.Timeout/time.Second)), "action", f.Next, "method", "POST")
		for _, n := range f.Numbers {
			if f.Answered != "" {
				d.Nested = append(d.Nested, verb("Number", n, "statusCallbackEvent", "answered", "statusCallback", f.Answered, "statusCallbackMethod", "POST"))
			} else {
				d.Nested = append(d.Nested, verb("Number", n))
			}
		}
		doc.Verbs = append(doc.Verbs, d)
	}
	if rep.Hangup {
		doc.Verbs = append(doc.Verbs, verb("Hangup", ""))
	}
	body, err := xml.Marshal(doc)
	if err != nil {
		return fmt.Errorf("TwiML reply: %w", err)
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}
