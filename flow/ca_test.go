package flow_test

import (
	"strings"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/demo"
)

// The ca-exchange training scenario: a Conditional Access policy aimed at
// Office 365 Exchange Online refuses the token with AADSTS53003. The
// diagnosis names what the answer allows and no more (which sign-in was
// refused, the two kinds of policy that refuse it), and gives the
// administrator the log to open, what to look for there and the exclusion
// to make, in both languages. The generic Conditional Access diagnosis
// (device-flow-blocked: "exclude the app or the account") fails here.
func TestSignInCAExchangeNamesLogAndExclusion(t *testing.T) {
	t.Parallel()
	want := map[assets.Lang][]string{
		assets.EN: {"AADSTS53003", "device code flow", "Office 365 Exchange Online", "Authentication flows",
			"Sign-in logs", "correlation id", "Conditional Access tab", "Failure", "Exclude", "sending account"},
		assets.JA: {"AADSTS53003", "デバイスコードフロー", "Office 365 Exchange Online", "[認証フロー]",
			"[サインイン ログ]", "相関 ID", "[条件付きアクセス] タブ", "失敗", "[対象外]", "送信用アカウント"},
	}
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			ten := startTenant(t, demo.TenantOptions{Scenario: demo.ScenarioCAExchange, AutoApprove: 300 * time.Millisecond})
			_, p, _ := signIn(t, tenantConfig(ten, lang))
			wantProblem(t, p, "ca-blocked")
			if len(p.ErrorCodes) == 0 || p.ErrorCodes[0] != 53003 || p.CorrelationID == "" {
				t.Errorf("received %v, correlation id %q: want AADSTS53003 with its correlation id", p.ErrorCodes, p.CorrelationID)
			}
			// The correlation id the fix points at is on the Received line.
			if !strings.Contains(p.Received(), p.CorrelationID) {
				t.Errorf("Received %q lacks the correlation id", p.Received())
			}
			all := p.Title + "\n" + p.Detail + "\n" + p.Fix
			for _, s := range want[lang] {
				if !strings.Contains(all, s) {
					t.Errorf("diagnosis lacks %q:\n%s", s, all)
				}
			}
			if p.Retry || p.BackTo != "" || p.Source == "" {
				t.Errorf("retry %v, back to %q, source %q: want no retry on site, no step back, a source", p.Retry, p.BackTo, p.Source)
			}
		})
	}
}
