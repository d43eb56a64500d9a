package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/ui"
	"mfpmail/ui/sshserve"
	"mfpmail/ui/termfacts"
)

// serveOnly are the flags of mfpmail serve itself; every other flag given
// to serve is a default for each session's wizard.
var serveOnly = map[string]bool{"listen": true, "host-key": true, "authorized-keys": true,
	"max-sessions": true, "idle-timeout": true, "reports-dir": true, "grace": true, "log": true}

// sessionRefused are wizard flags a client may not give after --: they
// would read or write files on the server.
var sessionRefused = []string{"log", "ca-file"}

// UsageLine is the one line a served session gets for a bad flag.
func (e usageError) UsageLine() string { return e.msg }

type serveFlags struct {
	listen, hostKey, authKeys, reportsDir string
	maxSessions                           int
	idle, grace                           time.Duration
}

// newServeCmd is `mfpmail serve`.
func newServeCmd(stdout, stderr io.Writer) *cobra.Command {
	c, f := newServe()
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "the wizard over SSH, for a classroom or a jump host",
		Long: "The wizard's flags given to serve are each session's defaults; a client adds its own after --\n" +
			"(ssh -t -p 2222 HOST -- --lang ja). Off loopback, --authorized-keys is required.\n" +
			"At start it prints the address as --listen gave it (0.0.0.0:2222) and a Connect line with a host\n" +
			"clients can use: localhost on loopback, this machine's host name on every address (0.0.0.0, [::]).",
		Annotations: exits("0  stopped with SIGTERM or Ctrl+C\n1  could not start (e.g. its port is in use)\n" +
			"2  bad input or usage (then nothing is created)"),
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return runServe(c, f, stdout, stderr) },
	}
	cmd.Flags().AddFlagSet(c.fs)
	return cmd
}

// runServe is mfpmail serve: the wizard over SSH, one program per session,
// until SIGTERM or SIGINT (then exit 0 after the grace period).
func runServe(c *common, f *serveFlags, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveChecked(ctx, c, f, stdout, stderr, nil)
}

// serveUntil parses serve's flags (args without the word serve) and
// serves until ctx ends; ready, if set, gets the server once it listens.
func serveUntil(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(*sshserve.Server)) error {
	c, f := newServe()
	if err := c.parse(args); err != nil {
		return err
	}
	return serveChecked(ctx, c, f, stdout, stderr, ready)
}

// serveChecked checks the parsed flags, then serves until ctx ends.
func serveChecked(ctx context.Context, c *common, f *serveFlags, stdout, stderr io.Writer, ready func(*sshserve.Server)) error {
	if _, err := c.config(); err != nil {
		return err
	}
	if err := checkServeFlags(*f); err != nil {
		return err
	}
	go ui.WarmWidths() // before the first session draws
	return serveWith(ctx, c, *f, stdout, stderr, ready)
}

// newServe: serve's own flags, and the wizard's as each session's defaults.
func newServe() (*common, *serveFlags) {
	c := newCommon("mfpmail serve")
	f := &serveFlags{}
	fs := c.fs
	fs.StringVar(&f.listen, "listen", "127.0.0.1:2222", "address to listen on; other than loopback needs --authorized-keys")
	fs.StringVar(&f.hostKey, "host-key", defaultHostKey(), "the server's ed25519 host key (created on first start, mode 0600)")
	fs.StringVar(&f.authKeys, "authorized-keys", "", "authorized_keys file: the public keys allowed in (required off loopback)")
	fs.IntVar(&f.maxSessions, "max-sessions", 50, "sessions at once; the next is told the server is busy")
	fs.DurationVar(&f.idle, "idle-timeout", 30*time.Minute, "end a session after this long without a key press (0 = never)")
	fs.StringVar(&f.reportsDir, "reports-dir", "mfpmail-reports", "directory the sessions' reports are saved in")
	fs.DurationVar(&f.grace, "grace", 5*time.Second, "on SIGTERM/SIGINT, how long sessions are warned before they close")
	return c, f
}

