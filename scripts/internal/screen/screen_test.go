package screen

import "testing"

func TestScreen(t *testing.T) {
	s := New(10, 3)
	// A frame, then a second that only rewrites the changed cell, split
	// in the middle of a sequence and of a character.
	for _, chunk := range []string{"\x1b[?1049h\x1b[H\x1b[2J 1/13\r\nab", "c\x1b[K\r\n\x1b]8;;https://x\x07li\x1b]8;;\x07nk", "\x1b[1;", "2H2\x1b[3;1H\xe3", "\x81\x82"} {
		if _, err := s.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := s.Text(), " 2/13\nabc\nあnk"; got != want {
		t.Errorf("screen %q, want %q", got, want)
	}
	// Cursor forward over unchanged cells, erase to the end of the line.
	_, _ = s.Write([]byte("\x1b[2;1HX\x1b[1CZ\x1b[K"))
	if got, want := s.Text(), " 2/13\nXbZ\nあnk"; got != want {
		t.Errorf("screen %q, want %q", got, want)
	}
}
