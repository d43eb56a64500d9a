package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mfpmail/demo"
	"mfpmail/ui/sshserve"
)

// The completion scripts: the bash one loads in bash and, driven as bash
// drives it on Tab, completes the demo scenarios from the real binary;
// every shell gets a script naming the program.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range shells {
		var out, errb bytes.Buffer
		if code := run([]string{"completion", sh}, &out, &errb); code != 0 || !strings.Contains(out.String(), "mfpmail") {
			t.Errorf("completion %s: exit %d, %d bytes; stderr %q", sh, code, out.Len(), errb.String())
		}
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash is needed to load the bash completion: %v", err)
	}
	bin := binary(t)
	script := filepath.Join(t.TempDir(), "mfpmail.bash")
	var out bytes.Buffer
	run([]string{"completion", "bash"}, &out, io.Discard)
	if err := os.WriteFile(script, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	// Tab after "mfpmail check --scenario ": the completion function calls
	// the program named by the first word, as bash would. The script reads
	// the words with the bash-completion package's _get_comp_words_by_ref;
	// where that package is not installed, a minimal one stands in.
	drive := `if [ -r /usr/share/bash-completion/bash_completion ]; then source /usr/share/bash-completion/bash_completion; fi
declare -F _get_comp_words_by_ref >/dev/null || _get_comp_words_by_ref() {
  cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
source "$1" && complete -p mfpmail >/dev/null &&
COMP_WORDS=("$2" check --scenario "") && COMP_CWORD=3 && COMP_LINE="$2 check --scenario " && COMP_POINT=${#COMP_LINE} &&
__start_mfpmail && printf '%s\n' "${COMPREPLY[@]}"`
	got, err := exec.Command(bash, "--norc", "--noprofile", "-c", drive, "bash", script, bin).CombinedOutput()
	if err != nil {
		t.Fatalf("the bash completion did not load or run: %v\n%s", err, got)
	}
	for _, sc := range demo.Scenarios {
		if !strings.Contains(string(got), string(sc)+"\n") {
			t.Errorf("Tab after --scenario lacks %s:\n%s", sc, got)
		}
	}
}

// __complete, which every shell's script calls, lists the values of the
// flags that have a fixed set, in every command that has them.
func TestCompleteFlagValues(t *testing.T) {
	var scenarios []string
	for _, s := range demo.Scenarios {
		scenarios = append(scenarios, string(s))
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"check", "--scenario", ""}, scenarios},
		{[]string{"--scenario", ""}, scenarios},
		{[]string{"demo-tenant", "--scenario", ""}, scenarios},
		{[]string{"serve", "--scenario", "s"}, scenarios},
		{[]string{"--lang", ""}, []string{"en", "ja"}},
		{[]string{"check", "--ui", ""}, []string{"cwis", "is"}},
		{[]string{"serve", "--account", ""}, []string{"work", "personal"}},
		{[]string{"help", ""}, []string{"check", "serve", "demo-tenant", "completion", "version"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"ch"}, []string{"check"}},
	} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"__complete"}, tc.args...), &out, &errb); code != 0 {
			t.Errorf("__complete %q: exit %d: %s", tc.args, code, errb.String())
		}
		values := map[string]bool{}
		for _, l := range strings.Split(out.String(), "\n") {
			v, _, _ := strings.Cut(l, "\t")
			values[v] = true
		}
		for _, w := range tc.want {
			if !values[w] {
				t.Errorf("__complete %q lacks %s:\n%s", tc.args, w, out.String())
			}
		}
	}
}

// --version and version print the same line.
func TestVersionCommandAgrees(t *testing.T) {
	var a, b bytes.Buffer
	if run([]string{"--version"}, &a, io.Discard) != 0 || run([]string{"version"}, &b, io.Discard) != 0 {
		t.Fatal("a version command failed")
	}
	if a.String() != b.String() || !strings.HasPrefix(a.String(), "mfpmail ") {
		t.Errorf("--version %q, version %q", a.String(), b.String())
	}
}

// Mistakes get one line with a suggestion, exit 2.
func TestUsageSuggests(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"chek"}, "did you mean check?"},
		{[]string{"help", "serv"}, "did you mean serve?"},
		{[]string{"--scenari", "ok"}, "did you mean --scenario?"},
		{[]string{"check", "--jsno"}, "did you mean --json?"},
		{[]string{"-demo"}, "two dashes: --demo"},
		{[]string{"serve", "--max-sessions", "many"}, `--max-sessions "many": give a whole number`},
		{[]string{"check", "--timeout", "soon"}, `--timeout "soon": give a duration`},
		{[]string{"--lang"}, "--lang needs a value: language of the texts: en or ja"},
		{[]string{"completion", "tcsh"}, `completion "tcsh": allowed shells are bash, zsh, fish, powershell`},
		{[]string{"version", "now"}, `unexpected argument "now"`},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		msg := errb.String()
		if code != 2 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, tc.want) {
			t.Errorf("%q: exit %d, %q; want 2 and one line with %q", tc.args, code, msg, tc.want)
		}
	}
}

