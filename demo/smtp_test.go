package demo

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// fakeValidator is a tiny TokenValidator: token → info.
type fakeValidator map[string]TokenInfo

func (f fakeValidator) ValidateAccessToken(tok string) (TokenInfo, bool) {
	info, ok := f[tok]
	return info, ok
}

var smtpTestCA = sync.OnceValues(NewCA)

func testCA(t *testing.T) *CA {
	t.Helper()
	ca, err := smtpTestCA()
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func outlookToken(upn string) TokenInfo {
	return TokenInfo{UPN: upn, TenantID: TenantID, Scopes: []string{"SMTP.Send"},
		Audience: "https://outlook.office.com", Expiry: time.Now().Add(time.Hour)}
}

// Tokens of the fake tenant. "long" is the size of a real Entra token.
var (
	tokScanner  = "tok-scanner-" + strings.Repeat("a", 40)
	tokLobby    = "tok-lobby-" + strings.Repeat("b", 40)
	tokCopier   = "tok-copier-" + strings.Repeat("c", 40)
	tokPersonal = "EwB-personal-" + strings.Repeat("d", 40)
	tokGraph    = "tok-graph-" + strings.Repeat("e", 40)
	tokNoScope  = "tok-noscope-" + strings.Repeat("f", 40)
	tokExpired  = "tok-expired-" + strings.Repeat("g", 40)
	tokLong     = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + strings.Repeat("h", 3000)
)

func testValidator() fakeValidator {
	graph := outlookToken("scanner@contoso.com")
	graph.Audience = "https://graph.microsoft.com"
	graph.Scopes = []string{"User.Read"}
	noScope := outlookToken("scanner@contoso.com")
	noScope.Scopes = []string{"IMAP.AccessAsUser.All"}
	expired := outlookToken("scanner@contoso.com")
	expired.Expiry = time.Now().Add(-time.Minute)
	personal := outlookToken("scanner.demo@outlook.com")
	personal.TenantID = ConsumerTenantID
	return fakeValidator{
		tokScanner:  outlookToken("scanner@contoso.com"),
		tokLobby:    outlookToken("mfp-lobby@contoso.onmicrosoft.com"),
		tokCopier:   outlookToken("copier@contoso.com"),
		tokPersonal: personal,
		tokGraph:    graph,
		tokNoScope:  noScope,
		tokExpired:  expired,
		tokLong:     outlookToken("scanner@contoso.com"),
	}
}

func startTestSMTP(t *testing.T, o SMTPOptions) *SMTPServer {
	t.Helper()
	if o.Validator == nil {
		o.Validator = testValidator()
	}
	if o.CA == nil {
		o.CA = testCA(t)
	}
	s, err := StartSMTP(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// clientXOAUTH2 is a minimal XOAUTH2 sasl.Client (the product's lives in
// smtpcheck; demo must not depend on it).
type clientXOAUTH2 struct {
	user, token string
	challenges  []string
}

func (c *clientXOAUTH2) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *clientXOAUTH2) Next(ch []byte) ([]byte, error) {
	c.challenges = append(c.challenges, string(ch))
	return []byte{}, nil
}

func dialTLS(t *testing.T, s *SMTPServer) *smtp.Client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.NewClientStartTLS(conn, &tls.Config{RootCAs: s.CA().Pool(), ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	c.CommandTimeout = 5 * time.Second
	c.SubmissionTimeout = 5 * time.Second
	t.Cleanup(func() { c.Close() })
	return c
}

func wantSMTPError(t *testing.T, err error, code int, enh smtp.EnhancedCode, text string) {
	t.Helper()
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want SMTP %d", err, err, code)
	}
	if se.Code != code || se.EnhancedCode != enh || !strings.Contains(se.Message, text) {
		t.Fatalf("got %d %v %q, want %d %v containing %q", se.Code, se.EnhancedCode, se.Message, code, enh, text)
	}
}

func send(c *smtp.Client, from string, to ...string) error {
	return c.SendMail(from, to, strings.NewReader("Subject: test\r\n\r\nhello\r\n"))
}

func TestSMTPSendStoresMessage(t *testing.T) {
	var mu sync.Mutex
	var events []Event
	s := startTestSMTP(t, SMTPOptions{OnEvent: func(e Event) { mu.Lock(); events = append(events, e); mu.Unlock() }})
	c := dialTLS(t, s)
	if ok, mechs := c.Extension("AUTH"); !ok || mechs != "LOGIN XOAUTH2" {
		t.Fatalf("AUTH after TLS = %v %q, want LOGIN XOAUTH2", ok, mechs)
	}
	if size, _ := c.MaxMessageSize(); size != smtpMaxMessageBytes {
		t.Errorf("SIZE = %d", size)
	}
	if err := c.Auth(&clientXOAUTH2{user: "Scanner@Contoso.com", token: tokScanner}); err != nil {
		t.Fatal(err)
	}
	if err := send(c, "scanner@contoso.com", "it@contoso.com", "boss@example.net"); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored", len(msgs))
	}
	m := msgs[0]
	if m.AuthUser != "scanner@contoso.com" || m.From != "scanner@contoso.com" ||
		strings.Join(m.To, ",") != "it@contoso.com,boss@example.net" || !strings.Contains(string(m.Data), "hello") {
		t.Errorf("stored %+v", m)
	}
	if s.Host() != "127.0.0.1" || s.Port() == 0 || s.Addr() != fmt.Sprintf("127.0.0.1:%d", s.Port()) {
		t.Errorf("Host %q Port %d Addr %q", s.Host(), s.Port(), s.Addr())
	}
	mu.Lock()
	defer mu.Unlock()
	kinds := []string{}
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		if strings.Contains(e.Detail, tokScanner) {
			t.Errorf("event holds the token: %+v", e)
		}
	}
	if strings.Join(kinds, ",") != "smtp_auth_ok,smtp_message_stored" {
		t.Errorf("events %v", kinds)
	}
}

