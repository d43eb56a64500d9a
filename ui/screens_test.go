package ui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mattn/go-runewidth"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/smtpcheck"
)

// newTestModel is the wizard with Microsoft's defaults, sized 80×24. No
// command is run, so nothing touches the network.
func newTestModel(t *testing.T, lang assets.Lang, gen flow.UIGen) *Model {
	t.Helper()
	m := New(Options{Config: flow.Config{Lang: lang, UI: gen, Tenant: "contoso.com"}, Output: io.Discard})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

func goto_(m *Model, id flow.StepID) {
	m.Update(gotoMsg{id})
}

func view(m *Model) []byte { return []byte(ansi.Strip(m.Frame())) }

// fixedCode is a device code as Microsoft returns it: no complete URI.
func fixedCode() *flow.DeviceCode {
	return &flow.DeviceCode{
		UserCode:        "FQK5HW3RK",
		VerificationURI: "https://microsoft.com/devicelogin",
		Issued:          time.Now(),
		Expiry:          time.Now().Add(15 * time.Minute),
		Interval:        5 * time.Second,
	}
}

func signedIn(m *Model, id flow.Identity) {
	m.Update(signedInMsg{gen: m.screen().(*signInScreen).gen, session: &flow.Session{Identity: id}})
}

var langs = []struct {
	name string
	lang assets.Lang
	gen  flow.UIGen
}{
	{"en", assets.EN, flow.UICWIS},
	{"ja", assets.JA, flow.UIIS},
}

func TestConsentScreen(t *testing.T) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := newTestModel(t, l.lang, l.gen)
			goto_(m, flow.StepConsent)
			golden.RequireEqual(t, view(m))
		})
	}
}

func TestSignInScreen(t *testing.T) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := newTestModel(t, l.lang, l.gen)
			goto_(m, flow.StepSignIn)
			s := m.screen().(*signInScreen)
			m.Update(deviceCodeMsg{gen: s.gen, dc: fixedCode()})
			golden.RequireEqual(t, view(m))
		})
	}
}

func TestSignedInScreen(t *testing.T) {
	id := flow.Identity{
		UPN: "mfp-lobby@contoso.onmicrosoft.com", Mail: "lobby.printer@contoso.com", Name: "Lobby MFP",
		TenantID:       "4f6c2b1e-8d3a-4c7b-9e21-5a0d7c9b3f18",
		ProxyAddresses: []string{"SMTP:lobby.printer@contoso.com", "smtp:mfp-lobby@contoso.onmicrosoft.com"},
		FromGraph:      true,
	}
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := newTestModel(t, l.lang, l.gen)
			goto_(m, flow.StepSignIn)
			m.Update(deviceCodeMsg{gen: m.screen().(*signInScreen).gen, dc: fixedCode()})
			signedIn(m, id)
			m.Update(nextMsg{}) // the device's own sign-in
			m.Update(nextMsg{})
			if m.Step() != flow.StepIdentity {
				t.Fatalf("at %s after sign-in + next + next", m.Step())
			}
			golden.RequireEqual(t, view(m))
		})
	}
}

