package flow

import (
	"regexp"
	"strings"
	"testing"

	"mfpmail/assets"
)

// The wizard's fix texts do not send the technician to a flag where a
// screen or key does the same, and `mfpmail check`'s do not send them to a
// screen it does not have: every fix that names such a flag or screen has
// its command-line variant (.fix.cli), and the two speak their own terms.
func TestFixesSpeakTheirSurface(t *testing.T) {
	// Flags whose setting the wizard takes on a screen.
	wizardHasKey := regexp.MustCompile(`--(device-email|from-policy|login-credentials|account|sender|sender-name)\b`)
	screen := regexp.MustCompile(`(?i)\bscreen\b|画面|\bpress\b|キーを押`)
	for _, lang := range assets.Langs {
		for _, k := range assets.Keys(lang) {
			text := assets.T(lang, k)
			switch {
			case strings.HasSuffix(k, ".fix.cli"):
				if screen.MatchString(text) {
					t.Errorf("%s %s (check's words) speaks of a screen or key: %q", lang, k, text)
				}
			case strings.HasSuffix(k, ".fix"):
				if wizardHasKey.MatchString(text) {
					t.Errorf("%s %s (the wizard's words) speaks of a flag the wizard has a screen for: %q", lang, k, text)
				}
				if screen.MatchString(text) && !assets.Has(lang, k+".cli") {
					t.Errorf("%s %s speaks of a screen and has no .fix.cli variant for check: %q", lang, k, text)
				}
			}
		}
	}
	// The variant reaches the checks: the unanswered sender check.
	for _, lang := range assets.Langs {
		c := SenderPolicyCheck(lang, UICWIS, "scanner@contoso.com", Answers{})
		cli := ForCommandLine([]Check{c})[0]
		if !strings.Contains(cli.Fix, "--from-policy") || screen.MatchString(cli.Fix) {
			t.Errorf("%s: check's fix %q: want --from-policy and no screen", lang, cli.Fix)
		}
		if strings.Contains(c.Fix, "--") {
			t.Errorf("%s: the wizard's fix %q names a flag", lang, c.Fix)
		}
	}
}
