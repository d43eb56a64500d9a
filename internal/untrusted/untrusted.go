// Package untrusted cleans text that came from outside the program (an
// identity provider, Microsoft Graph, an SMTP server) before anything
// shows it, prints it or writes it to a file.
//
// Cleaned text holds no terminal control: C0 and C1 control characters and
// DEL are shown as visible escapes (ESC becomes the four characters \x1b),
// bytes that are not UTF-8 likewise, and the bidirectional controls that
// reorder what a reader sees (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C) are removed. Its length is capped, with "…" marking a cut.
//
// Cleaning is idempotent: cleaning cleaned text changes nothing.
package untrusted

import (
	"strings"
	"unicode/utf8"
)

// Caps for the kinds of outside text, in characters (runes).
const (
	MaxName   = 256  // names, codes, ids, addresses
	MaxLine   = 1000 // one line of a protocol or a message
	MaxText   = 4000 // a multi-line text (a reply, a decoded challenge)
	Ellipsis  = "…"
	hexDigits = "0123456789abcdef"
)

// String cleans s for one line: every control character, the line breaks
// included, is escaped, and s is cut to at most max characters.
func String(s string, max int) string { return clean(s, max, false) }

// Text cleans s and keeps its line breaks: "\r\n" and "\n" become "\n",
// a tab becomes a space; every other control is escaped. It is cut to at
// most max characters.
func Text(s string, max int) string { return clean(s, max, true) }

// Name is String with the MaxName cap.
func Name(s string) string { return String(s, MaxName) }

// Line is String with the MaxLine cap.
func Line(s string) string { return String(s, MaxLine) }

// Clean reports whether s would come out of String unchanged with no cap:
// it holds no control, no bidirectional control and only valid UTF-8.
func Clean(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || isControl(r) || isBidi(r) {
			return false
		}
		i += size
	}
	return true
}

// clean is the one implementation behind String and Text.
func clean(s string, max int, lines bool) string {
	if max < 1 {
		max = 1
	}
	var b strings.Builder
	n := 0    // characters written
	keep := 0 // bytes of the longest prefix, at a unit boundary, that leaves room for the ellipsis
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var unit string
		switch {
		case r == utf8.RuneError && size == 1:
			unit = `\x` + string(hexDigits[s[i]>>4]) + string(hexDigits[s[i]&0xf])
		case lines && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			i += size
			continue // "\r\n" is written as the "\n" that follows
		case lines && r == '\n':
			unit = "\n"
		case lines && r == '\t':
			unit = " "
		case isBidi(r):
			i += size
			continue
		case isControl(r):
			unit = escape(r)
		default:
			unit = s[i : i+size]
		}
		i += size
		w := utf8.RuneCountInString(unit)
		if n+w > max {
			return b.String()[:keep] + Ellipsis
		}
		b.WriteString(unit)
		n += w
		if n <= max-1 {
			keep = b.Len()
		}
	}
	return b.String()
}

// escape writes a control character the way Go source would.
func escape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return `\x` + string(hexDigits[r>>4]) + string(hexDigits[r&0xf])
	}
	return `\u` + string(hexDigits[r>>12&0xf]) + string(hexDigits[r>>8&0xf]) +
		string(hexDigits[r>>4&0xf]) + string(hexDigits[r&0xf])
}

// isControl: C0, DEL, C1, and the Unicode line and paragraph separators
// (which terminals may treat as line breaks).
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029
}

// isBidi: embeddings and overrides (U+202A–U+202E), isolates
// (U+2066–U+2069), and the marks U+200E, U+200F, U+061C.
func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}
