package flow

import "mfpmail/smtpcheck"

// The documents the sign-in diagnoses rest on.
var (
	SrcAADSTS = smtpcheck.Source{Title: "Microsoft Entra authentication and authorization error codes",
		URL: "https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes"}
	SrcDeviceCode = smtpcheck.Source{Title: "Microsoft identity platform and the OAuth 2.0 device authorization grant flow",
		URL: "https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code"}
	SrcRFC8628 = smtpcheck.Source{Title: "RFC 8628: OAuth 2.0 Device Authorization Grant (§3.5)",
		URL: "https://www.rfc-editor.org/rfc/rfc8628#section-3.5"}
	SrcRFC6749 = smtpcheck.Source{Title: "RFC 6749: The OAuth 2.0 Authorization Framework (§5.2)",
		URL: "https://www.rfc-editor.org/rfc/rfc6749#section-5.2"}
	// Field report: Entra ID's answer for an expired device code is
	// AADSTS70020, a number Microsoft's reference does not list.
	SrcField70020 = smtpcheck.Source{Title: "Field report: az login --use-device-code fails: AADSTS70020 … This device code has expired (Azure/azure-cli#22251)",
		URL: "https://github.com/Azure/azure-cli/issues/22251"}
)

// AADSTS53003 (ca-blocked) names no policy: Entra ID's answer is the same
// whichever policy blocked. What the diagnosis says rests on these pages:
//   - the number: BlockedByConditionalAccess, "The access policy does not
//     allow token issuance" (SrcAADSTS);
//   - a policy can block the device code flow by its Authentication flows
//     condition: "Conditional Access: Authentication flows (Preview)",
//     https://learn.microsoft.com/en-my/entra/identity/conditional-access/concept-authentication-flows
//   - a policy can target Office 365 Exchange Online, or all resources:
//     "Conditional Access: Target resources",
//     https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-cloud-apps
//   - the sign-in logs, filtered on the correlation id, show on the failed
//     sign-in's Conditional Access tab which policy applied, with its
//     result: "Test and troubleshoot Conditional Access policies",
//     https://docs.microsoft.com/en-us/learn/modules/plan-implement-administer-conditional-access/7-test-troubleshooting-conditional-access-policies
//   - the exclusion: a policy's Users assignment has an Exclude list for
//     the necessary users, and a device code flow policy blocks access:
//     "Block authentication flows with Conditional Access policy",
//     https://learn.microsoft.com/en-gb/entra/identity/conditional-access/how-to-policy-authentication-flows
// The other Conditional Access numbers (a managed or compliant device, an
// approved app) keep the broader device-flow-blocked.

// Groups of AADSTS numbers: what an error class admits as a refinement.
const (
	gConsent     = "consent"
	gDeclined    = "declined"
	gCA          = "conditional-access"
	gMFA         = "mfa"
	gAssignment  = "assignment"
	gAccount     = "account"
	gAccountType = "account-type"
	gApp         = "app"
	gPublic      = "public-client"
	gTenant      = "tenant"
	gScope       = "scope"
	gCode        = "code"
	gSession     = "session"
	gService     = "service"
	gTransient   = "transient"
)

// aadsts builds an entry of the AADSTS table, sourced from Microsoft's
// error code reference.
func aadsts(id, group string, retry bool) entry {
	return entry{id: id, group: group, retry: retry, source: SrcAADSTS}
}

// byAADSTS maps Entra ID's AADSTS numbers (from "error_codes") to
// diagnoses. Microsoft says to react to "error", not to these; they
// refine the diagnosis inside the class "error" gives (errClass.admits).
// (A table: its rows are alike by nature.)
var byAADSTS = map[int]entry{
	65001:   {id: "consent-required", backTo: StepConsent, group: gConsent, source: SrcAADSTS},
	90094:   {id: "consent-required", backTo: StepConsent, group: gConsent, source: SrcAADSTS},
	90095:   {id: "consent-required", backTo: StepConsent, group: gConsent, source: SrcAADSTS},
	90008:   {id: "consent-required", backTo: StepConsent, group: gConsent, source: SrcAADSTS},
	650056:  {id: "consent-required", backTo: StepConsent, group: gConsent, source: SrcAADSTS},
	65004:   aadsts("consent-declined", gDeclined, true),
	53003:   aadsts("ca-blocked", gCA, false),
	53000:   aadsts("device-flow-blocked", gCA, false),
	53001:   aadsts("device-flow-blocked", gCA, false),
	53002:   aadsts("device-flow-blocked", gCA, false),
	50005:   aadsts("device-flow-blocked", gCA, false),
	50097:   aadsts("device-flow-blocked", gCA, false),
	50131:   aadsts("device-flow-blocked", gCA, false),
	530032:  aadsts("device-flow-blocked", gCA, false),
	530035:  aadsts("security-defaults", gCA, false),
	50074:   aadsts("mfa-required", gMFA, true),
	50076:   aadsts("mfa-required", gMFA, true),
	50078:   aadsts("mfa-required", gMFA, true),
	50072:   aadsts("mfa-registration", gMFA, true),
	50079:   aadsts("mfa-registration", gMFA, true),
	53004:   aadsts("mfa-registration", gMFA, true),
	50105:   aadsts("not-assigned", gAssignment, true),
	50053:   aadsts("account-locked", gAccount, true),
	50057:   aadsts("account-disabled", gAccount, true),
	50055:   aadsts("password-expired", gAccount, true),
	50144:   aadsts("password-expired", gAccount, true),
	50135:   aadsts("password-expired", gAccount, true),
	50020:   aadsts("wrong-account", gAccount, true),
	50034:   aadsts("wrong-account", gAccount, true),
	51004:   aadsts("wrong-account", gAccount, true),
	16000:   aadsts("wrong-account", gAccount, true),
	500208:  aadsts("wrong-account-type", gAccountType, true),
	9002332: aadsts("wrong-account-type", gAccountType, false),
	9001023: aadsts("wrong-account-type", gAccountType, false),
	90124:   aadsts("wrong-account-type", gAccountType, false),
	90130:   aadsts("wrong-account-type", gAccountType, false),
	700016:  aadsts("app-not-found", gApp, false),
	700011:  aadsts("app-not-found", gApp, false),
	70001:   aadsts("app-disabled", gApp, false),
	7000112: aadsts("app-disabled", gApp, false),
	7000218: aadsts("public-client-disabled", gPublic, false),
	700025:  aadsts("public-client-secret", gPublic, false),
	90002:   aadsts("unknown-tenant", gTenant, false),
	70011:   aadsts("invalid-scope", gScope, false),
	700022:  aadsts("invalid-scope", gScope, false),
	65005:   aadsts("invalid-scope", gScope, false),
	500011:  aadsts("service-missing", gService, false),
	650052:  aadsts("service-missing", gService, false),
	70019:   aadsts("code-expired", gCode, true),
	70020:   {id: "code-expired", group: gCode, retry: true, source: SrcField70020},
	70018:   aadsts("code-unknown", gCode, true),
	90120:   aadsts("code-used", gCode, true),
	50173:   aadsts("session-expired", gSession, true),
	700082:  aadsts("session-expired", gSession, true),
	70008:   aadsts("session-expired", gSession, true),
	50132:   aadsts("session-expired", gSession, true),
	50133:   aadsts("session-expired", gSession, true),
	70043:   aadsts("session-expired", gSession, true),
	50089:   aadsts("session-expired", gSession, true),
	50033:   aadsts("temporarily-unavailable", gTransient, true),
	90006:   aadsts("temporarily-unavailable", gTransient, true),
	90024:   aadsts("temporarily-unavailable", gTransient, true),
	90033:   aadsts("temporarily-unavailable", gTransient, true),
	90090:   aadsts("temporarily-unavailable", gTransient, true),
}

