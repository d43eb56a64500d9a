package flow

import (
	"strings"

	"mfpmail/assets"
	"mfpmail/smtpcheck"
)

// Status of a check.
type Status string

const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Check ids, stable: scripts and reports refer to them.
const (
	CheckNetwork          = "network"
	CheckConsent          = "consent"
	CheckSignIn           = "sign-in"
	CheckDeviceEmail      = "device-email"
	CheckSenderPolicy     = "sender-policy"
	CheckLoginCredentials = "login-credentials"
	CheckSMTPAuth         = "smtp-auth"
	CheckTestSend         = "test-send"
)

// CheckIDs lists every check in the order of the procedure; the device's
// own two (device.go) are among them and always counted.
var CheckIDs = []string{CheckNetwork, CheckConsent, CheckSignIn, CheckDeviceSignIn, CheckDeviceEmail,
	CheckSenderPolicy, CheckLoginCredentials, CheckSMTPAuth, CheckTestSend, CheckDeviceScan}

// Check is one verdict, explained.
type Check struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
	// Reason says why a check was skipped (ReasonNotNeeded, ReasonStale,
	// ReasonNotRun), or that a warning stands only because a question about
	// the device is unanswered (ReasonNotConfirmed). Empty otherwise.
	Reason string `json:"reason,omitempty"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
	Fix    string `json:"fix,omitempty"`
	// Diagnosis is the stable id of the explanation when the check failed
	// on a server's or identity provider's answer (e.g. "not-assigned",
	// "sender-throttled"), for scripts; Source names its document.
	Diagnosis string `json:"diagnosis,omitempty"`
	Source    string `json:"source,omitempty"`
	// fixCLI is Fix in the command line's terms (flags where the wizard
	// has a screen or a key); "" when Fix speaks of neither.
	fixCLI string
}

// ForCommandLine is the checks as `mfpmail check` words them: a fix that
// points at a screen or key of the wizard names the flag instead.
func ForCommandLine(checks []Check) []Check {
	out := make([]Check, len(checks))
	for i, c := range checks {
		if c.fixCLI != "" {
			c.Fix = c.fixCLI
		}
		out[i] = c
	}
	return out
}

// Why a check was skipped.
const (
	ReasonNotNeeded = "not-needed" // the settings do not need it
	ReasonStale     = "stale"      // not run since the settings changed
	ReasonNotRun    = "not-run"    // not run (yet), or stopped before it
)

// Setting answers of the questionnaire. "" = not answered.
type (
	LoginCredentials string // "system" | "remote"
	FromPolicy       string // "locked" (both From settings safe) | "open"
)

const (
	LoginSystem LoginCredentials = "system"
	LoginRemote LoginCredentials = "remote"
	FromLocked  FromPolicy       = "locked"
	FromOpen    FromPolicy       = "open"
)

// Answers are what the technician told about the device.
type Answers struct {
	DeviceEmail      string           // the Device Email Address set on the device
	LoginCredentials LoginCredentials // [Login Credentials for Email Send]
	GuestEdit        string           // "safe" | "other" | "": the first From setting
	NoAuthEdit       string           // "safe" | "other" | "": the second From setting
	Sender           string           // the sender address the Email app uses ("" = the UPN)
	DisplayName      string           // the sender's display name, if the site sets one
	// Prereqs: what the technician answered about the device's own
	// prerequisites (firmware, clock, certificates, path out).
	Prereqs PrereqAnswers
}

// FromPolicy sums up the two From settings.
func (a Answers) FromPolicy() FromPolicy {
	switch {
	case a.GuestEdit == "other" || a.NoAuthEdit == "other":
		return FromOpen
	case a.GuestEdit == "safe" && a.NoAuthEdit == "safe":
		return FromLocked
	}
	return ""
}

// SenderOrUPN is the sender address the test send will use.
func (a Answers) SenderOrUPN(upn string) string {
	if s := strings.TrimSpace(a.Sender); s != "" {
		return s
	}
	return upn
}

// SameAddress compares mail addresses as mail systems do: trimmed and
// case-insensitive.
func SameAddress(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func check(lang assets.Lang, id string, st Status, key string, kv ...string) Check {
	base := "check." + id + "." + key
	c := Check{ID: id, Status: st, Title: assets.T(lang, base+".title", kv...)}
	if st == Skip {
		c.Reason = ReasonNotRun
		if notNeeded[id+"."+key] {
			c.Reason = ReasonNotNeeded
		}
	}
	if assets.Has(assets.EN, base+".detail") {
		c.Detail = assets.T(lang, base+".detail", kv...)
	}
	if assets.Has(assets.EN, base+".fix") {
		c.Fix = assets.T(lang, base+".fix", kv...)
	}
	if assets.Has(assets.EN, base+".fix.cli") {
		c.fixCLI = assets.T(lang, base+".fix.cli", kv...)
	}
	return c
}

// notNeeded are the skips that the settings make unnecessary.
var notNeeded = map[string]bool{
	CheckConsent + ".personal":  true, // Outlook.com has no tenant to consent
	CheckConsent + ".not-entra": true, // consent is Entra ID's
}

// DeviceEmailCheck compares the UPN, the primary address the device takes
// as its Device Email Address, and the address the technician says is set
// on the device. Exchange Online checks the XOAUTH2 user against the UPN.
func DeviceEmailCheck(lang assets.Lang, gen UIGen, id Identity, deviceEmail string) Check {
	primary := id.PrimaryAddress()
	kv := append(labels(lang, gen), "upn", id.UPN, "primary", primary, "device", strings.TrimSpace(deviceEmail))
	switch {
	case id.UPN == "":
		return check(lang, CheckDeviceEmail, Warn, "no-upn", kv...)
	case deviceEmail != "" && !SameAddress(deviceEmail, id.UPN):
		return check(lang, CheckDeviceEmail, Fail, "device-differs", kv...)
	case !SameAddress(primary, id.UPN) && deviceEmail == "":
		return check(lang, CheckDeviceEmail, Fail, "primary-differs", kv...)
	case !SameAddress(primary, id.UPN):
		// The technician already changed it to the UPN.
		return check(lang, CheckDeviceEmail, Pass, "fixed", kv...)
	case !id.FromGraph && deviceEmail == "":
		// Without Graph the primary address is a guess: do not pass on it.
		return check(lang, CheckDeviceEmail, Warn, "primary-unknown", kv...)
	}
	return check(lang, CheckDeviceEmail, Pass, "ok", kv...)
}

// SenderPolicyCheck judges the From-address settings against the sender
// address. The verdict for a sender other than the UPN waits for the live
// probe of the test send (see WithSendResult).
func SenderPolicyCheck(lang assets.Lang, gen UIGen, upn string, a Answers) Check {
	sender := a.SenderOrUPN(upn)
	kv := append(labels(lang, gen), "upn", upn, "sender", sender, "name", a.DisplayName)
	var c Check
	switch {
	case !SameAddress(sender, upn):
		c = check(lang, CheckSenderPolicy, Warn, "other-sender", kv...)
	case a.FromPolicy() == FromOpen:
		c = check(lang, CheckSenderPolicy, Warn, "open", kv...)
	case a.FromPolicy() == FromLocked:
		c = check(lang, CheckSenderPolicy, Pass, "locked", kv...)
	default:
		c = check(lang, CheckSenderPolicy, Warn, "unanswered", kv...)
		c.Reason = ReasonNotConfirmed
	}
	return withNameWarning(lang, c, a, kv)
}

// withNameWarning adds the warning for a display name holding an "@":
// Exchange reads it as another address and may deny it.
func withNameWarning(lang assets.Lang, c Check, a Answers, kv []string) Check {
	if !strings.Contains(a.DisplayName, "@") {
		return c
	}
	n := check(lang, CheckSenderPolicy, Warn, "at-in-name", kv...)
	if c.Status == Pass {
		c.Status, c.Title = Warn, n.Title
	}
	c.Detail = joinNonEmpty(c.Detail, n.Detail)
	if c.fixCLI != "" {
		c.fixCLI = joinNonEmpty(c.fixCLI, n.Fix)
	}
	c.Fix = joinNonEmpty(c.Fix, n.Fix)
	return c
}

// LoginCredentialsCheck: [Login Credentials for Email Send] must be System.
func LoginCredentialsCheck(lang assets.Lang, gen UIGen, v LoginCredentials) Check {
	kv := labels(lang, gen)
	switch v {
	case LoginSystem:
		return check(lang, CheckLoginCredentials, Pass, "system", kv...)
	case LoginRemote:
		return check(lang, CheckLoginCredentials, Fail, "remote", kv...)
	}
	c := check(lang, CheckLoginCredentials, Warn, "unanswered", kv...)
	c.Reason = ReasonNotConfirmed
	return c
}

// ConsentCheck follows from the sign-in: a work account that signed in has
// consent; a consent error says it is missing; Outlook.com needs none.
func ConsentCheck(lang assets.Lang, a Account, s *Session, p *Problem) Check {
	switch {
	case a == AccountPersonal:
		return check(lang, CheckConsent, Skip, "personal")
	case s != nil && s.Identity.TenantID == "":
		// No tenant id in the sign-in: not Entra ID, where consent applies.
		return check(lang, CheckConsent, Skip, "not-entra")
	case s != nil:
		return check(lang, CheckConsent, Pass, "ok")
	case p != nil && p.ID == "consent-required":
		c := check(lang, CheckConsent, Fail, "missing")
		c.Detail, c.Fix, c.fixCLI = p.Detail, p.Fix, p.fixCLI
		return c
	}
	return check(lang, CheckConsent, Skip, "no-sign-in")
}

// SignInCheck reports the device code sign-in.
func SignInCheck(lang assets.Lang, s *Session, p *Problem) Check {
	switch {
	case s != nil:
		return check(lang, CheckSignIn, Pass, "ok", "upn", s.Identity.UPN)
	case p != nil:
		// The provider's own words too, unless the explanation quotes them.
		said := p.Description
		if strings.Contains(p.Detail, said) {
			said = ""
		}
		return Check{ID: CheckSignIn, Status: Fail, Title: p.Title, Detail: joinNonEmpty(p.Detail, said, p.Received()), Fix: p.Fix,
			Diagnosis: p.ID, Source: p.Source, fixCLI: p.fixCLI}
	}
	return check(lang, CheckSignIn, Skip, "not-run")
}

// SMTPAuthCheck and TestSendCheck read the test send's result.
func SMTPAuthCheck(lang assets.Lang, r *smtpcheck.Result) Check {
	if r == nil {
		return check(lang, CheckSMTPAuth, Skip, "not-run")
	}
	d := r.Diagnosis
	switch {
	case stageAfter(r.Stage, smtpcheck.StageAuth) || r.Delivered:
		return check(lang, CheckSMTPAuth, Pass, "ok")
	case r.Stage == smtpcheck.StageAuth:
		return Check{ID: CheckSMTPAuth, Status: Fail, Title: d.Title, Detail: d.Detail, Fix: d.Fix, Diagnosis: d.ID, Source: d.Source}
	}
	c := check(lang, CheckSMTPAuth, Skip, "not-reached")
	c.Detail = d.Title
	return c
}

// TestSendCheck: the message was accepted, or why not.
func TestSendCheck(lang assets.Lang, r *smtpcheck.Result) Check {
	if r == nil {
		return check(lang, CheckTestSend, Skip, "not-run")
	}
	if r.Delivered {
		return check(lang, CheckTestSend, Pass, "ok")
	}
	if r.Stage == smtpcheck.StageAuth {
		// smtp-auth carries the explanation; do not repeat it.
		return check(lang, CheckTestSend, Fail, "auth-failed")
	}
	d := r.Diagnosis
	return Check{ID: CheckTestSend, Status: Fail, Title: d.Title, Detail: d.Detail, Fix: d.Fix, Diagnosis: d.ID, Source: d.Source}
}

// WithSendResult settles the sender policy for a sender other than the
// UPN: the live probe passed only if the server took the message.
func WithSendResult(lang assets.Lang, gen UIGen, c Check, upn string, a Answers, r *smtpcheck.Result) Check {
	sender := a.SenderOrUPN(upn)
	if r == nil || SameAddress(sender, upn) {
		return c
	}
	kv := append(labels(lang, gen), "upn", upn, "sender", sender)
	switch {
	case r.Delivered:
		return withNameWarning(lang, check(lang, CheckSenderPolicy, Pass, "probe-ok", kv...), a, append(kv, "name", a.DisplayName))
	case r.Diagnosis.ID == smtpcheck.IDSendAsDenied:
		return check(lang, CheckSenderPolicy, Fail, "probe-denied", kv...)
	}
	return c
}

func stageAfter(s, than smtpcheck.Stage) bool {
	pos := func(x smtpcheck.Stage) int {
		for i, st := range smtpcheck.Stages {
			if st == x {
				return i
			}
		}
		return -1
	}
	return pos(s) > pos(than)
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// Outcome is everything a run found out; Checks turns it into verdicts.
// The wizard and `mfpmail check` share it. Every result from the network
// is held in a record with the inputs it ran with, so a result can only be
// shown while those inputs are still the ones in force.
type Outcome struct {
	Config   Config
	Answers  Answers
	Scenario string // the demo's training scenario, "" outside the demo
	Target   Target // where the test send goes
	Reach    *ReachRun
	SignIn   *SignInRun
	Send     *SendRun
	// DeviceSignIn and DeviceScan are the technician's answers about the
	// device itself (device.go); nil while unanswered.
	DeviceSignIn *DeviceAnswer
	DeviceScan   *DeviceAnswer
}

// ReachRun is the network pre-check as it ran.
type ReachRun struct {
	Inputs  Inputs
	Results []Reach
}

// SignInRun is the device code sign-in as it ended: a session or a problem.
type SignInRun struct {
	Inputs  Inputs
	Session *Session
	Problem *Problem
}

// SendRun is a test send as it ran: the reachability of the SMTP server
// and, when it could be reached, the exchange.
type SendRun struct {
	Inputs Inputs
	Reach  Reach
	Result *smtpcheck.Result // nil: the server could not be reached
}

// Now are the inputs in force.
func (o Outcome) Now() Inputs {
	return InputsOf(o.Config, o.Scenario, o.Answers, o.Target, o.Session())
}

// Session is the signed-in account, while the sign-in still holds for the
// account type and identity provider in force; nil otherwise.
func (o Outcome) Session() *Session {
	if o.SignIn == nil || o.SignIn.Session == nil {
		return nil
	}
	now := InputsOf(o.Config, o.Scenario, o.Answers, o.Target, nil)
	if len(o.SignIn.Inputs.Changed(now, evidence[CheckSignIn])) > 0 {
		return nil
	}
	return o.SignIn.Session
}

// FreshSend is the test send while its inputs are the ones in force.
func (o Outcome) FreshSend() *SendRun {
	if o.Send == nil || len(o.Send.Inputs.Changed(o.Now(), sendEvidence)) > 0 {
		return nil
	}
	return o.Send
}

// Checks are all the verdicts, in CheckIDs order. A check whose evidence
// ran with other inputs than the ones in force is a skip that says which
// settings changed: never the old pass or fail.
func (o Outcome) Checks() []Check {
	lang := o.Config.Lang
	now := o.Now()
	out := make([]Check, 0, len(CheckIDs))
	for _, id := range CheckIDs {
		if changed := o.changedFor(id, now); len(changed) > 0 {
			out = append(out, staleCheck(lang, id, changed))
			continue
		}
		out = append(out, o.judge(id))
	}
	return out
}

// changedFor lists the inputs that changed since the evidence of check id
// was obtained. Evidence never obtained is not stale: it is "not run".
func (o Outcome) changedFor(id string, now Inputs) []Input {
	var rec *Inputs
	switch id {
	case CheckNetwork:
		if o.Reach != nil {
			rec = &o.Reach.Inputs
		}
	case CheckConsent, CheckSignIn, CheckDeviceEmail, CheckSenderPolicy:
		if o.SignIn != nil {
			rec = &o.SignIn.Inputs
		}
	case CheckSMTPAuth, CheckTestSend:
		if o.Send != nil {
			rec = &o.Send.Inputs
		}
	case CheckDeviceSignIn, CheckDeviceScan:
		if d := o.deviceRecord(id); d != nil {
			rec = &d.Inputs
		}
	}
	var changed []Input
	if rec != nil {
		changed = rec.Changed(now, evidence[id])
	}
	if id == CheckSenderPolicy && len(changed) == 0 && o.Send != nil && o.Session() != nil &&
		!SameAddress(now.Sender, now.UPN) {
		// Another sender than the UPN is settled only by the probe.
		changed = o.Send.Inputs.Changed(now, sendEvidence)
	}
	return changed
}

// judge gives the verdict of one check from evidence that still holds.
func (o Outcome) judge(id string) Check {
	lang, gen := o.Config.Lang, o.Config.UI
	s := o.Session()
	var p *Problem
	if o.SignIn != nil {
		p = o.SignIn.Problem
	}
	var res *smtpcheck.Result
	if o.Send != nil {
		res = o.Send.Result
	}
	switch id {
	case CheckNetwork:
		if o.Reach == nil {
			return check(lang, CheckNetwork, Skip, "not-run")
		}
		return NetworkCheck(lang, o.Reach.Results...)
	case CheckConsent:
		return ConsentCheck(lang, o.Config.Account, s, p)
	case CheckSignIn:
		return SignInCheck(lang, s, p)
	case CheckDeviceEmail:
		if s == nil {
			return check(lang, CheckDeviceEmail, Skip, "not-run")
		}
		return DeviceEmailCheck(lang, gen, s.Identity, o.Answers.DeviceEmail)
	case CheckSenderPolicy:
		if s == nil {
			return check(lang, CheckSenderPolicy, Skip, "not-run")
		}
		sp := SenderPolicyCheck(lang, gen, s.Identity.UPN, o.Answers)
		return WithSendResult(lang, gen, sp, s.Identity.UPN, o.Answers, res)
	case CheckLoginCredentials:
		return LoginCredentialsCheck(lang, gen, o.Answers.LoginCredentials)
	case CheckDeviceSignIn:
		return DeviceSignInCheck(lang, gen, o.Config.Account, o.DeviceAnswerNow(id), o.Answers.Prereqs)
	case CheckDeviceScan:
		upn := ""
		if s != nil {
			upn = s.Identity.UPN
		}
		return DeviceScanCheck(lang, gen, o.DeviceAnswerNow(id), upn, o.Answers.Prereqs)
	case CheckSMTPAuth:
		if o.Send != nil && res == nil {
			return sendUnreachable(lang, CheckSMTPAuth, o.Send.Reach)
		}
		return SMTPAuthCheck(lang, res)
	case CheckTestSend:
		if o.Send != nil && res == nil {
			return sendUnreachable(lang, CheckTestSend, o.Send.Reach)
		}
		return TestSendCheck(lang, res)
	}
	return Check{ID: id, Status: Skip}
}

// sendUnreachable: the test send stopped before SMTP because the server
// could not be reached; the network check explains it.
func sendUnreachable(lang assets.Lang, id string, r Reach) Check {
	c := check(lang, id, Skip, "not-reached")
	if r.Problem != nil {
		c.Detail = r.Problem.Title
	}
	return c
}

// staleCheck: the check ran, but with other settings than the ones in
// force, so its old verdict says nothing about them.
func staleCheck(lang assets.Lang, id string, changed []Input) Check {
	names := make([]string, len(changed))
	for i, in := range changed {
		names[i] = assets.T(lang, "input."+string(in))
	}
	c := Check{ID: id, Status: Skip, Reason: ReasonStale,
		Title:  assets.T(lang, "check.stale.title", "check", assets.T(lang, "check."+id+".name")),
		Detail: assets.T(lang, "check.stale.detail", "changed", strings.Join(names, assets.T(lang, "check.stale.sep"))),
		Fix:    assets.T(lang, "check.stale.fix."+id),
	}
	return c
}

// Verdict is the headline, at the levels of what was proven.
type Verdict string

const (
	// VerdictReady: every check passed, the device signed in and its scan
	// to email arrived.
	VerdictReady Verdict = "ready"
	// VerdictWarned: as ready, but a warning stands.
	VerdictWarned Verdict = "warned"
	// VerdictAccountReady: nothing failed and every check from the laptop
	// ran, but the device has not confirmed its sign-in or its scan.
	VerdictAccountReady Verdict = "account-ready"
	VerdictFailed       Verdict = "failed"     // at least one check failed
	VerdictIncomplete   Verdict = "incomplete" // nothing failed, but a needed check has not run (or is stale)
)

// Headline sums up the checks: failed if any failed; incomplete if a
// check of the laptop's is missing (not run, or stale); account-ready
// while a device check is not passed; warned if a warning stands; ready
// only when every check passed or is a skip that the settings do not need
// (consent for Outlook.com, or an identity provider that is not Entra ID).
func Headline(cs []Check) Verdict {
	var warn, missing, device bool
	for _, c := range cs {
		switch {
		case c.Status == Fail:
			return VerdictFailed
		case IsDeviceCheck(c.ID) && c.Status != Pass:
			device = true
		case c.Status == Warn:
			warn = true
		case c.Status == Skip && c.Reason != ReasonNotNeeded:
			missing = true
		}
	}
	switch {
	case missing:
		return VerdictIncomplete
	case device:
		return VerdictAccountReady
	case warn:
		return VerdictWarned
	}
	return VerdictReady
}

// Unconfirmed lists the device checks that have not passed.
func Unconfirmed(cs []Check) []string {
	var out []string
	for _, c := range cs {
		if IsDeviceCheck(c.ID) && c.Status != Pass {
			out = append(out, c.ID)
		}
	}
	return out
}

// HeadlineText is the headline in words: the same sentence on the
// summary screen, in `mfpmail check` and in every report. For
// account-ready it names the device's answers still missing, and for a
// personal account (a of the settings) the account alone: an Outlook.com
// account has no tenant that the customer manages.
func HeadlineText(lang assets.Lang, a Account, cs []Check) string {
	v := Headline(cs)
	if v != VerdictAccountReady {
		return assets.T(lang, "verdict."+string(v))
	}
	var missing []string
	for _, id := range Unconfirmed(cs) {
		missing = append(missing, assets.T(lang, "verdict.missing."+id))
	}
	k := "verdict.account-ready"
	if a == AccountPersonal {
		k = "verdict.account-ready.personal"
	}
	return assets.T(lang, k, "missing", strings.Join(missing, assets.T(lang, "verdict.missing.sep")))
}

// Exit statuses of `mfpmail check`, one per verdict, so that a script can
// tell "ready" from "account ready" from "failed". 2 is bad input.
const (
	ExitReady        = 0
	ExitFailed       = 1 // also: the run could not finish
	ExitUsage        = 2
	ExitAccountReady = 3
	ExitIncomplete   = 4
	ExitWarned       = 5
)

// ExitCode is the exit status of `mfpmail check` for verdict v.
func (v Verdict) ExitCode() int {
	switch v {
	case VerdictReady:
		return ExitReady
	case VerdictAccountReady:
		return ExitAccountReady
	case VerdictIncomplete:
		return ExitIncomplete
	case VerdictWarned:
		return ExitWarned
	}
	return ExitFailed
}

// Failed reports whether any check failed.
func Failed(cs []Check) bool {
	for _, c := range cs {
		if c.Status == Fail {
			return true
		}
	}
	return false
}
