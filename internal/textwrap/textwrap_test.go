package textwrap

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapWholeKeepsURLs(t *testing.T) {
	url := "https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-authentication-flows"
	for _, s := range []string{
		"See " + url + " for the flows.",
		"詳しくは(" + url + ")を参照してください。",
	} {
		got := WrapWhole(s, 40)
		if !strings.Contains(got, url) {
			t.Errorf("WrapWhole cut the URL:\n%s", got)
		}
		for _, l := range strings.Split(got, "\n") {
			if Width(l) > 40 && !strings.Contains(l, "://") {
				t.Errorf("line over 40 columns: %q", l)
			}
		}
		// Wrap, the screens' measure, still cuts a word longer than the line.
		for _, l := range strings.Split(Wrap(s, 40), "\n") {
			if Width(l) > 40 {
				t.Errorf("Wrap: line over 40 columns: %q", l)
			}
		}
	}
}

func TestWrapKeepsLabels(t *testing.T) {
	for _, tc := range []struct {
		s     string
		label string
	}{
		{"Open [Properties] > [Connectivity] > [Protocols] > [SMTP Server] > [General] and check it.", "[SMTP Server]"},
		{"[ネットワーク] > [プロトコル設定] > [SMTP] で [送信時の認証ユーザー] を [本体設定] にしてください。", "[送信時の認証ユーザー]"},
	} {
		for w := Width(tc.label); w <= 60; w++ { // a label wider than the line may break
			got := Wrap(tc.s, w)
			if !strings.Contains(got, tc.label) {
				t.Errorf("width %d: %s is split:\n%s", w, tc.label, got)
			}
		}
	}
}

func TestWrapKeepsBracketedNamesWhole(t *testing.T) {
	for _, tc := range []struct {
		text string
		w    int
	}{
		{"Typing a server name on the control panel resets [Service Provider] to [Not Selected].", 40},
		{"Set [Edit [From:] Field when Authorization is not Required] to [No] and click [Apply].", 60},
		{"[プロパティ] > [接続の設定] > [プロトコル] > [SMTP サーバー] > [一般] で設定します。", 30},
		{"コードの入力画面で、【認証コードの入力】画面に表示されたコードを入力し、[次へ] をクリックします。", 24},
		{"TLS 1.3、10 ミリ秒。t キーで送受信記録を表示します (トークンは伏せてあります)。", 77},
	} {
		out := Wrap(tc.text, tc.w)
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "。") || strings.HasPrefix(l, "、") {
				t.Errorf("Wrap(%q, %d): a line starts with a closing mark:\n%s", tc.text, tc.w, out)
			}
			if splitLabel(l) {
				t.Errorf("Wrap(%q, %d): a bracketed name is split:\n%s", tc.text, tc.w, out)
			}
			if w := Width(l); w > tc.w {
				t.Errorf("Wrap(%q, %d): line %q is %d wide", tc.text, tc.w, l, w)
			}
		}
		if got := strings.ReplaceAll(out, "\n", ""); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(tc.text, " ", "") {
			t.Errorf("wrap lost text: %q", out)
		}
	}
	// Wider than the line on its own: it breaks like text, at its spaces.
	out := Wrap("[Edit [From:] Field when Authorization is not Required]", 20)
	for _, l := range strings.Split(out, "\n") {
		if Width(l) > 20 || strings.HasPrefix(l, " ") {
			t.Errorf("long bracketed name: bad line %q in\n%s", l, out)
		}
	}
}

// splitLabel reports a line where the brackets of a [name] or 【name】 do
// not pair up: a bracketed name broken across lines.
func splitLabel(l string) bool {
	return strings.Count(l, "[") != strings.Count(l, "]") || strings.Count(l, "【") != strings.Count(l, "】")
}

// A URL piece is handed to Options.Link with the whole address, even when
// the line shows it shortened or with the marks around it; Indent gives a
// long URL a line of its own from the first column, up to the full width.
func TestURLRules(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("b", 60) // 80 columns
	mark := Options{Link: func(url, shown string) string { return "<" + url + "|" + shown + ">" }}
	for _, tc := range []struct{ s, want string }{
		{"See " + long + " now", "See\n<" + long + "|" + ansi.Truncate(long, 40, "…") + ">\nnow"},
		{"(" + long[:30] + ") ok", "<" + long[:30] + "|(" + long[:30] + ")> ok"},
	} {
		if got := WrapWith(tc.s, 40, mark); got != tc.want {
			t.Errorf("WrapWith(%q, 40):\n%q\nwant\n%q", tc.s, got, tc.want)
		}
	}
	if got, want := WrapWhole("See "+long+" now", 40), "See\n"+long+"\nnow"; got != want {
		t.Errorf("WrapWhole: %q, want %q", got, want)
	}
	if got, want := Indent("• ", "See "+long, 81, Options{}, nil), "• See\n"+long; got != want {
		t.Errorf("Indent: %q, want %q", got, want)
	}
	if got, want := Indent("1. ", "one two three", 10, Options{}, strings.ToUpper), "1. ONE TWO\n   THREE"; got != want {
		t.Errorf("Indent styled: %q, want %q", got, want)
	}
}
