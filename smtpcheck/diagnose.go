package smtpcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-smtp"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
)

// Diagnosis explains a test send to the technician: what happened in plain
// words and the exact fix. Texts come from assets/text/<lang>/smtp.json.
type Diagnosis struct {
	ID     string // stable, lower-case kebab: one of the ID… constants
	OK     bool   // the message was accepted
	Title  string
	Detail string
	Fix    string
	Who    string // WhoTechnician, WhoTenantAdmin or "" (nobody: wait, or nothing to do)
	// Recognised: the reply is in the table of documented replies. When
	// false it is explained by its parts (RFC 5321 class, RFC 3463 subject).
	Recognised bool
	// Source names the document the diagnosis rests on: title and address.
	Source string
}

// Who fixes it.
const (
	WhoTechnician  = "technician"
	WhoTenantAdmin = "tenant admin"
)

// Diagnosis IDs. They are stable: the UI and the procedure refer to them.
const (
	IDOK                      = "ok"
	IDAuthFailed              = "auth-failed"                // 535 5.7.3
	IDSMTPAuthDisabledTenant  = "smtp-auth-disabled-tenant"  // 535 5.7.139 … disabled for the Tenant
	IDSMTPAuthDisabledMailbox = "smtp-auth-disabled-mailbox" // 535 5.7.139 … disabled for the Mailbox
	IDSMTPAuthConsumer        = "smtp-auth-consumer"         // the same, for an Outlook.com account
	IDSecurityDefaults        = "security-defaults"          // 535 5.7.139 … security defaults policy
	IDConditionalAccess       = "conditional-access"         // 535 5.7.139 … did not meet the criteria
	IDBasicAuth               = "basic-auth"                 // 550 5.7.30, 535 5.7.139 basic authentication is disabled
	IDNotAuthenticated        = "not-authenticated"          // 530 5.7.57
	IDSendAsDenied            = "send-as-denied"             // 554 5.2.252 SendAsDenied, 5.7.60
	IDThrottled               = "throttled"                  // 4xx, 432 4.3.2
	IDQuota                   = "quota"                      // 554 5.2.0 SubmissionQuotaExceeded
	IDSpamBlocked             = "spam-blocked"               // 550 5.1.8
	IDTLSTooOld               = "tls-too-old"                // 421 4.7.66
	IDUnrecognizedAuth        = "unrecognized-auth"          // 504 5.7.4
	IDNoSTARTTLS              = "no-starttls"                // STARTTLS not offered: stopped before AUTH
	IDNoXOAUTH2               = "no-xoauth2"                 // AUTH XOAUTH2 not offered after TLS
	IDTLSFailed               = "tls-failed"                 // certificate or handshake
	IDTimeout                 = "timeout"                    // no answer in time
	IDDropped                 = "dropped"                    // connection closed unexpectedly
	IDDialFailed              = "dial-failed"                // DNS, refused, unreachable
	IDCancelled               = "cancelled"                  // the caller cancelled
	IDInvalidOptions          = "invalid-options"            // the wizard passed something unusable
	IDUnexpected              = "unexpected"                 // anything else, shown as received
	IDEndlessReply            = "endless-reply"              // a reply past MaxReplyLines / MaxReplyBytes
	IDSenderThrottled         = "sender-throttled"           // 550 5.2.251–5.2.255 continuous error throttling
	IDAuthPolicy              = "auth-policy"                // 535 5.7.139, the organisation's authentication policy
	IDRecipientUnknown        = "recipient-unknown"          // 5.1.1, 5.1.10, 5.5.0, 5.7.504: no such recipient
	IDRecipientRestricted     = "recipient-restricted"       // 5.7.1, 5.7.12, 5.7.124, 5.7.133–5.7.136, 5.7.703
	IDSenderBanned            = "sender-banned"              // 5.7.501–5.7.503: account banned for spam
	IDTenantBlocked           = "tenant-blocked"             // 5.7.700–5.7.750: the tenant's sending blocked
	IDRecipientRate           = "recipient-rate"             // 5.2.121, 5.2.122: the recipient gets too much
	IDTooLarge                = "too-large"                  // 552, 5.3.4: message too big
	IDBadContent              = "bad-content"                // 5.6.11: bare line feeds
	IDUnlistedReply           = "unlisted-reply"             // a reply in no table: explained by its parts
)

