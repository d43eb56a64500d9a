package ui

import (
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"mfpmail/assets"
	"mfpmail/flow"
)

// TestStylesFollowTheProgramsRenderer: a program given a renderer (an SSH
// session's) draws with that renderer's colour profile, not with the
// default renderer's (the server's own terminal, Ascii in these tests).
func TestStylesFollowTheProgramsRenderer(t *testing.T) {
	draw := func(r *lipgloss.Renderer, step flow.StepID) string {
		m := New(Options{Config: flow.Config{Lang: assets.EN, Tenant: "contoso.com"}, Renderer: r})
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		goto_(m, step)
		return m.View()
	}
	colour := lipgloss.NewRenderer(io.Discard)
	colour.SetColorProfile(termenv.TrueColor)
	colour.SetHasDarkBackground(true)
	for _, step := range []flow.StepID{flow.StepWelcome, flow.StepIdentity, flow.StepSummary} {
		if v := draw(nil, step); strings.Contains(v, "\x1b[38;2;") {
			t.Errorf("%s: the default (Ascii) renderer drew colours", step)
		}
		v := draw(colour, step)
		if !strings.Contains(v, "\x1b[38;2;") {
			t.Errorf("%s: the session's true-colour renderer was not used:\n%q", step, v)
		}
	}
	// The key line is drawn on the session's renderer too.
	m := New(Options{Config: flow.Config{Lang: assets.EN}, Renderer: colour})
	if k := keyItem(m.c, m.c.Keys.Quit); !strings.Contains(k, "\x1b[") {
		t.Errorf("the key line's style ignores the session's renderer: %q", k)
	}
}
