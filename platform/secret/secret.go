// Package secret encrypts personal data at rest (phone numbers, names) and
// computes keyed hashes of it for de-duplication and look-up, so that a copy
// of the database alone reveals nothing.
//
// # Keyring format
//
// A keyring is text, from a file or an environment variable. Each key is
// "id:base64", the key being 32 random bytes in standard base64. Keys are
// separated by newlines (or, handy in an environment variable, by spaces,
// commas or semicolons); "#" starts a comment to the end of the line.
//
//	# Megafon keyring. The first key encrypts; the others only decrypt.
//	hash:3q2+7w...=   the hash key: never change it
//	k2025b:q83v...=   current encryption key
//	k2024a:Z29v...=   an older key, kept so that old rows still decrypt
//
// The id "hash" is reserved for the key of Hash. It is separate from the
// encryption keys and never rotates, so hashes stay the same when the
// encryption keys change; losing it means every hash must be recomputed
// from decrypted values. Of the other keys the first is current. Ids are 1
// to 32 letters, digits, "-" or "_".
//
// To rotate: put a new key first (Keyring.WithNewKey does it), restart,
// then re-encrypt rows for which NeedsRotation is true, and drop the old
// key once none are left.
//
// # Ciphertext format
//
// "v1:" + key id + ":" + base64(nonce ‖ AES-256-GCM sealed data), for
// example "v1:k2025b:8Jx0...". The version and key id are authenticated
// with the data, as is the caller's context (for example "contact.phone"),
// so a ciphertext copied to another column does not decrypt there.
package secret

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Code is the stable, machine-readable reason for an error.
type Code string

// The reasons this package fails.
const (
	CodeBadKeyring    Code = "bad_keyring"    // the keyring text cannot be read
	CodeNoKeys        Code = "no_keys"        // no encryption key
	CodeNoHashKey     Code = "no_hash_key"    // no "hash" key
	CodeBadKey        Code = "bad_key"        // a key is not 32 bytes of base64, or its id is malformed
	CodeDuplicateKey  Code = "duplicate_key"  // two keys with the same id
	CodeMalformed     Code = "malformed"      // not a ciphertext of this package
	CodeUnknownKey    Code = "unknown_key"    // encrypted with a key that is not in the keyring
	CodeDecryptFailed Code = "decrypt_failed" // tampered with, wrong key, or wrong context
)

// Error is a failure with a stable Code and a Reason for logs. It never
// contains key material or plaintext.
type Error struct {
	Op     string // what was being done: "parse keyring", "decrypt" ...
	Code   Code
	Reason string
	Err    error
}

