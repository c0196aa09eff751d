package secret

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixedKey returns a deterministic 32-byte key, so that tests can write
// keyrings by hand.
func fixedKey(b byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, keySize))
}

func mustParse(t *testing.T, text string) *Keyring {
	t.Helper()
	k, err := ParseKeyring([]byte(text))
	if err != nil {
		t.Fatalf("ParseKeyring: %v", err)
	}
	return k
}

func TestEncryptDecryptRoundTrip(t *testing.T) {
	t.Parallel()
	k, err := GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	for _, plain := range []string{"", "+46701234567", "Fatima Abdi Ali", "عائشة", strings.Repeat("x", 10000)} {
		ct, err := k.EncryptString(plain, "contact.name")
		if err != nil {
			t.Fatal(err)
		}
		if plain != "" && strings.Contains(ct, plain) {
			t.Fatalf("ciphertext %q shows the plaintext", ct)
		}
		if !strings.HasPrefix(ct, "v1:"+k.CurrentKeyID()+":") {
			t.Errorf("ciphertext %q does not name the current key %q", ct[:20], k.CurrentKeyID())
		}
		got, err := k.DecryptString(ct, "contact.name")
		if err != nil || got != plain {
			t.Errorf("round trip of %q = %q, %v", plain, got, err)
		}
		again, _ := k.EncryptString(plain, "contact.name")
		if again == ct {
			t.Error("encrypting twice gave the same ciphertext; the nonce must be random")
		}
	}
}

func TestOldRowsDecryptAfterRotation(t *testing.T) {
	t.Parallel()
	old := mustParse(t, "hash:"+fixedKey(1)+"\nk1:"+fixedKey(2))
	ct, err := old.EncryptString("+46701234567", "contact.phone")
	if err != nil {
		t.Fatal(err)
	}
	if old.NeedsRotation(ct) {
		t.Fatal("a ciphertext under the current key needs no rotation")
	}

	// The operator puts a new key first and restarts.
	rotated := mustParse(t, "hash:"+fixedKey(1)+"\nk2:"+fixedKey(3)+"\nk1:"+fixedKey(2))
	if rotated.CurrentKeyID() != "k2" {
		t.Fatalf("current key = %q, want the first, k2", rotated.CurrentKeyID())
	}
	got, err := rotated.DecryptString(ct, "contact.phone")
	if err != nil || got != "+46701234567" {
		t.Fatalf("old row after rotation = %q, %v", got, err)
	}
	if !rotated.NeedsRotation(ct) {
		t.Fatal("a row under the old key needs rotation")
	}
	fresh, err := rotated.Reencrypt(ct, "contact.phone")
	if err != nil {
		t.Fatal(err)
	}
	if rotated.NeedsRotation(fresh) || !strings.HasPrefix(fresh, "v1:k2:") {
		t.Fatalf("re-encrypted %q is not under k2", fresh)
	}

	// Once every row is re-encrypted, the old key can go.
	withoutOld := mustParse(t, "hash:"+fixedKey(1)+"\nk2:"+fixedKey(3))
	if got, err := withoutOld.DecryptString(fresh, "contact.phone"); err != nil || got != "+46701234567" {
		t.Fatalf("after dropping k1: %q, %v", got, err)
	}
	if _, err := withoutOld.DecryptString(ct, "contact.phone"); CodeOf(err) != CodeUnknownKey {
		t.Fatalf("a row under a dropped key: %v, want %s", err, CodeUnknownKey)
	}
}

func TestWithNewKeyRotatesAndKeepsOldKeys(t *testing.T) {
	t.Parallel()
	k, err := GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	ct, _ := k.EncryptString("Anna", "contact.name")
	k2, err := k.WithNewKey()
	if err != nil {
		t.Fatal(err)
	}
	if k2.CurrentKeyID() == k.CurrentKeyID() {
		t.Fatal("WithNewKey kept the current key")
	}
	// Through the text format, as an operator would store it.
	k3 := mustParse(t, string(k2.Marshal()))
	if got, err := k3.DecryptString(ct, "contact.name"); err != nil || got != "Anna" {
		t.Fatalf("old ciphertext after WithNewKey and Marshal = %q, %v", got, err)
	}
	if k3.HashString("phone", "+46701234567") != k.HashString("phone", "+46701234567") {
		t.Fatal("the hash changed with rotation")
	}
}

