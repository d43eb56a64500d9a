package flow

import (
	"errors"
	"strings"
	"testing"

	"mfpmail/assets"
)

func TestExplain(t *testing.T) {
	cases := []struct {
		in         string
		kind, id   string
		recognised bool
		text       string // in title, cause or fix
	}{
		{"550 5.2.252 Sender throttled due to continuous send as denied errors.", "smtp", "sender-throttled", true, "support cannot lift"},
		{"554 5.2.252 SendAsDenied; scanner@contoso.com not allowed to send as scan@contoso.com", "smtp", "send-as-denied", true, "Add-RecipientPermission"},
		{"5.7.139", "smtp", "auth-policy", true, "Get-CASMailbox"},
		{"5.2.252", "smtp", "sender-throttled", true, "554 5.2.252 SendAsDenied"},
		{"AADSTS50105", "sign-in", "not-assigned", true, "Assignment required"},
		{"aadsts65004", "sign-in", "consent-declined", true, "declined"},
		{"AADSTS70020", "sign-in", "code-expired", true, "new code"},
		{"interaction_required AADSTS50078", "sign-in", "mfa-required", true, "second factor"},
		{"interaction_required", "sign-in", "interaction-required", true, "Another"},
		{`{"error":"expired_token","error_description":"AADSTS65001: x"}`, "sign-in", "code-expired", true, ""},
		{"Job 1234 failed.\nServer reply: 535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]\n", "smtp", "auth-failed", true, "user="},
		// A multi-line 5xx with continuation lines, pasted from a report.
		{"550-5.7.1 first part of the reason\n550-5.7.1 second part\n550 5.7.1 Delivery not authorized", "smtp", "recipient-restricted", true, ""},
		{"Diagnostic-Code: smtp; 550 5.7.23 The message was rejected because of Sender Policy Framework violation", "smtp", "unlisted-reply", false, "security or policy"},
		{"451 4.9.9 something new", "smtp", "unlisted-reply", false, "temporary"},
		{"5.2.99", "smtp", "unlisted-reply", false, "mailbox"},
		{"AADSTS99999999", "sign-in", "unexpected", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			for _, lang := range assets.Langs {
				x, err := Explain(tc.in, lang)
				if err != nil {
					t.Fatal(err)
				}
				if x.Kind != tc.kind || x.ID != tc.id || x.Recognised != tc.recognised {
					t.Fatalf("%s: %s/%s recognised=%v, want %s/%s %v", lang, x.Kind, x.ID, x.Recognised, tc.kind, tc.id, tc.recognised)
				}
				if x.Title == "" || x.Cause == "" || x.Fix == "" || x.Source == "" || strings.Contains(x.Title+x.Cause+x.Fix, "{") {
					t.Errorf("%s: incomplete %+v", lang, x)
				}
				if lang == assets.EN && !strings.Contains(x.Title+x.Cause+x.Fix, tc.text) {
					t.Errorf("lacks %q: %+v", tc.text, x)
				}
			}
		})
	}
}

func TestExplainNothing(t *testing.T) {
	for _, in := range []string{"", "hello", "error 42", strings.Repeat("x", MaxExplainInput*2)} {
		if _, err := Explain(in, assets.EN); !errors.Is(err, ErrNothingToExplain) {
			t.Errorf("%.20q: %v", in, err)
		}
	}
}

// What is shown is cleaned: no terminal control from pasted text.
func TestExplainCleansInput(t *testing.T) {
	x, err := Explain("550 5.7.1 Delivery not authorized \x1b]52;c;ZXZpbA==\x07\x1b[2J", assets.EN)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(x.Input+x.Cause, "\x1b\x07") {
		t.Errorf("control characters kept: %q", x.Input+x.Cause)
	}
}
