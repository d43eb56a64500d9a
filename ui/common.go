// Package ui is the wizard's terminal interface: one Bubble Tea model per
// screen, a root that owns navigation, the theme, the keys and QR codes.
// It does no network I/O itself: every call to flow/ or smtpcheck/ runs in
// a tea.Cmd and comes back as a message.
package ui

import (
	"context"
	"crypto/x509"
	"io"
	"log/slog"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/smtpcheck"
)

// Demo is what the wizard may ask of the simulated tenant in --demo: the
// trainer's shortcuts. nil outside the demo.
type Demo interface {
	// Approve makes the simulated user sign in with the given user code.
	Approve(userCode string) error
	// GrantConsent makes the simulated administrator consent.
	GrantConsent()
	// Scenario names the training scenario.
	Scenario() string
	// Scenarios lists every scenario, in the order a trainer shows them.
	Scenarios() []string
	// SetScenario switches the simulated tenant to another scenario.
	SetScenario(name string) error
	// SMTP is the simulated Exchange Online's address.
	SMTP() (host string, port int)
	// EnableSMTPAuth plays the administrator re-enabling SMTP AUTH.
	EnableSMTPAuth(upn string)
	// DefaultSender and LoginRemote are what the scenario's device is set to.
	DefaultSender() string
	LoginRemote() bool
}

// DemoAnswers are the device settings of the demo scenario's device.
func DemoAnswers(d Demo) flow.Answers {
	a := flow.Answers{Sender: d.DefaultSender()}
	if d.LoginRemote() {
		a.LoginCredentials = flow.LoginRemote
	}
	return a
}

// Options are the wizard's settings, from the command line.
type Options struct {
	Config flow.Config
	Demo   Demo
	Term   Term // what the terminal can show
	NoQR   bool
	// Notice is shown once at the start (e.g. why Japanese is off).
	Notice  string
	Version string
	// Log is the support log (--log); nil = none. Never given a secret.
	Log *slog.Logger
	// Clipboard puts text on the technician's own clipboard, across SSH
	// (OSC 52). nil: copying is not offered.
	Clipboard func(string) error

	// The test send.
	SMTPHost  string         // "" = smtp.office365.com
	SMTPPort  int            // 0 = 587
	SMTPRoots *x509.CertPool // nil = the system roots
	To        string         // recipient; "" = the signed-in address
	// Answers pre-fill the questions (flags, or a demo scenario).
	Answers flow.Answers
	// Report names the report file the summary offers ("" = a dated name
	// in the current directory). RunBy and Host go into its heading.
	Report      string
	RunBy, Host string
	// Device names the printer, its site and the technician (flags); the
	// first screen shows it for editing, and the report carries it.
	Device flow.DeviceInfo
}

// ReportPath is the file name the summary suggests for the report.
func (o Options) ReportPath(now time.Time) string {
	if o.Report != "" {
		return o.Report
	}
	return "mfpmail-report-" + now.Format("20060102-150405") + ".md"
}

// ReportMeta is the report's heading.
func (c *Common) ReportMeta() flow.ReportMeta {
	m := flow.ReportMeta{Version: c.Opts.Version, RunBy: c.Opts.RunBy, Host: c.Opts.Host, Now: time.Now(),
		Device: c.State.Device}
	if c.Opts.Demo != nil {
		m.Demo = c.Opts.Demo.Scenario()
	}
	return m
}

// State is what the run has found out so far. The root owns it and
// changes it only in response to messages; screens read it.
type State struct {
	Session       *flow.Session
	SignInProblem *flow.Problem
	Reach         []flow.Reach
	Answers       flow.Answers
	Send          *smtpcheck.Result
	// Device is the printer, its site and the technician, as given on the
	// first screen (pre-filled from Options.Device).
	Device flow.DeviceInfo
}

// Outcome is the state as flow sees it, for the checks.
func (c *Common) Outcome() flow.Outcome {
	s := c.State
	return flow.Outcome{Config: c.Opts.Config, Reach: s.Reach, Session: s.Session,
		SignInProblem: s.SignInProblem, Answers: s.Answers, Send: s.Send}
}

// Common is what every screen shares: settings, styles, keys and size.
// Screens get a pointer and never change it.
type Common struct {
	Opts   Options
	Lang   assets.Lang
	Styles Styles
	Keys   KeyMap
	Ctx    context.Context // cancelled when the wizard quits
	Width  int             // of the body, inside the app's padding
	Height int             // of the body, between header and footer
	State  *State

	qrMemo   map[string]qrBlock // drawn QR codes, by text
	pageMemo map[pageKey]flow.Page
}

type pageKey struct {
	ui      flow.UIGen
	account flow.Account
	id      flow.StepID
}

// page is the procedure's page for a step, assembled once: the texts do
// not change while the wizard runs, and screens draw it every frame.
func (c *Common) page(id flow.StepID) flow.Page {
	k := pageKey{c.Opts.Config.UI, c.Opts.Config.Account, id}
	if p, ok := c.pageMemo[k]; ok {
		return p
	}
	if c.pageMemo == nil {
		c.pageMemo = map[pageKey]flow.Page{}
	}
	p := flow.PageFor(c.Lang, k.ui, k.account, id)
	c.pageMemo[k] = p
	return p
}

// T is a text in the wizard's language.
func (c *Common) T(key string, kv ...string) string { return assets.T(c.Lang, key, kv...) }

// Screen is one step's model. The root owns navigation: a screen asks to
// move with nextCmd/backCmd/gotoCmd and never switches screens itself.
type Screen interface {
	Init() tea.Cmd
	Update(tea.Msg) (Screen, tea.Cmd)
	View() string
	SetSize(w, h int)
	help.KeyMap
}

// Navigation messages, handled by the root only.
type (
	nextMsg struct{}
	backMsg struct{}
	gotoMsg struct{ step flow.StepID }
)

// State messages: a screen reports what it learnt; the root records it.
type (
	answersMsg struct{ a flow.Answers }
)

func nextCmd() tea.Msg { return nextMsg{} }
func backCmd() tea.Msg { return backMsg{} }
func gotoCmd(id flow.StepID) tea.Cmd {
	return func() tea.Msg { return gotoMsg{id} }
}

// log is the support log, or one that drops everything.
func (c *Common) log() *slog.Logger {
	if c.Opts.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c.Opts.Log
}
