package flow

import (
	"fmt"
	"strings"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
)

// The device's own answers. A test from the technician's laptop proves the
// account and the tenant; only the device proves that the device sends.
// Two questions are asked about it, and each answer is a check:
//
//   - device-sign-in: did the device's own sign-in (procedure steps 6–9)
//     succeed? yes passes, no fails, no answer is "not confirmed".
//   - device-scan: did a scan to email sent from the device arrive? yes
//     passes, no fails, "not tried" and no answer are "not confirmed".
//
// An answer is recorded with the inputs in force when it was given, like
// every result from the network, so a later change of the account (or of
// what the device was said to hold) makes it stale.
const (
	CheckDeviceSignIn = "device-sign-in"
	CheckDeviceScan   = "device-scan"
)

// DeviceCheckIDs are the checks only the device can answer.
var DeviceCheckIDs = []string{CheckDeviceSignIn, CheckDeviceScan}

// IsDeviceCheck reports whether id is one of DeviceCheckIDs.
func IsDeviceCheck(id string) bool { return id == CheckDeviceSignIn || id == CheckDeviceScan }

// The answers to the device's questions.
const (
	DeviceYes      = "yes"
	DeviceNo       = "no"
	DeviceNotTried = "not-tried" // the scan only: nobody sent one yet
)

// ReasonNotConfirmed marks a warning that stands only because nobody
// answered: a question about the device left open.
const ReasonNotConfirmed = "not-confirmed"

// DeviceAnswer is one answer about the device itself, with the inputs in
// force when it was given.
type DeviceAnswer struct {
	Inputs Inputs
	Answer string // DeviceYes, DeviceNo or DeviceNotTried
	// Shown is what the device showed after a "no" (its job history or
	// transmission report), cleaned and capped; "" when not given.
	Shown string
}

// ParseDeviceAnswer checks the value of --device-signed-in (yes, no) or
// --device-scan (yes, no, not-tried); "" is no answer.
func ParseDeviceAnswer(flagName, s string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch {
	case v == "" || v == DeviceYes || v == DeviceNo:
		return v, nil
	case v == DeviceNotTried && flagName == "device-scan":
		return v, nil
	case flagName == "device-scan":
		return "", fmt.Errorf("--%s %q: allowed values are yes, no, not-tried", flagName, s)
	}
	return "", fmt.Errorf("--%s %q: allowed values are yes, no", flagName, s)
}

// AnswerDevice records the answer to one of the device's questions (id is
// CheckDeviceSignIn or CheckDeviceScan) with the inputs now in force; ""
// takes the answer back.
func (o *Outcome) AnswerDevice(id, answer string) {
	var rec *DeviceAnswer
	if answer != "" {
		rec = &DeviceAnswer{Inputs: o.Now(), Answer: answer}
		// The same answer again keeps what the device was said to show.
		if old := o.deviceRecord(id); old != nil && o.DeviceAnswerNow(id) == answer {
			rec.Shown = old.Shown
		}
	}
	switch id {
	case CheckDeviceSignIn:
		o.DeviceSignIn = rec
	case CheckDeviceScan:
		o.DeviceScan = rec
	}
}

// deviceRecord is the recorded answer for a device check; nil when none.
func (o Outcome) deviceRecord(id string) *DeviceAnswer {
	switch id {
	case CheckDeviceSignIn:
		return o.DeviceSignIn
	case CheckDeviceScan:
		return o.DeviceScan
	}
	return nil
}

// DeviceAnswerNow is the answer to a device question while it still holds
// for the settings in force; "" when unanswered or stale.
func (o Outcome) DeviceAnswerNow(id string) string {
	rec := o.deviceRecord(id)
	if rec == nil || len(rec.Inputs.Changed(o.Now(), evidence[id])) > 0 {
		return ""
	}
	return rec.Answer
}

// DeviceSignInCheck judges the technician's answer about the device's own
// sign-in. A failure lists the device's prerequisites first, then what the
// device's sign-in step lists.
func DeviceSignInCheck(lang assets.Lang, gen UIGen, a Account, answer string, pre PrereqAnswers) Check {
	kv := labels(lang, gen)
	switch answer {
	case DeviceYes:
		return check(lang, CheckDeviceSignIn, Pass, "yes", kv...)
	case DeviceNo:
		c := check(lang, CheckDeviceSignIn, Fail, "no", kv...)
		c.Fix = joinNonEmpty(DeviceCauses(lang, gen, pre), bullets(PageFor(lang, gen, a, StepDeviceSignIn).Trouble))
		return c
	}
	c := check(lang, CheckDeviceSignIn, Warn, "unanswered", kv...)
	c.Reason = ReasonNotConfirmed
	return c
}

// DeviceScanCheck judges the answer to "did the device's own scan to
// email arrive?". On no: what to read on the device, then the device's
// prerequisites and the wrong account.
func DeviceScanCheck(lang assets.Lang, gen UIGen, answer, upn string, pre PrereqAnswers) Check {
	kv := append(labels(lang, gen), "upn", upn)
	switch answer {
	case DeviceYes:
		return check(lang, CheckDeviceScan, Pass, "yes", kv...)
	case DeviceNo:
		c := check(lang, CheckDeviceScan, Fail, "no", kv...)
		c.Fix = joinNonEmpty(c.Fix, DeviceCauses(lang, gen, pre), "- "+assets.T(lang, "device.wrong_account", kv...))
		return c
	case DeviceNotTried:
		c := check(lang, CheckDeviceScan, Warn, "not-tried", kv...)
		c.Reason = ReasonNotConfirmed
		return c
	}
	c := check(lang, CheckDeviceScan, Warn, "unanswered", kv...)
	c.Reason = ReasonNotConfirmed
	return c
}

