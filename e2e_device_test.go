package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mfpmail/internal/reportschema"
)

// throttledReply is Exchange Online's reply after repeated SendAsDenied,
// as a device's job history shows it.
const throttledReply = "550 5.2.252 Sender throttled due to continuous send as denied errors."

// TestE2EDeviceSignInFailedIsNotReady is the reproduction of a verdict that
// spoke for the laptop, not the printer: in the demo, answer n at "Sign the
// device in" (the device's sign-in failed), go on through the test send to
// the summary, and write the report as JSON. Neither may say ready: the
// device's sign-in is a failed check, with what to check on the device.
// The scan did not arrive either: the reply the device shows is pasted on
// the summary, explained there and recorded in the report.
func TestE2EDeviceSignInFailedIsNotReady(t *testing.T) {
	t.Parallel()
	p := startPane(t, termCase{name: "device-no", w: 80, h: 24, lang: "C.UTF-8"})
	walkToSignIn(p)
	p.keys("a")
	p.at("signed in")
	p.waitFor("8/13", "Signed in", "scanner@contoso.com")
	p.keys("Enter")
	p.at("device sign-in, answered no")
	p.waitFor("9/13", "Sign the device in")
	p.keys("n")
	p.waitFor("On the device itself", "If the device's sign-in fails") // scrolled to what to check
	p.keys("Enter")
	p.waitFor("10/13")
	p.keys("Enter")
	p.waitFor("11/13", "Sender check")
	p.keys("Enter")
	p.at("test message")
	p.waitFor("12/13", "Test message")
	p.keys("Enter")
	p.waitFor("Test message sent", "250")
	p.keys("Enter")
	p.at("summary")
	s := p.waitFor("13/13", "Failed: at least one check failed", "The device's own sign-in failed")
	if strings.Contains(s, "Ready") || strings.Contains(s, "Every check passed") {
		t.Errorf("the summary claims ready after the device's sign-in failed:\n%s", s)
	}

	// The scan did not arrive either: paste what the device's job history
	// shows, and read what it means on the spot.
	p.keys("n")
	p.at("scan answered no")
	p.waitFor("p paste reply", "Press p to type or paste")
	p.keys("p")
	p.at("pasting the device's reply")
	p.tmux("set-buffer", "-b", "reply", throttledReply)
	p.tmux("paste-buffer", "-p", "-b", "reply", "-t", "e2e")
	p.waitFor(throttledReply, "Exchange Online has throttled this sender", "What to do:", "pgup/pgdn scroll")
	p.keys("PageDown")
	p.waitFor("Source:", "Continuous error throttling")
	p.keys("Enter")
	p.at("reply recorded")
	p.waitFor("r write report", "p paste reply", "Exchange Online has throttled this sender")

	p.keys("r")
	p.at("report prompt")
	p.waitFor("Report file")
	p.keys("C-u")
	p.keys("-l", "repro.json")
	p.keys("Enter")
	p.at("report written")
	p.waitFor("Report written to")
	b, err := os.ReadFile(filepath.Join(p.dir, "repro.json"))
	if err != nil {
		t.Fatal(err)
	}
	reportschema.Check(t, b)
	var rep struct {
		Verdict      string `json:"verdict"`
		Headline     string `json:"headline"`
		DeviceSignIn string `json:"device_sign_in"`
		DeviceShown  []struct {
			Check, Text string
			Diagnosis   struct{ ID, Title string }
		} `json:"device_shown"`
		Checks []struct{ ID, Status, Fix string }
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, b)
	}
	if rep.Verdict != "failed" || rep.DeviceSignIn != "no" || !strings.HasPrefix(rep.Headline, "Failed:") {
		t.Errorf("report: verdict %q, device_sign_in %q, headline %q", rep.Verdict, rep.DeviceSignIn, rep.Headline)
	}
	if len(rep.DeviceShown) != 1 || rep.DeviceShown[0].Check != "device-scan" || rep.DeviceShown[0].Text != throttledReply ||
		rep.DeviceShown[0].Diagnosis.ID != "sender-throttled" || !strings.Contains(rep.DeviceShown[0].Diagnosis.Title, "throttled") {
		t.Errorf("report: device_shown %+v", rep.DeviceShown)
	}
	found := false
	for _, c := range rep.Checks {
		if c.ID == "device-sign-in" {
			found = true
			if c.Status != "fail" || !strings.Contains(c.Fix, "587") || !strings.Contains(c.Fix, "NTP") {
				t.Errorf("device-sign-in in the report: %+v", c)
			}
		}
	}
	if !found {
		t.Error("the report leaves the device's sign-in out of the checks")
	}
	p.keys("q")
	p.waitExit(0)
	p.assertRestored()
}