// IDs lists every diagnosis ID (tests check both languages define them).
var IDs = []string{
	IDOK, IDAuthFailed, IDSMTPAuthDisabledTenant, IDSMTPAuthDisabledMailbox, IDSMTPAuthConsumer,
	IDSecurityDefaults, IDConditionalAccess, IDBasicAuth, IDNotAuthenticated, IDSendAsDenied,
	IDThrottled, IDQuota, IDSpamBlocked, IDTLSTooOld, IDUnrecognizedAuth, IDNoSTARTTLS,
	IDNoXOAUTH2, IDTLSFailed, IDTimeout, IDDropped, IDDialFailed, IDCancelled, IDInvalidOptions,
	IDUnexpected, IDEndlessReply, IDSenderThrottled, IDAuthPolicy, IDRecipientUnknown,
	IDRecipientRestricted, IDSenderBanned, IDTenantBlocked, IDRecipientRate, IDTooLarge, IDBadContent,
	IDUnlistedReply,
}

var who = map[string]string{
	IDAuthFailed:              WhoTechnician,
	IDSMTPAuthDisabledTenant:  WhoTenantAdmin,
	IDSMTPAuthDisabledMailbox: WhoTenantAdmin,
	IDSMTPAuthConsumer:        WhoTechnician,
	IDSecurityDefaults:        WhoTenantAdmin,
	IDConditionalAccess:       WhoTenantAdmin,
	IDBasicAuth:               WhoTechnician,
	IDNotAuthenticated:        WhoTechnician,
	IDSendAsDenied:            WhoTechnician,
	IDQuota:                   WhoTenantAdmin,
	IDSpamBlocked:             WhoTenantAdmin,
	IDTLSTooOld:               WhoTechnician,
	IDUnrecognizedAuth:        WhoTechnician,
	IDNoSTARTTLS:              WhoTechnician,
	IDNoXOAUTH2:               WhoTechnician,
	IDTLSFailed:               WhoTechnician,
	IDTimeout:                 WhoTechnician,
	IDDropped:                 WhoTechnician,
	IDDialFailed:              WhoTechnician,
	IDInvalidOptions:          WhoTechnician,
	IDEndlessReply:            WhoTechnician,
	IDSenderThrottled:         WhoTechnician,
	IDAuthPolicy:              WhoTenantAdmin,
	IDRecipientUnknown:        WhoTechnician,
	IDRecipientRestricted:     WhoTenantAdmin,
	IDSenderBanned:            WhoTenantAdmin,
	IDTenantBlocked:           WhoTenantAdmin,
	IDTooLarge:                WhoTechnician,
	IDBadContent:              WhoTechnician,
}

// Errors Send reports; Diagnose recognises them.
var (
	// ErrNoSTARTTLS: the server's EHLO did not offer STARTTLS. Send stops
	// there, so the token is never sent over an unencrypted connection.
	ErrNoSTARTTLS = errors.New("smtpcheck: the server does not offer STARTTLS")
	// ErrNoXOAUTH2: after TLS the server's EHLO did not offer AUTH XOAUTH2.
	ErrNoXOAUTH2 = errors.New("smtpcheck: the server does not offer AUTH XOAUTH2")
)

// OptionError says which Options field Send cannot use.
type OptionError struct {
	Field string // "Host", "Port", "User", "Token", "From", "To"
	Msg   string
}

func (e *OptionError) Error() string { return "smtpcheck: Options." + e.Field + ": " + e.Msg }

// Setup adds what the reply alone does not say: who signed in and where
// the wizard connected. It fills placeholders in the texts and tells an
// Outlook.com account from a work account. Its zero value is fine.
type Setup struct {
	User, From string
	Host       string
	Port       int
	// Wait is the command timeout, named in the timeout text.
	Wait time.Duration
}

// Diagnose explains the outcome of a test send from the stage it stopped
// at, the deciding server reply (nil if none) and the error (nil if none).
// It is pure: the reply text alone decides (see the rules table), and
// placeholders such as the UPN are shown as "<UPN>". Use DiagnoseWith to
// name the account and host.
func Diagnose(lang assets.Lang, stage Stage, r *Reply, err error) Diagnosis {
	return DiagnoseWith(lang, stage, r, err, Setup{})
}

// DiagnoseWith is Diagnose with the account and host filled in.
func DiagnoseWith(lang assets.Lang, stage Stage, r *Reply, err error, c Setup) Diagnosis {
	if r == nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			r = replyOf(se)
		}
	}
	id, variant := classify(stage, r, err, c)
	d := render(lang, id, variant, stage, r, err, c)
	d.Recognised = id != IDUnlistedReply && id != IDUnexpected
	d.Source = sourceOf(id, r)
	return d
}

