package ui

import (
	"strings"

	"mfpmail/ui/qrtext"
)

// qrBlock is a QR code drawn as text, with its size in cells.
type qrBlock struct{ qrtext.Block }

// qrStyle is how this terminal draws QR modules.
func (t Term) qrStyle() qrtext.Style {
	return qrtext.StyleFor(t.ASCII, t.Wide, t.NoColor, t.Dumb)
}

// renderQR draws text as a QR code (see qrtext.Render).
func renderQR(text string, style qrtext.Style) (qrBlock, bool) {
	b, ok := qrtext.Render(text, style)
	return qrBlock{b}, ok
}

// View renders the block; half blocks get a fixed light-on-dark style so
// phones read them the right way round on light terminals too.
func (q qrBlock) View(c *Common) string {
	if q.Raw {
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

// QRText draws text as a QR code for a plain terminal.
func QRText(text string, t Term) (string, bool) { return qrtext.Text(text, t.qrStyle()) }
