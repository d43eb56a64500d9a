package demo

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPOptions configure the simulated Exchange Online SMTP submission
// server (smtp.office365.com:587).
type SMTPOptions struct {
	// Validator is the simulated tenant that issued the access tokens
	// (required; *Tenant implements it).
	Validator TokenValidator
	// CA signs the STARTTLS certificate; nil = NewCA().
	CA *CA
	// Listen is a loopback host:port; "" = "127.0.0.1:0".
	Listen   string
	Scenario Scenario
	// NoSTARTTLS: STARTTLS is not offered (also with ScenarioNoSTARTTLS).
	// AUTH is then never offered either, as AUTH needs TLS.
	NoSTARTTLS bool
	// TenantSMTPAuthDisabled: Set-TransportConfig
	// -SmtpClientAuthenticationDisabled $true. Mailboxes without their own
	// setting (User.SMTPAuthDisabled false) get "disabled for the Tenant".
	TenantSMTPAuthDisabled bool
	// ConsumerSMTPAuthRefused refuses personal (Outlook.com) accounts with
	// "disabled for the Mailbox" (also with ScenarioPersonalSMTPRefused).
	// Microsoft documents OAuth SMTP for Outlook.com users ("Authenticate
	// an IMAP, POP or SMTP connection using OAuth"), so by default they
	// send; a consumer mailbox with a valid token was answered 535 5.7.139
	// when measured in 2026 (a public third-party measurement), which is
	// what this option plays.
	ConsumerSMTPAuthRefused bool
	// ChallengeBeforeFail: on an XOAUTH2 failure, first send
	// `334 base64({"status":"401","schemes":"bearer","scope":…})`, as Gmail
	// does, and the 535 only after the client's empty answer.
	ChallengeBeforeFail bool
	// OnEvent, if set, is called (from server goroutines, possibly at the
	// same time, never with a lock held) on every notable event. Details
	// never hold a token.
	OnEvent func(Event)
}

// Message is a message the simulated server accepted.
type Message struct {
	Time     time.Time
	AuthUser string // UPN of the signed-in account
	From     string // envelope sender (MAIL FROM)
	To       []string
	Data     []byte // as received, CRLF line endings, dot-unstuffed
}

// SMTPServer is the simulated Exchange Online SMTP submission endpoint:
// STARTTLS, then AUTH LOGIN / XOAUTH2, with Exchange Online's replies.
//
// LOGIN (basic authentication) is always refused with
// `535 5.7.139 Authentication unsuccessful, basic authentication is disabled.`
// (the text Microsoft sends where basic auth is off), so a device still set
// to a password meets the same reply it would meet in a tenant.
//
// Replies that go-smtp writes itself keep go-smtp's wording, not Exchange
// Online's: the EHLO first line ("250-Hello <name>"), "235 2.0.0
// Authentication succeeded" (Exchange: "235 2.7.0 Authentication
// successful"), and the 250 texts after MAIL and RCPT. Every refusal, and
// the 250 after DATA, uses Exchange Online's codes and text.
type SMTPServer struct {
	opts SMTPOptions
	ca   *CA
	srv  *smtp.Server
	ln   net.Listener
	done chan struct{}
	once sync.Once

	mu      sync.Mutex
	msgs    []Message
	enabled map[string]bool // mailboxes an administrator re-enabled SMTP AUTH for
}

// EnableSMTPAuth is what the administrator's fix does:
// Set-CASMailbox -Identity upn -SmtpClientAuthenticationDisabled $false.
func (s *SMTPServer) EnableSMTPAuth(upn string) {
	s.mu.Lock()
	if s.enabled == nil {
		s.enabled = map[string]bool{}
	}
	s.enabled[strings.ToLower(upn)] = true
	s.mu.Unlock()
	s.emit("smtp_auth_enabled", "Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", upn)
}

func (s *SMTPServer) smtpAuthEnabled(upn string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enabled[strings.ToLower(upn)]
}