// Every screen of the procedure fits 80×24 without a line wider than 80.
func TestEveryScreenFits80x24(t *testing.T) {
	for _, l := range langs {
		for _, acct := range []flow.Account{flow.AccountWork, flow.AccountPersonal} {
			m := New(Options{Config: flow.Config{Lang: l.lang, UI: l.gen, Account: acct}})
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			for _, st := range m.wiz.Steps() {
				goto_(m, st.ID)
				if st.ID == flow.StepSignIn {
					m.Update(deviceCodeMsg{gen: m.screen().(*signInScreen).gen, dc: fixedCode()})
				}
				out := ansi.Strip(m.Frame())
				lines := splitLines(out)
				if len(lines) > 24 {
					t.Errorf("%s/%s/%s: %d lines", l.name, acct, st.ID, len(lines))
				}
				for i, line := range lines {
					if w := lipgloss.Width(line); w > 80 {
						t.Errorf("%s/%s/%s line %d is %d wide: %q", l.name, acct, st.ID, i, w, line)
					}
				}
				if st.ID == flow.StepSignIn {
					signedIn(m, flow.Identity{UPN: "a@b.c"})
				}
			}
		}
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// A state as after a run: signed in as the user whose primary address is
// not the UPN, the questionnaire answered, a test send refused.
func lobbyState(m *Model, lang assets.Lang) {
	st := m.State()
	st.Answers = flow.Answers{LoginCredentials: flow.LoginRemote, GuestEdit: "other", NoAuthEdit: "safe"}
	out := m.c.Outcome()
	out.RecordSignIn(&flow.Session{Identity: flow.Identity{
		UPN: "mfp-lobby@contoso.onmicrosoft.com", Mail: "lobby.printer@contoso.com", Name: "Lobby MFP",
		TenantID: "4f6c2b1e-8d3a-4c7b-9e21-5a0d7c9b3f18", FromGraph: true,
	}}, nil)
	st.SignIn = out.SignIn
	now := m.c.Outcome().Now()
	st.Reach = &flow.ReachRun{Inputs: now, Results: []flow.Reach{{Host: "login.microsoftonline.com", Port: 443, Addrs: []string{"20.190.151.6"}}, {Host: "smtp.office365.com", Port: 587, Addrs: []string{"52.96.0.2"}}}}
	reply := &smtpcheck.Reply{Code: 535, Enhanced: [3]int{5, 7, 3}, Text: "Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]"}
	st.Send = &flow.SendRun{Inputs: now, Result: &smtpcheck.Result{Stage: smtpcheck.StageAuth, Reply: reply, TLSVersion: "TLS 1.3",
		Diagnosis: smtpcheck.Diagnose(lang, smtpcheck.StageAuth, reply, nil)}}
	m.wiz = m.wiz.WithSignIn(true)
}

// goldenAfterRun compares a screen, in both languages, as it stands after
// lobbyState's run, with its golden file.
func goldenAfterRun(t *testing.T, step flow.StepID, w, h int) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := newTestModel(t, l.lang, l.gen)
			m.Update(tea.WindowSizeMsg{Width: w, Height: h})
			lobbyState(m, l.lang)
			goto_(m, step)
			golden.RequireEqual(t, view(m))
		})
	}
}

func TestIdentityCheckScreen(t *testing.T) { goldenAfterRun(t, flow.StepIdentity, 80, 24) }

func TestSenderPolicyScreen(t *testing.T) { goldenAfterRun(t, flow.StepSenderPolicy, 80, 24) }

func TestTestSendScreen(t *testing.T) { goldenAfterRun(t, flow.StepTestSend, 80, 24) }

func TestSummaryScreen(t *testing.T) { goldenAfterRun(t, flow.StepSummary, 100, 48) }

func TestCountdownCadence(t *testing.T) {
	cases := []struct{ left, next, shown time.Duration }{
		{15 * time.Minute, 10 * time.Second, 15 * time.Minute},
		{14*time.Minute + 53*time.Second, 3 * time.Second, 14*time.Minute + 50*time.Second},
		{65 * time.Second, 1 * time.Second, 65 * time.Second},
		{10*time.Second + 500*time.Millisecond, 500 * time.Millisecond, 11 * time.Second},
	}
	for _, c := range cases {
		if got := nextTick(c.left); got != c.next {
			t.Errorf("nextTick(%v) = %v, want %v", c.left, got, c.next)
		}
		if got := countdown(c.left); got != c.shown {
			t.Errorf("countdown(%v) = %v, want %v", c.left, got, c.shown)
		}
	}
}

// The sign-in screen on terminals without UTF-8 and on East Asian
// terminals: nothing the terminal cannot show or would draw double wide.
func TestSignInScreenTerminals(t *testing.T) {
	cases := []struct {
		name string
		lang assets.Lang
		gen  flow.UIGen
		term Term
		ok   func(r rune) bool
	}{
		{"ascii", assets.EN, flow.UICWIS, Term{ASCII: true, NoColor: true}, func(r rune) bool { return r < 0x80 }},
		{"ja-wide", assets.JA, flow.UIIS, Term{Wide: true}, func(r rune) bool { return !runewidth.IsAmbiguousWidth(r) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := New(Options{Config: flow.Config{Lang: tc.lang, UI: tc.gen}, Term: tc.term})
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			goto_(m, flow.StepSignIn)
			m.Update(deviceCodeMsg{gen: m.screen().(*signInScreen).gen, dc: fixedCode()})
			out := view(m)
			for _, r := range string(out) {
				if !tc.ok(r) {
					t.Errorf("%q (%U) on a %s terminal", r, r, tc.name)
					break
				}
			}
			golden.RequireEqual(t, out)

			// A taller window: v shows the QR code on its own, in square
			// reverse-video or coloured blocks, with the code and link.
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 40})
			m.Update(press("v"))
			full := m.Frame()
			if !strings.Contains(full, "\x1b[7m") && !strings.Contains(full, "\x1b[47m") {
				t.Error("no block QR code at 80x40 after v")
			}
			if s := ansi.Strip(full); !strings.Contains(s, "FQK5HW3RK") || !strings.Contains(s, "https://microsoft.com/devicelogin") {
				t.Error("the code or the link is missing beside the QR code")
			}
		})
	}
}

