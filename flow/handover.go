package flow

import (
	"strconv"

	"mfpmail/assets"
)

// Handover is the section for the customer's administrator: what ends
// the device's sign-in, how to sign it in again, how to confirm later that
// it sends with OAuth, and the date that makes it urgent. Every fact comes
// from Microsoft's pages:
//
//   - "Refresh tokens in the Microsoft identity platform"
//     (learn.microsoft.com/entra/identity-platform/refresh-tokens): the
//     default lifetime is 90 days, and a token replaces itself on every
//     use, so a device that keeps sending keeps its sign-in; a refresh
//     token is revoked when the user changes the password, resets it
//     (SSPR) or an administrator resets it, but not when the password
//     merely expires; revoked when the user or an administrator revokes
//     the refresh tokens. Its lifetime cannot be configured: Conditional
//     Access sign-in frequency decides when a user must sign in again.
//   - "Revoke user access in Microsoft Entra ID": disabling the account
//     and revoking its sessions (revokeSignInSessions) end every refresh
//     token; a deleted account cannot sign in.
//   - "Grant tenant-wide admin consent to an application" and
//     "Configure how users consent to applications": consent removed from
//     the enterprise application ends what it allowed.
//   - "Authentication flows" in Conditional Access
//     (learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows):
//     a policy can block the device code flow the device signs in with.
//   - "Exchange Online to retire Basic auth for Client Submission (SMTP
//     AUTH)" (Exchange Team Blog, MC786329): the SMTP AUTH Clients
//     Submission report in the Exchange admin center has an Authentication
//     Protocol column (Basic or OAuth); the update of 27 January 2026
//     (Exchange Team Blog 4489835) turns Basic authentication for SMTP AUTH
//     off by default for existing tenants at the end of December 2026.
type Handover struct {
	Title        string   `json:"title"`
	Lead         string   `json:"lead"`
	Ends         []string `json:"what_ends_the_sign_in"`
	SignInAgain  []string `json:"sign_in_again"`
	ConfirmOAuth string   `json:"confirm_oauth,omitempty"`
	Deadline     string   `json:"deadline,omitempty"`
}

// handoverEnds: how many "what ends it" items each account type has;
// Outlook.com has no tenant, so no consent, Conditional Access or
// tenant-wide hardening.
var handoverEnds = map[Account]int{AccountWork: 7, AccountPersonal: 2}

// HandoverFor writes the handover section for the account upn ("" = the
// sending account) on a device with web UI gen.
func HandoverFor(lang assets.Lang, gen UIGen, a Account, upn string) Handover {
	if a != AccountPersonal {
		a = AccountWork
	}
	if upn == "" {
		upn = assets.T(lang, "handover.the_account")
	}
	kv := append(labels(lang, gen), "upn", upn)
	t := func(k string) string { return assets.T(lang, "handover."+k, kv...) }
	h := Handover{Title: t("title"), Lead: t("lead")}
	for i := 1; i <= handoverEnds[a]; i++ {
		h.Ends = append(h.Ends, t("ends."+strconv.Itoa(i)))
	}
	h.SignInAgain = []string{t("again.1"), t("again.2")}
	if a == AccountWork {
		h.ConfirmOAuth, h.Deadline = t("confirm.1"), t("date")
	}
	return h
}

// HandoverHeadings are the section's sub-headings in lang: what ends it,
// signing in again, confirming OAuth, the date.
func HandoverHeadings(lang assets.Lang) (ends, again, confirm, date string) {
	return assets.T(lang, "handover.ends.title"), assets.T(lang, "handover.again.title"),
		assets.T(lang, "handover.confirm.title"), assets.T(lang, "handover.date.title")
}
