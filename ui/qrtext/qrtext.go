// Package qrtext draws QR codes as terminal text: compact half blocks
// where the terminal shows them, square blocks of two cells per module
// elsewhere. It has no Bubble Tea in it, so both the wizard and the
// plain `mfpmail check` output can use it.
package qrtext

import (
	"bytes"
	"strings"

	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// Block is a QR code drawn as text, with its size in cells.
type Block struct {
	Lines []string
	W, H  int
	// Raw: the lines carry their own escapes (the block styles); half
	// blocks carry none and take the caller's light-on-dark style.
	Raw bool
}

// Style is how modules are drawn.
type Style int

const (
	Half    Style = iota // ▀▄█: two modules per cell vertically
	Colour               // two spaces per module, light ones on a white background
	Reverse              // the same with reverse video (NO_COLOR: no colour, still an attribute)
	Hash                 // "##" per light module: a dumb terminal, last resort
)

// StyleFor picks the drawing for a terminal: half blocks need UTF-8 and
// narrow ambiguous-width characters; a dumb terminal gets "##", one
// without colour reverse video, the others a white background.
func StyleFor(ascii, wide, noColor, dumb bool) Style {
	switch {
	case !ascii && !wide:
		return Half
	case dumb:
		return Hash
	case noColor:
		return Reverse
	}
	return Colour
}

// Quiet is the quiet zone around the code, in modules.
const Quiet = 2

// Render draws text as a QR code in the given style. Half blocks fit two
// modules in one cell; the block styles draw each module as two cells,
// one line per module row: taller, but only ASCII and still scannable.
// Drawn into a buffer, never to the terminal: qrterminal's own terminal
// probing would upset a full-screen program.
func Render(text string, style Style) (Block, bool) {
	code, err := qr.Encode(text, qr.L)
	if err != nil {
		return Block{}, false // too long to encode; the link is shown anyway
	}
	if style != Half {
		return blocks(code, style), true
	}
	var buf bytes.Buffer
	qrterminal.GenerateWithConfig(text, qrterminal.Config{
		Level:          qrterminal.L,
		Writer:         &buf,
		QuietZone:      Quiet,
		HalfBlocks:     true,
		BlackChar:      qrterminal.BLACK_BLACK,
		WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar:      qrterminal.WHITE_WHITE,
		BlackWhiteChar: qrterminal.BLACK_WHITE,
	})
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	w := 0
	for _, l := range lines {
		w = max(w, len([]rune(l)))
	}
	return Block{Lines: lines, W: w, H: len(lines)}, true
}

// blocks draws one module as two cells, one line per module row. Light
// modules (and the quiet zone) are the "ink": a white background, reverse
// video, or "##"; dark modules are the terminal's own background.
func blocks(code *qr.Code, style Style) Block {
	n := code.Size + 2*Quiet
	light := func(x, y int) bool {
		x, y = x-Quiet, y-Quiet
		if x < 0 || y < 0 || x >= code.Size || y >= code.Size {
			return true
		}
		return !code.Black(x, y)
	}
	on, off := "", ""
	switch style {
	case Colour:
		on, off = "\x1b[47m", "\x1b[49m"
	case Reverse:
		on, off = "\x1b[7m", "\x1b[27m"
	}
	lines := make([]string, n)
	for y := range n {
		var b strings.Builder
		for x := 0; x < n; {
			run := x
			for run < n && light(run, y) == light(x, y) {
				run++
			}
			cells := strings.Repeat("  ", run-x)
			switch {
			case !light(x, y):
				b.WriteString(cells)
			case style == Hash:
				b.WriteString(strings.Repeat("##", run-x))
			default:
				b.WriteString(on + cells + off)
			}
			x = run
		}
		lines[y] = b.String()
	}
	return Block{Lines: lines, W: 2 * n, H: n, Raw: true}
}

// Text draws text as a QR code for a plain terminal (mfpmail check prints
// it to stderr): the lines joined, with no styling added.
func Text(text string, style Style) (string, bool) {
	q, ok := Render(text, style)
	if !ok {
		return "", false
	}
	return strings.Join(q.Lines, "\n"), true
}
