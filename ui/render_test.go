package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"mfpmail/assets"
	"mfpmail/flow"
)

// TestStylesFollowTheProfile: the wizard draws in full colour and the
// program downsamples to its terminal's profile (an SSH session's own):
// no colour under Ascii (NO_COLOR), true colour where the terminal has it.
func TestStylesFollowTheProfile(t *testing.T) {
	draw := func(p colorprofile.Profile, step flow.StepID) string {
		m := New(Options{Config: flow.Config{Lang: assets.EN, Tenant: "contoso.com"}})
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		goto_(m, step)
		return downsample(p, m.Frame())
	}
	for _, step := range []flow.StepID{flow.StepWelcome, flow.StepIdentity, flow.StepSummary} {
		if v := draw(colorprofile.Ascii, step); strings.Contains(v, "\x1b[38;") {
			t.Errorf("%s: colours under the Ascii profile: %q", step, v)
		}
		if v := draw(colorprofile.TrueColor, step); !strings.Contains(v, "\x1b[38;2;") {
			t.Errorf("%s: no true colour under the TrueColor profile:\n%q", step, v)
		}
	}
}

// TestNoColorOption: NO_COLOR (any value, as Term.NoColor) asks the
// program for the Ascii profile; without it the program detects.
func TestNoColorOption(t *testing.T) {
	if n := len(ProgramOptions(Options{Term: Term{NoColor: true}})); n != 1 {
		t.Errorf("NO_COLOR: %d options, want the colour profile", n)
	}
	if n := len(ProgramOptions(Options{})); n != 0 {
		t.Errorf("no NO_COLOR: %d options, want none", n)
	}
}

// TestBackgroundAnswerRestyles: the frame drawn before the terminal says
// its background is for a dark one; a light answer redraws it in the
// light palette, and nothing waits for the answer.
func TestBackgroundAnswerRestyles(t *testing.T) {
	m := New(Options{Config: flow.Config{Lang: assets.EN, Tenant: "contoso.com"}})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	dark := m.Frame()
	if !strings.Contains(dark, "\x1b[1;38;2;95;175;255m") && !strings.Contains(dark, "38;2;95;175;255") {
		t.Fatalf("first frame not in the dark palette's accent (#5FAFFF):\n%q", dark)
	}
	m.Update(tea.BackgroundColorMsg{Color: colorWhite{}})
	light := m.Frame()
	if !strings.Contains(light, "38;2;0;95;175") {
		t.Errorf("after a light background: not the light accent (#005FAF):\n%q", light)
	}
}

type colorWhite struct{}

func (colorWhite) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }
