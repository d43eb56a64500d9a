package smtpcheck

import (
	"strconv"
	"strings"
)

// Source names the document a diagnosis rests on: a standard, one of
// Microsoft's pages, or a public field report (marked as such).
type Source struct{ Title, URL string }

// String is "Title <URL>", or "" for no source.
func (s Source) String() string {
	if s.Title == "" {
		return ""
	}
	if s.URL == "" {
		return s.Title
	}
	return s.Title + " <" + s.URL + ">"
}

// The documents the reply table rests on.
var (
	SrcRFC5321 = Source{"RFC 5321: Simple Mail Transfer Protocol (§4.2 reply codes)", "https://www.rfc-editor.org/rfc/rfc5321#section-4.2"}
	SrcRFC3463 = Source{"RFC 3463: Enhanced Mail System Status Codes", "https://www.rfc-editor.org/rfc/rfc3463"}
	SrcNDR     = Source{"Email non-delivery reports and SMTP errors in Exchange Online",
		"https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online"}
	SrcThrottle = Source{"Continuous error throttling for SMTP AUTH submissions",
		"https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/continuous-error-throttling-smtp-auth-submissions"}
	SrcSMTPAuth = Source{"Enable or disable authenticated client SMTP submission (SMTP AUTH) in Exchange Online",
		"https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission"}
	SrcOAuth = Source{"Authenticate an IMAP, POP or SMTP connection using OAuth",
		"https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"}
	SrcMFP = Source{"How to set up a multifunction device or application to send emails using Microsoft 365 or Office 365",
		"https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365"}
	SrcMFPFix = Source{"Fix issues with printers, scanners, and LOB applications that send email using Microsoft 365 or Office 365",
		"https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off"}
	SrcLimits = Source{"Exchange Online limits",
		"https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits"}
	SrcBasicRetire = Source{"Exchange Online to retire Basic auth for Client Submission (SMTP AUTH)",
		"https://techcommunity.microsoft.com/blog/exchange/exchange-online-to-retire-basic-auth-for-client-submission-smtp-auth/4114750"}
	// Field reports: the reply as users posted it; Microsoft's pages do not quote it.
	SrcField5739Tenant = Source{"Field report: SmtpClientAuthentication is disabled for the Tenant (simonrob/email-oauth2-proxy#193)",
		"https://github.com/simonrob/email-oauth2-proxy/issues/193"}
	SrcField5739Basic = Source{"Field report: 535 5.7.139 … basic authentication is disabled (rpremraj/mailR#107)",
		"https://github.com/rpremraj/mailR/issues/107"}
	SrcField574 = Source{"Field report: 504 5.7.4 Unrecognized authentication type (MailCore/mailcore2#1663)",
		"https://github.com/MailCore/mailcore2/issues/1663"}
	SrcFieldTLS = Source{"Field report: 421 4.7.66, the reply's own link (aka.ms/smtp_auth_tls)", "https://aka.ms/smtp_auth_tls"}
)

// replyRule maps a server reply to a diagnosis. Zero fields match anything;
// text is a case-insensitive substring; enhanced matches class.subject and
// a detail from enhanced[2] up to upTo (0: that detail only). The first
// matching rule wins.
type replyRule struct {
	code     int
	class    int // first digit of the code
	enhanced [3]int
	upTo     int
	text     string
	id       string
	variant  string
	source   Source
}

// replyRules: texts first (Exchange Online reuses 5.7.139 for several
// causes and 5.2.252 for two), then enhanced codes, then plain codes.
// (A table: its rows are alike by nature.)
var replyRules = []replyRule{
	{text: "Sender throttled due to continuous", id: IDSenderThrottled, source: SrcThrottle},
	{text: "SendAsDenied", id: IDSendAsDenied, variant: "denied", source: SrcMFPFix},
	{code: 554, enhanced: [3]int{5, 2, 252}, id: IDSendAsDenied, variant: "denied", source: SrcMFPFix},
	{enhanced: [3]int{5, 2, 251}, upTo: 255, id: IDSenderThrottled, source: SrcThrottle},
	{enhanced: [3]int{5, 7, 60}, id: IDSendAsDenied, variant: "permission", source: SrcMFPFix},
	{text: "does not have permissions to send as", id: IDSendAsDenied, variant: "permission", source: SrcMFPFix},
	{text: "SubmissionQuotaExceeded", id: IDQuota, source: SrcNDR},
	{text: "submission quota was exceeded", id: IDQuota, source: SrcNDR},
	{enhanced: [3]int{5, 2, 2}, id: IDQuota, source: SrcNDR},
	{enhanced: [3]int{5, 1, 90}, id: IDQuota, variant: "recipients", source: SrcNDR},
	{enhanced: [3]int{5, 1, 8}, id: IDSpamBlocked, source: SrcNDR},
	{text: "Bad outbound sender", id: IDSpamBlocked, source: SrcNDR},
	{enhanced: [3]int{4, 7, 66}, id: IDTLSTooOld, source: SrcFieldTLS},
	{text: "TLS 1.0 and 1.1 are not supported", id: IDTLSTooOld, source: SrcFieldTLS},
	{text: "disabled for the Tenant", id: IDSMTPAuthDisabledTenant, source: SrcSMTPAuth},
	{text: "disabled for the Mailbox", id: IDSMTPAuthDisabledMailbox, source: SrcSMTPAuth},
	{text: "security defaults", id: IDSecurityDefaults, source: SrcSMTPAuth},
	{text: "did not meet the criteria", id: IDConditionalAccess, source: SrcSMTPAuth},
	{text: "basic authentication is disabled", id: IDBasicAuth, variant: "disabled", source: SrcField5739Basic},
	{text: "Basic authentication is not supported", id: IDBasicAuth, variant: "retired", source: SrcBasicRetire},
	{enhanced: [3]int{5, 7, 30}, id: IDBasicAuth, variant: "retired", source: SrcBasicRetire},
	{text: "user credentials were incorrect", id: IDBasicAuth, variant: "password", source: SrcSMTPAuth},
	{enhanced: [3]int{5, 7, 139}, id: IDAuthPolicy, source: SrcSMTPAuth},
	{enhanced: [3]int{5, 7, 57}, id: IDNotAuthenticated, source: SrcNDR},
	{text: "Client was not authenticated", id: IDNotAuthenticated, source: SrcNDR},
	{text: "Unable to relay", id: IDNotAuthenticated, variant: "relay", source: SrcNDR},
	{code: 530, id: IDNotAuthenticated, source: SrcNDR},
	{enhanced: [3]int{5, 7, 4}, id: IDUnrecognizedAuth, source: SrcField574},
	{text: "Unrecognized authentication type", id: IDUnrecognizedAuth, source: SrcField574},
	{enhanced: [3]int{5, 7, 3}, id: IDAuthFailed, source: SrcOAuth},
	{enhanced: [3]int{5, 7, 8}, id: IDAuthFailed, source: SrcRFC3463},
	{code: 535, id: IDAuthFailed, source: SrcOAuth},
	{enhanced: [3]int{5, 1, 1}, id: IDRecipientUnknown, source: SrcNDR},
	{enhanced: [3]int{5, 1, 10}, id: IDRecipientUnknown, source: SrcNDR},
	{enhanced: [3]int{5, 5, 0}, text: "mailbox unavailable", id: IDRecipientUnknown, source: SrcNDR},
	{enhanced: [3]int{5, 7, 504}, id: IDRecipientUnknown, source: SrcNDR},
	{enhanced: [3]int{5, 7, 505}, id: IDRecipientUnknown, source: SrcNDR},
	{enhanced: [3]int{5, 1, 0}, id: IDRecipientUnknown, variant: "sender", source: SrcNDR},
	{enhanced: [3]int{5, 7, 1}, text: "Delivery not authorized", id: IDRecipientRestricted, source: SrcNDR},
	{enhanced: [3]int{5, 7, 12}, id: IDRecipientRestricted, source: SrcNDR},
	{enhanced: [3]int{5, 7, 13}, id: IDRecipientRestricted, source: SrcNDR},
	{enhanced: [3]int{5, 7, 124}, id: IDRecipientRestricted, source: SrcNDR},
	{enhanced: [3]int{5, 7, 133}, upTo: 136, id: IDRecipientRestricted, source: SrcNDR},
	{enhanced: [3]int{5, 7, 703}, id: IDRecipientRestricted, source: SrcNDR},
	{enhanced: [3]int{5, 7, 501}, upTo: 503, id: IDSenderBanned, source: SrcNDR},
	{enhanced: [3]int{5, 7, 750}, id: IDTenantBlocked, variant: "domains", source: SrcNDR},
	{enhanced: [3]int{5, 7, 700}, upTo: 749, id: IDTenantBlocked, source: SrcNDR},
	{enhanced: [3]int{5, 2, 121}, upTo: 122, id: IDRecipientRate, source: SrcNDR},
	{enhanced: [3]int{5, 6, 11}, id: IDBadContent, source: SrcNDR},
	{enhanced: [3]int{5, 3, 4}, id: IDTooLarge, source: SrcRFC3463},
	{code: 552, id: IDTooLarge, source: SrcRFC5321},
	{enhanced: [3]int{4, 3, 2}, id: IDThrottled, variant: "concurrent", source: SrcLimits},
	{code: 432, id: IDThrottled, variant: "concurrent", source: SrcLimits},
	{text: "sender thread limit", id: IDThrottled, variant: "concurrent", source: SrcLimits},
	{enhanced: [3]int{4, 7, 500}, upTo: 699, id: IDThrottled, variant: "suspicious", source: SrcNDR},
	{enhanced: [3]int{4, 7, 850}, upTo: 899, id: IDThrottled, variant: "suspicious", source: SrcNDR},
	{enhanced: [3]int{4, 5, 3}, id: IDThrottled, variant: "recipients", source: SrcNDR},
}

