package main

// End-to-end tests of mfpmail serve with the real OpenSSH client: the
// server runs in this test process (the same code as `mfpmail serve`, so
// its goroutines can be counted), or as the built binary where its exit
// status matters; clients run as `ssh -tt` inside private tmux servers.
//
//	go test -run Serve -v .

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"mfpmail/demo"
	"mfpmail/ui/sshserve"
)

// needSSH: the tests need the OpenSSH client and tmux. .ci/run installs
// both; under CI=true a missing one fails, elsewhere the test is skipped
// with a note saying what to install.
func needSSH(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ssh", "ssh-keygen", "tmux"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing (CI=true): .ci/run installs openssh-client and tmux", tool)
			}
			t.Skipf("%s is not installed: apt-get install openssh-client tmux to run the SSH end-to-end tests", tool)
		}
	}
}

// served is a running mfpmail serve and what a client needs to reach it.
type served struct {
	t         *testing.T
	addr      string
	port      string
	dir       string // keys, known_hosts, reports
	knownHost string // known_hosts file holding the server's key
	out, errs *syncBuffer
	stop      func()
	srv       *sshserve.Server
}

// syncBuffer is a bytes.Buffer safe to write from the server and read
// from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `mfpmail serve` in this process on a random loopback
// port with its own host key and reports directory, and stops it (with
// the grace period) at the end of the test.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	needSSH(t)
	dir := t.TempDir()
	s := &served{t: t, dir: dir, out: &syncBuffer{}, errs: &syncBuffer{}}
	args = append([]string{"--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host_key"),
		"--reports-dir", filepath.Join(dir, "reports"), "--grace", "1s"}, args...)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *sshserve.Server, 1)
	done := make(chan error, 1)
	go func() { done <- serveUntil(ctx, args, s.out, s.errs, func(srv *sshserve.Server) { ready <- srv }) }()
	select {
	case s.srv = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("mfpmail serve %s: %v\n%s", strings.Join(args, " "), err, s.errs)
	}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("mfpmail serve ended with %v", err)
			}
		})
	}
	t.Cleanup(s.stop)
	s.addr = s.srv.Addr()
	_, s.port, _ = net.SplitHostPort(s.addr)
	s.knownHost = writeKnownHost(t, filepath.Join(dir, "host_key"), s.addr, filepath.Join(dir, "known_hosts"))
	return s
}

// writeKnownHost writes a known_hosts file trusting the server's key, so
// clients run with StrictHostKeyChecking=yes.
func writeKnownHost(t *testing.T, keyFile, addr, path string) string {
	t.Helper()
	data, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(addr)
	line := fmt.Sprintf("[%s]:%s %s", host, port, gossh.MarshalAuthorizedKey(signer.PublicKey()))
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// clientKey makes a throwaway ed25519 client key and returns its file.
func clientKey(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return path
}

// sshArgs are the client's options: no user configuration, this server's
// key only, a throwaway identity, never a prompt.
func (s *served) sshArgs(key string, extra ...string) []string {
	a := []string{"-F", "/dev/null", "-o", "UserKnownHostsFile=" + s.knownHost, "-o", "StrictHostKeyChecking=yes",
		"-o", "IdentitiesOnly=yes", "-o", "IdentityFile=" + key, "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
		"-o", "ConnectTimeout=10", "-p", s.port}
	return append(a, extra...)
}

// ssh runs the client without tmux (no terminal) and returns its output
// and exit status.
func (s *served) ssh(key string, args ...string) (string, int) {
	s.t.Helper()
	cmd := exec.Command("ssh", s.sshArgs(key, args...)...)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		s.t.Fatalf("ssh: %v", err)
	}
	return string(out), code
}

// sshPane is one `ssh -tt` client in its own private tmux server.
type sshPane struct {
	*pane
}

var serveSeq atomic.Int64

