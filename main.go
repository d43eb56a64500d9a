// Command mfpmail walks a technician through setting up a FUJIFILM / Fuji
// Xerox / Xerox multifunction printer to send mail through Exchange Online
// or Outlook.com with OAuth 2.0, and proves that it works.
//
//	mfpmail [flags]              the wizard
//	mfpmail --demo [--scenario]  the wizard against a simulated tenant
//	mfpmail check [--json]       the same checks for scripts
//	mfpmail demo-tenant          the simulated tenant alone
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/smtpcheck"
	"mfpmail/ui"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

// usageError is bad input: one line, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var err error
	switch {
	case len(args) > 0 && args[0] == "demo-tenant":
		err = runDemoTenant(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "check":
		var failed bool
		failed, err = runCheck(args[1:], stdout, stderr)
		if err == nil && failed {
			return 1
		}
	default:
		err = runWizard(args, stdout, stderr)
	}
	var ue usageError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "mfpmail: "+ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "mfpmail: "+err.Error())
		return 1
	}
}

// common are the flags of the wizard (and, later, of check).
type common struct {
	fs                                         *flag.FlagSet
	lang, uiGen, account, tenant, clientID     string
	eaWidth, logFile                           string
	authority, deviceAuthURL, tokenURL, graph  string
	redirectURI, caFile, scenario              string
	demo, noQR, ascii, showVersion             bool
	smtpHost, to, deviceEmail, sender, display string
	fromPolicy, loginCreds                     string
	smtpPort                                   int
	approveAfter                               time.Duration
	usage                                      func()
}

