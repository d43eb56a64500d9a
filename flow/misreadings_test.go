package flow

import (
	"strings"
	"testing"

	"mfpmail/assets"
)

// Issue 18 §1: token endpoint answers the wizard once read wrongly. The
// bodies are Microsoft's error JSON; diagnoseResponse is the one place
// every answer of the token endpoint passes through.
type misreadWant struct {
	id      string
	notBack StepID // BackTo must not be this
	text    []string
}

type want = misreadWant

var aadstsMisreadings = []struct {
	name string
	body string
	want misreadWant
}{
	{"65004 is the user declining consent",
		`{"error":"access_denied","error_description":"AADSTS65004: User declined to consent to access the app.","error_codes":[65004]}`,
		want{id: "consent-declined", text: []string{"declined"}}},
	{"interaction_required 50078 is another authentication step",
		`{"error":"interaction_required","error_description":"AADSTS50078: Presented multifactor authentication has expired due to policies configured by your administrator.","error_codes":[50078]}`,
		want{id: "mfa-required", notBack: StepConsent}},
	{"interaction_required 50072",
		`{"error":"interaction_required","error_description":"AADSTS50072: User needs to enroll for second factor authentication.","error_codes":[50072]}`,
		want{id: "mfa-registration", notBack: StepConsent}},
	{"interaction_required 50074",
		`{"error":"interaction_required","error_description":"AADSTS50074: Strong Authentication is required.","error_codes":[50074]}`,
		want{id: "mfa-required", notBack: StepConsent}},
	{"interaction_required 53004",
		`{"error":"interaction_required","error_description":"AADSTS53004: Proof up is required.","error_codes":[53004]}`,
		want{id: "mfa-registration", notBack: StepConsent}},
	{"interaction_required alone",
		`{"error":"interaction_required","error_description":"AADSTS12345: something new."}`,
		want{id: "interaction-required", notBack: StepConsent}},
	{"50105 assignment required",
		`{"error":"invalid_grant","error_description":"AADSTS50105: The signed in user 'scanner@contoso.com' is not assigned to a role for the application.","error_codes":[50105]}`,
		want{id: "not-assigned", text: []string{"Enterprise applications", "Assignment required"}}},
	{"700025 public client sent a secret",
		`{"error":"invalid_client","error_description":"AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.","error_codes":[700025]}`,
		want{id: "public-client-secret"}},
	{"500208 personal vs work",
		`{"error":"invalid_request","error_description":"AADSTS500208: The domain is not a valid login domain for the account type.","error_codes":[500208]}`,
		want{id: "wrong-account-type"}},
	{"error decides: a number in the description never overrides it",
		`{"error":"expired_token","error_description":"AADSTS65001: The user or administrator has not consented to use the application."}`,
		want{id: "code-expired"}},
	{"error_codes refine inside the class, description numbers do not",
		`{"error":"invalid_grant","error_description":"AADSTS65001: text that disagrees","error_codes":[50105]}`,
		want{id: "not-assigned"}},
	{"a code that does not fit the class does not override it",
		`{"error":"authorization_declined","error_description":"AADSTS53003: Access has been blocked by Conditional Access policies.","error_codes":[53003]}`,
		want{id: "declined"}},
}

func TestKnownAADSTSMisreadings(t *testing.T) {
	for _, tc := range aadstsMisreadings {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range assets.Langs {
				p := diagnoseResponse(lang, "login.example", nil, []byte(tc.body), "", "")
				if p.ID != tc.want.id {
					t.Fatalf("%s: id %q (%s), want %q", lang, p.ID, p.Title, tc.want.id)
				}
				if tc.want.notBack != "" && p.BackTo == tc.want.notBack {
					t.Errorf("%s: sends the technician back to %s", lang, p.BackTo)
				}
				if lang == assets.EN {
					for _, s := range tc.want.text {
						if !strings.Contains(p.Title+p.Detail+p.Fix, s) {
							t.Errorf("text lacks %q:\n%s\n%s\n%s", s, p.Title, p.Detail, p.Fix)
						}
					}
				}
			}
		})
	}
}

// The Device Email Address = UPN requirement is the vendor's procedure's;
// Microsoft documents no such rule for XOAUTH2.
func TestUPNRuleIsTheProcedures(t *testing.T) {
	for _, lang := range assets.Langs {
		for _, k := range []string{"check.device-email.device-differs.detail", "check.device-email.primary-differs.detail"} {
			s := assets.T(lang, k)
			if !strings.Contains(strings.ToLower(s), strings.ToLower(assets.T(lang, "smtp.word.procedure"))) {
				t.Errorf("%s %s does not name the vendor's procedure: %s", lang, k, s)
			}
			if strings.Contains(s, "Exchange Online accepts the sign-in only") || strings.Contains(s, "Exchange Online は、アカウントの UPN でのみ") {
				t.Errorf("%s %s states the rule as Microsoft's: %s", lang, k, s)
			}
		}
	}
}
