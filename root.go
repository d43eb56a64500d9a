package main

// The command line is a tree of cobra commands built by newRoot, afresh
// for every run. How to add to it:
//
//   - A command: a file beside main.go (explain.go) with a function
//     newExplainCmd(stdout, stderr io.Writer) *cobra.Command that sets Use
//     ("explain [flags]"), Short (its line in the overview), Annotations:
//     exits("0  …\n2  bad input or usage"), Args: noArgs, and RunE; add it
//     to root.AddCommand in newRoot. Help, the overview, the suggestions
//     for a mistyped command and completion all follow from there.
//   - A flag of the wizard (and so of check and of each served session):
//     a field of common and a line in signInFlags, deviceFlags or
//     terminalFlags (flags.go); its check goes into one of config()'s
//     steps and returns usagef("--name %q: what is allowed", value).
//   - A flag of one command: on that command's flag set, in its file.
//   - A flag with a fixed set of values: add them to flagValues
//     (completion.go) and the shells complete them.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/ui"
)

// newRoot builds the command tree; the root command is the wizard. args
// are the whole command line, which the wizard reads itself (runWizard).
func newRoot(args []string, stdout, stderr io.Writer) *cobra.Command {
	c := newCommon("mfpmail")
	root := &cobra.Command{
		Use:   "mfpmail [flags]",
		Short: "the wizard: the vendor's procedure screen by screen, with a live test send",
		Annotations: exits("0  quit\n1  the wizard could not run\n" +
			"2  bad input or usage, or no terminal (mfpmail check runs without one)\n" +
			"130  interrupted with Ctrl+C (a line on stderr says what was lost)"),
		Args: rootArgs,
		RunE: func(*cobra.Command, []string) error {
			if !c.showVersion {
				if _, err := c.config(); err != nil {
					return err
				}
				if err := needTerminal(c); err != nil {
					return err
				}
			}
			// runWizard parses args again with the same flag set, which
			// cobra has already checked.
			return runWizard(args, stdout, stderr)
		},
		SilenceErrors:              true,
		SilenceUsage:               true,
		SuggestionsMinimumDistance: 2,
		CompletionOptions:          cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.Flags().AddFlagSet(c.fs)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return flagError(cmd.Flags(), cmd.CommandPath(), err)
	})
	root.SetHelpFunc(printHelp)
	help := newHelpCmd(stdout)
	root.SetHelpCommand(help)
	root.AddCommand(newCheckCmd(stdout, stderr), newServeCmd(stdout, stderr), newDemoTenantCmd(stdout),
		newExplainCmd(os.Stdin, stdout), newCompletionCmd(stdout), newVersionCmd(stdout), help)
	for _, cmd := range append(root.Commands(), root) {
		cmd.Flags().BoolP("help", "h", false, "print this help and exit")
		completeValues(cmd)
	}
	return root
}

// exits are a command's exit statuses, one per line, for its help.
func exits(lines string) map[string]string { return map[string]string{"exits": lines} }

// rootArgs: the wizard takes no arguments, so a word is a command that
// does not exist.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return unknownCommand(cmd.Root(), args[0])
}

// noArgs: a command that takes flags only.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q (flags start with --; see %s --help)", args[0], cmd.CommandPath())
	}
	return nil
}

// unknownCommand is one line: the word, the nearest command, all of them.
func unknownCommand(root *cobra.Command, name string) error {
	hint := ""
	if s := root.SuggestionsFor(name); len(s) > 0 {
		hint = "; did you mean " + s[0] + "?"
	}
	return usagef("unknown command %q%s (commands: %s; none = the wizard; see mfpmail --help)", name, hint, commandNames(root))
}

// commandNames lists the commands a person may type.
func commandNames(root *cobra.Command) string {
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			names = append(names, c.Name())
		}
	}
	return strings.Join(names, ", ")
}

// needTerminal refuses, in one line, to start the wizard without a
// terminal to draw on (stdout) and to read keys from (stdin, or the
// controlling terminal): it would otherwise fail on opening /dev/tty.
func needTerminal(c *common) error {
	if isTerminal(os.Stdout) && (isTerminal(os.Stdin) || controllingTerminal()) {
		return nil
	}
	return usageError{assets.T(c.decide().Lang, "cli.no_terminal")}
}

