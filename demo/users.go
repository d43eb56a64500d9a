// Package demo is the simulated tenant: an Entra ID (device code and token
// endpoints), a Microsoft Graph /me and an Exchange Online SMTP submission
// server, all on loopback. It backs --demo, `mfpmail demo-tenant` and the
// tests, and reproduces Microsoft's fields, error shapes and replies.
package demo

import "time"

// The simulated organisation.
const (
	TenantID     = "4f6c2b1e-8d3a-4c7b-9e21-5a0d7c9b3f18"
	TenantDomain = "contoso.com"
	// TenantInitialDomain is the tenant's onmicrosoft.com domain.
	TenantInitialDomain = "contoso.onmicrosoft.com"
	// ConsumerTenantID is the tid Microsoft gives every personal account.
	ConsumerTenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"
	// ClientID is the device vendor's app named in the procedure's consent link.
	ClientID = "c88859d7-e6a2-48cb-acee-669df3387654"
)

// User is an account of the simulated tenant.
type User struct {
	UPN            string
	Mail           string // primary SMTP address (Graph "mail")
	Name           string
	ObjectID       string
	ProxyAddresses []string // "SMTP:" primary, "smtp:" aliases
	Personal       bool     // an Outlook.com account (consumers)
	// SMTPAuthDisabled: the mailbox's own SmtpClientAuthenticationDisabled.
	SMTPAuthDisabled bool
	// SendAs lists the other addresses this user was granted Send As on.
	SendAs []string
}

// Users are the accounts the simulated tenant knows. The first is the one
// the simulated user signs in with unless a scenario says otherwise.
var Users = []User{
	{
		UPN: "scanner@contoso.com", Mail: "scanner@contoso.com", Name: "Scanner, 3rd floor",
		ObjectID:       "0a1b2c3d-1111-4e5f-8a9b-000000000001",
		ProxyAddresses: []string{"SMTP:scanner@contoso.com", "smtp:scan@contoso.com", "smtp:scanner@contoso.onmicrosoft.com"},
		SendAs:         []string{"frontdesk@contoso.com"},
	},
	{
		// Primary address differs from the UPN: the device takes the primary
		// address and authentication then fails.
		UPN: "mfp-lobby@contoso.onmicrosoft.com", Mail: "lobby.printer@contoso.com", Name: "Lobby MFP",
		ObjectID:       "0a1b2c3d-2222-4e5f-8a9b-000000000002",
		ProxyAddresses: []string{"SMTP:lobby.printer@contoso.com", "smtp:mfp-lobby@contoso.onmicrosoft.com"},
	},
	{
		// SMTP AUTH switched off for this mailbox.
		UPN: "copier@contoso.com", Mail: "copier@contoso.com", Name: "Copier, basement",
		ObjectID:         "0a1b2c3d-3333-4e5f-8a9b-000000000003",
		ProxyAddresses:   []string{"SMTP:copier@contoso.com"},
		SMTPAuthDisabled: true,
	},
	{
		UPN: "scanner.demo@outlook.com", Mail: "scanner.demo@outlook.com", Name: "Scanner Demo",
		ObjectID: "00000000-0000-0000-4a5b-6c7d8e9f0a1b",
		Personal: true,
	},
}

// FindUser returns the user whose UPN, mail or proxy address is addr
// (case-insensitive).
func FindUser(addr string) (User, bool) {
	for _, u := range Users {
		if equalFold(u.UPN, addr) || equalFold(u.Mail, addr) {
			return u, true
		}
		for _, p := range u.ProxyAddresses {
			if len(p) > 5 && equalFold(p[5:], addr) {
				return u, true
			}
		}
	}
	return User{}, false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// TokenInfo is what the simulated tenant knows of an access token it issued.
type TokenInfo struct {
	UPN      string
	TenantID string
	Scopes   []string // short names, e.g. "SMTP.Send", "User.Read"
	Audience string   // "https://outlook.office.com" or "https://graph.microsoft.com"
	Expiry   time.Time
}

// TokenValidator looks up an access token. The simulated Exchange Online
// accepts XOAUTH2 only with a token the simulated tenant issued.
type TokenValidator interface {
	ValidateAccessToken(token string) (TokenInfo, bool)
}
