package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"mfpmail/internal/corpus"
)

// checkJSON runs `mfpmail check --json` with the given extra flags and
// returns the checks by id.
func checkJSON(t *testing.T, args ...string) map[string]struct{ Status, Diagnosis, Source string } {
	t.Helper()
	var out, errb bytes.Buffer
	base := []string{"check", "--json", "--from-policy", "locked", "--login-credentials", "system",
		"--device-email", corpus.UPN, "--timeout", "60s", "--log", filepath.Join(t.TempDir(), "check.log")}
	code := run(append(base, args...), &out, &errb)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep struct {
		Checks []struct {
			ID, Status, Diagnosis, Source string
		} `json:"checks"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s\n%s", err, out.String(), errb.String())
	}
	m := map[string]struct{ Status, Diagnosis, Source string }{}
	for _, c := range rep.Checks {
		m[c.ID] = struct{ Status, Diagnosis, Source string }{c.Status, c.Diagnosis, c.Source}
	}
	return m
}

func caFile(t *testing.T, pems ...[]byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(f, bytes.Join(pems, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// Every token endpoint error in the corpus, replayed over HTTPS, comes
// out of `check --json` as the failed sign-in with the corpus's diagnosis.
func TestCheckCorpusTokenErrors(t *testing.T) {
	errs, _ := corpus.TokenErrors()
	for _, e := range errs {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			idp := corpus.StartIdP(t, e.Status, e.Body)
			checks := checkJSON(t, "--authority", idp.URL, "--graph-url", idp.URL, "--ca-file", caFile(t, idp.CAPEM),
				"--smtp-host", "127.0.0.1", "--smtp-port", "9")
			c := checks["sign-in"]
			if c.Status != "fail" || c.Diagnosis != e.Want || c.Source == "" {
				t.Errorf("sign-in check %+v, want fail/%s with a source", c, e.Want)
			}
		})
	}
}

// Every SMTP reply in the corpus, replayed at its stage over STARTTLS
// after a real sign-in, comes out of `check --json` with its diagnosis.
func TestCheckCorpusReplies(t *testing.T) {
	replies, _ := corpus.Replies()
	for _, e := range replies {
		t.Run(e.Lines[0], func(t *testing.T) {
			t.Parallel()
			idp := corpus.StartIdP(t, 0, nil)
			srv := corpus.StartSMTP(t, e.Stage, e.Lines)
			checks := checkJSON(t, "--authority", idp.URL, "--graph-url", idp.URL, "--ca-file", caFile(t, idp.CAPEM, srv.CAPEM),
				"--smtp-host", "127.0.0.1", "--smtp-port", strconv.Itoa(srv.Port))
			c := checks["test-send"]
			if e.Stage == "auth" {
				c = checks["smtp-auth"]
			}
			if c.Status != "fail" || c.Diagnosis != e.Want {
				t.Errorf("checks %+v, want fail/%s", checks, e.Want)
			}
		})
	}
}
