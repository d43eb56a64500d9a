package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
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
func cellWidth(s string) int { return textwrap.Width(s) }

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

// wrap breaks s into lines of at most w display columns by the one
// wrapping engine (textwrap.Wrap: kinsoku, device names whole, a URL never
// broken); each URL on a line is a hyperlink (OSC 8) to the whole address,
// even when the line shows only part of it.
func wrap(s string, w int) string { return textwrap.WrapWith(s, w, linked) }

// linked are the wizard's URL rules: a URL is a hyperlink.
var linked = textwrap.Options{Link: hyperlink}

// urlIn is the URL a wrapping token is (punctuation after it left out),
// or "" if it is none.
func urlIn(t string) string { return textwrap.URLIn(t) }

// hyperlink makes text a link to url (OSC 8): terminals that know links
// open url on a click, whatever part of it text shows; others show text.
func hyperlink(url, text string) string {
	return ansi.SetHyperlink(url) + text + ansi.ResetHyperlink()
}

// indentWrap wraps s to w columns with a first-line prefix and a hanging
// indent of the prefix's width for the following lines (a long URL's own
// line outdented). s is plain text; style, if given, is applied line by
// line after wrapping, so Japanese line-breaking rules see the text itself.
func indentWrap(prefix, s string, w int, style ...lipgloss.Style) string {
	var render func(string) string
	if len(style) > 0 {
		render = func(l string) string { return style[0].Render(l) }
	}
	return textwrap.Indent(prefix, s, w, linked, render)
}

func lipglossWidth(s string) int { return lipgloss.Width(s) }

func lipglossHeight(s string) int { return lipgloss.Height(strings.TrimRight(s, "\n")) }