// serveWith serves with checked flags until ctx ends. Nothing is created
// (host key, reports folder) before every flag is valid and the port is
// free.
func serveWith(ctx context.Context, c *common, f serveFlags, stdout, stderr io.Writer, ready func(*sshserve.Server)) error {
	if err := sshserve.CheckListen(f.listen, f.authKeys); err != nil {
		return usageError{err.Error()}
	}
	if err := portFree(f.listen); err != nil {
		return err
	}
	logger, closeLog, err := serveLog(c.logFile, stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	srv, err := sshserve.New(sshserve.Options{Listen: f.listen, HostKey: f.hostKey, AuthorizedKeys: f.authKeys,
		MaxSessions: f.maxSessions, IdleTimeout: f.idle, Grace: f.grace, Log: logger,
		Program: sessionProgram(c, f), Text: sessionText})
	if err != nil {
		if le := listenError("--listen", f.listen, err); le != err {
			return le
		}
		return usageError{err.Error()}
	}
	if err := os.MkdirAll(f.reportsDir, 0o700); err != nil {
		srv.Close()
		return fmt.Errorf("--reports-dir %q: %v", f.reportsDir, err)
	}
	printServing(stdout, srv, f, c.demo)
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	if ready != nil {
		ready(srv)
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "sessions", srv.Active(), "grace", f.grace.String())
	_ = srv.Shutdown(context.Background())
	<-served
	return nil
}

func checkServeFlags(f serveFlags) error {
	if f.maxSessions < 1 {
		return usagef("--max-sessions %d: give 1 or more", f.maxSessions)
	}
	if f.idle < 0 {
		return usagef("--idle-timeout %s: give a duration of 0 (never) or more, e.g. 30m", f.idle)
	}
	if f.grace < 0 {
		return usagef("--grace %s: give a duration of 0 or more, e.g. 5s", f.grace)
	}
	return checkReportsDir(f.reportsDir)
}

// checkReportsDir accepts a folder that exists, or one MkdirAll can make
// later: its nearest existing ancestor is a folder. It creates nothing.
func checkReportsDir(dir string) error {
	for p := dir; ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		switch {
		case err == nil && st.IsDir():
			return nil
		case err == nil:
			return usagef("--reports-dir %q: %s is a file, not a folder; give a folder", dir, p)
		case !errors.Is(err, fs.ErrNotExist):
			return usagef("--reports-dir %q: %v", dir, err)
		case filepath.Dir(p) == p:
			return nil
		}
	}
}

// portFree binds the --listen address once and lets go, so that a port
// in use is told before anything (the host key) is created.
func portFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if le := listenError("--listen", addr, err); le != err {
			return le
		}
		return usagef("--listen %q: %v", addr, err)
	}
	return ln.Close()
}

func defaultHostKey() string {
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "mfpmail", "ssh_host_ed25519_key")
	}
	return "mfpmail_ssh_host_ed25519_key"
}

// serveLog is the server's log: stderr, and the --log file if given. It
// gets one line per session start and end, never a token, code or report.
func serveLog(path string, stderr io.Writer) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.NewTextHandler(stderr, nil)), func() {}, nil
	}
	// The same rules as the wizard's log: no symbolic link, mode 0600.
	f, err := flow.OpenLog(path)
	if err != nil {
		return nil, nil, usageError{err.Error()}
	}
	return slog.New(slog.NewTextHandler(io.MultiWriter(stderr, f), nil)), func() { f.Close() }, nil
}

func printServing(w io.Writer, srv *sshserve.Server, f serveFlags, demoMode bool) {
	mode := "real sign-in: each session signs in with its own device code"
	if demoMode {
		mode = "demo: each session gets its own simulated tenant"
	}
	shown := listenShown(f.listen, srv.Addr())
	fmt.Fprintf(w, "mfpmail serve listening on %s (%s)\n", shown, mode)
	made := ""
	if srv.KeyCreated() {
		made = ", created now"
	}
	fmt.Fprintf(w, "Host key %s (%s%s)\n", srv.Fingerprint(), f.hostKey, made)
	host, port, note := connectTo(shown)
	fmt.Fprintf(w, "Connect with: ssh -t -p %s %s   (%sthe client must show the fingerprint above)\n", port, host, note)
	fmt.Fprintf(w, "Reports are saved in %s. SIGTERM or Ctrl+C stops the server.\n", f.reportsDir)
}

// listenShown is the address the server listens on as the technician
// gave it, with the port the system chose for port 0: "0.0.0.0:2222"
// stays so (Go reports such a socket as "[::]:2222"), a name stays the
// name. No host at all (":2222", every address) is shown as "*:2222".
func listenShown(asked, actual string) string {
	host, _, err := net.SplitHostPort(asked)
	_, port, err2 := net.SplitHostPort(actual)
	if err != nil || err2 != nil {
		return actual
	}
	if host == "" {
		return "*:" + port
	}
	return net.JoinHostPort(host, port)
}

