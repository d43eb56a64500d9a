package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadFlagsExitTwoWithOneLine(t *testing.T) {
	cases := []struct {
		args []string
		want []string // in the message
	}{
		{[]string{"--lang", "xx"}, []string{"--lang", `"xx"`, "en, ja"}},
		{[]string{"--tenant", ""}, []string{"--tenant", `""`, "contoso.com"}},
		{[]string{"--tenant", "not a tenant"}, []string{"--tenant", "GUID"}},
		{[]string{"--ui", "foo"}, []string{"--ui", `"foo"`, "cwis", "is"}},
		{[]string{"--authority", "not-a-url"}, []string{"--authority", `"not-a-url"`, "https://"}},
		{[]string{"--authority", "http://login.example.com"}, []string{"--authority", "loopback", "https://"}},
		{[]string{"--account", "school"}, []string{"--account", "work, personal"}},
		{[]string{"--client-id", ""}, []string{"--client-id"}},
		{[]string{"--scenario", "nope", "--demo"}, []string{"--scenario", `"nope"`, "consent-required"}},
		{[]string{"--scenario", "declined"}, []string{"--scenario", "--demo"}},
		{[]string{"--ca-file", "/nonexistent/ca.pem"}, []string{"--ca-file", "/nonexistent/ca.pem"}},
		{[]string{"--no-such-flag"}, []string{"no-such-flag"}},
		{[]string{"stray"}, []string{`"stray"`}},
		{[]string{"demo-tenant", "--listen", "0.0.0.0:9000"}, []string{"--listen", "loopback"}},
		{[]string{"demo-tenant", "--scenario", "x"}, []string{"--scenario"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tc.args, &out, &errb)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, errb.String())
			}
			msg := errb.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "mfpmail: ") {
				t.Errorf("want one line starting with mfpmail:, got %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
				t.Errorf("stack trace in %q", msg)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--version"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "mfpmail ") || !strings.Contains(out.String(), "commit") {
		t.Errorf("version output %q", out.String())
	}
}

func TestHelpExitsZero(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--help"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "--demo") && !strings.Contains(errb.String(), "-demo") {
		t.Errorf("usage does not list --demo: %q", errb.String())
	}
}

func TestCheckBadInputExitsTwoBeforeNetwork(t *testing.T) {
	cases := [][]string{
		{"check", "--smtp-port", "0"},
		{"check", "--to", "not-an-address"},
		{"check", "--report", "/nonexistent/dir/r.md"},
		{"check", "--report", "report.txt"},
		{"check", "--from-policy", "maybe"},
		{"check", "--login-credentials", "both"},
		{"check", "--device-email", "x@"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			// The authority is a port nothing listens on: any network
			// attempt would show up as a sign-in failure (exit 1), not 2.
			code := run(append(args, "--authority", "https://127.0.0.1:9"), &out, &errb)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr %q", code, errb.String())
			}
			if strings.Count(errb.String(), "\n") != 1 || out.Len() != 0 {
				t.Errorf("want one line on stderr and nothing on stdout; got %q / %q", errb.String(), out.String())
			}
			flagName := args[1]
			if !strings.Contains(errb.String(), flagName) {
				t.Errorf("message %q does not name %s", errb.String(), flagName)
			}
		})
	}
}

// Every scenario, run by `check --demo --json`: the ok ones exit 0 with
// every check present and test-send passing; each failing one exits 1
// with its own check failing.
func TestCheckScenarios(t *testing.T) {
	cases := []struct {
		scenario string
		exit     int
		failing  string // a check that must fail ("" = none fails)
	}{
		{"ok", 0, ""},
		{"slow-down", 0, ""},
		{"consent-required", 1, "consent"},
		{"device-flow-blocked", 1, "sign-in"},
		{"declined", 1, "sign-in"},
		{"code-expired", 1, "sign-in"},
		{"upn-mismatch", 1, "device-email"},
		{"send-as-denied", 1, "sender-policy"},
		{"smtp-auth-disabled", 1, "smtp-auth"},
		{"no-starttls", 1, "test-send"},
		{"login-credentials-remote", 1, "login-credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			code := run([]string{"check", "--demo", "--json", "--scenario", tc.scenario}, &out, &errb)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d; stderr %s\nstdout %s", code, tc.exit, errb.String(), out.String())
			}
			var rep struct {
				Schema string `json:"schema"`
				Checks []struct {
					ID, Status, Title, Fix string
				} `json:"checks"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
			}
			if rep.Schema != "mfpmail.report/v1" {
				t.Errorf("schema %q", rep.Schema)
			}
			status := map[string]string{}
			for _, c := range rep.Checks {
				status[c.ID] = c.Status
			}
			for _, id := range []string{"network", "consent", "sign-in", "device-email", "sender-policy", "login-credentials", "smtp-auth", "test-send"} {
				if _, ok := status[id]; !ok {
					t.Errorf("check %s missing", id)
				}
			}
			if tc.failing == "" {
				if status["test-send"] != "pass" {
					t.Errorf("test-send %s", status["test-send"])
				}
				for id, st := range status {
					if st == "fail" {
						t.Errorf("%s failed", id)
					}
				}
			} else if status[tc.failing] != "fail" {
				t.Errorf("%s is %s, want fail (all: %v)", tc.failing, status[tc.failing], status)
			}
		})
	}
}

func TestCheckReportBothFormats(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"r.md", "r.json"} {
		p := filepath.Join(dir, name)
		var out, errb bytes.Buffer
		code := run([]string{"check", "--demo", "--report", p, "--from-policy", "locked", "--login-credentials", "system"}, &out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", name, code, errb.String(), out.String())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all := string(b) + out.String() + errb.String()
		for _, want := range []string{"scanner@contoso.com", "test-send", "<redacted>"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		// Issued tokens are JWTs ("eyJ…") or opaque "EwB…" strings.
		if strings.Contains(all, "eyJ") || strings.Contains(all, "EwB") {
			t.Errorf("%s: a token reached the output or the report", name)
		}
	}
}

func TestCheckSupportLogHoldsNoToken(t *testing.T) {
	p := filepath.Join(t.TempDir(), "support.log")
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--demo", "--log", p}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"msg=http", "msg=smtp", "msg=check", "<redacted>"} {
		if !strings.Contains(s, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if strings.Contains(s, "eyJ") || strings.Contains(s, "EwB") {
		t.Error("a token reached the support log")
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("log file mode %v, want 0600", st.Mode().Perm())
	}
}