// Started without a terminal (stdin from nothing, stdout a pipe), the
// wizard says in one line that it needs one and that check runs without,
// exit 2; --version still works there.
func TestNoTerminal(t *testing.T) {
	bin := binary(t)
	for _, lang := range []string{"en", "ja"} {
		cmd := exec.Command(bin, "--demo", "--lang", lang)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		msg := errb.String()
		if !ok || ee.ExitCode() != 2 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "mfpmail check") {
			t.Errorf("%s: %v, %q; want exit 2 and one line naming mfpmail check", lang, err, msg)
		}
		if strings.Contains(msg, "/dev/tty") || out.Len() != 0 {
			t.Errorf("%s: raw error or output: %q / %q", lang, msg, out.String())
		}
	}
	if out, err := exec.Command(bin, "--version").Output(); err != nil || !strings.HasPrefix(string(out), "mfpmail ") {
		t.Errorf("--version without a terminal: %q, %v", out, err)
	}
}

// A port in use: one line naming the port and what to do, exit 1, and
// serve creates nothing (no host key, no reports folder).
func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"serve", "--listen", addr, "--host-key", filepath.Join(dir, "hk"), "--reports-dir", filepath.Join(dir, "reports")},
		{"demo-tenant", "--listen", addr},
		{"demo-tenant", "--smtp-listen", addr, "--ca-out", filepath.Join(dir, "ca.pem")},
	} {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		msg := errb.String()
		if code != 1 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "port "+port+" is already in use") ||
			!strings.Contains(msg, "give another port") {
			t.Errorf("%q: exit %d, %q; want 1 and one line naming port %s and what to do", args, code, msg, port)
		}
		if strings.Contains(msg, "bind:") {
			t.Errorf("%q: the raw bind error: %q", args, msg)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("a start refused for its port created %v", left)
	}
}

// A refused serve (exit 2) leaves the current folder as it was: no
// mfpmail-reports, no host key.
func TestServeRefusedCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, bad := range [][]string{
		{"--max-sessions", "0"},
		{"--listen", "0.0.0.0:0"},
		{"--lang", "xx"},
		{"--grace", "-1s"},
	} {
		var errb bytes.Buffer
		args := append([]string{"serve", "--host-key", filepath.Join(dir, "hk")}, bad...)
		if code := run(args, io.Discard, &errb); code != 2 {
			t.Errorf("serve %q: exit %d, want 2 (%s)", bad, code, errb.String())
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("refused starts created %v", left)
	}
	os.WriteFile(filepath.Join(dir, "afile"), nil, 0o600)
	var errb bytes.Buffer
	if code := run([]string{"serve", "--reports-dir", "afile/reports", "--host-key", filepath.Join(dir, "hk")}, io.Discard, &errb); code != 2 ||
		!strings.Contains(errb.String(), "--reports-dir") {
		t.Errorf("reports folder under a file: exit %d, %q", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "hk")); err == nil {
		t.Error("a refused start created the host key")
	}
}

// "Connect with" names the port and host the server really listens on;
// the reports folder is made once the server listens.
func TestServeConnectLine(t *testing.T) {
	dir := t.TempDir()
	reports := filepath.Join(dir, "new", "reports")
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	var port string
	err := serveUntil(ctx, []string{"--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "hk"), "--reports-dir", reports},
		&out, io.Discard, func(srv *sshserve.Server) {
			_, port, _ = net.SplitHostPort(srv.Addr())
			cancel()
		})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Connect with: ssh -t -p " + port + " localhost "; !strings.Contains(out.String(), want) {
		t.Errorf("no %q in:\n%s", want, out.String())
	}
	if st, err := os.Stat(reports); err != nil || !st.IsDir() {
		t.Errorf("the reports folder was not made: %v", err)
	}
	host, _ := os.Hostname()
	for addr, want := range map[string][3]string{
		"127.0.0.1:2222": {"localhost", "2222", ""},
		"[::1]:2223":     {"localhost", "2223", ""},
		"0.0.0.0:2224":   {host, "2224", "all of this machine's addresses"},
		"[::]:2225":      {host, "2225", "all of this machine's addresses"},
		"192.0.2.7:22":   {"192.0.2.7", "22", ""},
	} {
		h, p, note := connectTo(addr)
		if h != want[0] || p != want[1] || !strings.Contains(note, want[2]) || (want[2] == "") != (note == "") {
			t.Errorf("%s: %q %q %q, want %q", addr, h, p, note, want)
		}
	}
}
