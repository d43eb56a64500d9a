package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/internal/textwrap"
	"mfpmail/ui/qrtext"
)

// newCheckCmd is `mfpmail check`.
func newCheckCmd(stdout, stderr io.Writer) *cobra.Command {
	k := newCheck()
	cmd := &cobra.Command{
		Use:   "check [flags]",
		Short: "the same checks without screens, for scripts: table or --json on stdout",
		Annotations: exits("0  ready: every check passed, the device signed in and its scan arrived\n" +
			"1  a check failed (or the run could not finish)\n2  bad input or usage, reported before any network work\n" +
			"3  the account (and a work account's tenant) is ready; not confirmed on the device (--device-signed-in, --device-scan)\n" +
			"4  incomplete: a check did not run\n5  ready, but a warning stands"),
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return runCheck(k, stdout, stderr) },
	}
	cmd.Flags().AddFlagSet(k.fs)
	return cmd
}

// verdictExit: check's verdict was not "ready"; the result said so
// already; the exit status tells scripts which verdict.
type verdictExit struct{ v flow.Verdict }

func (e verdictExit) Error() string { return "verdict " + string(e.v) }

// code is the exit status of the verdict (flow.Verdict.ExitCode).
func (e verdictExit) code() int { return e.v.ExitCode() }

// checkCmd is `mfpmail check`: the wizard's flags and its own.
type checkCmd struct {
	*common
	json    bool
	report  string
	timeout time.Duration
	// The device's answers: "" = not confirmed on the device.
	devSignedIn, devScan string
	// The answers about the device's own prerequisites, by their id in
	// flow.DevicePrereqs: "" = not answered.
	devPrereqs map[string]*string
}

// prereqFlags name the flag of each of the device's prerequisites
// (flow.DevicePrereqs) and say what its "yes" means.
var prereqFlags = []struct{ id, flag, usage string }{
	{"firmware", "device-firmware", "does the device's firmware offer Exchange Online/Outlook.com as its service provider, with TLS 1.2 (without it the server answers 421 4.7.66)? yes or no"},
	{"clock", "device-clock", "are the device's date, time and time zone right (set from an NTP server)? yes or no"},
	{"certificates", "device-certificates", "does the device trust DigiCert Global Root G2 (the chains of login.microsoftonline.com and smtp.office365.com)? yes or no"},
	{"path", "device-path", "can the device itself reach smtp.office365.com:587 and the sign-in pages on 443 (its DNS, proxy, firewall)? yes or no"},
}

func newCheck() *checkCmd {
	k := &checkCmd{common: newCommon("mfpmail check")}
	k.fs.BoolVar(&k.json, "json", false, "print the result as JSON (schema "+flow.ReportSchema+")")
	k.fs.StringVar(&k.report, "report", "", "also write a report to this file: .html (a printable page), .md (Markdown) or .json")
	k.fs.DurationVar(&k.timeout, "timeout", 20*time.Minute, "give up after this long")
	k.fs.StringVar(&k.devSignedIn, "device-signed-in", "", "did the device's own sign-in succeed? yes or no (default: not confirmed on the device)")
	k.fs.StringVar(&k.devScan, "device-scan", "", "did the device's own scan to email arrive? yes, no or not-tried (default: not confirmed on the device)")
	k.devPrereqs = map[string]*string{}
	for _, p := range prereqFlags {
		k.devPrereqs[p.id] = new(string)
		k.fs.StringVar(k.devPrereqs[p.id], p.flag, "", p.usage+" (default: not answered)")
	}
	return k
}

