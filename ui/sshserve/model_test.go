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
	// The notice is whole, wrapped over the last lines, none wider than
	// the window.
	want := assets.T(assets.EN, "serve.stopping", "secs", "5")
	var tail []string
	for i := len(lines) - 1; i >= 0 && !strings.Contains(strings.Join(tail, " "), want); i-- {
		if ansi.StringWidth(lines[i]) > 80 {
			t.Errorf("line %d %q is wider than 80 columns", i+1, lines[i])
		}
		tail = append([]string{strings.TrimSpace(lines[i])}, tail...)
	}
	if got := strings.Join(tail, " "); !strings.Contains(got, want) {
		t.Errorf("the last lines %q do not hold the whole notice %q", got, want)
	}
	_, cmd := m.Update(endMsg{result: resultIdle})
	if cmd == nil {
		t.Fatal("an end from the server did not quit the program")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok || m.result != resultIdle {
		t.Errorf("end: command %T, result %q; want tea.QuitMsg and %q", cmd(), m.result, resultIdle)
	}
}
