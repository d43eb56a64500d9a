package main

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mfpmail/internal/reportschema"
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
		{[]string{"--device-host", "printer 3f"}, []string{"--device-host", `"printer 3f"`, "IP address", "host name"}},
		{[]string{"--site", "a\nb"}, []string{"--site", "one line"}},
		{[]string{"--technician", strings.Repeat("x", 121)}, []string{"--technician", "120 characters"}},
		{[]string{"--device-model", "M\x1b[31m"}, []string{"--device-model", "printable"}},
		{[]string{"nope"}, []string{`"nope"`, "check", "demo-tenant", "help"}},
		{[]string{"check", "--device-signed-in", "maybe"}, []string{"--device-signed-in", `"maybe"`, "yes, no"}},
		{[]string{"check", "--device-signed-in", "not-tried"}, []string{"--device-signed-in", "yes, no"}},
		{[]string{"check", "--device-scan", "sent"}, []string{"--device-scan", `"sent"`, "yes, no, not-tried"}},
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

// --help, help and SUBCOMMAND --help come from the command table: the
// overview lists every subcommand, a subcommand's help its synopsis,
// flags and exit statuses; all on stdout, exit 0.
func TestHelp(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"Usage: mfpmail [flags]", "mfpmail check [flags]", "mfpmail demo-tenant [flags]",
			"mfpmail help [COMMAND]", "mfpmail completion", "mfpmail version", "--demo", "--device-model", "--site", "--technician", "Exit status:"}},
		{[]string{"-h"}, []string{"Usage: mfpmail [flags]", "mfpmail check"}},
		{[]string{"help"}, []string{"Usage: mfpmail [flags]", "mfpmail check"}},
		{[]string{"check", "--help"}, []string{"Usage: mfpmail check [flags]", "--json", "--report", ".html", "--timeout",
			"--device-serial", "--device-host", "Exit status:", "0  ready: every check passed", "3  the account (and a work account's tenant) is ready", "1  a check failed", "2  bad input"}},
		{[]string{"help", "check"}, []string{"Usage: mfpmail check [flags]", "--json", "Exit status:", "1  a check failed"}},
		{[]string{"demo-tenant", "--help"}, []string{"Usage: mfpmail demo-tenant [flags]", "--listen", "--ca-out", "Exit status:"}},
		{[]string{"help", "help"}, []string{"Usage: mfpmail help [COMMAND]"}},
		{[]string{"-help"}, []string{"Usage: mfpmail [flags]"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tc.args, &out, &errb); code != 0 {
				t.Fatalf("exit %d; stderr %q", code, errb.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("help lacks %q:\n%s", w, out.String())
				}
			}
			if strings.HasPrefix(strings.Join(tc.args, " "), "check") && strings.Contains(out.String(), "Subcommands:") {
				t.Error("check's help lists the subcommands instead of its own")
			}
		})
	}
	// Every command's help is the same whichever way it is asked for.
	for _, c := range newRoot(nil, io.Discard, io.Discard).Commands() {
		var a, b, e bytes.Buffer
		run([]string{c.Name(), "--help"}, &a, &e)
		run([]string{"help", c.Name()}, &b, &e)
		if a.String() != b.String() || !strings.Contains(a.String(), "Usage: mfpmail "+c.Name()) {
			t.Errorf("mfpmail %[1]s --help and mfpmail help %[1]s differ:\n%[2]s\n----\n%[3]s", c.Name(), a.String(), b.String())
		}
	}
}

