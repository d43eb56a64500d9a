package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"mfpmail/ui/termfacts"
)

// Term is what the technician's terminal can show. main fills it in from
// the environment and the flags; the screens adapt to it.
type Term struct {
	// ASCII: no UTF-8 (LANG=C, POSIX, --ascii). Borders, symbols and QR
	// codes are drawn with 7-bit characters only.
	ASCII bool
	// Wide: East Asian ambiguous-width characters take two columns (Tera
	// Term or PuTTY set so, usual with --lang ja). Box drawing, arrows,
	// bullets and the QR half blocks are avoided.
	Wide bool
	// NoColor: NO_COLOR is set; QR codes use reverse video instead of
	// colours. Dumb: the terminal knows no escape sequences at all.
	NoColor, Dumb bool
}

// halfBlocks reports whether QR codes may use the compact ▀▄█ cells.
func (t Term) halfBlocks() bool { return !t.ASCII && !t.Wide }

// symbols is the glyph set for this terminal.
func (t Term) symbols() Symbols {
	switch {
	case t.ASCII:
		return ASCIISymbols
	case t.Wide:
		return WideSymbols
	}
	return UnicodeSymbols
}

// safe maps characters the terminal cannot show (ASCII) or would draw
// twice as wide (Wide) to one-column ASCII look-alikes, so the layout,
// measured in columns before this pass, stays intact. Escape sequences are
// plain ASCII and pass through untouched.
func (t Term) safe(s string) string {
	if !t.ASCII && !t.Wide {
		return s
	}
	if !t.needsPass(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case t.ASCII || ambiguous(r):
			if a, ok := lookAlike[r]; ok {
				b.WriteString(a)
			} else if cellWidth(string(r)) == 2 {
				b.WriteString("??")
			} else {
				b.WriteByte('?')
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ambiguous reports whether r is East Asian ambiguous width (Unicode
// EastAsianWidth=A): drawn one or two columns wide depending on the
// terminal. The table is Unicode's; no setting of the process is read.
func ambiguous(r rune) bool { return runewidth.IsAmbiguousWidth(r) }

func (t Term) needsPass(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// lookAlike are one-column ASCII stand-ins for the non-ASCII characters
// the texts and widgets use.
var lookAlike = map[rune]string{
	'…': "~", '·': "-", '—': "-", '–': "-", '×': "x", '→': ">", '←': "<", '↑': "^", '↓': "v",
	'‘': "'", '’': "'", '“': "\"", '”': "\"", '•': "*", '━': "=", '─': "-", '│': "|", '┌': "+",
	'┐': "+", '└': "+", '┘': "+", '╸': ">", '✔': "v", '✘': "x", '✓': "v", '✗': "x", '›': ">", '°': "o", '≥': ">", '≤': "<",
	'é': "e", 'è': "e", 'ü': "u", 'ö': "o", 'ä': "a", '\u00a0': " ",
}

// WideSymbols avoid East Asian ambiguous-width characters (✓ ✗ › are
// neutral, so they stay).
var WideSymbols = Symbols{OK: "✓", Warn: "!", Fail: "✗", Skip: "-", Bullet: "*", Arrow: "›", Done: "=", Todo: "-", Here: ">", Rule: "-"}

// TermOf is the Term for a terminal decision (termfacts.Decide).
func TermOf(d termfacts.Decision) Term {
	return Term{ASCII: d.ASCII, Wide: d.Wide, NoColor: d.NoColor, Dumb: d.Dumb}
}