// sourceOf names the document behind a diagnosis: the reply rule's, the
// standards for a reply explained by its parts, Microsoft's device set-up
// pages for what happened on the way (connection, TLS, offers).
func sourceOf(id string, r *Reply) string {
	if r.refusal() {
		if rr, ok := matchReply(r); ok {
			return rr.source.String()
		}
		return SrcRFC5321.String() + "; " + SrcRFC3463.String()
	}
	switch id {
	case IDOK, IDNoXOAUTH2:
		return SrcOAuth.String()
	case IDNoSTARTTLS, IDTLSFailed, IDDialFailed, IDTimeout, IDDropped:
		return SrcMFP.String()
	}
	return ""
}

// classify picks the diagnosis ID and the text variant.
func classify(stage Stage, r *Reply, err error, c Setup) (id, variant string) {
	var oe *OptionError
	var ie *internalError
	switch {
	case errors.As(err, &oe):
		return IDInvalidOptions, ""
	case errors.As(err, &ie):
		return IDUnexpected, "error"
	case errors.Is(err, context.Canceled):
		return IDCancelled, ""
	case errors.Is(err, ErrNoSTARTTLS):
		return IDNoSTARTTLS, ""
	case errors.Is(err, ErrNoXOAUTH2):
		return IDNoXOAUTH2, ""
	case errors.Is(err, ErrEndlessReply):
		return IDEndlessReply, ""
	}
	if r.refusal() {
		if rr, ok := matchReply(r); ok {
			switch {
			case rr.id == IDSMTPAuthDisabledMailbox && isConsumer(c):
				return IDSMTPAuthConsumer, ""
			case rr.id == IDSenderThrottled:
				return rr.id, throttleVariant(r)
			}
			return rr.id, rr.variant
		}
		return IDUnlistedReply, ""
	}
	if err == nil {
		return IDOK, ""
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return IDTimeout, "run" // the caller's deadline: Send reports ctx.Err()
	}
	if stage == StageDial {
		return IDDialFailed, dialVariant(err)
	}
	if v := tlsVariant(err); v != "" {
		return IDTLSFailed, v
	}
	if isTimeout(err) {
		return IDTimeout, ""
	}
	if stage == StageTLS {
		return IDTLSFailed, "handshake"
	}
	if isDropped(err) {
		return IDDropped, ""
	}
	return IDUnexpected, "error"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func isDropped(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED)
}

func dialVariant(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case isTimeout(err):
		return "timeout"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "unreachable"
	}
	return "other"
}

// tlsVariant names a TLS failure: untrusted, name, expired, invalid,
// version, not-tls; "" if err is not one.
func tlsVariant(err error) string {
	var (
		unknown  x509.UnknownAuthorityError
		unknownP *x509.UnknownAuthorityError
		host     x509.HostnameError
		hostP    *x509.HostnameError
		invalid  x509.CertificateInvalidError
		invalidP *x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
	)
	switch {
	case errors.As(err, &unknown), errors.As(err, &unknownP):
		return "untrusted"
	case errors.As(err, &host), errors.As(err, &hostP):
		return "name"
	case errors.As(err, &invalid):
		return invalidVariant(invalid)
	case errors.As(err, &invalidP):
		return invalidVariant(*invalidP)
	case errors.As(err, &verify):
		return "untrusted"
	case errors.As(err, &record):
		return "not-tls"
	case errors.As(err, &alert):
		if alert == 70 { // protocol_version
			return "version"
		}
		return "handshake"
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "protocol version not supported"), strings.Contains(msg, "no supported versions"),
		strings.Contains(msg, "unsupported protocol version"):
		return "version"
	case strings.Contains(msg, "certificate signed by unknown authority"):
		return "untrusted"
	case strings.HasPrefix(msg, "tls: "):
		return "handshake"
	}
	return ""
}

func invalidVariant(e x509.CertificateInvalidError) string {
	if e.Reason == x509.Expired {
		return "expired"
	}
	return "invalid"
}

// consumerDomains are Microsoft's personal (Outlook.com) mail domains.
var consumerDomains = []string{
	"outlook.com", "outlook.jp", "hotmail.com", "hotmail.co.jp", "hotmail.co.uk",
	"live.com", "live.jp", "msn.com",
}

func isConsumer(c Setup) bool {
	if strings.EqualFold(c.Host, "smtp-mail.outlook.com") {
		return true
	}
	for _, addr := range []string{c.User, c.From} {
		_, dom, ok := strings.Cut(addr, "@")
		if !ok {
			continue
		}
		for _, d := range consumerDomains {
			if strings.EqualFold(dom, d) {
				return true
			}
		}
	}
	return false
}

