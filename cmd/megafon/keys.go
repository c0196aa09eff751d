package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"megafon/cocreation/process"
	"megafon/outreach/contact"
	"megafon/outreach/helpline/calls"
	"megafon/outreach/referral"
	"megafon/platform/secret"
)

const keysUsage = `usage:
  megafon keys rotate --db ...     put a new key first in the keyring that encrypts contacts and participants (the old keys stay)
  megafon keys reencrypt --db ...  encrypt every contact and participant again with the first key, once every server runs with the new keyring`

// keys rotates the keyring that encrypts contacts' numbers and names, in
// two steps so that no running server meets a key it does not have:
// rotate writes the keyring with a new first key; after every server has
// been restarted with it, reencrypt moves the contacts onto that key, and
// the old key can then be removed from the file.
func keys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "reencrypt") {
		return errors.New(keysUsage)
	}
	fs := newFlags("keys "+args[0], stderr)
	dsn := fs.String("db", env("db", "megafon.db"), "SQLite file or postgres:// URL")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	envKeys, keyFile := os.Getenv("MEGAFON_KEYS"), os.Getenv("MEGAFON_KEYFILE")
	if strings.TrimSpace(envKeys) == "" && keyFile == "" && !strings.Contains(*dsn, "://") {
		keyFile = *dsn + ".keys"
	}
	if strings.TrimSpace(envKeys) == "" {
		if _, err := os.Stat(keyFile); err != nil {
			return fmt.Errorf("keys: no keyring at %q (set MEGAFON_KEYFILE or MEGAFON_KEYS): %w", keyFile, err)
		}
	}
	ring, _, err := contact.LoadKeys(envKeys, keyFile, *dsn)
	if err != nil {
		return err
	}
	if args[0] == "rotate" {
		next, err := ring.WithNewKey()
		if err != nil {
			return err
		}
		if strings.TrimSpace(envKeys) != "" {
			// The keyring lives in the environment: the operator puts it there.
			fmt.Fprintln(stderr, "MEGAFON_KEYS is set: put this keyring in it on every server, restart them, then run `megafon keys reencrypt`:")
			_, err := stdout.Write(next.Marshal())
			return err
		}
		if err := writeKeyring(keyFile, next); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new key %s written first to %s; restart every server, then run `megafon keys reencrypt`\n", next.CurrentKeyID(), keyFile)
		return nil
	}
	d, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := (&contact.Store{DB: d, Keys: ring}).Reencrypt(ctx)
	if err != nil {
		return fmt.Errorf("keys reencrypt: %d contacts done before: %w", n, err)
	}
	// Co-creation's participants are under the same keyring.
	np, err := (&process.Store{DB: d, Keys: ring}).Reencrypt(ctx)
	if err != nil {
		return fmt.Errorf("keys reencrypt: %d contacts done, participants: %w", n, err)
	}
	// And so are the contacts of referrals.
	nr, err := (&referral.Store{DB: d, Keys: ring}).Reencrypt(ctx)
	if err != nil {
		return fmt.Errorf("keys reencrypt: %d contacts and %d participants done, referrals: %w", n, np, err)
	}
	// And the numbers of residents who called the help line.
	nc, err := (&calls.Store{DB: d, Keys: ring}).Reencrypt(ctx)
	if err != nil {
		return fmt.Errorf("keys reencrypt: %d contacts, %d participants and %d referrals done, help-line callers: %w", n, np, nr, err)
	}
	fmt.Fprintf(stdout, "%d contacts encrypted again with key %s\n%d co-creation participants encrypted again\n%d referral contacts encrypted again\n%d help-line callers' numbers encrypted again; keys after the first may now be removed from the keyring\n", n, ring.CurrentKeyID(), np, nr, nc)
	return nil
}

// writeKeyring replaces the keyring file in one rename, so that a server
// starting meanwhile reads the old keyring or the new one, never half.
func writeKeyring(path string, k *secret.Keyring) error {
	tmp := path + ".new"
	os.Remove(tmp) // a leftover of a crash would keep its own mode
	if err := createPrivateFile(tmp, k.Marshal()); err != nil {
		return fmt.Errorf("write keyring: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write keyring: %w", err)
	}
	return nil
}