// deviceAnswers are the device's answers given as flags, each checked:
// its sign-in, its scan, its prerequisites.
func (k *checkCmd) deviceAnswers() (signedIn, scan string, pre flow.PrereqAnswers, err error) {
	if signedIn, err = flow.ParseDeviceAnswer("device-signed-in", k.devSignedIn); err != nil {
		return "", "", pre, usageError{err.Error()}
	}
	if scan, err = flow.ParseDeviceAnswer("device-scan", k.devScan); err != nil {
		return "", "", pre, usageError{err.Error()}
	}
	for _, p := range prereqFlags {
		v, err := flow.ParseDeviceAnswer(p.flag, *k.devPrereqs[p.id])
		if err != nil {
			return "", "", pre, usageError{err.Error()}
		}
		pre = pre.With(p.id, v)
	}
	return signedIn, scan, pre, nil
}

// runCheck is the wizard without screens, for scripts: the sign-in
// instruction on stderr, the result on stdout; verdictExit when the
// verdict is not ready.
func runCheck(k *checkCmd, stdout, stderr io.Writer) error {
	if k.showVersion {
		fmt.Fprintln(stdout, versionString())
		return nil
	}
	o, demoName, closeAll, err := k.options(stderr)
	if err != nil {
		return err
	}
	defer closeAll()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, k.timeout)
	defer cancelT()
	out := flow.Run(ctx, o)
	out.LogChecks()
	host, _ := os.Hostname()
	rep := flow.NewReport(out, flow.ReportMeta{Version: version, RunBy: currentUser(), Host: host, Demo: demoName,
		Now: time.Now(), Device: k.device})
	rep.Checks = flow.ForCommandLine(rep.Checks) // the fixes in flags, not screens
	if k.json {
		stdout.Write(rep.JSON())
	} else {
		printTable(stdout, o.Config.Lang, rep, tableWidth(stdout))
	}
	if err := k.writeReport(stderr, o.Config.Lang, rep); err != nil {
		return err
	}
	if rep.Verdict != flow.VerdictReady {
		return verdictExit{rep.Verdict}
	}
	return nil
}

// options validates the flags and builds the unattended run; closeAll
// stops the simulation and closes the log.
func (k *checkCmd) options(stderr io.Writer) (o flow.RunOptions, demoName string, closeAll func(), err error) {
	cfg, err := k.config()
	if err != nil {
		return o, "", nil, err
	}
	if k.report != "" {
		if err := flow.CheckReportPath(k.report); err != nil {
			return o, "", nil, usageError{err.Error()}
		}
	}
	if k.timeout <= 0 {
		return o, "", nil, usagef("--timeout %s: give a positive duration, e.g. 20m", k.timeout)
	}
	signedIn, scan, prereqs, err := k.deviceAnswers()
	if err != nil {
		return o, "", nil, err
	}
	// The language: the flag's, else the platform's (Windows' display
	// language where no locale is set). Output and report follow it.
	d := k.decide()
	if k.lang == "" {
		cfg = k.withLang(cfg, d.Lang)
	}
	o = flow.RunOptions{Config: cfg, SMTPHost: k.smtpHost, SMTPPort: k.smtpPort, To: k.to, Answers: k.answers(), Version: version,
		DeviceSignIn: signedIn, DeviceScan: scan}
	o.Answers.Prereqs = prereqs
	if k.caFile != "" {
		o.SMTPRoots, _ = flow.RootsWithCA(k.caFile)
	}
	closeAll = func() {}
	if k.demo {
		var sim *demo.Simulation
		if o, sim, err = k.demoRun(o); err != nil {
			return o, "", nil, err
		}
		demoName, closeAll = sim.Scenario(), func() { sim.Close() }
		o.Scenario = demoName
	}
	logger, closeLog, err := k.openLog()
	if err != nil {
		closeAll()
		return o, "", nil, err
	}
	closeSim := closeAll
	closeAll = func() { closeSim(); closeLog() }
	o.Config = o.Config.WithLog(logger)
	style := qrtext.StyleFor(d.ASCII, d.Wide, d.NoColor, d.Dumb)
	o.OnCode = func(dc *flow.DeviceCode) {
		printSignIn(stderr, o.Config.Lang, dc, k.noQR || !isTerminal(stderr), style)
	}
	return o, demoName, closeAll, nil
}

