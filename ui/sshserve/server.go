// Package sshserve serves the wizard over SSH (mfpmail serve): one Bubble
// Tea program per SSH session with a terminal, each with its own colour profile,
// language, terminal facts, window size, context and (in the demo) its own
// simulated tenant. Nothing else is offered: no shell, no other command,
// no port or agent forwarding, no SFTP.
package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"
)

// Options configure the server. Listen, HostKey and Program are required.
type Options struct {
	Listen  string // host:port
	HostKey string // ed25519 key file, created on first start
	// AuthorizedKeys: the OpenSSH authorized_keys file of the clients
	// allowed in (public keys only). "" lets any client in, which is
	// allowed on a loopback address only.
	AuthorizedKeys string
	MaxSessions    int           // more are told the server is busy; 0 = no limit
	IdleTimeout    time.Duration // a session with no key press this long ends; 0 = never
	// Grace is how long sessions are warned before a shutdown closes them.
	Grace time.Duration
	// Log gets one line per session start and end: user, remote address,
	// duration, result. Never a token, a code or a report.
	Log *slog.Logger
	// Program builds one session's wizard.
	Program ProgramFunc
	// Text is a text in the session's language (from its LANG/LC_*).
	Text func(env []string, key string, kv ...string) string
}

// Session is what the program of one SSH session is built from.
type Session struct {
	N      int64    // the session's number since the server started
	User   string   // SSH user name
	Remote string   // client address
	Args   []string // what the client sent after the host: wizard flags
	Env    []string // the client's environment (LANG, LC_*, NO_COLOR…)
	Term   string   // the terminal type from the pty request
	// Output is the client's terminal, the writer the program draws on:
	// the copy key (OSC 52) writes its one sequence there.
	Output io.Writer
	// Ctx ends when the session does (the client leaves, the program
	// quits, the server shuts down): the program's commands derive from it.
	Ctx context.Context
}

// UsageError is a bad flag after --: its message is one line for the
// client, and the session ends with exit status 2.
type UsageError interface{ UsageLine() string }

// ProgramFunc builds a session's model and what to release when the
// session ends (its simulated tenant).
type ProgramFunc func(s Session) (tea.Model, func(), error)

// Server is mfpmail serve's SSH server.
type Server struct {
	o           Options
	srv         *ssh.Server
	ln          net.Listener
	fingerprint string
	keyCreated  bool

	n      atomic.Int64 // sessions started
	active atomic.Int64 // sessions with a program

	mu       sync.Mutex
	programs map[*tea.Program]struct{}
	stopping bool
	wg       sync.WaitGroup
}

// CheckListen enforces the safe default: a non-loopback address needs an
// authorized_keys file. The error is the one line to print.
func CheckListen(listen, authorizedKeys string) error {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" {
		return fmt.Errorf("--listen %q: give host:port, e.g. 127.0.0.1:2222", listen)
	}
	if IsLoopback(host) || authorizedKeys != "" {
		return nil
	}
	return fmt.Errorf("--listen %q is reachable from other machines: give --authorized-keys FILE (the public keys allowed in), or listen on 127.0.0.1", listen)
}

// IsLoopback reports whether host names only this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// New checks the options, loads (or creates) the host key and starts
// listening; Serve then answers clients.
func New(o Options) (*Server, error) {
	if err := CheckListen(o.Listen, o.AuthorizedKeys); err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var keys []gossh.PublicKey
	if o.AuthorizedKeys != "" {
		var err error
		if keys, err = LoadAuthorizedKeys(o.AuthorizedKeys); err != nil {
			return nil, fmt.Errorf("--authorized-keys %q: %v", o.AuthorizedKeys, err)
		}
	}
	pemKey, signer, created, err := LoadHostKey(o.HostKey)
	if err != nil {
		return nil, fmt.Errorf("--host-key %q: %v", o.HostKey, err)
	}
	s := &Server{o: o, programs: map[*tea.Program]struct{}{}, keyCreated: created,
		fingerprint: Fingerprint(signer.PublicKey())}
	srv, err := wish.NewServer(s.options(pemKey, keys)...)
	if err != nil {
		return nil, err
	}
	lockDown(srv, o.IdleTimeout)
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %v", o.Listen, err)
	}
	s.srv, s.ln = srv, ln
	return s, nil
}

