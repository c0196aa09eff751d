package telephony_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"megafon/outreach/helpline"
	"megafon/outreach/helpline/telephony"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

// post sends a provider's request to the application as it would arrive.
func (f *fixture) post(target string, form url.Values, remote string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		r.Header[k] = v
	}
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	f.s.App.Handler().ServeHTTP(w, r)
	return w
}

func twilioStart(callID string) url.Values {
	return url.Values{"CallSid": {callID}, "AccountSid": {twilioSID}, "From": {"+46731112233"}, "To": {"+46101234567"}, "CallStatus": {"ringing"}}
}

func signed(token, target string, form url.Values) http.Header {
	return http.Header{"X-Twilio-Signature": {telephony.TwilioSignature(token, target, form)}}
}

func TestTwilioRequestsAreVerifiedByTheirSignature(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, "twilio", helpline.RingAll)
			target := f.hooks("twilio", f.line, "") + "/start"
			otherTarget := f.hooks("twilio", f.other, "") + "/start"
			form := twilioStart("CA11111111111111111111111111111111")
			refused := []struct {
				name   string
				target string
				header http.Header
			}{
				{"no signature", target, nil},
				{"a wrong signature", target, signed("another-token", target, form)},
				{"a valid request replayed to another line's address", otherTarget, signed(twilioToken, target, form)},
				{"signed for another address of the same line", target, signed(twilioToken, target+"?round=1", form)},
			}
			for _, c := range refused {
				if w := f.post(c.target, form, "192.0.2.10:1000", c.header); w.Code != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", c.name, w.Code)
				}
			}
			if n := f.count(t, "helpline_calls"); n != 0 {
				t.Fatalf("refused requests recorded %d calls", n)
			}
			// A request from another Twilio account signed with the
			// line's token is refused too.
			foreign := twilioStart("CA22222222222222222222222222222222")
			foreign.Set("AccountSid", "ACffffffffffffffffffffffffffffffff")
			if w := f.post(target, foreign, "192.0.2.10:1000", signed(twilioToken, target, foreign)); w.Code != http.StatusForbidden {
				t.Errorf("another account: %d, want 403", w.Code)
			}
			if w := f.post(target, form, "192.0.2.10:1000", signed(twilioToken, target, form)); w.Code != http.StatusOK {
				t.Fatalf("a valid request: %d %s", w.Code, w.Body)
			}
			if n := f.count(t, "helpline_calls"); n != 1 {
				t.Errorf("a valid request recorded %d calls, want 1", n)
			}
		})
	}
}

func TestA46elksRequestNeedsTheLinesSecretAddressAndAnAllowedAddress(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, "46elks", helpline.RingAll)
			form := url.Values{"callid": {"c11111111111111111111111111111111"}, "from": {"+46731112233"}, "to": {"+46101234567"}, "direction": {"incoming"}}
			wrong := f.secret[:len(f.secret)-1] + "x"
			if f.secret[len(f.secret)-1] == 'x' {
				wrong = f.secret[:len(f.secret)-1] + "y"
			}
			for name, target := range map[string]string{
				"a wrong secret":    f.hooks("46elks", f.line, wrong) + "/start",
				"no secret":         "http://megafon.test/hooks/46elks/x/start",
				"a line id instead": "http://megafon.test/hooks/46elks/1/start",
				"the Twilio route":  f.hooks("twilio", f.line, "") + "/start",
			} {
				if w := f.post(target, form, "192.0.2.10:1000", nil); w.Code != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", name, w.Code)
				}
			}
			// With an allow-list, other addresses are refused.
			coord := f.s.User("samordnare@demo.megafon.se")
			if _, err := f.mod.Store().Connect(context.Background(), coord.ID, f.line.ID, telephony.Connection{Provider: "46elks", Account: "elks-user",
				AllowIPs: "176.10.154.199, 85.24.146.0/26"}); err != nil {
				t.Fatal(err)
			}
			target := f.hooks("46elks", f.line, f.secret) + "/start"
			if w := f.post(target, form, "192.0.2.10:1000", nil); w.Code != http.StatusForbidden {
				t.Errorf("an address outside the allow-list: %d, want 403", w.Code)
			}
			if n := f.count(t, "helpline_calls"); n != 0 {
				t.Fatalf("refused requests recorded %d calls", n)
			}
			if w := f.post(target, form, "85.24.146.10:1000", nil); w.Code != http.StatusOK {
				t.Errorf("an address in the allow-list: %d %s", w.Code, w.Body)
			}
			// Renewing the secret stops the old address.
			if _, err := f.mod.Store().RenewSecret(context.Background(), coord.ID, f.line.ID); err != nil {
				t.Fatal(err)
			}
			form.Set("callid", "c22222222222222222222222222222222")
			if w := f.post(target, form, "85.24.146.10:1000", nil); w.Code != http.StatusForbidden {
				t.Errorf("the old address after renewal: %d, want 403", w.Code)
			}
			if n := f.count(t, "helpline_calls"); n != 1 {
				t.Errorf("%d calls recorded, want the one allowed", n)
			}
		})
	}
}

