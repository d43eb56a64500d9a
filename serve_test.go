package main

import (
	"io"
	"testing"

	"mfpmail/assets"
	"mfpmail/ui"
)

// servedTerm follows what the client sent, never the server's own
// environment.
func TestServedTerm(t *testing.T) {
	t.Setenv("LANG", "ja_JP.UTF-8")
	t.Setenv("NO_COLOR", "1")
	t.Setenv("RUNEWIDTH_EASTASIAN", "1")
	c := newCommon("mfpmail", io.Discard)
	if err := c.parse(nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		lang assets.Lang
		env  []string
		term string
		want ui.Term
		out  assets.Lang
	}{
		{"English UTF-8", assets.EN, []string{"LANG=en_US.UTF-8"}, "xterm-256color", ui.Term{}, assets.EN},
		{"Japanese UTF-8", assets.JA, []string{"LANG=ja_JP.UTF-8"}, "xterm", ui.Term{Wide: true}, assets.JA},
		{"nothing sent", assets.EN, nil, "xterm", ui.Term{ASCII: true}, assets.EN},
		{"Japanese without UTF-8", assets.JA, []string{"LANG=ja_JP.eucJP"}, "xterm", ui.Term{ASCII: true, Wide: true}, assets.EN},
		{"NO_COLOR, dumb", assets.EN, []string{"LC_ALL=C.UTF-8", "NO_COLOR=1"}, "dumb", ui.Term{NoColor: true, Dumb: true}, assets.EN},
		{"narrow asked", assets.EN, []string{"LANG=C.UTF-8", "RUNEWIDTH_EASTASIAN=0"}, "xterm", ui.Term{}, assets.EN},
	} {
		got, lang, _ := servedTerm(c, tc.lang, tc.env, tc.term)
		if got != tc.want || lang != tc.out {
			t.Errorf("%s: %+v %s, want %+v %s", tc.name, got, lang, tc.want, tc.out)
		}
	}
}