// errClass is what an RFC 6749 / RFC 8628 "error" value means, for any
// identity provider, and which AADSTS groups may refine it.
type errClass struct {
	entry
	admits []string
}

func (c errClass) allows(group string) bool {
	for _, g := range c.admits {
		if g == group {
			return true
		}
	}
	return false
}

// byError: the class of each "error" value. invalid_grant is Entra ID's
// broad refusal, so most groups refine it; interaction_required means
// another authentication step is needed (Microsoft's error table), never
// consent unless the number says so.
var byError = map[string]errClass{
	"authorization_declined": {entry{id: "declined", retry: true, source: SrcDeviceCode}, []string{gDeclined}},
	"access_denied":          {entry{id: "declined", retry: true, source: SrcRFC8628}, []string{gDeclined, gCA, gAssignment, gAccount}},
	"expired_token":          {entry{id: "code-expired", retry: true, source: SrcDeviceCode}, []string{gCode}},
	"bad_verification_code":  {entry{id: "code-unknown", retry: true, source: SrcDeviceCode}, []string{gCode}},
	"invalid_client":         {entry{id: "public-client-disabled", source: SrcAADSTS}, []string{gPublic, gApp}},
	"unauthorized_client":    {entry{id: "app-not-allowed", source: SrcAADSTS}, []string{gApp, gAccountType, gTenant, gPublic}},
	"invalid_scope":          {entry{id: "invalid-scope", source: SrcAADSTS}, []string{gScope, gService}},
	"invalid_resource":       {entry{id: "service-missing", source: SrcAADSTS}, []string{gService}},
	"invalid_request": {entry{id: "unexpected", source: SrcAADSTS},
		[]string{gTenant, gAccountType, gPublic, gScope, gApp, gService, gCode}},
	"invalid_grant": {entry{id: "grant-refused", retry: true, source: SrcAADSTS},
		[]string{gConsent, gDeclined, gCA, gMFA, gAssignment, gAccount, gAccountType, gSession, gTenant, gService, gCode, gApp}},
	"interaction_required": {entry{id: "interaction-required", retry: true, source: SrcAADSTS},
		[]string{gMFA, gCA, gConsent, gDeclined, gAccount, gSession, gAssignment}},
	"consent_required":        {entry{id: "consent-required", backTo: StepConsent, source: SrcAADSTS}, []string{gConsent, gDeclined}},
	"temporarily_unavailable": {entry{id: "temporarily-unavailable", retry: true, source: SrcRFC6749}, []string{gTransient}},
}

// classifyOAuth picks the diagnosis of an error answer. The "error" value
// decides the class; a number from "error_codes" refines it when the class
// admits the number's group. Only when "error" is missing or unknown do
// the numbers decide alone, "error_codes" before numbers read out of
// "error_description". known: the answer is in the tables.
func classifyOAuth(errValue string, codes, descCodes []int) (e entry, known bool) {
	cls, ok := byError[errValue]
	if !ok {
		for _, list := range [][]int{codes, descCodes} {
			for _, c := range list {
				if e, ok := byAADSTS[c]; ok {
					return e, true
				}
			}
		}
		return entry{id: "unexpected", source: SrcRFC6749}, false
	}
	for _, c := range codes {
		if e, ok := byAADSTS[c]; ok && cls.allows(e.group) {
			return e, true
		}
	}
	return cls.entry, cls.id != "unexpected"
}