func newCommon(name string, stderr io.Writer) *common {
	c := &common{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	fs := c.fs
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.lang, "lang", "", "language of the texts: en or ja (default: from LANG)")
	fs.StringVar(&c.uiGen, "ui", "", "the device's web UI: cwis (CentreWare Internet Services) or is (Internet Services) (default: is with a Japanese locale or --lang ja, else cwis)")
	fs.StringVar(&c.account, "account", "work", "account type: work (Exchange Online) or personal (Outlook.com)")
	fs.StringVar(&c.tenant, "tenant", "", "tenant domain or id (default: organizations for work, consumers for personal)")
	fs.StringVar(&c.clientID, "client-id", flow.DefaultClientID, "application (client) id")
	fs.StringVar(&c.authority, "authority", flow.DefaultAuthority, "identity provider base URL")
	fs.StringVar(&c.deviceAuthURL, "device-auth-url", "", "device authorization endpoint (default: {authority}/{tenant}/oauth2/v2.0/devicecode)")
	fs.StringVar(&c.tokenURL, "token-url", "", "token endpoint (default: {authority}/{tenant}/oauth2/v2.0/token)")
	fs.StringVar(&c.graph, "graph-url", flow.DefaultGraphURL, "Microsoft Graph base URL; - to skip Graph")
	fs.StringVar(&c.redirectURI, "redirect-uri", flow.DefaultRedirectURI, "redirect URI of the administrator consent link")
	fs.StringVar(&c.caFile, "ca-file", "", "PEM file of a lab CA to trust in addition to the system's")
	fs.BoolVar(&c.demo, "demo", false, "run against the embedded simulated tenant (no Microsoft account needed)")
	fs.StringVar(&c.scenario, "scenario", "ok", "demo scenario: "+scenarioNames())
	fs.DurationVar(&c.approveAfter, "approve-after", 8*time.Second, "demo: the simulated user signs in this long after the code appears (0 = only on key a)")
	fs.StringVar(&c.smtpHost, "smtp-host", "smtp.office365.com", "SMTP submission server for the test send")
	fs.IntVar(&c.smtpPort, "smtp-port", 587, "SMTP submission port (STARTTLS)")
	fs.StringVar(&c.to, "to", "", "recipient of the test message (default: the signed-in address)")
	fs.StringVar(&c.deviceEmail, "device-email", "", "the Device Email Address set on the device, to check against the UPN")
	fs.StringVar(&c.sender, "sender", "", "the sender address the device's Email app uses (default: the UPN)")
	fs.StringVar(&c.display, "sender-name", "", "the sender's display name, if the site sets one")
	fs.StringVar(&c.fromPolicy, "from-policy", "", "the device's From-address settings: locked (both set to the safe value) or open")
	fs.StringVar(&c.loginCreds, "login-credentials", "", "[Login Credentials for Email Send] on the device: system or remote")
	fs.StringVar(&c.logFile, "log", "", "write a debug log for support to this file (secrets and codes redacted)")
	fs.BoolVar(&c.noQR, "no-qr", false, "do not draw QR codes")
	fs.BoolVar(&c.ascii, "ascii", false, "ASCII only: no UTF-8 borders, symbols or QR blocks (default when the locale is not UTF-8)")
	fs.StringVar(&c.eaWidth, "east-asian-width", "auto", "how the terminal draws ambiguous-width characters: narrow, wide, or auto (wide with --lang ja or RUNEWIDTH_EASTASIAN=1)")
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	fs.Usage = func() {} // usage only on --help, not after every mistake
	c.usage = func() {
		fmt.Fprintf(stderr, "Usage: mfpmail [flags]\n       mfpmail demo-tenant [flags]\n\nFlags:\n")
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return c
}

func scenarioNames() string {
	names := make([]string, len(demo.Scenarios))
	for i, s := range demo.Scenarios {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// parse reads the flags; every bad value is a one-line usageError naming
// the flag, the value and what is allowed.
func (c *common) parse(args []string) error {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.usage()
			return err
		}
		return usagef("%v (see mfpmail --help)", err)
	}
	if c.fs.NArg() > 0 {
		return usagef("unexpected argument %q (flags start with --; subcommands: demo-tenant)", c.fs.Arg(0))
	}
	return nil
}

func (c *common) set(name string) bool {
	found := false
	c.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// config validates the flags and builds the sign-in configuration.
func (c *common) config() (flow.Config, error) {
	var cfg flow.Config
	var err error
	if c.lang == "" {
		cfg.Lang = assets.LangFromEnv(os.Getenv)
	} else if cfg.Lang, err = assets.ParseLang(c.lang); err != nil {
		return cfg, usageError{err.Error()}
	}
	if !c.set("ui") {
		cfg.UI = flow.DefaultUIGen(cfg.Lang)
	} else if cfg.UI, err = flow.ParseUIGen(c.uiGen); err != nil {
		return cfg, usageError{err.Error()}
	}
	if cfg.Account, err = flow.ParseAccount(c.account); err != nil {
		return cfg, usageError{err.Error()}
	}
	if c.set("tenant") {
		if err := flow.ValidateTenant(c.tenant); err != nil {
			return cfg, usageError{err.Error()}
		}
		cfg.Tenant = c.tenant
	}
	if err := flow.ValidateClientID(c.clientID); err != nil {
		return cfg, usageError{err.Error()}
	}
	cfg.ClientID = c.clientID
	for _, u := range []struct{ name, val string }{
		{"authority", c.authority}, {"device-auth-url", c.deviceAuthURL},
		{"token-url", c.tokenURL}, {"redirect-uri", c.redirectURI},
	} {
		if u.val == "" && u.name != "authority" && u.name != "redirect-uri" {
			continue
		}
		if err := flow.ValidateURL(u.name, u.val); err != nil {
			return cfg, usageError{err.Error()}
		}
	}
	if c.graph != "-" {
		if err := flow.ValidateURL("graph-url", c.graph); err != nil {
			return cfg, usageError{err.Error()}
		}
	}
	cfg.Authority, cfg.DeviceAuthURL, cfg.TokenURL = c.authority, c.deviceAuthURL, c.tokenURL
	cfg.GraphURL, cfg.RedirectURI = c.graph, c.redirectURI
	if c.caFile != "" {
		pool, err := flow.RootsWithCA(c.caFile)
		if err != nil {
			return cfg, usageError{err.Error()}
		}
		cfg.HTTPClient = flow.NewHTTPClient(pool)
	}
	if _, err := demo.ParseScenario(c.scenario); err != nil {
		return cfg, usageError{err.Error()}
	}
	if c.set("scenario") && !c.demo {
		return cfg, usagef("--scenario %q: scenarios exist only with --demo", c.scenario)
	}
	if c.smtpPort < 1 || c.smtpPort > 65535 {
		return cfg, usagef("--smtp-port %d: give a port from 1 to 65535 (Exchange Online: 587)", c.smtpPort)
	}
	if strings.TrimSpace(c.smtpHost) == "" || strings.ContainsAny(c.smtpHost, " /:@") {
		return cfg, usagef("--smtp-host %q: give a host name such as smtp.office365.com (no scheme, no port)", c.smtpHost)
	}
	for _, a := range []struct{ flag, val string }{{"to", c.to}, {"device-email", c.deviceEmail}, {"sender", c.sender}} {
		if a.val == "" && !c.set(a.flag) {
			continue
		}
		if err := validAddress(a.val); err != nil {
			return cfg, usagef("--%s %q: give an email address such as name@contoso.com", a.flag, a.val)
		}
	}
	switch c.fromPolicy {
	case "", "locked", "open":
	default:
		return cfg, usagef("--from-policy %q: allowed values are locked, open", c.fromPolicy)
	}
	switch c.loginCreds {
	case "", "system", "remote":
	default:
		return cfg, usagef("--login-credentials %q: allowed values are system, remote", c.loginCreds)
	}
	if c.logFile != "" {
		if st, err := os.Stat(filepath.Dir(c.logFile)); err != nil || !st.IsDir() {
			return cfg, usagef("--log %q: the directory %s does not exist", c.logFile, filepath.Dir(c.logFile))
		}
	}
	switch c.eaWidth {
	case "auto", "narrow", "wide":
	default:
		return cfg, usagef("--east-asian-width %q: allowed values are auto, narrow, wide", c.eaWidth)
	}
	if c.approveAfter < 0 {
		return cfg, usagef("--approve-after %s: give a duration of 0 or more, e.g. 8s", c.approveAfter)
	}
	return cfg.WithDefaults(), nil
}

// openLog opens the support log, if one was asked for; close it when done.
func (c *common) openLog() (*slog.Logger, func(), error) {
	if c.logFile == "" {
		return nil, func() {}, nil
	}
	f, err := os.OpenFile(c.logFile, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, usagef("--log %q: %v", c.logFile, err)
	}
	l := flow.NewLogger(f)
	l.Info("mfpmail", "version", versionString(), "args", strings.Join(os.Args[1:], " "))
	return l, func() { f.Close() }, nil
}

// term works out what the terminal can show, from the locale, NO_COLOR,
// TERM and the flags. Japanese needs UTF-8: without it the texts fall back
// to English, and notice says so.
func (c *common) term(lang assets.Lang, getenv func(string) string) (t ui.Term, l assets.Lang, notice string) {
	t.ASCII = c.ascii || !utf8Locale(getenv)
	t.NoColor = getenv("NO_COLOR") != ""
	t.Dumb = getenv("TERM") == "dumb"
	switch c.eaWidth {
	case "wide":
		t.Wide = true
	case "auto":
		t.Wide = lang == assets.JA || getenv("RUNEWIDTH_EASTASIAN") == "1"
		if getenv("RUNEWIDTH_EASTASIAN") == "0" {
			t.Wide = false
		}
	}
	if t.ASCII && lang == assets.JA {
		return t, assets.EN, "Japanese needs a UTF-8 terminal (e.g. LANG=ja_JP.UTF-8); showing English."
	}
	return t, lang, ""
}

// utf8Locale reports whether the locale's character set is UTF-8, as
// POSIX orders the variables (unset means the C locale).
func utf8Locale(getenv func(string) string) bool {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(k); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}

// validAddress accepts a bare address (local@domain), as a device holds it.
func validAddress(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != strings.TrimSpace(s) || !strings.Contains(a.Address, "@") {
		return errors.New("not an email address")
	}
	return nil
}

// answers are the questionnaire's answers given as flags.
func (c *common) answers() flow.Answers {
	a := flow.Answers{DeviceEmail: c.deviceEmail, Sender: c.sender, DisplayName: c.display,
		LoginCredentials: flow.LoginCredentials(c.loginCreds)}
	switch c.fromPolicy {
	case "locked":
		a.GuestEdit, a.NoAuthEdit = "safe", "safe"
	case "open":
		a.GuestEdit, a.NoAuthEdit = "other", "other"
	}
	return a
}

func versionString() string {
	commit := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			}
		}
	}
	return fmt.Sprintf("mfpmail %s (commit %s)", version, commit)
}

