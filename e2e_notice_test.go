package main

import (
	"strings"
	"testing"

	"mfpmail/assets"
)

// LANG=C with --lang ja at 80×24: the notice saying why English shows is
// on the screen whole, its fix included, in colour and with NO_COLOR, with
// the key line under it; the first key takes it away.
func TestE2ENotUTF8NoticeWhole(t *testing.T) {
	t.Parallel()
	notice := assets.T(assets.EN, "laptop.notice.not_utf8", "var", "LANG", "value", "C")
	for _, tc := range []termCase{
		{name: "80x24-LANG=C-ja", w: 80, h: 24, lang: "C", args: []string{"--lang", "ja"}},
		{name: "80x24-LANG=C-ja-NO_COLOR", w: 80, h: 24, lang: "C", noColor: true, args: []string{"--lang", "ja"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startPane(t, tc)
			p.at("first screen")
			s := p.waitFor("1/13", "q quit")
			lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
			keys := lines[len(lines)-1]
			// The notice, wrapped or not, read as one text.
			if !strings.Contains(strings.Join(strings.Fields(s), " "), notice) {
				t.Errorf("the notice is not whole on the screen, want %q:\n%s", notice, frame(s))
			}
			if !strings.Contains(keys, "enter next") || strings.Contains(keys, "UTF-8") {
				t.Errorf("the key line should list the keys, the notice above it: %q\n%s", keys, frame(s))
			}
			p.keys("Down")
			p.at("after a key")
			p.waitUntil("the notice gone", func(s string) bool { return !strings.Contains(s, "UTF-8") })
		})
	}
}
