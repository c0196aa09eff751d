package contact

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"megafon/platform/secret"
)

// LoadKeys finds the keyring: the text of the environment variable
// MEGAFON_KEYS (env), else the file MEGAFON_KEYFILE (file), else the file
// beside the SQLite database (dsn + ".keys"), which is created with a new
// keyring on the first start. A PostgreSQL database has no such place:
// one of the two must be set. It reports whether it created the file.
func LoadKeys(env, file, dsn string) (*secret.Keyring, bool, error) {
	if strings.TrimSpace(env) != "" {
		k, err := secret.ParseKeyring([]byte(env))
		if err != nil {
			return nil, false, fmt.Errorf("MEGAFON_KEYS: %w", err)
		}
		return k, false, nil
	}
	if file == "" {
		if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
			return nil, false, errors.New("contact keys: set MEGAFON_KEYS or MEGAFON_KEYFILE (the keyring that encrypts contacts); the same on every instance")
		}
		file = dsn + ".keys"
	}
	k, err := secret.LoadKeyring(file)
	if err == nil {
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	k, err = secret.GenerateKeyring()
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, false, fmt.Errorf("save new keyring: %w", err)
	}
	// O_EXCL: two processes starting at once must not each write a key.
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		k, err := secret.LoadKeyring(file)
		return k, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("save new keyring: %w", err)
	}
	if _, err := f.Write(k.Marshal()); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("save new keyring: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, false, fmt.Errorf("save new keyring: %w", err)
	}
	return k, true, nil
}
