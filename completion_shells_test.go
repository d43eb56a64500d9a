package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mfpmail/demo"
)

// completionScript writes `mfpmail completion SHELL` to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out bytes.Buffer
	if code := run([]string{"completion", shell}, &out, io.Discard); code != 0 {
		t.Fatalf("completion %s: exit %d", shell, code)
	}
	f := filepath.Join(t.TempDir(), "mfpmail."+shell)
	if err := os.WriteFile(f, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// The fish script, loaded as the README says, completes the demo
// scenarios and a device answer's values from the real binary: fish's own
// `complete -C` asks it what Tab would offer.
func TestCompletionFish(t *testing.T) {
	fish := needTool(t, "fish", "the fish completion test")
	bin := binary(t)
	script := completionScript(t, "fish")
	ask := func(line string) string {
		cmd := exec.Command(fish, "--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		return string(out)
	}
	got := ask("mfpmail check --scenario ")
	for _, sc := range demo.Scenarios {
		if !strings.Contains(got, string(sc)+"\n") {
			t.Errorf("Tab after --scenario lacks %s:\n%s", sc, got)
		}
	}
	got = ask("mfpmail check --device-scan ")
	for _, v := range []string{"yes", "no", "not-tried"} {
		if !strings.Contains(got, v+"\t") {
			t.Errorf("Tab after --device-scan lacks %s:\n%s", v, got)
		}
	}
}

// The zsh script, loaded as the README says (compinit, then the script),
// completes the demo scenarios when Tab is pressed in an interactive zsh:
// a real zsh in a private tmux server, keys typed as a technician types
// them.
func TestCompletionZsh(t *testing.T) {
	needTmux(t)
	zsh := needTool(t, "zsh", "the zsh completion test")
	bin := binary(t)
	script := completionScript(t, "zsh")
	home := t.TempDir()
	rc := fmt.Sprintf("path=(%s $path)\nautoload -U compinit && compinit -u -d %s\nsource %s\nPS1='> '\n",
		shq(filepath.Dir(bin)), shq(filepath.Join(home, ".zcompdump")), shq(script))
	if err := os.WriteFile(filepath.Join(home, ".zshrc"), []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := fmt.Sprintf("mfpmail-zsh-%d", os.Getpid())
	tmux := func(args ...string) string {
		cmd := exec.Command("tmux", append([]string{"-u", "-f", "/dev/null", "-L", sock}, args...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8", "TERM=xterm-256color"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	t.Cleanup(func() {
		cmd := exec.Command("tmux", "-f", "/dev/null", "-L", sock, "kill-server")
		_ = cmd.Run()
	})
	// An empty working directory: were the script not used, zsh would
	// offer file names, and there are none.
	tmux("new-session", "-d", "-s", "z", "-x", "100", "-y", "30", "-c", t.TempDir(),
		"-e", "ZDOTDIR="+home, zsh+" -i")
	wait := func(what string, ok func(string) bool) string {
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := tmux("capture-pane", "-p", "-t", "z")
			if ok(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not appear within 20s; the screen:\n%s", what, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	wait("the prompt", func(s string) bool { return strings.HasPrefix(s, ">") })
	tmux("send-keys", "-t", "z", "mfpmail check --scenario ", "Tab")
	wait("every scenario after Tab", func(s string) bool {
		for _, sc := range demo.Scenarios {
			if !strings.Contains(s, string(sc)) {
				return false
			}
		}
		return true
	})
}