// Host names the simulated server uses in its replies.
const (
	// smtpDomain is the name in the greeting and the EHLO reply.
	smtpDomain = "SN2PR00CA0018.outlook.office365.com"
	// smtpFrontEnd is the front end named in brackets after a refusal.
	smtpFrontEnd = "SN2PR00CA0018.namprd00.prod.outlook.com"
	// smtpMailboxServer is the mailbox server named after DATA.
	smtpMailboxServer = "SN2PR00MB0123.namprd00.prod.outlook.com"
	// smtpMaxMessageBytes is Exchange Online's SIZE.
	smtpMaxMessageBytes = 157286400
	// smtpMaxLineLength: go-smtp's default of 2000 would refuse a real
	// access token (~2–3 KB, more in base64) with 500 5.4.0.
	smtpMaxLineLength = 16384
)

// outlookAudiences are the audiences an Exchange Online token carries:
// the resource URI (v1 tokens) or Office 365 Exchange Online's app ID.
var outlookAudiences = []string{
	"https://outlook.office.com", "https://outlook.office365.com",
	"00000002-0000-0ff1-ce00-000000000000",
}

// StartSMTP starts the simulated SMTP server.
func StartSMTP(o SMTPOptions) (*SMTPServer, error) {
	if o.Validator == nil {
		return nil, errors.New("simulated SMTP server: SMTPOptions.Validator is required")
	}
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	if err := ValidateLoopback(o.Listen); err != nil {
		return nil, fmt.Errorf("simulated SMTP server: %w", err)
	}
	switch o.Scenario {
	case ScenarioNoSTARTTLS:
		o.NoSTARTTLS = true
	case ScenarioSMTPAuthTenant:
		o.TenantSMTPAuthDisabled = true
	case ScenarioPersonalSMTPRefused:
		o.ConsumerSMTPAuthRefused = true
	}
	ca := o.CA
	if ca == nil {
		var err error
		if ca, err = NewCA(); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, fmt.Errorf("simulated SMTP server: %w", err)
	}
	s := &SMTPServer{opts: o, ca: ca, ln: ln, done: make(chan struct{})}

	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{s: s}, nil
	}))
	srv.Domain = smtpDomain
	srv.MaxLineLength = smtpMaxLineLength
	srv.MaxMessageBytes = smtpMaxMessageBytes
	srv.AllowInsecureAuth = false // AUTH only after STARTTLS, as Exchange Online
	srv.EnableSMTPUTF8 = true
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = log.New(io.Discard, "", 0) // never write to the wizard's terminal
	if !o.NoSTARTTLS {
		srv.TLSConfig = ca.ServerTLSConfig()
	}
	s.srv = srv
	go func() {
		defer close(s.done)
		_ = srv.Serve(ln)
	}()
	return s, nil
}

// Addr is "127.0.0.1:PORT".
func (s *SMTPServer) Addr() string { return s.ln.Addr().String() }

// Host is the listening IP, e.g. "127.0.0.1".
func (s *SMTPServer) Host() string {
	if a, ok := s.ln.Addr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	h, _, _ := net.SplitHostPort(s.Addr())
	return h
}

// Port is the listening port.
func (s *SMTPServer) Port() int {
	if a, ok := s.ln.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

// CA is the CA that signed the STARTTLS certificate.
func (s *SMTPServer) CA() *CA { return s.ca }

// Messages returns copies of the accepted messages, oldest first.
func (s *SMTPServer) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		m.Data = append([]byte(nil), m.Data...)
		out[i] = m
	}
	return out
}

// Close closes the listener and every open connection, and waits for the
// accept loop to end. It can be called again.
func (s *SMTPServer) Close() error {
	var err error
	s.once.Do(func() {
		err = s.srv.Close()
		// go-smtp's Close only closes listeners Serve has registered, which
		// it may not have done yet.
		if lerr := s.ln.Close(); lerr != nil && err == nil && !errors.Is(lerr, net.ErrClosed) {
			err = lerr
		}
		<-s.done
	})
	return err
}

func (s *SMTPServer) emit(kind, format string, args ...any) {
	if s.opts.OnEvent == nil {
		return
	}
	s.opts.OnEvent(Event{Time: time.Now(), Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

// ---- replies ----
//
// Each reply names its source. go-smtp writes "CODE X.Y.Z MESSAGE", so a
// message is the text after the enhanced code.

// smtpAuthFailed: Microsoft's failure sample in "Authenticate an IMAP, POP
// or SMTP connection using OAuth" (learn.microsoft.com/exchange/client-
// developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-
// application-by-using-oauth).
func smtpAuthFailed() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 3},
		Message: "Authentication unsuccessful [" + smtpFrontEnd + "]"}
}