func TestSMTPLongTokenFits(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{})
	c := dialTLS(t, s)
	if err := c.Auth(&clientXOAUTH2{user: "scanner@contoso.com", token: tokLong}); err != nil {
		t.Fatalf("a 3 KB token: %v", err)
	}
}

// The wire before TLS: greeting and EHLO as Exchange Online, no AUTH, and
// AUTH refused until STARTTLS.
func TestSMTPNoAuthBeforeTLS(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{})
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	tp := textproto.NewConn(conn)
	if _, msg, err := tp.ReadResponse(220); err != nil || !strings.HasPrefix(msg, smtpDomain) {
		t.Fatalf("greeting %q %v", msg, err)
	}
	tp.PrintfLine("EHLO test.local")
	_, msg, err := tp.ReadResponse(250)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "\nSTARTTLS") || strings.Contains(msg, "AUTH") {
		t.Fatalf("EHLO before TLS:\n%s", msg)
	}
	tp.PrintfLine("AUTH XOAUTH2 dXNlcj14AWF1dGg9QmVhcmVyIHgBAQ==")
	if code, msg, _ := tp.ReadResponse(0); code != 523 {
		t.Fatalf("AUTH before TLS = %d %s", code, msg)
	}
}

func TestSMTPNoSTARTTLS(t *testing.T) {
	for name, o := range map[string]SMTPOptions{
		"option":   {NoSTARTTLS: true},
		"scenario": {Scenario: ScenarioNoSTARTTLS},
	} {
		t.Run(name, func(t *testing.T) {
			s := startTestSMTP(t, o)
			c, err := smtp.Dial(s.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if ok, _ := c.Extension("STARTTLS"); ok {
				t.Error("STARTTLS offered")
			}
			if ok, _ := c.Extension("AUTH"); ok {
				t.Error("AUTH offered without TLS")
			}
		})
	}
}

func TestSMTPAuthRefusals(t *testing.T) {
	tests := []struct {
		name  string
		opts  SMTPOptions
		user  string
		token string
		code  int
		enh   smtp.EnhancedCode
		text  string
	}{
		{"user= is the primary address, not the UPN", SMTPOptions{}, "lobby.printer@contoso.com", tokLobby, 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful [" + smtpFrontEnd + "]"},
		{"user= is another account", SMTPOptions{}, "copier@contoso.com", tokScanner, 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful"},
		{"unknown token", SMTPOptions{}, "scanner@contoso.com", "not-a-token-at-all", 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful"},
		{"expired token", SMTPOptions{}, "scanner@contoso.com", tokExpired, 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful"},
		{"Graph token", SMTPOptions{}, "scanner@contoso.com", tokGraph, 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful"},
		{"no SMTP.Send", SMTPOptions{}, "scanner@contoso.com", tokNoScope, 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful"},
		{"mailbox disabled", SMTPOptions{}, "copier@contoso.com", tokCopier, 535, smtp.EnhancedCode{5, 7, 139}, "SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled"},
		{"tenant disabled", SMTPOptions{TenantSMTPAuthDisabled: true}, "scanner@contoso.com", tokScanner, 535, smtp.EnhancedCode{5, 7, 139}, "disabled for the Tenant"},
		{"mailbox setting wins over tenant", SMTPOptions{TenantSMTPAuthDisabled: true}, "copier@contoso.com", tokCopier, 535, smtp.EnhancedCode{5, 7, 139}, "disabled for the Mailbox"},
		{"personal account refused", SMTPOptions{ConsumerSMTPAuthRefused: true}, "scanner.demo@outlook.com", tokPersonal, 535, smtp.EnhancedCode{5, 7, 139}, "disabled for the Mailbox"},
		{"personal-smtp-refused scenario", SMTPOptions{Scenario: ScenarioPersonalSMTPRefused}, "scanner.demo@outlook.com", tokPersonal, 535, smtp.EnhancedCode{5, 7, 139}, "disabled for the Mailbox"},
		{"smtp-auth-disabled-tenant scenario", SMTPOptions{Scenario: ScenarioSMTPAuthTenant}, "scanner@contoso.com", tokScanner, 535, smtp.EnhancedCode{5, 7, 139},
			"Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."},
		{"security-defaults scenario", SMTPOptions{Scenario: ScenarioSecurityDefaults}, "scanner@contoso.com", tokScanner, 535, smtp.EnhancedCode{5, 7, 139},
			"Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator."},
		{"personal account, wrong user=", SMTPOptions{}, "someone@outlook.com", tokPersonal, 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startTestSMTP(t, tt.opts)
			c := dialTLS(t, s)
			a := &clientXOAUTH2{user: tt.user, token: tt.token}
			wantSMTPError(t, c.Auth(a), tt.code, tt.enh, tt.text)
			if len(a.challenges) != 0 {
				t.Errorf("challenges %q without ChallengeBeforeFail", a.challenges)
			}
			// Still not signed in: MAIL is refused.
			wantSMTPError(t, c.Mail(tt.user, nil), 530, smtp.EnhancedCode{5, 7, 57}, "Client not authenticated to send mail.")
		})
	}
}

// Microsoft documents OAuth SMTP for Outlook.com: a personal account
// sends unless the refusal measured in 2026 is played.
func TestSMTPConsumerAllowed(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{})
	c := dialTLS(t, s)
	if err := c.Auth(&clientXOAUTH2{user: "scanner.demo@outlook.com", token: tokPersonal}); err != nil {
		t.Fatal(err)
	}
}

func TestSMTPChallengeBeforeFail(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{ChallengeBeforeFail: true})
	c := dialTLS(t, s)
	a := &clientXOAUTH2{user: "copier@contoso.com", token: tokScanner}
	wantSMTPError(t, c.Auth(a), 535, smtp.EnhancedCode{5, 7, 3}, "Authentication unsuccessful")
	if len(a.challenges) != 1 || !strings.Contains(a.challenges[0], `"status":"401"`) || !strings.Contains(a.challenges[0], `"schemes":"bearer"`) {
		t.Fatalf("challenges %q", a.challenges)
	}
	// A good sign-in is not challenged.
	c2 := dialTLS(t, s)
	a2 := &clientXOAUTH2{user: "scanner@contoso.com", token: tokScanner}
	if err := c2.Auth(a2); err != nil || len(a2.challenges) != 0 {
		t.Fatalf("err %v challenges %q", err, a2.challenges)
	}
}

// loginClient is AUTH LOGIN (go-sasl's LOGIN client).
type loginClient struct{ user, pass string }

func (l *loginClient) Start() (string, []byte, error) { return "LOGIN", nil, nil }
func (l *loginClient) Next(ch []byte) ([]byte, error) {
	if strings.HasPrefix(string(ch), "User") {
		return []byte(l.user), nil
	}
	return []byte(l.pass), nil
}

func TestSMTPLoginIsBasicAuth(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{})
	c := dialTLS(t, s)
	wantSMTPError(t, c.Auth(&loginClient{"scanner@contoso.com", "hunter2"}), 535, smtp.EnhancedCode{5, 7, 139},
		"Authentication unsuccessful, basic authentication is disabled.")
}

func TestSMTPUnknownMechanism(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{})
	c := dialTLS(t, s)
	wantSMTPError(t, c.Auth(&plainClient{}), 504, smtp.EnhancedCode{5, 7, 4}, "Unrecognized authentication type")
}

type plainClient struct{}

func (plainClient) Start() (string, []byte, error) { return "PLAIN", []byte("\x00u\x00p"), nil }
func (plainClient) Next([]byte) ([]byte, error)    { return nil, nil }

func TestSMTPMailWithoutAuth(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{})
	c := dialTLS(t, s)
	wantSMTPError(t, c.Mail("scanner@contoso.com", nil), 530, smtp.EnhancedCode{5, 7, 57}, "Client not authenticated to send mail.")
}

func TestSMTPSenders(t *testing.T) {
	tests := []struct {
		name, user, token, from string
		ok                      bool
	}{
		{"UPN", "scanner@contoso.com", tokScanner, "scanner@contoso.com", true},
		{"UPN, other case", "scanner@contoso.com", tokScanner, "SCANNER@contoso.com", true},
		{"granted Send As", "scanner@contoso.com", tokScanner, "frontdesk@contoso.com", true},
		{"primary address differing from the UPN", "mfp-lobby@contoso.onmicrosoft.com", tokLobby, "lobby.printer@contoso.com", true},
		{"alias not granted", "scanner@contoso.com", tokScanner, "scan@contoso.com", false},
		{"another mailbox", "scanner@contoso.com", tokScanner, "copier@contoso.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startTestSMTP(t, SMTPOptions{})
			c := dialTLS(t, s)
			if err := c.Auth(&clientXOAUTH2{user: tt.user, token: tt.token}); err != nil {
				t.Fatal(err)
			}
			// MAIL and RCPT are accepted either way: Exchange checks at DATA.
			if err := c.Mail(tt.from, nil); err != nil {
				t.Fatal(err)
			}
			if err := c.Rcpt("it@contoso.com", nil); err != nil {
				t.Fatal(err)
			}
			w, err := c.Data()
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(w, "Subject: x\r\n\r\nbody\r\n")
			resp, err := w.CloseWithResponse()
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(resp.StatusText, "2.0.0 OK <") || !strings.Contains(resp.StatusText, "[Hostname="+smtpMailboxServer+"]") {
					t.Errorf("250 text %q", resp.StatusText)
				}
				if n := len(s.Messages()); n != 1 {
					t.Errorf("%d messages stored", n)
				}
				return
			}
			wantSMTPError(t, err, 554, smtp.EnhancedCode{5, 2, 252},
				"SendAsDenied; "+tt.user+" not allowed to send as "+tt.from+"; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]")
			if n := len(s.Messages()); n != 0 {
				t.Errorf("%d messages stored after SendAsDenied", n)
			}
			// The session goes on: a permitted sender still works.
			if err := send(c, tt.user, "it@contoso.com"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// sender-throttled: every message is refused with Microsoft's documented
// text after DATA, from the UPN too, and none is stored.
func TestSMTPSenderThrottled(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{Scenario: ScenarioSenderThrottled})
	c := dialTLS(t, s)
	if err := c.Auth(&clientXOAUTH2{user: "scanner@contoso.com", token: tokScanner}); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{"reception@contoso.com", "scanner@contoso.com"} {
		err := send(c, from, "it@contoso.com")
		wantSMTPError(t, err, 550, smtp.EnhancedCode{5, 2, 252}, "Sender throttled due to continuous send as denied errors.")
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Message != "Sender throttled due to continuous send as denied errors." {
			t.Errorf("reply text %q is not Microsoft's verbatim", se.Message)
		}
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages stored while throttled", n)
	}
}

// The administrator's per-mailbox enable wins over the tenant's switch and
// over security defaults, as the mailbox setting does in Exchange Online.
func TestSMTPMailboxEnableWins(t *testing.T) {
	for _, o := range []SMTPOptions{{Scenario: ScenarioSecurityDefaults}, {Scenario: ScenarioSMTPAuthTenant}, {}} {
		s := startTestSMTP(t, o)
		user, tok := "scanner@contoso.com", tokScanner
		if o.Scenario == "" {
			user, tok = "copier@contoso.com", tokCopier
		}
		if err := dialTLS(t, s).Auth(&clientXOAUTH2{user: user, token: tok}); err == nil {
			t.Fatalf("%s: signed in before the fix", o.Scenario)
		}
		s.EnableSMTPAuth(user)
		if err := dialTLS(t, s).Auth(&clientXOAUTH2{user: user, token: tok}); err != nil {
			t.Errorf("%s: after the per-mailbox enable: %v", o.Scenario, err)
		}
	}
}

func TestSMTPConcurrent(t *testing.T) {
	s := startTestSMTP(t, SMTPOptions{OnEvent: func(Event) {}})
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := smtp.DialStartTLS(s.Addr(), &tls.Config{RootCAs: s.CA().Pool()})
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			if err := c.Auth(&clientXOAUTH2{user: "scanner@contoso.com", token: tokScanner}); err != nil {
				errs <- err
				return
			}
			errs <- send(c, "scanner@contoso.com", fmt.Sprintf("r%d@contoso.com", i))
			_ = s.Messages()
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(s.Messages()); got != n {
		t.Errorf("%d messages, want %d", got, n)
	}
}

func TestStartSMTPChecks(t *testing.T) {
	if _, err := StartSMTP(SMTPOptions{}); err == nil {
		t.Error("no Validator accepted")
	}
	if _, err := StartSMTP(SMTPOptions{Validator: testValidator(), Listen: "0.0.0.0:0"}); err == nil {
		t.Error("a non-loopback address accepted")
	}
	s, err := StartSMTP(SMTPOptions{Validator: testValidator(), CA: testCA(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := net.DialTimeout("tcp", s.Addr(), time.Second); err == nil {
		t.Error("still listening after Close")
	}
}

func TestParseXOAUTH2(t *testing.T) {
	u, tok, ok := parseXOAUTH2([]byte("user=a@b.c\x01auth=Bearer xyz\x01\x01"))
	if !ok || u != "a@b.c" || tok != "xyz" {
		t.Errorf("got %q %q %v", u, tok, ok)
	}
	for _, bad := range []string{"", "user=a@b.c\x01\x01", "auth=Bearer x\x01\x01", "garbage"} {
		if _, _, ok := parseXOAUTH2([]byte(bad)); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
