package smtpcheck

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/demo"
)

// fakeTenant is a tiny demo.TokenValidator: token → info.
type fakeTenant map[string]demo.TokenInfo

func (f fakeTenant) ValidateAccessToken(tok string) (demo.TokenInfo, bool) {
	info, ok := f[tok]
	return info, ok
}

// Tokens: a short one (sent inline with AUTH) and one the size of a real
// Entra token: longer than the 504 characters go-smtp puts on the AUTH
// line, so it is sent on its own line after an empty 334.
var (
	tokShort  = "tok-scanner-" + strings.Repeat("s", 40)
	tokLong   = "eyJ0eXAiOiJKV1QiLCJub25jZSI6IkFRQUJBQUFBQUFB." + strings.Repeat("L", 2400) + ".sig"
	tokCopier = "tok-copier-" + strings.Repeat("c", 40)
)

func tenant() fakeTenant {
	info := func(upn string) demo.TokenInfo {
		return demo.TokenInfo{UPN: upn, TenantID: demo.TenantID, Scopes: []string{"SMTP.Send"},
			Audience: "https://outlook.office.com", Expiry: time.Now().Add(time.Hour)}
	}
	return fakeTenant{
		tokShort:  info("scanner@contoso.com"),
		tokLong:   info("scanner@contoso.com"),
		tokCopier: info("copier@contoso.com"),
	}
}

var testCAs = sync.OnceValues(func() ([2]*demo.CA, error) {
	a, err := demo.NewCA()
	if err != nil {
		return [2]*demo.CA{}, err
	}
	b, err := demo.NewCA()
	return [2]*demo.CA{a, b}, err
})

// cas: the server's CA and another the client may wrongly trust.
func cas(t *testing.T) (server, other *demo.CA) {
	t.Helper()
	c, err := testCAs()
	if err != nil {
		t.Fatal(err)
	}
	return c[0], c[1]
}

func startServer(t *testing.T, o demo.SMTPOptions) *demo.SMTPServer {
	t.Helper()
	o.Validator = tenant()
	o.CA, _ = cas(t)
	s, err := demo.StartSMTP(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// recorder is a TCP proxy in front of a server that keeps every byte the
// client sent, to prove what reached the server.
type recorder struct {
	ln   net.Listener
	mu   sync.Mutex
	sent bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent.Write(b)
}

func (r *recorder) bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.sent.Bytes()...)
}

func record(t *testing.T, upstream string) (*recorder, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{ln: ln}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(io.MultiWriter(up, r), c); up.Close() }()
			go func() { defer wg.Done(); io.Copy(c, up); c.Close() }()
		}
	}()
	return r, ln.Addr().(*net.TCPAddr).Port
}

var fixedNow = time.Date(2026, 11, 30, 10, 45, 7, 123e6, time.FixedZone("JST", 9*3600))

func options(port int, token string) Options {
	server, _ := testCAs()
	return Options{
		Host:           "127.0.0.1",
		Port:           port,
		RootCAs:        server[0].Pool(),
		User:           "scanner@contoso.com",
		Token:          token,
		To:             []string{"it@contoso.com"},
		DeviceEmail:    "scanner@contoso.com",
		WizardVersion:  "0.9.0-test",
		CommandTimeout: 5 * time.Second,
		DialTimeout:    5 * time.Second,
		Lang:           assets.EN,
		Now:            func() time.Time { return fixedNow },
	}
}

func texts(res Result) []string {
	out := make([]string, len(res.Transcript))
	for i, l := range res.Transcript {
		out[i] = l.Dir.String() + ": " + l.Text
	}
	return out
}

// wantInOrder: each wanted line appears, in this order (prefix match).
func wantInOrder(t *testing.T, res Result, want ...string) {
	t.Helper()
	got := texts(res)
	i := 0
	for _, g := range got {
		if i < len(want) && strings.HasPrefix(g, want[i]) {
			i++
		}
	}
	if i < len(want) {
		t.Fatalf("transcript lacks %q (in order); got:\n%s", want[i], strings.Join(got, "\n"))
	}
}

func noLine(t *testing.T, res Result, prefix string) {
	t.Helper()
	for _, g := range texts(res) {
		if strings.HasPrefix(g, prefix) {
			t.Fatalf("transcript has %q", g)
		}
	}
}

