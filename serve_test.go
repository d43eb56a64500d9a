package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	c := newCommon("mfpmail")
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
		{"Japanese without UTF-8 (English in ASCII, as locally)", assets.JA, []string{"LANG=ja_JP.eucJP"}, "xterm", ui.Term{ASCII: true}, assets.EN},
		{"NO_COLOR, dumb", assets.EN, []string{"LC_ALL=C.UTF-8", "NO_COLOR=1"}, "dumb", ui.Term{NoColor: true, Dumb: true}, assets.EN},
		{"narrow asked", assets.EN, []string{"LANG=C.UTF-8", "RUNEWIDTH_EASTASIAN=0"}, "xterm", ui.Term{}, assets.EN},
	} {
		got, lang, _ := servedTerm(c, tc.lang, tc.env, tc.term)
		if got != tc.want || lang != tc.out {
			t.Errorf("%s: %+v %s, want %+v %s", tc.name, got, lang, tc.want, tc.out)
		}
	}
}

// Bad serve flags: one line naming the flag, exit 2, before anything
// listens or a host key is made.
func TestServeBadFlags(t *testing.T) {
	dir := t.TempDir()
	hk := filepath.Join(dir, "hk")
	noKeys := filepath.Join(dir, "empty")
	os.WriteFile(noKeys, []byte("# nobody\n"), 0o600)
	link := filepath.Join(dir, "link.log")
	os.Symlink(filepath.Join(dir, "elsewhere"), link)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-sessions", "0"}, "--max-sessions"},
		{[]string{"--idle-timeout", "-1s"}, "--idle-timeout"},
		{[]string{"--listen", "nonsense"}, "--listen"},
		{[]string{"--listen", "0.0.0.0:0"}, "--authorized-keys"},
		{[]string{"--listen", "0.0.0.0:0", "--authorized-keys", noKeys}, "--authorized-keys"},
		{[]string{"--listen", "127.0.0.1:0", "--log", link}, "--log"},
		{[]string{"--lang", "xx"}, "--lang"},
		{[]string{"--scenario", "nope", "--demo"}, "nope"},
	} {
		var stderr bytes.Buffer
		args := append([]string{"serve", "--host-key", hk, "--reports-dir", dir}, c.args...)
		code := run(args, io.Discard, &stderr)
		line := strings.TrimSpace(stderr.String())
		if code != 2 || strings.Contains(line, "\n") || !strings.Contains(line, c.want) {
			t.Errorf("serve %v: exit %d, %q; want 2 and one line naming %s", c.args, code, line, c.want)
		}
	}
	if _, err := os.Stat(hk); err == nil {
		t.Errorf("a refused start made a host key")
	}
}
