package flow

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"mfpmail/assets"
	"mfpmail/internal/reportschema"
	"mfpmail/smtpcheck"
)

const (
	testUPN   = "scanner@contoso.com"
	testAlias = "scan@contoso.com"
)

// passedOutcome is a run in which every check passed: a reach, a sign-in
// and a delivered test send, each recorded with the inputs then in force.
func passedOutcome(sender string) Outcome {
	o := Outcome{
		Config:   Config{Lang: assets.EN, UI: UICWIS, Account: AccountWork},
		Answers:  Answers{LoginCredentials: LoginSystem, GuestEdit: "safe", NoAuthEdit: "safe", Sender: sender},
		Scenario: "ok",
		Target:   Target{SMTPHost: "smtp.example", SMTPPort: 587},
	}
	now := InputsOf(o.Config, o.Scenario, o.Answers, o.Target, nil)
	o.Reach = &ReachRun{Inputs: now, Results: []Reach{{Host: "login.example", Port: 443}, {Host: "smtp.example", Port: 587}}}
	o.RecordSignIn(testSession(testUPN), nil)
	res := &smtpcheck.Result{Delivered: true, Stage: smtpcheck.StageQuit, Diagnosis: smtpcheck.Diagnosis{OK: true}}
	o.Send = &SendRun{Inputs: o.Now(), Reach: Reach{Host: "smtp.example", Port: 587}, Result: res}
	o.AnswerDevice(CheckDeviceSignIn, DeviceYes)
	o.AnswerDevice(CheckDeviceScan, DeviceYes)
	return o
}

func testSession(upn string) *Session {
	return &Session{Identity: Identity{UPN: upn, Mail: upn, TenantID: "t1", FromGraph: true,
		ProxyAddresses: []string{"SMTP:" + upn, "smtp:" + testAlias}}}
}

// change alters exactly one input of the settings in force.
var change = map[Input]func(o *Outcome){
	InputAccount:     func(o *Outcome) { o.Config.Account = AccountPersonal },
	InputScenario:    func(o *Outcome) { o.Scenario = "upn-mismatch" },
	InputIdentity:    func(o *Outcome) { o.Config.Authority = "https://login.other.example" },
	InputUPN:         func(o *Outcome) { o.RecordSignIn(testSession("other@contoso.com"), nil) },
	InputSender:      func(o *Outcome) { o.Answers.Sender = "third@contoso.com" },
	InputDisplayName: func(o *Outcome) { o.Answers.DisplayName = "Scanner 3F" },
	InputFrom:        func(o *Outcome) { o.Answers.GuestEdit = "other" },
	InputLogin:       func(o *Outcome) { o.Answers.LoginCredentials = LoginRemote },
	InputDeviceEmail: func(o *Outcome) { o.Answers.DeviceEmail = "other@contoso.com" },
	InputRecipient:   func(o *Outcome) { o.Target.To = "someone@fabrikam.example" },
	InputSMTP:        func(o *Outcome) { o.Target.SMTPPort = 25 },
}