// secretFree: neither the token nor the XOAUTH2 response (which holds it in
// base64) appears in any line or anywhere in the Result.
func secretFree(t *testing.T, res Result, o Options) {
	t.Helper()
	ir := xoauth2Response(o.User, o.Token)
	secrets := []string{o.Token, base64.StdEncoding.EncodeToString(ir), o.Token[:24]}
	for _, l := range res.Transcript {
		for _, s := range secrets {
			if strings.Contains(l.String(), s) {
				t.Fatalf("token in transcript line %q", l)
			}
		}
	}
	all := fmt.Sprintf("%+v %v %#v", res, res.Err, res.Diagnosis)
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Fatalf("token in the Result")
		}
	}
}

func TestSendSuccess(t *testing.T) {
	for _, tc := range []struct {
		name, token string
		auth        []string
	}{
		{"inline initial response", tokShort, []string{"C: AUTH XOAUTH2 <redacted>", "S: 235 2.0.0"}},
		{"real-size token after 334", tokLong, []string{"C: AUTH XOAUTH2", "S: 334", "C: <redacted>", "S: 235 2.0.0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, demo.SMTPOptions{})
			o := options(srv.Port(), tc.token)
			var live []Line
			o.OnLine = func(l Line) { live = append(live, l) }
			res := Send(context.Background(), o)
			if !res.Delivered || res.Stage != StageQuit || res.Diagnosis.ID != IDOK || !res.Diagnosis.OK || res.Err != nil {
				t.Fatalf("result %+v\n%s", res.Diagnosis, strings.Join(texts(res), "\n"))
			}
			if res.Reply == nil || res.Reply.Code != 250 || res.Reply.Enhanced != [3]int{2, 0, 0} || !strings.HasPrefix(res.Reply.Text, "OK <") {
				t.Errorf("reply %+v", res.Reply)
			}
			if res.TLSVersion != "TLS 1.3" {
				t.Errorf("TLS version %q", res.TLSVersion)
			}
			if res.Challenge != "" {
				t.Errorf("challenge %q", res.Challenge)
			}
			want := []string{
				"*: connecting to 127.0.0.1:",
				"S: 220 SN2PR00CA0018.outlook.office365.com ESMTP", // the plain-text part is there
				"C: EHLO localhost",
				"S: 250-Hello localhost",
				"S: 250-STARTTLS",
				"C: STARTTLS",
				"S: 220 2.0.0",
				"*: TLS 1.3",
				"C: EHLO mfpmail.localhost",
				"S: 250-AUTH LOGIN XOAUTH2",
			}
			want = append(want, tc.auth...)
			want = append(want,
				"C: MAIL FROM:<scanner@contoso.com>",
				"S: 250 2.0.0",
				"C: RCPT TO:<it@contoso.com>",
				"S: 250 2.0.0",
				"C: DATA",
				"S: 354",
				"C: From: scanner@contoso.com",
				"C: Subject: mfpmail test message",
				"*: (",
				"C: .",
				"S: 250 2.0.0 OK <",
				"*: the server accepted",
				"C: QUIT",
				"S: 221",
			)
			wantInOrder(t, res, want...)
			noLine(t, res, "C: If you can read this") // the body is summarised
			secretFree(t, res, o)
			if len(live) != len(res.Transcript) {
				t.Errorf("OnLine saw %d lines, transcript has %d", len(live), len(res.Transcript))
			}
			if got := res.Transcript[0].String(); !strings.HasPrefix(got, "10:45:07.123 *: connecting to ") {
				t.Errorf("line format %q", got)
			}

			msgs := srv.Messages()
			if len(msgs) != 1 {
				t.Fatalf("%d messages stored", len(msgs))
			}
			m := string(msgs[0].Data)
			for _, want := range []string{
				"Subject: mfpmail test message\r\n", "From: scanner@contoso.com\r\n", "To: it@contoso.com\r\n",
				"Date: Mon, 30 Nov 2026 10:45:07 +0900\r\n", "Message-ID: <mfpmail.", "@contoso.com>\r\n",
				"2026-11-30 10:45:07 +0900", "Device email address: scanner@contoso.com", "127.0.0.1",
				"Wizard version: 0.9.0-test", "setup wizard", "No reply is needed",
			} {
				if !strings.Contains(m, want) {
					t.Errorf("message lacks %q:\n%s", want, m)
				}
			}
			if strings.Contains(strings.ReplaceAll(m, "\r\n", ""), "\n") {
				t.Error("message has bare LF line endings")
			}
		})
	}
}

