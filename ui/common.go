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

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"mfpmail/assets"
	"mfpmail/flow"
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
func DemoAnswers(d Demo) flow.Answers { return flow.ScenarioAnswers(d) }

// Options are the wizard's settings, from the command line.
type Options struct {
	Config flow.Config
	Demo   Demo
	Term   Term // what the terminal can show
	// Ctx is the program's life: every command the wizard starts (sign-in
	// polling, checks, the test send) ends when it is cancelled, e.g. when
	// an SSH session closes. nil = context.Background().
	Ctx  context.Context
	NoQR bool
	// Notice is shown once at the start (e.g. why Japanese is off).
	Notice  string
	Version string
	// Log is the support log (--log); nil = none. Never given a secret.
	Log *slog.Logger
	// Output is the program's output, the writer given to tea.WithOutput:
	// copying (OSC 52) writes to it, so the sequence reaches the terminal
	// the screens are drawn on. nil: copying is not offered.
	Output io.Writer
	// Environ is the local wizard's environment, which its colour profile
	// is chosen from (see ProgramOptions); nil where the program's runner
	// chooses it (a served session).
	Environ []string
	// Multiplexer is "tmux" or "screen" when the wizard runs inside one
	// (OSC 52 is then wrapped to pass through it), else "".
	Multiplexer string

	// The test send.
	SMTPHost  string         // "" = flow.DefaultSMTPHost
	SMTPPort  int            // 0 = flow.DefaultSMTPPort
	SMTPRoots *x509.CertPool // nil = the system roots
	To        string         // recipient; "" = the signed-in address
	// Answers pre-fill the questions (flags, or a demo scenario).
	Answers flow.Answers
	// Report names the report file the summary offers ("" = a dated name
	// in the current directory). RunBy and Host go into its heading.
	Report      string
	RunBy, Host string
	// ReportFixed: r writes the report to Report at once, without asking
	// for a name (a served session may not choose where the server
	// writes). ReportText: the summary also shows the report as text to
	// copy (the technician is on another machine).
	ReportFixed, ReportText bool
	// Device names the printer, the site and the technician for the
	// report (flags); the wizard keeps the current values in State.Device.
	Device flow.DeviceInfo
}

// ReportPath is the file name the summary suggests for the report.
func (o Options) ReportPath(now time.Time) string {
	if o.Report != "" {
		return o.Report
	}
	return "mfpmail-report-" + now.Format("20060102-150405") + ".html"
}

// ReportMeta is the report's heading.
func (c *Common) ReportMeta() flow.ReportMeta {
	return flow.ReportMeta{Version: c.Opts.Version, RunBy: c.Opts.RunBy, Host: c.Opts.Host, Now: time.Now(), Demo: c.State.Scenario, Device: c.State.Device}
}

// State is what the run has found out so far, and the settings in force.
// The root owns it and changes it only in response to messages; screens
// read it. Every result is a flow record carrying the inputs it ran with,
// so a screen can tell a result that no longer applies.
type State struct {
	Reach    *flow.ReachRun
	SignIn   *flow.SignInRun
	Send     *flow.SendRun
	Answers  flow.Answers
	Scenario string      // the demo's scenario in force, "" outside the demo
	Target   flow.Target // the SMTP server and the recipient in force
	// Device is the printer, site and technician as last given (flags,
	// then the first screen); the report names them.
	Device flow.DeviceInfo
	// DeviceSignIn and DeviceScan: the technician's answers about the
	// device itself, with the inputs in force when given.
	DeviceSignIn, DeviceScan *flow.DeviceAnswer
	// Reported is the report last written and the results it holds
	// (resultsKey); see unsavedResults.
	Reported, ReportedKey string
}

// Outcome is the state as flow sees it, for the checks.
func (c *Common) Outcome() flow.Outcome {
	s := c.State
	return flow.Outcome{Config: c.Opts.Config, Answers: s.Answers, Scenario: s.Scenario, Target: s.Target,
		Reach: s.Reach, SignIn: s.SignIn, Send: s.Send, DeviceSignIn: s.DeviceSignIn, DeviceScan: s.DeviceScan}
}

// Session is the signed-in account while its sign-in holds; nil otherwise.
func (c *Common) Session() *flow.Session { return c.Outcome().Session() }

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

// page is the procedure's page for a step. The pages of the current web
// UI and account are assembled once (preparePages, from Update): screens
// draw them every frame, and drawing changes nothing.
func (c *Common) page(id flow.StepID) flow.Page {
	k := pageKey{c.Opts.Config.UI, c.Opts.Config.Account, id}
	if p, ok := c.pageMemo[k]; ok {
		return p
	}
	return flow.PageFor(c.Lang, k.ui, k.account, id)
}

// preparePages assembles the page of every step for the current web UI
// and account, unless that is done already.
func (c *Common) preparePages() {
	ui, a := c.Opts.Config.UI, c.Opts.Config.Account
	if _, ok := c.pageMemo[pageKey{ui, a, flow.StepWelcome}]; ok {
		return
	}
	if c.pageMemo == nil {
		c.pageMemo = map[pageKey]flow.Page{}
	}
	for _, st := range flow.Procedure {
		c.pageMemo[pageKey{ui, a, st.ID}] = flow.PageFor(c.Lang, ui, a, st.ID)
	}
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
	// deviceAnswerMsg: an answer about the device itself (id is
	// flow.CheckDeviceSignIn or flow.CheckDeviceScan).
	deviceAnswerMsg struct{ id, answer string }
	// deviceShownMsg: what the device shows after a "no" to one of those
	// questions, as typed or pasted.
	deviceShownMsg struct{ id, text string }
)

func nextCmd() tea.Msg { return nextMsg{} }
func backCmd() tea.Msg { return backMsg{} }
func gotoCmd(id flow.StepID) tea.Cmd {
	return func() tea.Msg { return gotoMsg{id} }
}

// log is the support log, or one that drops everything.
func (c *Common) log() *slog.Logger { return flow.OrDiscard(c.Opts.Log) }
