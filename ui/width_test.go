package ui

import (
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// TestWidthIgnoresProcessLocale: go-runewidth reads LANG at start and
// measures "…·—→" two columns wide under a Japanese locale; the wizard's
// wrapping must not follow the process's locale (a served session would
// take the server's), only the terminal facts the program was given.
func TestWidthIgnoresProcessLocale(t *testing.T) {
	text := "Sign in… then check · the sender — and go → next step · 送信者アドレス…を確認します。 " +
		strings.Repeat("word·word ", 8)
	narrow := wrap(text, 24)
	old := runewidth.DefaultCondition.EastAsianWidth
	t.Cleanup(func() { runewidth.DefaultCondition.EastAsianWidth = old })
	runewidth.DefaultCondition.EastAsianWidth = true // as under LANG=ja_JP.UTF-8
	if runewidth.StringWidth("…") != 2 {
		t.Fatalf("the process-wide setting did not take: … is %d wide", runewidth.StringWidth("…"))
	}
	wide := wrap(text, 24)
	if narrow != wide {
		t.Errorf("wrapping changed with the process's locale:\n%s\n---\n%s", narrow, wide)
	}
	for _, l := range strings.Split(wide, "\n") {
		if w := lipglossWidth(l); w > 24 {
			t.Errorf("line %q is %d columns, more than 24 (wrap and lipgloss measure differently)", l, w)
		}
	}
	// On a terminal that draws ambiguous characters two columns wide, each
	// becomes a one-column look-alike, so the measured layout holds.
	for _, tm := range []Term{{Wide: true}, {ASCII: true}} {
		for _, l := range strings.Split(tm.safe(wide), "\n") {
			if strings.ContainsAny(l, "…·—→") {
				t.Errorf("%+v: line %q still has ambiguous-width characters", tm, l)
			}
		}
	}
	if got := (Term{Wide: true}).safe("±"); got != "?" {
		t.Errorf("an ambiguous character without a look-alike became %q, want one column %q", got, "?")
	}
}
