// Command megafon runs Megafon: the web server, its migrations, the first
// administrator, and backups.
//
//	megafon serve [--demo] [--addr 127.0.0.1:8080] [--db megafon.db | --db postgres://...]
//	megafon migrate --db ...
//	megafon user create --email a@b.se --name "A B" [--org "Stadsledningsförvaltningen"]  (password on stdin)
//	megafon backup --db megafon.db --to backup.db
//	megafon version
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Swedish time on machines without a zoneinfo database

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web"
	"megafon/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "megafon:", err)
		os.Exit(1)
	}
}

const usage = `Usage: megafon <command> [flags]

Commands:
  serve         run the web server (--demo: with the demo city on SQLite)
  migrate       apply the database migrations and exit
  user create   create an administrator (password read from standard input)
  backup        copy the SQLite database to a file, safely while the server runs
                (and keep its keyring, <file>.keys, with it: contacts are encrypted)
  keys rotate   put a new key first in the keyring that encrypts contacts and participants
  keys reencrypt  encrypt every contact and participant again with the keyring's first key
  version       print the version

Every flag can also be set in the environment: --db is MEGAFON_DB, --addr is MEGAFON_ADDR, and so on.
Run "megafon <command> -h" for the flags of a command.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			return errors.New(`usage: megafon user create --email ... --name ...`)
		}
		return createUser(ctx, args[2:], stdin, stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], stdout, stderr)
	case "keys":
		return keys(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "megafon", version())
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", ""
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if rev != "" {
			return rev[:min(12, len(rev))] + dirty
		}
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			return info.Main.Version
		}
	}
	return "dev"
}

// hostOf is the host name of a URL, for a default sender address.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return u.Hostname()
}

// env returns the environment variable for a flag, or def.
func env(name, def string) string {
	if v := os.Getenv("MEGAFON_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
		return v
	}
	return def
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("megafon "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", env("addr", "127.0.0.1:8080"), "address to listen on")
	dsn := fs.String("db", env("db", ""), "SQLite file or postgres:// URL (default megafon.db, or megafon-demo.db with --demo)")
	isDemo := fs.Bool("demo", env("demo", "") == "1", "seed the demo city into an empty database")
	baseURL := fs.String("base-url", env("base-url", ""), "public address, for links in messages (default http://<addr>)")
	secure := fs.Bool("secure-cookies", env("secure-cookies", "") == "1", "mark cookies Secure (when served over HTTPS)")
	logLevel := fs.String("log-level", env("log-level", "info"), "debug, info, warn or error")
	smtpAddr := fs.String("smtp", env("smtp", ""), "mail server host:port for the e-mail outbox (sign-in: MEGAFON_SMTP_USER, MEGAFON_SMTP_PASSWORD); empty: e-mail stays queued")
	mailFrom := fs.String("mail-from", env("mail-from", ""), "sender address of e-mail (default megafon@<host of --base-url>)")
	smsFrom := fs.String("sms-from", env("sms-from", "Megafon"), "sender of SMS sent through 46elks: up to 11 letters and digits, or a number (the account: MEGAFON_46ELKS_USER, MEGAFON_46ELKS_PASSWORD; without it SMS stay queued)")
	smsProvider := fs.String("sms-provider", env("sms-provider", "46elks"), "the outbox's SMS provider: 46elks or twilio (the account: MEGAFON_TWILIO_ACCOUNT_SID, MEGAFON_TWILIO_AUTH_TOKEN)")
	proxies := fs.String("trusted-proxies", env("trusted-proxies", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed; empty: none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		*dsn = "megafon.db"
		if *isDemo {
			*dsn = "megafon-demo.db"
		}
	}
	if *baseURL == "" {
		*baseURL = "http://" + *addr
	}
	trusted, err := web.ParsePrefixes(*proxies)
	if err != nil {
		return fmt.Errorf("serve: --trusted-proxies: %w", err)
	}
	if *mailFrom == "" {
		*mailFrom = "megafon@" + hostOf(*baseURL)
	}
	log := newLogger(stderr, *logLevel)
	start := time.Now()

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	smsUser, smsPassword := os.Getenv("MEGAFON_46ELKS_USER"), os.Getenv("MEGAFON_46ELKS_PASSWORD")
	switch *smsProvider {
	case "46elks":
	case "twilio":
		smsUser, smsPassword = os.Getenv("MEGAFON_TWILIO_ACCOUNT_SID"), os.Getenv("MEGAFON_TWILIO_AUTH_TOKEN")
	default:
		return fmt.Errorf("serve: --sms-provider: %q is neither 46elks nor twilio", *smsProvider)
	}
	cfg := web.Config{BaseURL: *baseURL, SecureCookies: *secure, TrustedProxies: trusted,
		MailServer: *smtpAddr, MailFrom: *mailFrom, MailUser: os.Getenv("MEGAFON_SMTP_USER"), MailPassword: os.Getenv("MEGAFON_SMTP_PASSWORD"),
		SMSUser: smsUser, SMSPassword: smsPassword, SMSFrom: *smsFrom, SMSProvider: *smsProvider, Demo: *isDemo}
	app, err := server.Build(ctx, cfg, *dsn, log)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if *isDemo {
		seeded, err := server.SeedDemo(ctx, app)
		if err != nil {
			return err
		}
		if seeded {
			log.Info("seeded the demo city", "db", *dsn)
		}
	}
	go cleanUp(ctx, app)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	log.Info("megafon started", "addr", ln.Addr().String(), "db", redact(*dsn), "version", version(), "startup_ms", time.Since(start).Milliseconds())
	fmt.Fprintf(stdout, "Megafon is running at http://%s/\n", ln.Addr())
	if *isDemo {
		fmt.Fprintf(stdout, "Demo city: sign in as %s with the password %s\n", demo.Accounts[0].Login, demo.Password)
		fmt.Fprintf(stdout, "  or as a coordinator: %s, a facilitator: %s, a group lead: %s (same password)\n",
			demo.Accounts[1].Login, demo.Accounts[3].Login, demo.Accounts[5].Login)
		fmt.Fprintf(stdout, "  or as a volunteer: phone %s with the code %s\n", demo.Accounts[6].Login, demo.Passcode)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Finish the requests in flight, then stop.
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// cleanUp removes expired sessions and old sign-in failures now and then.
func cleanUp(ctx context.Context, app *web.App) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sessions := auth.SessionStore{DB: app.DB, Now: app.Now}
			if err := sessions.DeleteExpired(ctx); err != nil {
				app.Log.Warn("delete expired sessions", "err", err)
			}
			if err := app.Auth.ForgetOldFailures(ctx); err != nil {
				app.Log.Warn("forget old sign-in failures", "err", err)
			}
		}
	}
}

func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && strings.Contains(dsn, "://") {
		return dsn[:strings.Index(dsn, "://")+3] + "…" + dsn[i:]
	}
	return dsn
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	dsn := fs.String("db", env("db", "megafon.db"), "SQLite file or postgres:// URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

// openMigrated opens the database and applies every part's migrations.
func openMigrated(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx, server.Migrations(server.Modules())...); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func createUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user create", stderr)
	dsn := fs.String("db", env("db", "megafon.db"), "SQLite file or postgres:// URL")
	name := fs.String("name", "", "the person's name")
	email := fs.String("email", "", "e-mail address to sign in with")
	orgName := fs.String("org", "Stadsledningsförvaltningen", "the city administration the administrator belongs to (created when missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" || *email == "" {
		return errors.New("user create: --name and --email are required")
	}
	fmt.Fprintln(stderr, "Password (at least 12 characters), then Enter:")
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	password = strings.TrimRight(password, "\r\n")
	if err := auth.ValidateSecret("password", password); err != nil {
		return fmt.Errorf("user create: password: at least %d characters", auth.MinPasswordLength)
	}
	d, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	store := auth.NewStore(d)
	var org auth.Org
	orgs, err := store.Orgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.Name == *orgName {
			org = o
		}
	}
	if org.ID == 0 {
		if org, err = store.CreateOrg(ctx, *orgName, auth.Administration); err != nil {
			return err
		}
	}
	id, err := store.CreatePerson(ctx, auth.NewPerson{Name: *name, Email: *email}, org.ID, auth.Admin, password)
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	fmt.Fprintf(stdout, "administrator %s created (id %d) in %s\n", *email, id, org.Name)
	return nil
}

// createPrivateFile creates path, which must not exist, readable by its
// owner only, with data. os.WriteFile keeps the mode of a file that is
// there already.
func createPrivateFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// backup copies a live SQLite database with VACUUM INTO, which reads one
// consistent snapshot while the server goes on writing.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	dsn := fs.String("db", env("db", "megafon.db"), "the SQLite file to copy")
	to := fs.String("to", "", "the file to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to is required")
	}
	if strings.Contains(*dsn, "://") {
		return errors.New("backup: for PostgreSQL use pg_dump; this command copies SQLite files")
	}
	if _, err := os.Stat(*dsn); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Stat(*to); err == nil {
		return fmt.Errorf("backup: %s exists already", *to)
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	// The copy holds people's details: it is made private before a byte
	// is written to it (VACUUM INTO fills an existing empty file).
	if err := createPrivateFile(*to, nil); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := d.Writer().ExecContext(ctx, `VACUUM INTO $1`, *to); err != nil {
		os.Remove(*to)
		return fmt.Errorf("backup: %w", err)
	}
	st, _ := os.Stat(*to)
	fmt.Fprintf(stdout, "backup written to %s (%d bytes, %s)\n", *to, st.Size(), time.Since(start).Round(time.Millisecond))
	// Without its keyring the backup's contacts could never be read again.
	if ring, err := os.ReadFile(*dsn + ".keys"); err == nil {
		if err := createPrivateFile(*to+".keys", ring); err != nil {
			return fmt.Errorf("backup: copy the keyring: %w", err)
		}
		fmt.Fprintf(stdout, "keyring copied to %s.keys; keep it apart from the database copy\n", *to)
	}
	return nil
}
