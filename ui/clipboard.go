package ui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Copying goes to the technician's own clipboard with OSC 52, which
// terminals honour across SSH. The sequence goes out through the
// program's own output (tea.SetClipboard), so it reaches the terminal the
// screens are drawn on, also when that is an SSH session, and lands
// between two frames, never inside one. Inside tmux or screen it is
// wrapped to pass through the multiplexer to the terminal (tea.Raw, the
// same output).

// canCopy reports whether copying is offered: the program draws on a
// terminal (Options.Output).
func (c *Common) canCopy() bool { return c.Opts.Output != nil }

// copyCmd puts text on the clipboard and reports with copiedMsg.
func (c *Common) copyCmd(text string) tea.Cmd {
	set := tea.SetClipboard(text)
	if c.Opts.Multiplexer != "" {
		set = tea.Raw(osc52Sequence(text, c.Opts.Multiplexer))
	}
	return tea.Sequence(set, func() tea.Msg { return copiedMsg{} })
}

// osc52Sequence is the OSC 52 sequence that sets the clipboard to text;
// tmux and screen need it wrapped to pass it on to the terminal.
func osc52Sequence(text, mux string) string {
	seq := ansi.SetSystemClipboard(text)
	switch mux {
	case "tmux":
		return ansi.TmuxPassthrough(seq)
	case "screen":
		return ansi.ScreenPassthrough(seq, 76) // screen's limit on one DCS string
	}
	return seq
}

// note is what the screen says after copying: done (the text key of what
// was copied) or that it failed.
func (m copiedMsg) note(c *Common, done string) string {
	if m.err != nil {
		return c.T("ui.signin.copy_failed")
	}
	return c.T(done)
}