func (rr replyRule) match(r *Reply) bool {
	if rr.code != 0 && r.Code != rr.code {
		return false
	}
	if rr.class != 0 && r.Code/100 != rr.class && (r.Code != 0 || r.Enhanced[0] != rr.class) {
		return false
	}
	if rr.enhanced != [3]int{} {
		e := r.Enhanced
		if e[0] != rr.enhanced[0] || e[1] != rr.enhanced[1] {
			return false
		}
		if hi := max(rr.upTo, rr.enhanced[2]); e[2] < rr.enhanced[2] || e[2] > hi {
			return false
		}
	}
	if rr.text != "" && !strings.Contains(strings.ToLower(r.Text), strings.ToLower(rr.text)) {
		return false
	}
	return true
}

// refusal: a reply that refuses (4xx, 5xx), or an enhanced status code of
// class 4 or 5 quoted without its reply code (as a device's job log may).
func (r *Reply) refusal() bool {
	return r != nil && (r.Code >= 400 || (r.Code == 0 && r.Enhanced[0] >= 4))
}

// matchReply finds the first rule for a reply.
func matchReply(r *Reply) (replyRule, bool) {
	for _, rr := range replyRules {
		if rr.match(r) {
			return rr, true
		}
	}
	return replyRule{}, false
}

// throttleVariant names the cause of continuous error throttling by the
// detail of 5.2.251–5.2.255, or by the words of the reply.
func throttleVariant(r *Reply) string {
	names := map[int]string{251: "mailbox-full", 252: "send-as", 253: "licence", 254: "too-many-recipients", 255: "invalid-recipients"}
	if r.Enhanced[0] == 5 && r.Enhanced[1] == 2 {
		if v, ok := names[r.Enhanced[2]]; ok {
			return v
		}
	}
	words := map[string]string{"mailbox full": "mailbox-full", "send as denied": "send-as", "invalid license": "licence",
		"too many recipients": "too-many-recipients", "invalid recipients": "invalid-recipients"}
	low := strings.ToLower(r.Text)
	for w, v := range words {
		if strings.Contains(low, w) {
			return v
		}
	}
	return ""
}

// partWords are the short words for the title: class and subject.
func partWords(r *Reply) (class, subject string) {
	ck, sk := partKeys(r)
	class = strings.Replace(ck, "smtp.part.class.", "smtp.part.word.class.", 1)
	subject = "smtp.part.word.subject.none"
	if strings.HasPrefix(sk, "smtp.part.subject.") {
		subject = strings.Replace(sk, "smtp.part.subject.", "smtp.part.word.subject.", 1)
	}
	return class, subject
}

// partKeys are the texts that explain a reply by its parts: the class
// (RFC 5321 §4.2.1, 4xx temporary, 5xx permanent) and, from the enhanced
// code, the subject (RFC 3463 §3), else the reply code's second digit.
func partKeys(r *Reply) (class, subject string) {
	first := r.Code / 100
	if r.Code == 0 {
		first = r.Enhanced[0] // an enhanced code quoted alone
	}
	class = "smtp.part.class." + strconv.Itoa(first)
	if first != 4 && first != 5 {
		class = "smtp.part.class.other"
	}
	if r.HasEnhanced() && r.Enhanced[1] <= 7 {
		return class, "smtp.part.subject." + strconv.Itoa(r.Enhanced[1])
	}
	// RFC 3463 §3 defines the subjects 0 to 7; a code with another one
	// still is an enhanced code, so the reply code's digits do not stand in.
	if r.HasEnhanced() {
		return class, "smtp.part.subject.undefined"
	}
	if d := r.Code / 10 % 10; d <= 5 {
		return class, "smtp.part.second." + strconv.Itoa(d)
	}
	return class, "smtp.part.second.other"
}
