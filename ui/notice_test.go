package ui

import (
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/assets"
	"mfpmail/flow"
)

// A start notice too long for the key line shows whole on lines of its
// own above it, the frame keeping its height and width; a short one stays
// in the key line; the first key takes either away.
func TestNoticeShownWhole(t *testing.T) {
	long := assets.T(assets.EN, "laptop.notice.not_utf8", "var", "LANG", "value", "C")
	for _, tc := range []struct {
		notice string
		w      int
		own    bool // on lines of its own
	}{
		{long, 80, true}, {long, 40, true}, {long, 160, false}, {"short", 80, false},
	} {
		plain := New(Options{Config: flow.Config{Lang: assets.EN}, Output: io.Discard})
		plain.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		m := New(Options{Config: flow.Config{Lang: assets.EN}, Output: io.Discard, Notice: tc.notice})
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		out := ansi.Strip(m.Frame())
		lines := splitLines(out)
		if n := len(splitLines(ansi.Strip(plain.Frame()))); len(lines) != n {
			t.Errorf("%d wide: %d lines with the notice, %d without", tc.w, len(lines), n)
		}
		for i, l := range lines {
			if lipgloss.Width(l) > tc.w {
				t.Errorf("%d wide: line %d is %d wide: %q", tc.w, i, lipgloss.Width(l), l)
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(out), " "), tc.notice) {
			t.Errorf("%d wide: the notice %q is not whole:\n%s", tc.w, tc.notice, out)
		}
		if last := lines[len(lines)-1]; strings.Contains(last, tc.notice) == tc.own {
			t.Errorf("%d wide: the key line %q (the notice on its own lines: %v)", tc.w, last, tc.own)
		}
		m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		if strings.Contains(ansi.Strip(m.Frame()), tc.notice) {
			t.Errorf("%d wide: the notice stays after a key", tc.w)
		}
	}
}
