// Command benchterm measures the real mfpmail binary in a real
// pseudo-terminal, as a technician's SSH session would run it. It is the
// measuring half of scripts/bench.sh; run that instead.
//
//	go run ./scripts/benchterm -bin ./mfpmail [-wait 60s]
//
// Why a small Go program and not tmux: it owns the pty master, so it sees
// every byte the program writes, stamped the moment it arrives (tmux's
// pipe-pane would count the same bytes, but its capture and polling add
// tens of milliseconds to the first-frame time). The pty is opened with
// golang.org/x/sys/unix, already in the module graph, so no new module is
// needed. Like a real terminal emulator it answers the queries a program
// may send (OSC 10/11 colour queries, DSR cursor position, DA1), and it
// counts them: over SSH each costs a round trip before the first frame.
//
// A pseudo-terminal that answers nothing (-silent-runs) stands for a
// serial console or a web SSH console that drops the queries: the program
// must not wait for answers that never come.
//
// What it does, at 80×24, TERM=xterm-256color, LANG=C.UTF-8 (`--demo`
// runs the simulated tenant on loopback):
//
//  1. first frame: -runs starts of plain `mfpmail` (no simulated tenant
//     to start) and -runs of `--demo --approve-after 0` (which
//     first starts the simulated tenant), time from exec to the first
//     output whose text holds the header "mfpmail"; then q.
//  2. waiting: one run of `--demo --approve-after 0`: Enter ×7 to the
//     sign-in screen (time from the 7th Enter to "Code expires in" on
//     screen), let it settle, then for -wait count the bytes written to
//     the terminal, the countdown redraws, and the process's CPU time
//     (utime+stime from /proc/PID/stat), and read its peak RSS (VmHWM
//     from /proc/PID/status).
//  3. approval and test send: one run of `--demo --approve-after D` (D
//     just over one poll interval, so the approval lands just after a
//     poll: near the worst case): time from approval to "Signed in" on
//     screen, compared with the interval the screen states; then on to
//     the test message, time from Enter to "Test message sent" and the
//     wizard's own figure; peak RSS of the whole run.
//
// A change reaches the terminal one frame of Bubble Tea's renderer after
// the key (16.7 ms at its default 60 fps); the times include it.
//
// It prints a Markdown table. It exits 1 if the program misbehaves (a
// screen never appears), never because a target is missed: the figures
// are for people to read. It only ever kills the processes it started.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"mfpmail/scripts/internal/screen"
)

var (
	binPath      = flag.String("bin", "./mfpmail", "the mfpmail binary")
	waitFor      = flag.Duration("wait", 60*time.Second, "how long to sit on the sign-in screen counting bytes and CPU")
	settle       = flag.Duration("settle", 2*time.Second, "pause on the sign-in screen before counting starts")
	runs         = flag.Int("runs", 5, "extra starts for the first-frame time (the two measuring runs add two more)")
	silentRuns   = flag.Int("silent-runs", 5, "starts of plain mfpmail in a pty that answers no query (a serial console)")
	approveAfter = flag.Duration("approve-after", 5300*time.Millisecond, "run 3: the simulated user approves this long after the code is issued")
	cols         = flag.Int("cols", 80, "terminal width")
	rows         = flag.Int("rows", 24, "terminal height")
	clkTck       = flag.Int("clk-tck", 100, "clock ticks per second of /proc/PID/stat (getconf CLK_TCK)")
	timeout      = flag.Duration("timeout", 30*time.Second, "longest wait for any screen")
	startOnly    = flag.Bool("start-only", false, "measure the first frames and key echo only (quick, to compare builds side by side)")
	dump         = flag.String("dump", "", "write the bytes of the waiting window to this file (to see what a redraw sends)")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchterm:", err)
		os.Exit(1)
	}
}

// ---- the terminal ----

// term is one run of the binary on a pty.
type term struct {
	cmd    *exec.Cmd
	pty    *os.File
	done   chan struct{} // closed when the pty reports EOF/EIO (the program is gone)
	silent bool          // counts the queries but answers none

	mu      sync.Mutex
	out     []byte
	scr     *screen.Screen // what the terminal shows
	chunks  int            // reads with output: about one a frame
	qscan   int            // out[:qscan] was scanned for queries
	queries map[string]int
	waits   []*waiter
}