func TestSendJapanese(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{})
	o := options(srv.Port(), tokShort)
	o.Lang = assets.JA
	res := Send(context.Background(), o)
	if !res.Delivered || res.Diagnosis.Title != assets.T(assets.JA, "smtp.diag.ok.title") {
		t.Fatalf("%+v", res.Diagnosis)
	}
	wantInOrder(t, res, "*: 127.0.0.1:", "C: Subject: =?UTF-8?q?mfpmail_")
	m := string(srv.Messages()[0].Data)
	if !strings.Contains(m, "Content-Transfer-Encoding: quoted-printable") || !strings.Contains(m, "This is a test message") {
		t.Errorf("message:\n%s", m)
	}
	if d := res.DiagnosisIn(assets.EN); d.Title != "Test message sent" {
		t.Errorf("DiagnosisIn(en) = %q", d.Title)
	}
}

func TestSendWrongUser(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{})
	o := options(srv.Port(), tokShort)
	o.User = "lobby.printer@contoso.com" // not the UPN the token was issued to
	res := Send(context.Background(), o)
	if res.Delivered || res.Stage != StageAuth || res.Diagnosis.ID != IDAuthFailed || res.Diagnosis.Who != WhoTechnician {
		t.Fatalf("stage %s diagnosis %+v", res.Stage, res.Diagnosis)
	}
	if res.Reply == nil || res.Reply.Code != 535 || res.Reply.Enhanced != [3]int{5, 7, 3} {
		t.Errorf("reply %+v", res.Reply)
	}
	if !strings.Contains(res.Diagnosis.Fix, "lobby.printer@contoso.com") {
		t.Errorf("fix does not name the user: %s", res.Diagnosis.Fix)
	}
	wantInOrder(t, res, "C: AUTH XOAUTH2 <redacted>", "S: 535 5.7.3 Authentication unsuccessful", "*: stopped while signing in")
	noLine(t, res, "C: MAIL")
	secretFree(t, res, o)
	if len(srv.Messages()) != 0 {
		t.Error("a message was stored")
	}
}

func TestSendMailboxDisabled(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{})
	o := options(srv.Port(), tokCopier)
	o.User = "copier@contoso.com"
	res := Send(context.Background(), o)
	if res.Delivered || res.Stage != StageAuth || res.Diagnosis.ID != IDSMTPAuthDisabledMailbox || res.Diagnosis.Who != WhoTenantAdmin {
		t.Fatalf("stage %s diagnosis %+v", res.Stage, res.Diagnosis)
	}
	if res.Reply == nil || res.Reply.Enhanced != [3]int{5, 7, 139} {
		t.Errorf("reply %+v", res.Reply)
	}
	if !strings.Contains(res.Diagnosis.Fix, "Set-CASMailbox -Identity copier@contoso.com -SmtpClientAuthenticationDisabled $false") {
		t.Errorf("fix: %s", res.Diagnosis.Fix)
	}
	secretFree(t, res, o)
}

// SendAsDenied arrives after DATA: everything before looks fine.
func TestSendAsDenied(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{})
	o := options(srv.Port(), tokShort)
	o.From = "scan@contoso.com" // an alias of scanner@, no Send As
	res := Send(context.Background(), o)
	if res.Delivered || res.Stage != StageData || res.Diagnosis.ID != IDSendAsDenied {
		t.Fatalf("stage %s diagnosis %+v\n%s", res.Stage, res.Diagnosis, strings.Join(texts(res), "\n"))
	}
	if res.Reply == nil || res.Reply.Code != 554 || res.Reply.Enhanced != [3]int{5, 2, 252} || !strings.Contains(res.Reply.Text, "SendAsDenied") {
		t.Errorf("reply %+v", res.Reply)
	}
	if !strings.Contains(res.Diagnosis.Fix, "Add-RecipientPermission -Identity scan@contoso.com -Trustee scanner@contoso.com -AccessRights SendAs") {
		t.Errorf("fix: %s", res.Diagnosis.Fix)
	}
	wantInOrder(t, res, "S: 235", "C: MAIL FROM:<scan@contoso.com>", "S: 250", "C: DATA", "S: 354", "C: .", "S: 554 5.2.252 SendAsDenied")
	secretFree(t, res, o)
	if len(srv.Messages()) != 0 {
		t.Error("a message was stored")
	}
}