// smtpAuthDisabled: SMTP AUTH switched off for the tenant or the mailbox
// ("Enable or disable SMTP AUTH in Exchange Online", learn.microsoft.com/
// exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-
// submission); the reply's wording is Exchange Online's as captured in
// public code, with the aka.ms link it carries.
func smtpAuthDisabled(scope string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139},
		Message: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the " + scope +
			". Visit https://aka.ms/smtp_auth_disabled for more information. [" + smtpFrontEnd + "]"}
}

// smtpSecurityDefaults: security defaults turn SMTP AUTH off ("Enable or
// disable SMTP AUTH in Exchange Online"); the wording is Exchange Online's
// as public field reports show it (sender apps' troubleshooting notes,
// 2024-2026, all with a password). No capture with an OAuth token was
// found: that XOAUTH2 meets the same reply is this simulation's reading of
// Microsoft's statement that the switches apply to SMTP AUTH as a whole.
func smtpSecurityDefaults() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139},
		Message: "Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [" + smtpFrontEnd + "]"}
}

// smtpBasicAuthDisabled: the reply to a password where basic
// authentication is off, as captured in public code.
func smtpBasicAuthDisabled() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139},
		Message: "Authentication unsuccessful, basic authentication is disabled. [" + smtpFrontEnd + "]"}
}

// smtpNotAuthenticated: MAIL FROM without AUTH ("Fix issues with
// printers, scanners, and LOB applications that send email using
// Microsoft 365"; the 530 wording as captured in public code).
func smtpNotAuthenticated() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 57},
		Message: "Client not authenticated to send mail. [" + smtpFrontEnd + "]"}
}

// smtpUnrecognizedAuth: as Outlook's servers answer an unknown mechanism
// (public report MailCore/mailcore2#1663).
func smtpUnrecognizedAuth() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 504, EnhancedCode: smtp.EnhancedCode{5, 7, 4},
		Message: "Unrecognized authentication type [" + smtpFrontEnd + "]"}
}

// smtpSendAsDenied: From is not the signed-in mailbox and no Send As
// right was granted; the reply arrives after DATA (a public trace of
// Exchange Online's reply).
func smtpSendAsDenied(upn, from string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 2, 252},
		Message: "SendAsDenied; " + upn + " not allowed to send as " + from +
			"; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied;" +
			" Failed to process message due to a permanent exception with message" +
			" [BeginDiagnosticData]Cannot submit message. 0.35250:0A00C384, 1.36674:0A000000," +
			" 1.61250:00000000, 1.45378:02000000, 1.44866:0C000000, 16.55847:00000000[EndDiagnosticData]" +
			" [Hostname=" + smtpMailboxServer + "]"}
}

// smtpSenderThrottled is verbatim from "Continuous error throttling for
// SMTP AUTH submissions in Exchange Online" (learn.microsoft.com/Exchange/
// mail-flow-best-practices/continuous-error-throttling-smtp-auth-
// submissions): after too many SendAsDenied errors the mailbox may not
// send over SMTP AUTH for a period Exchange Online decides, whatever the
// message. The page does not say at which command it comes; it is given
// here where SendAsDenied comes, after DATA.
func smtpSenderThrottled() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 2, 252},
		Message: "Sender throttled due to continuous send as denied errors."}
}

// smtpQueued is the 250 after DATA. go-smtp writes any *SMTPError that
// Session.Data returns as the reply, so returning one with code 250 is how
// to choose the text of a success.
func smtpQueued(id string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0},
		Message: "OK <" + id + "@" + smtpMailboxServer + "> [Hostname=" + smtpMailboxServer + "]"}
}

// ---- authentication ----