// waiter is a text expected on screen after a given point of the output.
type waiter struct {
	text string
	from int
	ch   chan time.Time
}

// queries a terminal emulator answers, and the answers (a dark
// background, cursor at the top left, a VT220-ish device).
var queryReplies = []struct{ name, q, reply string }{
	{"OSC 11 (background colour)", "\x1b]11;?", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
	{"OSC 10 (foreground colour)", "\x1b]10;?", "\x1b]10;rgb:ffff/ffff/ffff\x1b\\"},
	{"DSR (cursor position)", "\x1b[6n", "\x1b[1;1R"},
	{"DA1 (device attributes)", "\x1b[c", "\x1b[?62;22c"},
	{"DA1 (device attributes)", "\x1b[0c", "\x1b[?62;22c"},
}

// start runs the binary on a new pty. The returned time is just before
// the exec.
func start(args ...string) (*term, time.Time, error) {
	return startTerm(false, args...)
}

// startTerm is start with a terminal that answers no query if silent.
func startTerm(silent bool, args ...string) (*term, time.Time, error) {
	master, slave, err := openPTY(*rows, *cols)
	if err != nil {
		return nil, time.Time{}, err
	}
	cmd := exec.Command(*binPath, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = sysProcAttr()
	cmd.Env = childEnv()
	t := &term{cmd: cmd, pty: master, done: make(chan struct{}), queries: map[string]int{}, silent: silent,
		scr: screen.New(*cols, *rows)}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		master.Close()
		slave.Close()
		return nil, t0, err
	}
	slave.Close()
	go t.read()
	return t, t0, nil
}

// childEnv is this environment with the terminal made explicit and
// nothing that would change what the program draws.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TERM", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "NO_COLOR", "COLORTERM", "TMUX", "STY", "COLUMNS", "LINES":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TERM=xterm-256color", "LANG=C.UTF-8")
}

func (t *term) read() {
	defer close(t.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := t.pty.Read(buf)
		now := time.Now()
		if n > 0 {
			t.mu.Lock()
			t.out = append(t.out, buf[:n]...)
			t.chunks++
			_, _ = t.scr.Write(buf[:n])
			shown := t.scr.Text()
			replies := t.answerLocked()
			kept := t.waits[:0]
			for _, w := range t.waits {
				if strings.Contains(shown, w.text) {
					w.ch <- now
				} else {
					kept = append(kept, w)
				}
			}
			t.waits = kept
			t.mu.Unlock()
			for _, r := range replies {
				_, _ = t.pty.WriteString(r)
			}
		}
		if err != nil {
			return // EIO once the program and its children closed the slave
		}
	}
}

// answerLocked finds the queries in the new output and returns the
// replies. A query split across two reads is finished on the next.
func (t *term) answerLocked() []string {
	var replies []string
	i := t.qscan
scan:
	for ; i < len(t.out); i++ {
		if t.out[i] != 0x1b {
			continue
		}
		rest := t.out[i:]
		for _, q := range queryReplies {
			if bytes.HasPrefix(rest, []byte(q.q)) {
				t.queries[q.name]++
				if !t.silent {
					replies = append(replies, q.reply)
				}
				i += len(q.q) - 1
				continue scan
			}
			if len(rest) < len(q.q) && strings.HasPrefix(q.q, string(rest)) {
				break scan // maybe a query, not all here yet
			}
		}
	}
	t.qscan = i
	return replies
}

// after registers text as expected on screen from now on (the screen,
// not the byte stream: a program may rewrite only the cells that
// changed). Register before sending the key that should bring it.
func (t *term) after(text string) *waiter {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := &waiter{text: text, from: len(t.out), ch: make(chan time.Time, 1)}
	t.waits = append(t.waits, w)
	return w
}

// wait returns when the text arrived (the time its last byte was read).
func (t *term) wait(w *waiter) (time.Time, error) {
	select {
	case at := <-w.ch:
		return at, nil
	case <-t.done:
		select {
		case at := <-w.ch:
			return at, nil
		default:
		}
		return time.Time{}, fmt.Errorf("the program ended before %q appeared; screen:\n%s", w.text, t.tail())
	case <-time.After(*timeout):
		return time.Time{}, fmt.Errorf("%q did not appear within %v; screen:\n%s", w.text, *timeout, t.tail())
	}
}

