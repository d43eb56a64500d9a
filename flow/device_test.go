package flow

import (
	"strings"
	"testing"

	"mfpmail/assets"
)

func TestParseDeviceAnswer(t *testing.T) {
	for _, tc := range []struct {
		flag, in, want string
		ok             bool
	}{
		{"device-signed-in", "", "", true},
		{"device-signed-in", " YES ", DeviceYes, true},
		{"device-signed-in", "no", DeviceNo, true},
		{"device-signed-in", "not-tried", "", false},
		{"device-scan", "not-tried", DeviceNotTried, true},
		{"device-scan", "maybe", "", false},
	} {
		got, err := ParseDeviceAnswer(tc.flag, tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%s %q: %q, %v", tc.flag, tc.in, got, err)
		}
		if err != nil && (!strings.Contains(err.Error(), "--"+tc.flag) || !strings.Contains(err.Error(), tc.in)) {
			t.Errorf("%s %q: the message does not name the flag and the value: %v", tc.flag, tc.in, err)
		}
	}
}

// A scan that did not arrive: what to read on the device, the device's
// prerequisites first (with the answers given), and the wrong account,
// in both languages and web UIs.
func TestDeviceScanCheckNo(t *testing.T) {
	pre := PrereqAnswers{}.With("clock", DeviceNo)
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		for _, gen := range UIGens {
			c := DeviceScanCheck(lang, gen, DeviceNo, "scanner@contoso.com", pre)
			if c.Status != Fail {
				t.Fatalf("%s/%s: %s", lang, gen, c.Status)
			}
			noPlaceholders(t, c)
			all := c.Detail + c.Fix
			for _, want := range []string{"535 5.7.3", "scanner@contoso.com", "587", "DigiCert Global Root G2", "4.7.66",
				assets.T(lang, "device.answered", "answer", assets.T(lang, "device.answer.no"))} {
				if !strings.Contains(all, want) {
					t.Errorf("%s/%s: lacks %q:\n%s", lang, gen, want, all)
				}
			}
			if strings.Index(c.Fix, "4.7.66") > strings.Index(c.Fix, "535 5.7.3") {
				t.Errorf("%s/%s: the device's prerequisites do not come first:\n%s", lang, gen, c.Fix)
			}
		}
	}
	if c := DeviceScanCheck(assets.EN, UICWIS, DeviceNotTried, "", pre); c.Status != Warn || c.Reason != ReasonNotConfirmed {
		t.Errorf("not tried: %+v", c)
	}
	if c := DeviceSignInCheck(assets.EN, UICWIS, AccountWork, "", pre); c.Status != Warn || c.Reason != ReasonNotConfirmed {
		t.Errorf("unanswered sign-in: %+v", c)
	}
}

// The sender questions nobody answered are "not confirmed", never a pass.
func TestUnansweredSettingsAreNotConfirmed(t *testing.T) {
	for _, c := range []Check{LoginCredentialsCheck(assets.EN, UICWIS, ""),
		SenderPolicyCheck(assets.EN, UICWIS, testUPN, Answers{})} {
		if c.Status != Warn || c.Reason != ReasonNotConfirmed {
			t.Errorf("%s: %s %q", c.ID, c.Status, c.Reason)
		}
	}
}

// The handover names the facts it must, in both languages; Outlook.com
// gets no tenant items.
func TestHandover(t *testing.T) {
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		h := HandoverFor(lang, UIIS, AccountWork, "scanner@contoso.com")
		all := strings.Join(append(append([]string{h.Title, h.Lead, h.ConfirmOAuth, h.Deadline}, h.Ends...), h.SignInAgain...), "\n")
		for _, want := range []string{"90", "SMTP AUTH", "2026", "scanner@contoso.com", Label(lang, UIIS, "open_auth_page"), "MFA"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: the handover lacks %q", lang, want)
			}
		}
		if strings.Contains(all, "{") {
			t.Errorf("%s: unfilled placeholder in\n%s", lang, all)
		}
		p := HandoverFor(lang, UICWIS, AccountPersonal, "")
		if len(p.Ends) >= len(h.Ends) || p.ConfirmOAuth != "" || p.Deadline != "" {
			t.Errorf("%s: Outlook.com gets the tenant's items: %+v", lang, p)
		}
	}
}
