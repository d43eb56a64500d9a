package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// `mfpmail explain`: exit 0 when recognised, 1 when explained by its parts
// only, 2 for bad usage; --json carries recognised, title, cause, fix and
// source; --lang ja speaks Japanese.
func TestExplainCommand(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"explain", "550 5.2.252 Sender throttled due to continuous send as denied errors."}, 0, "throttled"},
		{[]string{"explain", "AADSTS50105"}, 0, "Assignment required"},
		{[]string{"explain", "5.7.139"}, 0, "authentication policy"},
		{[]string{"explain", "--lang", "ja", "AADSTS65004"}, 0, "同意"},
		{[]string{"explain", "550", "5.7.23", "SPF", "failed"}, 1, "security or policy"},
		{[]string{"explain", "nothing here"}, 2, ""},
		{[]string{"explain", "--lang", "fr", "5.7.139"}, 2, ""},
		{[]string{"explain", "--bogus"}, 2, ""},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tc.args, &out, &errb); code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tc.out) {
				t.Errorf("output lacks %q:\n%s", tc.out, out.String())
			}
			if tc.code == 2 && (strings.Count(errb.String(), "\n") != 1 || out.Len() != 0) {
				t.Errorf("bad usage is not one line on stderr: %q / %q", errb.String(), out.String())
			}
		})
	}
}

// A multi-line reply pasted on standard input, as JSON.
func TestExplainStdinJSON(t *testing.T) {
	in := strings.NewReader("Transmission report\r\n550-5.7.1 Your message can't be delivered\r\n550 5.7.1 Delivery not authorized\r\n")
	var out, errb bytes.Buffer
	if code := exit(&errb, explainWords(nil, "", true, in, &out)); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var x map[string]any
	if err := json.Unmarshal(out.Bytes(), &x); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, k := range []string{"recognised", "title", "cause", "fix", "source"} {
		if _, ok := x[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, out.String())
		}
	}
	if x["id"] != "recipient-restricted" || x["recognised"] != true {
		t.Errorf("explanation %v", x)
	}
}