// expect sends keys and waits for text; it returns when the keys were
// sent and when the text arrived.
func (t *term) expect(keys, text string) (sent, arrived time.Time, err error) {
	w := t.after(text)
	sent = time.Now()
	if _, err := t.pty.WriteString(keys); err != nil {
		return sent, sent, err
	}
	arrived, err = t.wait(w)
	return sent, arrived, err
}

// size is the number of bytes written to the terminal so far.
func (t *term) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.out)
}

// tail is the screen, for error messages.
func (t *term) tail() string { return t.shown() }

// shown is what the screen shows now.
func (t *term) shown() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.scr.Text()
}

// frames is the number of reads with output so far.
func (t *term) frames() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.chunks
}

func (t *term) queryCounts() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.queries)
}

// quit presses q and waits for the program to end (killing it, the
// process this run started, if it does not within 5 s).
func (t *term) quit() error {
	_, _ = t.pty.WriteString("q")
	exited := make(chan error, 1)
	go func() { exited <- t.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(5 * time.Second):
		_ = t.cmd.Process.Kill()
		<-exited
		err = errors.New("the program did not end within 5 s of q; killed")
	}
	select {
	case <-t.done:
	case <-time.After(2 * time.Second):
	}
	t.pty.Close()
	return err
}

// kill ends the run after a failure.
func (t *term) kill() {
	_ = t.cmd.Process.Kill()
	_, _ = t.cmd.Process.Wait()
	t.pty.Close()
}

// ---- /proc ----

// cpuTime is the process's user+system CPU time (/proc/PID/stat fields 14
// and 15).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * time.Second / time.Duration(*clkTck), nil
}

// status reads a "kB" or count field of /proc/PID/status (VmHWM, VmRSS,
// Threads).
func status(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// ---- the measurements ----

type results struct {
	plainFrames  []time.Duration // without --demo: no simulated tenant to start
	silentFrames []time.Duration // plain, in a pty that answers no query
	versionRuns  []time.Duration // exec → exit of `mfpmail --version`: the process's own start
	trueRuns     []time.Duration // exec → exit of /bin/true: what starting any process costs here
	keyEcho      []time.Duration // Enter → the next step's "N/M" on screen
	firstFrames  []time.Duration
	queries      map[string]int
	codeOnScreen []time.Duration

	window      time.Duration
	windowBytes int
	redraws     int
	windowCPU   time.Duration
	waitHWM     int64 // kB
	waitRSS     int64 // kB
	waitThreads int64

	interval     time.Duration // as the screen states it
	approveDelay time.Duration // upper bound
	approveAfter time.Duration
	sendUI       time.Duration
	sendOwn      string // the wizard's own figure, e.g. "TLS 1.3, 14 ms"
	fullHWM      int64
	fullCPU      time.Duration
}

var (
	reTotal    = regexp.MustCompile(`\b1/(\d+)\b`)
	reInterval = regexp.MustCompile(`checking every\D{0,400}?(\d+)`) // may wrap, the QR code beside it
	reElapsed  = regexp.MustCompile(`(TLS 1\.\d), (\d+) ms`)
)

// firstFrame starts the binary and waits for the header.
func firstFrame(r *results, args ...string) (*term, int, error) {
	return firstFrameIn(false, r, args...)
}

// firstFrameIn is firstFrame in a terminal that answers nothing if silent.
func firstFrameIn(silent bool, r *results, args ...string) (*term, int, error) {
	t, t0, err := startTerm(silent, args...)
	if err != nil {
		return nil, 0, err
	}
	w := t.after("mfpmail")
	at, err := t.wait(w)
	if err != nil {
		t.kill()
		return nil, 0, err
	}
	r.firstFrames = append(r.firstFrames, at.Sub(t0))
	// The step count (13 for a work account) from the welcome screen.
	total := 0
	for deadline := time.Now().Add(*timeout); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := reTotal.FindStringSubmatch(t.shown()); m != nil {
			total, _ = strconv.Atoi(m[1])
			break
		}
	}
	if total == 0 {
		t.kill()
		return nil, 0, fmt.Errorf("no step count (1/N) on the first screen:\n%s", t.tail())
	}
	return t, total, nil
}