func TestAWebhookWithMissingFieldsIsABadRequestAndRecordsNothing(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, "twilio", helpline.RingAll)
			base := f.hooks("twilio", f.line, "")
			for name, c := range map[string]struct {
				step string
				form url.Values
			}{
				"start without CallSid":        {"/start", url.Values{"AccountSid": {twilioSID}, "To": {"+46101234567"}}},
				"start without To":             {"/start", url.Values{"AccountSid": {twilioSID}, "CallSid": {"CA1"}}},
				"a CallSid that is not one":    {"/start", url.Values{"AccountSid": {twilioSID}, "CallSid": {"CA 1; drop"}, "To": {"+46101234567"}}},
				"menu without Digits":          {"/menu?round=1", url.Values{"AccountSid": {twilioSID}, "CallSid": {"CA1"}}},
				"forward without a status":     {"/forward?lang=ar&i=all", url.Values{"AccountSid": {twilioSID}, "CallSid": {"CA1"}}},
				"end with a nonsense duration": {"/end", url.Values{"AccountSid": {twilioSID}, "CallSid": {"CA1"}, "CallDuration": {"-5"}}},
			} {
				target := base + c.step
				w := f.post(target, c.form, "192.0.2.10:1000", signed(twilioToken, target, c.form))
				if w.Code/100 != 4 {
					t.Errorf("%s: %d, want 4xx", name, w.Code)
				}
			}
			// A step the call never reached: the menu's answer for a call
			// that did not arrive.
			form := url.Values{"AccountSid": {twilioSID}, "CallSid": {"CA9"}, "Digits": {"2"}}
			target := base + "/menu?round=1"
			if w := f.post(target, form, "192.0.2.10:1000", signed(twilioToken, target, form)); w.Code != http.StatusNotFound {
				t.Errorf("a key for an unknown call: %d, want 404", w.Code)
			}
			big := twilioStart("CA33333333333333333333333333333333")
			big.Set("Padding", strings.Repeat("x", 70<<10))
			if w := f.post(base+"/start", big, "192.0.2.10:1000", signed(twilioToken, base+"/start", big)); w.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("a body over the limit: %d, want 413", w.Code)
			}
			if n := f.count(t, "helpline_calls"); n != 0 {
				t.Errorf("bad requests recorded %d calls", n)
			}
		})
	}
}

func TestARecordingThatIsNotAudioIsRefusedWithAMessage(t *testing.T) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, "twilio", helpline.RingAll)
			c := f.s.As("samordnare@demo.megafon.se")
			page := "/helplines/" + itoa(f.line.ID) + "/telephony"
			if r := c.Get(page); r.Status != http.StatusOK || !strings.Contains(r.Body, "Twilio") {
				t.Fatalf("the telephony page: %d", r.Status)
			}
			upload := func(name string, audio []byte) (int, string) {
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				mw.WriteField("csrf_token", c.CSRF())
				mw.WriteField("lang", "ti")
				mw.WriteField("kind", "menu")
				fw, _ := mw.CreateFormFile("audio", name)
				fw.Write(audio)
				mw.Close()
				req, _ := http.NewRequest(http.MethodPost, f.s.URL+page+"/recordings", &body)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				r := c.Do(req)
				return r.Status, r.Body
			}
			before := f.count(t, "telephony_recordings")
			for name, b := range map[string][]byte{
				"menu.wav":  []byte("<html><body>not a sound</body></html>"),
				"menu.mp3":  {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
				"empty.ogg": nil,
			} {
				status, body := upload(name, b)
				if status != http.StatusUnprocessableEntity || !strings.Contains(webtest.Text(body), "ingen ljudfil som vi kan spela") {
					t.Errorf("%s: %d, want 422 with a message in Swedish\n%s", name, status, webtest.Text(body))
				}
			}
			if after := f.count(t, "telephony_recordings"); after != before {
				t.Errorf("refused uploads saved %d recordings", after-before)
			}
			if status, _ := upload("ti.wav", telephony.ToneWAV(440, 300_000_000)); status != http.StatusSeeOther {
				t.Errorf("a WAV recording: %d, want 303", status)
			}
			if after := f.count(t, "telephony_recordings"); after != before+1 {
				t.Errorf("the WAV was not saved")
			}
		})
	}
}
