package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// scripts/no-executables.sh (run by .ci/run) passes on this repository and
// fails, naming each, on a repository that tracks a compiled program or a
// mode-755 file that is not a script.
func TestNoTrackedExecutable(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("the check needs git: %v", err)
	}
	script, _ := filepath.Abs("scripts/no-executables.sh")
	if err := exec.Command("git", "rev-parse", "--is-inside-work-tree").Run(); err == nil {
		if out, err := exec.Command("bash", script).CombinedOutput(); err != nil {
			t.Errorf("this repository tracks an executable: %v\n%s", err, out)
		}
	}
	dir := t.TempDir()
	files := map[string]struct {
		data string
		mode os.FileMode
	}{
		"prog":      {"\x7fELF\x02\x01", 0o644},
		"prog.exe":  {"MZ\x90\x00", 0o644},
		"tool":      {"plain text", 0o755},
		"run.sh":    {"#!/bin/sh\necho ok\n", 0o755},
		"README.md": {"# readme\n", 0o644},
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(f.data), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	out, err := exec.Command("bash", script, dir).CombinedOutput()
	if err == nil {
		t.Fatalf("the check passed a repository with programs in it:\n%s", out)
	}
	for _, name := range []string{"prog ", "prog.exe ", "tool "} {
		if !strings.Contains(string(out), name) {
			t.Errorf("the check does not name %s:\n%s", name, out)
		}
	}
	for _, name := range []string{"run.sh", "README.md"} {
		if strings.Contains(string(out), name) {
			t.Errorf("the check names %s, which is not a program:\n%s", name, out)
		}
	}
}