func TestTamperingIsDetected(t *testing.T) {
	t.Parallel()
	k := mustParse(t, "hash:"+fixedKey(1)+" k1:"+fixedKey(2)+" k2:"+fixedKey(3))
	ct, _ := k.EncryptString("+46701234567", "contact.phone")
	_, _, body, _ := splitCiphertext(ct)
	sealed, _ := base64.RawStdEncoding.DecodeString(body)

	flip := func(i int) string {
		b := bytes.Clone(sealed)
		b[i] ^= 1
		return "v1:k1:" + base64.RawStdEncoding.EncodeToString(b)
	}
	tests := []struct {
		name, ciphertext, context string
		want                      Code
	}{
		{"a bit of the nonce", flip(0), "contact.phone", CodeDecryptFailed},
		{"a bit of the data", flip(len(sealed) / 2), "contact.phone", CodeDecryptFailed},
		{"a bit of the tag", flip(len(sealed) - 1), "contact.phone", CodeDecryptFailed},
		{"the key id swapped", strings.Replace(ct, "v1:k1:", "v1:k2:", 1), "contact.phone", CodeDecryptFailed},
		{"moved to another column", ct, "contact.name", CodeDecryptFailed},
		{"truncated", ct[:len(ct)-10], "contact.phone", CodeDecryptFailed},
		{"too short to hold a nonce", "v1:k1:AAAA", "contact.phone", CodeMalformed},
		{"not base64", "v1:k1:!!!", "contact.phone", CodeMalformed},
		{"unknown version", strings.Replace(ct, "v1:", "v9:", 1), "contact.phone", CodeMalformed},
		{"plaintext", "+46701234567", "contact.phone", CodeMalformed},
		{"empty", "", "contact.phone", CodeMalformed},
		{"unknown key", strings.Replace(ct, "v1:k1:", "v1:k9:", 1), "contact.phone", CodeUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := k.Decrypt(tt.ciphertext, tt.context)
			if err == nil {
				t.Fatalf("Decrypt = %q, want error %s", got, tt.want)
			}
			if CodeOf(err) != tt.want || !errors.Is(err, &Error{Code: tt.want}) {
				t.Errorf("Decrypt error = %v, want code %s", err, tt.want)
			}
		})
	}
}

func TestWrongKeyringFailsCleanly(t *testing.T) {
	t.Parallel()
	ours := mustParse(t, "hash:"+fixedKey(1)+"\nk1:"+fixedKey(2))
	theirs := mustParse(t, "hash:"+fixedKey(1)+"\nk1:"+fixedKey(9)) // same id, other key
	ct, _ := ours.EncryptString("+46701234567", "contact.phone")
	got, err := theirs.Decrypt(ct, "contact.phone")
	if CodeOf(err) != CodeDecryptFailed || got != nil {
		t.Fatalf("Decrypt with the wrong key = %q, %v; want %s", got, err, CodeDecryptFailed)
	}
	if strings.Contains(err.Error(), "+46") {
		t.Fatalf("error %q shows plaintext", err)
	}
}

func TestHashIsStableKeyedAndSeparatedByPurpose(t *testing.T) {
	t.Parallel()
	a := mustParse(t, "hash:"+fixedKey(1)+"\nk1:"+fixedKey(2))
	rotated := mustParse(t, "k2:"+fixedKey(3)+"\nhash:"+fixedKey(1)+"\nk1:"+fixedKey(2))
	other := mustParse(t, "hash:"+fixedKey(7)+"\nk1:"+fixedKey(2))

	h := a.HashString("phone", "+46701234567")
	if len(h) != 64 {
		t.Fatalf("hash %q is not 32 bytes of hex", h)
	}
	if h != a.HashString("phone", "+46701234567") {
		t.Error("the same value hashed twice differs")
	}
	if h != rotated.HashString("phone", "+46701234567") {
		t.Error("the hash changed when a new encryption key was added")
	}
	if h == other.HashString("phone", "+46701234567") {
		t.Error("another hash key gave the same hash: the hash is not keyed")
	}
	if h == a.HashString("name", "+46701234567") {
		t.Error("two purposes gave the same hash")
	}
	if h == a.HashString("phone", "+46701234568") {
		t.Error("two numbers gave the same hash")
	}
	if a.HashString("ab", "c") == a.HashString("a", "bc") {
		t.Error("purpose and value run together")
	}
}

