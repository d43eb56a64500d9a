// Package textwrap is the one measure and line breaking of text for the
// terminal, shared by the wizard's screens and the command line's output:
// display width is x/ansi's (grapheme clusters, East Asian wide characters
// two columns, ambiguous-width ones one), lines break at spaces and, in
// Japanese, between full-width characters (kinsoku: never before a
// closing mark, never after an opening one, a katakana word whole), a
// bracketed device name such as [SMTP Server] or 【認証コードの入力】 is
// never split when it fits on a line, and a URL is never broken.
package textwrap

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal columns s takes. It reads no
// process-wide setting such as LANG or RUNEWIDTH_EASTASIAN: a program
// served over SSH must not take the server's locale.
func Width(s string) int { return ansi.StringWidth(s) }

func cellWidth(s string) int { return ansi.StringWidth(s) }

// Options are the URL rules of a wrapping.
type Options struct {
	// URLWidth is how many columns a URL on a line of its own may take
	// (wider than the line when a hanging indent is outdented for it):
	// 0 is the line's width, a negative value no limit. A longer URL is
	// shown as far as it goes and ends in "…".
	URLWidth int
	// Link, if set, is applied to each piece of a line that is a URL:
	// url is the whole address, shown the text the line holds (possibly
	// shortened, with the marks around it). The result must take the
	// columns shown takes (a terminal hyperlink does).
	Link func(url, shown string) string
}

// Wrap breaks s into lines of at most w display columns: at spaces, and,
// in Japanese, between any two full-width characters (kinsoku).
// Addresses are not split at their hyphens; a word longer than the line
// is cut. A URL is never broken: one longer than the rest of the line
// goes on its own line, whole; one longer than a whole line is shown as
// far as the line goes and ends in "…".
func Wrap(s string, w int) string { return WrapWith(s, w, Options{}) }

// WrapWhole is Wrap, except that a URL longer than the line is never
// shortened: it stands whole on a line of its own, so that it can be
// copied and opened.
func WrapWhole(s string, w int) string { return WrapWith(s, w, Options{URLWidth: -1}) }

// WrapWith is Wrap with the URL rules o.
func WrapWith(s string, w int, o Options) string {
	if w <= 0 {
		return s
	}
	if strings.Contains(s, "\x1b") {
		return ansi.Wrap(s, w, " ")
	}
	if o.URLWidth >= 0 {
		o.URLWidth = max(w, o.URLWidth)
	}
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		paras[i] = wrapPara(p, w, o)
	}
	return strings.Join(paras, "\n")
}

// Indent wraps s to w columns with a first-line prefix and a hanging
// indent of the prefix's width for the following lines. A URL longer
// than the indented line is outdented: it takes a line of its own from
// the first column, up to w columns. style, if set, is applied to each
// line after wrapping (not to the prefix), so the line-breaking rules see
// the text itself.
func Indent(prefix, s string, w int, o Options, style func(string) string) string {
	pw := Width(prefix)
	o.URLWidth = w
	lines := strings.Split(WrapWith(s, w-pw, o), "\n")
	pad := strings.Repeat(" ", pw)
	for i := range lines {
		outdent := cellWidth(lines[i]) > w-pw // a long URL's own line
		if style != nil {
			lines[i] = style(lines[i])
		}
		switch {
		case outdent && i == 0:
			lines[i] = strings.TrimRight(prefix, " ") + "\n" + lines[i]
		case outdent:
		case i == 0:
			lines[i] = prefix + lines[i]
		default:
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// URLIn is the web address t is (the punctuation after it left out), or
// "" if t does not begin with one.
func URLIn(t string) string {
	if !strings.HasPrefix(t, "https://") && !strings.HasPrefix(t, "http://") {
		return ""
	}
	return strings.TrimRight(t, ".,;:!?)]>」』）。、")
}

// urlToken is the address a wrapping piece holds after the opening marks
// that may stand before it ("(https://…"), or "".
func urlToken(t string) string {
	return URLIn(strings.TrimLeft(t, noLineEnd+asciiNoLineEnd))
}

func wrapPara(p string, w int, o Options) string {
	var out strings.Builder
	lineW := 0
	for _, t := range lineTokens(p, w) {
		if t == " " && lineW == 0 && out.Len() > 0 {
			continue // after a URL's own line
		}
		tw := cellWidth(t)
		if lineW+tw > w && lineW > 0 {
			out.WriteString("\n")
			lineW = 0
			if t == " " {
				continue
			}
		}
		if u := urlToken(t); u != "" {
			if tw > w {
				// A line of its own, which may be wider than w.
				if lineW > 0 {
					out.WriteString("\n")
				}
				if o.URLWidth > 0 && tw > o.URLWidth {
					t = ansi.Truncate(t, o.URLWidth, "…")
				}
				out.WriteString(link(o, u, t) + "\n")
				lineW = 0
				continue
			}
			out.WriteString(link(o, u, t))
			lineW += tw
			continue
		}
		if tw > w { // a word longer than the line: cut it
			t = cutWord(t, w)
			if i := strings.LastIndex(t, "\n"); i >= 0 {
				tw = cellWidth(t[i+1:])
			}
		}
		out.WriteString(t)
		lineW += tw
	}
	// A line never ends in the space it broke at.
	return strings.TrimSuffix(trailingSpaces.ReplaceAllString(out.String(), "\n"), "\n")
}

var trailingSpaces = regexp.MustCompile(` +\n`)

func link(o Options, url, shown string) string {
	if o.Link == nil {
		return shown
	}
	return o.Link(url, shown)
}

// lineTokens are the pieces of p a line of w columns may break between;
// a bracketed name wider than the line breaks like text.
func lineTokens(p string, w int) []string {
	var tokens []string
	for _, t := range wrapTokens(p, true) {
		if cellWidth(t) > w && strings.ContainsAny(t, unitOpen) {
			tokens = append(tokens, wrapTokens(t, false)...)
			continue
		}
		tokens = append(tokens, t)
	}
	return tokens
}

// cutWord cuts a piece wider than the line into lines of at most w
// columns; a cut that would begin a line with a closing mark (ー, 」, ")")
// is made one character earlier.
func cutWord(t string, w int) string {
	var lines []string
	var line []rune
	lineW := 0
	for _, r := range t {
		rw := cellWidth(string(r))
		if lineW+rw > w && len(line) > 0 {
			var carry []rune
			if closes(r, false) && len(line) > 1 {
				line, carry = line[:len(line)-1], line[len(line)-1:]
			}
			lines = append(lines, string(line))
			line, lineW = carry, cellWidth(string(carry))
		}
		line = append(line, r)
		lineW += rw
	}
	return strings.Join(append(lines, string(line)), "\n")
}
