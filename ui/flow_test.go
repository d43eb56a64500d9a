package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
)

type demoCtl struct{ t *demo.Tenant }

func (d demoCtl) Approve(code string) error { return d.t.Approve(code, "") }
func (d demoCtl) GrantConsent()             { d.t.GrantConsent() }
func (d demoCtl) Scenario() string          { return string(d.t.Scenario()) }

func startDemo(t *testing.T, sc demo.Scenario, lang assets.Lang) (*demo.Tenant, Options) {
	t.Helper()
	ten, err := demo.StartTenant(demo.TenantOptions{Scenario: sc, Interval: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ten.Close() })
	cfg := flow.Config{Lang: lang, Authority: ten.URL(), GraphURL: ten.URL(), HTTPClient: flow.NewHTTPClient(ten.CA().Pool())}
	return ten, Options{Config: cfg, Demo: demoCtl{ten}}
}

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func waitFor(t *testing.T, tm *teatest.TestModel, what ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		s := ansi.Strip(string(b))
		for _, w := range what {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// The whole first half of the procedure against the simulated tenant:
// every screen with Enter, sign-in approved by the simulated user, then
// who signed in.
func TestWizardSignsInAgainstSimulatedTenant(t *testing.T) {
	ten, opts := startDemo(t, demo.ScenarioOK, assets.EN)
	m := New(opts)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Which kind of account")
	for range 6 { // welcome, consent, device login, network, SMTP page, provider, from address
		tm.Send(press("enter"))
	}
	tm.Send(press("enter"))
	waitFor(t, tm, "Code expires in", "/devicelogin")
	codes := ten.PendingUserCodes()
	if len(codes) != 1 {
		t.Fatalf("pending codes: %v", codes)
	}
	tm.Send(press("a")) // the trainer makes the simulated user sign in now
	waitFor(t, tm, "Signed in", "scanner@contoso.com")
	tm.Send(press("enter"))
	waitFor(t, tm, "This account signed in", "Microsoft Graph and the sign-in", "scan@contoso.com")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Model)
	if final.Session() == nil || final.Session().Identity.UPN != "scanner@contoso.com" {
		t.Fatalf("session %v", final.Session())
	}
	// Nothing the tenant issued ever reached the screen.
	out, _ := final.View(), 0
	for _, s := range ten.Secrets() {
		if strings.Contains(out, s) {
			t.Fatal("a token or device code is on screen")
		}
	}
}

// consent-required: sign-in fails with the consent diagnosis, Enter goes
// back to the consent step, the simulated administrator consents (g), and
// a new sign-in passes.
func TestWizardConsentRequiredThenGranted(t *testing.T) {
	ten, opts := startDemo(t, demo.ScenarioConsentRequired, assets.EN)
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Which kind of account")
	tm.Send(gotoMsg{flow.StepSignIn})
	waitFor(t, tm, "Code expires in")
	tm.Send(press("a"))
	waitFor(t, tm, "Administrator consent is missing", "AADSTS65001")
	tm.Send(press("enter")) // back to consent
	waitFor(t, tm, "Consent link")
	tm.Send(press("g"))
	waitFor(t, tm, "simulated administrator consented")
	if !ten.ConsentGranted() {
		t.Fatal("consent not granted on the tenant")
	}
	tm.Send(gotoMsg{flow.StepSignIn})
	tm.Send(press("n"))
	waitFor(t, tm, "Code expires in")
	tm.Send(press("a"))
	waitFor(t, tm, "Signed in")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// Ctrl+C while polling quits at once and stops the polling.
func TestCtrlCWhilePolling(t *testing.T) {
	ten, opts := startDemo(t, demo.ScenarioOK, assets.EN)
	m := New(opts)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	tm.Send(gotoMsg{flow.StepSignIn})
	waitFor(t, tm, "Code expires in")
	code := ten.PendingUserCodes()[0]
	time.Sleep(1500 * time.Millisecond)
	tm.Send(press("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	n := len(ten.Polls(code))
	time.Sleep(2500 * time.Millisecond)
	if after := len(ten.Polls(code)); after != n {
		t.Errorf("polling went on after Ctrl+C: %d → %d polls", n, after)
	}
	var buf bytes.Buffer
	buf.ReadFrom(tm.FinalOutput(t))
	_ = buf
}
