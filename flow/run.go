package flow

import (
	"context"
	"crypto/x509"

	"mfpmail/smtpcheck"
)

// RunOptions are the settings of an unattended run (`mfpmail check`).
type RunOptions struct {
	Config   Config
	SMTPHost string // "" = DefaultSMTPHost
	SMTPPort int    // 0 = DefaultSMTPPort
	To       string // "" = the signed-in primary address
	// SMTPRoots verifies the SMTP server; nil = the system roots.
	SMTPRoots *x509.CertPool
	Answers   Answers
	Version   string
	Scenario  string // the demo's scenario, "" outside the demo
	// OnCode is told the code to show the person signing in.
	OnCode func(*DeviceCode)
	// OnSMTPLine, if set, sees each transcript line (already redacted).
	OnSMTPLine func(smtpcheck.Line)
	// DeviceSignIn and DeviceScan are the technician's answers about the
	// device itself (DeviceYes, DeviceNo, DeviceNotTried for the scan; ""
	// = not confirmed), recorded with the inputs the run ended with.
	DeviceSignIn, DeviceScan string
}

// Run does what the wizard does, without screens: the network pre-check,
// the device code sign-in, and the test send, all with the same inputs,
// so no result in its Outcome can be stale. It stops early only where
// nothing further can be learnt.
func Run(ctx context.Context, o RunOptions) (out Outcome) {
	defer func() {
		out.AnswerDevice(CheckDeviceSignIn, o.DeviceSignIn)
		out.AnswerDevice(CheckDeviceScan, o.DeviceScan)
	}()
	cfg := o.Config.WithDefaults()
	t := Target{SMTPHost: o.SMTPHost, SMTPPort: o.SMTPPort, To: o.To}.WithDefaults()
	out = Outcome{Config: cfg, Answers: o.Answers, Scenario: o.Scenario, Target: t}
	reach := CheckReach(ctx, cfg, o.Scenario, t)
	out.Reach = &reach
	dc, err := StartSignIn(ctx, cfg)
	if err != nil {
		out.RecordSignIn(nil, AsProblem(err))
		return out
	}
	if o.OnCode != nil {
		o.OnCode(dc)
	}
	s, err := WaitForSignIn(ctx, cfg, dc)
	if err != nil {
		out.RecordSignIn(nil, AsProblem(err))
		return out
	}
	out.RecordSignIn(s, nil)
	if !out.Reach.Results[1].OK() {
		return out // the SMTP host cannot be reached: network says why
	}
	run, err := TestSend(ctx, cfg, s, o.Answers, SendOptions{Target: t, Roots: o.SMTPRoots,
		Version: o.Version, Scenario: o.Scenario, OnLine: o.OnSMTPLine})
	if err == nil {
		out.Send = &run
	}
	return out
}
