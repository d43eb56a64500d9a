package smtpcheck

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"mfpmail/assets"
)

// Replies as Exchange Online sends them (the texts of Microsoft's SMTP
// AUTH troubleshooting documentation), diagnosed from the text alone.
func TestDiagnoseReplies(t *testing.T) {
	tests := []struct {
		stage   Stage
		reply   string
		id, who string
	}{
		{StageQuit, "250 2.0.0 OK <a@b> [Hostname=x]", IDOK, ""},
		{StageAuth, "535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]", IDAuthFailed, WhoTechnician},
		{StageAuth, "535 5.7.8 Authentication failed", IDAuthFailed, WhoTechnician},
		{StageAuth, "535 Authentication credentials invalid", IDAuthFailed, WhoTechnician},
		{StageAuth, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.", IDSMTPAuthDisabledTenant, WhoTenantAdmin},
		{StageAuth, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.", IDSMTPAuthDisabledMailbox, WhoTenantAdmin},
		{StageAuth, "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", IDSecurityDefaults, WhoTenantAdmin},
		{StageAuth, "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.", IDConditionalAccess, WhoTenantAdmin},
		{StageAuth, "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", IDBasicAuth, WhoTechnician},
		{StageAuth, "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.", IDBasicAuth, WhoTechnician},
		{StageAuth, "550 5.7.30 Basic authentication is not supported for Client Submission.", IDBasicAuth, WhoTechnician},
		{StageMail, "530 5.7.57 Client not authenticated to send mail.", IDNotAuthenticated, WhoTechnician},
		{StageMail, "530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM", IDNotAuthenticated, WhoTechnician},
		{StageData, "554 5.2.252 SendAsDenied; scanner@contoso.com not allowed to send as scan@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message", IDSendAsDenied, WhoTechnician},
		{StageData, "550 5.7.60 SMTP; Client does not have permissions to send as this sender", IDSendAsDenied, WhoTechnician},
		{StageData, "554 5.6.0 SendAsDenied somewhere in the text", IDSendAsDenied, WhoTechnician},
		{StageData, "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", IDThrottled, ""},
		{StageRcpt, "452 4.5.3 Too many recipients", IDThrottled, ""},
		{StageData, "451 4.7.500 Server busy. Please try again later", IDThrottled, ""},
		{StageData, "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message", IDQuota, WhoTenantAdmin},
		{StageMail, "550 5.1.8 Access denied, bad outbound sender", IDSpamBlocked, WhoTenantAdmin},
		{StageEHLO, "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls.", IDTLSTooOld, WhoTechnician},
		{StageAuth, "504 5.7.4 Unrecognized authentication type [SN2PR00CA0018.namprd00.prod.outlook.com]", IDUnrecognizedAuth, WhoTechnician},
		{StageRcpt, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", IDRecipientUnknown, WhoTechnician},
		{StageGreeting, "554 5.7.1 Service unavailable; Client host blocked", IDUnlistedReply, ""},
	}
	for _, tt := range tests {
		t.Run(tt.reply, func(t *testing.T) {
			r, err := ParseReply([]string{tt.reply})
			if err != nil {
				t.Fatal(err)
			}
			for _, lang := range assets.Langs {
				d := Diagnose(lang, tt.stage, &r, nil)
				if d.ID != tt.id || d.Who != tt.who || d.OK != (tt.id == IDOK) {
					t.Fatalf("%s: got %s/%q ok=%v, want %s/%q", lang, d.ID, d.Who, d.OK, tt.id, tt.who)
				}
				checkRendered(t, d)
			}
			// The same reply as go-smtp's error, without the Reply.
			if r.Code >= 400 {
				err := &smtp.SMTPError{Code: r.Code, EnhancedCode: smtp.EnhancedCode(r.Enhanced), Message: r.Text}
				if d := Diagnose(assets.EN, tt.stage, nil, err); d.ID != tt.id {
					t.Errorf("from the error: %s, want %s", d.ID, tt.id)
				}
			}
		})
	}
}

func TestDiagnoseExactFixes(t *testing.T) {
	c := Setup{User: "copier@contoso.com", From: "copier@contoso.com", Host: "smtp.office365.com", Port: 587}
	r := &Reply{Code: 535, Enhanced: [3]int{5, 7, 139}, Text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information."}
	d := DiagnoseWith(assets.EN, StageAuth, r, nil, c)
	for _, want := range []string{
		"Set-CASMailbox -Identity copier@contoso.com -SmtpClientAuthenticationDisabled $false",
		"Get-CASMailbox -Identity copier@contoso.com | Format-List SmtpClientAuthenticationDisabled",
		"Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled",
		"Set-TransportConfig -SmtpClientAuthenticationDisabled $false",
		"$null", "up to an hour", "Manage email apps",
	} {
		if !strings.Contains(d.Fix, want) {
			t.Errorf("mailbox fix lacks %q:\n%s", want, d.Fix)
		}
	}
	if !strings.Contains(d.Detail, "535 5.7.139") {
		t.Errorf("detail does not quote the reply: %s", d.Detail)
	}
	dj := DiagnoseWith(assets.JA, StageAuth, r, nil, c)
	if !strings.Contains(dj.Fix, "Set-CASMailbox -Identity copier@contoso.com -SmtpClientAuthenticationDisabled $false") || dj.Title == d.Title {
		t.Errorf("ja: %+v", dj)
	}

	// The same reply for a personal account.
	for _, pc := range []Setup{{User: "scanner.demo@outlook.com"}, {User: "a@Hotmail.co.jp"}, {User: "x@contoso.com", Host: "smtp-mail.outlook.com"}} {
		if d := DiagnoseWith(assets.EN, StageAuth, r, nil, pc); d.ID != IDSMTPAuthConsumer || !strings.Contains(d.Fix, "work or school account") {
			t.Errorf("%+v: %s", pc, d.ID)
		}
	}

	sa := &Reply{Code: 554, Enhanced: [3]int{5, 2, 252}, Text: "SendAsDenied; scanner@contoso.com not allowed to send as scan@contoso.com"}
	d = DiagnoseWith(assets.EN, StageData, sa, nil, Setup{User: "scanner@contoso.com", From: "scan@contoso.com"})
	for _, want := range []string{"Add-RecipientPermission -Identity scan@contoso.com -Trustee scanner@contoso.com -AccessRights SendAs", "scanner@contoso.com"} {
		if !strings.Contains(d.Fix, want) {
			t.Errorf("send-as fix lacks %q:\n%s", want, d.Fix)
		}
	}

	af := &Reply{Code: 535, Enhanced: [3]int{5, 7, 3}, Text: "Authentication unsuccessful"}
	d = DiagnoseWith(assets.EN, StageAuth, af, nil, Setup{User: "lobby.printer@contoso.com"})
	if !strings.Contains(d.Fix, "UPN") || !strings.Contains(d.Fix, "SMTP.Send") || !strings.Contains(d.Fix, "lobby.printer@contoso.com") {
		t.Errorf("auth-failed fix: %s", d.Fix)
	}

	// Without a context the placeholders read as placeholders.
	d = Diagnose(assets.EN, StageAuth, r, nil)
	if !strings.Contains(d.Fix, "Set-CASMailbox -Identity <UPN> -SmtpClientAuthenticationDisabled $false") {
		t.Errorf("no-context fix: %s", d.Fix)
	}

	th := &Reply{Code: 432, Enhanced: [3]int{4, 3, 2}, Text: "STOREDRV.ClientSubmit; sender thread limit exceeded"}
	if d := Diagnose(assets.EN, StageData, th, nil); !strings.Contains(d.Detail, "at most 3") {
		t.Errorf("432 detail: %s", d.Detail)
	}
	un := &Reply{Code: 550, Enhanced: [3]int{5, 1, 10}, Text: "RESOLVER.ADR.RecipientNotFound"}
	if d := Diagnose(assets.EN, StageRcpt, un, nil); !strings.Contains(d.Detail, "550 5.1.10 RESOLVER.ADR.RecipientNotFound") {
		t.Errorf("unexpected shows the reply as received: %s", d.Detail)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestDiagnoseErrors(t *testing.T) {
	opErr := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	tests := []struct {
		name    string
		stage   Stage
		err     error
		id      string
		variant string // a word the detail must hold
	}{
		{"dns", StageDial, &net.DNSError{Err: "no such host", Name: "smtp.offce365.com", IsNotFound: true}, IDDialFailed, "could not be turned into an address"},
		{"refused", StageDial, opErr(os.NewSyscallError("connect", syscall.ECONNREFUSED)), IDDialFailed, "refused"},
		{"dial timeout", StageDial, opErr(timeoutErr{}), IDDialFailed, "drops outgoing"},
		{"unreachable", StageDial, opErr(os.NewSyscallError("connect", syscall.ENETUNREACH)), IDDialFailed, "cannot be reached"},
		{"untrusted", StageTLS, &x509.UnknownAuthorityError{}, IDTLSFailed, "TLS inspection"},
		{"untrusted value", StageTLS, x509.UnknownAuthorityError{}, IDTLSFailed, "TLS inspection"},
		{"name", StageTLS, x509.HostnameError{Certificate: &x509.Certificate{}, Host: "smtp.office365.com"}, IDTLSFailed, "different name"},
		{"expired", StageTLS, x509.CertificateInvalidError{Cert: &x509.Certificate{}, Reason: x509.Expired}, IDTLSFailed, "expired"},
		{"handshake EOF", StageTLS, io.EOF, IDTLSFailed, "handshake"},
		{"no starttls", StageSTARTTLS, ErrNoSTARTTLS, IDNoSTARTTLS, "never sent"},
		{"no xoauth2", StageAuth, ErrNoXOAUTH2, IDNoXOAUTH2, "XOAUTH2"},
		{"greeting timeout", StageGreeting, timeoutErr{}, IDTimeout, "greeting"},
		{"deadline", StageData, os.ErrDeadlineExceeded, IDTimeout, "sending the message"},
		{"ctx deadline", StageAuth, context.DeadlineExceeded, IDTimeout, "signing in"},
		{"cancelled", StageAuth, context.Canceled, IDCancelled, "stopped"},
		{"eof mid-data", StageData, io.ErrUnexpectedEOF, IDDropped, "sending the message"},
		{"reset", StageMail, fmt.Errorf("read: %w", syscall.ECONNRESET), IDDropped, "closed"},
		{"options", StageDial, &OptionError{Field: "To", Msg: "no recipient"}, IDInvalidOptions, "To"},
		{"other", StageAuth, errors.New("smtp: something odd"), IDUnexpected, "something odd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DiagnoseWith(assets.EN, tt.stage, nil, tt.err, Setup{Host: "smtp.office365.com", Port: 587, Wait: 30 * time.Second})
			if d.ID != tt.id {
				t.Fatalf("got %s, want %s (%s)", d.ID, tt.id, d.Detail)
			}
			if !strings.Contains(d.Detail, tt.variant) {
				t.Errorf("detail lacks %q: %s", tt.variant, d.Detail)
			}
			checkRendered(t, d)
			checkRendered(t, DiagnoseWith(assets.JA, tt.stage, nil, tt.err, Setup{}))
		})
	}
	d := Diagnose(assets.EN, StageDial, nil, &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true})
	for _, want := range []string{"set DNS server and proxy server", "587"} {
		if !strings.Contains(d.Fix, want) {
			t.Errorf("dial fix lacks %q: %s", want, d.Fix)
		}
	}
	d = Diagnose(assets.EN, StageTLS, nil, x509.UnknownAuthorityError{})
	if !strings.Contains(d.Fix, "--ca-file") {
		t.Errorf("tls fix does not mention --ca-file: %s", d.Fix)
	}
}

var (
	leftover = regexp.MustCompile(`\{[a-z]+\}`)
	keyLike  = regexp.MustCompile(`smtp\.(diag|stage|info|ph|message)\.`)
)

// checkRendered: every text present and every placeholder filled.
func checkRendered(t *testing.T, d Diagnosis) {
	t.Helper()
	if d.Title == "" || d.Detail == "" || d.Fix == "" {
		t.Errorf("%s: empty text: %+v", d.ID, d)
	}
	for _, s := range []string{d.Title, d.Detail, d.Fix} {
		if m := leftover.FindString(s); m != "" {
			t.Errorf("%s: placeholder %s left in %q", d.ID, m, s)
		}
		if keyLike.MatchString(s) {
			t.Errorf("%s: a key instead of a text: %q", d.ID, s)
		}
	}
}

// Every smtp. key in both languages, and the ID list complete.
func TestTexts(t *testing.T) {
	if err := assets.Check(); err != nil {
		t.Fatal(err)
	}
	en, ja := map[string]bool{}, map[string]bool{}
	for _, k := range assets.Keys(assets.EN) {
		if strings.HasPrefix(k, "smtp.") {
			en[k] = true
		}
	}
	for _, k := range assets.Keys(assets.JA) {
		if strings.HasPrefix(k, "smtp.") {
			ja[k] = true
		}
	}
	for k := range en {
		if !ja[k] {
			t.Errorf("ja lacks %s", k)
		}
	}
	for k := range ja {
		if !en[k] {
			t.Errorf("en lacks %s", k)
		}
	}
	for _, id := range IDs {
		if id != strings.ToLower(id) || strings.ContainsAny(id, " _") {
			t.Errorf("ID %q is not lower-case kebab", id)
		}
		for _, f := range []string{"title", "detail", "fix"} {
			if !en["smtp.diag."+id+"."+f] {
				t.Errorf("no text smtp.diag.%s.%s", id, f)
			}
		}
	}
	for _, st := range Stages {
		if !en["smtp.stage."+string(st)] {
			t.Errorf("no text for stage %s", st)
		}
	}
	for k := range en {
		if strings.HasPrefix(k, "smtp.diag.") {
			id := strings.Split(strings.TrimPrefix(k, "smtp.diag."), ".")[0]
			found := false
			for _, x := range IDs {
				found = found || x == id
			}
			if !found {
				t.Errorf("text %s for an unknown ID", k)
			}
		}
	}
}
