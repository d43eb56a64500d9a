// Command sshload measures what idle sessions cost mfpmail serve: it opens
// N SSH sessions one after another with golang.org/x/crypto/ssh, each with
// a pty (80×24, xterm-256color), walks each to the sign-in screen, and
// leaves them all waiting there. It reports connect → first frame for each
// session, the server's RSS before and with N sessions, the CPU time the
// server spends per idle session, and the bytes each idle session gets a
// minute. Linux only (reads /proc/PID).
//
//	mfpmail serve --demo --listen 127.0.0.1:2222 &
//	go run ./scripts/sshload -addr 127.0.0.1:2222 -pid $! -n 50 -window 60s
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"mfpmail/scripts/internal/screen"
)

type session struct {
	client     *ssh.Client
	sess       *ssh.Session
	in         interface{ Write([]byte) (int, error) }
	bytes      atomic.Int64
	mu         sync.Mutex
	scr        *screen.Screen // what the client's terminal shows
	seen       chan struct{}  // pinged on every read
	firstFrame time.Duration
}

func main() {
	addr := flag.String("addr", "127.0.0.1:2222", "mfpmail serve's address")
	pid := flag.Int("pid", 0, "the server's process id (for RSS and CPU from /proc)")
	n := flag.Int("n", 50, "sessions to open")
	window := flag.Duration("window", 60*time.Second, "how long to measure the idle sessions")
	settle := flag.Duration("settle", 5*time.Second, "wait this long after the last session reached the sign-in screen")
	lang := flag.String("lang", "C.UTF-8", "LANG sent with each session")
	args := flag.String("args", "--approve-after 0", "wizard flags sent after -- (the simulated user must not sign in)")
	keyFile := flag.String("key", "", "private key file, if the server wants --authorized-keys (default: a throwaway key)")
	probes := flag.Int("probes", 10, "connect → first frame is measured this many times with no session open and with N-1 open")
	flag.Parse()
	if err := run(*addr, *pid, *n, *probes, *window, *settle, *lang, *args, *keyFile); err != nil {
		fmt.Fprintln(os.Stderr, "sshload:", err)
		os.Exit(1)
	}
}

func run(addr string, pid, n, probes int, window, settle time.Duration, lang, args, keyFile string) error {
	signer, err := clientSigner(keyFile)
	if err != nil {
		return err
	}
	cfg := &ssh.ClientConfig{User: "load", Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second}
	rss0, _ := procRSS(pid)
	alone, err := probe(addr, cfg, lang, args, probes)
	if err != nil {
		return err
	}
	sessions, loaded, err := openAll(addr, cfg, lang, args, n, probes)
	defer func() {
		for _, s := range sessions {
			s.sess.Close()
			s.client.Close()
		}
	}()
	if err != nil {
		return err
	}
	time.Sleep(settle)
	rss1, _ := procRSS(pid)
	cpu0, _ := procCPU(pid)
	b0 := total(sessions)
	t0 := time.Now()
	time.Sleep(window)
	elapsed := time.Since(t0)
	cpu1, _ := procCPU(pid)
	b1 := total(sessions)
	rss2, _ := procRSS(pid)

	printTable(n, pid, alone, loaded, rss0, rss1, rss2, cpu1-cpu0, elapsed, settle, float64(b1-b0)/elapsed.Minutes()/float64(n))
	return nil
}

// openAll opens n sessions and walks each to the sign-in screen; the
// first frame of the last one is probed with the others waiting.
func openAll(addr string, cfg *ssh.ClientConfig, lang, args string, n, probes int) (sessions []*session, loaded []time.Duration, err error) {
	for i := range n {
		if i == n-1 {
			// The N-th session's first frame, with N-1 sessions waiting.
			if loaded, err = probe(addr, cfg, lang, args, probes); err != nil {
				return sessions, nil, err
			}
		}
		s, err := open(addr, cfg, lang, args)
		if err != nil {
			return sessions, nil, fmt.Errorf("session %d: %w", i+1, err)
		}
		sessions = append(sessions, s)
		if err := s.walkToSignIn(); err != nil {
			return sessions, nil, fmt.Errorf("session %d: %w", i+1, err)
		}
	}
	return sessions, loaded, nil
}

