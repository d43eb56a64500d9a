package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/smtpcheck"
)

// passedState: a run in which every check passed, signed in as a user
// whose primary address is the UPN, recorded with the settings in force.
func passedState(m *Model) {
	st := m.State()
	st.Answers = flow.Answers{LoginCredentials: flow.LoginSystem, GuestEdit: "safe", NoAuthEdit: "safe"}
	out := m.c.Outcome()
	out.RecordSignIn(&flow.Session{Identity: flow.Identity{
		UPN: "scanner@contoso.com", Mail: "scanner@contoso.com", TenantID: "4f6c2b1e-8d3a-4c7b-9e21-5a0d7c9b3f18",
		FromGraph: true, ProxyAddresses: []string{"SMTP:scanner@contoso.com", "smtp:scan@contoso.com"},
	}}, nil)
	st.SignIn = out.SignIn
	now := m.c.Outcome().Now()
	st.Reach = &flow.ReachRun{Inputs: now, Results: []flow.Reach{{Host: "login.microsoftonline.com", Port: 443}, {Host: "smtp.office365.com", Port: 587}}}
	st.Send = &flow.SendRun{Inputs: now, Reach: flow.Reach{Host: "smtp.office365.com", Port: 587},
		Result: &smtpcheck.Result{Delivered: true, Stage: smtpcheck.StageQuit, TLSVersion: "TLS 1.3",
			Diagnosis: smtpcheck.Diagnosis{ID: "ok", OK: true, Title: "Test message sent"}}}
	// The device confirmed both: its sign-in, and a scan that arrived.
	out = m.c.Outcome()
	out.AnswerDevice(flow.CheckDeviceSignIn, flow.DeviceYes)
	out.AnswerDevice(flow.CheckDeviceScan, flow.DeviceYes)
	st.DeviceSignIn, st.DeviceScan = out.DeviceSignIn, out.DeviceScan
	m.wiz = m.wiz.WithSignIn(true)
}

// The reproduction: a passing test send, then the sender is changed to an
// alias on the sender screen without sending again. The summary must not
// say that everything passed, and the test send and sender checks are
// shown as not run since the settings changed.
func TestSummaryAfterSenderChange(t *testing.T) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := newTestModel(t, l.lang, l.gen)
			passedState(m)
			goto_(m, flow.StepSummary)
			if v := ansi.Strip(m.Frame()); !strings.Contains(v, firstLine(assets.T(l.lang, "verdict.ready"))[:20]) {
				t.Fatalf("baseline is not a pass:\n%s", v)
			}
			a := m.State().Answers
			a.Sender = "scan@contoso.com"
			goto_(m, flow.StepSenderPolicy)
			m.Update(answersMsg{a: a})
			goto_(m, flow.StepSummary)
			v := ansi.Strip(m.Frame())
			golden.RequireEqual(t, []byte(v))
			if strings.Contains(v, firstLine(assets.T(l.lang, "verdict.ready"))[:20]) {
				t.Error("the summary claims a pass after the sender changed")
			}
			stale := strings.SplitN(assets.T(l.lang, "check.stale.title"), "}", 2)[1]
			if strings.Count(strings.ReplaceAll(v, "\n", ""), strings.TrimSpace(stale)[:12]) < 2 {
				t.Errorf("the sender and test send checks are not shown as stale:\n%s", v)
			}
			// On the test-send screen, the old result says it no longer applies.
			goto_(m, flow.StepTestSend)
			tv := ansi.Strip(m.Frame())
			want := strings.SplitN(assets.T(l.lang, "ui.send.stale"), "(", 2)[0]
			if !strings.Contains(strings.ReplaceAll(tv, "\n", ""), want[:min(len(want), 12)]) {
				t.Errorf("the test send screen shows the old result as current:\n%s", tv)
			}
			// Sending back as the UPN: the old send applies again.
			a.Sender = ""
			goto_(m, flow.StepSenderPolicy)
			m.Update(answersMsg{a: a})
			goto_(m, flow.StepSummary)
			if v := ansi.Strip(m.Frame()); !strings.Contains(v, firstLine(assets.T(l.lang, "verdict.ready"))[:20]) {
				t.Errorf("back to the tested settings, the pass is not shown:\n%s", v)
			}
		})
	}
}