// DevicePrereqs are the device's own prerequisites that no test from the
// laptop can prove, in the order to check them. Sources:
//   - firmware and TLS 1.2: Exchange Online refuses SMTP AUTH over TLS 1.0
//     and 1.1 with "421 4.7.66 TLS 1.0 and 1.1 are not supported" (Exchange
//     Team Blog, "New opt-in endpoint available for SMTP AUTH clients still
//     needing legacy TLS", https://aka.ms/smtp_auth_tls); the vendor's
//     procedure needs [Exchange Online/Outlook.com] in [Service Provider].
//   - certificates: Exchange Team Blog, "Trust DigiCert Global Root G2
//     Certificate Authority to Avoid Exchange Online Email Disruption"
//     (MC1224565): clients must trust DigiCert Global Root G2 and its
//     subordinate CAs.
//   - clock: a certificate is valid only between its dates (RFC 5280
//     4.1.2.5), so a wrong clock fails TLS; tokens carry times too.
//   - path: the procedure's step 2 (DNS and proxy); SMTP submission is
//     port 587 (RFC 6409), the sign-in pages HTTPS on 443.
var DevicePrereqs = []string{"firmware", "clock", "certificates", "path"}

// DeviceCauses are the device's prerequisites as a list of what to check,
// first when the device's sign-in or scan fails, each with the answer the
// technician gave about it.
func DeviceCauses(lang assets.Lang, gen UIGen, answers PrereqAnswers) string {
	out := []string{assets.T(lang, "device.causes.lead")}
	for _, p := range DevicePrereqs {
		line := "- " + assets.T(lang, "device.prereq."+p+".fix", labels(lang, gen)...)
		if a := answers.Get(p); a != "" {
			line += " (" + assets.T(lang, "device.answered", "answer", assets.T(lang, "device.answer."+a)) + ")"
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func bullets(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = "- " + s
	}
	return strings.Join(out, "\n")
}

// PrereqAnswers are the technician's answers about the device's own
// prerequisites (DevicePrereqs): DeviceYes, DeviceNo or "" (not asked or
// not answered). They are recorded in the report; they make no check pass
// or fail, since only the device's sign-in and scan prove them.
type PrereqAnswers struct{ Firmware, Clock, Certificates, Path string }

// Get is the answer about prerequisite id.
func (p PrereqAnswers) Get(id string) string {
	switch id {
	case "firmware":
		return p.Firmware
	case "clock":
		return p.Clock
	case "certificates":
		return p.Certificates
	case "path":
		return p.Path
	}
	return ""
}

// With is p with the answer about prerequisite id set to v.
func (p PrereqAnswers) With(id, v string) PrereqAnswers {
	switch id {
	case "firmware":
		p.Firmware = v
	case "clock":
		p.Clock = v
	case "certificates":
		p.Certificates = v
	case "path":
		p.Path = v
	}
	return p
}

// PrereqsAt are the prerequisites asked on a step, where the technician
// acts on them: the device's path out and its clock with DNS and proxy,
// its firmware and certificate store with its sign-in.
func PrereqsAt(step StepID) []string {
	switch step {
	case StepNetwork:
		return []string{"path", "clock"}
	case StepDeviceSignIn:
		return []string{"firmware", "certificates"}
	}
	return nil
}

// MaxDeviceShown caps what the device was said to show: a reply from its
// job history or transmission report is a line or two.
const MaxDeviceShown = 1000

// DeviceShown is what the technician typed or pasted from the device
// after a failed answer, cleaned and capped, with its explanation (nil
// when no reply, code or AADSTS number could be read from it).
type DeviceShown struct {
	Check       string       `json:"check"` // CheckDeviceSignIn or CheckDeviceScan
	Text        string       `json:"text"`
	Explanation *Explanation `json:"diagnosis,omitempty"`
}

// CleanShown is text typed or pasted from the device as it may be shown
// and stored: control characters escaped, lines joined, capped.
func CleanShown(text string) string {
	text = strings.Join(strings.Fields(strings.ReplaceAll(text, "\r\n", "\n")), " ")
	return untrusted.String(text, MaxDeviceShown)
}

// ShowDevice records what the device shows for a device question answered
// "no" (id is CheckDeviceSignIn or CheckDeviceScan): evidence belonging to
// that answer, so it goes stale with it. "" takes it back; without a
// fresh "no" nothing is recorded.
func (o *Outcome) ShowDevice(id, text string) {
	rec := o.deviceRecord(id)
	if rec == nil || o.DeviceAnswerNow(id) != DeviceNo {
		return
	}
	c := *rec // records are shared: change a copy
	c.Shown = CleanShown(text)
	switch id {
	case CheckDeviceSignIn:
		o.DeviceSignIn = &c
	case CheckDeviceScan:
		o.DeviceScan = &c
	}
}

// DeviceShownNow is what the device was said to show for a device
// question whose "no" still holds, explained in lang; nil when nothing
// was given or the answer is stale.
func (o Outcome) DeviceShownNow(id string, lang assets.Lang) *DeviceShown {
	rec := o.deviceRecord(id)
	if rec == nil || rec.Shown == "" || o.DeviceAnswerNow(id) != DeviceNo {
		return nil
	}
	s := &DeviceShown{Check: id, Text: rec.Shown}
	if x, err := Explain(rec.Shown, lang); err == nil {
		s.Explanation = &x
	}
	return s
}

// CleanTyped is text being typed or pasted into the device's field as it
// may be shown while typing: control characters escaped, capped; spaces
// are kept so typing is not disturbed.
func CleanTyped(text string) string { return untrusted.String(text, MaxDeviceShown) }
