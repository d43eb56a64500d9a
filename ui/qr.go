package ui

import (
	"bytes"
	"strings"

	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// qrBlock is a QR code drawn as text, with its size in cells.
type qrBlock struct {
	Lines []string
	W, H  int
}

// renderQR draws text as a QR code. Unicode: half blocks, two modules per
// cell vertically. ASCII: two characters per module, one line per module
// (twice as tall, but any terminal shows it). Drawn into a buffer, never to
// the terminal: qrterminal's own terminal probing would upset Bubble Tea.
func renderQR(text string, ascii bool) (qrBlock, bool) {
	if _, err := qr.Encode(text, qr.L); err != nil {
		return qrBlock{}, false // too long to encode; the link is shown anyway
	}
	var buf bytes.Buffer
	cfg := qrterminal.Config{
		Level:     qrterminal.L,
		Writer:    &buf,
		QuietZone: 2,
	}
	if ascii {
		cfg.WhiteChar = "##"
		cfg.BlackChar = "  "
	} else {
		cfg.HalfBlocks = true
		cfg.BlackChar = qrterminal.BLACK_BLACK
		cfg.WhiteBlackChar = qrterminal.WHITE_BLACK
		cfg.WhiteChar = qrterminal.WHITE_WHITE
		cfg.BlackWhiteChar = qrterminal.BLACK_WHITE
	}
	qrterminal.GenerateWithConfig(text, cfg)
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	w := 0
	for _, l := range lines {
		w = max(w, len([]rune(l)))
	}
	return qrBlock{Lines: lines, W: w, H: len(lines)}, true
}

// View renders the block with the fixed light-on-dark style.
func (q qrBlock) View(c *Common) string {
	out := make([]string, len(q.Lines))
	for i, l := range q.Lines {
		out[i] = c.Styles.QR.Render(l)
	}
	return strings.Join(out, "\n")
}

// QRText draws text as a QR code for a plain terminal (mfpmail check
// prints it to stderr).
func QRText(text string, ascii bool) (string, bool) {
	q, ok := renderQR(text, ascii)
	return strings.Join(q.Lines, "\n"), ok
}
