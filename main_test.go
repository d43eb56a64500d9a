package main

import (
	"bytes"
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
