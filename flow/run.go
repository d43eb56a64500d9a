package flow

import (
	"context"
	"crypto/x509"

	"mfpmail/smtpcheck"
)

// RunOptions are the settings of an unattended run (`mfpmail check`).
type RunOptions struct {
	Config   Config
	SMTPHost string
	SMTPPort int
	// SMTPRoots verifies the SMTP server; nil = the system roots.
	SMTPRoots *x509.CertPool
	To        string // "" = the signed-in primary address
	Answers   Answers
	Version   string
	// OnCode is told the code to show the person signing in.
	OnCode func(*DeviceCode)
	// OnSMTPLine, if set, sees each transcript line (already redacted).
	OnSMTPLine func(smtpcheck.Line)
}

// Run does what the wizard does, without screens: the network pre-check,
// the device code sign-in, and the test send. The checks are the
// Outcome's. It stops early only where nothing further can be learnt.
func Run(ctx context.Context, o RunOptions) Outcome {
	cfg := o.Config.WithDefaults()
	out := Outcome{Config: cfg, Answers: o.Answers}
	out.Reach = []Reach{
		ReachHTTPS(ctx, cfg.Lang, cfg.IdentityHost()),
		ReachTCP(ctx, cfg.Lang, o.SMTPHost, o.SMTPPort),
	}
	dc, err := StartSignIn(ctx, cfg)
	if err != nil {
		out.SignInProblem = DiagnoseSignIn(cfg.Lang, ctx, cfg.IdentityHost(), err)
		return out
	}
	if o.OnCode != nil {
		o.OnCode(dc)
	}
	s, err := WaitForSignIn(ctx, cfg, dc)
	if err != nil {
		out.SignInProblem = DiagnoseSignIn(cfg.Lang, ctx, cfg.IdentityHost(), err)
		return out
	}
	out.Session = s
	if !out.Reach[1].OK() {
		return out // the SMTP host cannot be reached: network says why
	}
	id := s.Identity
	to := o.To
	if to == "" {
		to = id.PrimaryAddress()
	}
	dev := o.Answers.DeviceEmail
	if dev == "" {
		dev = id.PrimaryAddress()
	}
	r := smtpcheck.Send(ctx, smtpcheck.Options{
		Host: o.SMTPHost, Port: o.SMTPPort, RootCAs: o.SMTPRoots,
		User: id.UPN, Token: s.AccessToken(), From: o.Answers.SenderOrUPN(id.UPN), To: []string{to},
		DeviceEmail: dev, WizardVersion: o.Version, Lang: cfg.Lang, OnLine: o.OnSMTPLine,
	})
	out.Send = &r
	return out
}