// authenticate checks an XOAUTH2 sign-in the way Exchange Online does:
// first the token and the user= value (5.7.3), then whether SMTP AUTH is
// allowed for the mailbox or the tenant (5.7.139). Errors are plain
// *smtp.SMTPError values: go-smtp sends a wrapped error as 454 4.7.0.
func (s *SMTPServer) authenticate(user, token string) (User, error) {
	info, ok := s.opts.Validator.ValidateAccessToken(token)
	if !ok || (!info.Expiry.IsZero() && !time.Now().Before(info.Expiry)) {
		s.emit("smtp_auth_refused", "XOAUTH2 as %s: the token is unknown or expired (535 5.7.3)", user)
		return User{}, smtpAuthFailed()
	}
	if !smtpHasAudience(info.Audience) {
		s.emit("smtp_auth_refused", "XOAUTH2 as %s: the token is for %s, not https://outlook.office.com (535 5.7.3)", user, info.Audience)
		return User{}, smtpAuthFailed()
	}
	if !smtpHasScope(info.Scopes, "SMTP.Send") {
		s.emit("smtp_auth_refused", "XOAUTH2 as %s: the token has no SMTP.Send permission, only %q (535 5.7.3)", user, strings.Join(info.Scopes, " "))
		return User{}, smtpAuthFailed()
	}
	if !strings.EqualFold(user, info.UPN) {
		s.emit("smtp_auth_refused", "XOAUTH2: user=%s, but the token belongs to %s (535 5.7.3)", user, info.UPN)
		return User{}, smtpAuthFailed()
	}
	u, found := FindUser(info.UPN)
	if !found {
		u = User{UPN: info.UPN, Mail: info.UPN}
	}
	if err := s.smtpAuthAllowed(u, u.Personal || info.TenantID == ConsumerTenantID); err != nil {
		return User{}, err
	}
	s.emit("smtp_auth_ok", "XOAUTH2 as %s (235 2.7.0)", u.UPN)
	return u, nil
}

// smtpAuthAllowed applies the SMTP AUTH switches to a signed-in account:
// the mailbox's own setting wins over the tenant's and over security
// defaults ("Enable or disable SMTP AUTH in Exchange Online"), so an
// administrator's per-mailbox enable (EnableSMTPAuth) lifts all three.
func (s *SMTPServer) smtpAuthAllowed(u User, consumer bool) error {
	enabled := s.smtpAuthEnabled(u.UPN)
	switch {
	case consumer && s.opts.ConsumerSMTPAuthRefused:
		s.emit("smtp_auth_refused", "XOAUTH2 as %s: personal account, SMTP AUTH refused for the mailbox (535 5.7.139)", u.UPN)
		return smtpAuthDisabled("Mailbox")
	case consumer || enabled:
		return nil
	case u.SMTPAuthDisabled:
		s.emit("smtp_auth_refused", "XOAUTH2 as %s: SMTP AUTH is disabled for the mailbox (535 5.7.139)", u.UPN)
		return smtpAuthDisabled("Mailbox")
	case s.opts.TenantSMTPAuthDisabled:
		s.emit("smtp_auth_refused", "XOAUTH2 as %s: SMTP AUTH is disabled for the tenant (535 5.7.139)", u.UPN)
		return smtpAuthDisabled("Tenant")
	case s.opts.Scenario == ScenarioSecurityDefaults:
		s.emit("smtp_auth_refused", "XOAUTH2 as %s: security defaults turn SMTP AUTH off (535 5.7.139)", u.UPN)
		return smtpSecurityDefaults()
	}
	return nil
}

func smtpHasAudience(aud string) bool {
	aud = strings.TrimSuffix(aud, "/")
	for _, a := range outlookAudiences {
		if strings.EqualFold(aud, a) {
			return true
		}
	}
	return false
}

// smtpHasScope compares by the last path segment: Entra ID may prefix a
// permission with any resource URI.
func smtpHasScope(scopes []string, want string) bool {
	for _, sc := range scopes {
		if i := strings.LastIndexByte(sc, '/'); i >= 0 {
			sc = sc[i+1:]
		}
		if strings.EqualFold(sc, want) {
			return true
		}
	}
	return false
}

// parseXOAUTH2 reads "user=" U ^A "auth=Bearer " T ^A ^A.
func parseXOAUTH2(resp []byte) (user, token string, ok bool) {
	for _, f := range strings.Split(string(resp), "\x01") {
		switch {
		case strings.HasPrefix(f, "user="):
			user = f[len("user="):]
		case strings.HasPrefix(strings.ToLower(f), "auth=bearer "):
			token = strings.TrimSpace(f[len("auth=bearer "):])
		}
	}
	return user, token, user != "" && token != ""
}

