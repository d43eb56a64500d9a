package main

import (
	"regexp"
	"strings"
	"testing"
)

// check --demo --scenario ca-exchange: the failed sign-in's fix, in the
// command line's terms, names the sign-in logs, the very correlation id
// Entra ID answered with (there is no Received line to point at in a
// table), the Conditional Access tab and the exclusion, in both languages.
func TestCheckCAExchangeFixCarriesCorrelationID(t *testing.T) {
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	want := map[string][]string{
		"en": {"Sign-in logs", "Conditional Access tab", "Exclude", "sending account"},
		"ja": {"[サインイン ログ]", "[条件付きアクセス] タブ", "[対象外]", "送信用アカウント"},
	}
	for lang, words := range want {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			code, rep, stderr := runCheckJSON(t, "--scenario", "ca-exchange", "--lang", lang)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
			}
			for _, c := range rep.Checks {
				if c.ID != "sign-in" {
					continue
				}
				id := uuid.FindString(c.Fix)
				if id == "" || !strings.Contains(c.Detail, "correlation id "+id) {
					t.Errorf("fix %q names no correlation id of the answer (detail %q)", c.Fix, c.Detail)
				}
				for _, w := range words {
					if !strings.Contains(c.Fix, w) {
						t.Errorf("fix lacks %q: %s", w, c.Fix)
					}
				}
				return
			}
			t.Fatalf("no sign-in check: %+v", rep)
		})
	}
}
