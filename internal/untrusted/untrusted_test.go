package untrusted

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile is every kind of text a hostile server sends to take over a
// terminal or mislead a reader.
var hostile = map[string]string{
	"osc0":  "\x1b]0;owned\x07title",
	"osc52": "\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07",
	"csi":   "\x1b[2J\x1b[1;1Hcleared",
	"c1":    "\u009b2Jcsi-as-c1",
	"bidi":  "user\u202egpj.exe",
	"bytes": "bad\xff\xfeutf8",
}

func TestStringLeavesNoControl(t *testing.T) {
	for name, in := range hostile {
		out := String(in, MaxLine)
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\xff"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q still holds %q", name, out, bad)
			}
		}
		if !Clean(out) {
			t.Errorf("%s: %q is not clean", name, out)
		}
	}
	if got := String("\x1b]0;x\x07", 100); got != `\x1b]0;x\x07` {
		t.Errorf("OSC shown as %q", got)
	}
	if got := String("a\u009bb\u202ec\u2066d", 100); got != `a\u009bbcd` {
		t.Errorf("C1 and bidi: %q", got)
	}
	if got := String("a\r\nb\tc\x7f", 100); got != `a\r\nb\tc\x7f` {
		t.Errorf("line breaks on one line: %q", got)
	}
	if got := Text("a\r\nb\tc\rd\ne", 100); got != "a\nb c\\rd\ne" {
		t.Errorf("text: %q", got)
	}
}

func TestCap(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcde…"},
		{"日本語テキスト", 4, "日本語…"},
		{"ab\x1bcd", 5, "ab…"},      // an escape is never cut in half
		{"ab\x1bcd", 7, "ab\\x1b…"}, // ab + \x1b = 6, then the ellipsis
		{"ab\x1bcd", 8, "ab\\x1bcd"},
		{"", 3, ""},
		{"x", 0, "x"},
	}
	for _, c := range cases {
		if got := String(c.in, c.max); got != c.want {
			t.Errorf("String(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func check(t *testing.T, in string, max int, lines bool) {
	out := clean(in, max, lines)
	if max < 1 {
		max = 1
	}
	if !utf8.ValidString(out) {
		t.Fatalf("%q → %q: not UTF-8", in, out)
	}
	if n := utf8.RuneCountInString(out); n > max {
		t.Fatalf("%q → %q: %d characters, cap %d", in, out, n, max)
	}
	for _, r := range out {
		if (isControl(r) && !(lines && r == '\n')) || isBidi(r) {
			t.Fatalf("%q → %q: holds %U", in, out, r)
		}
	}
	if again := clean(out, max, lines); again != out {
		t.Fatalf("not idempotent: %q → %q → %q", in, out, again)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, 40, false)
		f.Add(s, 5, true)
	}
	f.Add("a\r\n\r\nb", 3, true)
	f.Fuzz(func(t *testing.T, s string, max int, lines bool) {
		if max > 1<<16 || max < -1 {
			max = 1 << 10
		}
		check(t, s, max, lines)
	})
}
