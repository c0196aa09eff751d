package notify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// SMSSender delivers one text message to a phone number (E.164).
type SMSSender interface {
	SendSMS(ctx context.Context, to, message string) error
}

// ElksURL is 46elks' endpoint for sending SMS.
const ElksURL = "https://api.46elks.com/a1/sms"

// Elks sends SMS through 46elks (a Swedish SMS and telephony provider):
// one form POST per message, signed in with the account's API user and
// password.
type Elks struct {
	User, Password string
	From           string // the sender: up to 11 letters and digits, or a number in E.164
	URL            string // empty: ElksURL
	Client         *http.Client
}

// SendSMS sends one message. Any answer but 2xx is an error, which the
// outbox records and retries.
func (e Elks) SendSMS(ctx context.Context, to, message string) error {
	endpoint := e.URL
	if endpoint == "" {
		endpoint = ElksURL
	}
	// The answer says what was wrong ("Invalid to number").
	return postSMS(ctx, e.Client, "46elks", endpoint, e.User, e.Password, to,
		url.Values{"from": {e.From}, "to": {to}, "message": {message}}, 200)
}

// TwilioAPI is the base of Twilio's REST API.
const TwilioAPI = "https://api.twilio.com/2010-04-01"

// Twilio sends SMS through Twilio's Messages API: one form POST per
// message to the account's Messages resource, signed in with the account
// SID and auth token.
type Twilio struct {
	AccountSID, AuthToken string
	From                  string // a Twilio number in E.164, or an alphanumeric sender where allowed
	// StatusCallback, when set, is where Twilio reports the message's
	// delivery (queued, sent, delivered, undelivered, failed).
	StatusCallback string
	API            string // empty: TwilioAPI
	Client         *http.Client
}

// SendSMS sends one message. Any answer but 2xx is an error, which the
// outbox records and retries.
func (t Twilio) SendSMS(ctx context.Context, to, message string) error {
	api := t.API
	if api == "" {
		api = TwilioAPI
	}
	form := url.Values{"To": {to}, "From": {t.From}, "Body": {message}}
	if t.StatusCallback != "" {
		form.Set("StatusCallback", t.StatusCallback)
	}
	// Twilio's answer says what was wrong ({"code": 21211, "message":
	// "The 'To' number ... is not a valid phone number"}).
	return postSMS(ctx, t.Client, "Twilio", api+"/Accounts/"+url.PathEscape(t.AccountSID)+"/Messages.json",
		t.AccountSID, t.AuthToken, to, form, 300)
}

// postSMS posts one message's form to a provider's API, signed in with
// basic authentication. Any answer but 2xx is an error, which the outbox
// records and retries; the first keep bytes of the provider's answer are
// kept on the message, without the recipient's number.
func postSMS(ctx context.Context, client *http.Client, provider, endpoint, user, password, to string, form url.Values, keep int64) error {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("send SMS: %w", err)
	}
	req.SetBasicAuth(user, password)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("send SMS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, keep))
		return fmt.Errorf("send SMS: %s answered %s: %s", provider, resp.Status, strings.ReplaceAll(string(b), to, "…"))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	return nil
}
