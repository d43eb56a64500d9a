package ui

import (
	"os"
	"path/filepath"
	"runtime"
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
// program for the Ascii profile; with the environment given, the profile
// is the environment's; with neither (a served session) the runner's.
func TestNoColorOption(t *testing.T) {
	env := []string{"TERM=xterm-256color"}
	for _, tc := range []struct {
		name string
		o    Options
		want int
	}{
		{"NO_COLOR", Options{Term: Term{NoColor: true}}, 1},
		{"NO_COLOR with the environment", Options{Term: Term{NoColor: true}, Environ: env}, 1},
		{"the environment", Options{Environ: env}, 1},
		{"neither", Options{}, 0},
	} {
		if n := len(ProgramOptions(tc.o)); n != tc.want {
			t.Errorf("%s: %d options, want %d", tc.name, n, tc.want)
		}
	}
}

// TestDetectColorsOnlyAdds: what Bubble Tea would have detected before
// the first frame comes afterwards as a ColorProfileMsg, and only when it
// finds more colours than the environment named: inside a tmux whose
// `tmux info` reports RGB, true colour; otherwise nothing.
func TestDetectColorsOnlyAdds(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in tmux is a shell script")
	}
	bin := t.TempDir()
	tmuxInfo := func(out string) {
		script := "#!/bin/sh\nprintf '%s\\n' '" + out + "'\n"
		if err := os.WriteFile(filepath.Join(bin, "tmux"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	// TTY_FORCE: colorprofile's own switch to treat the output (a pipe
	// here) as a terminal.
	inTmux := []string{"TERM=tmux-256color", "TMUX=/tmp/tmux-0/default,1,0", "TTY_FORCE=1"}
	out := &strings.Builder{}
	for _, tc := range []struct {
		name, info string
		env        []string
		want       tea.Msg
	}{
		{"tmux with RGB", "197: RGB: (flag) true", inTmux, tea.ColorProfileMsg{Profile: colorprofile.TrueColor}},
		{"tmux without RGB", "197: RGB: [missing]", inTmux, nil},
		{"no tmux", "197: RGB: (flag) true", []string{"TERM=xterm-256color", "TTY_FORCE=1"}, nil},
		{"true colour named", "", []string{"TERM=xterm-256color", "COLORTERM=truecolor", "TTY_FORCE=1"}, nil},
		{"not a terminal", "197: RGB: (flag) true", []string{"TERM=tmux-256color", "TMUX=/tmp/x,1,0"}, nil},
	} {
		tmuxInfo(tc.info)
		if got := detectColors(out, tc.env)(); got != tc.want {
			t.Errorf("%s: %#v, want %#v", tc.name, got, tc.want)
		}
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

// TestDeferredBuildsInInit: the wizard whose building waits for Init
// draws the same first frame as the one built at once, and a line for an
// interruption even before Init.
func TestDeferredBuildsInInit(t *testing.T) {
	opts := Options{Config: flow.Config{Lang: assets.JA, Tenant: "contoso.com"}, Notice: "notice"}
	if line := Deferred(opts).Interrupted(); !strings.Contains(line, "1") {
		t.Errorf("interrupted before Init: %q", line)
	}
	frame := func(m *Model) string {
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		return m.Frame()
	}
	now, later := frame(New(opts)), frame(Deferred(opts))
	if now != later || !strings.Contains(later, "mfpmail") {
		t.Errorf("deferred first frame differs:\n%s\n--- built at once:\n%s", later, now)
	}
}
