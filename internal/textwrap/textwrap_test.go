package textwrap

import (
	"strings"
	"testing"
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
