package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/internal/reportschema"
)

// checkReport is what the scenario tests read of `check --json`.
type checkReport struct {
	Checks []struct {
		ID, Status, Title, Detail, Fix string
	} `json:"checks"`
	Transcript []struct{ Dir, Text string } `json:"transcript"`
}

// runCheckJSON runs `mfpmail check --demo --json` with args; the simulated
// user signs in 1 s after the code appears.
func runCheckJSON(t *testing.T, args ...string) (int, checkReport, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"check", "--demo", "--json", "--approve-after", "1s"}, args...), &out, &errb)
	var rep checkReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\nstderr %s", err, out.String(), errb.String())
	}
	reportschema.Check(t, out.Bytes())
	return code, rep, errb.String()
}

// Each training scenario drives the real code path to the reply Microsoft
// documents (or a field report shows), at the stage it belongs to, and
// that reply reaches the report: the failing check's detail for the token
// endpoint, the transcript for SMTP.
func TestCheckTrainingScenarios(t *testing.T) {
	cases := []struct {
		scenario, account string
		failing           string // the check that must fail
		want              string // in that check's detail, or in a server line
	}{
		{"security-defaults", "work", "smtp-auth", "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator."},
		{"mfa-required", "work", "sign-in", "interaction_required · AADSTS50076"},
		{"not-assigned", "work", "sign-in", "AADSTS50105: Your administrator has configured the application"},
		{"sender-throttled", "work", "test-send", "550 5.2.252 Sender throttled due to continuous send as denied errors."},
		{"ca-exchange", "work", "sign-in", "invalid_grant · AADSTS53003"},
		{"smtp-auth-disabled-tenant", "work", "smtp-auth", "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."},
		{"personal-smtp-refused", "personal", "smtp-auth", "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox."},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			t.Parallel()
			code, rep, stderr := runCheckJSON(t, "--scenario", tc.scenario, "--account", tc.account)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
			}
			found := false
			for _, c := range rep.Checks {
				if c.ID != tc.failing {
					continue
				}
				if c.Status != "fail" {
					t.Errorf("%s is %s, want fail", c.ID, c.Status)
				}
				found = strings.Contains(c.Detail, tc.want)
			}
			for _, l := range rep.Transcript {
				found = found || l.Dir == "S" && strings.Contains(l.Text, tc.want)
			}
			if !found {
				t.Errorf("%q reached neither the %s check nor the transcript: %+v", tc.want, tc.failing, rep)
			}
		})
	}
}

// The ok scenario passes for a personal account too (Microsoft documents
// OAuth SMTP for Outlook.com).
func TestCheckOKPersonal(t *testing.T) {
	t.Parallel()
	// Every answer given, the Device Email Address the device holds too
	// (no Graph profile for Outlook.com: without it device-email warns).
	code, rep, stderr := runCheckJSON(t, "--account", "personal", "--from-policy", "locked", "--login-credentials", "system",
		"--device-email", "scanner.demo@outlook.com", "--device-signed-in", "yes", "--device-scan", "yes")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (ready); stderr %s", code, stderr)
	}
	for _, c := range rep.Checks {
		if c.Status == "fail" || c.ID == "test-send" && c.Status != "pass" {
			t.Errorf("%s is %s: %s", c.ID, c.Status, c.Detail)
		}
	}
}

// check --demo is timed as its help says: the simulated user signs in
// --approve-after (default 8s) after the code appears, and the code is
// Microsoft's: valid for 900 s, polled every 5 s, so any approve-after
// below 15 minutes signs in before it expires. Values, not wall clock.
func TestCheckDemoTimings(t *testing.T) {
	var help, errb bytes.Buffer
	run([]string{"check", "--help"}, &help, &errb)
	if !strings.Contains(help.String(), "(default 8s)") {
		t.Fatalf("check --help does not give --approve-after's default as 8s:\n%s", help.String())
	}
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{{nil, 8 * time.Second}, {[]string{"--approve-after", "20s"}, 20 * time.Second}} {
		k := newCheck()
		if err := k.parse(append([]string{"--demo"}, tc.args...)); err != nil {
			t.Fatal(err)
		}
		cfg, err := k.config()
		if err != nil {
			t.Fatal(err)
		}
		_, sim, err := k.demoRun(flow.RunOptions{Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		if k.approveAfter != tc.want {
			t.Errorf("%v: the simulated user signs in after %s, want %s", tc.args, k.approveAfter, tc.want)
		}
		expiresIn, interval := deviceCodeTiming(t, sim)
		sim.Close()
		if expiresIn != 900 || interval != 5 {
			t.Errorf("%v: expires_in %d, interval %d; want Microsoft's 900 and 5", tc.args, expiresIn, interval)
		}
		if time.Duration(expiresIn)*time.Second <= tc.want {
			t.Errorf("%v: the code (%d s) expires before the simulated user signs in (%s)", tc.args, expiresIn, tc.want)
		}
	}
}

// deviceCodeTiming asks the simulation for a device code and returns its
// expires_in and interval.
func deviceCodeTiming(t *testing.T, sim *demo.Simulation) (expiresIn, interval int) {
	t.Helper()
	form := url.Values{"client_id": {flow.DefaultClientID}, "scope": {"https://outlook.office.com/SMTP.Send offline_access"}}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, sim.URL()+"/organizations/oauth2/v2.0/devicecode", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := flow.NewHTTPClient(sim.Pool()).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var dc struct {
		ExpiresIn int `json:"expires_in"`
		Interval  int `json:"interval"`
	}
	if err := json.Unmarshal(b, &dc); err != nil {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	return dc.ExpiresIn, dc.Interval
}