// toSignIn presses Enter through the six screens before the sign-in
// (waiting for each), then once more, timing the code's arrival.
func toSignIn(t *term, r *results, total int) error {
	for step := 2; step <= 7; step++ {
		sent, at, err := t.expect("\r", fmt.Sprintf(" %d/%d", step, total))
		if err != nil {
			return err
		}
		r.keyEcho = append(r.keyEcho, at.Sub(sent))
	}
	sent, at, err := t.expect("\r", "Code expires in")
	if err != nil {
		return err
	}
	r.codeOnScreen = append(r.codeOnScreen, at.Sub(sent))
	return nil
}

func run() error {
	if _, err := os.Stat(*binPath); err != nil {
		return err
	}
	r := &results{}
	demoArgs := []string{"--demo", "--approve-after", "0"}

	// 1. First frame, as a technician starts it (no simulation; the
	// welcome screen does no network work), then with --demo.
	for range *runs {
		t, _, err := firstFrame(r)
		if err != nil {
			return fmt.Errorf("first frame: %w", err)
		}
		r.plainFrames = append(r.plainFrames, r.firstFrames[len(r.firstFrames)-1])
		r.firstFrames = r.firstFrames[:len(r.firstFrames)-1]
		if err := t.quit(); err != nil {
			return err
		}
	}
	for range *silentRuns {
		t, _, err := firstFrameIn(true, r)
		if err != nil {
			return fmt.Errorf("first frame, silent terminal: %w", err)
		}
		r.silentFrames = append(r.silentFrames, r.firstFrames[len(r.firstFrames)-1])
		r.firstFrames = r.firstFrames[:len(r.firstFrames)-1]
		if err := t.quit(); err != nil {
			return err
		}
	}
	for range *runs {
		t, _, err := firstFrame(r, demoArgs...)
		if err != nil {
			return fmt.Errorf("first frame: %w", err)
		}
		r.queries = t.queryCounts()
		if err := t.quit(); err != nil {
			return err
		}
	}

	// 2. The process's own start, which no frame can come before: the
	// binary drawing nothing, and any process at all.
	for range *runs {
		d, err := execTime(*binPath, "--version")
		if err != nil {
			return fmt.Errorf("%s --version: %w", *binPath, err)
		}
		r.versionRuns = append(r.versionRuns, d)
		if d, err = execTime("/bin/true"); err != nil {
			return fmt.Errorf("/bin/true: %w", err)
		}
		r.trueRuns = append(r.trueRuns, d)
	}

	if *startOnly {
		return startOnlyReport(r, demoArgs)
	}

	// 3. Sitting on the sign-in screen.
	if err := measureWaiting(r, demoArgs); err != nil {
		return fmt.Errorf("waiting on the sign-in screen: %w", err)
	}

	// 4. Approval and the test send.
	if err := measureApproval(r); err != nil {
		return fmt.Errorf("approval and test send: %w", err)
	}

	report(r)
	return nil
}

// execTime is the wall time from just before the exec of name to its
// exit, its output thrown away.
func execTime(name string, args ...string) (time.Duration, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = childEnv()
	t0 := time.Now()
	err := cmd.Run()
	return time.Since(t0), err
}

func measureWaiting(r *results, args []string) error {
	t, total, err := firstFrame(r, args...)
	if err != nil {
		return err
	}
	pid := t.cmd.Process.Pid
	if err := toSignIn(t, r, total); err != nil {
		t.kill()
		return err
	}
	time.Sleep(*settle)
	b0, c0, t0, f0 := t.size(), must(cpuTime(pid)), time.Now(), t.frames()
	time.Sleep(*waitFor)
	b1, c1, t1, f1 := t.size(), must(cpuTime(pid)), time.Now(), t.frames()
	r.window = t1.Sub(t0)
	r.windowBytes = b1 - b0
	r.windowCPU = c1 - c0
	r.redraws = f1 - f0
	r.waitHWM = must(status(pid, "VmHWM"))
	r.waitRSS = must(status(pid, "VmRSS"))
	r.waitThreads = must(status(pid, "Threads"))
	if *dump != "" {
		t.mu.Lock()
		err := os.WriteFile(*dump, t.out[b0:b1], 0o644)
		t.mu.Unlock()
		if err != nil {
			t.kill()
			return err
		}
	}
	if m := reInterval.FindStringSubmatch(t.shown()); m != nil {
		s, _ := strconv.Atoi(m[1])
		r.interval = time.Duration(s) * time.Second
	}
	return t.quit()
}

