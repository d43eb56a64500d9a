// Command mfpmail walks a technician through setting up a FUJIFILM / Fuji
// Xerox / Xerox multifunction printer to send mail through Exchange Online
// or Outlook.com with OAuth 2.0, and proves that it works.
//
//	mfpmail [flags]              the wizard
//	mfpmail --demo [--scenario]  the wizard against a simulated tenant
//	mfpmail check [--json]       the same checks for scripts
//	mfpmail demo-tenant          the simulated tenant alone
//	mfpmail help [SUBCOMMAND]    usage, from the same table as the dispatch
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/ui"
	"mfpmail/ui/qrtext"
	"mfpmail/ui/termfacts"
)

// version is set at build time: -ldflags "-X main.version=1.2.3"; commit
// too (-X main.commit=abc123), else it comes from the build's VCS stamp.
var (
	version = "dev"
	commit  = ""
)

// usageError is bad input: one line, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// errChecksFailed: a check failed; the result said so already (exit 1).
var errChecksFailed = errors.New("a check failed")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// subcommand is one row of the command table, which drives both the
// dispatch and every usage text, so the two cannot drift apart.
type subcommand struct {
	name     string // the word after mfpmail; "" = the wizard
	synopsis string
	summary  string
	exits    string // the exit statuses, one per line
	// flags are the subcommand's flags, for its help; nil = none.
	flags func() *flag.FlagSet
	run   func(args []string, stdout, stderr io.Writer) error
}

// commands is the table, filled in init (the help row refers to it).
var commands []subcommand

func init() {
	commands = []subcommand{
		{name: "", synopsis: "mfpmail [flags]", summary: "the wizard: the vendor's procedure screen by screen, with a live test send",
			exits: "0  quit\n1  the wizard could not run (e.g. no terminal)\n2  bad input or usage\n130  interrupted with Ctrl+C (a line on stderr says what was lost)",
			flags: func() *flag.FlagSet { return newCommon("mfpmail").fs }, run: runWizard},
		{name: "check", synopsis: "mfpmail check [flags]", summary: "the same checks without screens, for scripts: table or --json on stdout",
			exits: "0  no check failed\n1  a check failed (or the run could not finish)\n2  bad input or usage, reported before any network work",
			flags: func() *flag.FlagSet { return newCheck().fs }, run: runCheck},
		{name: "demo-tenant", synopsis: "mfpmail demo-tenant [flags]", summary: "the simulated Entra ID and Exchange Online alone, for a second terminal",
			exits: "0  stopped with Ctrl+C\n1  could not start\n2  bad input or usage",
			flags: func() *flag.FlagSet { return newDemoTenant().fs }, run: runDemoTenant},
		{name: "serve", synopsis: "mfpmail serve [flags]", summary: "the wizard over SSH for a classroom or a jump host; wizard flags are each session's defaults, a client adds its own after --",
			exits: "0  stopped with SIGTERM or Ctrl+C\n1  could not start\n2  bad input or usage",
			flags: serveFlagSet, run: runServe},
		{name: "help", synopsis: "mfpmail help [SUBCOMMAND]", summary: "this overview, or one subcommand's flags and exit statuses",
			exits: "0  help shown\n2  no such subcommand", run: runHelp},
	}
}

// lookup finds a subcommand by name.
func lookup(name string) (subcommand, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return subcommand{}, false
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd, rest := commands[0], args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c, ok := lookup(args[0])
		if !ok || c.name == "" {
			return exit(stderr, unknownSubcommand(args[0]))
		}
		cmd, rest = c, args[1:]
	}
	if wantsHelp(rest) {
		return exit(stderr, printHelp(stdout, cmd))
	}
	return exit(stderr, cmd.run(rest, stdout, stderr))
}

// exit turns an error into the exit status, saying what went wrong.
func exit(stderr io.Writer, err error) int {
	var ue usageError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errChecksFailed):
		return 1
	case errors.As(err, new(interrupted)):
		fmt.Fprintln(stderr, "mfpmail: "+err.Error())
		return 130
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "mfpmail: "+ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "mfpmail: "+err.Error())
		return 1
	}
}

