package ui

import (
	"io"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// Copying goes to the technician's own clipboard with OSC 52, which
// terminals honour across SSH. Bubble Tea v1 has no command that writes
// a raw sequence (tea.Printf prints nothing in the alternate screen, and
// tea.Exec leaves the alternate screen and comes back, which flashes),
// so the sequence is written to the program's own output, the writer
// given to tea.WithOutput and to Options.Output: to the terminal the
// screens are drawn on, also when that is an SSH session rather than
// os.Stdout. The renderer writes each frame with one Write, and the
// sequence goes out in one Write to the same writer (an *os.File or an
// SSH channel, both of which let one Write finish before the next), so
// it lands between two frames, never inside one.

// canCopy reports whether copying is offered.
func (c *Common) canCopy() bool { return c.Opts.Output != nil }

// copyCmd puts text on the clipboard and reports with copiedMsg.
func (c *Common) copyCmd(text string) tea.Cmd {
	out, mux := c.Opts.Output, c.Opts.Multiplexer
	return func() tea.Msg {
		_, err := io.WriteString(out, osc52Sequence(text, mux))
		return copiedMsg{err}
	}
}

// osc52Sequence is the OSC 52 sequence that sets the clipboard to text;
// tmux and screen need it wrapped to pass it on to the terminal.
func osc52Sequence(text, mux string) string {
	seq := osc52.New(text)
	switch mux {
	case "tmux":
		seq = seq.Tmux()
	case "screen":
		seq = seq.Screen()
	}
	return seq.String()
}

// note is what the screen says after copying: done (the text key of what
// was copied) or that it failed.
func (m copiedMsg) note(c *Common, done string) string {
	if m.err != nil {
		return c.T("ui.signin.copy_failed")
	}
	return c.T(done)
}
