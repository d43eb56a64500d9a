package ui

import (
	"regexp"
	"strings"
	"unicode/utf8"

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
// hyphens; a word longer than the line is cut. A URL is never broken: one
// longer than the rest of the line goes on its own line, whole, as a
// hyperlink (OSC 8); one longer than a whole line is shown as far as the
// line goes and ends in "…", and its link still holds all of it.
func wrap(s string, w int) string { return wrapURLs(s, w, w) }

// wrapURLs is wrap where a URL on its own line may take urlW columns (the
// width without a hanging indent: indentWrap outdents such a line).
func wrapURLs(s string, w, urlW int) string {
	if w <= 0 {
		return s
	}
	if strings.Contains(s, "\x1b") {
		return ansi.Wrap(s, w, " ")
	}
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		paras[i] = wrapCJK(p, w, max(w, urlW))
	}
	return strings.Join(paras, "\n")
}

// Japanese line breaking (kinsoku): noLineStart are marks that must not
// begin a line, noLineEnd those that must not end one. A katakana word
// (アドレス, メールボックス) is not broken inside unless it is wider than the
// line on its own.
const (
	noLineStart = "、。，．・：；？！）」』】〕〉》〙〗’”ー…‥々ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
	noLineEnd   = "（「『【〔〈《〘〖‘“"
	// After Japanese text, ASCII marks follow the same rules.
	asciiNoLineStart = ")],.:;!?"
	asciiNoLineEnd   = "(["
)

// katakana reports whether r belongs in a katakana word.
func katakana(r rune) bool { return r >= 'ァ' && r <= 'ヺ' || r == 'ー' || r == 'ヽ' || r == 'ヾ' }

// Brackets that enclose a device name ("[Not Selected]", "【認証コードの入力】").
// A bracketed name is one unit of wrapping: it moves to the next line as a
// whole rather than being split inside, unless it is wider than the line
// on its own.
const (
	unitOpen  = "[【"
	unitClose = "]】"
)

// closes reports whether r must not begin a line; inside a katakana word
// (kana) its long-vowel and small letters are part of the word.
func closes(r rune, kana bool) bool {
	return strings.ContainsRune(noLineStart, r) && !(kana && katakana(r)) || strings.ContainsRune(asciiNoLineStart, r)
}

// opens reports whether r must not end a line: a full-width opening mark,
// or an ASCII one where a new piece starts (fresh).
func opens(r rune, fresh bool) bool {
	return strings.ContainsRune(noLineEnd, r) || fresh && strings.ContainsRune(asciiNoLineEnd, r)
}

// wrapTokens splits a paragraph into the pieces a line may break between
// (textTokens), and, when units is set, keeps each bracketed name whole,
// joined to the marks that may not be parted from it.
func wrapTokens(p string, units bool) []string {
	if !units {
		return textTokens(p)
	}
	var tokens []string
	for _, part := range splitUnits(p) {
		more := []string{part}
		if r, _ := utf8.DecodeRuneInString(part); !strings.ContainsRune(unitOpen, r) {
			more = textTokens(part)
		}
		if n := len(tokens); n > 0 && len(more) > 0 && joins(tokens[n-1], more[0]) {
			tokens[n-1] += more[0]
			more = more[1:]
		}
		tokens = append(tokens, more...)
	}
	return tokens
}

// splitUnits cuts p into bracketed names ("[Not Selected]", "[Edit [From:]
// Field]", "【認証コードの入力】") and the text between them.
func splitUnits(p string) []string {
	var parts []string
	start, depth := 0, 0
	for i, r := range p {
		switch {
		case strings.ContainsRune(unitOpen, r):
			if depth == 0 && i > start {
				parts = append(parts, p[start:i])
				start = i
			}
			depth++
		case strings.ContainsRune(unitClose, r) && depth > 0:
			depth--
			if depth == 0 {
				parts = append(parts, p[start:i+utf8.RuneLen(r)])
				start = i + utf8.RuneLen(r)
			}
		}
	}
	if start < len(p) {
		parts = append(parts, p[start:])
	}
	return parts
}

