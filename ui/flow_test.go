package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/internal/reportschema"
)

// startDemo runs the simulated tenant and Exchange Online for one test.
func startDemo(t *testing.T, sc demo.Scenario, lang assets.Lang) (*demo.Simulation, Options) {
	t.Helper()
	sim, err := demo.StartSimulation(sc, demo.TenantOptions{Interval: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	cfg := flow.Config{Lang: lang, Authority: sim.URL(), GraphURL: sim.URL(), HTTPClient: flow.NewHTTPClient(sim.Pool())}
	host, port := sim.SMTP()
	return sim, Options{Config: cfg, Demo: sim, SMTPHost: host, SMTPPort: port, SMTPRoots: sim.Pool(), Answers: DemoAnswers(sim)}
}

func press(s string) tea.KeyPressMsg { return keyMsg(s) }

// watched is a model whose latest frame the test can read: Bubble Tea v2
// writes only the cells that changed, so a text on screen need not appear
// whole in the program's output; the frame holds it whole.
type watched struct {
	tea.Model
	mu    sync.Mutex
	frame string
}

func (w *watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := w.Model.Update(msg)
	w.Model = m
	return w, cmd
}

func (w *watched) View() tea.View {
	v := w.Model.View()
	w.mu.Lock()
	w.frame = ansi.Strip(v.Content)
	w.mu.Unlock()
	return v
}

func (w *watched) last() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.frame
}

var watchedModels sync.Map // *teatest.TestModel → *watched

// newWatched runs m under teatest at w×h, its frames watched by waitFor.
func newWatched(t *testing.T, m tea.Model, w, h int) *teatest.TestModel {
	wm := &watched{Model: m}
	tm := teatest.NewTestModel(t, wm, teatest.WithInitialTermSize(w, h))
	watchedModels.Store(tm, wm)
	t.Cleanup(func() { watchedModels.Delete(tm) })
	return tm
}

// waitFor waits until the screen (the latest frame drawn) shows every
// text in what.
func waitFor(t *testing.T, tm *teatest.TestModel, what ...string) {
	t.Helper()
	v, _ := watchedModels.Load(tm)
	wm := v.(*watched)
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := wm.last()
		missing := ""
		for _, w := range what {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q not on screen after 20 s; screen:\n%s", missing, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The happy path a newcomer takes: Enter on every screen with its
// defaults, the simulated user approves, the test message is delivered to
// the simulated mailbox, and every check passes.
func TestWizardHappyPathWithDefaults(t *testing.T) {
	sim, opts := startDemo(t, demo.ScenarioOK, assets.EN)
	opts.Report = filepath.Join(t.TempDir(), "report.md")
	var logBuf syncBuffer
	opts.Log = flow.NewLogger(&logBuf)
	opts.Config = opts.Config.WithLog(opts.Log)
	m := New(opts)
	tm := newWatched(t, m, 80, 24)
	waitFor(t, tm, "Which kind of account")
	for range 7 { // welcome, consent, device login, network, SMTP page, provider, from address
		tm.Send(press("enter"))
	}
	waitFor(t, tm, "Code expires in", "/devicelogin")
	if codes := sim.Tenant.PendingUserCodes(); len(codes) != 1 {
		t.Fatalf("pending codes: %v", codes)
	}
	tm.Send(press("a")) // the trainer makes the simulated user sign in now
	waitFor(t, tm, "Signed in", "scanner@contoso.com")
	tm.Send(press("enter"))
	waitFor(t, tm, "Sign the device in", "[Open Authentication Page]")
	tm.Send(press("y")) // the device's own sign-in succeeded
	waitFor(t, tm, "Answered: the device's sign-in succeeded")
	tm.Send(press("enter"))
	// The device has signed in: the wizard asks what it now holds.
	waitFor(t, tm, "The device has signed in: type the Device Email Address")
	tm.Send(keyMsg("scanner@contoso.com"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Device Email Address: scanner@contoso.com", "will be the UPN")
	tm.Send(press("enter"))
	// Nothing is preselected: each of the three answers is given.
	waitFor(t, tm, "was not checked", "The From settings were not checked")
	for _, k := range []string{"right", "down", "right", "down", "right"} {
		tm.Send(press(k))
	}
	waitFor(t, tm, "The From settings are locked")
	tm.Send(press("enter"))
	waitFor(t, tm, "Press Enter to send")
	tm.Send(press("enter"))
	waitFor(t, tm, "Test message sent")
	tm.Send(press("enter"))
	waitFor(t, tm, "not confirmed on the device yet", "9 passed", "1 warned")
	tm.Send(press("y")) // the device's own scan arrived
	waitFor(t, tm, "Ready: every check passed", "10 passed")
	// The report: written, then not overwritten without a yes.
	tm.Send(press("r"))
	waitFor(t, tm, "Report file")
	tm.Send(press("enter"))
	waitFor(t, tm, "Report written to")
	tm.Send(press("r"))
	waitFor(t, tm, "Report file")
	tm.Send(press("enter"))
	waitFor(t, tm, "File exists. Overwrite?")
	tm.Send(press("n"))
	waitFor(t, tm, "Not overwritten")
	// And as JSON, under another name.
	jsonPath := filepath.Join(filepath.Dir(opts.Report), "report.json")
	tm.Send(press("r"))
	waitFor(t, tm, "Report file")
	tm.Send(keyMsg("ctrl+u"))
	tm.Send(keyMsg(jsonPath))
	tm.Send(press("enter"))
	waitFor(t, tm, "Report written to")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*watched).Model.(*Model)
	if final.Session() == nil || final.Session().Identity.UPN != "scanner@contoso.com" {
		t.Fatalf("session %v", final.Session())
	}
	msgs := sim.SMTPServer().Messages()
	if len(msgs) != 1 || msgs[0].AuthUser != "scanner@contoso.com" || !strings.Contains(string(msgs[0].Data), "mfpmail") {
		t.Fatalf("delivered: %+v", msgs)
	}
	for _, c := range final.c.Outcome().Checks() {
		if c.Status != flow.Pass {
			t.Errorf("check %s: %s %s", c.ID, c.Status, c.Title)
		}
	}
	// Nothing the tenant issued ever reached the screen or the transcript.
	out := final.Frame()
	for _, l := range final.State().Send.Result.Transcript {
		out += l.String() + "\n"
	}
	report, err := os.ReadFile(opts.Report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), "scanner@contoso.com") || !strings.Contains(string(report), "test-send") {
		t.Errorf("report lacks the account or the checks:\n%s", report)
	}
	out += string(report)
	js, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	reportschema.Check(t, js)
	var rep flow.Report
	if err := json.Unmarshal(js, &rep); err != nil || rep.Schema != flow.ReportSchema || rep.Account == nil || len(rep.Transcript) == 0 {
		t.Fatalf("json report: %v %+v", err, rep)
	}
	out += string(js)
	// The support log has the exchanges, the transcript and the decisions.
	logText := logBuf.String()
	for _, want := range []string{"msg=http", "devicecode", "msg=smtp", "AUTH XOAUTH2", "msg=step", "msg=\"test send\"", "msg=check"} {
		if !strings.Contains(logText, want) {
			t.Errorf("support log lacks %q", want)
		}
	}
	out += logText
	for _, s := range sim.Tenant.Secrets() {
		if strings.Contains(out, s) {
			t.Fatal("a token or device code is on screen, in the transcript, the report or the support log")
		}
	}
}

// The user whose primary address differs from the UPN fails the
// device-email check, with both addresses named.
func TestWizardUPNMismatch(t *testing.T) {
	_, opts := startDemo(t, demo.ScenarioUPNMismatch, assets.EN)
	tm := newWatched(t, New(opts), 100, 30)
	waitFor(t, tm, "Which kind of account")
	tm.Send(gotoMsg{flow.StepSignIn})
	waitFor(t, tm, "Code expires in")
	tm.Send(press("a"))
	waitFor(t, tm, "Signed in")
	tm.Send(gotoMsg{flow.StepIdentity})
	waitFor(t, tm, "lobby.printer@contoso.com", "mfp-lobby@contoso.onmicrosoft.com", "is not the UPN", "[Device Details]")
	// The trainee types the UPN as the device's address: the check passes.
	tm.Send(press("e"))
	for _, r := range "mfp-lobby@contoso.onmicrosoft.com" {
		tm.Send(keyMsg(string(r)))
	}
	tm.Send(press("enter"))
	waitFor(t, tm, "was changed to the UPN")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// smtp-auth-disabled: the test send fails with 5.7.139; the trainer plays
// the administrator (x), the retry (r) passes.
func TestWizardSMTPAuthDisabledAdminFix(t *testing.T) {
	sim, opts := startDemo(t, demo.ScenarioSMTPAuthDisabled, assets.EN)
	tm := newWatched(t, New(opts), 80, 24)
	waitFor(t, tm, "Which kind of account")
	tm.Send(gotoMsg{flow.StepSignIn})
	waitFor(t, tm, "Code expires in")
	tm.Send(press("a"))
	waitFor(t, tm, "Signed in", "copier@contoso.com")
	tm.Send(gotoMsg{flow.StepTestSend})
	waitFor(t, tm, "Press Enter to send")
	tm.Send(press("enter"))
	waitFor(t, tm, "5.7.139", "press x")
	tm.Send(press("x"))
	waitFor(t, tm, "Set-CASMailbox")
	tm.Send(press("r"))
	waitFor(t, tm, "Test message sent")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if n := len(sim.SMTPServer().Messages()); n != 1 {
		t.Errorf("%d messages delivered", n)
	}
}

// consent-required: sign-in fails with the consent diagnosis, Enter goes
// back to the consent step, the simulated administrator consents (g), and
// a new sign-in passes.
func TestWizardConsentRequiredThenGranted(t *testing.T) {
	s, opts := startDemo(t, demo.ScenarioConsentRequired, assets.EN)
	ten := s.Tenant
	tm := newWatched(t, New(opts), 80, 24)
	waitFor(t, tm, "Which kind of account")
	tm.Send(gotoMsg{flow.StepSignIn})
	waitFor(t, tm, "Code expires in")
	tm.Send(press("a"))
	// The key line says what Enter does there.
	waitFor(t, tm, "Administrator consent is missing", "AADSTS65001", "enter back to consent")
	tm.Send(press("enter")) // back to consent
	waitFor(t, tm, "Consent link")
	tm.Send(press("g"))
	// Consent given: straight back to the sign-in, with a new code.
	waitFor(t, tm, "Sign in: check the account first", "Code expires in")
	if !ten.ConsentGranted() {
		t.Fatal("consent not granted on the tenant")
	}
	tm.Send(press("a"))
	waitFor(t, tm, "Signed in")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// Ctrl+C while polling ends the program as interrupted at once, stops the
// polling, and leaves the line that says what was lost.
func TestCtrlCWhilePolling(t *testing.T) {
	s, opts := startDemo(t, demo.ScenarioOK, assets.EN)
	ten := s.Tenant
	// A program of its own: teatest takes an interrupted program for a
	// failed one.
	p := tea.NewProgram(New(opts), tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignals())
	type result struct {
		m   tea.Model
		err error
	}
	done := make(chan result, 1)
	go func() { m, err := p.Run(); done <- result{m, err} }()
	p.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	p.Send(gotoMsg{flow.StepSignIn})
	var code string
	for deadline := time.Now().Add(20 * time.Second); code == ""; {
		if codes := ten.PendingUserCodes(); len(codes) > 0 {
			code = codes[0]
		} else if time.Now().After(deadline) {
			t.Fatal("no device code was asked for")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for deadline := time.Now().Add(20 * time.Second); len(ten.Polls(code)) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the sign-in was never polled")
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Send(press("ctrl+c"))
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not end after Ctrl+C")
	}
	if !errors.Is(r.err, tea.ErrInterrupted) {
		t.Fatalf("Run: %v, want tea.ErrInterrupted", r.err)
	}
	if line := r.m.(*Model).Interrupted(); !strings.Contains(line, "step 8/13") || !strings.Contains(line, "sign-in was not finished") {
		t.Errorf("interrupted line %q: want the step and that the sign-in was lost", line)
	}
	n := len(ten.Polls(code))
	time.Sleep(2500 * time.Millisecond)
	if after := len(ten.Polls(code)); after != n {
		t.Errorf("polling went on after Ctrl+C: %d → %d polls", n, after)
	}
}

// syncBuffer is a bytes.Buffer safe for the log's writers (the program's
// goroutines) and the test's reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
