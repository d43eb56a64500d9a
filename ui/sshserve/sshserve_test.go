package sshserve

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGetenvAndNoColor(t *testing.T) {
	env := []string{"LANG=en_US.UTF-8", "TERM=vt100", "LANG=ja_JP.UTF-8"}
	get := Getenv(env, "xterm-256color")
	if got := get("LANG"); got != "ja_JP.UTF-8" {
		t.Errorf("LANG = %q, want the last one sent", got)
	}
	if got := get("TERM"); got != "xterm-256color" {
		t.Errorf("TERM = %q, want the pty request's", got)
	}
	if got := get("LC_ALL"); got != "" {
		t.Errorf("unset LC_ALL = %q", got)
	}
	// Wish gives each session the profile its TERM and COLORTERM call
	// for; NO_COLOR with any value (no-color.org) is added on top.
	for _, c := range []struct {
		env  []string
		want bool
	}{
		{nil, false},
		{[]string{"NO_COLOR=1"}, true},
		{[]string{"NO_COLOR=yes"}, true},
		{[]string{"NO_COLOR=0"}, true},
		{[]string{"NO_COLOR="}, false},
		{[]string{"NO_COLOR=1", "NO_COLOR="}, false},
	} {
		if got := noColor(c.env); got != c.want {
			t.Errorf("noColor(%v) = %v, want %v", c.env, got, c.want)
		}
	}
}

func TestCheckListen(t *testing.T) {
	for _, c := range []struct {
		listen, keys string
		ok           bool
	}{
		{"127.0.0.1:2222", "", true},
		{"[::1]:2222", "", true},
		{"localhost:2222", "", true},
		{"0.0.0.0:2222", "", false},
		{":2222", "", false},
		{"10.0.0.5:2222", "", false},
		{"10.0.0.5:2222", "keys", true},
		{"2222", "", false},
	} {
		err := CheckListen(c.listen, c.keys)
		if (err == nil) != c.ok {
			t.Errorf("CheckListen(%q, %q) = %v, want ok=%v", c.listen, c.keys, err, c.ok)
		}
		if err != nil && (strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--listen")) {
			t.Errorf("CheckListen(%q): %q is not one line naming --listen", c.listen, err)
		}
	}
}

// The host key is made once (ed25519, 0600) and reused, so its
// fingerprint stays the same; a key others may read is refused.
func TestHostKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "host")
	_, s1, created, err := LoadHostKey(path)
	if err != nil || !created {
		t.Fatalf("first start: created=%v err=%v", created, err)
	}
	if s1.PublicKey().Type() != "ssh-ed25519" {
		t.Errorf("key type %s, want ssh-ed25519", s1.PublicKey().Type())
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	_, s2, created, err := LoadHostKey(path)
	if err != nil || created {
		t.Fatalf("second start: created=%v err=%v", created, err)
	}
	if a, b := Fingerprint(s1.PublicKey()), Fingerprint(s2.PublicKey()); a != b || !strings.HasPrefix(a, "SHA256:") {
		t.Errorf("fingerprints %s and %s: want the same SHA256:…", a, b)
	}
	os.Chmod(path, 0o644)
	if _, _, _, err := LoadHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable key was accepted: %v", err)
	}
}

func TestAuthorizedKeys(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("# nobody yet\n\n"), 0o600)
	if _, err := LoadAuthorizedKeys(empty); err == nil {
		t.Errorf("a file without keys was accepted")
	}
	_, signer, _, err := LoadHostKey(filepath.Join(dir, "k"))
	if err != nil {
		t.Fatal(err)
	}
	line := "ssh-ed25519 " + strings.Fields(string(marshal(signer.PublicKey())))[1] + " someone\n"
	two := filepath.Join(dir, "two")
	os.WriteFile(two, []byte("# trainees\n"+line+"\n"+line), 0o600)
	keys, err := LoadAuthorizedKeys(two)
	if err != nil || len(keys) != 2 {
		t.Errorf("two keys: got %d, %v", len(keys), err)
	}
}

func TestCleanField(t *testing.T) {
	for in, want := range map[string]string{
		"alice":                 "alice",
		"../../etc/passwd":      ".._.._etc_passwd",
		"a\x1b[31mred":          "a__31mred",
		"":                      "-",
		strings.Repeat("x", 99): strings.Repeat("x", 32),
	} {
		if got := cleanField(in); got != want {
			t.Errorf("cleanField(%q) = %q, want %q", in, got, want)
		}
	}
}

func marshal(k interface{ Marshal() []byte }) []byte {
	return []byte("ssh-ed25519 " + base64.StdEncoding.EncodeToString(k.Marshal()))
}