// xoauth2Server is the server side of XOAUTH2 (go-sasl has none).
type xoauth2Server struct {
	sess       *smtpSession
	challenged bool
	failure    error // sent after the error challenge was answered
}

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.failure != nil {
		// The client answered the error challenge (with an empty line).
		return nil, false, x.failure
	}
	if resp == nil {
		// AUTH XOAUTH2 without an initial response: ask for it ("334 ").
		return []byte{}, false, nil
	}
	s := x.sess.s
	user, token, ok := parseXOAUTH2(resp)
	var err error
	var u User
	if !ok {
		s.emit("smtp_auth_refused", "XOAUTH2: malformed initial response (535 5.7.3)")
		err = smtpAuthFailed()
	} else {
		u, err = s.authenticate(user, token)
	}
	if err != nil {
		if s.opts.ChallengeBeforeFail && !x.challenged {
			x.challenged, x.failure = true, err
			return []byte(`{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/SMTP.Send"}`), false, nil
		}
		return nil, false, err
	}
	x.sess.user = &u
	return nil, true, nil
}

// loginServer is AUTH LOGIN: it asks for the user name and the password
// and then refuses, as basic authentication is off.
type loginServer struct {
	sess *smtpSession
	step int
	user string
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch {
	case resp == nil && l.step == 0:
		l.step = 1
		return []byte("Username:"), false, nil
	case l.step <= 1:
		l.user, l.step = string(resp), 2
		return []byte("Password:"), false, nil
	}
	l.sess.s.emit("smtp_auth_refused", "AUTH LOGIN as %s: basic authentication is disabled (535 5.7.139)", l.user)
	return nil, false, smtpBasicAuthDisabled()
}

// ---- session ----

type smtpSession struct {
	s    *SMTPServer
	user *User // after a successful AUTH
	from string
	to   []string
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func (ss *smtpSession) AuthMechanisms() []string { return []string{"LOGIN", "XOAUTH2"} }

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	switch strings.ToUpper(mech) {
	case "XOAUTH2":
		return &xoauth2Server{sess: ss}, nil
	case "LOGIN":
		return &loginServer{sess: ss}, nil
	}
	return nil, smtpUnrecognizedAuth()
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.user == nil {
		ss.s.emit("smtp_refused", "MAIL FROM:<%s> without signing in (530 5.7.57)", from)
		return smtpNotAuthenticated()
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.user == nil {
		return smtpNotAuthenticated()
	}
	ss.to = append(ss.to, to)
	return nil
}

// Data checks the sender only now, as Exchange Online does: the
// SendAsDenied refusal arrives after the whole message was sent.
func (ss *smtpSession) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	if ss.user == nil {
		return smtpNotAuthenticated()
	}
	u := *ss.user
	if ss.s.opts.Scenario == ScenarioSenderThrottled && !u.Personal {
		ss.s.emit("smtp_throttled", "%s is throttled after repeated SendAsDenied; message from %s refused (550 5.2.252)", u.UPN, ss.from)
		return smtpSenderThrottled()
	}
	if !mayUseSender(u, ss.from) {
		ss.s.emit("smtp_send_as_denied", "%s may not send as %s (554 5.2.252 SendAsDenied)", u.UPN, ss.from)
		return smtpSendAsDenied(u.UPN, ss.from)
	}
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	id := strings.ToUpper(hex.EncodeToString(rnd[:]))
	m := Message{Time: time.Now(), AuthUser: u.UPN, From: ss.from, To: append([]string(nil), ss.to...), Data: buf.Bytes()}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, m)
	ss.s.mu.Unlock()
	ss.s.emit("smtp_message_stored", "message from %s (signed in as %s) to %s, %d bytes",
		m.From, m.AuthUser, strings.Join(m.To, ", "), len(m.Data))
	return smtpQueued(id)
}

// mayUseSender: the UPN, the primary address, or an address the user was
// granted Send As on. Aliases (other proxy addresses) are refused: sending
// from an alias needs a tenant setting this simulation leaves off.
func mayUseSender(u User, from string) bool {
	if strings.EqualFold(from, u.UPN) || strings.EqualFold(from, u.Mail) {
		return true
	}
	for _, a := range u.SendAs {
		if strings.EqualFold(from, a) {
			return true
		}
	}
	return false
}

func (ss *smtpSession) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *smtpSession) Logout() error { return nil }