// connectTo is the host and port a client gives ssh for the address the
// server listens on: localhost for loopback; for every address (0.0.0.0,
// ::, *) this machine's name, with a note; otherwise the host as given.
func connectTo(addr string) (host, port, note string) {
	host, port, _ = net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	switch {
	case strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback():
		host = "localhost"
	case host == "" || host == "*" || ip != nil && ip.IsUnspecified():
		host, _ = os.Hostname()
		if host == "" {
			host = "HOST"
		}
		note = "on all of this machine's addresses: " + host + " is its name, any address other machines reach it by works too; "
	}
	return host, port, note
}

// sessionText is a serve text in the language the client's LANG/LC_* ask for.
func sessionText(env []string, key string, kv ...string) string {
	return assets.T(assets.LangFromEnv(sshserve.Getenv(env, "")), key, kv...)
}

// servedTerm decides what a served session's terminal can show from what
// its SSH client sent — its environment (LANG, LC_*, NO_COLOR,
// RUNEWIDTH_EASTASIAN) and the terminal type of its pty request — with
// the local wizard's own rules and the session's flags.
func servedTerm(c *common, lang assets.Lang, env []string, termName string) (ui.Term, assets.Lang, string) {
	d := termfacts.Decide("", sshserve.Getenv(env, termName), termfacts.Console{},
		termfacts.Flags{Lang: lang, ASCII: c.ascii, EastAsianWidth: c.eaWidth})
	return ui.TermOf(d), d.Lang, d.Notice
}

// sessionFlags are a session's wizard flags: the server's defaults, then
// the client's own after --, which may not name files on the server.
func sessionFlags(defaults, args []string) (*common, error) {
	own := newCommon("mfpmail")
	if err := own.parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, usagef("the wizard's flags are listed by mfpmail --help")
		}
		return nil, err
	}
	for _, name := range sessionRefused {
		if own.set(name) {
			return nil, usagef("--%s: not available in a served session (it names a file on the server)", name)
		}
	}
	c := newCommon("mfpmail")
	if err := c.parse(append(append([]string(nil), defaults...), args...)); err != nil {
		return nil, err
	}
	return c, nil
}

// sessionProgram builds each session's wizard: the server's wizard flags,
// then the client's own after --, parsed with the wizard's rules.
func sessionProgram(server *common, f serveFlags) sshserve.ProgramFunc {
	var defaults []string
	server.fs.VisitAll(func(fl *pflag.Flag) {
		if fl.Changed && !serveOnly[fl.Name] {
			defaults = append(defaults, "--"+fl.Name+"="+fl.Value.String())
		}
	})
	host, _ := os.Hostname()
	return func(s sshserve.Session) (tea.Model, func(), error) {
		c, err := sessionFlags(defaults, s.Args)
		if err != nil {
			return nil, nil, err
		}
		c.demo = server.demo // the server decides whether tenants are simulated
		getenv := sshserve.Getenv(s.Env, s.Term)
		if c.lang == "" {
			c.lang = string(assets.LangFromEnv(getenv))
		}
		cfg, err := c.config()
		if err != nil {
			return nil, nil, err
		}
		term, lang, notice := servedTerm(c, cfg.Lang, s.Env, s.Term)
		cfg = c.withLang(cfg, lang)
		name := fmt.Sprintf("mfpmail-report-%s-%s-%d.md", sshserve.CleanName(s.User), time.Now().Format("20060102-150405"), s.N)
		opts := ui.Options{Config: cfg, NoQR: c.noQR, Term: term, Notice: notice, Version: version,
			SMTPHost: c.smtpHost, SMTPPort: c.smtpPort, To: c.to, Answers: c.answers(),
			RunBy: sshserve.CleanName(s.User), Host: host, Device: c.device, Output: s.Output, Multiplexer: multiplexer(getenv), Ctx: s.Ctx,
			Report: filepath.Join(f.reportsDir, name), ReportFixed: true, ReportText: true}
		if c.caFile != "" {
			opts.SMTPRoots, _ = flow.RootsWithCA(c.caFile) // validated in config()
		}
		var sim *demo.Simulation
		if c.demo {
			if sim, err = startSimulation(c, demo.TenantOptions{}); err != nil {
				return nil, nil, err
			}
			opts = demoOptions(opts, sim)
		}
		// The session's HTTP client keeps no connection once it has gone.
		client := opts.Config.HTTPClient
		release := func() {
			client.CloseIdleConnections()
			if sim != nil {
				sim.Close()
			}
		}
		return ui.Deferred(opts), release, nil
	}
}
