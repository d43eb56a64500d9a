package smtpcheck

import (
	"strings"
	"testing"

	"mfpmail/assets"
)

// Issue 18 §1: replies the wizard once read wrongly, each as Microsoft
// documents it, with what the diagnosis must (not) say.
var misreadSetup = Setup{User: "scanner@contoso.com", From: "scanner@contoso.com", Host: "smtp.office365.com", Port: 587}

func diag(t *testing.T, stage Stage, line string) Diagnosis {
	t.Helper()
	r, err := ParseReply([]string{line})
	if err != nil {
		t.Fatal(err)
	}
	return DiagnoseWith(assets.EN, stage, &r, nil, misreadSetup)
}

func TestKnownMisreadings(t *testing.T) {

	// "Continuous error throttling for SMTP AUTH submissions": after repeated
	// SendAsDenied the sender is throttled; the fix is to stop what keeps
	// failing and wait, never to grant Send As on itself.
	t.Run("5.2.252 throttled", func(t *testing.T) {
		d := diag(t, StageData, "550 5.2.252 Sender throttled due to continuous send as denied errors.")
		if d.ID != IDSenderThrottled {
			t.Fatalf("id %s, want %s", d.ID, IDSenderThrottled)
		}
		if strings.Contains(d.Fix, "Add-RecipientPermission") || strings.Contains(d.Detail, "may not send as scanner@contoso.com") {
			t.Errorf("throttle read as a Send As refusal:\n%s\n%s", d.Detail, d.Fix)
		}
		for _, want := range []string{"wait", "support"} {
			if !strings.Contains(strings.ToLower(d.Detail+d.Fix), want) {
				t.Errorf("throttle text lacks %q:\n%s\n%s", want, d.Detail, d.Fix)
			}
		}
	})
	t.Run("5.2.251-255 family", func(t *testing.T) {
		for _, line := range []string{
			"550 5.2.251 Sender throttled due to continuous mailbox full errors.",
			"550 5.2.253 Sender throttled due to continuous invalid license errors.",
			"550 5.2.254 Sender throttled due to continuous too many recipients errors.",
			"550 5.2.255 Sender throttled due to continuous invalid recipients errors.",
		} {
			if d := diag(t, StageData, line); d.ID != IDSenderThrottled || !d.Recognised {
				t.Errorf("%s: id %s recognised=%v", line, d.ID, d.Recognised)
			}
		}
	})
	t.Run("554 5.2.252 SendAsDenied unchanged", func(t *testing.T) {
		d := diag(t, StageData, "554 5.2.252 SendAsDenied; scanner@contoso.com not allowed to send as scan@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied")
		if d.ID != IDSendAsDenied {
			t.Errorf("id %s", d.ID)
		}
	})
}

// 5.7.139 is the organisation's authentication policy, not 5.7.3; the UPN
// rule is the procedure's; an unknown reply is explained by its parts.
func TestKnownMisreadingsAuth(t *testing.T) {
	c := misreadSetup
	t.Run("5.7.139 organization configuration", func(t *testing.T) {
		d := diag(t, StageAuth, "535 5.7.139 Authentication unsuccessful, the organization configuration does not allow this authentication request")
		if d.ID != IDAuthPolicy {
			t.Errorf("id %s, want %s", d.ID, IDAuthPolicy)
		}
		if strings.Contains(d.Title, "5.7.3") {
			t.Errorf("titled as 5.7.3: %s", d.Title)
		}
	})
	// The UPN requirement is the vendor's procedure's, not a Microsoft rule.
	t.Run("UPN rule is the procedure's", func(t *testing.T) {
		d := diag(t, StageAuth, "535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]")
		for _, lang := range assets.Langs {
			dl := DiagnoseWith(lang, StageAuth, &Reply{Code: 535, Enhanced: [3]int{5, 7, 3}, Text: "Authentication unsuccessful"}, nil, c)
			if !strings.Contains(strings.ToLower(dl.Fix), strings.ToLower(assets.T(lang, "smtp.word.procedure"))) {
				t.Errorf("%s: auth-failed fix does not name the procedure as the source of the UPN rule:\n%s", lang, dl.Fix)
			}
		}
		if strings.Contains(d.Fix, "must be the UPN") && !strings.Contains(d.Fix, "procedure") {
			t.Errorf("UPN rule stated as Microsoft's: %s", d.Fix)
		}
	})
	// A reply in no table is explained by its parts, never "unexpected" alone.
	t.Run("unlisted reply by parts", func(t *testing.T) {
		d := diag(t, StageRcpt, "550 5.2.99 Something nobody documented")
		if d.ID == IDUnexpected || d.Recognised {
			t.Fatalf("id %s recognised=%v", d.ID, d.Recognised)
		}
		if !strings.Contains(d.Title+d.Detail, "mailbox") || !strings.Contains(d.Title+d.Detail, "permanent") {
			t.Errorf("not explained by its parts: %s / %s", d.Title, d.Detail)
		}
	})
}
