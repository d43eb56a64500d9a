// Package screen is a small terminal screen for the measuring tools: it
// applies what a program writes (text, cursor moves, erases, scrolling)
// to a grid of cells, so a tool can ask what the screen shows. Bubble Tea
// v2 writes only the cells that changed, so a text on screen need not
// appear whole in the byte stream; the grid holds it whole.
package screen

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Screen is a w×h grid and a cursor.
type Screen struct {
	w, h          int
	cells         [][]string
	x, y          int
	top, bottom   int // scrolling region, rows top..bottom
	savedX, saved int
	last          string // the last grapheme drawn (for REP)
	pending       []byte
	state         byte
	p             *ansi.Parser
}

// New is a blank screen of w columns and h rows.
func New(w, h int) *Screen {
	s := &Screen{w: w, h: h, bottom: h - 1, p: ansi.NewParser()}
	s.cells = make([][]string, h)
	for i := range s.cells {
		s.cells[i] = blank(w)
	}
	return s
}

func blank(w int) []string {
	r := make([]string, w)
	for i := range r {
		r[i] = " "
	}
	return r
}

// Write applies output; a sequence cut at the end waits for the rest.
func (s *Screen) Write(b []byte) (int, error) {
	s.pending = append(s.pending, b...)
	n := complete(s.pending)
	data := s.pending[:n]
	for len(data) > 0 {
		seq, width, k, st := ansi.DecodeSequence(data, s.state, s.p)
		s.state = st
		s.apply(seq, width)
		data = data[k:]
	}
	s.pending = append([]byte(nil), s.pending[n:]...)
	return len(b), nil
}

// complete is how much of b can be decoded now: up to an escape sequence
// or a character not all here yet.
func complete(b []byte) int {
	n := len(b)
	if i := strings.LastIndexByte(string(b), 0x1b); i >= 0 && !seqDone(b[i:]) {
		n = i
	}
	for k := 1; k <= 3 && k <= n; k++ {
		if c := b[n-k]; c >= 0xc0 { // the start of the last character
			if !utf8.FullRune(b[n-k : n]) {
				n -= k
			}
			break
		}
	}
	return n
}

func seqDone(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	switch b[1] {
	case '[':
		for _, c := range b[2:] {
			if c >= 0x40 && c <= 0x7e {
				return true
			}
		}
		return false
	case ']', 'P', '_', '^', 'X':
		return strings.ContainsAny(string(b[2:]), "\a") || strings.Contains(string(b[2:]), "\x1b\\")
	}
	return true
}

func (s *Screen) apply(seq []byte, width int) {
	if len(seq) == 0 {
		return
	}
	switch c := seq[0]; {
	case width > 0:
		s.put(string(seq), width)
	case c == '\r':
		s.x = 0
	case c == '\n':
		s.lineFeed()
	case c == '\b':
		s.x = max(0, s.x-1)
	case c == '\t':
		s.x = min(s.w-1, (s.x/8+1)*8)
	case c == 0x1b && len(seq) > 1 && seq[1] == '[':
		s.csi(ansi.Cmd(s.p.Command()))
	case c == 0x1b && len(seq) == 2:
		s.esc(seq[1])
	}
}

func (s *Screen) put(g string, width int) {
	if s.x+width > s.w {
		s.x = 0
		s.lineFeed()
	}
	s.cells[s.y][s.x] = g
	for i := 1; i < width && s.x+i < s.w; i++ {
		s.cells[s.y][s.x+i] = ""
	}
	s.x += width
	if s.x >= s.w {
		s.x = s.w - 1 // the next character wraps (approximately)
	}
	s.last = g
}

func (s *Screen) lineFeed() {
	if s.y == s.bottom {
		s.scrollUp(1)
		return
	}
	s.y = min(s.h-1, s.y+1)
}

func (s *Screen) scrollUp(n int) {
	for range n {
		copy(s.cells[s.top:s.bottom], s.cells[s.top+1:s.bottom+1])
		s.cells[s.bottom] = blank(s.w)
	}
}

func (s *Screen) scrollDown(n int) {
	for range n {
		copy(s.cells[s.top+1:s.bottom+1], s.cells[s.top:s.bottom])
		s.cells[s.top] = blank(s.w)
	}
}

