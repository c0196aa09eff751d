package telephony

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"megafon/platform/db"
	"megafon/platform/problem"
	"megafon/platform/secret"
	"megafon/platform/web"
)

// Kind is what a recording says.
type Kind string

// The kinds of recording, per language.
const (
	Welcome       Kind = "welcome"        // played first, in the line's first language that has one
	MenuPrompt    Kind = "menu"           // "for Arabic press 1", in that language
	ClosedMessage Kind = "closed"         // closed now, with "press 1 for a callback"
	NoAnswerOffer Kind = "no_answer"      // nobody answered, with "press 1 for a callback"
	CallbackTaken Kind = "callback_taken" // "we will call you back"
)

// Kinds lists the kinds in the order the page shows them.
var Kinds = []Kind{Welcome, MenuPrompt, ClosedMessage, NoAnswerOffer, CallbackTaken}

func (k Kind) valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Problems the store answers with.
var (
	ErrNotFound     = problem.New(problem.NotFound, "error.not_found")
	errNotAudio     = problem.Field("audio", "telephony.error.not_audio")
	errTooLarge     = problem.Field("audio", "telephony.error.too_large", "MB", MaxRecordingBytes>>20)
	errKind         = problem.Field("kind", "telephony.error.kind")
	errLang         = problem.Field("lang", "telephony.error.lang")
	errProvider     = problem.Field("provider", "telephony.error.provider")
	errAccount      = problem.Field("account", "telephony.error.account")
	errToken        = problem.Field("token", "telephony.error.token")
	errAllowIPs     = problem.Field("allow_ips", "telephony.error.allow_ips")
	errNotConnected = problem.New(problem.Conflict, "telephony.error.not_connected")
)

// Contexts of the encrypted columns.
const tokenContext = "telephony.token"

// Store keeps the lines' provider settings, their recordings and the
// state of calls in progress. Keys encrypts the credentials.
type Store struct {
	DB   *db.DB
	Keys *secret.Keyring
	Now  func() time.Time
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return db.Now(time.Now())
	}
	return db.Now(s.Now())
}

// LineSettings is a line's provider settings as its page shows them:
// never the token, never the secret.
type LineSettings struct {
	LineID    int64
	Provider  string // "" while not set up
	Account   string
	HasToken  bool
	HasSecret bool
	AllowIPs  string
	UpdatedAt time.Time
}

// Connection is what a coordinator saves about a line's provider. An
// empty Token keeps the stored one.
type Connection struct {
	Provider, Account, Token, AllowIPs string
}

// LineSettings returns the settings of line, the zero value (with the
// line's id) when it has none.
func (s *Store) LineSettings(ctx context.Context, lineID int64) (LineSettings, error) {
	ls := LineSettings{LineID: lineID}
	var token string
	var hash []byte
	err := s.DB.QueryRow(ctx, `SELECT provider, account, token_enc, secret_hash, allow_ips, updated_at
		FROM telephony_lines WHERE helpline_id = $1`, lineID).Scan(&ls.Provider, &ls.Account, &token, &hash, &ls.AllowIPs, &ls.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return ls, nil
	}
	if err != nil {
		return ls, fmt.Errorf("telephony settings of line %d: %w", lineID, err)
	}
	ls.HasToken, ls.HasSecret = token != "", len(hash) > 0
	return ls, nil
}

// Settings returns what verifies a request to line, the token decrypted.
func (s *Store) Settings(ctx context.Context, lineID int64) (Settings, error) {
	return s.settings(ctx, `helpline_id = $1`, lineID)
}

// SettingsBySecret finds the line whose 46elks address carries secret,
// comparing the hashes again in constant time.
func (s *Store) SettingsBySecret(ctx context.Context, secretText string) (Settings, error) {
	sum := sha256.Sum256([]byte(secretText))
	st, err := s.settings(ctx, `secret_hash = $1`, sum[:])
	if err != nil {
		return st, err
	}
	if !SecretMatches(secretText, st.SecretHash) {
		return Settings{}, ErrNotFound
	}
	return st, nil
}

func (s *Store) settings(ctx context.Context, where string, arg any) (Settings, error) {
	var st Settings
	var token string
	err := s.DB.QueryRow(ctx, `SELECT helpline_id, provider, account, token_enc, secret_hash, allow_ips
		FROM telephony_lines WHERE `+where, arg).Scan(&st.LineID, &st.Provider, &st.Account, &token, &st.SecretHash, &st.AllowIPs)
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("telephony settings: %w", err)
	}
	if token != "" {
		if st.Token, err = s.Keys.DecryptString(token, tokenContext); err != nil {
			return Settings{}, fmt.Errorf("telephony settings of line %d: %w", st.LineID, err)
		}
	}
	return st, nil
}

