package flow

import (
	"fmt"
	"strings"
	"testing"

	"mfpmail/assets"
	"mfpmail/internal/reportschema"
	"mfpmail/smtpcheck"
)

// laptopResults turn a passed run into one kind of result of the checks
// that run from the laptop; each re-records what it changes, so only the
// named result differs.
var laptopResults = []struct {
	name string
	set  func(o *Outcome)
	// want is the headline when the device confirmed both answers.
	want Verdict
}{
	{"every check passed", func(o *Outcome) {}, VerdictReady},
	{"a skip the settings do not need", func(o *Outcome) {
		o.Config.Account = AccountPersonal
		o.RecordSignIn(testSession(testUPN), nil)
		o.Send.Inputs = o.Now()
	}, VerdictReady},
	{"a warning", func(o *Outcome) { o.Answers.DisplayName = "scanner@3F"; o.Send.Inputs = o.Now() }, VerdictWarned},
	{"an unanswered setting", func(o *Outcome) { o.Answers.LoginCredentials = "" }, VerdictWarned},
	{"a check not run", func(o *Outcome) { o.Send = nil }, VerdictIncomplete},
	{"a stale check", func(o *Outcome) { o.Target.SMTPPort = 25 }, VerdictIncomplete},
	{"a failed check", func(o *Outcome) { o.Answers.LoginCredentials = LoginRemote }, VerdictFailed},
	{"a failed test send", func(o *Outcome) {
		o.Send.Result = &smtpcheck.Result{Stage: smtpcheck.StageAuth, Diagnosis: smtpcheck.Diagnosis{Title: "535 5.7.3"}}
	}, VerdictFailed},
}

// expected is the headline for a laptop result and the device's two
// answers: a "no" fails; a device answer short of yes holds a run whose
// laptop checks all ran at "account ready".
func expected(laptop Verdict, signIn, scan string) Verdict {
	switch {
	case laptop == VerdictFailed || signIn == DeviceNo || scan == DeviceNo:
		return VerdictFailed
	case laptop == VerdictIncomplete:
		return VerdictIncomplete
	case signIn != DeviceYes || scan != DeviceYes:
		return VerdictAccountReady
	}
	return laptop
}

var exitCodes = map[Verdict]int{VerdictReady: 0, VerdictFailed: 1, VerdictAccountReady: 3, VerdictIncomplete: 4, VerdictWarned: 5}

// Every combination of the laptop's check results and the device's two
// answers → the headline, its words and the exit status of `check`.
func TestHeadlineEveryCombination(t *testing.T) {
	for _, lr := range laptopResults {
		for _, signIn := range []string{DeviceYes, DeviceNo, ""} {
			for _, scan := range []string{DeviceYes, DeviceNo, DeviceNotTried, ""} {
				name := fmt.Sprintf("%s/sign-in=%q/scan=%q", lr.name, signIn, scan)
				t.Run(name, func(t *testing.T) {
					o := passedOutcome("")
					o.DeviceSignIn, o.DeviceScan = nil, nil
					lr.set(&o)
					o.AnswerDevice(CheckDeviceSignIn, signIn)
					o.AnswerDevice(CheckDeviceScan, scan)
					cs := o.Checks()
					want := expected(lr.want, signIn, scan)
					got := Headline(cs)
					if got != want {
						t.Fatalf("headline %v, want %v; checks:\n%s", got, want, dump(cs))
					}
					if code := got.ExitCode(); code != exitCodes[want] {
						t.Errorf("exit status %d, want %d", code, exitCodes[want])
					}
					if len(cs) != len(CheckIDs) {
						t.Errorf("%d checks, want %d: none is left out of the count", len(cs), len(CheckIDs))
					}
					checkHeadlineWords(t, cs, o.Config.Account, got, signIn, scan)
					reportschema.Check(t, NewReport(o, ReportMeta{Version: "t"}).JSON())
				})
			}
		}
	}
}