func (s *Screen) esc(c byte) {
	switch c {
	case '7':
		s.savedX, s.saved = s.x, s.y
	case '8':
		s.x, s.y = s.savedX, s.saved
	case 'M':
		if s.y == s.top {
			s.scrollDown(1)
		} else {
			s.y = max(0, s.y-1)
		}
	case 'D':
		s.lineFeed()
	case 'E':
		s.x = 0
		s.lineFeed()
	}
}

func (s *Screen) csi(cmd ansi.Cmd) {
	if cmd.Prefix() != 0 || cmd.Intermediate() != 0 {
		if cmd.Prefix() == '?' && (cmd.Final() == 'h' || cmd.Final() == 'l') {
			if v, _ := s.p.Param(0, 0); v == 1049 || v == 47 || v == 1047 {
				s.erase(0, 0, s.w, s.h)
			}
		}
		return
	}
	n, _ := s.p.Param(0, 1)
	n = max(n, 1)
	m, _ := s.p.Param(0, 0)
	switch cmd.Final() {
	case 'H', 'f':
		col, _ := s.p.Param(1, 1)
		s.y, s.x = clamp(n-1, s.h), clamp(max(col, 1)-1, s.w)
	case 'A':
		s.y = max(0, s.y-n)
	case 'B':
		s.y = min(s.h-1, s.y+n)
	case 'C':
		s.x = min(s.w-1, s.x+n)
	case 'D':
		s.x = max(0, s.x-n)
	case 'E':
		s.x, s.y = 0, min(s.h-1, s.y+n)
	case 'F':
		s.x, s.y = 0, max(0, s.y-n)
	case 'G', '`':
		s.x = clamp(n-1, s.w)
	case 'd':
		s.y = clamp(n-1, s.h)
	case 'K':
		s.eraseLine(m)
	case 'J':
		s.eraseScreen(m)
	case 'X':
		s.erase(s.x, s.y, min(s.w, s.x+n), s.y+1)
	case '@':
		row := s.cells[s.y]
		copy(row[min(s.w, s.x+n):], row[s.x:])
		s.erase(s.x, s.y, min(s.w, s.x+n), s.y+1)
	case 'P':
		row := s.cells[s.y]
		copy(row[s.x:], row[min(s.w, s.x+n):])
		s.erase(max(s.x, s.w-n), s.y, s.w, s.y+1)
	case 'L', 'M':
		if s.y < s.top || s.y > s.bottom {
			return
		}
		top := s.top
		s.top = s.y
		if cmd.Final() == 'L' {
			s.scrollDown(n)
		} else {
			s.scrollUp(n)
		}
		s.top = top
	case 'S':
		s.scrollUp(n)
	case 'T':
		s.scrollDown(n)
	case 'b':
		for range n {
			s.put(s.last, max(1, ansi.StringWidth(s.last)))
		}
	case 'r':
		t, _ := s.p.Param(0, 1)
		b, _ := s.p.Param(1, s.h)
		s.top, s.bottom = clamp(max(t, 1)-1, s.h), clamp(max(b, 1)-1, s.h)
		s.x, s.y = 0, 0
	case 's':
		s.savedX, s.saved = s.x, s.y
	case 'u':
		s.x, s.y = s.savedX, s.saved
	}
}

func clamp(v, n int) int { return max(0, min(n-1, v)) }

func (s *Screen) eraseLine(mode int) {
	switch mode {
	case 0:
		s.erase(s.x, s.y, s.w, s.y+1)
	case 1:
		s.erase(0, s.y, s.x+1, s.y+1)
	default:
		s.erase(0, s.y, s.w, s.y+1)
	}
}

func (s *Screen) eraseScreen(mode int) {
	switch mode {
	case 0:
		s.eraseLine(0)
		s.erase(0, s.y+1, s.w, s.h)
	case 1:
		s.erase(0, 0, s.w, s.y)
		s.eraseLine(1)
	default:
		s.erase(0, 0, s.w, s.h)
	}
}

// erase blanks columns x0..x1-1 of rows y0..y1-1.
func (s *Screen) erase(x0, y0, x1, y1 int) {
	for y := max(0, y0); y < min(s.h, y1); y++ {
		for x := max(0, x0); x < min(s.w, x1); x++ {
			s.cells[y][x] = " "
		}
	}
}

// Text is what the screen shows, a line a row, trailing blanks removed.
func (s *Screen) Text() string {
	var b strings.Builder
	for i, row := range s.cells {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRight(strings.Join(row, ""), " "))
	}
	return b.String()
}
