package main

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/ui/termfacts"
)

// The wizard's flags, shared by check and serve (a session's defaults),
// and their checks: every bad value is one line naming the flag, the value
// and what is allowed.

// common are the flags of the wizard and of check.
type common struct {
	fs                                         *pflag.FlagSet
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
	c := &common{fs: pflag.NewFlagSet(name, pflag.ContinueOnError)}
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
	fs.DurationVar(&c.approveAfter, "approve-after", 8*time.Second, "demo: the simulated user signs in this long after the code appears (0 = only on key a or on the sign-in page)")
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
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return flagError(c.fs, c.fs.Name(), err)
	}
	if c.fs.NArg() > 0 {
		return usagef("unexpected argument %q (flags start with --; see %s --help)", c.fs.Arg(0), c.fs.Name())
	}
	return nil
}

// set reports whether the flag was given on the command line, whichever
// parse read it (cobra's, or parse for a served session).
func (c *common) set(name string) bool {
	f := c.fs.Lookup(name)
	return f != nil && f.Changed
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

// flagError turns a flag parsing error into one line: the flag, the value
// and what is allowed, or for an unknown flag the nearest known one.
func flagError(fs *pflag.FlagSet, cmdPath string, err error) error {
	var (
		notExist *pflag.NotExistError
		invalid  *pflag.InvalidValueError
		noValue  *pflag.ValueRequiredError
	)
	switch {
	case errors.As(err, &notExist):
		return unknownFlag(fs, cmdPath, notExist)
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return usagef("--%s %q: %s", f.Name, invalid.GetValue(), allowedValues(f))
	case errors.As(err, &noValue):
		f := noValue.GetFlag()
		return usagef("--%s needs a value: %s", f.Name, allowedValues(f))
	}
	return usagef("%v (see %s --help)", err, cmdPath)
}

// unknownFlag names the flag that does not exist and suggests the
// nearest one; a long flag written with one dash (-demo) is told to take
// two.
func unknownFlag(fs *pflag.FlagSet, cmdPath string, e *pflag.NotExistError) error {
	if long := e.GetSpecifiedName(); e.GetSpecifiedShortnames() == "" {
		if near := nearestFlag(fs, long); near != "" {
			return usagef("unknown flag --%s; did you mean --%s? (see %s --help)", long, near, cmdPath)
		}
		return usagef("unknown flag --%s (see %s --help)", long, cmdPath)
	}
	short := e.GetSpecifiedShortnames()
	name, _, _ := strings.Cut(short, "=")
	if f := fs.Lookup(name); f != nil {
		return usagef("-%s: long flags take two dashes: --%s", short, name)
	}
	if near := nearestFlag(fs, name); near != "" {
		return usagef("unknown flag -%s; did you mean --%s? (see %s --help)", short, near, cmdPath)
	}
	return usagef("unknown flag -%s; flags start with -- (see %s --help)", short, cmdPath)
}

// allowedValues says what a flag takes, from its type and its help.
func allowedValues(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "int":
		return "give a whole number"
	case "duration":
		return "give a duration such as 30s, 5m or 1h30m"
	case "bool":
		return "give true or false (or the flag alone)"
	}
	return f.Usage
}

// nearestFlag is the visible flag whose name is closest to typed (at most
// two edits away, or one it starts), or "".
func nearestFlag(fs *pflag.FlagSet, typed string) string {
	best, bestD := "", 3
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := editDistance(typed, f.Name)
		if len(typed) >= 3 && strings.HasPrefix(f.Name, typed) {
			d = min(d, 1)
		}
		if d < bestD && d < len(typed) {
			best, bestD = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
