package ui

import (
	"regexp"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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

// wrap breaks s into lines of at most w display columns: at spaces, and,
// in Japanese, between any two full-width characters (never before a
// closing mark such as 、。」). Addresses and URLs are not split at their
// hyphens; a word longer than the line is cut.
func wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	if strings.Contains(s, "\x1b") {
		return ansi.Wrap(s, w, " ")
	}
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		paras[i] = wrapCJK(p, w)
	}
	return strings.Join(paras, "\n")
}

// noLineStart are marks that must not begin a line (kinsoku).
const noLineStart = "、。，．・：；？！）」』】〕ー…"

// Brackets that enclose a device name ("[Not Selected]", "【認証コードの入力】").
// A bracketed name is one unit of wrapping: it moves to the next line as a
// whole rather than being split inside, unless it is wider than the line
// on its own.
const (
	unitOpen  = "[【"
	unitClose = "]】"
)

// wrapTokens splits a paragraph into the pieces a line may break between:
// words, single spaces, single full-width characters, and (when units is
// set) whole bracketed names with the marks that follow them.
func wrapTokens(p string, units bool) []string {
	var tokens []string
	var cur strings.Builder
	depth := 0
	flush := func() {
		if cur.Len() > 0 {
			tokens = append(tokens, cur.String())
			cur.Reset()
		}
	}
	for _, r := range p {
		switch {
		case units && strings.ContainsRune(unitOpen, r):
			depth++
			cur.WriteRune(r)
		case units && depth > 0:
			if strings.ContainsRune(unitClose, r) {
				depth--
			}
			cur.WriteRune(r)
		case r == ' ':
			flush()
			tokens = append(tokens, " ")
		case strings.ContainsRune(noLineStart, r) && cur.Len() > 0:
			cur.WriteRune(r) // stays with what it closes
			flush()
		case strings.ContainsRune(noLineStart, r) && len(tokens) > 0 && tokens[len(tokens)-1] != " ":
			tokens[len(tokens)-1] += string(r)
		case cellWidth(string(r)) == 2:
			flush()
			cur.WriteRune(r)
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return tokens
}

func wrapCJK(p string, w int) string {
	var tokens []string
	for _, t := range wrapTokens(p, true) {
		if cellWidth(t) > w && strings.ContainsAny(t, unitOpen) {
			// A bracketed name wider than the line breaks like text.
			tokens = append(tokens, wrapTokens(t, false)...)
			continue
		}
		tokens = append(tokens, t)
	}
	var out strings.Builder
	lineW := 0
	for _, t := range tokens {
		tw := cellWidth(t)
		if lineW+tw > w && lineW > 0 {
			out.WriteString("\n")
			lineW = 0
			if t == " " {
				continue
			}
		}
		if tw > w { // a word longer than the line: cut it
			t = ansi.Hardwrap(t, w, false)
			if i := strings.LastIndex(t, "\n"); i >= 0 {
				tw = cellWidth(t[i+1:])
			}
		}
		out.WriteString(t)
		lineW += tw
	}
	// A line never ends in the space it broke at.
	return trailingSpaces.ReplaceAllString(out.String(), "\n")
}

var trailingSpaces = regexp.MustCompile(` +\n`)

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
