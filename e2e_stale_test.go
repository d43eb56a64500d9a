package main

import (
	"strings"
	"testing"
)

// TestE2EStaleAfterSenderChange is the reproduction of a verdict that was
// not tested: send the test message (pass), go back to the sender check,
// change the sender to an alias, do not send again, go to the summary. The
// summary must not claim that everything passed; the sender and test send
// checks say they have not run since the settings changed. Sending again
// then gives the alias's real result (send-as is not a permission the ok
// scenario's mailbox grants: Exchange refuses it with SendAsDenied).
func TestE2EStaleAfterSenderChange(t *testing.T) {
	t.Parallel()
	p := startPane(t, termCase{name: "stale", w: 80, h: 24, lang: "C.UTF-8"})
	walkToSignIn(p)
	p.keys("a")
	p.at("signed in")
	p.waitFor("8/13", "Signed in", "scanner@contoso.com")
	p.keys("Enter")
	p.waitFor("9/13")
	p.keys("y") // the device's own sign-in succeeded
	p.waitFor("Answered: the device's sign-in succeeded")
	p.keys("Enter")
	p.waitFor("10/13", "The device has signed in: type the Device Email Address")
	p.keys("-l", "scanner@contoso.com")
	p.keys("Enter")
	p.waitFor("Device Email Address will be the UPN")
	p.keys("Enter")
	p.at("sender check")
	p.waitFor("11/13", "Sender check")
	p.keys("Right", "Down", "Right", "Down", "Right") // System, and both From settings at their safe value
	p.waitFor("The From settings are locked")
	p.keys("Enter")
	p.at("test message")
	p.waitFor("12/13", "Test message")
	p.keys("Enter")
	p.waitFor("Test message sent", "250")
	p.keys("Enter")
	p.at("summary, tested")
	p.waitFor("13/13", "not confirmed on the device yet", "9 passed")
	p.keys("y") // the device's own scan arrived
	p.waitFor("13/13", "Ready: every check passed", "10 passed")

	// Back to the sender check, and change the sender to the alias.
	p.keys("Escape")
	p.waitFor("12/13", "Test message sent")
	p.keys("Escape")
	p.at("sender check, changing the sender")
	p.waitFor("11/13", "Sender check")
	p.keys("Down") // from the second From setting, where the answers left the cursor, to the sender address
	p.keys("C-u")
	p.keys("-l", "scan@contoso.com")
	p.waitFor("scan@contoso.com")
	p.keys("Enter")
	p.at("test message, not sent again")
	p.waitFor("12/13", "Press r to send the test message")
	p.keys("Enter")
	p.at("summary after the change")
	s := p.waitFor("13/13", "Summary")
	for _, bad := range []string{"Ready", "Sending as scan@contoso.com works", "10 passed"} {
		if strings.Contains(s, bad) {
			t.Errorf("the summary claims what was not tested (%q):\n%s", bad, s)
		}
	}
	p.waitFor("Incomplete: not every check ran", "Sender address: not run since the settings changed",
		"Test message: not run since the settings changed", "Device's scan to email: not run since the")

	// Send again with the new settings: the verdict is the alias's.
	p.keys("Escape")
	p.waitFor("12/13", "Press r to send")
	p.keys("r")
	p.at("test message as the alias")
	p.waitFor("SendAsDenied", "scan@contoso.com")
	p.keys("Enter")
	s = p.waitFor("13/13", "failed")
	if strings.Contains(s, "not run since the settings changed") {
		t.Errorf("a fresh send still shows stale checks:\n%s", s)
	}
	p.keys("q") // results not in a report: the wizard asks first
	p.waitMatch(quitAsked)
	p.keys("y")
	p.waitExit(0)
	p.assertRestored()
}
