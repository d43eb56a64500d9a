package flow

import (
	"context"
	"crypto/x509"
	"errors"

	"mfpmail/smtpcheck"
)

// SendOptions are what a test send needs besides the session and the
// answers: where it goes and how the server is verified.
type SendOptions struct {
	Target Target
	// Roots verifies the SMTP server; nil = the system roots.
	Roots    *x509.CertPool
	Version  string
	Scenario string // recorded with the result, for staleness
	// OnLine, if set, sees each transcript line as it happens (redacted).
	OnLine func(smtpcheck.Line)
}

// ErrNotSignedIn: a test send needs a signed-in account.
var ErrNotSignedIn = errors.New("no signed-in account")

// TestSend sends the test message the way the device will: as the signed-in
// account, from the sender the answers give, over STARTTLS with XOAUTH2.
// It first checks that the SMTP server can be reached. The result carries
// the inputs it ran with. This is the only place that hands the bearer
// token to smtpcheck.
func TestSend(ctx context.Context, cfg Config, s *Session, a Answers, o SendOptions) (SendRun, error) {
	if s == nil || s.token == nil {
		return SendRun{}, ErrNotSignedIn
	}
	cfg = cfg.WithDefaults()
	t := o.Target.WithDefaults()
	run := SendRun{Inputs: InputsOf(cfg, o.Scenario, a, t, s)}
	run.Reach = ReachTCP(ctx, cfg.Lang, t.SMTPHost, t.SMTPPort)
	logReach(cfg, run.Reach)
	if !run.Reach.OK() {
		return run, nil
	}
	log := cfg.log()
	id := s.Identity
	dev := a.DeviceEmail
	if dev == "" {
		dev = id.PrimaryAddress()
	}
	r := smtpcheck.Send(ctx, smtpcheck.Options{
		Host: t.SMTPHost, Port: t.SMTPPort, RootCAs: o.Roots,
		User: id.UPN, Token: s.AccessToken(), From: a.SenderOrUPN(id.UPN), To: []string{t.Recipient(s)},
		DeviceEmail: dev, WizardVersion: o.Version, Lang: cfg.Lang, OnLine: func(l smtpcheck.Line) {
			log.Debug("smtp", "line", l.Quoted()) // redacted; the log keeps the quoted form
			if o.OnLine != nil {
				o.OnLine(l)
			}
		},
	})
	log.Info("test send", "delivered", r.Delivered, "stage", r.Stage, "diagnosis", r.Diagnosis.ID, "tls", r.TLSVersion, "ms", r.Elapsed.Milliseconds())
	run.Result = &r
	return run, nil
}

func logReach(cfg Config, r Reach) {
	cfg.log().Info("reach", "host", r.Host, "port", r.Port, "ok", r.OK(), "proxy", r.Proxy, "ms", r.Elapsed.Milliseconds())
}

// LogChecks writes every verdict to the support log.
func (o Outcome) LogChecks() {
	log := o.Config.log()
	for _, c := range o.Checks() {
		log.Info("check", "id", c.ID, "status", c.Status, "reason", c.Reason, "title", c.Title)
	}
}
