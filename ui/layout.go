package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/internal/textwrap"
)

// cellWidth is the one measure of text width in the wizard: lipgloss's
// own (x/ansi, grapheme clusters, East Asian ambiguous-width characters
// one column), so wrapping and padding agree. It reads no process-wide
// setting such as LANG or RUNEWIDTH_EASTASIAN: a program served over SSH
// must not take the server's locale. Terminals that draw ambiguous-width
// characters two columns wide (Term.Wide) get them replaced by one-column
// look-alikes in Term.safe, so this measure holds for them too.
func cellWidth(s string) int { return ansi.StringWidth(s) }

// fitHeight pads or cuts s to exactly h lines.
func fitHeight(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// truncate cuts s to w display columns (East Asian wide characters count
// two), adding an ellipsis.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// wrap breaks s into lines of at most w display columns (textwrap.Wrap:
// at spaces, in Japanese between full-width characters, never inside a
// bracketed device name that fits on a line).
func wrap(s string, w int) string { return textwrap.Wrap(s, w) }

// indentWrap wraps s to w columns with a first-line prefix and a hanging
// indent of the prefix's width for the following lines. s is plain text;
// style, if given, is applied line by line after wrapping, so Japanese
// line-breaking rules see the text itself.
func indentWrap(prefix, s string, w int, style ...lipgloss.Style) string {
	pw := lipgloss.Width(prefix)
	lines := strings.Split(wrap(s, w-pw), "\n")
	pad := strings.Repeat(" ", pw)
	for i := range lines {
		if len(style) > 0 {
			lines[i] = style[0].Render(lines[i])
		}
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

func lipglossWidth(s string) int { return lipgloss.Width(s) }

func lipglossHeight(s string) int { return lipgloss.Height(strings.TrimRight(s, "\n")) }