// joins reports whether a line may not break between two pieces: before
// a closing mark, after an opening one, or between two one-column
// characters written together (x[No]).
func joins(a, b string) bool {
	if a == " " || b == " " {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	return closes(first, false) || opens(last, true) || cellWidth(string(last)) == 1 && cellWidth(string(first)) == 1
}

// textTokens splits text into the pieces a line may break between: words,
// single spaces, single full-width characters (a katakana word whole),
// with the marks that may not begin a line stuck to what comes before
// them and those that may not end one to what follows.
func textTokens(p string) []string {
	var tokens []string
	var cur strings.Builder
	kana, open := false, false // cur is a katakana word; cur holds opening marks only
	flush := func() {
		if cur.Len() > 0 {
			tokens = append(tokens, cur.String())
			cur.Reset()
		}
		kana, open = false, false
	}
	// stick adds a closing mark to what it closes: the piece being built,
	// else the last one (not a space); false when there is none.
	stick := func(r rune) bool {
		switch {
		case cur.Len() > 0:
			cur.WriteRune(r)
		case len(tokens) > 0 && tokens[len(tokens)-1] != " ":
			tokens[len(tokens)-1] += string(r)
		default:
			return false
		}
		return true
	}
	for _, r := range p {
		wide := cellWidth(string(r)) == 2
		switch {
		case r == ' ':
			flush()
			tokens = append(tokens, " ")
		case closes(r, kana) && stick(r):
			if wide {
				flush()
			}
		case opens(r, cur.Len() == 0 || kana):
			if !open {
				flush()
			}
			cur.WriteRune(r)
			open = true
		case wide:
			if !open && !(kana && katakana(r)) {
				flush()
			}
			cur.WriteRune(r)
			open, kana = false, katakana(r)
			if !kana {
				flush()
			}
		default:
			if kana {
				flush()
			}
			cur.WriteRune(r)
			open = false
		}
	}
	flush()
	return tokens
}

func wrapCJK(p string, w, urlW int) string {
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
		if u := urlIn(t); u != "" {
			if tw > w {
				// A line of its own, which may be wider than w.
				if lineW > 0 {
					out.WriteString("\n")
				}
				if tw > urlW {
					t = ansi.Truncate(t, urlW, "…")
				}
				out.WriteString(hyperlink(u, t) + "\n")
				lineW = 0
				continue
			}
			out.WriteString(hyperlink(u, t))
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

// urlIn is the URL a wrapping token is (punctuation after it left out),
// or "" if it is none.
func urlIn(t string) string {
	if !strings.HasPrefix(t, "https://") && !strings.HasPrefix(t, "http://") {
		return ""
	}
	return strings.TrimRight(t, ".,;:!?)]」』）。、")
}

// hyperlink makes text a link to url (OSC 8): terminals that know links
// open url on a click, whatever part of it text shows; others show text.
func hyperlink(url, text string) string {
	return ansi.SetHyperlink(url) + text + ansi.ResetHyperlink()
}

// indentWrap wraps s to w columns with a first-line prefix and a hanging
// indent of the prefix's width for the following lines. s is plain text;
// style, if given, is applied line by line after wrapping, so Japanese
// line-breaking rules see the text itself.
func indentWrap(prefix, s string, w int, style ...lipgloss.Style) string {
	pw := lipgloss.Width(prefix)
	lines := strings.Split(wrapURLs(s, w-pw, w), "\n")
	pad := strings.Repeat(" ", pw)
	for i := range lines {
		outdent := cellWidth(lines[i]) > w-pw // a long URL's own line
		if len(style) > 0 {
			lines[i] = style[0].Render(lines[i])
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

func lipglossWidth(s string) int { return lipgloss.Width(s) }

func lipglossHeight(s string) int { return lipgloss.Height(strings.TrimRight(s, "\n")) }
