package demo

import (
	"net/http"
)

// Administrator consent: whether the tenant has consented to the vendor's
// app for the permissions a token asks for.

// GrantConsent records that an administrator consented for the tenant.
func (t *Tenant) GrantConsent() {
	t.mu.Lock()
	already := t.consent
	t.consent = true
	t.mu.Unlock()
	if !already {
		t.emit(Event{Kind: "consent_granted", Detail: "an administrator consented to " + appDisplayName + " for " + TenantDomain})
	}
}

// ConsentGranted says whether the tenant has consented to the app.
func (t *Tenant) ConsentGranted() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.consent
}

// consented says whether the tenant's consent covers ss (work accounts).
func (t *Tenant) consentedLocked(ss scopeSet) bool {
	if !t.consent {
		return false
	}
	for _, p := range ss.perms {
		if !hasString(appPermissions[ss.resource], p) {
			return false
		}
	}
	return true
}

// consentError is AADSTS65001 DelegationDoesNotExist, worded as Entra ID
// sends it (quoted in Microsoft's MSAL.NET documentation, "Integrated
// Windows Authentication": MsalUiRequiredException, AADSTS65001).
func consentError() *aadError {
	return aadErr(http.StatusBadRequest, "invalid_grant", 65001,
		"The user or administrator has not consented to use the application with ID '%s' named '%s'. Send an interactive authorization request for this user and resource.",
		ClientID, appDisplayName)
}
