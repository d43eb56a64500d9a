package main

import (
	"io"
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
		c := newCommon("mfpmail", io.Discard)
		if err := c.parse(tc.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := c.config()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.UI != tc.want {
			t.Errorf("%v: web UI %s, want %s", tc.args, cfg.UI, tc.want)
		}
	}
}