// Change one input → exactly the checks whose evidence ran with it go
// stale; the others keep a verdict of their own. Every input is covered,
// with the UPN as sender and with an alias (settled only by the probe).
func TestStaleEveryInputEveryCheck(t *testing.T) {
	all := []string{CheckNetwork, CheckConsent, CheckSignIn, CheckDeviceSignIn, CheckDeviceEmail, CheckSenderPolicy,
		CheckSMTPAuth, CheckTestSend, CheckDeviceScan}
	signIn := []string{CheckConsent, CheckSignIn, CheckDeviceSignIn, CheckDeviceEmail, CheckSenderPolicy, CheckSMTPAuth,
		CheckTestSend, CheckDeviceScan}
	// The device's answers: its sign-in holds for one account; its scan
	// for everything the device was said to hold.
	dev, scan := []string{CheckDeviceSignIn, CheckDeviceScan}, []string{CheckDeviceScan}
	want := map[string]map[Input][]string{
		"sender is the UPN": {
			InputAccount:     signIn,
			InputScenario:    all,
			InputIdentity:    all,
			InputUPN:         append([]string{CheckSMTPAuth, CheckTestSend}, dev...),
			InputSender:      {CheckSenderPolicy, CheckTestSend, CheckDeviceScan}, // now an alias: the old probe does not settle it
			InputDisplayName: {CheckTestSend, CheckDeviceScan},
			InputFrom:        scan,
			InputLogin:       scan,
			InputDeviceEmail: scan,
			InputRecipient:   {CheckTestSend},
			InputSMTP:        {CheckNetwork, CheckSMTPAuth, CheckTestSend},
		},
		"sender is an alias": {
			InputAccount:     signIn,
			InputScenario:    all,
			InputIdentity:    all,
			InputUPN:         append([]string{CheckSenderPolicy, CheckSMTPAuth, CheckTestSend}, dev...),
			InputSender:      {CheckSenderPolicy, CheckTestSend, CheckDeviceScan},
			InputDisplayName: {CheckSenderPolicy, CheckTestSend, CheckDeviceScan},
			InputFrom:        scan,
			InputLogin:       scan,
			InputDeviceEmail: scan,
			InputRecipient:   {CheckSenderPolicy, CheckTestSend},
			InputSMTP:        {CheckNetwork, CheckSenderPolicy, CheckSMTPAuth, CheckTestSend},
		},
	}
	senders := map[string]string{"sender is the UPN": "", "sender is an alias": testAlias}
	for base, table := range want {
		if len(table) != len(AllInputs) {
			t.Fatalf("%s: the table covers %d of %d inputs", base, len(table), len(AllInputs))
		}
		for _, in := range AllInputs {
			t.Run(base+"/"+string(in), func(t *testing.T) {
				o := passedOutcome(senders[base])
				for _, c := range o.Checks() {
					if c.Status != Pass {
						t.Fatalf("baseline: %s is %s: %s", c.ID, c.Status, c.Title)
					}
				}
				change[in](&o)
				var stale []string
				for _, c := range o.Checks() {
					if c.Reason == ReasonStale {
						if c.Status != Skip {
							t.Errorf("%s is stale but %s", c.ID, c.Status)
						}
						if !strings.Contains(c.Detail, assets.T(assets.EN, "input."+string(in))) && in != InputUPN && in != InputAccount {
							t.Errorf("%s: the detail does not name the change: %q", c.ID, c.Detail)
						}
						stale = append(stale, c.ID)
					}
				}
				exp := append([]string(nil), table[in]...)
				sort.Strings(stale)
				sort.Strings(exp)
				if !slices.Equal(stale, exp) {
					t.Errorf("stale = %v, want %v", stale, exp)
				}
				if len(exp) > 0 && Headline(o.Checks()) == VerdictReady {
					t.Error("the headline says everything passed with stale checks")
				}
			})
		}
	}
}

// The reproduction of the bug: pass with the UPN, then change the sender to
// an alias without sending again. Nothing may claim that sending as the
// alias works, and the report holds no stale transcript.
func TestSenderChangedAfterPassIsNotAPass(t *testing.T) {
	o := passedOutcome("")
	o.Send.Result.Transcript = []smtpcheck.Line{{Dir: smtpcheck.Received, Text: "250 2.0.0 OK"}}
	if Headline(o.Checks()) != VerdictReady {
		t.Fatalf("baseline: %v", Headline(o.Checks()))
	}
	o.Answers.Sender = testAlias
	cs := o.Checks()
	if v := Headline(cs); v != VerdictIncomplete {
		t.Errorf("headline %v, want incomplete", v)
	}
	for _, c := range cs {
		if (c.ID == CheckSenderPolicy || c.ID == CheckTestSend) && (c.Status != Skip || c.Reason != ReasonStale) {
			t.Errorf("%s: %s %q", c.ID, c.Status, c.Title)
		}
	}
	r := NewReport(o, ReportMeta{Version: "t"})
	if len(r.Transcript) != 0 || r.Verdict != VerdictIncomplete {
		t.Errorf("report: verdict %v, %d transcript lines", r.Verdict, len(r.Transcript))
	}
	// Sending again with the new settings settles it.
	o.Send = &SendRun{Inputs: o.Now(), Result: &smtpcheck.Result{Delivered: true, Stage: smtpcheck.StageQuit}}
	if v := Headline(o.Checks()); v != VerdictAccountReady {
		t.Errorf("after a new send: %v (the device's scan ran with the old sender)", v)
	}
	o.AnswerDevice(CheckDeviceScan, DeviceYes)
	if v := Headline(o.Checks()); v != VerdictReady {
		t.Errorf("after a new send and a new scan: %v", v)
	}
}

