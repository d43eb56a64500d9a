package textwrap

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Japanese line breaking (kinsoku): noLineStart are marks that must not
// begin a line, noLineEnd those that must not end one. A katakana word
// (アドレス, メールボックス) is not broken inside unless it is wider than the
// line on its own.
const (
	noLineStart = "、。，．・：；？！）」』】〕〉》〙〗’”ー…‥々ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
	noLineEnd   = "（「『【〔〈《〘〖‘“"
	// After Japanese text, ASCII marks follow the same rules.
	asciiNoLineStart = ")],.:;!?"
	asciiNoLineEnd   = "(["
)

// katakana reports whether r belongs in a katakana word.
func katakana(r rune) bool { return r >= 'ァ' && r <= 'ヺ' || r == 'ー' || r == 'ヽ' || r == 'ヾ' }

// Brackets that enclose a device name ("[Not Selected]", "【認証コードの入力】").
// A bracketed name is one unit of wrapping: it moves to the next line as a
// whole rather than being split inside, unless it is wider than the line
// on its own.
const (
	unitOpen  = "[【"
	unitClose = "]】"
)

// closes reports whether r must not begin a line; inside a katakana word
// (kana) its long-vowel and small letters are part of the word.
func closes(r rune, kana bool) bool {
	return strings.ContainsRune(noLineStart, r) && !(kana && katakana(r)) || strings.ContainsRune(asciiNoLineStart, r)
}

// opens reports whether r must not end a line: a full-width opening mark,
// or an ASCII one where a new piece starts (fresh).
func opens(r rune, fresh bool) bool {
	return strings.ContainsRune(noLineEnd, r) || fresh && strings.ContainsRune(asciiNoLineEnd, r)
}

// wrapTokens splits a paragraph into the pieces a line may break between
// (textTokens), and, when units is set, keeps each bracketed name whole,
// joined to the marks that may not be parted from it.
func wrapTokens(p string, units bool) []string {
	if !units {
		return textTokens(p)
	}
	var tokens []string
	for _, part := range splitUnits(p) {
		more := []string{part}
		if r, _ := utf8.DecodeRuneInString(part); !strings.ContainsRune(unitOpen, r) {
			more = textTokens(part)
		}
		if n := len(tokens); n > 0 && len(more) > 0 && joins(tokens[n-1], more[0]) {
			tokens[n-1] += more[0]
			more = more[1:]
		}
		tokens = append(tokens, more...)
	}
	return tokens
}

// splitUnits cuts p into bracketed names ("[Not Selected]", "[Edit [From:]
// Field]", "【認証コードの入力】") and the text between them.
func splitUnits(p string) []string {
	var parts []string
	start, depth := 0, 0
	for i, r := range p {
		switch {
		case strings.ContainsRune(unitOpen, r):
			if depth == 0 && i > start {
				parts = append(parts, p[start:i])
				start = i
			}
			depth++
		case strings.ContainsRune(unitClose, r) && depth > 0:
			depth--
			if depth == 0 {
				parts = append(parts, p[start:i+utf8.RuneLen(r)])
				start = i + utf8.RuneLen(r)
			}
		}
	}
	if start < len(p) {
		parts = append(parts, p[start:])
	}
	return parts
}

// joins reports whether a line may not break between two pieces: before
// a closing mark, after an opening one, or between two one-column
// characters written together (x[No]).
func joins(a, b string) bool {
	if a == " " || b == " " {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	return closes(first, false) || opens(last, true) || cellWidth(string(last)) == 1 && cellWidth(string(first)) == 1
}

// textTokens splits text into the pieces a line may break between: words,
// single spaces, single full-width characters (a katakana word whole),
// with the marks that may not begin a line stuck to what comes before
// them and those that may not end one to what follows.
func textTokens(p string) []string {
	var tokens []string
	var cur strings.Builder
	kana, open := false, false // cur is a katakana word; cur holds opening marks only
	flush := func() {
		if cur.Len() > 0 {
			tokens = append(tokens, cur.String())
			cur.Reset()
		}
		kana, open = false, false
	}
	// stick adds a closing mark to what it closes: the piece being built,
	// else the last one (not a space); false when there is none.
	stick := func(r rune) bool {
		switch {
		case cur.Len() > 0:
			cur.WriteRune(r)
		case len(tokens) > 0 && tokens[len(tokens)-1] != " ":
			tokens[len(tokens)-1] += string(r)
		default:
			return false
		}
		return true
	}
	for _, r := range p {
		wide := cellWidth(string(r)) == 2
		switch {
		case r == ' ':
			flush()
			tokens = append(tokens, " ")
		case closes(r, kana) && stick(r):
			if wide {
				flush()
			}
		case opens(r, cur.Len() == 0 || kana):
			if !open {
				flush()
			}
			cur.WriteRune(r)
			open = true
		case wide:
			if !open && !(kana && katakana(r)) {
				flush()
			}
			cur.WriteRune(r)
			open, kana = false, katakana(r)
			if !kana {
				flush()
			}
		default:
			if kana {
				flush()
			}
			cur.WriteRune(r)
			open = false
		}
	}
	flush()
	return joinReplyCodes(tokens)
}

// An SMTP reply code and the enhanced status code after it ("535 5.7.3",
// "421 4.7.66") are read as one: a line never breaks between them.
var (
	replyCodeRE    = regexp.MustCompile(`^[2-5][0-9][0-9]$`)
	enhancedCodeRE = regexp.MustCompile(`^[245]\.[0-9]{1,3}\.[0-9]{1,3}\b`)
)

// joinReplyCodes joins each reply code to the enhanced code that follows it.
func joinReplyCodes(tokens []string) []string {
	out := tokens[:0]
	for i := 0; i < len(tokens); i++ {
		if i+2 < len(tokens) && tokens[i+1] == " " && replyCodeRE.MatchString(tokens[i]) && enhancedCodeRE.MatchString(tokens[i+2]) {
			out = append(out, tokens[i]+" "+tokens[i+2])
			i += 2
			continue
		}
		out = append(out, tokens[i])
	}
	return out
}
