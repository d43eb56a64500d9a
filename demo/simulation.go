package demo

import (
	"crypto/x509"
	"fmt"
	"sync"
)

// Simulation is the whole simulated tenant: Entra ID and Graph over HTTPS,
// and Exchange Online's SMTP submission, sharing one CA. It is what --demo
// runs, and what the wizard's trainer keys act on.
type Simulation struct {
	Tenant *Tenant

	mu   sync.Mutex
	smtp *SMTPServer
	sc   Scenario
	ca   *CA
}

// StartSimulation starts the tenant (with opts; its Scenario is sc) and the
// SMTP server, both on loopback.
func StartSimulation(sc Scenario, opts TenantOptions) (*Simulation, error) {
	opts.Scenario = sc
	t, err := StartTenant(opts)
	if err != nil {
		return nil, fmt.Errorf("starting the simulated tenant: %w", err)
	}
	s := &Simulation{Tenant: t, sc: sc, ca: t.CA()}
	s.smtp, err = StartSMTP(SMTPOptions{Validator: t, CA: s.ca, Scenario: sc})
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("starting the simulated Exchange Online: %w", err)
	}
	return s, nil
}

// Close stops both servers.
func (s *Simulation) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.smtp.Close()
	s.Tenant.Close()
}

// URL is the authority and the Graph base URL.
func (s *Simulation) URL() string { return s.Tenant.URL() }

// Pool trusts the simulation's CA (and nothing else).
func (s *Simulation) Pool() *x509.CertPool { return s.ca.Pool() }

// SMTP is the submission server's address.
func (s *Simulation) SMTP() (host string, port int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.smtp.Host(), s.smtp.Port()
}

// SMTPServer is the current submission server (for tests: its messages).
func (s *Simulation) SMTPServer() *SMTPServer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.smtp
}

// Scenario names the scenario being played.
func (s *Simulation) Scenario() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.sc)
}

// Scenarios lists every scenario.
func (s *Simulation) Scenarios() []string {
	out := make([]string, len(Scenarios))
	for i, sc := range Scenarios {
		out[i] = string(sc)
	}
	return out
}

// SetScenario switches both servers to another scenario. The SMTP server
// is restarted on the same port, since STARTTLS is offered or not from
// the first EHLO on.
func (s *Simulation) SetScenario(name string) error {
	sc, err := ParseScenario(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	addr := s.smtp.Addr()
	s.smtp.Close()
	srv, err := StartSMTP(SMTPOptions{Validator: s.Tenant, CA: s.ca, Scenario: sc, Listen: addr})
	if err != nil {
		srv, err = StartSMTP(SMTPOptions{Validator: s.Tenant, CA: s.ca, Scenario: sc})
		if err != nil {
			return fmt.Errorf("restarting the simulated Exchange Online: %w", err)
		}
	}
	s.smtp = srv
	s.sc = sc
	s.Tenant.SetScenario(sc)
	return nil
}

// Approve makes the simulated user sign in with the code.
func (s *Simulation) Approve(userCode string) error { return s.Tenant.Approve(userCode, "") }

// GrantConsent makes the simulated administrator consent.
func (s *Simulation) GrantConsent() { s.Tenant.GrantConsent() }

// DefaultSender is the sender address the scenario's device uses ("" =
// the UPN).
func (s *Simulation) DefaultSender() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sc.DefaultSender()
}

// LoginRemote: the scenario's device has [Login Credentials for Email
// Send] set to the remotely authenticated user.
func (s *Simulation) LoginRemote() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sc == ScenarioLoginCredentialsRemote
}

// EnableSMTPAuth plays the tenant administrator's fix for a mailbox with
// SMTP AUTH switched off.
func (s *Simulation) EnableSMTPAuth(upn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.smtp.EnableSMTPAuth(upn)
}
