package sshserve

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/ui"
)

// The server's notice takes the wizard's last line (the key line), and
// the screen keeps its height; an end from the server quits the program
// and says why.
func TestSessionModelNoticeAndEnd(t *testing.T) {
	wiz := ui.New(ui.Options{Config: flow.Config{Lang: assets.EN, Tenant: "contoso.com"}})
	m := &sessionModel{inner: wiz, text: func(k string, kv ...string) string { return assets.T(assets.EN, k, kv...) }}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	before := ansi.Strip(m.View().Content)
	m.Update(noticeMsg{kind: noticeShutdown, left: 5 * time.Second})
	after := ansi.Strip(m.View().Content)
	lines := strings.Split(after, "\n")
	if len(lines) != len(strings.Split(before, "\n")) {
		t.Errorf("the notice changed the screen's height")
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, "The server is stopping") || !strings.Contains(last, "5 s") || ansi.StringWidth(last) > 80 {
		t.Errorf("last line %q: want the stopping notice within 80 columns", last)
	}
	_, cmd := m.Update(endMsg{result: resultIdle})
	if cmd == nil {
		t.Fatal("an end from the server did not quit the program")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok || m.result != resultIdle {
		t.Errorf("end: command %T, result %q; want tea.QuitMsg and %q", cmd(), m.result, resultIdle)
	}
}