func measureApproval(r *results) error {
	r.approveAfter = *approveAfter
	t, total, err := firstFrame(r, "--demo", "--approve-after", approveAfter.String())
	if err != nil {
		return err
	}
	pid := t.cmd.Process.Pid
	fail := func(err error) error { t.kill(); return err }
	for step := 2; step <= 7; step++ {
		if _, _, err := t.expect("\r", fmt.Sprintf(" %d/%d", step, total)); err != nil {
			return fail(err)
		}
	}
	signedIn := t.after("Signed in")
	sent, at, err := t.expect("\r", "Code expires in")
	if err != nil {
		return fail(err)
	}
	r.codeOnScreen = append(r.codeOnScreen, at.Sub(sent))
	in, err := t.wait(signedIn)
	if err != nil {
		return fail(err)
	}
	// The simulated user approves approveAfter after the code was issued,
	// which is after the Enter was sent: this is an upper bound.
	r.approveDelay = in.Sub(sent) - *approveAfter
	if r.interval == 0 {
		if m := reInterval.FindStringSubmatch(t.shown()); m != nil {
			s, _ := strconv.Atoi(m[1])
			r.interval = time.Duration(s) * time.Second
		}
	}
	// Device sign-in, account, sender check, then the test message.
	for _, want := range []string{fmt.Sprintf(" %d/%d", 9, total), fmt.Sprintf(" %d/%d", 10, total), fmt.Sprintf(" %d/%d", 11, total), "Press Enter to send"} {
		if _, _, err := t.expect("\r", want); err != nil {
			return fail(err)
		}
	}
	sent, at, err = t.expect("\r", "Test message sent")
	if err != nil {
		return fail(err)
	}
	r.sendUI = at.Sub(sent)
	time.Sleep(200 * time.Millisecond) // the rest of the result screen
	if m := reElapsed.FindStringSubmatch(t.shown()); m != nil {
		r.sendOwn = m[1] + ", " + m[2] + " ms"
	}
	r.fullHWM = must(status(pid, "VmHWM"))
	r.fullCPU = must(cpuTime(pid))
	return t.quit()
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchterm:", err)
		os.Exit(1)
	}
	return v
}

// ---- the table ----

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
}