func (e *Error) Error() string {
	s := "secret: " + e.Op + ": " + string(e.Code)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// CodeOf returns the Code of the *Error in err's chain, or "".
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

const (
	keySize   = 32 // AES-256
	hashKeyID = "hash"
	version   = "v1"
)

// key is one encryption key with its AEAD ready.
type key struct {
	id   string
	raw  []byte
	aead cipher.AEAD
}

// Keyring holds the encryption keys (the first is current) and the hash
// key. It is safe for concurrent use. Printing it shows the key ids only.
type Keyring struct {
	keys    []key // keys[0] is current
	byID    map[string]*key
	hashKey []byte
}

// ParseKeyring reads a keyring in the format described in the package
// documentation.
func ParseKeyring(text []byte) (*Keyring, error) {
	const op = "parse keyring"
	k := &Keyring{byID: map[string]*key{}}
	sc := bufio.NewScanner(bytes.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		s, _, _ := strings.Cut(sc.Text(), "#")
		for _, field := range strings.FieldsFunc(s, isSeparator) {
			id, b64, ok := strings.Cut(field, ":")
			if !ok {
				return nil, &Error{Op: op, Code: CodeBadKeyring, Reason: fmt.Sprintf("line %d: want id:base64key", line)}
			}
			if !validID(id) {
				return nil, &Error{Op: op, Code: CodeBadKey, Reason: fmt.Sprintf("line %d: key id %q: want 1 to 32 letters, digits, - or _", line, id)}
			}
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || len(raw) != keySize {
				return nil, &Error{Op: op, Code: CodeBadKey, Reason: fmt.Sprintf("line %d: key %q is not %d bytes of standard base64", line, id, keySize)}
			}
			if err := k.add(id, raw); err != nil {
				return nil, &Error{Op: op, Code: CodeDuplicateKey, Reason: fmt.Sprintf("line %d: %v", line, err)}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{Op: op, Code: CodeBadKeyring, Err: err}
	}
	if len(k.keys) == 0 {
		return nil, &Error{Op: op, Code: CodeNoKeys, Reason: "no encryption key"}
	}
	if k.hashKey == nil {
		return nil, &Error{Op: op, Code: CodeNoHashKey, Reason: `no key with the id "hash"`}
	}
	return k, nil
}

// LoadKeyring reads a keyring from a file.
func LoadKeyring(path string) (*Keyring, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Op: "load keyring", Code: CodeBadKeyring, Reason: path, Err: err}
	}
	k, err := ParseKeyring(b)
	if err != nil {
		return nil, fmt.Errorf("load keyring %s: %w", path, err)
	}
	return k, nil
}

// GenerateKeyring returns a new keyring with a fresh hash key and one
// encryption key, for the first start. Save its Marshal output somewhere
// safe: without it the data cannot be read.
func GenerateKeyring() (*Keyring, error) {
	k := &Keyring{byID: map[string]*key{}}
	raw, err := randomBytes(keySize)
	if err != nil {
		return nil, err
	}
	if err := k.add(hashKeyID, raw); err != nil {
		return nil, err
	}
	return k.WithNewKey()
}

// WithNewKey returns a copy of k with a fresh current key put first, under
// a new random id; k's keys stay, so existing ciphertexts still decrypt.
func (k *Keyring) WithNewKey() (*Keyring, error) {
	raw, err := randomBytes(keySize)
	if err != nil {
		return nil, err
	}
	idBytes, err := randomBytes(4)
	if err != nil {
		return nil, err
	}
	return k.WithKey("k"+hex.EncodeToString(idBytes), raw)
}

// WithKey returns a copy of k with the given key put first as the current
// key.
func (k *Keyring) WithKey(id string, raw []byte) (*Keyring, error) {
	const op = "add key"
	if !validID(id) || id == hashKeyID {
		return nil, &Error{Op: op, Code: CodeBadKey, Reason: fmt.Sprintf("key id %q", id)}
	}
	if len(raw) != keySize {
		return nil, &Error{Op: op, Code: CodeBadKey, Reason: fmt.Sprintf("key is %d bytes, want %d", len(raw), keySize)}
	}
	n := &Keyring{byID: map[string]*key{}}
	if err := n.add(id, raw); err != nil {
		return nil, &Error{Op: op, Code: CodeDuplicateKey, Reason: err.Error()}
	}
	if k.hashKey != nil {
		n.hashKey = k.hashKey
	}
	for _, old := range k.keys {
		if err := n.add(old.id, old.raw); err != nil {
			return nil, &Error{Op: op, Code: CodeDuplicateKey, Reason: err.Error()}
		}
	}
	return n, nil
}

// Marshal returns k in the keyring format, the hash key first, then the
// encryption keys with the current one first.
func (k *Keyring) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("# Megafon keyring. Keep it secret and backed up: without it the data cannot be read.\n")
	b.WriteString("# \"hash\" never changes; of the others the first key encrypts, the rest only decrypt.\n")
	fmt.Fprintf(&b, "%s:%s\n", hashKeyID, base64.StdEncoding.EncodeToString(k.hashKey))
	for _, key := range k.keys {
		fmt.Fprintf(&b, "%s:%s\n", key.id, base64.StdEncoding.EncodeToString(key.raw))
	}
	return b.Bytes()
}

// CurrentKeyID returns the id of the key that encrypts.
func (k *Keyring) CurrentKeyID() string { return k.keys[0].id }

// String shows the key ids, never the keys.
func (k *Keyring) String() string {
	ids := make([]string, len(k.keys))
	for i, key := range k.keys {
		ids[i] = key.id
	}
	return "secret.Keyring{current: " + k.keys[0].id + ", keys: " + strings.Join(ids, ",") + "}"
}

// GoString is String, so that %#v does not print the keys either.
func (k *Keyring) GoString() string { return k.String() }

