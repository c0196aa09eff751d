package auth

import "testing"

var cheap = Argon2{Time: 1, Memory: 1024, Threads: 1}

func TestHashVerifiesOnlyTheRightSecret(t *testing.T) {
	h := cheap.Hash("korrekt häst batteri")
	if !VerifySecret(h, "korrekt häst batteri") {
		t.Fatal("the right secret did not verify")
	}
	for _, wrong := range []string{"", "korrekt hast batteri", "korrekt häst batteri "} {
		if VerifySecret(h, wrong) {
			t.Errorf("wrong secret %q verified", wrong)
		}
	}
	if h == cheap.Hash("korrekt häst batteri") {
		t.Error("two hashes of one secret are equal: the salt is missing")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if VerifySecret(bad, "x") {
			t.Errorf("malformed hash %q verified", bad)
		}
	}
}

func TestValidateSecret(t *testing.T) {
	tests := []struct {
		kind, secret string
		want         error
	}{
		{"password", "kort", ErrPasswordTooShort},
		{"password", "tolv tecken!", nil},
		{"password", "åäöåäöåäöåäö", nil},
		{"passcode", "12345678", nil},
		{"passcode", "123456", ErrPasscodeFormat}, // six digits are a million codes: too few
		{"passcode", "1234567", ErrPasscodeFormat},
		{"passcode", "12345", ErrPasscodeFormat},
		{"passcode", "12345a", ErrPasscodeFormat},
		{"passcode", "١٢٣٤٥٦", ErrPasscodeFormat}, // Arabic-Indic digits: not typeable on every shared phone
		{"passcode", "1234567890123", ErrPasscodeFormat},
	}
	for _, tt := range tests {
		if got := ValidateSecret(tt.kind, tt.secret); got != tt.want {
			t.Errorf("ValidateSecret(%s, %q) = %v, want %v", tt.kind, tt.secret, got, tt.want)
		}
	}
}