func mb(kb int64) string { return strconv.FormatFloat(float64(kb)/1024, 'f', 1, 64) + " MiB" }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func report(r *results) {
	row := func(cells ...string) { fmt.Println("| " + strings.Join(cells, " | ") + " |") }
	row("measurement (real binary, pty "+fmt.Sprintf("%d×%d", *cols, *rows)+")", "value", "target", "")
	row("---", "---", "---", "---")

	frames := func(what string, ds []time.Duration) {
		row(fmt.Sprintf("time to first frame, %s (exec → header; median of %d starts)", what, len(ds)),
			fmt.Sprintf("%s (min %s, max %s)", ms(median(ds)), ms(slices.Min(ds)), ms(slices.Max(ds))),
			"< 100 ms", verdict(slices.Max(ds) < 100*time.Millisecond))
	}
	frames("`mfpmail`", r.plainFrames)
	frames("`mfpmail --demo`", r.firstFrames)
	if len(r.silentFrames) > 0 {
		ds := r.silentFrames
		row(fmt.Sprintf("time to first frame, `mfpmail`, terminal answers no query (median of %d starts)", len(ds)),
			fmt.Sprintf("%s (min %s, max %s)", ms(median(ds)), ms(slices.Min(ds)), ms(slices.Max(ds))),
			"< 300 ms", verdict(slices.Max(ds) < 300*time.Millisecond))
	}

	startRow := func(what string, ds []time.Duration) {
		row(fmt.Sprintf("%s (exec → exit; median of %d)", what, len(ds)),
			fmt.Sprintf("%s (min %s, max %s)", ms(median(ds)), ms(slices.Min(ds)), ms(slices.Max(ds))), "—", "")
	}
	startRow("process start, `mfpmail --version` (draws nothing)", r.versionRuns)
	startRow("any process, `/bin/true`", r.trueRuns)
	row("first frame after the process's own start (median − `--version`'s median)",
		ms(median(r.plainFrames)-median(r.versionRuns)), "one 60 Hz frame (16.7 ms) plus the drawing", "")

	var qs []string
	for k, v := range r.queries {
		qs = append(qs, fmt.Sprintf("%s ×%d", k, v))
	}
	slices.Sort(qs)
	if len(qs) == 0 {
		qs = []string{"none"}
	}
	row("terminal queries before/at the first frame (answered)", strings.Join(qs, ", "), "—", "")

	codes := make([]string, len(r.codeOnScreen))
	for i, d := range r.codeOnScreen {
		codes[i] = ms(d)
	}
	row("start sign-in (Enter) → code on screen", strings.Join(codes, ", "), "—", "")
	if len(r.keyEcho) > 0 {
		row(fmt.Sprintf("key echo: Enter → next screen's step number on screen (median of %d)", len(r.keyEcho)),
			fmt.Sprintf("%s (min %s, max %s)", ms(median(r.keyEcho)), ms(slices.Min(r.keyEcho)), ms(slices.Max(r.keyEcho))), "—", "")
	}

	perMin := float64(r.windowBytes) * float64(time.Minute) / float64(r.window)
	row(fmt.Sprintf("bytes written while waiting (%s window, scaled to 1 min)", r.window.Round(time.Millisecond)),
		fmt.Sprintf("%.0f B/min (%d B; %.0f writes/min, %.0f B each)", perMin, r.windowBytes,
			float64(r.redraws)*float64(time.Minute)/float64(r.window), float64(r.windowBytes)/float64(max(r.redraws, 1))),
		"< 2048 B/min", verdict(perMin < 2048))

	cpuPerMin := time.Duration(float64(r.windowCPU) * float64(time.Minute) / float64(r.window))
	row("CPU time while waiting (utime+stime)",
		fmt.Sprintf("%s per min (%.3f %% of one core; %d ticks of 1/%d s)", ms(cpuPerMin),
			100*float64(r.windowCPU)/float64(r.window), int64(r.windowCPU*time.Duration(*clkTck)/time.Second), *clkTck),
		"—", "")

	row("peak RSS while waiting (VmHWM)", fmt.Sprintf("%s (VmRSS %s, %d threads)", mb(r.waitHWM), mb(r.waitRSS), r.waitThreads),
		"< 40 MiB", verdict(r.waitHWM < 40*1024))
	row("peak RSS, whole run to the test send (VmHWM)", mb(r.fullHWM), "< 40 MiB", verdict(r.fullHWM < 40*1024))
	row("CPU time, whole run to the test send", ms(r.fullCPU), "—", "")

	target, v := "≤ interval + 1 s", "not judged: the interval was not found on the screen"
	if r.interval > 0 {
		target = fmt.Sprintf("≤ interval + 1 s = %v", r.interval+time.Second)
		v = verdict(r.approveDelay <= r.interval+time.Second)
	}
	row(fmt.Sprintf("approval → \"Signed in\" on screen (approved %v after the code; upper bound)", r.approveAfter),
		fmt.Sprintf("%s (poll interval %v, as the screen states it)", ms(r.approveDelay), r.interval), target, v)

	own := r.sendOwn
	if own == "" {
		own = "not shown"
	}
	row("test send: Enter → \"Test message sent\" on screen", fmt.Sprintf("%s (the wizard's own figure: %s)", ms(r.sendUI), own), "—", "")
}

// startOnlyReport walks one run to the sign-in screen for the key echo
// and prints the start-up rows only.
func startOnlyReport(r *results, args []string) error {
	t, total, err := firstFrame(r, args...)
	if err != nil {
		return err
	}
	if err := toSignIn(t, r, total); err != nil {
		t.kill()
		return err
	}
	if err := t.quit(); err != nil {
		return err
	}
	row := func(name string, ds []time.Duration) {
		fmt.Printf("| %s | %s | %s | %s | %d |\n", name, ms(median(ds)), ms(slices.Min(ds)), ms(slices.Max(ds)), len(ds))
	}
	fmt.Println("| measurement | median | min | max | n |")
	fmt.Println("|---|---:|---:|---:|---:|")
	row("first frame, `mfpmail`", r.plainFrames)
	row("first frame, `mfpmail --demo`", r.firstFrames)
	row("first frame, terminal answers no query", r.silentFrames)
	row("process start, `mfpmail --version` (exec → exit)", r.versionRuns)
	row("any process, `/bin/true` (exec → exit)", r.trueRuns)
	row("key echo (Enter → next step on screen)", r.keyEcho)
	row("Enter → code on screen", r.codeOnScreen)
	return nil
}