// A result is the run's as soon as it arrives: moving on at once still
// shows it (the summary is built from the state when it is entered).
func TestResultRecordedBeforeMovingOn(t *testing.T) {
	m := newTestModel(t, assets.EN, flow.UICWIS)
	lobbyState(m, assets.EN)
	m.State().Send = nil
	goto_(m, flow.StepTestSend)
	ts := m.screen().(*testSendScreen)
	ts.gen, ts.state = 1, sendRunning
	res := &smtpcheck.Result{Delivered: true, Stage: smtpcheck.StageQuit, Diagnosis: smtpcheck.Diagnosis{ID: "ok", OK: true, Title: "Test message sent"}}
	m.Update(sendResultMsg{gen: 1, run: flow.SendRun{Inputs: m.c.Outcome().Now(), Result: res}})
	m.Update(nextMsg{})
	if m.Step() != flow.StepSummary {
		t.Fatalf("at %s", m.Step())
	}
	sum := m.screen().(*summaryScreen)
	var all string // the whole list, page by page
	for off := 0; off < sum.vp.TotalLineCount(); off += max(1, sum.vp.Height()) {
		sum.vp.SetYOffset(off)
		all += ansi.Strip(sum.vp.View())
	}
	if !strings.Contains(all, "The test message was accepted") {
		t.Errorf("summary does not show the send:\n%s", sum.vp.View())
	}
	// A late answer for an attempt that was replaced changes nothing.
	m.Update(sendResultMsg{gen: 0, run: flow.SendRun{Inputs: m.c.Outcome().Now(), Result: &smtpcheck.Result{Stage: smtpcheck.StageAuth}}})
	if !m.State().Send.Result.Delivered {
		t.Error("a stale result replaced the current one")
	}
}

// The summary's "account ready" headline for a personal account names the
// account alone: an Outlook.com account has no tenant to manage.
func TestSummaryAccountReadyPersonal(t *testing.T) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := New(Options{Config: flow.Config{Lang: l.lang, UI: l.gen, Account: flow.AccountPersonal}, Output: io.Discard})
			m.Update(tea.WindowSizeMsg{Width: 100, Height: 48})
			st := m.State()
			st.Answers = flow.Answers{LoginCredentials: flow.LoginSystem, GuestEdit: "safe", NoAuthEdit: "safe"}
			out := m.c.Outcome()
			out.RecordSignIn(&flow.Session{Identity: flow.Identity{UPN: "scanner@outlook.com", Mail: "scanner@outlook.com",
				TenantID: flow.ConsumerTenantID, Personal: true, FromGraph: true}}, nil)
			st.SignIn = out.SignIn
			now := m.c.Outcome().Now()
			st.Reach = &flow.ReachRun{Inputs: now, Results: []flow.Reach{{Host: "login.microsoftonline.com", Port: 443}, {Host: "smtp-mail.outlook.com", Port: 587}}}
			st.Send = &flow.SendRun{Inputs: now, Result: &smtpcheck.Result{Delivered: true, Stage: smtpcheck.StageQuit, Diagnosis: smtpcheck.Diagnosis{OK: true}}}
			m.wiz = m.wiz.WithSignIn(true)
			m.Update(deviceAnswerMsg{flow.CheckDeviceSignIn, flow.DeviceYes})
			goto_(m, flow.StepSummary)
			if v := flow.Headline(m.c.Outcome().Checks()); v != flow.VerdictAccountReady {
				t.Fatalf("verdict %v", v)
			}
			want := assets.T(l.lang, "verdict.account-ready.personal", "missing", assets.T(l.lang, "verdict.missing.device-scan"))
			got := strings.Join(strings.Fields(string(view(m))), "")
			if !strings.Contains(got, strings.Join(strings.Fields(want), "")) {
				t.Errorf("the summary lacks %q:\n%s", want, view(m))
			}
		})
	}
}
