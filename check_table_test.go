package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/internal/textwrap"
)

// check's table at 80 columns, in English and Japanese, for the scenarios
// whose findings and fixes are longest: every line fits, lines break only
// at spaces or (Japanese) next to a full-width character, never inside a
// [device label] or a URL, and no character is lost. Indented commands
// are copied as they are, whole.
func TestCheckTableWrapsAt80(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		for _, sc := range []string{"smtp-auth-disabled", "login-credentials-remote", "upn-mismatch", "device-flow-blocked", "no-starttls"} {
			t.Run(lang+"/"+sc, func(t *testing.T) {
				t.Parallel()
				var out, errb bytes.Buffer
				run([]string{"check", "--demo", "--json", "--lang", lang, "--scenario", sc, "--approve-after", "10ms"}, &out, &errb)
				var rep flow.Report
				if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
					t.Fatalf("no report: %v\n%s", err, errb.String())
				}
				checkTable(t, assets.Lang(lang), rep)
			})
		}
	}
}

// A URL longer than the column stands whole on its own line; labels move
// as a whole; in both languages.
func TestCheckTableKeepsURLsAndLabels(t *testing.T) {
	url := "https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-authentication-flows"
	for lang, fix := range map[assets.Lang]string{
		assets.EN: "Ask the administrator to exclude the app from the policy that blocks the device code flow, described at " + url +
			", then open [Properties] > [Connectivity] > [Protocols] > [SMTP Server] and sign in again.",
		assets.JA: "デバイスコードフローをブロックするポリシー(" + url + "を参照)から複合機のアプリを除外してもらい、" +
			"[ネットワーク] > [プロトコル設定] > [SMTP] を開いて [送信時の認証ユーザー] を確認してから再度サインインしてください。",
	} {
		rep := flow.Report{Checks: []flow.Check{{ID: "sign-in", Status: flow.Fail, Title: "Sign-in blocked by [Conditional Access] policy", Fix: fix}}}
		out := checkTable(t, lang, rep)
		if !strings.Contains(out, url) {
			t.Errorf("%s: the URL is not whole on one line:\n%s", lang, out)
		}
	}
}

// checkTable prints rep at 80 columns and checks every line; it returns
// the table.
func checkTable(t *testing.T, lang assets.Lang, rep flow.Report) string {
	t.Helper()
	var b bytes.Buffer
	printTable(&b, lang, rep, 80)
	out := b.String()
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		body := strings.TrimLeft(l, " ")
		command := strings.HasPrefix(l, strings.Repeat(" ", 27)) // an indented command
		if textwrap.Width(l) > 80 && !command && !strings.Contains(body, "://") {
			t.Errorf("%s: line wider than 80 columns (%d): %q", lang, textwrap.Width(l), l)
		}
		if strings.Count(l, "[") != strings.Count(l, "]") || strings.Count(l, "【") != strings.Count(l, "】") {
			t.Errorf("%s: a [label] is split across lines: %q", lang, l)
		}
	}
	// Each check's rows hold its title and fix, broken only where allowed.
	i := 0
	for _, c := range rep.Checks {
		for i < len(lines) && !strings.HasPrefix(lines[i], c.ID+" ") {
			i++
		}
		if i == len(lines) {
			t.Fatalf("%s: no row for %s:\n%s", lang, c.ID, out)
		}
		var cell []string
		cell = append(cell, lines[i][25:])
		for i++; i < len(lines) && strings.HasPrefix(lines[i], strings.Repeat(" ", 25)); i++ {
			cell = append(cell, lines[i][25:])
		}
		text := c.Title
		if c.Status == flow.Fail || c.Status == flow.Warn {
			text += "\n" + strings.TrimSpace(c.Fix)
		}
		if err := breaksOK(text, cell); err != nil {
			t.Errorf("%s: %s: %v\n%s", lang, c.ID, err, strings.Join(cell, "\n"))
		}
	}
	return out
}

// breaksOK: lines are text, in order, with nothing lost, each break at a
// space or a newline of text, or next to a full-width character.
func breaksOK(text string, lines []string) error {
	rest := text
	for n, l := range lines {
		if strings.HasPrefix(l, "  ") { // an indented command line of the fix
			l = strings.TrimLeft(l, " ")
		}
		rest = strings.TrimLeft(rest, " \n")
		if !strings.HasPrefix(rest, l) {
			return fmt.Errorf("line %d %q is not the next piece of the text (%q)", n, l, firstN(rest, 40))
		}
		rest = rest[len(l):]
		if n == len(lines)-1 || rest == "" || rest[0] == ' ' || rest[0] == '\n' {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(l)
		next, _ := utf8.DecodeRuneInString(rest)
		if textwrap.Width(string(prev)) < 2 && textwrap.Width(string(next)) < 2 {
			return fmt.Errorf("broken inside a word: %q | %q", l, firstN(rest, 20))
		}
	}
	if strings.TrimSpace(rest) != "" {
		return fmt.Errorf("text left over: %q", rest)
	}
	return nil
}

func firstN(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