func TestParseKeyring(t *testing.T) {
	t.Parallel()
	h, k1, k2 := fixedKey(1), fixedKey(2), fixedKey(3)
	tests := []struct {
		name, text string
		want       Code   // "" for success
		current    string // the current key id on success
	}{
		{"file with comments", "# keys\nhash:" + h + "  # never change\n\nk2:" + k2 + "\nk1:" + k1 + "\n", "", "k2"},
		{"env var with spaces", "hash:" + h + " k1:" + k1, "", "k1"},
		{"env var with semicolons", "k1:" + k1 + ";hash:" + h, "", "k1"},
		{"Windows line ends", "hash:" + h + "\r\nk1:" + k1 + "\r\n", "", "k1"},
		{"empty", "", CodeNoKeys, ""},
		{"only comments", "# nothing\n", CodeNoKeys, ""},
		{"no hash key", "k1:" + k1, CodeNoHashKey, ""},
		{"only a hash key", "hash:" + h, CodeNoKeys, ""},
		{"no colon", "hash:" + h + "\n" + k1, CodeBadKeyring, ""},
		{"short key", "hash:" + h + "\nk1:" + base64.StdEncoding.EncodeToString([]byte("short")), CodeBadKey, ""},
		{"not base64", "hash:" + h + "\nk1:not-base64!", CodeBadKey, ""},
		{"bad id", "hash:" + h + "\nk/1:" + k1, CodeBadKey, ""},
		{"empty id", "hash:" + h + "\n:" + k1, CodeBadKey, ""},
		{"duplicate id", "hash:" + h + "\nk1:" + k1 + "\nk1:" + k2, CodeDuplicateKey, ""},
		{"two hash keys", "hash:" + h + "\nhash:" + k2 + "\nk1:" + k1, CodeDuplicateKey, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParseKeyring([]byte(tt.text))
			if tt.want == "" {
				if err != nil || k.CurrentKeyID() != tt.current {
					t.Fatalf("ParseKeyring = %v, %v; want current key %q", k, err, tt.current)
				}
				return
			}
			if CodeOf(err) != tt.want {
				t.Fatalf("ParseKeyring error = %v, want code %s", err, tt.want)
			}
			if strings.Contains(err.Error(), k1) || strings.Contains(err.Error(), h) {
				t.Fatalf("error %q shows a key", err)
			}
		})
	}
}

func TestLoadKeyringFromFile(t *testing.T) {
	t.Parallel()
	k, err := GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, k.Marshal(), 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadKeyring(path)
	if err != nil || loaded.CurrentKeyID() != k.CurrentKeyID() {
		t.Fatalf("LoadKeyring = %v, %v", loaded, err)
	}
	if _, err := LoadKeyring(filepath.Join(t.TempDir(), "missing")); CodeOf(err) != CodeBadKeyring {
		t.Fatalf("LoadKeyring(missing) = %v, want %s", err, CodeBadKeyring)
	}
}

func TestPrintingAKeyringShowsNoKeys(t *testing.T) {
	t.Parallel()
	k := mustParse(t, "hash:"+fixedKey(1)+"\nk1:"+fixedKey(2))
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v", k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k)} {
		if strings.Contains(s, fixedKey(1)[:8]) || strings.Contains(s, fixedKey(2)[:8]) {
			t.Fatalf("printing the keyring shows a key: %s", s)
		}
	}
}