// No STARTTLS: Send stops before AUTH and the token never leaves.
func TestSendNoSTARTTLS(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{NoSTARTTLS: true})
	rec, port := record(t, srv.Addr())
	o := options(port, tokShort)
	res := Send(context.Background(), o)
	if res.Delivered || res.Stage != StageSTARTTLS || res.Diagnosis.ID != IDNoSTARTTLS || res.TLSVersion != "" {
		t.Fatalf("stage %s diagnosis %+v", res.Stage, res.Diagnosis)
	}
	if res.Reply == nil || res.Reply.Code != 250 || strings.Contains(res.Reply.Text, "STARTTLS") {
		t.Errorf("reply should be the EHLO reply: %+v", res.Reply)
	}
	if !strings.Contains(res.Diagnosis.Detail, "never sent") {
		t.Errorf("detail: %s", res.Diagnosis.Detail)
	}
	wantInOrder(t, res, "S: 220", "C: EHLO localhost", "S: 250 ", "*: the server does not offer STARTTLS")
	noLine(t, res, "C: AUTH")
	secretFree(t, res, o)

	// What reached the server: the EHLO, nothing of the sign-in.
	deadline := time.Now().Add(2 * time.Second)
	for !bytes.Contains(rec.bytes(), []byte("EHLO")) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	raw := rec.bytes()
	if !bytes.Contains(raw, []byte("EHLO localhost\r\n")) {
		t.Fatalf("recorder saw %q", raw)
	}
	ir := base64.StdEncoding.EncodeToString(xoauth2Response(o.User, o.Token))
	for _, bad := range []string{"AUTH", o.Token, ir[:40], "user="} {
		if bytes.Contains(raw, []byte(bad)) {
			t.Errorf("%q reached the server: %q", bad, raw)
		}
	}
}

func TestSendUntrustedCertificate(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{})
	rec, port := record(t, srv.Addr())
	_, other := cas(t)
	o := options(port, tokShort)
	o.RootCAs = other.Pool() // not the CA that signed the server's certificate
	res := Send(context.Background(), o)
	if res.Delivered || res.Stage != StageTLS || res.Diagnosis.ID != IDTLSFailed || res.Reply != nil {
		t.Fatalf("stage %s reply %v diagnosis %+v", res.Stage, res.Reply, res.Diagnosis)
	}
	if !strings.Contains(res.Diagnosis.Detail, "not signed by a certificate authority this machine trusts") ||
		!strings.Contains(res.Diagnosis.Fix, "--ca-file") {
		t.Errorf("diagnosis %+v", res.Diagnosis)
	}
	noLine(t, res, "C: AUTH")
	noLine(t, res, "*: TLS 1.")
	secretFree(t, res, o)
	if bytes.Contains(rec.bytes(), []byte(o.Token)) {
		t.Error("token reached the server")
	}
}

func TestSendWrongServerName(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{})
	o := options(srv.Port(), tokShort)
	o.ServerName = "smtp.office365.com" // the demo certificate is for 127.0.0.1 and localhost
	res := Send(context.Background(), o)
	if res.Diagnosis.ID != IDTLSFailed || !strings.Contains(res.Diagnosis.Detail, "different name") {
		t.Fatalf("diagnosis %+v", res.Diagnosis)
	}
}

// A server that answers a bad token with `334 <base64 JSON>` before the
// 535: the 334 is not success, the JSON is decoded for the screen.
func TestSendChallengeBeforeFail(t *testing.T) {
	for _, token := range []string{tokShort, tokLong} {
		srv := startServer(t, demo.SMTPOptions{ChallengeBeforeFail: true})
		o := options(srv.Port(), token)
		o.User = "copier@contoso.com" // the token is scanner@'s
		res := Send(context.Background(), o)
		if res.Delivered || res.Stage != StageAuth || res.Diagnosis.ID != IDAuthFailed {
			t.Fatalf("stage %s diagnosis %+v\n%s", res.Stage, res.Diagnosis, strings.Join(texts(res), "\n"))
		}
		if !strings.Contains(res.Challenge, `"status": "401"`) || !strings.Contains(res.Challenge, `"schemes": "bearer"`) ||
			!strings.Contains(res.Challenge, `"scope": "https://outlook.office.com/SMTP.Send"`) {
			t.Errorf("challenge %q", res.Challenge)
		}
		if !strings.Contains(res.Diagnosis.Detail, "challenge") {
			t.Errorf("detail does not mention the challenge: %s", res.Diagnosis.Detail)
		}
		// The empty answer to the challenge is shown (it holds nothing secret).
		wantInOrder(t, res, "C: AUTH XOAUTH2", "S: 334 eyJ", "C: ", "S: 535 5.7.3")
		noLine(t, res, "C: MAIL")
		secretFree(t, res, o)
	}
}