func runWizard(args []string, stdout, stderr io.Writer) error {
	c := newCommon("mfpmail", stderr)
	if err := c.parse(args); err != nil {
		return err
	}
	if c.showVersion {
		fmt.Fprintln(stdout, versionString())
		return nil
	}
	cfg, err := c.config()
	if err != nil {
		return err
	}
	term, lang, notice := c.term(cfg.Lang, os.Getenv)
	cfg.Lang = lang
	logger, closeLog, err := c.openLog()
	if err != nil {
		return err
	}
	defer closeLog()
	opts := ui.Options{Config: cfg, NoQR: c.noQR, Term: term, Notice: notice, Version: version, Clipboard: osc52Copy,
		SMTPHost: c.smtpHost, SMTPPort: c.smtpPort, To: c.to, Answers: c.answers(), RunBy: currentUser()}
	opts.Host, _ = os.Hostname()
	if c.caFile != "" {
		opts.SMTPRoots, _ = flow.RootsWithCA(c.caFile) // validated in config()
	}
	if c.demo {
		sim, err := startSimulation(c, demo.TenantOptions{})
		if err != nil {
			return err
		}
		defer sim.Close()
		opts = demoOptions(opts, sim)
	}
	opts.Config = opts.Config.WithLog(logger)
	opts.Log = logger
	// 20 frames a second is quick enough for typing and wakes the process a
	// third as often as Bubble Tea's default 60 (docs/performance.md).
	p := tea.NewProgram(ui.New(opts), tea.WithAltScreen(), tea.WithFPS(20))
	_, err = p.Run()
	if errors.Is(err, tea.ErrInterrupted) {
		return nil
	}
	return err
}

