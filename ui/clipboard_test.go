package ui

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"mfpmail/assets"
	"mfpmail/flow"
)

// Copying writes OSC 52 to the program's own output, whole, and the
// screen says so; it never goes anywhere else.
func TestCopyGoesToProgramOutput(t *testing.T) {
	var out syncBuffer
	m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS, Tenant: "contoso.com"}, Output: &out, NoQR: true})
	url := m.c.Opts.Config.ConsentURL()
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(&out), tea.WithoutSignals(), tea.WithWindowSize(80, 24))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	p.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	p.Send(gotoMsg{flow.StepConsent})
	p.Send(keyMsg("c"))
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(url)) + "\a"
	copied := m.c.T("ui.consent.copied")
	deadline := time.Now().Add(10 * time.Second)
	for !(strings.Contains(out.String(), seq) && strings.Contains(out.String(), firstWords(copied))) {
		if time.Now().After(deadline) {
			p.Kill()
			t.Fatalf("no OSC 52 sequence and %q in the program's output:\n%q", copied, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\x1b]52;"); n != 1 {
		t.Errorf("%d OSC 52 sequences, want 1", n)
	}
}

func firstWords(s string) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(3, len(f))], " ")
}

func TestOSC52Wrapping(t *testing.T) {
	plain := osc52Sequence("ABC", "")
	if plain != "\x1b]52;c;QUJD\a" {
		t.Errorf("plain %q", plain)
	}
	if s := osc52Sequence("ABC", "tmux"); !strings.HasPrefix(s, "\x1bPtmux;") || !strings.Contains(s, "QUJD") {
		t.Errorf("tmux %q", s)
	}
	if s := osc52Sequence("ABC", "screen"); !strings.HasPrefix(s, "\x1bP") || !strings.Contains(s, "QUJD") {
		t.Errorf("screen %q", s)
	}
}

// Without an output to write to, copying is neither offered nor done.
func TestNoCopyWithoutOutput(t *testing.T) {
	m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS, Tenant: "contoso.com"}})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	goto_(m, flow.StepConsent)
	if _, cmd := m.Update(keyMsg("c")); cmd != nil {
		t.Error("c gave a command without an output")
	}
	if strings.Contains(string(view(m)), "c copy") {
		t.Error("c copy listed without an output")
	}
}
