package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"megafon/outreach/notify"
)

func TestTwilioSendsOneFormPostPerMessageToTheAccountsMessages(t *testing.T) {
	var got url.Values
	var path, user, pass string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		user, pass, _ = r.BasicAuth()
		b, _ := io.ReadAll(r.Body)
		got, _ = url.ParseQuery(string(b))
		if got.Get("To") == "+4670000000" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code": 21211, "message": "The 'To' number +4670000000 is not a valid phone number."}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid": "SM1", "status": "queued"}`)
	}))
	defer srv.Close()
	tw := notify.Twilio{AccountSID: "AC0123", AuthToken: "secret", From: "+46766860000", API: srv.URL, StatusCallback: "https://megafon.example/sms-status"}
	var _ notify.SMSSender = tw
	if err := tw.SendSMS(context.Background(), "+46701000001", "Ditt pass börjar 18:00"); err != nil {
		t.Fatal(err)
	}
	if path != "/Accounts/AC0123/Messages.json" || user != "AC0123" || pass != "secret" {
		t.Errorf("posted to %s as %s:%s", path, user, pass)
	}
	if got.Get("To") != "+46701000001" || got.Get("From") != "+46766860000" || got.Get("Body") != "Ditt pass börjar 18:00" ||
		got.Get("StatusCallback") != "https://megafon.example/sms-status" {
		t.Errorf("form %v", got)
	}
	err := tw.SendSMS(context.Background(), "+4670000000", "x")
	if err == nil || !strings.Contains(err.Error(), "21211") || strings.Contains(err.Error(), "+4670000000") {
		t.Errorf("a refused message: %v (want Twilio's reason without the number)", err)
	}
}
