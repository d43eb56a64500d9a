package smtpcheck

import (
	"encoding/base64"
	"strings"
	"testing"

	"mfpmail/internal/untrusted"
)

func TestParseReply(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  Reply
		err   bool
	}{
		{"single", []string{"250 OK"}, Reply{Code: 250, Text: "OK"}, false},
		{"bare code", []string{"334"}, Reply{Code: 334}, false},
		{"code and space", []string{"334 "}, Reply{Code: 334}, false},
		{"enhanced", []string{"535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]"},
			Reply{Code: 535, Enhanced: [3]int{5, 7, 3}, Text: "Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]"}, false},
		{"three-digit detail", []string{"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."},
			Reply{Code: 535, Enhanced: [3]int{5, 7, 139}, Text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."}, false},
		{"enhanced only", []string{"250 2.0.0"}, Reply{Code: 250, Enhanced: [3]int{2, 0, 0}}, false},
		{"CRLF kept off", []string{"221 2.0.0 Bye\r\n"}, Reply{Code: 221, Enhanced: [3]int{2, 0, 0}, Text: "Bye"}, false},
		{"EHLO multi-line", []string{"250-SN2PR00CA0018.outlook.office365.com Hello [203.0.113.7]", "250-SIZE 157286400", "250-STARTTLS", "250 SMTPUTF8"},
			Reply{Code: 250, Text: "SN2PR00CA0018.outlook.office365.com Hello [203.0.113.7]\nSIZE 157286400\nSTARTTLS\nSMTPUTF8"}, false},
		{"enhanced on every line (RFC 2034)", []string{"554-5.2.252 SendAsDenied;", "554 5.2.252 STOREDRV.Submission.Exception"},
			Reply{Code: 554, Enhanced: [3]int{5, 2, 252}, Text: "SendAsDenied;\nSTOREDRV.Submission.Exception"}, false},
		{"enhanced on the last line only (go-smtp)", []string{"250-first", "250 2.0.0 last"},
			Reply{Code: 250, Enhanced: [3]int{2, 0, 0}, Text: "first\nlast"}, false},
		{"version-like text is not enhanced", []string{"220 3.1.4 not a class"}, Reply{Code: 220, Text: "3.1.4 not a class"}, false},
		{"four-part number is not enhanced", []string{"250 2.0.0.1 x"}, Reply{Code: 250, Text: "2.0.0.1 x"}, false},
		{"empty", nil, Reply{}, true},
		{"short", []string{"25"}, Reply{}, true},
		{"letters", []string{"OK 250"}, Reply{}, true},
		{"code 600", []string{"600 no"}, Reply{}, true},
		{"bad separator", []string{"250_OK"}, Reply{}, true},
		{"mixed codes", []string{"250-a", "251 b"}, Reply{}, true},
		{"ends with continuation", []string{"250-a"}, Reply{}, true},
		{"final line in the middle", []string{"250 a", "250 b"}, Reply{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseReply(tt.lines)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReplyString(t *testing.T) {
	r := Reply{Code: 535, Enhanced: [3]int{5, 7, 139}, Text: "a\nb"}
	if got := r.String(); got != "535 5.7.139 a / b" {
		t.Errorf("String() = %q", got)
	}
	if got := (Reply{Code: 334}).String(); got != "334" {
		t.Errorf("String() = %q", got)
	}
}

func TestDecodeChallenge(t *testing.T) {
	json := base64.StdEncoding.EncodeToString([]byte(`{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/SMTP.Send"}`))
	got, err := DecodeChallenge(json)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"status\": \"401\",\n  \"schemes\": \"bearer\",\n  \"scope\": \"https://outlook.office.com/SMTP.Send\"\n}"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got, err := DecodeChallenge(base64.RawStdEncoding.EncodeToString([]byte("Username:"))); err != nil || got != "Username:" {
		t.Errorf("unpadded text: %q %v", got, err)
	}
	if got, err := DecodeChallenge(""); err != nil || got != "" {
		t.Errorf("empty: %q %v", got, err)
	}
	if got, err := DecodeChallenge(base64.StdEncoding.EncodeToString([]byte{0xff, 0xfe, 'a'})); err != nil || !strings.HasPrefix(got, `"`) {
		t.Errorf("binary: %q %v", got, err)
	}
	if _, err := DecodeChallenge("not base64!"); err == nil {
		t.Error("garbage decoded")
	}
}

func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		"250 OK",
		"250-SN2PR00CA0018.outlook.office365.com Hello\n250-SIZE 157286400\n250-STARTTLS\n250 SMTPUTF8",
		"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.",
		"554-5.2.252 SendAsDenied;\n554 5.2.252 x",
		"334 eyJzdGF0dXMiOiI0MDEifQ==",
		"334",
		"",
		"250 2.0.0",
		"250 9.99.999 x",
		"5xx",
		"250-\n250 ",
		"535 5.7.3 \x1b]52;c;Y3VybA==\x07 \u009b2J \u202e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReply(strings.Split(s, "\n"))
		if err != nil {
			return
		}
		if r.Code < 100 || r.Code > 599 {
			t.Fatalf("code %d from %q", r.Code, s)
		}
		if r.HasEnhanced() && r.Enhanced[0] != 2 && r.Enhanced[0] != 4 && r.Enhanced[0] != 5 {
			t.Fatalf("enhanced %v from %q", r.Enhanced, s)
		}
		for _, l := range strings.Split(r.Text, "\n") {
			if !untrusted.Clean(l) {
				t.Fatalf("text %q from %q holds a control", r.Text, s)
			}
		}
		d := Diagnose("en", StageAuth, &r, nil)
		for _, x := range []string{r.String(), d.Title, d.Detail, d.Fix} {
			for _, l := range strings.Split(x, "\n") {
				if !untrusted.Clean(l) {
					t.Fatalf("%q from %q holds a control", x, s)
				}
			}
		}
	})
}

func FuzzDecodeChallenge(f *testing.F) {
	for _, s := range []string{
		"eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbS9TTVRQLlNlbmQifQ==",
		"VXNlcm5hbWU6",
		"VXNlcm5hbWU",
		"",
		"=",
		"!!!",
		"//79",
		"eyJ9",
	} {
		f.Add(s)
	}
	f.Add(base64.StdEncoding.EncodeToString([]byte("{\"status\":\"\x1b]0;x\x07\u202e\"}")))
	f.Fuzz(func(t *testing.T, s string) {
		d, _ := DecodeChallenge(s)
		for _, l := range strings.Split(d, "\n") {
			if !untrusted.Clean(l) {
				t.Fatalf("challenge %q from %q holds a control", d, s)
			}
		}
	})
}