// controllingTerminal reports whether the process has a terminal to read
// keys from when stdin is not one (Bubble Tea then opens it).
func controllingTerminal() bool {
	name := "/dev/tty"
	if runtime.GOOS == "windows" {
		name = "CONIN$"
	}
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

func runWizard(args []string, stdout, stderr io.Writer) error {
	c := newCommon("mfpmail")
	if err := c.parse(args); err != nil {
		return err
	}
	if c.showVersion {
		fmt.Fprintln(stdout, versionString())
		return nil
	}
	go ui.WarmWidths() // on the other core, while the terminal is set up
	opts, closeAll, err := c.wizardOptions()
	if err != nil {
		return err
	}
	defer closeAll()
	p := tea.NewProgram(ui.Deferred(opts), ui.ProgramOptions(opts)...)
	defer quitOnHangup(p)()
	final, err := p.Run()
	if errors.Is(err, tea.ErrInterrupted) {
		line := "interrupted."
		if m, ok := final.(*ui.Model); ok {
			line = m.Interrupted()
		}
		return interrupted{line}
	}
	return err
}

// interrupted: the wizard was stopped with Ctrl+C (or SIGINT); the line
// says where it stood and what was lost. Exit status 130, the shell's
// convention for a program ended by SIGINT (128 + 2).
type interrupted struct{ line string }

func (e interrupted) Error() string { return e.line }

// quitOnHangup ends p on SIGHUP (the SSH connection dropped) as SIGTERM
// does, so the terminal is restored; Bubble Tea handles SIGINT and
// SIGTERM itself. Call the returned function when p has ended.
func quitOnHangup(p *tea.Program) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-hup:
			p.Quit()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
	}
}

// wizardOptions validates the flags and builds the wizard's options;
// closeAll stops the simulation and closes the log.
func (c *common) wizardOptions() (opts ui.Options, closeAll func(), err error) {
	cfg, err := c.config()
	if err != nil {
		return opts, nil, err
	}
	d := c.decide()
	cfg = c.withLang(cfg, d.Lang)
	logger, closeLog, err := c.openLog()
	if err != nil {
		return opts, nil, err
	}
	closeAll = closeLog
	opts = ui.Options{Config: cfg, NoQR: c.noQR, Term: ui.TermOf(d), Notice: d.Notice, Version: version,
		Output: os.Stdout, Environ: os.Environ(), Multiplexer: multiplexer(os.Getenv), // the program's output: copying (OSC 52) writes there
		SMTPHost: c.smtpHost, SMTPPort: c.smtpPort, To: c.to, Answers: c.answers(), RunBy: currentUser(), Device: c.device}
	opts.Host, _ = os.Hostname()
	if c.caFile != "" {
		opts.SMTPRoots, _ = flow.RootsWithCA(c.caFile) // validated in config()
	}
	if c.demo {
		sim, err := startSimulation(c, demo.TenantOptions{})
		if err != nil {
			closeLog()
			return opts, nil, err
		}
		closeAll = func() { sim.Close(); closeLog() }
		opts = demoOptions(opts, sim)
	}
	opts.Config = opts.Config.WithLog(logger)
	opts.Log = logger
	return opts, closeAll, nil
}

// startSimulation starts the simulated tenant for --demo.
func startSimulation(c *common, base demo.TenantOptions) (*demo.Simulation, error) {
	sc, _ := demo.ParseScenario(c.scenario)
	base.AutoApprove = c.approveAfter
	return demo.StartSimulation(sc, base)
}

// demoOptions points the run at the simulation and trusts its CA, and
// pre-fills the device settings the scenario is about (flags given by the
// trainer still win).
func demoOptions(o ui.Options, sim *demo.Simulation) ui.Options {
	o.Config = simConfig(o.Config, sim)
	o.SMTPHost, o.SMTPPort = sim.SMTP()
	o.SMTPRoots = sim.Pool()
	o.Demo = sim
	o.Answers = flow.MergeAnswers(o.Answers, flow.ScenarioAnswers(sim))
	return o
}

// simConfig points the sign-in at the simulation and trusts its CA.
func simConfig(cfg flow.Config, sim *demo.Simulation) flow.Config {
	cfg.Authority, cfg.GraphURL = sim.URL(), sim.URL()
	cfg.DeviceAuthURL, cfg.TokenURL = "", ""
	cfg.HTTPClient = flow.NewHTTPClient(sim.Pool())
	return cfg
}

// multiplexer names the terminal multiplexer the wizard runs in, whose
// OSC 52 (copy) must be wrapped: "tmux", "screen" or "".
func multiplexer(getenv func(string) string) string {
	switch {
	case getenv("TMUX") != "":
		return "tmux"
	case strings.HasPrefix(getenv("TERM"), "screen"):
		return "screen"
	}
	return ""
}
