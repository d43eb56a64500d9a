package flow

import (
	"strings"
	"testing"

	"mfpmail/assets"
	"mfpmail/smtpcheck"
)

func noPlaceholders(t *testing.T, c Check) {
	t.Helper()
	for _, s := range []string{c.Title, c.Detail, c.Fix} {
		if strings.Contains(s, "{") || strings.Contains(s, "check.") {
			t.Errorf("%s: unfilled text %q", c.ID, s)
		}
	}
}

func TestDeviceEmailCheck(t *testing.T) {
	lobby := Identity{UPN: "mfp-lobby@contoso.onmicrosoft.com", Mail: "lobby.printer@contoso.com", FromGraph: true}
	same := Identity{UPN: "scanner@contoso.com", Mail: "Scanner@Contoso.com ", FromGraph: true}
	claimsOnly := Identity{UPN: "scanner@contoso.com", Email: "scanner@contoso.com"}
	cases := []struct {
		name   string
		lang   assets.Lang
		gen    UIGen
		id     Identity
		device string
		want   Status
		names  []string
	}{
		{"primary differs", assets.EN, UICWIS, lobby, "", Fail, []string{"mfp-lobby@contoso.onmicrosoft.com", "lobby.printer@contoso.com", "[Device Details]"}},
		{"primary differs ja is", assets.JA, UIIS, lobby, "", Fail, []string{"mfp-lobby@contoso.onmicrosoft.com", "lobby.printer@contoso.com", "[機械の詳細]"}},
		{"device set to primary", assets.EN, UICWIS, lobby, "lobby.printer@contoso.com", Fail, []string{"lobby.printer@contoso.com", "mfp-lobby@contoso.onmicrosoft.com", "shared mailbox"}},
		{"device fixed to UPN", assets.EN, UICWIS, lobby, " MFP-Lobby@contoso.onmicrosoft.com", Pass, nil},
		{"same, case and space", assets.EN, UICWIS, same, "", Pass, []string{"scanner@contoso.com"}},
		{"no UPN", assets.EN, UICWIS, Identity{}, "", Warn, nil},
		{"no Graph: primary unknown", assets.EN, UICWIS, claimsOnly, "", Warn, []string{"scanner@contoso.com", "press e"}},
		{"no Graph, device address given", assets.EN, UICWIS, claimsOnly, "scanner@contoso.com", Pass, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DeviceEmailCheck(tc.lang, tc.gen, tc.id, tc.device)
			if c.Status != tc.want {
				t.Fatalf("status %s, want %s: %s", c.Status, tc.want, c.Title)
			}
			noPlaceholders(t, c)
			all := c.Title + c.Detail + c.Fix
			for _, n := range tc.names {
				if !strings.Contains(all, n) {
					t.Errorf("%q not named in %q", n, all)
				}
			}
		})
	}
}

func TestSenderPolicyCheck(t *testing.T) {
	upn := "scanner@contoso.com"
	locked := Answers{GuestEdit: "safe", NoAuthEdit: "safe"}
	open := Answers{GuestEdit: "other", NoAuthEdit: "safe"}
	cases := []struct {
		name string
		a    Answers
		want Status
		has  string
	}{
		{"locked", locked, Pass, ""},
		{"open", open, Warn, "SendAsDenied"},
		{"unanswered", Answers{}, Warn, "[Allow Guest Users to Edit [From:] Field]"},
		{"alias", Answers{Sender: "frontdesk@contoso.com", GuestEdit: "other", NoAuthEdit: "other"}, Warn, "frontdesk@contoso.com"},
		{"at in name", Answers{GuestEdit: "safe", NoAuthEdit: "safe", DisplayName: "scanner@contoso"}, Warn, "@"},
		{"sender is UPN in other case", Answers{Sender: "SCANNER@contoso.com", GuestEdit: "safe", NoAuthEdit: "safe"}, Pass, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := SenderPolicyCheck(assets.EN, UICWIS, upn, tc.a)
			if c.Status != tc.want {
				t.Fatalf("status %s, want %s (%s)", c.Status, tc.want, c.Title)
			}
			noPlaceholders(t, c)
			if !strings.Contains(c.Title+c.Detail+c.Fix, tc.has) {
				t.Errorf("does not mention %q: %+v", tc.has, c)
			}
		})
	}
	// The probe settles a different sender.
	a := Answers{Sender: "frontdesk@contoso.com"}
	c := SenderPolicyCheck(assets.EN, UICWIS, upn, a)
	denied := &smtpcheck.Result{Stage: smtpcheck.StageData, Diagnosis: smtpcheck.Diagnosis{ID: smtpcheck.IDSendAsDenied}}
	if got := WithSendResult(assets.EN, UICWIS, c, upn, a, denied); got.Status != Fail || !strings.Contains(got.Fix, "Add-RecipientPermission") {
		t.Errorf("denied probe: %+v", got)
	}
	if got := WithSendResult(assets.EN, UICWIS, c, upn, a, &smtpcheck.Result{Delivered: true, Stage: smtpcheck.StageQuit}); got.Status != Pass {
		t.Errorf("accepted probe: %+v", got)
	}
}

func TestLoginCredentialsCheck(t *testing.T) {
	if c := LoginCredentialsCheck(assets.EN, UICWIS, LoginSystem); c.Status != Pass {
		t.Error(c)
	}
	c := LoginCredentialsCheck(assets.EN, UICWIS, LoginRemote)
	if c.Status != Fail || !strings.Contains(c.Fix, "[System]") || !strings.Contains(c.Title, "[Remotely Authenticated User]") {
		t.Errorf("%+v", c)
	}
	c = LoginCredentialsCheck(assets.JA, UIIS, LoginRemote)
	if !strings.Contains(c.Fix, "[本体設定]") || !strings.Contains(c.Title, "[外部認証のユーザー]") {
		t.Errorf("%+v", c)
	}
	noPlaceholders(t, c)
}

func TestEveryCheckTextBothLanguages(t *testing.T) {
	for _, k := range assets.Keys(assets.EN) {
		if strings.HasPrefix(k, "check.") && !assets.Has(assets.JA, k) {
			t.Errorf("%s has no Japanese text", k)
		}
	}
	for _, k := range assets.Keys(assets.JA) {
		if strings.HasPrefix(k, "check.") && !assets.Has(assets.EN, k) {
			t.Errorf("%s has no English text", k)
		}
	}
}

// A provider that is not Entra ID: the checks that cannot apply say so.
func TestChecksForPlainProvider(t *testing.T) {
	s := &Session{Identity: Identity{UPN: "printer@idp.example"}}
	o := Outcome{Config: Config{Lang: assets.EN, UI: UICWIS, Account: AccountWork}}
	o.RecordSignIn(s, nil)
	for _, c := range o.Checks() {
		switch c.ID {
		case CheckConsent:
			if c.Status != Skip || !strings.Contains(c.Title, "not Microsoft Entra ID") {
				t.Errorf("consent: %+v", c)
			}
		case CheckDeviceEmail:
			if c.Status != Warn {
				t.Errorf("device-email without Graph: %+v", c)
			}
		case CheckSMTPAuth, CheckTestSend:
			if c.Status != Skip {
				t.Errorf("%s without a send: %+v", c.ID, c)
			}
		}
		if c.Status == Pass && c.ID != CheckSignIn {
			t.Errorf("%s passed without evidence: %+v", c.ID, c)
		}
	}
}