// startSimulation starts the simulated tenant for --demo.
func startSimulation(c *common, base demo.TenantOptions) (*demo.Simulation, error) {
	sc, _ := demo.ParseScenario(c.scenario)
	base.AutoApprove = c.approveAfter
	return demo.StartSimulation(sc, base)
}

// demoOptions points the run at the simulation and trusts its CA, and
// pre-fills the device settings the scenario is about (flags given by the
// trainer still win).
func demoOptions(o ui.Options, sim *demo.Simulation) ui.Options {
	cfg := o.Config
	cfg.Authority, cfg.GraphURL = sim.URL(), sim.URL()
	cfg.DeviceAuthURL, cfg.TokenURL = "", ""
	cfg.HTTPClient = flow.NewHTTPClient(sim.Pool())
	o.Config = cfg
	o.SMTPHost, o.SMTPPort = sim.SMTP()
	o.SMTPRoots = sim.Pool()
	o.Demo = sim
	o.Answers = ui.MergeAnswers(o.Answers, ui.DemoAnswers(sim))
	return o
}

// osc52Copy puts text on the technician's clipboard through the terminal,
// which works across SSH; tmux and screen need the sequence wrapped.
func osc52Copy(text string) error {
	seq := osc52.New(text)
	switch {
	case os.Getenv("TMUX") != "":
		seq = seq.Tmux()
	case strings.HasPrefix(os.Getenv("TERM"), "screen"):
		seq = seq.Screen()
	}
	_, err := os.Stdout.WriteString(seq.String())
	return err
}

