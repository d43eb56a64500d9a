package termfacts

import (
	"strings"
	"testing"

	"mfpmail/assets"
)

func TestDecide(t *testing.T) {
	ja := Console{UILanguages: []string{"ja-JP", "en-US"}, Locale: "ja-JP", OutputCP: 932}
	en := Console{UILanguages: []string{"en-US"}, Locale: "en-US", OutputCP: 437}
	cases := []struct {
		name   string
		goos   string
		env    []string
		con    Console
		flags  Flags
		want   Decision
		notice []string // words the notice must hold; nil = no notice
	}{
		{name: "Windows Terminal, English Windows", goos: "windows",
			env: []string{"WT_SESSION=7c1a0e35-0000-4a6c-9e0d-3f0d2c1b5a01"}, con: Console{UILanguages: []string{"en-US"}, OutputCP: 437},
			want: Decision{Lang: assets.EN}},
		{name: "Windows Terminal, Japanese Windows", goos: "windows",
			env: []string{"WT_SESSION=7c1a0e35-0000-4a6c-9e0d-3f0d2c1b5a01"}, con: ja,
			want: Decision{Lang: assets.JA}},
		{name: "legacy console, Japanese Windows (cp932)", goos: "windows", con: ja,
			want: Decision{Lang: assets.JA, Wide: true}},
		{name: "legacy console, English Windows (cp437)", goos: "windows", con: en,
			want: Decision{Lang: assets.EN}},
		{name: "legacy console, only the locale known", goos: "windows", con: Console{Locale: "ja-JP", OutputCP: 932},
			want: Decision{Lang: assets.JA, Wide: true}},
		{name: "legacy console, --lang en on Japanese Windows", goos: "windows", con: ja, flags: Flags{Lang: assets.EN},
			want: Decision{Lang: assets.EN, Wide: true}},
		{name: "Git Bash on Japanese Windows (LANG set)", goos: "windows",
			env: []string{"LANG=ja_JP.UTF-8", "TERM=xterm"}, con: ja,
			want: Decision{Lang: assets.JA, Wide: true}},
		{name: "Git Bash with LANG=C", goos: "windows", env: []string{"LANG=C"}, con: ja,
			want: Decision{Lang: assets.EN, ASCII: true}},
		{name: "WSL in Windows Terminal", goos: "linux",
			env:  []string{"LANG=ja_JP.UTF-8", "WT_SESSION=7c1a0e35"},
			want: Decision{Lang: assets.JA}},
		{name: "macOS Terminal, Japanese", goos: "darwin",
			env:  []string{"LANG=ja_JP.UTF-8", "TERM_PROGRAM=Apple_Terminal"},
			want: Decision{Lang: assets.JA}},
		{name: "macOS Terminal, English", goos: "darwin",
			env:  []string{"LANG=en_US.UTF-8", "TERM_PROGRAM=Apple_Terminal"},
			want: Decision{Lang: assets.EN}},
		{name: "macOS iTerm2 set to wide", goos: "darwin",
			env:  []string{"LANG=ja_JP.UTF-8", "RUNEWIDTH_EASTASIAN=1"},
			want: Decision{Lang: assets.JA, Wide: true}},
		{name: "Linux C locale", goos: "linux", env: []string{"LANG=C", "TERM=xterm-256color"},
			want: Decision{Lang: assets.EN, ASCII: true}},
		{name: "Linux Japanese UTF-8 (Tera Term, PuTTY)", goos: "linux", env: []string{"LANG=ja_JP.UTF-8"},
			want: Decision{Lang: assets.JA, Wide: true}},
		{name: "Linux Japanese, told narrow", goos: "linux", env: []string{"LANG=ja_JP.UTF-8"}, flags: Flags{EastAsianWidth: "narrow"},
			want: Decision{Lang: assets.JA}},
		{name: "SSH from Tera Term, no LANG", goos: "linux", env: []string{"TERM=xterm"},
			want: Decision{Lang: assets.EN, ASCII: true}},
		{name: "SSH from Tera Term, no LANG, --lang ja", goos: "linux", env: []string{"TERM=xterm"}, flags: Flags{Lang: assets.JA},
			want: Decision{Lang: assets.JA, Wide: true}, notice: []string{"LANG", "UTF-8"}},
		{name: "SSH session seen from the server (no GOOS)", goos: "", env: []string{"LANG=ja_JP.UTF-8", "TERM=xterm-256color"},
			want: Decision{Lang: assets.JA, Wide: true}},
		{name: "--lang ja on a non-UTF-8 terminal", goos: "linux", env: []string{"LANG=C"}, flags: Flags{Lang: assets.JA},
			want: Decision{Lang: assets.EN, ASCII: true}, notice: []string{"Japanese", "LANG=C", "LANG=ja_JP.UTF-8", "showing English"}},
		{name: "Japanese EUC locale", goos: "linux", env: []string{"LC_ALL=ja_JP.eucJP", "LANG=ja_JP.UTF-8"},
			want: Decision{Lang: assets.EN, ASCII: true}, notice: []string{"LC_ALL=ja_JP.eucJP", "LC_ALL=ja_JP.UTF-8"}},
		{name: "--lang ja --ascii", goos: "windows", con: ja, flags: Flags{Lang: assets.JA, ASCII: true},
			want: Decision{Lang: assets.EN, ASCII: true, Wide: true}, notice: []string{"--ascii"}},
		{name: "NO_COLOR and a dumb terminal", goos: "linux", env: []string{"LANG=C.UTF-8", "NO_COLOR=1", "TERM=dumb"},
			want: Decision{Lang: assets.EN, NoColor: true, Dumb: true}},
		{name: "RUNEWIDTH_EASTASIAN=0 beats the Japanese code page", goos: "windows", env: []string{"RUNEWIDTH_EASTASIAN=0"}, con: ja,
			want: Decision{Lang: assets.JA}},
		{name: "--east-asian-width wide beats Windows Terminal", goos: "windows", env: []string{"WT_SESSION=1"}, con: ja, flags: Flags{EastAsianWidth: "wide"},
			want: Decision{Lang: assets.JA, Wide: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Decide(tc.goos, Getenv(tc.env), tc.con, tc.flags)
			notice := got.Notice
			got.Notice = ""
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if tc.notice == nil {
				if notice != "" {
					t.Errorf("unexpected notice %q", notice)
				}
				return
			}
			if notice == "" || strings.Contains(notice, "\n") {
				t.Fatalf("want a one-line notice, got %q", notice)
			}
			for _, w := range tc.notice {
				if !strings.Contains(notice, w) {
					t.Errorf("notice %q lacks %q", notice, w)
				}
			}
		})
	}
}

func TestGetenvLaterEntryWins(t *testing.T) {
	get := Getenv([]string{"LANG=C", "TERM=xterm", "LANG=ja_JP.UTF-8", "EMPTY=", "junk"})
	if get("LANG") != "ja_JP.UTF-8" || get("TERM") != "xterm" || get("EMPTY") != "" || get("junk") != "" {
		t.Errorf("LANG=%q TERM=%q", get("LANG"), get("TERM"))
	}
}
