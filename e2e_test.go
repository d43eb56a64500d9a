package main

// End-to-end tests: the real binary in a real pseudo-terminal (tmux), the
// way a technician runs it. Each case gets its own tmux server (-L), its
// own working directory and its own environment, so the cases run in
// parallel and never touch a user's tmux.
//
//	go test -run E2E -v .

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// e2eWait bounds every wait for the screen; generous, since CI machines run
// the race-enabled unit tests next to these.
const e2eWait = 15 * time.Second

var (
	e2eBinDir   string
	e2eBuild    sync.Once
	e2eBin      string
	e2eBuildErr error
)

func TestMain(m *testing.M) {
	// The end-to-end tests mostly wait for a program in a terminal (about
	// a tenth of a core each), so more of them run at once than the
	// default of one per core; -parallel, when given, still decides.
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", "8")
	}
	code := m.Run()
	if e2eBinDir != "" {
		os.RemoveAll(e2eBinDir)
	}
	os.Exit(code)
}

// binary builds mfpmail once per test run (without -race: it is the
// program under test, not the test).
func binary(t *testing.T) string {
	t.Helper()
	e2eBuild.Do(func() {
		dir, err := os.MkdirTemp("", "mfpmail-e2e-bin-")
		if err != nil {
			e2eBuildErr = err
			return
		}
		e2eBinDir = dir
		e2eBin = filepath.Join(dir, "mfpmail")
		out, err := exec.Command("go", "build", "-o", e2eBin, ".").CombinedOutput()
		if err != nil {
			e2eBuildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if e2eBuildErr != nil {
		t.Fatal(e2eBuildErr)
	}
	return e2eBin
}

// needTmux makes sure tmux is there for the end-to-end tests.
func needTmux(t *testing.T) {
	t.Helper()
	needTool(t, "tmux", "the end-to-end tests")
}

// needTool finds a program the tests drive (tmux, a shell) and returns
// its path. Installing it is the job of the machine (.ci/run installs
// them): without it the test skips with a message saying so, except under
// CI=true, where a missing program is a failure, so that CI can never
// pass without running those tests.
func needTool(t *testing.T, name, forWhat string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed, so %s cannot run (install it, e.g. apt-get install %s, or run .ci/run)", name, forWhat, name)
	if onCI() {
		t.Fatalf("%s; CI=true, where they must run", msg)
	}
	t.Skip(msg)
	return ""
}

// onCI reports whether the tests run under CI (CI=true, as CI services
// and .ci/run set it).
func onCI() bool {
	v, _ := strconv.ParseBool(os.Getenv("CI"))
	return v
}

// termCase is one terminal the wizard runs in.
type termCase struct {
	name    string
	w, h    int
	lang    string
	noColor bool
	args    []string // more flags after --demo --approve-after 0
}

func (c termCase) ascii() bool { return !strings.Contains(strings.ToUpper(c.lang), "UTF") }

// pane is the wizard running in a private tmux server.
type pane struct {
	t    *testing.T
	tc   termCase
	sock string
	dir  string // the program's working directory
	step string // what the walk is at, for messages
	// reported: the checks of every screen already failed at this step,
	// so a bad screen is reported once, not on every poll.
	reported map[string]bool
}

// e2eSeq numbers the tmux servers of this test process.
var e2eSeq atomic.Int64

// startPane runs BIN --demo --approve-after 0 in a new tmux server, inside
// a shell wrapper that reports the exit status and the terminal modes
// afterwards.
func startPane(t *testing.T, tc termCase) *pane {
	t.Helper()
	needTmux(t)
	bin := binary(t)
	dir := t.TempDir()
	p := &pane{t: t, tc: tc, dir: dir, sock: fmt.Sprintf("mfpmail-e2e-%d-%d", os.Getpid(), e2eSeq.Add(1))}

	extra := ""
	for _, a := range tc.args {
		extra += " " + shq(a)
	}
	script := fmt.Sprintf("cd %s || exit 1\n%s --demo --approve-after 0%s\necho \"EXITED:$?\"\n"+
		"stty -a > stty.tmp && mv stty.tmp stty.txt\nsleep 600\n", shq(dir), shq(bin), extra)
	if err := os.WriteFile(filepath.Join(dir, "run.sh"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"new-session", "-d", "-s", "e2e", "-x", strconv.Itoa(tc.w), "-y", strconv.Itoa(tc.h),
		"-e", "LANG=" + tc.lang, "-e", "TERM=xterm-256color"}
	if tc.noColor {
		args = append(args, "-e", "NO_COLOR=1")
	}
	args = append(args, "sh "+shq(filepath.Join(dir, "run.sh")))
	t.Cleanup(func() { _ = p.tmuxCmd("kill-server").Run() })
	if out, err := p.tmuxCmd(args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	return p
}

// tmuxCmd runs tmux against this pane's private server, with no user
// configuration and a clean environment: the pane sees only what the case
// sets (no stray LC_ALL or NO_COLOR from the machine running the tests).
// The tmux client itself is UTF-8 (-u), so captures show every character
// the program drew, whatever the case's locale.
func (p *pane) tmuxCmd(args ...string) *exec.Cmd {
	cmd := exec.Command("tmux", append([]string{"-u", "-f", "/dev/null", "-L", p.sock}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "USER=" + os.Getenv("USER"),
		"LANG=C.UTF-8", "TERM=xterm-256color"}
	if d := os.Getenv("TMPDIR"); d != "" {
		cmd.Env = append(cmd.Env, "TMPDIR="+d)
	}
	return cmd
}

func (p *pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := p.tmuxCmd(args...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("%s: tmux %s: %v\n%s", p.step, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends keys in tmux's send-keys notation (Enter, C-c, a).
func (p *pane) keys(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// capture is the screen as text, checked by checkScreen. With NO_COLOR it
// is captured with its attributes (-e), checked for colours, then stripped.
func (p *pane) capture() string {
	p.t.Helper()
	if !p.tc.noColor {
		s := p.stable("capture-pane", "-p", "-t", "e2e")
		p.checkScreen(s)
		return s
	}
	raw := p.stable("capture-pane", "-p", "-e", "-t", "e2e")
	s := stripEscapes(raw)
	if c := colourSGR(raw); c != "" {
		p.report("colour", "NO_COLOR=1 but the screen has colour %q:\n%s", c, frame(s))
	}
	p.checkScreen(s)
	return s
}

// stable is a capture of a settled screen: the same twice in a row, as a
// person would see it, not one caught while a new frame is being drawn
// (half the old screen, half the new).
func (p *pane) stable(args ...string) string {
	p.t.Helper()
	prev := p.tmux(args...)
	for range 20 {
		time.Sleep(30 * time.Millisecond)
		cur := p.tmux(args...)
		if cur == prev {
			break
		}
		prev = cur
	}
	return prev
}

// report fails the test once per step and kind of problem.
func (p *pane) report(kind, format string, a ...any) {
	p.t.Helper()
	if p.reported == nil {
		p.reported = map[string]bool{}
	}
	if k := p.step + "/" + kind; !p.reported[k] {
		p.reported[k] = true
		p.t.Errorf("%s (%s): "+format, append([]any{p.tc.name, p.step}, a...)...)
	}
}

// waitFor polls the screen until every text is on it at once, and returns
// that screen.
func (p *pane) waitFor(texts ...string) string {
	p.t.Helper()
	return p.waitUntil(fmt.Sprintf("%q", texts), func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// waitMatch polls the screen until re matches it.
func (p *pane) waitMatch(re *regexp.Regexp) string {
	p.t.Helper()
	return p.waitUntil("/"+re.String()+"/", re.MatchString)
}

func (p *pane) waitUntil(what string, ok func(string) bool) string {
	p.t.Helper()
	return p.waitUntilFor(e2eWait, what, ok)
}

// waitUntilFor is waitUntil with a bound of its own (a code that has to
// run out takes longer than any screen).
func (p *pane) waitUntilFor(wait time.Duration, what string, ok func(string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		s := p.capture()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s (%s): %s did not appear within %v; the screen:\n%s", p.tc.name, p.step, what, wait, frame(s))
		}
		time.Sleep(75 * time.Millisecond)
	}
}

// checkScreen holds what must be true of every screen of the case.
func (p *pane) checkScreen(s string) {
	p.t.Helper()
	for _, bad := range []string{"panic:", "goroutine ", "eyJ", "EwB"} {
		if strings.Contains(s, bad) {
			p.report(bad, "%q on the screen:\n%s", bad, frame(s))
		}
	}
	p.checkLayout(s)
	if p.tc.ascii() {
		for i, line := range strings.Split(s, "\n") {
			if j := strings.IndexFunc(line, func(r rune) bool { return r >= 0x80 }); j >= 0 {
				p.report("ascii", "LANG=%s but line %d has non-ASCII %q at column %d:\n%s",
					p.tc.lang, i+1, []rune(line[j:])[0], len([]rune(line[:j]))+1, frame(s))
				break
			}
		}
	}
}

// checkLayout holds what every screen of the wizard must look like, in
// any window, language and web UI: the header's first line in place (not
// scrolled away) with the web UI's name whole, no bracketed device name
// ("[Not Selected]", "[一般]", "【認証コードの入力】") split across lines, and
// no label cut short with "…" (or "~", its ASCII stand-in) but a URL
// longer than the line. The key line
// at the bottom is left to its own check.
func (p *pane) checkLayout(s string) {
	p.t.Helper()
	if strings.Contains(s, "EXITED:") { // the program has gone; the shell's screen
		return
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) < p.tc.h {
		return // mid-redraw
	}
	if !strings.Contains(lines[0], "mfpmail") {
		p.report("header", "the header's first line is not on the screen:\n%s", frame(s))
	} else if !webUIName.MatchString(lines[0]) {
		p.report("web UI name", "the header's web UI name is cut: %q\n%s", lines[0], frame(s))
	}
	for i, line := range lines[:len(lines)-1] {
		if splitBracket(line) {
			p.report("bracket", "line %d splits a bracketed name: %q\n%s", i+1, line, frame(s))
		}
		// A URL longer than the whole line is the one thing shown as far as
		// the line goes (its hyperlink holds all of it).
		url := strings.HasPrefix(strings.TrimLeft(strings.TrimSpace(line), "(<"), "https://")
		if !url && (strings.Contains(line, "…") || (p.tc.ascii() && strings.Contains(line, "~"))) {
			p.report("ellipsis", "line %d is cut short: %q\n%s", i+1, line, frame(s))
		}
		// Japanese line breaking: no line begins with a closing mark.
		if t := strings.TrimLeft(line, " "); t != "" && strings.ContainsAny(t[:len(string([]rune(t)[0]))], "。、）」』】") {
			p.report("kinsoku", "line %d begins with a closing mark: %q\n%s", i+1, line, frame(s))
		}
	}
}

// webUIName: the header names the web UI in full or in its short form,
// followed by spaces (never by "…").
var webUIName = regexp.MustCompile(`(CentreWare Internet Services|Internet Services|CWIS|IS)( |$)`)

// splitBracket reports a line where a [ or 【 is not closed, or a ] or 】
// closes nothing: a bracketed name broken across lines.
func splitBracket(line string) bool {
	depth := 0
	for _, r := range line {
		switch r {
		case '[', '【':
			depth++
		case ']', '】':
			depth--
			if depth < 0 {
				return true
			}
		}
	}
	return depth != 0
}

// waitExit waits for the wrapper's EXITED line and checks the status.
func (p *pane) waitExit(want int) {
	p.t.Helper()
	s := p.waitMatch(exitedRE)
	if got := exitedRE.FindStringSubmatch(s)[1]; got != strconv.Itoa(want) {
		p.t.Errorf("%s (%s): exit status %s, want %d; the screen:\n%s", p.tc.name, p.step, got, want, frame(s))
	}
}

var exitedRE = regexp.MustCompile(`EXITED:(\d+)`)

// at names the step for messages.
func (p *pane) at(step string) { p.step = step }

// assertRestored checks the terminal after the program has gone: main
// screen, cursor visible, cooked mode.
func (p *pane) assertRestored() {
	p.t.Helper()
	p.at("terminal after exit")
	if v := strings.TrimSpace(p.tmux("display", "-p", "-t", "e2e", "#{alternate_on}")); v != "0" {
		p.t.Errorf("alternate screen still on (alternate_on=%s)", v)
	}
	if v := strings.TrimSpace(p.tmux("display", "-p", "-t", "e2e", "#{cursor_flag}")); v != "1" {
		p.t.Errorf("cursor still hidden (cursor_flag=%s)", v)
	}
	var stty []byte
	deadline := time.Now().Add(e2eWait)
	for {
		var err error
		if stty, err = os.ReadFile(filepath.Join(p.dir, "stty.txt")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("stty.txt was not written: %v; the screen:\n%s", err, frame(p.capture()))
		}
		time.Sleep(75 * time.Millisecond)
	}
	flags := map[string]bool{}
	for _, f := range strings.FieldsFunc(string(stty), func(r rune) bool { return r == ' ' || r == '\n' || r == ';' }) {
		flags[f] = true
	}
	for _, want := range []string{"icanon", "echo"} {
		if !flags[want] {
			p.t.Errorf("terminal not in cooked mode after exit: %q missing from stty -a:\n%s", want, stty)
		}
	}
}

// frame draws a box around a screen so blank lines and the right edge show.
func frame(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "┌\n│" + strings.Join(lines, "\n│") + "\n└"
}

// shq quotes s for sh.
func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

var (
	sgrRE    = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)
	escapeRE = regexp.MustCompile(`\x1b(\[[0-9;:?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])`)
)

// colourSGR returns the first SGR sequence in s that sets a colour
// (foreground, background or underline colour), or "".
func colourSGR(s string) string {
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(f)
			if err != nil {
				continue
			}
			if n == 38 || n == 48 || n == 58 || (n >= 30 && n <= 37) || (n >= 40 && n <= 47) ||
				(n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				return m[0]
			}
		}
	}
	return ""
}

func stripEscapes(s string) string { return escapeRE.ReplaceAllString(s, "") }

var (
	// the reachability lines: "✓ Sign-in host:port → addr  N ms" (ASCII: "OK ... -> ...").
	reachOK = regexp.MustCompile(`(?m)(✓|OK|v) Sign-in \S+:\d+.*\d+ ms(.|\n)*(✓|OK|v) SMTP \S+:\d+.*\d+ ms`)
	// the user code, shown spaced out: "E V 2 G N 3 K E Z".
	userCode  = regexp.MustCompile(`\b(?:[A-Z0-9] ){5,}[A-Z0-9]\b`)
	countdown = regexp.MustCompile(`expires in \d+:\d\d`)
)

// walkToSignIn goes from the welcome screen to the sign-in screen, checking
// each screen on the way, and returns the sign-in screen with its code.
func walkToSignIn(p *pane) string {
	p.t.Helper()
	p.at("welcome")
	p.waitFor("1/13", "Before you start", "Work or school account")
	p.keys("Enter")
	p.at("administrator consent")
	p.waitFor("2/13", "Administrator consent", "adminconsent")
	p.keys("Enter")
	p.at("log in to the web UI")
	p.waitFor("3/13", "Log in to CentreWare Internet Services", "[Properties]")
	p.keys("Enter")
	p.at("DNS and proxy")
	p.waitFor("4/13", "DNS and proxy")
	p.waitMatch(reachOK)
	p.keys("Enter")
	p.at("SMTP server page")
	p.waitFor("5/13", "Open the SMTP server page", "[Login Credentials for Email Send]")
	p.keys("Enter")
	p.at("service provider")
	p.waitFor("6/13", "Service provider", "[Exchange Online/Outlook.com]", "smtp.office365.com", "587")
	p.keys("Enter")
	p.at("From address")
	p.waitFor("7/13", "From address", "[Allow Guest Users to Edit [From:] Field]")
	p.keys("Enter")
	p.at("sign-in")
	p.waitFor("8/13", "Sign in: check the account first", "/devicelogin")
	p.waitMatch(countdown)
	return p.waitMatch(userCode)
}

var e2eTerminals = []termCase{
	{name: "80x24-utf8", w: 80, h: 24, lang: "C.UTF-8"},
	{name: "160x48-utf8", w: 160, h: 48, lang: "C.UTF-8"},
	{name: "80x24-LANG=C", w: 80, h: 24, lang: "C"},
	{name: "80x24-NO_COLOR", w: 80, h: 24, lang: "C.UTF-8", noColor: true},
}

// TestE2EWalk goes through the whole demo wizard, screen by screen, writes
// the report and quits, in several terminals.
func TestE2EWalk(t *testing.T) {
	t.Parallel()
	for _, tc := range e2eTerminals {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startPane(t, tc)
			walkToSignIn(p)

			p.keys("a") // demo: the simulated user approves now
			p.at("signed in")
			p.waitFor("8/13", "Signed in", "scanner@contoso.com")
			p.keys("Enter")
			p.at("device sign-in")
			p.waitFor("9/13", "Sign the device in", "[Open Authentication Page]")
			p.keys("Enter")
			p.at("account")
			p.waitFor("10/13", "Signed-in account", "UPN:", "scanner@contoso.com")
			p.keys("Enter")
			p.at("sender check")
			p.waitFor("11/13", "Sender check", "[Login Credentials for Email Send]")
			p.keys("Enter")
			p.at("test message")
			p.waitFor("12/13", "Test message", "scanner@contoso.com")
			p.keys("Enter")
			p.at("test message sent")
			p.waitFor("12/13", "Test message sent", "250")
			p.keys("Enter")
			p.at("summary")
			// Enter through every question: nothing about the device is
			// confirmed, so the headline says so, and nothing failed.
			p.waitFor("13/13", "Summary", "not confirmed on the device yet", "6 passed", "4 warned", "0 failed")
			if tc.name == e2eTerminals[0].name {
				// The NO_COLOR case is only meaningful if colours show up
				// in a capture at all.
				if colourSGR(p.tmux("capture-pane", "-p", "-e", "-t", "e2e")) == "" {
					t.Errorf("summary: no colour at all in a colour terminal; is capture-pane -e working?")
				}
			}

			p.keys("r")
			p.at("report prompt")
			p.waitFor("Report file", "mfpmail-report-")
			p.keys("Enter")
			p.at("report written")
			p.waitFor("Report written to")
			reports, _ := filepath.Glob(filepath.Join(p.dir, "mfpmail-report-*.html"))
			if len(reports) != 1 {
				t.Fatalf("want one mfpmail-report-*.html in %s, got %v", p.dir, reports)
			}
			report, err := os.ReadFile(reports[0])
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(report), "scanner@contoso.com") {
				t.Errorf("report does not name scanner@contoso.com:\n%s", report)
			}
			for _, tok := range []string{"eyJ", "EwB"} {
				if strings.Contains(string(report), tok) {
					t.Errorf("report holds something like a token (%q):\n%s", tok, report)
				}
			}

			p.keys("q")
			p.at("quit")
			p.waitExit(0)
			p.assertRestored()
		})
	}
}

// TestE2ECtrlCWhilePolling interrupts with Ctrl+C while the sign-in is
// polling: one line on stderr says what was lost, the exit status is 130,
// and the terminal is left as it was found.
func TestE2ECtrlCWhilePolling(t *testing.T) {
	t.Parallel()
	p := startPane(t, termCase{name: "80x24-utf8-ctrl-c", w: 80, h: 24, lang: "C.UTF-8"})
	walkToSignIn(p)
	p.waitFor("Waiting for the sign-in")
	p.keys("C-c")
	p.at("after Ctrl+C")
	p.waitExit(130)
	// -J: the line as written, joined where the terminal wrapped it.
	s := p.tmux("capture-pane", "-p", "-J", "-t", "e2e")
	if !strings.Contains(s, "mfpmail: interrupted at step 8/13") || !strings.Contains(s, "nothing was saved") {
		t.Errorf("after Ctrl+C, want the line saying what was lost; the screen:\n%s", frame(p.capture()))
	}
	p.assertRestored()
}

// layoutCases are the windows, languages and web UIs every screen is
// checked in, and the training scenarios, each walked as far as it goes.
var layoutCases = []termCase{
	{name: "ja-IS-80x24", w: 80, h: 24, lang: "ja_JP.UTF-8"},
	{name: "ja-CWIS-80x24", w: 80, h: 24, lang: "ja_JP.UTF-8", args: []string{"--ui", "cwis"}},
	{name: "en-IS-80x24", w: 80, h: 24, lang: "C.UTF-8", args: []string{"--ui", "is"}},
	{name: "en-IS-80x24-LANG=C", w: 80, h: 24, lang: "C", args: []string{"--ui", "is"}},
}

// TestE2EEveryScreenLayout walks every screen of the happy path in each
// layout case, and every training scenario in English and Japanese,
// scrolling each screen through: checkLayout runs on every capture.
func TestE2EEveryScreenLayout(t *testing.T) {
	t.Parallel()
	cases := append([]termCase(nil), layoutCases...)
	for _, sc := range []string{"consent-required", "device-flow-blocked", "declined", "code-expired", "slow-down",
		"upn-mismatch", "send-as-denied", "smtp-auth-disabled", "no-starttls", "login-credentials-remote",
		"security-defaults", "mfa-required", "not-assigned", "sender-throttled", "ca-exchange",
		"smtp-auth-disabled-tenant", "personal-smtp-refused"} {
		for _, lang := range []string{"C.UTF-8", "ja_JP.UTF-8"} {
			tc := termCase{name: sc + "-" + lang, w: 80, h: 24, lang: lang, args: []string{"--scenario", sc}}
			switch sc {
			case "declined", "code-expired": // the simulated user acts (or not) alone
				tc.args = append(tc.args, "--approve-after", "2s")
			}
			cases = append(cases, tc)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			walkEveryScreen(startPane(t, tc))
		})
	}
}

// scroll pages through a screen (the checks run on every capture).
func (p *pane) scroll() {
	p.t.Helper()
	for range 3 {
		p.keys("PgDn")
		time.Sleep(100 * time.Millisecond)
		p.capture()
	}
}

// walkEveryScreen goes through the wizard by the step counter only, so it
// serves every language and web UI; it stops at a sign-in that fails.
func walkEveryScreen(p *pane) {
	p.t.Helper()
	approve := true
	for i, a := range p.tc.args {
		if a == "--approve-after" && i+1 < len(p.tc.args) {
			approve = false
		}
	}
	for step := 1; step <= 7; step++ {
		p.at(fmt.Sprintf("step %d", step))
		p.waitFor(fmt.Sprintf("%d/13", step))
		if step == 4 {
			p.waitMatch(reachDone)
		}
		if step > 1 { // the first screen pages with its fields
			p.scroll()
		}
		p.keys("Enter")
	}
	p.at("sign-in")
	p.waitFor("8/13")
	p.waitMatch(userCode)
	if approve {
		p.keys("a")
	}
	// The code goes away when the sign-in is over, either way.
	s := p.waitUntilFor(90*time.Second, "the end of the sign-in", func(s string) bool { return !userCode.MatchString(s) })
	if !strings.Contains(s, "UPN:") {
		p.at("sign-in failed")
		p.capture()
		p.keys("q")
		p.waitExit(0)
		return
	}
	p.keys("Enter")
	p.at("device sign-in")
	p.waitFor("9/13")
	p.keys("y")
	p.scroll()
	p.keys("Enter")
	p.at("account")
	s = p.waitFor("10/13", "UPN:")
	if strings.Contains(s, "The device has signed in") || strings.Contains(s, "本機のサインインが済みました") {
		p.keys("Enter") // the address the device holds: left empty here
	}
	p.scroll()
	p.keys("Enter")
	p.at("sender check")
	p.waitFor("11/13")
	p.keys("Enter")
	p.at("test message")
	p.waitFor("12/13")
	p.keys("Enter")
	p.at("test message result")
	p.waitMatch(sendDone)
	p.scroll()
	p.keys("Enter")
	p.at("summary")
	p.waitFor("13/13")
	p.scroll()
	p.keys("q") // results not in a report: the wizard asks first
	p.at("quit question")
	p.waitMatch(quitAsked)
	p.keys("y")
	p.at("quit")
	p.waitExit(0)
}

var (
	// the reachability check is over: two results with their times.
	reachDone = regexp.MustCompile(`(?s)\d+ ms.*\d+ ms`)
	// the test send is over: the key line offers r (send again).
	sendDone = regexp.MustCompile(`(?m)^ .*\br \S+.*$`)
	// the question before quitting with results not in a report: its keys.
	quitAsked = regexp.MustCompile(`(?m)^ y \S+  n \S+  r `)
)