// Validate checks a connection before it is saved.
func (c Connection) Validate() error {
	var ps problem.List
	if _, ok := ProviderNamed(c.Provider); !ok {
		ps = append(ps, errProvider)
	}
	if c.Provider == "twilio" && !validTwilioSID(c.Account) {
		ps = append(ps, errAccount)
	}
	if c.Provider == "46elks" && (c.Account == "" || len(c.Account) > 100 || strings.ContainsAny(c.Account, " \n\t")) {
		ps = append(ps, errAccount)
	}
	if len(c.Token) > 200 || strings.ContainsAny(c.Token, " \n\t") {
		ps = append(ps, errToken)
	}
	if len(c.AllowIPs) > 1000 {
		ps = append(ps, errAllowIPs)
	} else if _, err := web.ParsePrefixes(c.AllowIPs); err != nil {
		ps = append(ps, errAllowIPs)
	}
	return ps.Err()
}

// validTwilioSID: "AC" and 32 hexadecimal digits.
func validTwilioSID(s string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, "AC") {
		return false
	}
	_, err := hex.DecodeString(s[2:])
	return err == nil
}

// Connect saves how line reaches its provider. A 46elks line without an
// address secret gets one, returned to be shown once; otherwise the
// returned secret is "". Twilio needs its auth token the first time.
func (s *Store) Connect(ctx context.Context, by, lineID int64, c Connection) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	var newSecret string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var oldProvider, oldToken string
		var oldHash []byte
		err := tx.QueryRowContext(ctx, `SELECT provider, token_enc, secret_hash FROM telephony_lines WHERE helpline_id = $1`, lineID).
			Scan(&oldProvider, &oldToken, &oldHash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		token := oldToken
		if c.Token != "" {
			if token, err = s.Keys.EncryptString(c.Token, tokenContext); err != nil {
				return err
			}
		} else if oldProvider != c.Provider {
			token = ""
		}
		if token == "" && c.Provider == "twilio" {
			return errToken
		}
		hash := oldHash
		if c.Provider == "46elks" && len(hash) == 0 {
			newSecret, hash = newAddressSecret()
		}
		if c.Provider != "46elks" {
			hash = nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO telephony_lines (helpline_id, provider, account, token_enc, secret_hash, allow_ips, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (helpline_id) DO UPDATE SET provider = excluded.provider, account = excluded.account,
				token_enc = excluded.token_enc, secret_hash = excluded.secret_hash, allow_ips = excluded.allow_ips,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			lineID, c.Provider, c.Account, token, hash, strings.TrimSpace(c.AllowIPs), nullID(by), s.now())
		if err != nil {
			return fmt.Errorf("connect line %d: %w", lineID, err)
		}
		return nil
	})
	return newSecret, err
}

// RenewSecret gives a 46elks line a new address secret: the old address
// stops working at once. The secret is returned to be shown once.
func (s *Store) RenewSecret(ctx context.Context, by, lineID int64) (string, error) {
	secretText, hash := newAddressSecret()
	res, err := s.DB.Exec(ctx, `UPDATE telephony_lines SET secret_hash = $1, updated_by = $2, updated_at = $3
		WHERE helpline_id = $4 AND provider = '46elks'`, hash, nullID(by), s.now(), lineID)
	if err != nil {
		return "", fmt.Errorf("renew secret of line %d: %w", lineID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return "", errNotConnected
	}
	return secretText, nil
}

// newAddressSecret is 32 random bytes, URL-safe, and its SHA-256.
func newAddressSecret() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	text := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(text))
	return text, sum[:]
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Recording is one recorded prompt (without its audio).
type Recording struct {
	Lang        string
	Kind        Kind
	SHA256      string
	ContentType string
	Size        int
	UploadedAt  time.Time
}