// scripted is a raw SMTP server for cases the simulated tenant never
// produces. It speaks STARTTLS with the demo CA and calls after once the
// session reached DATA.
func scripted(t *testing.T, afterData func(tp *textproto.Conn, conn net.Conn)) int {
	t.Helper()
	ca, _ := cas(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		tp := textproto.NewConn(conn)
		tp.PrintfLine("220 raw.test ESMTP")
		var c net.Conn = conn
		for {
			line, err := tp.ReadLine()
			if err != nil {
				return
			}
			verb := strings.ToUpper(strings.Fields(line + " x")[0])
			switch verb {
			case "EHLO":
				if _, ok := c.(*tls.Conn); ok {
					tp.PrintfLine("250-raw.test\r\n250 AUTH XOAUTH2")
				} else {
					tp.PrintfLine("250-raw.test\r\n250 STARTTLS")
				}
			case "STARTTLS":
				tp.PrintfLine("220 2.0.0 go ahead")
				tc := tls.Server(conn, ca.ServerTLSConfig())
				if tc.Handshake() != nil {
					return
				}
				c = tc
				tp = textproto.NewConn(tc)
			case "AUTH":
				if len(strings.Fields(line)) == 2 {
					tp.PrintfLine("334 ")
					tp.ReadLine()
				}
				tp.PrintfLine("235 2.7.0 Authentication successful")
			case "MAIL", "RCPT":
				tp.PrintfLine("250 2.1.0 OK")
			case "DATA":
				tp.PrintfLine("354 go on")
				afterData(tp, c)
				return
			default:
				tp.PrintfLine("502 5.5.1 no")
			}
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestSendDroppedMidData(t *testing.T) {
	port := scripted(t, func(tp *textproto.Conn, c net.Conn) {
		tp.ReadLine() // one header line, then hang up
		c.Close()
	})
	o := options(port, tokShort)
	res := Send(context.Background(), o)
	if res.Delivered || res.Stage != StageData || res.Diagnosis.ID != IDDropped {
		t.Fatalf("stage %s diagnosis %+v err %v\n%s", res.Stage, res.Diagnosis, res.Err, strings.Join(texts(res), "\n"))
	}
	if !strings.Contains(res.Diagnosis.Detail, "sending the message (DATA)") {
		t.Errorf("detail does not name the stage: %s", res.Diagnosis.Detail)
	}
	secretFree(t, res, o)
}

// silent accepts connections and never says a word.
func silent(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().(*net.TCPAddr).Port
}

func TestSendNoGreeting(t *testing.T) {
	o := options(silent(t), tokShort)
	o.CommandTimeout = 300 * time.Millisecond
	res := Send(context.Background(), o)
	if res.Delivered || res.Stage != StageGreeting || res.Diagnosis.ID != IDTimeout {
		t.Fatalf("stage %s diagnosis %+v err %v", res.Stage, res.Diagnosis, res.Err)
	}
	if !strings.Contains(res.Diagnosis.Detail, "300ms") || !strings.Contains(res.Diagnosis.Detail, "greeting") {
		t.Errorf("detail %s", res.Diagnosis.Detail)
	}
}

func TestSendCancel(t *testing.T) {
	o := options(silent(t), tokShort)
	o.CommandTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	o.OnLine = func(l Line) {
		if strings.HasPrefix(l.Text, "connected to") {
			cancel()
		}
	}
	res := Send(ctx, o)
	if res.Diagnosis.ID != IDCancelled || res.Delivered {
		t.Fatalf("diagnosis %+v err %v", res.Diagnosis, res.Err)
	}
	// Already cancelled: nothing is dialled.
	res = Send(ctx, o)
	if res.Diagnosis.ID != IDCancelled || res.Stage != StageDial {
		t.Fatalf("stage %s diagnosis %+v", res.Stage, res.Diagnosis)
	}
}

func TestSendDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	res := Send(context.Background(), options(port, tokShort))
	if res.Stage != StageDial || res.Diagnosis.ID != IDDialFailed || !strings.Contains(res.Diagnosis.Detail, "refused") {
		t.Fatalf("stage %s diagnosis %+v", res.Stage, res.Diagnosis)
	}
	if !strings.Contains(res.Diagnosis.Fix, "set DNS server and proxy server") || !strings.Contains(res.Diagnosis.Fix, "587") {
		t.Errorf("fix %s", res.Diagnosis.Fix)
	}
}

func TestSendNoXOAUTH2(t *testing.T) {
	ca, _ := cas(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		r := bufio.NewReader(conn)
		var c net.Conn = conn
		fmt.Fprintf(c, "220 relay.test ESMTP\r\n")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch {
			case strings.HasPrefix(line, "EHLO") && c == conn:
				fmt.Fprintf(c, "250-relay.test\r\n250 STARTTLS\r\n")
			case strings.HasPrefix(line, "EHLO"):
				fmt.Fprintf(c, "250-relay.test\r\n250 AUTH LOGIN PLAIN\r\n")
			case strings.HasPrefix(line, "STARTTLS"):
				fmt.Fprintf(c, "220 go\r\n")
				tc := tls.Server(conn, ca.ServerTLSConfig())
				if tc.Handshake() != nil {
					return
				}
				c, r = tc, bufio.NewReader(tc)
			case strings.HasPrefix(line, "QUIT"):
				fmt.Fprintf(c, "221 bye\r\n")
				return
			default:
				fmt.Fprintf(c, "502 no\r\n")
			}
		}
	}()
	o := options(ln.Addr().(*net.TCPAddr).Port, tokShort)
	res := Send(context.Background(), o)
	if res.Stage != StageAuth || res.Diagnosis.ID != IDNoXOAUTH2 || !strings.Contains(res.Diagnosis.Detail, "LOGIN PLAIN") {
		t.Fatalf("stage %s diagnosis %+v", res.Stage, res.Diagnosis)
	}
	noLine(t, res, "C: AUTH")
}

func TestSendInvalidOptions(t *testing.T) {
	for _, mod := range []func(*Options){
		func(o *Options) { o.To = nil },
		func(o *Options) { o.Token = "" },
		func(o *Options) { o.Host = "" },
		func(o *Options) { o.Port = 0 },
		func(o *Options) { o.From = "a@b.c\r\nRCPT TO:<x@y.z>" },
	} {
		o := options(25, tokShort)
		mod(&o)
		res := Send(context.Background(), o)
		if res.Diagnosis.ID != IDInvalidOptions || res.Stage != StageDial {
			t.Errorf("%+v: %+v", o, res.Diagnosis)
		}
	}
}

func TestSendNeverPanics(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{})
	o := options(srv.Port(), tokShort)
	o.OnLine = func(Line) { panic("callback bug") }
	if res := Send(context.Background(), o); !res.Delivered {
		t.Errorf("a panicking OnLine stopped the send: %+v", res.Diagnosis)
	}
	o.Now = func() time.Time { panic("clock bug") }
	o.OnLine = nil
	if res := Send(context.Background(), o); res.Diagnosis.ID != IDUnexpected {
		t.Errorf("diagnosis %+v", res.Diagnosis)
	}
}

// The token appears nowhere, whatever happened.
func TestTokenNeverShown(t *testing.T) {
	srv := startServer(t, demo.SMTPOptions{ChallengeBeforeFail: true})
	echo := scripted(t, func(tp *textproto.Conn, c net.Conn) {
		tp.ReadDotLines()
		// A server echoing the secret back must not leak it either.
		tp.PrintfLine("554 5.6.0 rejected %s", tokShort)
	})
	cases := []Options{}
	for _, tok := range []string{tokShort, tokLong} {
		for _, user := range []string{"scanner@contoso.com", "copier@contoso.com"} {
			o := options(srv.Port(), tok)
			o.User = user
			cases = append(cases, o)
		}
	}
	cases = append(cases, options(echo, tokShort))
	for _, o := range cases {
		res := Send(context.Background(), o)
		secretFree(t, res, o)
		for _, l := range res.Transcript {
			if strings.Contains(l.Text, "auth=Bearer") || strings.Contains(l.Text, "dXNlcj") { // base64 of "user="
				t.Fatalf("sign-in data in %q", l)
			}
		}
	}
}
