package flow

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	cases := []struct{ in, must, mustNot string }{
		{`{"access_token":"` + jwt + `","token_type":"Bearer"}`, `"token_type":"Bearer"`, jwt},
		{`{"device_code":"DAQABAAEAAAD--secret--xyz","user_code":"ABCD1234E","message":"enter the code ABCD1234E to authenticate"}`, "<redacted>", "ABCD1234E"},
		{"client_id=abc&device_code=DAQABsecret&grant_type=x", "client_id=abc", "DAQABsecret"},
		{"grant_type=refresh_token&refresh_token=0.AAAAsecret", "grant_type=refresh_token", "0.AAAAsecret"},
		{"<html>proxy says " + jwt + "</html>", "proxy says", jwt},
		{`{"error":"invalid_grant","error_description":"AADSTS65001: no consent"}`, "AADSTS65001", "<redacted>"},
		{"EwBAAl3BAAUF" + strings.Repeat("x", 40) + " tail", "tail", "EwBAAl3BAAUF"},
	}
	for _, tc := range cases {
		got := Redact([]byte(tc.in))
		if !strings.Contains(got, tc.must) || strings.Contains(got, tc.mustNot) {
			t.Errorf("Redact(%q) = %q; want %q in it and not %q", tc.in, got, tc.must, tc.mustNot)
		}
	}
}
