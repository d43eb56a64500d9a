package main

import (
	"regexp"
	"strings"
	"testing"
)

// reportName is the suggested report name, whole.
var reportName = regexp.MustCompile(`mfpmail-report-\d{8}-\d{6}\.html`)

// walkToSummary goes from the sign-in screen (walkToSignIn) to the
// summary of the ok scenario, in English.
func walkToSummary(p *pane) {
	p.t.Helper()
	p.keys("a")
	p.at("signed in")
	p.waitFor("8/13", "Signed in")
	p.keys("Enter")
	p.at("device sign-in")
	p.waitFor("9/13")
	p.keys("Enter")
	p.at("account")
	p.waitFor("10/13", "UPN:")
	p.keys("Enter")
	p.at("sender check")
	p.waitFor("11/13")
	p.keys("Enter")
	p.at("test message")
	p.waitFor("12/13", "Test message")
	p.keys("Enter")
	p.waitFor("Test message sent")
	p.keys("Enter")
	p.at("summary")
	p.waitFor("13/13", "6 passed") // Enter through: the device and the sender questions are not confirmed
}

// TestE2ELeavingAndSaving: the report's prompt says what is wrong with a
// folder that does not exist and with a .txt name and stays open with the
// name typed; q with the results not in a report asks first; Ctrl+C on
// the summary says the results were not written, exit status 130.
func TestE2ELeavingAndSaving(t *testing.T) {
	t.Parallel()
	p := startPane(t, termCase{name: "80x24-NO_COLOR-leaving", w: 80, h: 24, lang: "C.UTF-8", noColor: true})
	p.at("welcome")
	p.waitFor("1/13", "Exchange Online")
	p.keys("2") // the header follows the choice at once
	p.at("welcome, personal chosen")
	p.waitFor("Outlook.com ·", "1/12", "(•) 2")
	p.keys("1")
	p.waitFor("Exchange Online ·", "1/13")
	walkToSignIn(p)
	walkToSummary(p)

	p.keys("r")
	p.at("report prompt")
	p.waitFor("Report file (.html, .md or .json):", "mfpmail-report-")
	p.keys("C-u")
	p.keys("-l", "nodir/x.html")
	p.keys("Enter")
	p.at("report to a missing folder")
	s := p.waitFor("does not exist", "enter save")
	if !strings.Contains(s, "\n nodir/x.html") || strings.Contains(s, ".tmp-") {
		t.Errorf("want the prompt open with the typed name and no temporary file named:\n%s", frame(s))
	}
	p.keys("C-u")
	p.keys("-l", "x.txt")
	p.keys("Enter")
	p.at("report with .txt")
	p.waitFor(".md (Markdown) or .json.", "enter save")
	p.keys("Escape")
	// The prompt closed before the next key (an esc with a key straight
	// after it reads as alt+key).
	p.waitFor("r write report")

	p.keys("q")
	p.at("quit question")
	p.waitMatch(quitAsked)
	p.waitFor("Quit anyway?")
	p.keys("n")
	p.at("stayed")
	p.waitFor("r write report")
	p.keys("C-c")
	p.at("Ctrl+C on the summary")
	p.waitExit(130)
	// -J: the line as written, joined where the terminal wrapped it.
	if s := p.tmux("capture-pane", "-p", "-J", "-t", "e2e"); !strings.Contains(s, "step 13/13") || !strings.Contains(s, "not written to a report") {
		t.Errorf("want the line saying the results were not written:\n%s", frame(p.capture()))
	}
	p.assertRestored()
}

// TestE2EConsentRequiredStraightBack: after the consent failure the key
// line says where Enter goes; the consent screen at 80×24 offers its
// scroll key; the demo's consent (g) leads straight back to the sign-in.
func TestE2EConsentRequiredStraightBack(t *testing.T) {
	t.Parallel()
	p := startPane(t, termCase{name: "80x24-consent-required", w: 80, h: 24, lang: "C.UTF-8", args: []string{"--scenario", "consent-required"}})
	walkToSignIn(p)
	p.keys("a")
	p.at("consent missing")
	s := p.waitFor("Administrator consent is missing", "enter back to consent")
	if strings.Contains(s, "enter next") {
		t.Errorf("the key line still says enter next:\n%s", frame(s))
	}
	p.keys("Enter")
	p.at("consent again")
	p.waitFor("2/13", "Consent link", "up/down scroll")
	p.keys("g")
	p.at("after g")
	p.waitFor("8/13", "Sign in: check the account first")
	p.waitMatch(userCode)
	p.keys("a")
	p.waitFor("UPN:", "scanner@contoso.com")
	p.keys("q")
	p.waitExit(0)
}

// TestE2EJapaneseReportPrompt: in Japanese the report's suggested name
// shows whole under its label.
func TestE2EJapaneseReportPrompt(t *testing.T) {
	t.Parallel()
	p := startPane(t, termCase{name: "ja-80x24-report", w: 80, h: 24, lang: "ja_JP.UTF-8"})
	for step := 1; step <= 7; step++ {
		p.at("step " + string(rune('0'+step)))
		p.waitFor(string(rune('0'+step)) + "/13")
		if step == 4 {
			p.waitMatch(reachDone)
		}
		p.keys("Enter")
	}
	p.waitMatch(userCode)
	p.keys("a")
	p.waitFor("UPN:")
	for _, n := range []string{"9/13", "10/13", "11/13", "12/13"} {
		p.keys("Enter")
		p.waitFor(n)
	}
	p.keys("Enter")
	p.waitMatch(sendDone)
	p.keys("Enter")
	p.at("summary")
	p.waitFor("13/13")
	p.keys("r")
	p.at("report prompt")
	s := p.waitFor("mfpmail-report-")
	if !reportName.MatchString(s) {
		t.Errorf("the suggested name is not whole:\n%s", frame(s))
	}
	p.keys("Escape")
	p.waitUntil("the prompt closed", func(s string) bool { return !strings.Contains(s, "mfpmail-report-") })
	p.keys("q")
	p.waitMatch(quitAsked)
	p.keys("y")
	p.waitExit(0)
}