// Every row of the command table is reachable by name and named in the
// overview; an unknown subcommand names them all, in one line, exit 2.
func TestUnknownSubcommandListsAll(t *testing.T) {
	for _, args := range [][]string{{"nope"}, {"help", "nope"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Fatalf("%v: exit %d, want 2", args, code)
		}
		msg := errb.String()
		if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, `"nope"`) {
			t.Errorf("%v: want one line naming \"nope\", got %q", args, msg)
		}
		var over bytes.Buffer
		run([]string{"--help"}, &over, &errb)
		root := newRoot(nil, io.Discard, io.Discard)
		for _, c := range root.Commands() {
			if !strings.Contains(msg, c.Name()) {
				t.Errorf("%v: the message does not list %s: %q", args, c.Name(), msg)
			}
			if !strings.Contains(over.String(), c.UseLine()) {
				t.Errorf("the overview does not list %s", c.UseLine())
			}
			if got, _, err := root.Find([]string{c.Name()}); err != nil || got != c {
				t.Errorf("%s is not dispatched", c.Name())
			}
		}
	}
}

func TestVersionStamped(t *testing.T) {
	defer func(v, c string) { version, commit = v, c }(version, commit)
	version, commit = "0.2.0", "0123456789abcdef"
	for _, args := range [][]string{{"--version"}, {"check", "--version"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 0 {
			t.Fatalf("exit %d", code)
		}
		if got := out.String(); got != "mfpmail 0.2.0 (commit 0123456789ab)\n" {
			t.Errorf("%v: %q", args, got)
		}
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
		{"check", "--device-serial", "a\tb"},
		{"check", "--report", "report.pdf"},
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

// Every scenario, run by `check --demo --json` without the device's
// answers: the ok ones exit 3 (the account and the tenant are ready, not
// confirmed on the device) with every check present and test-send
// passing; each failing one exits 1 with its own check failing.
func TestCheckScenarios(t *testing.T) {
	cases := []struct {
		scenario string
		exit     int
		failing  string // a check that must fail ("" = none fails)
	}{
		{"ok", 3, ""},
		{"slow-down", 3, ""},
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
			reportschema.Check(t, out.Bytes())
			if rep.Schema != "mfpmail.report/v2" {
				t.Errorf("schema %q", rep.Schema)
			}
			status := map[string]string{}
			for _, c := range rep.Checks {
				status[c.ID] = c.Status
			}
			for _, id := range []string{"network", "consent", "sign-in", "device-sign-in", "device-email", "sender-policy",
				"login-credentials", "smtp-auth", "test-send", "device-scan"} {
				if _, ok := status[id]; !ok {
					t.Errorf("check %s missing", id)
				}
			}
			for _, id := range []string{"device-sign-in", "device-scan"} {
				if status[id] == "pass" {
					t.Errorf("%s passed without an answer", id)
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

func TestCheckReportEveryFormat(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"r.md", "r.json", "r.html"} {
		var out, errb bytes.Buffer
		code := run([]string{"check", "--demo", "--approve-after", "1s", "--report", name, "--from-policy", "locked", "--login-credentials", "system",
			"--device-signed-in", "yes", "--device-scan", "yes",
			"--device-model", "Apeos C3060", "--device-serial", "341234", "--device-host", "192.0.2.44",
			"--site", "Contoso HQ 3F", "--technician", "Hanako Sato"}, &out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", name, code, errb.String(), out.String())
		}
		p := filepath.Join(dir, name)
		// The report is named by its absolute path.
		if !strings.Contains(errb.String(), "Report written: "+p+"\n") {
			t.Errorf("%s: stderr does not name %s: %q", name, p, errb.String())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".json") {
			reportschema.Check(t, b)
		}
		all := string(b) + out.String() + errb.String()
		for _, want := range []string{"scanner@contoso.com", "test-send", "Apeos C3060", "341234", "192.0.2.44", "Contoso HQ 3F", "Hanako Sato"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		if !strings.Contains(string(b), "<redacted>") && !strings.Contains(string(b), "&lt;redacted&gt;") {
			t.Errorf("%s lacks the redacted transcript", name)
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
	if code := run([]string{"check", "--demo", "--approve-after", "1s", "--log", p}, &out, &errb); code != 3 { // not confirmed on the device
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

// The check subcommand's code uses no ui identifier: terminal facts and
// QR drawing come from ui/termfacts and ui/qrtext, the demo's plumbing
// from flow.
func TestCheckPathUsesNoUI(t *testing.T) {
	fset := token.NewFileSet()
	var decls []ast.Decl
	for _, name := range []string{"check.go", "root.go"} {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		decls = append(decls, f.Decls...)
	}
	checkFuncs := map[string]bool{"runCheck": true, "newCheck": true, "options": true, "demoRun": true,
		"writeReport": true, "printSignIn": true, "printTable": true, "newCheckCmd": true,
		"simConfig": true, "startSimulation": true}
	seen := 0
	for _, d := range decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || !checkFuncs[fn.Name.Name] {
			continue
		}
		seen++
		ast.Inspect(fn, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "ui" {
					t.Errorf("%s uses ui.%s (%s)", fn.Name.Name, sel.Sel.Name, fset.Position(sel.Pos()))
				}
			}
			return true
		})
	}
	if seen != len(checkFuncs) {
		t.Errorf("found %d of the %d check functions; the list is out of date", seen, len(checkFuncs))
	}
}

// The device's answers as flags decide check's verdict, its words and its
// exit status: the reproduction (the device's sign-in failed)
// never yields "ready", and no answer is "not confirmed on the device".
func TestCheckDeviceAnswers(t *testing.T) {
	locked := []string{"--from-policy", "locked", "--login-credentials", "system"}
	cases := []struct {
		name    string
		args    []string
		exit    int
		verdict string
		words   string
	}{
		{"no answers", locked, 3, "account-ready", "not confirmed on the device yet: its own sign-in and its own scan to email"},
		{"signed in, scan not tried", append([]string{"--device-signed-in", "yes", "--device-scan", "not-tried"}, locked...), 3, "account-ready",
			"not confirmed on the device yet: its own scan to email."},
		{"sign-in failed (the reproduction)", append([]string{"--device-signed-in", "no"}, locked...), 1, "failed", "Failed: at least one check failed"},
		{"scan did not arrive", append([]string{"--device-signed-in", "yes", "--device-scan", "no"}, locked...), 1, "failed", "Failed:"},
		{"ready", append([]string{"--device-signed-in", "yes", "--device-scan", "yes"}, locked...), 0, "ready", "Ready: every check passed"},
		{"ready, settings unanswered", []string{"--device-signed-in", "yes", "--device-scan", "yes"}, 5, "warned", "Ready, with warnings"},
		// A personal account has no tenant to manage: the account alone is ready.
		{"personal, scan not answered", append([]string{"--account", "personal", "--device-signed-in", "yes"}, locked...), 3, "account-ready",
			"The account is ready, but not confirmed on the device yet: its own scan to email."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, asJSON := range []bool{false, true} {
				args := append([]string{"check", "--demo", "--approve-after", "1s", "--lang", "en"}, tc.args...)
				if asJSON {
					args = append(args, "--json")
				}
				var out, errb bytes.Buffer
				if code := run(args, &out, &errb); code != tc.exit {
					t.Fatalf("%v: exit %d, want %d\n%s\n%s", args, code, tc.exit, errb.String(), out.String())
				}
				// The table wraps at 80 columns: compare the words.
				if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), tc.words) {
					t.Errorf("json=%v: output lacks %q:\n%s", asJSON, tc.words, out.String())
				}
				if asJSON {
					reportschema.Check(t, out.Bytes())
				}
				if asJSON && !strings.Contains(out.String(), `"verdict": "`+tc.verdict+`"`) {
					t.Errorf("JSON verdict is not %s:\n%s", tc.verdict, out.String())
				}
				if tc.verdict != "ready" && strings.Contains(out.String(), "Ready: every check passed") {
					t.Errorf("claims ready:\n%s", out.String())
				}
			}
		})
	}
}