// printTable writes the figures as a Markdown table.
func printTable(n, pid int, alone, loaded []time.Duration, rss0, rss1, rss2 int64, cpu, elapsed, settle time.Duration, perMin float64) {
	fmt.Printf("| measurement (%d sessions idle on the sign-in screen, pty 80×24) | value |\n|---|---|\n", n)
	fmt.Printf("| connect → first frame, no other session (%d connections) | median %.1f ms, max %.1f ms |\n",
		len(alone), ms(alone[len(alone)/2]), ms(alone[len(alone)-1]))
	fmt.Printf("| connect → first frame of session %d, %d others waiting (%d connections) | median %.1f ms, max %.1f ms |\n",
		n, n-1, len(loaded), ms(loaded[len(loaded)/2]), ms(loaded[len(loaded)-1]))
	if pid > 0 {
		fmt.Printf("| server RSS, no session | %.1f MiB |\n", mib(rss0))
		fmt.Printf("| server RSS, %d sessions (after %s settle / after the window) | %.1f MiB / %.1f MiB |\n", n, settle, mib(rss1), mib(rss2))
		fmt.Printf("| RSS per added session | %.2f MiB |\n", mib(rss2-rss0)/float64(n))
		fmt.Printf("| server CPU over %s (utime+stime) | %.2f s = %.2f %% of one core |\n", elapsed.Round(time.Second), cpu.Seconds(), 100*cpu.Seconds()/elapsed.Seconds())
		fmt.Printf("| CPU per idle session | %.3f %% of one core |\n", 100*cpu.Seconds()/elapsed.Seconds()/float64(n))
	}
	fmt.Printf("| bytes to each idle session | %.0f B/min |\n", perMin)
}

// probe opens k sessions one at a time, each closed after its first
// frame, and returns their connect → first frame times, sorted.
func probe(addr string, cfg *ssh.ClientConfig, lang, args string, k int) ([]time.Duration, error) {
	var out []time.Duration
	for range max(1, k) {
		s, err := open(addr, cfg, lang, args)
		if s != nil {
			s.sess.Close()
			s.client.Close()
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s.firstFrame)
		time.Sleep(200 * time.Millisecond)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

func open(addr string, cfg *ssh.ClientConfig, lang, args string) (*session, error) {
	start := time.Now()
	client, err := ssh.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	s := &session{client: client, sess: sess, seen: make(chan struct{}, 1), scr: screen.New(80, 24)}
	_ = sess.Setenv("LANG", lang)
	if err := sess.RequestPty("xterm-256color", 24, 80, ssh.TerminalModes{}); err != nil {
		client.Close()
		return nil, err
	}
	in, err := sess.StdinPipe()
	if err != nil {
		client.Close()
		return nil, err
	}
	s.in = in
	out, err := sess.StdoutPipe()
	if err != nil {
		client.Close()
		return nil, err
	}
	if args == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(args)
	}
	if err != nil {
		client.Close()
		return nil, err
	}
	go s.read(out)
	if err := s.waitFor("1/13"); err != nil {
		return s, err
	}
	s.firstFrame = time.Since(start)
	return s, nil
}

// read counts what the server sends and applies it to the screen.
func (s *session) read(out io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		k, err := out.Read(buf)
		if k > 0 {
			s.bytes.Add(int64(k))
			s.mu.Lock()
			_, _ = s.scr.Write(buf[:k])
			s.mu.Unlock()
			select {
			case s.seen <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// waitFor waits until the screen shows text. The screen, not the byte
// stream: Bubble Tea v2 writes only the cells that changed.
func (s *session) waitFor(text string) error {
	deadline := time.After(30 * time.Second)
	for {
		s.mu.Lock()
		shown := s.scr.Text()
		s.mu.Unlock()
		if strings.Contains(shown, text) {
			return nil
		}
		select {
		case <-s.seen:
		case <-deadline:
			return fmt.Errorf("%q did not show within 30 s; the screen:\n%s", text, shown)
		}
	}
}

// walkToSignIn presses Enter through the seven screens before the sign-in
// and waits for its countdown.
func (s *session) walkToSignIn() error {
	for step := 2; step <= 8; step++ {
		if _, err := s.in.Write([]byte("\r")); err != nil {
			return err
		}
		if err := s.waitFor(strconv.Itoa(step) + "/13"); err != nil {
			return err
		}
	}
	return s.waitFor("expires in")
}

func total(ss []*session) int64 {
	var t int64
	for _, s := range ss {
		t += s.bytes.Load()
	}
	return t
}

func clientSigner(keyFile string) (ssh.Signer, error) {
	if keyFile != "" {
		data, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, err
		}
		return ssh.ParsePrivateKey(data)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

// procRSS is the process's resident set (VmRSS) in bytes.
func procRSS(pid int) (int64, error) {
	if pid <= 0 {
		return 0, nil
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// procCPU is the process's user+system CPU time (clock ticks of 1/100 s).
func procCPU(pid int) (time.Duration, error) {
	if pid <= 0 {
		return 0, nil
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name in parentheses; utime and stime are
	// the 14th and 15th fields of the whole line.
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mib(b int64) float64        { return float64(b) / (1 << 20) }
