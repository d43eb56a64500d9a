package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"mfpmail/demo"
	"mfpmail/flow"
)

// newDemoTenantCmd is `mfpmail demo-tenant`.
func newDemoTenantCmd(stdout io.Writer) *cobra.Command {
	d := newDemoTenant()
	cmd := &cobra.Command{
		Use:         "demo-tenant [flags]",
		Short:       "the simulated Entra ID and Exchange Online alone, for a second terminal",
		Annotations: exits("0  stopped with Ctrl+C\n1  could not start (e.g. its port is in use)\n2  bad input or usage"),
		Args:        noArgs,
		RunE:        func(*cobra.Command, []string) error { return runDemoTenant(d, stdout) },
	}
	cmd.Flags().AddFlagSet(d.fs)
	return cmd
}

// demoTenantCmd is `mfpmail demo-tenant`.
type demoTenantCmd struct {
	fs                                  *pflag.FlagSet
	listen, scenario, caOut, smtpListen string
	approveAfter                        time.Duration
}

func newDemoTenant() *demoTenantCmd {
	d := &demoTenantCmd{fs: pflag.NewFlagSet("mfpmail demo-tenant", pflag.ContinueOnError)}
	fs := d.fs
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&d.listen, "listen", "127.0.0.1:0", "address to listen on (loopback)")
	fs.StringVar(&d.scenario, "scenario", "ok", "scenario: "+scenarioNames())
	fs.StringVar(&d.caOut, "ca-out", "", "write the simulated tenant's CA certificate (PEM) to this file")
	fs.StringVar(&d.smtpListen, "smtp-listen", "127.0.0.1:0", "address of the simulated SMTP server (loopback)")
	fs.DurationVar(&d.approveAfter, "approve-after", 0, "the simulated user approves this long after a code is issued (0 = only on the web page)")
	return d
}

// check checks the flags.
func (d *demoTenantCmd) check() (demo.Scenario, error) {
	sc, err := demo.ParseScenario(d.scenario)
	if err != nil {
		return "", usageError{err.Error()}
	}
	if err := demo.ValidateLoopback(d.listen); err != nil {
		return "", usagef("--listen %q: %v", d.listen, err)
	}
	if err := demo.ValidateLoopback(d.smtpListen); err != nil {
		return "", usagef("--smtp-listen %q: %v", d.smtpListen, err)
	}
	return sc, nil
}

func runDemoTenant(d *demoTenantCmd, stdout io.Writer) error {
	sc, err := d.check()
	if err != nil {
		return err
	}
	logEvent := func(e demo.Event) {
		fmt.Fprintf(stdout, "%s  %-18s %s\n", e.Time.Format("15:04:05"), e.Kind, e.Detail)
	}
	t, err := demo.StartTenant(demo.TenantOptions{Scenario: sc, Listen: d.listen, AutoApprove: d.approveAfter, OnEvent: logEvent})
	if err != nil {
		return fmt.Errorf("starting the simulated tenant: %w", listenError("--listen", d.listen, err))
	}
	defer t.Close()
	srv, err := demo.StartSMTP(demo.SMTPOptions{Validator: t, CA: t.CA(), Scenario: sc, Listen: d.smtpListen, OnEvent: logEvent})
	if err != nil {
		return fmt.Errorf("starting the simulated Exchange Online: %w", listenError("--smtp-listen", d.smtpListen, err))
	}
	defer srv.Close()
	if d.caOut != "" {
		if err := os.WriteFile(d.caOut, t.CA().CertPEM(), 0o644); err != nil {
			return usagef("--ca-out %q: %v", d.caOut, err)
		}
	}
	printEndpoints(stdout, sc, t.URL(), srv, d.caOut)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	<-sig
	return nil
}

// printEndpoints tells the trainer where the simulated tenant listens
// and how to point the wizard at it.
func printEndpoints(w io.Writer, sc demo.Scenario, u string, srv *demo.SMTPServer, ca string) {
	fmt.Fprintf(w, "Simulated tenant (scenario %s) listening on %s\n", sc, u)
	fmt.Fprintf(w, "  device code     POST %s/organizations/oauth2/v2.0/devicecode\n", u)
	fmt.Fprintf(w, "  token           POST %s/organizations/oauth2/v2.0/token\n", u)
	fmt.Fprintf(w, "  Graph           GET  %s/v1.0/me\n", u)
	fmt.Fprintf(w, "  sign-in page    %s/devicelogin\n", u)
	fmt.Fprintf(w, "  consent page    %s/common/adminconsent?client_id=%s\n", u, flow.DefaultClientID)
	fmt.Fprintf(w, "  SMTP            %s (STARTTLS, AUTH XOAUTH2)\n", srv.Addr())
	if ca == "" {
		ca = "FILE"
		fmt.Fprintln(w, "(add --ca-out FILE to write the CA certificate the wizard must trust)")
	} else {
		fmt.Fprintf(w, "  CA certificate  %s\n", ca)
	}
	fmt.Fprintf(w, "Point the wizard at it:\n  mfpmail --authority %s --graph-url %s --smtp-host %s --smtp-port %d --ca-file %s\n",
		u, u, srv.Host(), srv.Port(), ca)
	fmt.Fprintln(w, "Ctrl+C stops it.")
}
