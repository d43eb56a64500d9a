package qrtext

import (
	"strings"
	"testing"

	"rsc.io/qr"
)

const link = "https://microsoft.com/devicelogin"

// The block drawing reads back as the very modules qr.Encode made.
func TestHashBlocksReadBack(t *testing.T) {
	code, err := qr.Encode(link, qr.L)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := Render(link, Hash)
	if !ok {
		t.Fatal("not drawn")
	}
	n := code.Size + 2*Quiet
	if b.H != n || b.W != 2*n || len(b.Lines) != n || !b.Raw {
		t.Fatalf("size %dx%d (%d lines), want %dx%d", b.W, b.H, len(b.Lines), 2*n, n)
	}
	for y, l := range b.Lines {
		if len(l) != 2*n {
			t.Fatalf("line %d is %d cells", y, len(l))
		}
		for x := range n {
			light := l[2*x:2*x+2] == "##"
			mx, my := x-Quiet, y-Quiet
			inside := mx >= 0 && my >= 0 && mx < code.Size && my < code.Size
			if want := !inside || !code.Black(mx, my); light != want {
				t.Fatalf("module %d,%d: light=%v, want %v", mx, my, light, want)
			}
		}
	}
}

// Half blocks put two module rows in one line; the block styles carry
// their own escapes and only ASCII.
func TestStyles(t *testing.T) {
	code, _ := qr.Encode(link, qr.L)
	n := code.Size + 2*Quiet
	half, _ := Render(link, Half)
	if half.H != (n+1)/2 || half.W != n || half.Raw {
		t.Errorf("half blocks %dx%d raw=%v, want %dx%d", half.W, half.H, half.Raw, n, (n+1)/2)
	}
	for _, st := range []Style{Colour, Reverse} {
		b, _ := Render(link, st)
		s := strings.Join(b.Lines, "")
		for _, r := range s {
			if r >= 0x80 {
				t.Fatalf("style %d: non-ASCII %q", st, r)
			}
		}
		if !strings.Contains(s, "\x1b[") {
			t.Errorf("style %d draws no attribute", st)
		}
	}
	if _, ok := Render(strings.Repeat("x", 4000), Half); ok {
		t.Error("a text too long for a QR code was drawn")
	}
}

func TestStyleFor(t *testing.T) {
	cases := []struct {
		ascii, wide, noColor, dumb bool
		want                       Style
	}{
		{want: Half},
		{ascii: true, want: Colour},
		{wide: true, want: Colour},
		{ascii: true, noColor: true, want: Reverse},
		{ascii: true, noColor: true, dumb: true, want: Hash},
		{noColor: true, want: Half},
	}
	for _, c := range cases {
		if got := StyleFor(c.ascii, c.wide, c.noColor, c.dumb); got != c.want {
			t.Errorf("%+v: %d", c, got)
		}
	}
}