// client starts `ssh -tt` in a new tmux server of w×h, with env sent by
// SetEnv and args after --.
func (s *served) client(name, key, user string, w, h int, env []string, args ...string) *sshPane {
	s.t.Helper()
	p := &pane{t: s.t, tc: termCase{name: name, w: w, h: h, lang: "C.UTF-8"}, dir: s.dir,
		sock: fmt.Sprintf("h10-serve-%d-%d", os.Getpid(), serveSeq.Add(1))}
	sshArgs := s.sshArgs(key, "-tt")
	if len(env) > 0 {
		// One SetEnv with every variable: ssh uses only the first SetEnv.
		sshArgs = append(sshArgs, "-o", "SetEnv="+strings.Join(env, " "))
	}
	sshArgs = append(sshArgs, user+"@127.0.0.1")
	if len(args) > 0 {
		sshArgs = append(append(sshArgs, "--"), args...)
	}
	quoted := make([]string, len(sshArgs))
	for i, a := range sshArgs {
		quoted[i] = shq(a)
	}
	script := "ssh " + strings.Join(quoted, " ") + "\necho \"EXITED:$?\"\nsleep 600\n"
	run := filepath.Join(s.dir, name+".sh")
	if err := os.WriteFile(run, []byte(script), 0o644); err != nil {
		s.t.Fatal(err)
	}
	out, err := p.tmuxCmd("new-session", "-d", "-s", "e2e", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		"sh "+shq(run)).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	// Ending the only session ends this private tmux server; its socket
	// file goes too.
	socket, _ := p.tmuxCmd("display", "-p", "#{socket_path}").Output()
	s.t.Cleanup(func() {
		_ = p.tmuxCmd("kill-session", "-t", "e2e").Run()
		if path := strings.TrimSpace(string(socket)); path != "" {
			os.Remove(path)
		}
	})
	return &sshPane{p}
}

// close ends the client as a closed window does: the ssh process goes.
func (p *sshPane) close() { _ = p.tmuxCmd("kill-session", "-t", "e2e").Run() }

// walkToCode walks a served demo session from the welcome screen to the
// sign-in screen and returns the user code shown there.
func walkToCode(p *pane) string {
	p.t.Helper()
	p.at("welcome")
	p.waitFor("1/13")
	for i := 2; i <= 8; i++ {
		p.keys("Enter")
		p.at(fmt.Sprintf("step %d", i))
		p.waitFor(fmt.Sprintf("%d/13", i))
	}
	p.at("sign-in")
	return strings.ReplaceAll(userCode.FindString(p.waitMatch(userCode)), " ", "")
}

