package smtpcheck_test

// Benchmark of the test send against the simulated Exchange Online
// (demo.StartSMTP on loopback), with an access token the simulated Entra ID
// really issued through the device code flow, so the AUTH line has the size
// of a real token. It measures; it asserts nothing about time.
//
//	go test -run '^$' -bench . -benchmem ./smtpcheck

import (
	"context"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/smtpcheck"
)

// benchSimulation starts the simulated tenant and SMTP server and signs in
// (the simulated user approves at once; the first poll comes after the
// 1 s interval).
func benchSimulation(b *testing.B) (*demo.Simulation, *flow.Session) {
	b.Helper()
	sim, err := demo.StartSimulation(demo.ScenarioOK, demo.TenantOptions{Interval: 1, AutoApprove: time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(sim.Close)
	cfg := flow.Config{Lang: assets.EN, Authority: sim.URL(), GraphURL: sim.URL(), HTTPClient: flow.NewHTTPClient(sim.Pool())}.WithDefaults()
	defer cfg.HTTPClient.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dc, err := flow.StartSignIn(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	s, err := flow.WaitForSignIn(ctx, cfg, dc)
	if err != nil {
		b.Fatal(err)
	}
	if s.AccessToken() == "" {
		b.Fatal("no access token")
	}
	return sim, s
}

// BenchmarkSend is one whole test send as the wizard runs it: connect,
// greeting, EHLO, STARTTLS (TLS handshake), EHLO, AUTH XOAUTH2 with the
// tenant's token, MAIL, RCPT, DATA, QUIT. ns/op is the test send's time;
// token-bytes is the size of the access token sent.
func BenchmarkSend(b *testing.B) {
	sim, sess := benchSimulation(b)
	host, port := sim.SMTP()
	upn := sess.Identity.UPN
	opts := smtpcheck.Options{
		Host: host, Port: port, RootCAs: sim.Pool(),
		User: upn, Token: sess.AccessToken(), From: upn, To: []string{upn},
		DeviceEmail: upn, WizardVersion: "bench", Lang: assets.EN,
	}
	ctx := context.Background()
	before := len(sim.SMTPServer().Messages())
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r := smtpcheck.Send(ctx, opts)
		if !r.Delivered {
			b.Fatalf("not delivered: stage %s, %v: %s", r.Stage, r.Err, r.Diagnosis.Title)
		}
		n++
	}
	if got := len(sim.SMTPServer().Messages()) - before; got != n {
		b.Fatalf("%d messages delivered for %d sends", got, n)
	}
	b.ReportMetric(float64(len(sess.AccessToken())), "token-bytes")
}