// runCheck is the wizard without screens, for scripts: the sign-in
// instruction on stderr, the result on stdout. failed: a check failed.
func runCheck(args []string, stdout, stderr io.Writer) (failed bool, err error) {
	c := newCommon("mfpmail check", stderr)
	jsonOut := c.fs.Bool("json", false, "print the result as JSON (schema "+flow.ReportSchema+")")
	report := c.fs.String("report", "", "also write a report to this file: .md (Markdown) or .json")
	timeout := c.fs.Duration("timeout", 20*time.Minute, "give up after this long")
	if err := c.parse(args); err != nil {
		return false, err
	}
	cfg, err := c.config()
	if err != nil {
		return false, err
	}
	if *report != "" {
		if err := flow.CheckReportPath(*report); err != nil {
			return false, usageError{err.Error()}
		}
	}
	if *timeout <= 0 {
		return false, usagef("--timeout %s: give a positive duration, e.g. 20m", *timeout)
	}
	o := flow.RunOptions{Config: cfg, SMTPHost: c.smtpHost, SMTPPort: c.smtpPort, To: c.to,
		Answers: c.answers(), Version: version}
	if c.caFile != "" {
		o.SMTPRoots, _ = flow.RootsWithCA(c.caFile)
	}
	var demoName string
	if c.demo {
		if !c.set("approve-after") {
			c.approveAfter = time.Second // the simulated user approves by itself
		}
		sim, err := startSimulation(c, demo.TenantOptions{Interval: 1, ExpiresIn: 8})
		if err != nil {
			return false, err
		}
		defer sim.Close()
		uo := demoOptions(ui.Options{Config: o.Config, Answers: o.Answers}, sim)
		o.Config, o.Answers = uo.Config, uo.Answers
		o.SMTPHost, o.SMTPPort, o.SMTPRoots = uo.SMTPHost, uo.SMTPPort, uo.SMTPRoots
		demoName = sim.Scenario()
	}
	logger, closeLog, err := c.openLog()
	if err != nil {
		return false, err
	}
	defer closeLog()
	o.Config = o.Config.WithLog(logger)
	if logger != nil {
		o.OnSMTPLine = func(l smtpcheck.Line) { logger.Debug("smtp", "line", l.String()) }
	}
	term, _, _ := c.term(cfg.Lang, os.Getenv)
	o.OnCode = func(dc *flow.DeviceCode) { printSignIn(stderr, cfg, dc, c.noQR || !isTerminal(stderr), term) }

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, *timeout)
	defer cancelT()
	out := flow.Run(ctx, o)
	if logger != nil {
		for _, ch := range out.Checks() {
			logger.Info("check", "id", ch.ID, "status", ch.Status, "title", ch.Title)
		}
	}
	host, _ := os.Hostname()
	rep := flow.NewReport(out, flow.ReportMeta{Version: version, RunBy: currentUser(), Host: host, Demo: demoName, Now: time.Now()})
	if *jsonOut {
		stdout.Write(rep.JSON())
	} else {
		printTable(stdout, cfg.Lang, rep)
	}
	if *report != "" {
		if err := flow.WriteReport(*report, rep); err != nil {
			return rep.Failed, fmt.Errorf("writing the report %s: %w", *report, err)
		}
		fmt.Fprintf(stderr, "%s %s\n", assets.T(cfg.Lang, "check.cli.report_written"), *report)
	}
	return rep.Failed, nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// printSignIn tells the person at the terminal how to sign in.
func printSignIn(w io.Writer, cfg flow.Config, dc *flow.DeviceCode, noQR bool, term ui.Term) {
	t := func(k string, kv ...string) string { return assets.T(cfg.Lang, k, kv...) }
	left := time.Until(dc.Expiry).Round(time.Second)
	fmt.Fprintln(w, t("check.cli.signin", "url", dc.VerificationURI, "code", dc.UserCode,
		"time", fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60)))
	if !noQR {
		if q, ok := ui.QRText(dc.QRTarget(), term); ok {
			fmt.Fprintln(w, q)
		}
	}
	fmt.Fprintln(w, t("check.cli.waiting"))
}

