package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2 holds the argon2id cost. The default follows OWASP's advice;
// tests use a cheaper one.
type Argon2 struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 is OWASP's recommended argon2id setting (19 MiB, two
// passes, one thread). It keeps a burst of sign-ins on a small server
// within memory, where 64 MiB per sign-in would not be.
var DefaultArgon2 = Argon2{Time: 2, Memory: 19 * 1024, Threads: 1}

// Hash returns the secret's argon2id hash in the PHC string format, which
// records the cost so that it can be raised later.
func (a Argon2) Hash(secret string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(secret), salt, a.Time, a.Memory, a.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.Memory, a.Time, a.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// VerifySecret reports whether secret matches the PHC-encoded hash.
func VerifySecret(hash, secret string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var a Argon2
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &a.Memory, &a.Time, &a.Threads); err != nil {
		return false
	}
	// A corrupt row must neither panic argon2 (zero rounds or threads) nor
	// make one sign-in take gigabytes or minutes.
	if a.Time < 1 || a.Time > 10 || a.Threads < 1 || a.Threads > 8 || a.Memory < 8*uint32(a.Threads) || a.Memory > 256*1024 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) < 16 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(secret), salt, a.Time, a.Memory, a.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Errors of secrets that are too weak; the web layer translates them.
var (
	ErrPasswordTooShort = errors.New("password_too_short")
	ErrPasswordTooLong  = errors.New("password_too_long")
	ErrPasscodeFormat   = errors.New("passcode_format")
)

// Secret rules: a password of at least 12 characters (length beats rules
// about symbols), or for volunteers on a shared phone a passcode of 8 to 12
// digits. Six digits were a million codes, which a guesser spreading her
// tries over accounts and addresses could cover; 10^8 with the throttle's
// lockouts is out of reach, and still quick to type. Passcodes set before
// keep working.
const (
	MinPasswordLength = 12
	MaxSecretLength   = 200
	MinPasscodeLength = 8
	MaxPasscodeLength = 12
)

// ValidateSecret checks a new password or passcode.
func ValidateSecret(kind, secret string) error {
	if kind == "passcode" {
		if len(secret) < MinPasscodeLength || len(secret) > MaxPasscodeLength {
			return ErrPasscodeFormat
		}
		for _, r := range secret {
			if !unicode.IsDigit(r) || r > unicode.MaxASCII {
				return ErrPasscodeFormat
			}
		}
		return nil
	}
	n := utf8.RuneCountInString(secret)
	if n < MinPasswordLength {
		return ErrPasswordTooShort
	}
	if n > MaxSecretLength {
		return ErrPasswordTooLong
	}
	return nil
}
