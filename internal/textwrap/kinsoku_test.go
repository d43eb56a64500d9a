package textwrap

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Japanese line breaking (kinsoku), checked on texts of the wizard at every
// width from 8 to 60 columns: no line begins with a closing mark (、。）」
// and the ASCII ")" after Japanese text among them), no line ends with an
// opening one (「（), a katakana word that fits on a line is never split,
// no line is wider than asked, and no character is lost.
func TestWrapKinsoku(t *testing.T) {
	texts := []string{
		"TLS 1.3、10 ミリ秒。t キーで送受信記録を表示します (トークンは伏せてあります)。",
		"メール送信アプリの送信者アドレス",
		"条件付きアクセス（「デバイスコードフローのブロック」など）でサインインできないときは、メーカーのアプリかこのアカウントを対象外にします。",
		"サインインを待っています (5 秒ごとに確認)...",
		"サインイン後、本機はプライマリアドレス lobby.printer@contoso.com を本体メールアドレスに設定します。",
		"ウィンドウが小さいため QR コードを表示できません (68x39 以上が必要)。上のリンクとコードを使うか、ウィンドウを大きくしてください。",
		"[プロパティ] > [接続の設定] > [プロトコル] > [SMTP サーバー] > [一般] で設定します。",
	}
	for _, text := range texts {
		words := katakanaWords(text)
		// Below the widest bracketed name, names are cut: start above it.
		from := 10
		if strings.Contains(text, "[") {
			from = 16
		}
		for w := from; w <= 60; w++ {
			out := Wrap(text, w)
			lines := strings.Split(out, "\n")
			for i, l := range lines {
				if cellWidth(l) > w {
					t.Errorf("%d columns: line %q is %d wide\n%s", w, l, cellWidth(l), out)
				}
				first, _ := utf8.DecodeRuneInString(l)
				last, _ := utf8.DecodeLastRuneInString(l)
				if i > 0 && (strings.ContainsRune(noLineStart, first) || first == ')' && wideBefore(lines[i-1])) {
					t.Errorf("%d columns: line %d begins with %q\n%s", w, i+1, first, out)
				}
				if i < len(lines)-1 && strings.ContainsRune(noLineEnd, last) {
					t.Errorf("%d columns: line %d ends with %q\n%s", w, i+1, last, out)
				}
			}
			for _, k := range words {
				// Whole wherever it fits with the two opening marks that
				// may stand before it (（「).
				if cellWidth(k)+4 <= w && !strings.Contains(out, k) {
					t.Errorf("%d columns: the katakana word %q is split\n%s", w, k, out)
				}
			}
			if got, want := strings.ReplaceAll(strings.ReplaceAll(out, "\n", ""), " ", ""), strings.ReplaceAll(text, " ", ""); got != want {
				t.Errorf("%d columns: text changed:\n got %q\nwant %q", w, got, want)
			}
		}
	}
	// The cases the issue names, at the widths they were seen at.
	for _, tc := range []struct {
		text string
		w    int
		want string
	}{
		{"メール送信アプリの送信者アドレス", 28, "メール送信アプリの送信者\nアドレス"},
		{"サインインを待っています (5 秒ごとに確認)...", 40, "サインインを待っています (5 秒ごとに確\n認)..."},
		{"Press Enter to send a short test message now (it goes out as a real email).", 40,
			"Press Enter to send a short test message\nnow (it goes out as a real email)."},
	} {
		if got := Wrap(tc.text, tc.w); got != tc.want {
			t.Errorf("Wrap(%q, %d) =\n%s\nwant\n%s", tc.text, tc.w, got, tc.want)
		}
	}
}

// katakanaWords are the runs of katakana in s (two letters or more).
func katakanaWords(s string) []string {
	var out []string
	var cur []rune
	for _, r := range s + " " {
		if katakana(r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 1 {
			out = append(out, string(cur))
		}
		cur = nil
	}
	return out
}

// wideBefore reports whether line ends with a full-width character.
func wideBefore(line string) bool {
	r, _ := utf8.DecodeLastRuneInString(line)
	return cellWidth(string(r)) == 2
}

// A reply code and its enhanced code stay on one line, at every width
// where they would otherwise be parted.
func TestWrapKeepsReplyCodesTogether(t *testing.T) {
	text := "every scan then fails with 535 5.7.3. Older TLS gets 421 4.7.66 from Exchange Online."
	for w := 12; w <= 60; w++ {
		out := Wrap(text, w)
		for _, code := range []string{"535 5.7.3", "421 4.7.66"} {
			if !strings.Contains(out, code) {
				t.Errorf("width %d: %q parted:\n%s", w, code, out)
			}
		}
	}
}
