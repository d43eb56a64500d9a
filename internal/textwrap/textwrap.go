// Package textwrap is the one measure and line breaking of text for the
// terminal, shared by the wizard's screens and the command line's output:
// display width is x/ansi's (grapheme clusters, East Asian wide characters
// two columns, ambiguous-width ones one), lines break at spaces and, in
// Japanese, between full-width characters (kinsoku: never before a
// closing mark), and a bracketed device name such as [SMTP Server] or
// 【認証コードの入力】 is never split when it fits on a line.
package textwrap

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal columns s takes.
func Width(s string) int { return ansi.StringWidth(s) }

func cellWidth(s string) int { return ansi.StringWidth(s) }

// isURL reports whether a wrapping token holds a web address (possibly
// with the marks around it, as in "(https://…)").
func isURL(t string) bool { return strings.Contains(t, "://") }

// Wrap breaks s into lines of at most w display columns: at spaces, and,
// in Japanese, between any two full-width characters (never before a
// closing mark such as 、。」). Addresses and URLs are not split at their
// hyphens; a word longer than the line is cut.
func Wrap(s string, w int) string {
	return wrapWith(s, w, false)
}

// WrapWhole is Wrap, except that a URL is never cut: one longer than the
// line stands on a line of its own, whole, so that it can be copied and
// opened (the terminal may fold it for display, but the text holds it in
// one piece).
func WrapWhole(s string, w int) string {
	return wrapWith(s, w, true)
}

func wrapWith(s string, w int, wholeURLs bool) string {
	if w <= 0 {
		return s
	}
	if strings.Contains(s, "\x1b") {
		return ansi.Wrap(s, w, " ")
	}
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		paras[i] = wrapCJK(p, w, wholeURLs)
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

func wrapCJK(p string, w int, wholeURLs bool) string {
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
		if tw > w && wholeURLs && isURL(t) {
			// A URL longer than the line: alone on its line, whole.
			out.WriteString(t)
			lineW += tw
			continue
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
