package ui

import (
	"bytes"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// qrBlock is a QR code drawn as text, with its size in cells.
type qrBlock struct {
	Lines []string
	W, H  int
	raw   bool // lines carry their own escapes (block modes)
}

// qrStyle is how modules are drawn.
type qrStyle int

const (
	qrHalf    qrStyle = iota // ▀▄█: two modules per cell vertically
	qrColour                 // two spaces per module, light ones on a white background
	qrReverse                // the same with reverse video (NO_COLOR: no colour, still an attribute)
	qrHash                   // "##" per light module: a dumb terminal, last resort
)

func (t Term) qrStyle() qrStyle {
	switch {
	case t.halfBlocks():
		return qrHalf
	case t.Dumb:
		return qrHash
	case t.NoColor:
		return qrReverse
	}
	return qrColour
}

const qrQuiet = 2 // modules of quiet zone around the code

// renderQR draws text as a QR code. Half blocks (the default) fit two
// modules in one cell. Terminals without UTF-8, or drawing ambiguous-width
// characters double (East Asian setups), get square modules of two spaces
// each, one line per module: taller, but only ASCII and still scannable.
// Drawn into a buffer, never to the terminal: qrterminal's own terminal
// probing would upset Bubble Tea.
func renderQR(text string, style qrStyle) (qrBlock, bool) {
	code, err := qr.Encode(text, qr.L)
	if err != nil {
		return qrBlock{}, false // too long to encode; the link is shown anyway
	}
	if style != qrHalf {
		return blockQR(code, style), true
	}
	var buf bytes.Buffer
	qrterminal.GenerateWithConfig(text, qrterminal.Config{
		Level:          qrterminal.L,
		Writer:         &buf,
		QuietZone:      qrQuiet,
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
	return qrBlock{Lines: lines, W: w, H: len(lines)}, true
}

// blockQR draws one module as two cells, one line per module row. Light
// modules (and the quiet zone) are the "ink": a white background, reverse
// video, or "##"; dark modules are the terminal's own background.
func blockQR(code *qr.Code, style qrStyle) qrBlock {
	n := code.Size + 2*qrQuiet
	light := func(x, y int) bool {
		x, y = x-qrQuiet, y-qrQuiet
		if x < 0 || y < 0 || x >= code.Size || y >= code.Size {
			return true
		}
		return !code.Black(x, y)
	}
	on, off := "", ""
	switch style {
	case qrColour:
		on, off = "\x1b[47m", "\x1b[49m"
	case qrReverse:
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
			case style == qrHash:
				b.WriteString(strings.Repeat("##", run-x))
			default:
				b.WriteString(on + cells + off)
			}
			x = run
		}
		lines[y] = b.String()
	}
	return qrBlock{Lines: lines, W: 2 * n, H: n, raw: true}
}

// View renders the block; half blocks get a fixed light-on-dark style so
// phones read them the right way round on light terminals too.
func (q qrBlock) View(c *Common) string {
	if q.raw {
		return strings.Join(q.Lines, "\n")
	}
	out := make([]string, len(q.Lines))
	for i, l := range q.Lines {
		out[i] = c.Styles.QR.Render(l)
	}
	return strings.Join(out, "\n")
}

// drawQR draws text as a QR code for this terminal, remembering the last
// few codes so that a screen built again does not encode them again.
// Screens call it from Update and keep the block for View.
func (c *Common) drawQR(text string) (qrBlock, bool) {
	if c.qrMemo == nil {
		c.qrMemo = map[string]qrBlock{}
	}
	if q, ok := c.qrMemo[text]; ok {
		return q, q.H > 0
	}
	q, ok := renderQR(text, c.Opts.Term.qrStyle())
	if len(c.qrMemo) > 8 {
		clear(c.qrMemo)
	}
	c.qrMemo[text] = q
	return q, ok
}

// QRText draws text as a QR code for a plain terminal (mfpmail check
// prints it to stderr).
func QRText(text string, t Term) (string, bool) {
	q, ok := renderQR(text, t.qrStyle())
	if !ok {
		return "", false
	}
	if q.raw {
		return strings.Join(q.Lines, "\n"), true
	}
	st := lipgloss.NewStyle()
	out := make([]string, len(q.Lines))
	for i, l := range q.Lines {
		out[i] = st.Render(l)
	}
	return strings.Join(out, "\n"), true
}