// Encrypt seals plaintext with the current key. context names what the
// value is ("contact.phone", "contact.name") and must be given again to
// Decrypt; it is authenticated, not stored.
func (k *Keyring) Encrypt(plaintext []byte, context string) (string, error) {
	cur := &k.keys[0]
	nonce, err := randomBytes(cur.aead.NonceSize())
	if err != nil {
		return "", fmt.Errorf("encrypt: %w", err)
	}
	header := version + ":" + cur.id + ":"
	sealed := cur.aead.Seal(nonce, nonce, plaintext, additionalData(header, context))
	return header + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// EncryptString is Encrypt for a string.
func (k *Keyring) EncryptString(plaintext, context string) (string, error) {
	return k.Encrypt([]byte(plaintext), context)
}

// Decrypt opens a ciphertext made by Encrypt with any key in the keyring,
// given the same context. Tampering, a wrong key or a wrong context all
// give CodeDecryptFailed; AES-GCM cannot tell them apart.
func (k *Keyring) Decrypt(ciphertext, context string) ([]byte, error) {
	const op = "decrypt"
	header, id, body, err := splitCiphertext(ciphertext)
	if err != nil {
		return nil, &Error{Op: op, Code: CodeMalformed, Reason: err.Error()}
	}
	key, ok := k.byID[id]
	if !ok {
		return nil, &Error{Op: op, Code: CodeUnknownKey, Reason: fmt.Sprintf("key id %q is not in the keyring", id)}
	}
	sealed, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(sealed) < key.aead.NonceSize()+key.aead.Overhead() {
		return nil, &Error{Op: op, Code: CodeMalformed, Reason: "body is not base64 of nonce and sealed data"}
	}
	nonce, sealed := sealed[:key.aead.NonceSize()], sealed[key.aead.NonceSize():]
	plain, err := key.aead.Open(nil, nonce, sealed, additionalData(header, context))
	if err != nil {
		return nil, &Error{Op: op, Code: CodeDecryptFailed, Reason: fmt.Sprintf("key %q: tampered, wrong key or wrong context", id)}
	}
	return plain, nil
}

// DecryptString is Decrypt for a string.
func (k *Keyring) DecryptString(ciphertext, context string) (string, error) {
	b, err := k.Decrypt(ciphertext, context)
	return string(b), err
}

// NeedsRotation reports whether ciphertext was not made with the current
// key and should be re-encrypted. A malformed ciphertext needs it too;
// Decrypt says what is wrong with it.
func (k *Keyring) NeedsRotation(ciphertext string) bool {
	_, id, _, err := splitCiphertext(ciphertext)
	return err != nil || id != k.keys[0].id
}

// Reencrypt decrypts ciphertext and encrypts it again with the current key.
func (k *Keyring) Reencrypt(ciphertext, context string) (string, error) {
	plain, err := k.Decrypt(ciphertext, context)
	if err != nil {
		return "", fmt.Errorf("re-encrypt: %w", err)
	}
	return k.Encrypt(plain, context)
}

// Hash returns the keyed hash (HMAC-SHA256 under the "hash" key, hex) of
// value for purpose, for finding and de-duplicating values without
// decrypting them. Normalise value first (a phone number to E.164): the
// same value and purpose always give the same hash, across key rotations;
// different purposes give unrelated hashes.
func (k *Keyring) Hash(purpose string, value []byte) string {
	m := hmac.New(sha256.New, k.hashKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(value)
	return hex.EncodeToString(m.Sum(nil))
}

// HashString is Hash for a string.
func (k *Keyring) HashString(purpose, value string) string {
	return k.Hash(purpose, []byte(value))
}

func (k *Keyring) add(id string, raw []byte) error {
	if id == hashKeyID {
		if k.hashKey != nil {
			return fmt.Errorf("two keys with the id %q", id)
		}
		k.hashKey = bytes.Clone(raw)
		return nil
	}
	if _, dup := k.byID[id]; dup {
		return fmt.Errorf("two keys with the id %q", id)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	k.keys = append(k.keys, key{id: id, raw: bytes.Clone(raw), aead: aead})
	// Rebuild the index: append may have moved the slice.
	for i := range k.keys {
		k.byID[k.keys[i].id] = &k.keys[i]
	}
	return nil
}

// splitCiphertext returns the authenticated header ("v1:id:"), the key id
// and the base64 body.
func splitCiphertext(s string) (header, id, body string, err error) {
	v, rest, ok := strings.Cut(s, ":")
	if !ok || v != version {
		return "", "", "", errors.New(`does not start with "v1:"`)
	}
	id, body, ok = strings.Cut(rest, ":")
	if !ok || !validID(id) {
		return "", "", "", errors.New("no key id")
	}
	return v + ":" + id + ":", id, body, nil
}

// additionalData binds the header and the caller's context to the sealed
// data. The length prefix keeps ("a:", "b") and ("a", ":b") apart.
func additionalData(header, context string) []byte {
	return fmt.Appendf(nil, "%d:%s%s", len(header), header, context)
}

func validID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func isSeparator(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == ',' || r == ';'
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("random bytes: %w", err)
	}
	return b, nil
}
