package flow_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mfpmail/flow"
)

func TestOpenLog(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.log")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, err := flow.OpenLog(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("symlink: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("target written: %q", b)
	}
	if _, err := flow.OpenLog(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	if _, err := flow.OpenLog(filepath.Join(dir, "no", "such", "x.log")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing directory: %v", err)
	}
	old := filepath.Join(dir, "old.log")
	if err := os.WriteFile(old, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := flow.OpenLog(old)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	f.Close()
	st, _ := os.Stat(old)
	if b, _ := os.ReadFile(old); string(b) != "new" || st.Mode().Perm() != 0o600 {
		t.Errorf("existing log: %q mode %v", b, st.Mode().Perm())
	}
}

func TestCheckReportPathRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "d.md"), 0o700)
	for _, p := range []string{filepath.Join(dir, "d.md"), filepath.Join(dir, strings.Repeat("x", 300)+".json"), dir + "/"} {
		if err := flow.CheckReportPath(p); err == nil || !strings.HasPrefix(err.Error(), "--report") {
			t.Errorf("%s: %v", p, err)
		}
	}
	if err := flow.CheckReportPath(filepath.Join(dir, "ok.md")); err != nil {
		t.Errorf("ok.md: %v", err)
	}
}

func TestFlagValuesRefused(t *testing.T) {
	for _, u := range []string{"https://u:p@login.example.com", "https://u@login.example.com"} {
		err := flow.ValidateURL("authority", u)
		if err == nil || !strings.Contains(err.Error(), "user info") || strings.Contains(err.Error(), ":p@") {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, v := range []string{"a\r\nBcc: x@y", "a\nb", "a\rb", "a\x1b]0;x\x07", "a\u202eb", "a\u0085b"} {
		if err := flow.ValidateHeaderValue("sender-name", v); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
	for _, v := range []string{"", "Scanner 3F", "複合機 3階"} {
		if err := flow.ValidateHeaderValue("sender-name", v); err != nil {
			t.Errorf("%q: %v", v, err)
		}
	}
}
