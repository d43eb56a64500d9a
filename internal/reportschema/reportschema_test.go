package reportschema

import (
	"strings"
	"testing"
)

// A report that follows the schema, and the changes the schema must
// refuse: the v1 settings keys, the old verdict, an unknown key, a skip
// without its reason.
func TestSchemaRefusesWhatV2Changed(t *testing.T) {
	good := `{"schema":"mfpmail.report/v2","tool":"mfpmail t","date":"2026-12-07T12:00:00Z","lang":"en","device_ui":"cwis",
"device_prerequisites":[{"id":"clock","question":"q","answer":"yes"}],
"settings":[{"label":"[Service Provider]","value":"[Exchange Online/Outlook.com]"}],
"checks":[{"id":"device-scan","status":"warn","reason":"not-confirmed","title":"t"},{"id":"consent","status":"skip","reason":"not-needed","title":"t"}],
"failed":false,"verdict":"account-ready","headline":"h","unconfirmed":["device-scan"],
"handover":{"title":"t","lead":"l","what_ends_the_sign_in":["a"],"sign_in_again":["b"]}}`
	if err := Validate([]byte(good)); err != nil {
		t.Fatalf("a good report is refused: %v", err)
	}
	for name, bad := range map[string][2]string{
		"v1 settings keys": {`{"label":"[Service Provider]","value"`, `{"Label":"[Service Provider]","Value"`},
		"v1 schema":        {`"mfpmail.report/v2"`, `"mfpmail.report/v1"`},
		"v1 verdict":       {`"verdict":"account-ready"`, `"verdict":"passed"`},
		"unknown key":      {`"failed":false`, `"failed":false,"passed":true`},
		"skip, no reason":  {`"status":"skip","reason":"not-needed",`, `"status":"skip",`},
		"bad answer":       {`"answer":"yes"`, `"answer":"maybe"`},
		"no handover":      {`"handover":{"title":"t","lead":"l","what_ends_the_sign_in":["a"],"sign_in_again":["b"]}`, `"transcript":[]`},
	} {
		r := strings.Replace(good, bad[0], bad[1], 1)
		if r == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if err := Validate([]byte(r)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
