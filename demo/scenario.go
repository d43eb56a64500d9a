package demo

import (
	"fmt"
	"strings"
)

// Scenario is a training scenario: one failure the procedure warns about,
// reproduced at the step where a technician would meet it.
type Scenario string

// The scenarios, by name (an enumeration: its lines are alike by nature).
const (
	ScenarioOK                     Scenario = "ok"
	ScenarioConsentRequired        Scenario = "consent-required"
	ScenarioDeviceFlowBlocked      Scenario = "device-flow-blocked"
	ScenarioDeclined               Scenario = "declined"
	ScenarioCodeExpired            Scenario = "code-expired"
	ScenarioSlowDown               Scenario = "slow-down"
	ScenarioUPNMismatch            Scenario = "upn-mismatch"
	ScenarioSendAsDenied           Scenario = "send-as-denied"
	ScenarioSMTPAuthDisabled       Scenario = "smtp-auth-disabled"
	ScenarioNoSTARTTLS             Scenario = "no-starttls"
	ScenarioLoginCredentialsRemote Scenario = "login-credentials-remote"
	// The scenarios below answer with a reply Microsoft documents (or a
	// public field report shows, where Microsoft's pages give no text);
	// each reply's source is named where it is built.
	ScenarioSecurityDefaults    Scenario = "security-defaults"
	ScenarioMFARequired         Scenario = "mfa-required"
	ScenarioNotAssigned         Scenario = "not-assigned"
	ScenarioSenderThrottled     Scenario = "sender-throttled"
	ScenarioCAExchange          Scenario = "ca-exchange"
	ScenarioSMTPAuthTenant      Scenario = "smtp-auth-disabled-tenant"
	ScenarioPersonalSMTPRefused Scenario = "personal-smtp-refused"
)

// Scenarios lists every scenario in the order a trainer would show them.
var Scenarios = []Scenario{
	ScenarioOK, ScenarioConsentRequired, ScenarioDeviceFlowBlocked, ScenarioDeclined,
	ScenarioCodeExpired, ScenarioSlowDown, ScenarioUPNMismatch, ScenarioSendAsDenied,
	ScenarioSMTPAuthDisabled, ScenarioNoSTARTTLS, ScenarioLoginCredentialsRemote,
	ScenarioSecurityDefaults, ScenarioMFARequired, ScenarioNotAssigned, ScenarioSenderThrottled,
	ScenarioCAExchange, ScenarioSMTPAuthTenant, ScenarioPersonalSMTPRefused,
}

// ParseScenario accepts a scenario name.
func ParseScenario(s string) (Scenario, error) {
	for _, sc := range Scenarios {
		if string(sc) == strings.TrimSpace(s) {
			return sc, nil
		}
	}
	names := make([]string, len(Scenarios))
	for i, sc := range Scenarios {
		names[i] = string(sc)
	}
	return "", fmt.Errorf("--scenario %q: allowed values are %s", s, strings.Join(names, ", "))
}

// SignInUser is the account the simulated user signs in with in this scenario.
func (s Scenario) SignInUser(personal bool) User {
	if personal {
		u, _ := FindUser("scanner.demo@outlook.com")
		return u
	}
	switch s {
	case ScenarioUPNMismatch:
		u, _ := FindUser("mfp-lobby@contoso.onmicrosoft.com")
		return u
	case ScenarioSMTPAuthDisabled:
		u, _ := FindUser("copier@contoso.com")
		return u
	}
	return Users[0]
}

// DefaultSender is the sender address the scenario's device uses: an
// address the account has no Send As right on for send-as-denied and
// sender-throttled (the device that kept sending with it got the mailbox
// throttled), the UPN ("") otherwise.
func (s Scenario) DefaultSender() string {
	if s == ScenarioSendAsDenied || s == ScenarioSenderThrottled {
		return "reception@contoso.com"
	}
	return ""
}