// render fills the texts. Keys: smtp.diag.<id>.title, .detail (or
// .detail.<variant> when the variant has its own), .fix (likewise).
func render(lang assets.Lang, id, variant string, stage Stage, r *Reply, err error, c Setup) Diagnosis {
	kv := placeholders(lang, stage, r, err, c)
	pick := func(field string) string {
		base := "smtp.diag." + id + "." + field
		if variant != "" && assets.Has(assets.EN, base+"."+variant) {
			base += "." + variant
		}
		if !assets.Has(assets.EN, base) {
			return ""
		}
		return assets.T(lang, base, kv...)
	}
	return Diagnosis{
		ID:     id,
		OK:     id == IDOK,
		Title:  pick("title"),
		Detail: pick("detail"),
		Fix:    pick("fix"),
		Who:    who[id],
	}
}

func placeholders(lang assets.Lang, stage Stage, r *Reply, err error, c Setup) []string {
	or := func(v, key string) string {
		if v != "" {
			return v
		}
		return assets.T(lang, key)
	}
	port := ""
	if c.Port > 0 {
		port = strconv.Itoa(c.Port)
	}
	wait := ""
	if c.Wait > 0 {
		wait = c.Wait.String()
	}
	from := c.From
	if from == "" {
		from = c.User
	}
	code, text, mechs := replyValues(r)
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	var oe *OptionError
	field := ""
	if errors.As(err, &oe) {
		field = oe.Field
	}
	// A code quoted without its text (an enhanced code alone, a bare "535")
	// reads "5.7.139", not "5.7.139 (none)": the pair "{code} {text}" that
	// every reply text holds becomes "{code}" before the values go in.
	bare := []string{}
	if code != "" && text == "" {
		bare = []string{"code} {text", "{code}"}
	}
	return append(append(bare,
		"upn", or(c.User, "smtp.ph.upn"),
		"from", or(from, "smtp.ph.from"),
		"host", or(c.Host, "smtp.ph.host"),
		"port", or(port, "smtp.ph.port"),
		"wait", or(wait, "smtp.ph.wait"),
		"stage", stageName(lang, stage),
		"code", or(code, "smtp.ph.none"),
		"text", or(text, "smtp.ph.none"),
		"mechs", or(mechs, "smtp.ph.none"),
		"err", or(untrusted.Line(errText), "smtp.ph.none"),
		"field", field,
		"lines", strconv.Itoa(MaxReplyLines),
		"size", strconv.Itoa(MaxReplyBytes>>10)+" KiB",
	), partValues(lang, r)...)
}

// replyValues are the reply's code ("550 5.2.252", or the enhanced code
// alone when quoted without its reply code), its text on one line, and
// for the EHLO reply what AUTH offered.
func replyValues(r *Reply) (code, text, mechs string) {
	if r == nil {
		return "", "", ""
	}
	code = r.EnhancedString()
	if r.Code > 0 {
		code = strings.TrimSpace(strconv.Itoa(r.Code) + " " + code)
	}
	// Without its final full stop: the texts put their own after it.
	text = strings.TrimSuffix(untrusted.Line(strings.ReplaceAll(r.Text, "\n", " ")), ".")
	if r.Code == 250 {
		for _, l := range strings.Split(r.Text, "\n") {
			if f := strings.Fields(l); len(f) > 0 && strings.EqualFold(f[0], "AUTH") {
				mechs = strings.Join(f[1:], " ")
			}
		}
	}
	return code, text, mechs
}

// partValues explain a reply by its parts, for the texts: class, subject
// and their short words.
func partValues(lang assets.Lang, r *Reply) []string {
	if r == nil {
		return []string{"class", "", "subject", "", "classword", "", "subjectword", ""}
	}
	ck, sk := partKeys(r)
	cw, sw := partWords(r)
	return []string{"class", assets.T(lang, ck), "subject", assets.T(lang, sk),
		"classword", assets.T(lang, cw), "subjectword", assets.T(lang, sw)}
}

// stageName is the stage in words ("signing in"), for the texts.
func stageName(lang assets.Lang, stage Stage) string {
	if stage == "" || !assets.Has(assets.EN, "smtp.stage."+string(stage)) {
		return assets.T(lang, "smtp.ph.stage")
	}
	return assets.T(lang, "smtp.stage."+string(stage))
}