// Recordings lists a line's recordings.
func (s *Store) Recordings(ctx context.Context, lineID int64) ([]Recording, error) {
	rows, err := s.DB.Query(ctx, `SELECT lang, kind, sha256, content_type, length(audio), uploaded_at
		FROM telephony_recordings WHERE helpline_id = $1 ORDER BY lang, kind`, lineID)
	if err != nil {
		return nil, fmt.Errorf("recordings of line %d: %w", lineID, err)
	}
	defer rows.Close()
	var out []Recording
	for rows.Next() {
		var r Recording
		if err := rows.Scan(&r.Lang, &r.Kind, &r.SHA256, &r.ContentType, &r.Size, &r.UploadedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveRecording keeps audio as the line's recording of kind in lang,
// replacing the one before. It refuses what is not WAV, MP3 or Ogg audio
// and what is larger than MaxRecordingBytes. langs are the line's
// languages.
func (s *Store) SaveRecording(ctx context.Context, by, lineID int64, langs []string, lang string, kind Kind, audio []byte) (Recording, error) {
	var ps problem.List
	if !kind.valid() {
		ps = append(ps, errKind)
	}
	if !contains(langs, lang) {
		ps = append(ps, errLang)
	}
	ct, ok := SniffAudio(audio)
	switch {
	case len(audio) > MaxRecordingBytes:
		ps = append(ps, errTooLarge)
	case !ok:
		ps = append(ps, errNotAudio)
	}
	if err := ps.Err(); err != nil {
		return Recording{}, err
	}
	sum := sha256.Sum256(audio)
	r := Recording{Lang: lang, Kind: kind, SHA256: hex.EncodeToString(sum[:]), ContentType: ct, Size: len(audio), UploadedAt: s.now()}
	_, err := s.DB.Exec(ctx, `INSERT INTO telephony_recordings (helpline_id, lang, kind, sha256, content_type, audio, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (helpline_id, lang, kind) DO UPDATE SET sha256 = excluded.sha256, content_type = excluded.content_type,
			audio = excluded.audio, uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at`,
		lineID, lang, string(kind), r.SHA256, ct, audio, nullID(by), r.UploadedAt)
	if err != nil {
		return Recording{}, fmt.Errorf("save recording of line %d: %w", lineID, err)
	}
	return r, nil
}

// DeleteRecording removes a line's recording of kind in lang.
func (s *Store) DeleteRecording(ctx context.Context, lineID int64, lang string, kind Kind) error {
	res, err := s.DB.Exec(ctx, `DELETE FROM telephony_recordings WHERE helpline_id = $1 AND lang = $2 AND kind = $3`, lineID, lang, string(kind))
	if err != nil {
		return fmt.Errorf("delete recording of line %d: %w", lineID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Audio returns a recording's bytes by their SHA-256 (hex).
func (s *Store) Audio(ctx context.Context, sha string) (contentType string, audio []byte, err error) {
	if len(sha) != 64 {
		return "", nil, ErrNotFound
	}
	err = s.DB.QueryRow(ctx, `SELECT content_type, audio FROM telephony_recordings WHERE sha256 = $1 LIMIT 1`, sha).Scan(&contentType, &audio)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, ErrNotFound
	}
	if err != nil {
		return "", nil, fmt.Errorf("recording %s: %w", sha, err)
	}
	return contentType, audio, nil
}

// callState is what the flow decided while a call is on.
type callState struct {
	Outcome     Outcome
	ForwardedAt time.Time
}

func (s *Store) callState(ctx context.Context, provider, callID string) (callState, error) {
	var st callState
	var fwd sql.NullTime
	err := s.DB.QueryRow(ctx, `SELECT outcome, forwarded_at FROM telephony_call_states WHERE provider = $1 AND provider_call_id = $2`,
		provider, callID).Scan(&st.Outcome, &fwd)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("state of call %s: %w", callID, err)
	}
	st.ForwardedAt = fwd.Time
	return st, nil
}

func (s *Store) setCallState(ctx context.Context, provider, callID string, st callState) error {
	var fwd any
	if !st.ForwardedAt.IsZero() {
		fwd = db.Now(st.ForwardedAt)
	}
	_, err := s.DB.Exec(ctx, `INSERT INTO telephony_call_states (provider, provider_call_id, outcome, forwarded_at, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (provider, provider_call_id) DO UPDATE SET outcome = excluded.outcome, forwarded_at = excluded.forwarded_at, updated_at = excluded.updated_at`,
		provider, callID, string(st.Outcome), fwd, s.now())
	if err != nil {
		return fmt.Errorf("state of call %s: %w", callID, err)
	}
	return nil
}

// DeleteOldCallStates forgets the state of calls older than before: a
// call's state matters only while it is on.
func (s *Store) DeleteOldCallStates(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.DB.Exec(ctx, `DELETE FROM telephony_call_states WHERE updated_at < $1`, db.Now(before))
	if err != nil {
		return 0, fmt.Errorf("delete old call states: %w", err)
	}
	return res.RowsAffected()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
