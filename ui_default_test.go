package main

import (
	"testing"

	"mfpmail/flow"
)

// Without --ui the web UI follows the language: Internet Services (the
// Japanese procedure's) in Japanese, CentreWare Internet Services (the
// English procedure's) in English; --ui still decides when given.
func TestWebUIDefaultFollowsLanguage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want flow.UIGen
	}{
		{[]string{"--lang", "ja"}, flow.UIIS},
		{[]string{"--lang", "en"}, flow.UICWIS},
		{[]string{"--lang", "ja", "--ui", "cwis"}, flow.UICWIS},
		{[]string{"--lang", "en", "--ui", "is"}, flow.UIIS},
	} {
		c := newCommon("mfpmail")
		if err := c.parse(tc.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := c.config()
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.WithDefaults().UI; got != tc.want {
			t.Errorf("%v: web UI %s, want %s", tc.args, got, tc.want)
		}
	}
}

// With no --lang, the language comes from the locale, and the web UI
// follows it.
func TestWebUIDefaultFollowsLocale(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want flow.UIGen
	}{{"ja_JP.UTF-8", flow.UIIS}, {"en_US.UTF-8", flow.UICWIS}} {
		t.Setenv("LANG", tc.lang)
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_CTYPE", "")
		t.Setenv("LC_MESSAGES", "")
		c := newCommon("mfpmail")
		if err := c.parse(nil); err != nil {
			t.Fatal(err)
		}
		opts, closeAll, err := c.wizardOptions()
		if err != nil {
			t.Fatal(err)
		}
		closeAll()
		if got := opts.Config.WithDefaults().UI; got != tc.want {
			t.Errorf("LANG=%s: web UI %s, want %s", tc.lang, got, tc.want)
		}
	}
}