// demoRun points the unattended run at a fresh simulation, timed as the
// wizard's demo and as Microsoft's: a code valid for 15 minutes, polled
// every 5 s, and signed in --approve-after after it appears.
func (k *checkCmd) demoRun(o flow.RunOptions) (flow.RunOptions, *demo.Simulation, error) {
	sim, err := startSimulation(k.common, demo.TenantOptions{})
	if err != nil {
		return o, nil, err
	}
	o.Config = simConfig(o.Config, sim)
	o.SMTPHost, o.SMTPPort = sim.SMTP()
	o.SMTPRoots = sim.Pool()
	o.Answers = flow.MergeAnswers(o.Answers, flow.ScenarioAnswers(sim))
	return o, sim, nil
}

// writeReport writes --report, if asked for, and names it by its
// absolute path.
func (k *checkCmd) writeReport(stderr io.Writer, lang assets.Lang, rep flow.Report) error {
	if k.report == "" {
		return nil
	}
	path, err := filepath.Abs(k.report)
	if err != nil {
		path = k.report
	}
	if err := flow.WriteReport(path, rep); err != nil {
		return fmt.Errorf("writing the report %s: %w", path, err)
	}
	fmt.Fprintf(stderr, "%s %s\n", assets.T(lang, "check.cli.report_written"), path)
	return nil
}

// printSignIn tells the person at the terminal how to sign in.
func printSignIn(w io.Writer, lang assets.Lang, dc *flow.DeviceCode, noQR bool, style qrtext.Style) {
	t := func(k string, kv ...string) string { return assets.T(lang, k, kv...) }
	left := time.Until(dc.Expiry).Round(time.Second)
	fmt.Fprintln(w, t("check.cli.signin", "url", dc.VerificationURI, "code", dc.UserCode,
		"time", fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60)))
	if !noQR {
		if q, ok := qrtext.Text(dc.QRTarget(), style); ok {
			fmt.Fprintln(w, q)
		}
	}
	fmt.Fprintln(w, t("check.cli.waiting"))
}

// printTable prints the checks for people, width columns wide: id,
// result, finding, and the fix under each failure or warning. Text wraps
// at word boundaries (in Japanese between characters), never inside a
// [device label] or a URL (textwrap.WrapWhole).
func printTable(w io.Writer, lang assets.Lang, r flow.Report, width int) {
	if a := r.Account; a != nil {
		fmt.Fprintf(w, "%s\n\n", textwrap.WrapWhole(fmt.Sprintf("%s %s (%s)", assets.T(lang, "check.cli.account"), a.UPN, a.PrimaryAddress), width))
	}
	const indent = 25 // the id (18), a space, the result (5), a space
	pad := strings.Repeat(" ", indent)
	for _, c := range r.Checks {
		lines := strings.Split(textwrap.WrapWhole(c.Title, width-indent), "\n")
		fmt.Fprintf(w, "%-18s %-5s %s\n", c.ID, c.Status, lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "%s%s\n", pad, l)
		}
		if c.Status != flow.Fail && c.Status != flow.Warn {
			continue
		}
		for _, p := range strings.Split(strings.TrimSpace(c.Fix), "\n") {
			if strings.TrimSpace(p) == "" {
				continue
			}
			if strings.HasPrefix(p, " ") { // an indented command: copied as it is, never broken
				fmt.Fprintf(w, "%s%s\n", pad, p)
				continue
			}
			for _, l := range strings.Split(textwrap.WrapWhole(p, width-indent), "\n") {
				fmt.Fprintf(w, "%s%s\n", pad, l)
			}
		}
	}
	fmt.Fprintln(w, "\n"+textwrap.WrapWhole(r.VerdictText(lang), width))
}

// tableWidth is the width of the terminal w writes to, or 80 columns when
// it is not a terminal (a pipe, a file) or too narrow to use.
func tableWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && isTerminal(w) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols >= 60 {
			return cols
		}
	}
	return 80
}
