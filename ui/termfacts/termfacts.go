// Package termfacts decides what a terminal can show and which language
// to speak in it, from the platform, the environment, facts read from the
// console and the command-line flags. The decision is one pure function,
// Decide, so it can be tested for every platform on any machine and used
// for terminals that are not this process's own (an SSH client's).
//
// It has no Bubble Tea in it: the wizard and the plain `mfpmail check`
// output both build on it.
package termfacts

import (
	"os"
	"strings"

	"mfpmail/assets"
)

// Console is what Windows says about the console and the user; zero
// everywhere else (and for a remote terminal).
type Console struct {
	// UILanguages are the user's preferred Windows display languages,
	// most preferred first ("ja-JP", "en-US").
	UILanguages []string
	// Locale is the user's default locale name ("ja-JP"), used when no
	// UI language is known.
	Locale string
	// OutputCP is the console's output code page (932 Japanese, 437 US,
	// 65001 UTF-8); 0 when unknown or not a console.
	OutputCP uint32
}

// Flags are the command line's say in the matter.
type Flags struct {
	Lang           assets.Lang // "" = decide from the platform
	ASCII          bool        // --ascii
	EastAsianWidth string      // --east-asian-width: "", "auto", "narrow" or "wide"
}

// Decision is what to draw and in which language.
type Decision struct {
	// ASCII: draw 7-bit characters only (the terminal is not known to
	// show UTF-8, or --ascii).
	ASCII bool
	// Wide: the terminal draws East Asian ambiguous-width characters two
	// columns wide.
	Wide bool
	// NoColor: NO_COLOR is set. Dumb: TERM=dumb, no escape sequences.
	NoColor, Dumb bool
	// Lang is the language to speak.
	Lang assets.Lang
	// Notice is one line for the technician when the decision is not
	// what they asked for, or rests on a guess, with how to change it.
	Notice string
}

// Decide works out how to draw and which language to speak.
//
// goos is the platform the terminal runs on, as runtime.GOOS names it. Only
// "windows" and "darwin" change anything; pass "" for a terminal known
// only by the environment it sent (an SSH client: its LANG, TERM, …).
// getenv reads that environment (os.Getenv, or Getenv of a list). con is
// Local() for this process's console on Windows, zero otherwise.
//
// The rules, as a person at that terminal would expect them:
//   - A set locale (LC_ALL, LC_CTYPE, LANG, in POSIX order) decides UTF-8
//     and the language on every platform, including Git Bash, MSYS2,
//     Cygwin and WSL on Windows. An unset one is the C locale: ASCII and
//     English.
//   - Windows with no locale set: the console takes Unicode (Go writes
//     UTF-16 to a console), so UTF-8 is drawn; the language is the user's
//     Windows display language.
//   - Ambiguous width: --east-asian-width or RUNEWIDTH_EASTASIAN=0/1
//     first; then Windows Terminal (WT_SESSION, also inside WSL) and the
//     macOS terminals draw narrow; the legacy Windows console draws wide
//     with an East Asian code page (932, 936, 949, 950); elsewhere a
//     Japanese run is taken as wide (Tera Term, PuTTY set so).
//   - An explicit --lang ja is honoured unless the terminal is known not
//     to show UTF-8 (a non-UTF-8 locale set, or --ascii): then English,
//     with a notice naming the cause and the fix.
func Decide(goos string, getenv func(string) string, con Console, f Flags) Decision {
	d := Decision{NoColor: getenv("NO_COLOR") != "", Dumb: getenv("TERM") == "dumb"}
	name, value := locale(getenv)
	posix := goos != "windows" || name != ""
	utf8 := !posix || isUTF8(value)
	switch {
	case f.Lang != "":
		d.Lang = f.Lang
	case posix:
		d.Lang = assets.LangFromEnv(getenv)
	default:
		d.Lang = windowsLang(con)
	}
	d.ASCII = f.ASCII || !utf8
	if d.Lang == assets.JA && f.Lang == assets.JA && posix && name == "" && !f.ASCII {
		// No locale at all (common over SSH, e.g. from Tera Term): the
		// technician asked for Japanese, so draw UTF-8 and say so.
		d.ASCII = false
		d.Notice = assets.T(assets.JA, "laptop.notice.no_locale")
	}
	if d.ASCII && d.Lang == assets.JA {
		// The notice is in English: this terminal cannot show Japanese.
		d.Lang = assets.EN
		if f.ASCII {
			d.Notice = assets.T(assets.EN, "laptop.notice.ascii_flag")
		} else {
			d.Notice = assets.T(assets.EN, "laptop.notice.not_utf8", "var", name, "value", value)
		}
	}
	d.Wide = wide(goos, getenv, con, f, posix, d.Lang)
	return d
}

// wide decides how ambiguous-width characters are drawn.
func wide(goos string, getenv func(string) string, con Console, f Flags, posix bool, lang assets.Lang) bool {
	switch f.EastAsianWidth {
	case "wide":
		return true
	case "narrow":
		return false
	}
	switch getenv("RUNEWIDTH_EASTASIAN") {
	case "1":
		return true
	case "0":
		return false
	}
	switch {
	case getenv("WT_SESSION") != "":
		return false // Windows Terminal, also around WSL and Git Bash
	case !posix:
		return eastAsianCodePage(con.OutputCP) // the legacy console host
	case goos == "darwin":
		return false // Terminal.app and iTerm2 draw them narrow by default
	}
	return lang == assets.JA
}

// locale is the variable that sets the character set, as POSIX orders
// them, and its value; "" when none is set.
func locale(getenv func(string) string) (name, value string) {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(k); v != "" {
			return k, v
		}
	}
	return "", ""
}

func isUTF8(locale string) bool {
	v := strings.ToLower(locale)
	return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
}

// windowsLang is Japanese when the user's first display language (or,
// failing that, the default locale) is Japanese.
func windowsLang(con Console) assets.Lang {
	tag := con.Locale
	if len(con.UILanguages) > 0 {
		tag = con.UILanguages[0]
	}
	if strings.HasPrefix(strings.ToLower(tag), "ja") {
		return assets.JA
	}
	return assets.EN
}

// eastAsianCodePage: the legacy console draws ambiguous-width characters
// two columns wide under the Japanese, Chinese and Korean code pages.
func eastAsianCodePage(cp uint32) bool {
	switch cp {
	case 932, 936, 949, 950:
		return true
	}
	return false
}

// Getenv reads an environment given as "KEY=value" entries (an SSH
// session's, or os.Environ()); a later entry wins, as in os/exec.
func Getenv(env []string) func(string) string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return func(k string) string { return m[k] }
}

// Here decides for this process's own terminal.
func Here(goos string, f Flags) Decision {
	return Decide(goos, os.Getenv, Local(), f)
}
