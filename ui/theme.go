package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Palette holds the semantic colours for a light or a dark terminal.
// Without colour (NO_COLOR, a dumb terminal) the program drops every
// colour, so no screen may rely on colour or bold alone: each state also
// has a symbol or a word.
type Palette struct {
	Accent, Text, Muted, OK, Warn, Fail, Border color.Color
}

// DefaultPalette is the wizard's palette for a dark (isDark) or a light
// background. The background is asked of the terminal, never awaited: the
// first frame is drawn for a dark one and redrawn when the answer comes.
func DefaultPalette(isDark bool) Palette {
	ld := lipgloss.LightDark(isDark)
	hex := lipgloss.Color
	return Palette{
		Accent: ld(hex("#005FAF"), hex("#5FAFFF")),
		Text:   ld(hex("#1C1C1C"), hex("#E4E4E4")),
		Muted:  ld(hex("#6C6C6C"), hex("#9E9E9E")),
		OK:     ld(hex("#007F00"), hex("#5FD75F")),
		Warn:   ld(hex("#AF5F00"), hex("#FFAF00")),
		Fail:   ld(hex("#AF0000"), hex("#FF5F5F")),
		Border: ld(hex("#A8A8A8"), hex("#585858")),
	}
}

// Symbols are the few glyphs the screens use. The ASCII set is for
// terminals without UTF-8 and for East Asian ambiguous-width setups.
type Symbols struct {
	OK, Warn, Fail, Skip, Bullet, Arrow, Done, Todo, Here, Rule string
}

// UnicodeSymbols avoids East Asian ambiguous-width characters, so they
// take one column in every terminal.
var UnicodeSymbols = Symbols{OK: "✓", Warn: "!", Fail: "✗", Skip: "-", Bullet: "•", Arrow: "›", Done: "━", Todo: "─", Here: "╸", Rule: "─"}

// ASCIISymbols are plain 7-bit.
var ASCIISymbols = Symbols{OK: "OK", Warn: "!!", Fail: "XX", Skip: "--", Bullet: "*", Arrow: ">", Done: "=", Todo: "-", Here: ">", Rule: "-"}

// Styles are every style the screens use, built from a palette. The
// program downsamples their colours to its terminal's profile (an SSH
// session's own when served).
type Styles struct {
	Sym Symbols

	App, Brand, StepNo, Title, Demo       lipgloss.Style
	Lead, Text, Muted, Label, Value, Path lipgloss.Style
	Important, Tip, NoteText              lipgloss.Style
	OK, Warn, Fail                        lipgloss.Style
	Code, CodeBox, URL, QR                lipgloss.Style
	Rule, Error, Key                      lipgloss.Style
}

// NewStyles builds the styles from a palette.
func NewStyles(p Palette, sym Symbols) Styles {
	s := Styles{Sym: sym}
	s.App = s.plain().Padding(0, 1)
	s.Brand = s.plain().Bold(true).Foreground(p.Accent)
	s.StepNo = s.plain().Foreground(p.Muted)
	s.Title = s.plain().Bold(true).Foreground(p.Text)
	s.Demo = s.plain().Bold(true).Foreground(p.Warn)
	s.Lead = s.plain().Foreground(p.Text)
	s.Text = s.plain().Foreground(p.Text)
	s.Muted = s.plain().Foreground(p.Muted)
	s.Label = s.plain().Foreground(p.Muted)
	s.Value = s.plain().Bold(true).Foreground(p.Text)
	s.Path = s.plain().Foreground(p.Accent)
	s.Important = s.plain().Bold(true).Foreground(p.Warn)
	s.Tip = s.plain().Bold(true).Foreground(p.Accent)
	s.NoteText = s.plain().Foreground(p.Text)
	s.OK = s.plain().Bold(true).Foreground(p.OK)
	s.Warn = s.plain().Bold(true).Foreground(p.Warn)
	s.Fail = s.plain().Bold(true).Foreground(p.Fail)
	s.Code = s.plain().Bold(true).Foreground(p.Accent)
	s.CodeBox = s.plain().Border(lipgloss.NormalBorder()).BorderForeground(p.Border).Padding(0, 2)
	if sym != UnicodeSymbols {
		// Box drawing is ambiguous-width in East Asian terminals.
		s.CodeBox = s.CodeBox.Border(asciiBorder)
	}
	s.URL = s.plain().Underline(true).Foreground(p.Accent)
	// The QR code is drawn light-on-dark whatever the terminal's theme, so
	// phones read it the right way round.
	s.QR = s.plain().Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#000000"))
	s.Rule = s.plain().Foreground(p.Border)
	s.Error = s.plain().Foreground(p.Fail)
	s.Key = s.plain().Bold(true).Foreground(p.Text)
	return s
}

var asciiBorder = lipgloss.Border{
	Top: "-", Bottom: "-", Left: "|", Right: "|",
	TopLeft: "+", TopRight: "+", BottomLeft: "+", BottomRight: "+",
}

// linkStyle is the URL style, a hyperlink (OSC 8) to url when url is a
// web address: a server's text never becomes a link to anything else.
func (s Styles) linkStyle(url string) lipgloss.Style {
	if urlIn(url) == "" {
		return s.URL
	}
	return s.URL.Hyperlink(url)
}