// goroutinesBack waits (up to a deadline, polling) until the process runs
// no more goroutines than base.
func goroutinesBack(t *testing.T, base int, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%s: %d goroutines remain, %d before:\n%s", what, n, base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestServeE2E: two trainees at once — one walks the demo to a delivered
// test message, the summary and a saved report; the other, in Japanese
// with another scenario, gets its own code and its own failure. Resizing a
// window re-lays out that session. A client that leaves while the sign-in
// is polling leaves no goroutine behind in the server.
func TestServeE2E(t *testing.T) {
	s := startServe(t, "--demo", "--approve-after", "0")
	if fp := s.out.String(); !strings.Contains(fp, s.srv.Fingerprint()) || !strings.HasPrefix(s.srv.Fingerprint(), "SHA256:") {
		t.Errorf("the start message does not show the host key's fingerprint %s:\n%s", s.srv.Fingerprint(), fp)
	}
	base := runtime.NumGoroutine()
	key := clientKey(t, s.dir, "trainee")

	a := s.client("alice", key, "alice", 100, 30, []string{"LANG=en_US.UTF-8"})
	b := s.client("bob", key, "bob", 100, 30, []string{"LANG=ja_JP.UTF-8"}, "--scenario", "smtp-auth-disabled")
	codeA, codeB := walkToCode(a.pane), walkToCode(b.pane)
	a.waitFor("DEMO ok", "Sign in")
	b.waitFor("DEMO smtp-auth-disabled", "サインイン")
	if codeA == codeB {
		t.Errorf("both sessions show the user code %s: they share a tenant", codeA)
	}

	// Resizing the client's window re-lays out its session only.
	a.at("resized")
	a.tmux("resize-window", "-t", "e2e", "-x", "140", "-y", "40")
	a.waitUntil("a 138-column rule", func(s string) bool { return strings.Contains(s, strings.Repeat("─", 130)) })

	for _, p := range []*sshPane{a, b} {
		p.keys("a") // demo: the simulated user signs in now
		p.at("signed in")
		p.waitFor("8/13", "@contoso.com")
		for i := 9; i <= 12; i++ {
			p.keys("Enter")
			p.at(fmt.Sprintf("step %d", i))
			p.waitFor(fmt.Sprintf("%d/13", i))
		}
		p.keys("Enter") // send the test message
	}
	a.at("test message sent")
	a.waitFor("12/13", "Test message sent", "250")
	b.at("test message refused")
	b.waitFor("12/13", "5.7.139")

	a.keys("Enter")
	a.at("summary")
	a.waitFor("13/13", "Summary", "0 failed")
	a.keys("r")
	a.at("report saved")
	a.waitFor("Report written to")
	reports, _ := filepath.Glob(filepath.Join(s.dir, "reports", "mfpmail-report-alice-*.md"))
	if len(reports) != 1 {
		t.Fatalf("want one report named after alice in the reports directory, got %v", reports)
	}
	if rep, _ := os.ReadFile(reports[0]); !strings.Contains(string(rep), "scanner@contoso.com") {
		t.Errorf("the report does not name the account:\n%s", rep)
	}
	a.keys("q")
	a.waitMatch(exitedRE)
	b.keys("q")
	b.waitMatch(exitedRE)
	goroutinesBack(t, base, "after two sessions quit")

	log := s.errs.String()
	for _, user := range []string{"alice", "bob"} {
		end := regexp.MustCompile(`msg="session end" n=\d+ user=` + user + ` remote=127\.0\.0\.1:\d+ duration=\d+s result=quit`)
		if !end.MatchString(log) {
			t.Errorf("server log lacks %s's end (user, remote, duration, result):\n%s", user, log)
		}
	}
	for _, bad := range []string{codeA, codeB, "eyJ", "EwB"} {
		if strings.Contains(log, bad) {
			t.Errorf("server log holds %q (a code or token):\n%s", bad, log)
		}
	}
}

// TestServeRefuses: what the server does not offer.
func TestServeRefuses(t *testing.T) {
	s := startServe(t, "--demo")
	key := clientKey(t, s.dir, "k")

	if out, code := s.ssh(key, "u@127.0.0.1"); code != 1 || !strings.Contains(out, "ssh -t") {
		t.Errorf("no pty: exit %d, want 1 with one line saying to use ssh -t:\n%s", code, out)
	}
	if out, code := s.ssh(key, "u@127.0.0.1", "ls"); code != 1 || !strings.Contains(out, `not "ls"`) || strings.Contains(out, "serve_e2e_test.go") {
		t.Errorf("exec ls: exit %d, want 1, a refusal and no listing:\n%s", code, out)
	}
	if out, code := s.ssh(key, "-tt", "u@127.0.0.1", "ls", "/"); code != 1 || !strings.Contains(out, `not "ls"`) {
		t.Errorf("exec ls with a pty: exit %d, want 1 and a refusal:\n%s", code, out)
	}
	if out, code := s.ssh(key, "-tt", "u@127.0.0.1", "--", "--bogus"); code != 2 || !strings.Contains(out, "bogus") {
		t.Errorf("bad flag after --: exit %d, want 2 and one line naming it:\n%s", code, out)
	}
	if out, code := s.ssh(key, "-tt", "u@127.0.0.1", "--", "--log", "/tmp/x"); code != 2 || !strings.Contains(out, "--log") {
		t.Errorf("--log from a client: exit %d, want 2 (it names a file on the server):\n%s", code, out)
	}
	if out, code := s.ssh(key, "-s", "u@127.0.0.1", "sftp"); code == 0 || !strings.Contains(out, "subsystem request failed") {
		t.Errorf("sftp subsystem: exit %d, want a refusal:\n%s", code, out)
	}
	if out, code := s.ssh(key, "-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:9", "u@127.0.0.1"); code == 0 || !strings.Contains(out, "forwarding failed") {
		t.Errorf("-R: exit %d, want the remote forward refused:\n%s", code, out)
	}

	// -L: the client listens; the server refuses each channel it opens.
	target, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := target.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	free, _ := net.Listen("tcp", "127.0.0.1:0")
	lport := free.Addr().(*net.TCPAddr).Port
	free.Close()
	var stderr syncBuffer
	fwdArgs := s.sshArgs(key, "-N", "-L", fmt.Sprintf("127.0.0.1:%d:%s", lport, target.Addr()), "u@127.0.0.1")
	for i, a := range fwdArgs {
		if a == "LogLevel=ERROR" {
			fwdArgs[i] = "LogLevel=INFO" // the client says "open failed" at this level
		}
	}
	fwd := exec.Command("ssh", fwdArgs...)
	fwd.Stderr = &stderr
	if err := fwd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { fwd.Process.Kill(); fwd.Wait() }()
	var conn net.Conn
	deadline := time.Now().Add(15 * time.Second)
	for conn == nil {
		if conn, err = net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", lport)); err != nil {
			if time.Now().After(deadline) {
				t.Fatalf("ssh -L never listened: %v\n%s", err, stderr.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	n, _ := conn.Read(make([]byte, 1))
	conn.Close()
	if n != 0 {
		t.Errorf("-L: data came through the forward")
	}
	select {
	case <-accepted:
		t.Errorf("-L: the server connected to the forward's target")
	default:
	}
	deadline = time.Now().Add(15 * time.Second)
	for !strings.Contains(stderr.String(), "open failed") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "open failed") {
		t.Errorf("-L: the client was not told the channel was refused:\n%s", stderr.String())
	}
}

// TestServeAuthorizedKeys: with --authorized-keys only those public keys
// get in; no password is even offered.
func TestServeAuthorizedKeys(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	good, bad := clientKey(t, dir, "good"), clientKey(t, dir, "bad")
	pub, err := os.ReadFile(good + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authKeys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authKeys, append([]byte("# the trainer's list\n"), pub...), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--demo", "--authorized-keys", authKeys)
	if out, code := s.ssh(good, "u@127.0.0.1"); code != 1 || !strings.Contains(out, "ssh -t") {
		t.Errorf("listed key: exit %d, want in (then refused for want of a pty):\n%s", code, out)
	}
	if out, code := s.ssh(bad, "u@127.0.0.1"); code != 255 || !strings.Contains(out, "Permission denied (publickey)") {
		t.Errorf("unlisted key: exit %d, want 255 Permission denied (publickey):\n%s", code, out)
	}
}

// TestServeBusyAndIdle: past --max-sessions the next client is told the
// server is busy; a session with no key press ends with a message.
func TestServeBusyAndIdle(t *testing.T) {
	s := startServe(t, "--demo", "--max-sessions", "1", "--idle-timeout", "3s")
	key := clientKey(t, s.dir, "k")
	a := s.client("first", key, "first", 80, 24, []string{"LANG=C.UTF-8"})
	a.waitFor("1/13")
	if out, code := s.ssh(key, "-tt", "u@127.0.0.1"); code != 1 || !strings.Contains(out, "busy") {
		t.Errorf("second session: exit %d, want 1 and the busy line:\n%s", code, out)
	}
	a.at("idle")
	a.waitFor("without a key press", "EXITED:0")
	if log := s.errs.String(); !strings.Contains(log, "result=busy") || !strings.Contains(log, "result=idle") {
		t.Errorf("server log lacks the busy and idle ends:\n%s", log)
	}
}

// TestServeBinary: the built binary refuses a non-loopback address without
// --authorized-keys, and on SIGTERM tells its sessions, closes them after
// the grace period and exits 0.
func TestServeBinary(t *testing.T) {
	needSSH(t)
	bin := binary(t)
	dir := t.TempDir()
	var errb bytes.Buffer
	cmd := exec.Command(bin, "serve", "--listen", "0.0.0.0:0", "--host-key", filepath.Join(dir, "hk"), "--reports-dir", dir)
	cmd.Stderr = &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 ||
		!strings.Contains(errb.String(), "--authorized-keys") {
		t.Errorf("non-loopback without keys: %v, want exit 2 and one line naming --authorized-keys:\n%s", err, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "hk")); err == nil {
		t.Errorf("the refused start created a host key")
	}

	srv := exec.Command(bin, "serve", "--demo", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "hk"),
		"--reports-dir", dir, "--grace", "2s")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var srvErr syncBuffer
	srv.Stderr = &srvErr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	first := make([]byte, 4096)
	n, _ := io.ReadAtLeast(stdout, first, 1)
	addr := regexp.MustCompile(`listening on (\S+)`).FindStringSubmatch(string(first[:n]))
	if addr == nil {
		t.Fatalf("no address in the start message:\n%s", first[:n])
	}
	go io.Copy(io.Discard, stdout)
	s := &served{t: t, dir: dir, addr: addr[1]}
	_, s.port, _ = net.SplitHostPort(s.addr)
	s.knownHost = writeKnownHost(t, filepath.Join(dir, "hk"), s.addr, filepath.Join(dir, "known_hosts"))
	if st, err := os.Stat(filepath.Join(dir, "hk")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v, mode %v, want 0600", err, st.Mode().Perm())
	}
	key := clientKey(t, dir, "k")
	p := s.client("sigterm", key, "dana", 100, 30, []string{"LANG=C.UTF-8"})
	p.waitFor("1/13")
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.at("told")
	p.waitFor("The server is stopping")
	p.at("closed")
	p.waitFor("The server stopped", "EXITED:0")
	if err := srv.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want exit 0\n%s", err, srvErr.String())
	}
	if !strings.Contains(srvErr.String(), "result=shutdown") {
		t.Errorf("server log lacks the session's end:\n%s", srvErr.String())
	}
}

// TestServeLeaveMidPoll: a client that goes away while its sign-in is
// polling stops that polling at once: the server's goroutines return to
// their count before the session. The server runs in real mode against
// one simulated tenant that outlives the session (as Microsoft does), so
// only the session's own context can stop the polling.
func TestServeLeaveMidPoll(t *testing.T) {
	needSSH(t)
	tenant, err := demo.StartTenant(demo.TenantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, tenant.CA().CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--authority", tenant.URL(), "--graph-url", tenant.URL(), "--ca-file", caFile)
	base := runtime.NumGoroutine()
	key := clientKey(t, s.dir, "k")
	c := s.client("carol", key, "carol", 100, 30, []string{"LANG=C.UTF-8"})
	walkToCode(c.pane)
	c.waitFor("Waiting for the sign-in")
	if runtime.NumGoroutine() <= base {
		t.Fatalf("no goroutine for the polling session (%d, %d before): the count proves nothing", runtime.NumGoroutine(), base)
	}
	c.close()
	goroutinesBack(t, base, "after the client left mid-poll")
	if log := s.errs.String(); !strings.Contains(log, "user=carol") || !strings.Contains(log, "result=disconnected") {
		t.Errorf("server log lacks the session's end:\n%s", log)
	}
}

// TestServeColourPerSession: colour follows each client — one that sends
// NO_COLOR gets none, the other at the same time gets colours — whatever
// the server's own terminal is.
func TestServeColourPerSession(t *testing.T) {
	s := startServe(t, "--demo")
	key := clientKey(t, s.dir, "k")
	plain := s.client("plain", key, "plain", 80, 24, []string{"LANG=C.UTF-8", "NO_COLOR=1"})
	plain.tc.noColor = true // every capture fails on a colour
	colour := s.client("colour", key, "colour", 80, 24, []string{"LANG=C.UTF-8"})
	plain.waitFor("1/13")
	colour.waitFor("1/13")
	if c := colourSGR(colour.tmux("capture-pane", "-p", "-e", "-t", "e2e")); c == "" {
		t.Errorf("the session without NO_COLOR shows no colour")
	}
	plain.keys("Enter")
	plain.waitFor("2/13")
}