// options are the SSH server's: address, host key, the session
// middleware, and public-key authentication when keys are given.
func (s *Server) options(pemKey []byte, keys []gossh.PublicKey) []ssh.Option {
	opts := []ssh.Option{
		wish.WithAddress(s.o.Listen),
		wish.WithHostKeyPEM(pemKey),
		wish.WithMiddleware(s.middleware),
		// No pty is allocated on the server: the client's terminal is used
		// through the channel, so a session costs no file descriptors.
		ssh.EmulatePty(),
	}
	if s.o.AuthorizedKeys != "" {
		// Public keys only: no password or keyboard-interactive handler is
		// set, so those methods are not offered.
		opts = append(opts, wish.WithPublicKeyAuth(func(_ ssh.Context, k ssh.PublicKey) bool {
			for _, a := range keys {
				if ssh.KeysEqual(k, a) {
					return true
				}
			}
			return false
		}))
	}
	return opts
}

// lockDown leaves sessions only: port forwarding (-L, -R) and anything
// else a client asks of the connection is refused; no subsystem (SFTP)
// exists. A connection that never opens a session is dropped after the
// idle time; a session's own idle end (with its message) comes first.
func lockDown(srv *ssh.Server, idle time.Duration) {
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": func(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
		ssh.DefaultSessionHandler(srv, conn, noAgent{ch}, ctx)
	}}
	srv.RequestHandlers = map[string]ssh.RequestHandler{}
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	srv.LocalPortForwardingCallback = nil
	srv.ReversePortForwardingCallback = nil
	if idle > 0 {
		srv.IdleTimeout = idle + time.Minute
	}
}

// agentRequest is OpenSSH's request to forward the client's agent.
const agentRequest = "auth-agent-req@openssh.com"

// noAgent is a session channel on which agent forwarding is refused: the
// SSH library would answer yes to it (though it never opens the agent).
type noAgent struct{ gossh.NewChannel }

func (n noAgent) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := n.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for r := range reqs {
			if r.Type == agentRequest {
				_ = r.Reply(false, nil)
				continue
			}
			out <- r
		}
	}()
	return ch, out, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Fingerprint is the host key's SHA256 fingerprint.
func (s *Server) Fingerprint() string { return s.fingerprint }

// KeyCreated reports whether the host key was made by this start.
func (s *Server) KeyCreated() bool { return s.keyCreated }

// Active is the number of sessions running a program.
func (s *Server) Active() int { return int(s.active.Load()) }

// Serve answers clients until Shutdown or Close.
func (s *Server) Serve() error {
	err := s.srv.Serve(s.ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown tells every session the server is stopping, gives them
// o.Grace (or until ctx ends), then ends their programs and closes.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.stopping = true
	progs := make([]*tea.Program, 0, len(s.programs))
	for p := range s.programs {
		progs = append(progs, p)
	}
	s.mu.Unlock()
	s.ln.Close() // no new clients
	for _, p := range progs {
		p.Send(noticeMsg{kind: noticeShutdown, left: s.o.Grace})
	}
	if len(progs) > 0 && s.o.Grace > 0 {
		t := time.NewTimer(s.o.Grace)
		select {
		case <-t.C:
		case <-ctx.Done():
		case <-s.idle():
		}
		t.Stop()
	}
	s.mu.Lock()
	for p := range s.programs {
		p.Send(endMsg{result: resultShutdown})
	}
	s.mu.Unlock()
	// The programs say goodbye and their sessions close; then the server.
	done := s.idle()
	select {
	case <-done:
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
	}
	// The clients, told the exit status, hang up themselves; closing their
	// connections under them instead could reset them before they read it.
	hangUp, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(hangUp); err == nil {
		return nil
	}
	return s.srv.Close()
}

// idle is closed once no session is running a program.
func (s *Server) idle() <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(ch)
	}()
	return ch
}

// Close stops at once.
func (s *Server) Close() error {
	s.ln.Close()
	return s.srv.Close()
}