// checkHeadlineWords: the words say no more than was proven, in both
// languages, and name the device's missing answers.
func checkHeadlineWords(t *testing.T, cs []Check, a Account, v Verdict, signIn, scan string) {
	t.Helper()
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		text := HeadlineText(lang, a, cs)
		if strings.Contains(text, "{") || strings.HasPrefix(text, "verdict.") {
			t.Errorf("%s: unfilled headline %q", lang, text)
		}
		ready := assets.T(lang, "verdict.ready")
		if (text == ready) != (v == VerdictReady) {
			t.Errorf("%s: headline %q for %v", lang, text, v)
		}
		if v != VerdictAccountReady {
			continue
		}
		if tenant := tenantWord[lang]; strings.Contains(text, tenant) != (a != AccountPersonal) {
			t.Errorf("%s: %s account: %q names %q: only a work account has a tenant", lang, a, text, tenant)
		}
		for id, answer := range map[string]string{CheckDeviceSignIn: signIn, CheckDeviceScan: scan} {
			named := strings.Contains(text, assets.T(lang, "verdict.missing."+id))
			if named != (answer != DeviceYes) {
				t.Errorf("%s: %q names %s: %v, but its answer is %q", lang, text, id, named, answer)
			}
		}
	}
}

func dump(cs []Check) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "  %-18s %-4s %-13s %s\n", c.ID, c.Status, c.Reason, c.Title)
	}
	return b.String()
}

// The reproduction in flow: the device's sign-in answered "no"
// never gives "ready", in the headline or in any report.
func TestDeviceSignInNoIsNeverReady(t *testing.T) {
	o := passedOutcome("")
	o.AnswerDevice(CheckDeviceSignIn, DeviceNo)
	o.AnswerDevice(CheckDeviceScan, "")
	r := NewReport(o, ReportMeta{Version: "t"})
	if r.Verdict != VerdictFailed || !r.Failed {
		t.Fatalf("verdict %v (failed %v)", r.Verdict, r.Failed)
	}
	h, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	ready := assets.T(assets.EN, "verdict.ready")
	for name, out := range map[string]string{"markdown": string(r.Markdown()), "json": string(r.JSON()), "html": string(h)} {
		if strings.Contains(out, ready) || strings.Contains(out, `"verdict": "ready"`) {
			t.Errorf("%s claims ready", name)
		}
		if !strings.Contains(out, assets.T(assets.EN, "verdict.failed")) {
			t.Errorf("%s lacks the failed headline", name)
		}
	}
	for _, c := range r.Checks {
		if c.ID == CheckDeviceSignIn {
			if c.Status != Fail || !strings.Contains(c.Fix, assets.T(assets.EN, "device.causes.lead")) ||
				!strings.Contains(c.Fix, "AADSTS53003") {
				t.Errorf("device-sign-in: %+v", c)
			}
			noPlaceholders(t, c)
		}
	}
}

// tenantWord is how the headline names a tenant, per language.
var tenantWord = map[assets.Lang]string{assets.EN: "tenant", assets.JA: "テナント"}

// A personal account (Outlook.com) has no tenant that the technician or
// the customer manages: its "account ready" headline names the account
// alone, in the report's own language and in the other one, in every
// format.
func TestAccountReadyPersonalNamesNoTenant(t *testing.T) {
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		o := passedOutcome("")
		o.Config.Lang = lang
		o.Config.Account = AccountPersonal
		o.RecordSignIn(testSession(testUPN), nil)
		o.Send.Inputs = o.Now()
		o.AnswerDevice(CheckDeviceSignIn, DeviceYes) // given again for the personal account
		o.AnswerDevice(CheckDeviceScan, "")
		r := NewReport(o, ReportMeta{Version: "t"})
		if r.Verdict != VerdictAccountReady {
			t.Fatalf("%s: verdict %v:\n%s", lang, r.Verdict, dump(r.Checks))
		}
		h, err := r.HTML()
		if err != nil {
			t.Fatal(err)
		}
		want := assets.T(lang, "verdict.account-ready.personal", "missing", assets.T(lang, "verdict.missing.device-scan"))
		for name, out := range map[string]string{"headline": r.Headline, "markdown": string(r.Markdown()),
			"json": string(r.JSON()), "html": string(h)} {
			if !strings.Contains(out, want) && !strings.Contains(out, strings.ReplaceAll(want, "'", "&#39;")) {
				t.Errorf("%s %s lacks %q", lang, name, want)
			}
		}
		for _, l := range []assets.Lang{assets.EN, assets.JA} {
			if text := r.VerdictText(l); strings.Contains(text, tenantWord[l]) {
				t.Errorf("%s report read in %s: %q names a tenant", lang, l, text)
			}
		}
	}
}
