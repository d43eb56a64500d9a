package assets

import (
	"strings"
	"testing"
)

func TestTextsLoadAndMatch(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	// Step pages may narrow a text to one web UI in one language only;
	// flow's step tests cover them. Every other text exists in both.
	for _, k := range Keys(EN) {
		if !stepKey(k) && !Has(JA, k) {
			t.Errorf("%s: no Japanese text", k)
		}
	}
	for _, k := range Keys(JA) {
		if !stepKey(k) && !Has(EN, k) {
			t.Errorf("%s: no English text", k)
		}
	}
}

func stepKey(k string) bool { return strings.HasPrefix(k, "step.") || strings.HasPrefix(k, "label.") }

func TestPlaceholdersAgree(t *testing.T) {
	for _, k := range Keys(EN) {
		if stepKey(k) {
			continue
		}
		en, ja := placeholders(T(EN, k)), placeholders(T(JA, k))
		for p := range en {
			if !ja[p] {
				t.Errorf("%s: {%s} in English but not in Japanese", k, p)
			}
		}
	}
}

func placeholders(s string) map[string]bool {
	out := map[string]bool{}
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		if name := s[i+1 : i+j]; name != "" && !strings.ContainsAny(name, " \"") {
			out[name] = true
		}
		s = s[i+j+1:]
	}
}

func TestT(t *testing.T) {
	if got := T(EN, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gives %q", got)
	}
	if LangFromEnv(func(k string) string { return map[string]string{"LANG": "ja_JP.UTF-8"}[k] }) != JA {
		t.Error("ja_JP.UTF-8 is not Japanese")
	}
	if LangFromEnv(func(k string) string { return map[string]string{"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}[k] }) != EN {
		t.Error("LC_ALL=C should win over LANG")
	}
	if _, err := ParseLang("xx"); err == nil || !strings.Contains(err.Error(), "--lang") {
		t.Errorf("ParseLang(xx) = %v", err)
	}
}
