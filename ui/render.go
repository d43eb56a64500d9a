package ui

import (
	"io"
	"strings"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// Styles hold colours, not a terminal: the program downsamples them to
// its terminal's colour profile (an SSH session's own when served). The
// widgets from bubbles are made here with the wizard's plain styles.

// plain is a style with nothing set.
func (s Styles) plain() lipgloss.Style { return lipgloss.NewStyle() }

// newInput is a text field drawn with the wizard's plain styles.
func (c *Common) newInput() textinput.Model {
	st := c.Styles
	ti := textinput.New()
	// bubbles' own placeholder colour, so the wizard looks as before.
	state := textinput.StyleState{
		Text:        st.plain(),
		Placeholder: st.plain().Foreground(lipgloss.Color("240")),
		Suggestion:  st.plain().Foreground(lipgloss.Color("240")),
		Prompt:      st.plain(),
	}
	ti.SetStyles(textinput.Styles{Focused: state, Blurred: state,
		Cursor: textinput.CursorStyle{Shape: tea.CursorBlock, Blink: true}})
	return ti
}

// newSpinner is the line spinner.
func (c *Common) newSpinner() spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(c.Styles.plain()))
}

// ProgramOptions are the Bubble Tea options of the local wizard: its
// output, and no colour with NO_COLOR set to any value (no-color.org;
// Bubble Tea alone only honours values that read as true). The frame rate
// is Bubble Tea's default, 60 a second: a key shows within one frame, and
// a frame is only written when the screen changed, so an idle screen
// costs no more bytes than at a lower rate.
//
// With Environ given, the colour profile is the one the environment
// names (TERM, COLORTERM, NO_COLOR, CLICOLOR): known at once. Left to
// itself, Bubble Tea would also read the terminfo entry and, inside tmux,
// run `tmux info` before the first frame (a millisecond, and over ten
// inside tmux); those can only add colours, so Init asks them afterwards
// (detectColors) and the frame is redrawn if they do.
func ProgramOptions(o Options) []tea.ProgramOption {
	var opts []tea.ProgramOption
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	switch {
	case o.Term.NoColor:
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	case o.Environ != nil:
		opts = append(opts, tea.WithColorProfile(colorprofile.Env(o.Environ)))
	}
	return opts
}

// detectColors is the rest of Bubble Tea's own detection (the terminfo
// entry, tmux's answer): a ColorProfileMsg, which the program applies,
// when it finds more colours than the environment named; nil otherwise.
func detectColors(out io.Writer, environ []string) tea.Cmd {
	return func() tea.Msg {
		if p := colorprofile.Detect(out, environ); p > colorprofile.Env(environ) {
			return tea.ColorProfileMsg{Profile: p}
		}
		return nil
	}
}

// inputView draws a text field. The field pads a placeholder by its width
// in columns but counts it in characters, so a placeholder with wide
// characters (Japanese) leaves NUL characters behind: they are dropped,
// which leaves exactly the placeholder's width.
func inputView(ti textinput.Model) string { return strings.ReplaceAll(ti.View(), "\x00", "") }

// WarmWidths fills, once for the process, the table the renderer measures
// characters' widths with: go-runewidth builds it on the first character
// above U+02FF (the frame's rules and box lines are), writing 2 MB, which
// took 8 ms here — inside the first frame's draw. Run it on a goroutine
// of its own as the program starts and the first frame finds it built.
func WarmWidths() { ansi.StringWidthWc("─") }
