// Command mfpmail walks a technician through setting up a FUJIFILM / Fuji
// Xerox / Xerox multifunction printer to send mail through Exchange Online
// or Outlook.com with OAuth 2.0, and proves that it works.
//
//	mfpmail [flags]              the wizard (root.go)
//	mfpmail --demo [--scenario]  the wizard against a simulated tenant
//	mfpmail check [--json]       the same checks for scripts (check.go)
//	mfpmail serve                the wizard over SSH (serve.go)
//	mfpmail demo-tenant          the simulated tenant alone (demo_tenant.go)
//	mfpmail explain TEXT         what a reply or code the device shows means (explain.go)
//	mfpmail completion SHELL     shell completion (completion.go)
//	mfpmail version              the version (version.go)
//	mfpmail help [COMMAND]       usage (help.go)
//
// The command line is built with cobra; root.go says how to add a command
// or a flag. main.go only starts it and turns its error into an exit status.
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/user"
	"runtime/debug"
	"strconv"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// version is set at build time: -ldflags "-X main.version=1.2.3"; commit
// too (-X main.commit=abc123), else it comes from the build's VCS stamp.
var (
	version = "dev"
	commit  = ""
)

// usageError is bad input: one line, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args (without the program's name) and
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	// Never nil: cobra reads os.Args when given no arguments.
	args = compatArgs(append([]string{}, args...))
	root := newRoot(args, stdout, stderr)
	root.SetArgs(args)
	return exit(stderr, root.Execute())
}

// compatArgs accepts -help, which the earlier command line took, as
// --help (flags end at "--").
func compatArgs(args []string) []string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if a == "-help" {
			args[i] = "--help"
		}
	}
	return args
}

// exit turns an error into the exit status, saying what went wrong in
// one line.
func exit(stderr io.Writer, err error) int {
	var ue usageError
	switch {
	case err == nil || errors.Is(err, pflag.ErrHelp):
		return 0
	case errors.As(err, new(verdictExit)): // check.go
		return err.(verdictExit).code()
	case errors.As(err, new(quietExit)):
		return int(err.(quietExit))
	case errors.As(err, new(interrupted)):
		fmt.Fprintln(stderr, "mfpmail: "+err.Error())
		return 130
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "mfpmail: "+ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "mfpmail: "+err.Error())
		return 1
	}
}

// versionString is "mfpmail VERSION (commit C)": the commit stamped in
// at build time, else the build's VCS stamp, else "unknown".
func versionString() string {
	c := commit
	if bi, ok := debug.ReadBuildInfo(); ok && c == "" {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				c = s.Value
			}
		}
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("mfpmail %s (commit %s)", version, c)
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// listenError says in one line that the port of addr (given with flag) is
// taken and what to do; any other error passes through as it is.
func listenError(flag, addr string, err error) error {
	var errno syscall.Errno
	inUse := errors.Is(err, syscall.EADDRINUSE) ||
		errors.As(err, &errno) && errno == 10048 // WSAEADDRINUSE, Windows' number
	if !inUse {
		return err
	}
	host, port, _ := net.SplitHostPort(addr)
	next := "another port"
	if n, perr := strconv.Atoi(port); perr == nil && n > 0 && n < 65535 {
		next = "another port, e.g. " + flag + " " + net.JoinHostPort(host, strconv.Itoa(n+1))
	}
	return fmt.Errorf("%s %s: port %s is already in use on this machine (another mfpmail, or another program, listens on it): stop that program, or give %s",
		flag, addr, port, next)
}
