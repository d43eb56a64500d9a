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

// A code typed alone (an enhanced code, a reply code, an AADSTS number, an
// OAuth error word) reads as a sentence in both languages and in --json:
// no "(none)" for the missing reply text, no HTTP status or error value
// made up for a sign-in error read off the device, no correlation id
// "below" or "under Received" that explain never shows. The JSON keeps its eight keys, input
// being the part read.
func TestExplainCodeAlone(t *testing.T) {
	cases := []struct {
		input string
		code  int
	}{
		{"5.7.139", 0}, {"535", 0}, {"AADSTS50105", 0}, {"AADSTS53003", 0}, {"interaction_required", 0},
		{"invalid_grant", 0}, {"5.9.99", 1}, {"599", 1}, {"AADSTS99999999", 1}, {"invalid_request", 1},
	}
	bad := []string{"(none)", "（なし）", "(なし)", `"-"`, "「-」", "HTTP 400", "below", "下の相関 ID", " .", " 。", "{", "<nil>",
		"transcript", "text above", "通信記録", "上のサーバー", "under Received", "「受信内容」"}
	keys := []string{"input", "kind", "recognised", "id", "title", "cause", "fix", "source"}
	for _, tc := range cases {
		for _, lang := range []string{"en", "ja"} {
			t.Run(tc.input+"/"+lang, func(t *testing.T) {
				var out, errb bytes.Buffer
				if code := run([]string{"explain", "--lang", lang, tc.input}, &out, &errb); code != tc.code {
					t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out.String(), errb.String())
				}
				for _, b := range bad {
					if strings.Contains(out.String(), b) {
						t.Errorf("text output holds %q:\n%s", b, out.String())
					}
				}
				out.Reset()
				if code := run([]string{"explain", "--json", "--lang", lang, tc.input}, &out, &errb); code != tc.code {
					t.Fatalf("--json: exit %d, want %d", code, tc.code)
				}
				var x map[string]any
				if err := json.Unmarshal(out.Bytes(), &x); err != nil {
					t.Fatalf("%v\n%s", err, out.String())
				}
				if len(x) != len(keys) {
					t.Errorf("JSON keys %v, want %v", x, keys)
				}
				for _, k := range keys {
					if _, ok := x[k]; !ok {
						t.Errorf("JSON lacks %q", k)
					}
				}
				if x["input"] != tc.input {
					t.Errorf("input %q, want %q", x["input"], tc.input)
				}
				for _, k := range []string{"title", "cause", "fix"} {
					s, _ := x[k].(string)
					for _, b := range bad {
						if strings.Contains(s, b) {
							t.Errorf("%s holds %q: %s", k, b, s)
						}
					}
				}
				if c, _ := x["cause"].(string); (x["kind"] == "smtp" || tc.code == 1) && !strings.Contains(c, tc.input) {
					t.Errorf("cause does not name %s: %s", tc.input, c)
				}
			})
		}
	}
}
