package telephony

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzParseWebhook feeds each provider's parser arbitrary form bodies at
// every step: it must never panic, and what it accepts must be sane (a
// bounded call id of safe characters, a key of one keypad character).
func FuzzParseWebhook(f *testing.F) {
	seeds := []string{
		"direction=incoming&callid=c45072a1eeafebccc3dffbd4d27b5ebcc&from=%2B46706861004&to=%2B46706860000",
		"callid=c1&result=2", "callid=c1&result=failed&why=noinput", "callid=c1&result=success", "callid=c1&result=busy",
		"callid=c1&duration=93&state=success",
		"CallSid=CA11&AccountSid=AC1&From=%2B46731112233&To=%2B46101234567&CallStatus=ringing",
		"CallSid=CA11&Digits=", "CallSid=CA11&Digits=12", "CallSid=CA11&DialCallStatus=no-answer",
		"CallSid=CA22&ParentCallSid=CA11&To=%2B46701000001&CallStatus=in-progress", "CallSid=CA11&CallDuration=61",
		"callid=%00%ff&result=%E2%80%AE1", "CallSid=" + strings.Repeat("A", 100), "",
	}
	for _, s := range seeds {
		for p := range 2 {
			for st := range len(Steps) {
				f.Add(uint8(p), uint8(st), s)
			}
		}
	}
	names := ProviderNames()
	f.Fuzz(func(t *testing.T, p, st uint8, body string) {
		prov := providers[names[int(p)%len(names)]]
		step := Steps[int(st)%len(Steps)]
		r := httptest.NewRequest(http.MethodPost, "/hooks/x/y/"+string(step), strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			return // the web layer answers 400 before any parser
		}
		ev, err := prov.Parse(r, step)
		if err != nil {
			return
		}
		if !validCallID(ev.CallID) {
			t.Fatalf("accepted call id %q", ev.CallID)
		}
		if ev.Key != "" && !isKey(ev.Key) {
			t.Fatalf("accepted key %q", ev.Key)
		}
		if ev.Duration < 0 || ev.Duration > 7*24*time.Hour {
			t.Fatalf("accepted duration %v", ev.Duration)
		}
	})
}

// FuzzReplyRoundTrip writes replies in each provider's format and reads
// them back as the provider (the simulator) would: what was meant must be
// what the provider does, whatever the addresses and numbers contain.
func FuzzReplyRoundTrip(f *testing.F) {
	f.Add(uint8(0), "https://megafon.example/telephony/audio/ab", "https://megafon.example/hooks/twilio/7/menu?round=1", "+46701000001", uint8(0))
	f.Add(uint8(1), "https://x/a?b=<c>&d=\"e\"", "https://x/next?lang=ar&i=0", "+46701000001,+46701000002", uint8(1))
	f.Add(uint8(2), "", "", "", uint8(2))
	f.Fuzz(func(t *testing.T, shape uint8, play, next, number string, prov uint8) {
		if play == "" || next == "" || strings.ContainsAny(play+next+number, ",\x00\r") || !validXMLText(play+next+number) ||
			strings.TrimSpace(play) != play || strings.TrimSpace(number) != number || number == "" {
			return // not something the flow writes: its addresses are URLs and its numbers E.164
		}
		var rep Reply
		switch shape % 3 {
		case 0:
			rep = Reply{Play: []string{play, play + "2"}, Gather: &Gather{Timeout: 8 * time.Second, Next: next}}
		case 1:
			rep = Reply{Forward: &Forward{Numbers: []string{number}, CallerID: "+46101234567", Timeout: 20 * time.Second, Next: next}}
		default:
			rep = Reply{Play: []string{play}, Hangup: true}
		}
		names := ProviderNames()
		name := names[int(prov)%len(names)]
		w := httptest.NewRecorder()
		if err := providers[name].Write(w, rep); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeReply(name, w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, w.Body)
		}
		if !slices.Equal(got.Play, rep.Play) || (got.Gather == nil) != (rep.Gather == nil) || (got.Forward == nil) != (rep.Forward == nil) || got.Hangup != rep.Hangup {
			t.Fatalf("%s: wrote %+v, the provider reads %+v\n%s", name, rep, got, w.Body)
		}
		if rep.Gather != nil && got.Gather.Next != next {
			t.Fatalf("%s: gather goes to %q, want %q", name, got.Gather.Next, next)
		}
		if rep.Forward != nil && (!slices.Equal(got.Forward.Numbers, rep.Forward.Numbers) || got.Forward.Next != next) {
			t.Fatalf("%s: forward %+v, want %+v", name, got.Forward, rep.Forward)
		}
	})
}

// validXMLText: characters XML 1.0 can carry at all.
func validXMLText(s string) bool {
	for _, r := range s {
		if r == 0xFFFD || (r < 0x20 && r != '\t' && r != '\n') || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF {
			return false
		}
	}
	return true
}

func FuzzSniffAudio(f *testing.F) {
	f.Add(ToneWAV(440, 10*time.Millisecond))
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte{0xFF, 0xFB, 0x90, 0x64})
	f.Add([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead"))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, ok := SniffAudio(b)
		if ok != (ct != "") {
			t.Fatalf("SniffAudio(%q) = %q, %v", b, ct, ok)
		}
	})
}