// The reverse: an old failure is not shown under new settings.
func TestOldFailureNotShownUnderNewSettings(t *testing.T) {
	o := passedOutcome(testAlias)
	o.Send.Result = &smtpcheck.Result{Stage: smtpcheck.StageData, Diagnosis: smtpcheck.Diagnosis{ID: smtpcheck.IDSendAsDenied, Title: "SendAsDenied"}}
	if v := Headline(o.Checks()); v != VerdictFailed {
		t.Fatalf("baseline: %v", v)
	}
	o.Answers.Sender = ""
	for _, c := range o.Checks() {
		if c.Status == Fail {
			t.Errorf("%s still fails after the sender changed: %q", c.ID, c.Title)
		}
	}
}

func TestHeadline(t *testing.T) {
	p := Check{Status: Pass}
	for _, tc := range []struct {
		cs   []Check
		want Verdict
	}{
		{[]Check{p, p}, VerdictReady},
		{[]Check{p, {Status: Skip, Reason: ReasonNotNeeded}}, VerdictReady},
		{[]Check{p, {Status: Skip, Reason: ReasonNotRun}}, VerdictIncomplete},
		{[]Check{p, {Status: Skip, Reason: ReasonStale}}, VerdictIncomplete},
		{[]Check{p, {Status: Skip}}, VerdictIncomplete},
		{[]Check{p, {Status: Warn}}, VerdictWarned},
		{[]Check{{Status: Warn}, {Status: Skip, Reason: ReasonStale}}, VerdictIncomplete},
		{[]Check{{Status: Skip, Reason: ReasonStale}, {Status: Fail}}, VerdictFailed},
	} {
		if got := Headline(tc.cs); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.cs, got, tc.want)
		}
	}
}

// Personal accounts need no consent: that skip does not hold back a pass.
func TestConsentSkipIsNotNeeded(t *testing.T) {
	c := ConsentCheck(assets.EN, AccountPersonal, nil, nil)
	if c.Status != Skip || c.Reason != ReasonNotNeeded {
		t.Errorf("%+v", c)
	}
	if c := SignInCheck(assets.EN, nil, nil); c.Reason != ReasonNotRun {
		t.Errorf("%+v", c)
	}
}

// The technician's answers about the device are in every report format,
// and they decide the headline: "no" fails, no answer is "account ready".
func TestReportDeviceAnswers(t *testing.T) {
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		o := passedOutcome("")
		o.Config.Lang = lang
		o.AnswerDevice(CheckDeviceSignIn, DeviceNo)
		o.AnswerDevice(CheckDeviceScan, DeviceNotTried)
		if v := Headline(o.Checks()); v != VerdictFailed {
			t.Errorf("%s: the device's failed sign-in gives %v", lang, v)
		}
		r := NewReport(o, ReportMeta{Version: "t"})
		want := assets.T(lang, "report.device_sign_in."+DeviceNo)
		scan := assets.T(lang, "report.device_scan."+DeviceNotTried)
		if md := string(r.Markdown()); !strings.Contains(md, want) || !strings.Contains(md, scan) {
			t.Errorf("%s: Markdown lacks %q or %q", lang, want, scan)
		}
		reportschema.Check(t, r.JSON())
		js := string(r.JSON())
		for _, w := range []string{`"device_sign_in": "no"`, `"device_scan": "not-tried"`, `"verdict": "failed"`} {
			if !strings.Contains(js, w) {
				t.Errorf("%s: JSON lacks %s:\n%s", lang, w, js)
			}
		}
		h, err := r.HTML()
		if err != nil || !strings.Contains(string(h), want) || !strings.Contains(string(h), scan) {
			t.Errorf("%s: HTML lacks %q (%v)", lang, want, err)
		}
	}
}

// Changing the account after the device's sign-in makes that answer
// stale: never a pass, and the report no longer states it.
func TestDeviceAnswerStaleAfterAccountChange(t *testing.T) {
	o := passedOutcome("")
	o.RecordSignIn(testSession("other@contoso.com"), nil)
	o.Send = &SendRun{Inputs: o.Now(), Result: &smtpcheck.Result{Delivered: true, Stage: smtpcheck.StageQuit}}
	cs := o.Checks()
	for _, c := range cs {
		if IsDeviceCheck(c.ID) && (c.Status != Skip || c.Reason != ReasonStale) {
			t.Errorf("%s after the account changed: %s %q", c.ID, c.Status, c.Title)
		}
	}
	if v := Headline(cs); v != VerdictAccountReady {
		t.Errorf("headline %v, want account-ready", v)
	}
	r := NewReport(o, ReportMeta{Version: "t"})
	if r.DeviceSignIn != "" || r.DeviceScan != "" {
		t.Errorf("the report still states old answers: %q %q", r.DeviceSignIn, r.DeviceScan)
	}
}