// printTable prints the checks for people: id, result, finding, and the
// fix under each failure or warning.
func printTable(w io.Writer, lang assets.Lang, r flow.Report) {
	if a := r.Account; a != nil {
		fmt.Fprintf(w, "%s %s (%s)\n\n", assets.T(lang, "check.cli.account"), a.UPN, a.PrimaryAddress)
	}
	for _, c := range r.Checks {
		fmt.Fprintf(w, "%-18s %-5s %s\n", c.ID, c.Status, c.Title)
		if c.Status == flow.Fail || c.Status == flow.Warn {
			for _, l := range strings.Split(strings.TrimSpace(c.Fix), "\n") {
				if l != "" {
					fmt.Fprintf(w, "%-24s %s\n", "", l)
				}
			}
		}
	}
	if r.Failed {
		fmt.Fprintln(w, "\n"+assets.T(lang, "report.verdict_failed"))
	} else {
		fmt.Fprintln(w, "\n"+assets.T(lang, "report.verdict_ok"))
	}
}

func runDemoTenant(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo-tenant", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (loopback)")
	scenario := fs.String("scenario", "ok", "scenario: "+scenarioNames())
	caOut := fs.String("ca-out", "", "write the simulated tenant's CA certificate (PEM) to this file")
	smtpListen := fs.String("smtp-listen", "127.0.0.1:0", "address of the simulated SMTP server (loopback)")
	approveAfter := fs.Duration("approve-after", 0, "the simulated user approves this long after a code is issued (0 = only on the web page)")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "Usage: mfpmail demo-tenant [flags]\n\nFlags:\n")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return err
		}
		return usagef("%v (see mfpmail demo-tenant --help)", err)
	}
	sc, err := demo.ParseScenario(*scenario)
	if err != nil {
		return usageError{err.Error()}
	}
	if err := demo.ValidateLoopback(*listen); err != nil {
		return usagef("--listen %q: %v", *listen, err)
	}
	if err := demo.ValidateLoopback(*smtpListen); err != nil {
		return usagef("--smtp-listen %q: %v", *smtpListen, err)
	}
	logEvent := func(e demo.Event) {
		fmt.Fprintf(stdout, "%s  %-18s %s\n", e.Time.Format("15:04:05"), e.Kind, e.Detail)
	}
	t, err := demo.StartTenant(demo.TenantOptions{Scenario: sc, Listen: *listen, AutoApprove: *approveAfter, OnEvent: logEvent})
	if err != nil {
		return fmt.Errorf("starting the simulated tenant: %w", err)
	}
	defer t.Close()
	srv, err := demo.StartSMTP(demo.SMTPOptions{Validator: t, CA: t.CA(), Scenario: sc, Listen: *smtpListen, OnEvent: logEvent})
	if err != nil {
		return fmt.Errorf("starting the simulated Exchange Online: %w", err)
	}
	defer srv.Close()
	if *caOut != "" {
		if err := os.WriteFile(*caOut, t.CA().CertPEM(), 0o644); err != nil {
			return usagef("--ca-out %q: %v", *caOut, err)
		}
	}
	u := t.URL()
	fmt.Fprintf(stdout, "Simulated tenant (scenario %s) listening on %s\n", sc, u)
	fmt.Fprintf(stdout, "  device code     POST %s/organizations/oauth2/v2.0/devicecode\n", u)
	fmt.Fprintf(stdout, "  token           POST %s/organizations/oauth2/v2.0/token\n", u)
	fmt.Fprintf(stdout, "  Graph           GET  %s/v1.0/me\n", u)
	fmt.Fprintf(stdout, "  sign-in page    %s/devicelogin\n", u)
	fmt.Fprintf(stdout, "  consent page    %s/common/adminconsent?client_id=%s\n", u, flow.DefaultClientID)
	fmt.Fprintf(stdout, "  SMTP            %s (STARTTLS, AUTH XOAUTH2)\n", srv.Addr())
	ca := *caOut
	if ca == "" {
		ca = "FILE"
		fmt.Fprintln(stdout, "(add --ca-out FILE to write the CA certificate the wizard must trust)")
	} else {
		fmt.Fprintf(stdout, "  CA certificate  %s\n", ca)
	}
	fmt.Fprintf(stdout, "Point the wizard at it:\n  mfpmail --authority %s --graph-url %s --smtp-host %s --smtp-port %d --ca-file %s\n",
		u, u, srv.Host(), srv.Port(), ca)
	fmt.Fprintln(stdout, "Ctrl+C stops it.")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return nil
}
