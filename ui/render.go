package ui

import (
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
)

// Every style a screen draws with comes from the program's renderer, never
// from lipgloss's default one: a session served over SSH has its own colour
// profile and background, and must not take the server's. The widgets from
// bubbles build their default styles on the default renderer, so they are
// made here with styles from the program's renderer instead.

// renderer is the program's renderer; nil in the options means lipgloss's
// default renderer (the local terminal).
func renderer(r *lipgloss.Renderer) *lipgloss.Renderer {
	if r == nil {
		return lipgloss.DefaultRenderer()
	}
	return r
}

// plain is a style with nothing set, on the program's renderer.
func (s Styles) plain() lipgloss.Style { return renderer(s.r).NewStyle() }

// newInput is a text field whose styles use the program's renderer.
func (c *Common) newInput() textinput.Model {
	st := c.Styles
	ti := textinput.New()
	ti.PromptStyle = st.plain()
	ti.TextStyle = st.plain()
	// bubbles' own placeholder colour, so the local wizard looks as before.
	ti.PlaceholderStyle = st.plain().Foreground(lipgloss.Color("240"))
	ti.CompletionStyle = st.plain().Foreground(lipgloss.Color("240"))
	ti.Cursor.Style = st.plain()
	ti.Cursor.TextStyle = st.plain()
	return ti
}

// newSpinner is the line spinner on the program's renderer.
func (c *Common) newSpinner() spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(c.Styles.plain()))
}