// wantsHelp: -h, -help or --help anywhere among the flags (before a
// "--", which ends them).
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help", "--h":
			return true
		case "--":
			return false
		}
	}
	return false
}

func unknownSubcommand(name string) error {
	return usagef("unknown subcommand %q; subcommands: %s (none = the wizard; see mfpmail --help)", name, subcommandNames())
}

func subcommandNames() string {
	var names []string
	for _, c := range commands {
		if c.name != "" {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

// runHelp is `mfpmail help [SUBCOMMAND]`.
func runHelp(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return printHelp(stdout, commands[0])
	}
	c, ok := lookup(args[0])
	if !ok {
		return unknownSubcommand(args[0])
	}
	if len(args) > 1 {
		return usagef("help takes one subcommand, got %q", strings.Join(args, " "))
	}
	return printHelp(stdout, c)
}

// printHelp writes a subcommand's help; the wizard's (the overview) also
// lists every subcommand.
func printHelp(w io.Writer, c subcommand) error {
	fmt.Fprintf(w, "%s\n\nUsage: %s\n  %s\n", versionString(), c.synopsis, c.summary)
	if c.name == "" {
		fmt.Fprintf(w, "\nSubcommands:\n")
		for _, s := range commands[1:] {
			fmt.Fprintf(w, "  %-29s %s\n", s.synopsis, s.summary)
		}
		fmt.Fprintf(w, "Run \"mfpmail help SUBCOMMAND\" or \"mfpmail SUBCOMMAND --help\" for its flags.\n")
	}
	if c.flags != nil {
		fs := c.flags()
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	fmt.Fprintf(w, "\nExit status:\n")
	for _, l := range strings.Split(c.exits, "\n") {
		fmt.Fprintf(w, "  %s\n", l)
	}
	return nil
}

// common are the flags of the wizard and of check.
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
	device                                     flow.DeviceInfo
}

func newCommon(name string) *common {
	c := &common{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	c.fs.SetOutput(io.Discard)
	c.fs.Usage = func() {} // help only on --help, not after every mistake
	c.signInFlags()
	c.deviceFlags()
	c.terminalFlags()
	return c
}

// signInFlags: the account, the identity provider and the demo.
func (c *common) signInFlags() {
	fs := c.fs
	fs.StringVar(&c.lang, "lang", "", "language of the texts: en or ja (default: from the locale, or Windows' display language)")
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
	fs.StringVar(&c.logFile, "log", "", "write a debug log for support to this file (secrets and codes redacted)")
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
}

// deviceFlags: the device's settings (the questionnaire), the test send,
// and what the report says about the device and the site.
func (c *common) deviceFlags() {
	fs := c.fs
	fs.StringVar(&c.smtpHost, "smtp-host", flow.DefaultSMTPHost, "SMTP submission server for the test send")
	fs.IntVar(&c.smtpPort, "smtp-port", flow.DefaultSMTPPort, "SMTP submission port (STARTTLS)")
	fs.StringVar(&c.to, "to", "", "recipient of the test message (default: the signed-in address)")
	fs.StringVar(&c.deviceEmail, "device-email", "", "the Device Email Address set on the device, to check against the UPN")
	fs.StringVar(&c.sender, "sender", "", "the sender address the device's Email app uses (default: the UPN)")
	fs.StringVar(&c.display, "sender-name", "", "the sender's display name, if the site sets one")
	fs.StringVar(&c.fromPolicy, "from-policy", "", "the device's From-address settings: locked (both set to the safe value) or open")
	fs.StringVar(&c.loginCreds, "login-credentials", "", "[Login Credentials for Email Send] on the device: system or remote")
	fs.StringVar(&c.device.Model, "device-model", "", "report: the device's model, e.g. \"Apeos C3060\"")
	fs.StringVar(&c.device.Serial, "device-serial", "", "report: the device's serial number")
	fs.StringVar(&c.device.Host, "device-host", "", "report: the device's IP address or host name")
	fs.StringVar(&c.device.Site, "site", "", "report: the site (customer, building, floor)")
	fs.StringVar(&c.device.Technician, "technician", "", "report: the technician's name")
}

// terminalFlags: how to draw.
func (c *common) terminalFlags() {
	fs := c.fs
	fs.BoolVar(&c.noQR, "no-qr", false, "do not draw QR codes")
	fs.BoolVar(&c.ascii, "ascii", false, "ASCII only: no UTF-8 borders, symbols or QR blocks (default when the locale is not UTF-8)")
	fs.StringVar(&c.eaWidth, "east-asian-width", "auto", "how the terminal draws ambiguous-width characters: narrow, wide, or auto (from the platform and the language)")
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
		return usagef("%v (see %s --help)", err, c.fs.Name())
	}
	if c.fs.NArg() > 0 {
		return usagef("unexpected argument %q (flags start with --; subcommands: %s)", c.fs.Arg(0), subcommandNames())
	}
	return nil
}

func (c *common) set(name string) bool {
	found := false
	c.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// config validates the flags and builds the sign-in configuration. The
// language is the terminal decision's (see decide); config only checks
// the flag.
func (c *common) config() (flow.Config, error) {
	var cfg flow.Config
	for _, check := range []func(*flow.Config) error{c.identity, c.endpoints, c.testSend, c.questions, c.misc} {
		if err := check(&cfg); err != nil {
			return cfg, err
		}
	}
	return cfg.WithDefaults(), nil
}

// withLang sets the language decided with the terminal; without --ui the
// web UI follows it (Internet Services, the Japanese procedure's, in
// Japanese; CentreWare Internet Services in English).
func (c *common) withLang(cfg flow.Config, lang assets.Lang) flow.Config {
	cfg.Lang = lang
	if !c.set("ui") {
		cfg.UI = flow.DefaultUIGen(lang)
	}
	return cfg
}

// identity: language flag, web UI, account, tenant, client.
func (c *common) identity(cfg *flow.Config) error {
	var err error
	if c.lang != "" {
		if cfg.Lang, err = assets.ParseLang(c.lang); err != nil {
			return usageError{err.Error()}
		}
	}
	// Without --ui the web UI follows the language, which is decided with
	// the terminal later on (Config.WithDefaults).
	if c.set("ui") {
		if cfg.UI, err = flow.ParseUIGen(c.uiGen); err != nil {
			return usageError{err.Error()}
		}
	}
	if cfg.Account, err = flow.ParseAccount(c.account); err != nil {
		return usageError{err.Error()}
	}
	if c.set("tenant") {
		if err := flow.ValidateTenant(c.tenant); err != nil {
			return usageError{err.Error()}
		}
		cfg.Tenant = c.tenant
	}
	if err := flow.ValidateClientID(c.clientID); err != nil {
		return usageError{err.Error()}
	}
	cfg.ClientID = c.clientID
	return nil
}

// endpoints: the identity provider's and Graph's URLs, and a lab CA.
func (c *common) endpoints(cfg *flow.Config) error {
	for _, u := range []struct{ name, val string }{
		{"authority", c.authority}, {"device-auth-url", c.deviceAuthURL},
		{"token-url", c.tokenURL}, {"redirect-uri", c.redirectURI},
	} {
		if u.val == "" && u.name != "authority" && u.name != "redirect-uri" {
			continue
		}
		if err := flow.ValidateURL(u.name, u.val); err != nil {
			return usageError{err.Error()}
		}
	}
	if c.graph != "-" {
		if err := flow.ValidateURL("graph-url", c.graph); err != nil {
			return usageError{err.Error()}
		}
	}
	cfg.Authority, cfg.DeviceAuthURL, cfg.TokenURL = c.authority, c.deviceAuthURL, c.tokenURL
	cfg.GraphURL, cfg.RedirectURI = c.graph, c.redirectURI
	if c.caFile != "" {
		pool, err := flow.RootsWithCA(c.caFile)
		if err != nil {
			return usageError{err.Error()}
		}
		cfg.HTTPClient = flow.NewHTTPClient(pool)
	}
	return nil
}

// testSend: the SMTP server and the addresses.
func (c *common) testSend(*flow.Config) error {
	if c.smtpPort < 1 || c.smtpPort > 65535 {
		return usagef("--smtp-port %d: give a port from 1 to 65535 (Exchange Online: 587)", c.smtpPort)
	}
	if strings.TrimSpace(c.smtpHost) == "" || strings.ContainsAny(c.smtpHost, " /:@") {
		return usagef("--smtp-host %q: give a host name such as smtp.office365.com (no scheme, no port)", c.smtpHost)
	}
	for _, a := range []struct{ flag, val string }{{"to", c.to}, {"device-email", c.deviceEmail}, {"sender", c.sender}} {
		if a.val == "" && !c.set(a.flag) {
			continue
		}
		if err := validAddress(a.val); err != nil {
			return usagef("--%s %q: give an email address such as name@contoso.com", a.flag, a.val)
		}
	}
	return nil
}

// questions: the questionnaire's answers and the device's details.
func (c *common) questions(*flow.Config) error {
	if err := flow.ValidateHeaderValue("sender-name", c.display); err != nil {
		return usageError{err.Error()}
	}
	switch c.fromPolicy {
	case "", "locked", "open":
	default:
		return usagef("--from-policy %q: allowed values are locked, open", c.fromPolicy)
	}
	switch c.loginCreds {
	case "", "system", "remote":
	default:
		return usagef("--login-credentials %q: allowed values are system, remote", c.loginCreds)
	}
	for _, d := range []struct{ flag, val string }{{"device-model", c.device.Model}, {"device-serial", c.device.Serial},
		{"device-host", c.device.Host}, {"site", c.device.Site}, {"technician", c.device.Technician}} {
		if err := validDetail(d.val); err != nil {
			return usagef("--%s %q: %v", d.flag, d.val, err)
		}
	}
	if c.device.Host != "" && !validHost(c.device.Host) {
		return usagef("--device-host %q: give an IP address (192.0.2.10, 2001:db8::10) or a host name (mfp-3f.contoso.local)", c.device.Host)
	}
	return nil
}

// misc: the demo, the support log, the terminal flags.
func (c *common) misc(*flow.Config) error {
	if _, err := demo.ParseScenario(c.scenario); err != nil {
		return usageError{err.Error()}
	}
	if c.set("scenario") && !c.demo {
		return usagef("--scenario %q: scenarios exist only with --demo", c.scenario)
	}
	if c.logFile != "" {
		if st, err := os.Stat(filepath.Dir(c.logFile)); err != nil || !st.IsDir() {
			return usagef("--log %q: the directory %s does not exist", c.logFile, filepath.Dir(c.logFile))
		}
	}
	switch c.eaWidth {
	case "auto", "narrow", "wide":
	default:
		return usagef("--east-asian-width %q: allowed values are auto, narrow, wide", c.eaWidth)
	}
	if c.approveAfter < 0 {
		return usagef("--approve-after %s: give a duration of 0 or more, e.g. 8s", c.approveAfter)
	}
	return nil
}

// validDetail accepts a device or site detail for the report: one line of
// printable text, at most 120 characters.
func validDetail(s string) error {
	if utf8.RuneCountInString(s) > 120 {
		return errors.New("at most 120 characters are allowed")
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return errors.New("only printable characters on one line are allowed")
	}
	return nil
}

// validHost accepts an IP address or a DNS host name.
func validHost(s string) bool {
	if net.ParseIP(s) != nil {
		return true
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return len(s) <= 253
}

// openLog opens the support log, if one was asked for; close it when done.
func (c *common) openLog() (*slog.Logger, func(), error) {
	if c.logFile == "" {
		return nil, func() {}, nil
	}
	f, err := flow.OpenLog(c.logFile)
	if err != nil {
		return nil, nil, usageError{err.Error()}
	}
	l := flow.NewLogger(f)
	l.Info("mfpmail", "version", versionString(), "args", strings.Join(os.Args[1:], " "))
	return l, func() { f.Close() }, nil
}

// decide is the terminal decision for this process's own terminal, with
// the flags' say (see termfacts.Decide).
func (c *common) decide() termfacts.Decision {
	lang, _ := assets.ParseLang(c.lang) // validated in config(); "" = not given
	return termfacts.Here(runtime.GOOS, termfacts.Flags{Lang: lang, ASCII: c.ascii, EastAsianWidth: c.eaWidth})
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

// versionString is "mfpmail VERSION (commit C)": the commit stamped in
// at build time, else the build's VCS stamp, else "unknown".
func versionString() string {
	c := commit
	if bi, ok := debug.ReadBuildInfo(); ok && c == "" {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				c = s.Value
			}
		}
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("mfpmail %s (commit %s)", version, c)
}

func runWizard(args []string, stdout, stderr io.Writer) error {
	c := newCommon("mfpmail")
	if err := c.parse(args); err != nil {
		return err
	}
	if c.showVersion {
		fmt.Fprintln(stdout, versionString())
		return nil
	}
	opts, closeAll, err := c.wizardOptions()
	if err != nil {
		return err
	}
	defer closeAll()
	// 20 frames a second is quick enough for typing and wakes the process a
	// third as often as Bubble Tea's default 60 (docs/performance.md).
	p := tea.NewProgram(ui.New(opts), tea.WithOutput(opts.Output), tea.WithAltScreen(), tea.WithFPS(20))
	defer quitOnHangup(p)()
	final, err := p.Run()
	if errors.Is(err, tea.ErrInterrupted) {
		line := "interrupted."
		if m, ok := final.(*ui.Model); ok {
			line = m.Interrupted()
		}
		return interrupted{line}
	}
	return err
}

// interrupted: the wizard was stopped with Ctrl+C (or SIGINT); the line
// says where it stood and what was lost. Exit status 130, the shell's
// convention for a program ended by SIGINT (128 + 2).
type interrupted struct{ line string }

func (e interrupted) Error() string { return e.line }

// quitOnHangup ends p on SIGHUP (the SSH connection dropped) as SIGTERM
// does, so the terminal is restored; Bubble Tea handles SIGINT and
// SIGTERM itself. Call the returned function when p has ended.
func quitOnHangup(p *tea.Program) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-hup:
			p.Quit()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
	}
}

// wizardOptions validates the flags and builds the wizard's options;
// closeAll stops the simulation and closes the log.
func (c *common) wizardOptions() (opts ui.Options, closeAll func(), err error) {
	cfg, err := c.config()
	if err != nil {
		return opts, nil, err
	}
	d := c.decide()
	cfg = c.withLang(cfg, d.Lang)
	logger, closeLog, err := c.openLog()
	if err != nil {
		return opts, nil, err
	}
	closeAll = closeLog
	opts = ui.Options{Config: cfg, NoQR: c.noQR, Term: ui.TermOf(d), Notice: d.Notice, Version: version,
		Output: os.Stdout, Multiplexer: multiplexer(os.Getenv), // the program's output: copying (OSC 52) writes there
		SMTPHost: c.smtpHost, SMTPPort: c.smtpPort, To: c.to, Answers: c.answers(), RunBy: currentUser(), Device: c.device}
	opts.Host, _ = os.Hostname()
	if c.caFile != "" {
		opts.SMTPRoots, _ = flow.RootsWithCA(c.caFile) // validated in config()
	}
	if c.demo {
		sim, err := startSimulation(c, demo.TenantOptions{})
		if err != nil {
			closeLog()
			return opts, nil, err
		}
		closeAll = func() { sim.Close(); closeLog() }
		opts = demoOptions(opts, sim)
	}
	opts.Config = opts.Config.WithLog(logger)
	opts.Log = logger
	return opts, closeAll, nil
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
	o.Config = simConfig(o.Config, sim)
	o.SMTPHost, o.SMTPPort = sim.SMTP()
	o.SMTPRoots = sim.Pool()
	o.Demo = sim
	o.Answers = flow.MergeAnswers(o.Answers, flow.ScenarioAnswers(sim))
	return o
}

// simConfig points the sign-in at the simulation and trusts its CA.
func simConfig(cfg flow.Config, sim *demo.Simulation) flow.Config {
	cfg.Authority, cfg.GraphURL = sim.URL(), sim.URL()
	cfg.DeviceAuthURL, cfg.TokenURL = "", ""
	cfg.HTTPClient = flow.NewHTTPClient(sim.Pool())
	return cfg
}

// multiplexer names the terminal multiplexer the wizard runs in, whose
// OSC 52 (copy) must be wrapped: "tmux", "screen" or "".
func multiplexer(getenv func(string) string) string {
	switch {
	case getenv("TMUX") != "":
		return "tmux"
	case strings.HasPrefix(getenv("TERM"), "screen"):
		return "screen"
	}
	return ""
}

// checkCmd is `mfpmail check`: the wizard's flags and its own.
type checkCmd struct {
	*common
	json    bool
	report  string
	timeout time.Duration
}

func newCheck() *checkCmd {
	k := &checkCmd{common: newCommon("mfpmail check")}
	k.fs.BoolVar(&k.json, "json", false, "print the result as JSON (schema "+flow.ReportSchema+")")
	k.fs.StringVar(&k.report, "report", "", "also write a report to this file: .html (a printable page), .md (Markdown) or .json")
	k.fs.DurationVar(&k.timeout, "timeout", 20*time.Minute, "give up after this long")
	return k
}

// runCheck is the wizard without screens, for scripts: the sign-in
// instruction on stderr, the result on stdout; errChecksFailed when a
// check failed.
func runCheck(args []string, stdout, stderr io.Writer) error {
	k := newCheck()
	if err := k.parse(args); err != nil {
		return err
	}
	if k.showVersion {
		fmt.Fprintln(stdout, versionString())
		return nil
	}
	o, demoName, closeAll, err := k.options(stderr)
	if err != nil {
		return err
	}
	defer closeAll()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, k.timeout)
	defer cancelT()
	out := flow.Run(ctx, o)
	out.LogChecks()
	host, _ := os.Hostname()
	rep := flow.NewReport(out, flow.ReportMeta{Version: version, RunBy: currentUser(), Host: host, Demo: demoName,
		Now: time.Now(), Device: k.device})
	rep.Checks = flow.ForCommandLine(rep.Checks) // the fixes in flags, not screens
	if k.json {
		stdout.Write(rep.JSON())
	} else {
		printTable(stdout, o.Config.Lang, rep)
	}
	if err := k.writeReport(stderr, o.Config.Lang, rep); err != nil {
		return err
	}
	if rep.Failed {
		return errChecksFailed
	}
	return nil
}

// options validates the flags and builds the unattended run; closeAll
// stops the simulation and closes the log.
func (k *checkCmd) options(stderr io.Writer) (o flow.RunOptions, demoName string, closeAll func(), err error) {
	cfg, err := k.config()
	if err != nil {
		return o, "", nil, err
	}
	if k.report != "" {
		if err := flow.CheckReportPath(k.report); err != nil {
			return o, "", nil, usageError{err.Error()}
		}
	}
	if k.timeout <= 0 {
		return o, "", nil, usagef("--timeout %s: give a positive duration, e.g. 20m", k.timeout)
	}
	// The language: the flag's, else the platform's (Windows' display
	// language where no locale is set). Output and report follow it.
	d := k.decide()
	if k.lang == "" {
		cfg = k.withLang(cfg, d.Lang)
	}
	o = flow.RunOptions{Config: cfg, SMTPHost: k.smtpHost, SMTPPort: k.smtpPort, To: k.to, Answers: k.answers(), Version: version}
	if k.caFile != "" {
		o.SMTPRoots, _ = flow.RootsWithCA(k.caFile)
	}
	closeAll = func() {}
	if k.demo {
		var sim *demo.Simulation
		if o, sim, err = k.demoRun(o); err != nil {
			return o, "", nil, err
		}
		demoName, closeAll = sim.Scenario(), func() { sim.Close() }
		o.Scenario = demoName
	}
	logger, closeLog, err := k.openLog()
	if err != nil {
		closeAll()
		return o, "", nil, err
	}
	closeSim := closeAll
	closeAll = func() { closeSim(); closeLog() }
	o.Config = o.Config.WithLog(logger)
	style := qrtext.StyleFor(d.ASCII, d.Wide, d.NoColor, d.Dumb)
	o.OnCode = func(dc *flow.DeviceCode) {
		printSignIn(stderr, o.Config.Lang, dc, k.noQR || !isTerminal(stderr), style)
	}
	return o, demoName, closeAll, nil
}

// demoRun points the unattended run at a fresh simulation.
func (k *checkCmd) demoRun(o flow.RunOptions) (flow.RunOptions, *demo.Simulation, error) {
	if !k.set("approve-after") {
		k.approveAfter = time.Second // the simulated user approves by itself
	}
	sim, err := startSimulation(k.common, demo.TenantOptions{Interval: 1, ExpiresIn: 8})
	if err != nil {
		return o, nil, err
	}
	o.Config = simConfig(o.Config, sim)
	o.SMTPHost, o.SMTPPort = sim.SMTP()
	o.SMTPRoots = sim.Pool()
	o.Answers = flow.MergeAnswers(o.Answers, flow.ScenarioAnswers(sim))
	return o, sim, nil
}

// writeReport writes --report, if asked for, and names it by its
// absolute path.
func (k *checkCmd) writeReport(stderr io.Writer, lang assets.Lang, rep flow.Report) error {
	if k.report == "" {
		return nil
	}
	path, err := filepath.Abs(k.report)
	if err != nil {
		path = k.report
	}
	if err := flow.WriteReport(path, rep); err != nil {
		return fmt.Errorf("writing the report %s: %w", path, err)
	}
	fmt.Fprintf(stderr, "%s %s\n", assets.T(lang, "check.cli.report_written"), path)
	return nil
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
func printSignIn(w io.Writer, lang assets.Lang, dc *flow.DeviceCode, noQR bool, style qrtext.Style) {
	t := func(k string, kv ...string) string { return assets.T(lang, k, kv...) }
	left := time.Until(dc.Expiry).Round(time.Second)
	fmt.Fprintln(w, t("check.cli.signin", "url", dc.VerificationURI, "code", dc.UserCode,
		"time", fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60)))
	if !noQR {
		if q, ok := qrtext.Text(dc.QRTarget(), style); ok {
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
	fmt.Fprintln(w, "\n"+r.VerdictText(lang))
}

// demoTenantCmd is `mfpmail demo-tenant`.
type demoTenantCmd struct {
	fs                                  *flag.FlagSet
	listen, scenario, caOut, smtpListen string
	approveAfter                        time.Duration
}

func newDemoTenant() *demoTenantCmd {
	d := &demoTenantCmd{fs: flag.NewFlagSet("mfpmail demo-tenant", flag.ContinueOnError)}
	fs := d.fs
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&d.listen, "listen", "127.0.0.1:0", "address to listen on (loopback)")
	fs.StringVar(&d.scenario, "scenario", "ok", "scenario: "+scenarioNames())
	fs.StringVar(&d.caOut, "ca-out", "", "write the simulated tenant's CA certificate (PEM) to this file")
	fs.StringVar(&d.smtpListen, "smtp-listen", "127.0.0.1:0", "address of the simulated SMTP server (loopback)")
	fs.DurationVar(&d.approveAfter, "approve-after", 0, "the simulated user approves this long after a code is issued (0 = only on the web page)")
	return d
}

// parse reads and checks the flags.
func (d *demoTenantCmd) parse(args []string) (demo.Scenario, error) {
	if err := d.fs.Parse(args); err != nil {
		return "", usagef("%v (see mfpmail demo-tenant --help)", err)
	}
	if d.fs.NArg() > 0 {
		return "", usagef("unexpected argument %q (flags start with --)", d.fs.Arg(0))
	}
	sc, err := demo.ParseScenario(d.scenario)
	if err != nil {
		return "", usageError{err.Error()}
	}
	if err := demo.ValidateLoopback(d.listen); err != nil {
		return "", usagef("--listen %q: %v", d.listen, err)
	}
	if err := demo.ValidateLoopback(d.smtpListen); err != nil {
		return "", usagef("--smtp-listen %q: %v", d.smtpListen, err)
	}
	return sc, nil
}

func runDemoTenant(args []string, stdout, stderr io.Writer) error {
	d := newDemoTenant()
	sc, err := d.parse(args)
	if err != nil {
		return err
	}
	logEvent := func(e demo.Event) {
		fmt.Fprintf(stdout, "%s  %-18s %s\n", e.Time.Format("15:04:05"), e.Kind, e.Detail)
	}
	t, err := demo.StartTenant(demo.TenantOptions{Scenario: sc, Listen: d.listen, AutoApprove: d.approveAfter, OnEvent: logEvent})
	if err != nil {
		return fmt.Errorf("starting the simulated tenant: %w", err)
	}
	defer t.Close()
	srv, err := demo.StartSMTP(demo.SMTPOptions{Validator: t, CA: t.CA(), Scenario: sc, Listen: d.smtpListen, OnEvent: logEvent})
	if err != nil {
		return fmt.Errorf("starting the simulated Exchange Online: %w", err)
	}
	defer srv.Close()
	if d.caOut != "" {
		if err := os.WriteFile(d.caOut, t.CA().CertPEM(), 0o644); err != nil {
			return usagef("--ca-out %q: %v", d.caOut, err)
		}
	}
	printEndpoints(stdout, sc, t.URL(), srv, d.caOut)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	<-sig
	return nil
}

// printEndpoints tells the trainer where the simulated tenant listens
// and how to point the wizard at it.
func printEndpoints(w io.Writer, sc demo.Scenario, u string, srv *demo.SMTPServer, ca string) {
	fmt.Fprintf(w, "Simulated tenant (scenario %s) listening on %s\n", sc, u)
	fmt.Fprintf(w, "  device code     POST %s/organizations/oauth2/v2.0/devicecode\n", u)
	fmt.Fprintf(w, "  token           POST %s/organizations/oauth2/v2.0/token\n", u)
	fmt.Fprintf(w, "  Graph           GET  %s/v1.0/me\n", u)
	fmt.Fprintf(w, "  sign-in page    %s/devicelogin\n", u)
	fmt.Fprintf(w, "  consent page    %s/common/adminconsent?client_id=%s\n", u, flow.DefaultClientID)
	fmt.Fprintf(w, "  SMTP            %s (STARTTLS, AUTH XOAUTH2)\n", srv.Addr())
	if ca == "" {
		ca = "FILE"
		fmt.Fprintln(w, "(add --ca-out FILE to write the CA certificate the wizard must trust)")
	} else {
		fmt.Fprintf(w, "  CA certificate  %s\n", ca)
	}
	fmt.Fprintf(w, "Point the wizard at it:\n  mfpmail --authority %s --graph-url %s --smtp-host %s --smtp-port %d --ca-file %s\n",
		u, u, srv.Host(), srv.Port(), ca)
	fmt.Fprintln(w, "Ctrl+C stops it.")
}
