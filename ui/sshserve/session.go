package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	bm "charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/colorprofile"
)

// Results, as the log names how a session ended.
const (
	resultQuit         = "quit"         // the technician quit the wizard
	resultInterrupted  = "interrupted"  // the technician pressed Ctrl+C
	resultIdle         = "idle"         // no key press for the idle timeout
	resultDisconnected = "disconnected" // the client went away
	resultShutdown     = "shutdown"     // the server stopped
	resultBusy         = "busy"         // --max-sessions reached
	resultNoPty        = "no-pty"       // no terminal asked for
	resultRefused      = "refused"      // a command other than the wizard
	resultBadArgs      = "bad-args"     // a bad flag after --
	resultError        = "error"
)

// middleware is the whole session: checks, then one program.
func (s *Server) middleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		// The shutdown waits for every session to have said goodbye and
		// sent its exit status, not only for its program to end.
		s.mu.Lock()
		if s.stopping {
			s.mu.Unlock()
			_ = sess.Exit(1)
			return
		}
		s.wg.Add(1)
		s.mu.Unlock()
		defer s.wg.Done()
		start := time.Now()
		n := s.n.Add(1)
		user, remote := cleanField(sess.User()), sess.RemoteAddr().String()
		s.o.Log.Info("session start", "n", n, "user", user, "remote", remote)
		result, code := s.serve(sess, n)
		s.o.Log.Info("session end", "n", n, "user", user, "remote", remote,
			"duration", time.Since(start).Round(time.Second).String(), "result", result)
		_ = sess.Exit(code)
		next(sess)
	}
}

// serve runs one session and says how it ended, and its exit status.
func (s *Server) serve(sess ssh.Session, n int64) (result string, exit int) {
	env := sess.Environ()
	say := func(key string, kv ...string) {
		fmt.Fprint(sess.Stderr(), s.o.Text(env, key, kv...)+"\r\n")
	}
	args := sess.Command()
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		say("serve.exec_refused", "command", cleanField(args[0]))
		return resultRefused, 1
	}
	pty, winCh, ok := sess.Pty()
	if !ok {
		say("serve.no_pty")
		return resultNoPty, 1
	}
	if !s.enter() {
		say("serve.busy", "max", fmt.Sprint(s.o.MaxSessions))
		return resultBusy, 1
	}
	defer s.leave()

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	model, release, err := s.o.Program(Session{N: n, User: sess.User(), Remote: sess.RemoteAddr().String(),
		Args: args, Env: env, Term: pty.Term, Output: sess, Ctx: ctx})
	if err != nil {
		var ue UsageError
		if errors.As(err, &ue) {
			fmt.Fprint(sess.Stderr(), "mfpmail: "+ue.UsageLine()+"\r\n")
			return resultBadArgs, 2
		}
		fmt.Fprint(sess.Stderr(), "mfpmail: "+err.Error()+"\r\n")
		return resultError, 1
	}
	defer release()
	return s.run(ctx, cancel, sess, model, winCh, env)
}

// run is the session's program: input through the idle watch, output to
// the client, window changes forwarded, ended by quit, idle, the client
// leaving or the server stopping.
func (s *Server) run(ctx context.Context, cancel context.CancelFunc, sess ssh.Session, model tea.Model,
	winCh <-chan ssh.Window, env []string) (string, int) {
	sm := &sessionModel{inner: model, text: func(k string, kv ...string) string { return s.o.Text(env, k, kv...) }}
	in := &idleReader{r: sess}
	p := tea.NewProgram(sm, programOptions(ctx, sess, in, env)...)
	if s.o.IdleTimeout > 0 {
		in.mu.Lock()
		in.d = s.o.IdleTimeout
		in.timer = time.AfterFunc(in.d, func() { p.Send(endMsg{result: resultIdle}) })
		in.mu.Unlock()
		defer in.stop()
	}
	if !s.register(p) {
		return resultShutdown, 0
	}
	defer s.unregister(p)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case w, ok := <-winCh:
				if !ok {
					return
				}
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	_, err := p.Run()
	cancel()
	wg.Wait()
	result := sm.result
	switch {
	case errors.Is(err, tea.ErrProgramPanic):
		return resultError, 1
	case errors.Is(err, tea.ErrInterrupted) && sess.Context().Err() == nil:
		// Ctrl+C (Bubble Tea reports it as a kill too): as on a local
		// terminal, what was lost, and exit status 130.
		if im, ok := sm.inner.(interface{ Interrupted() string }); ok {
			fmt.Fprint(sess.Stderr(), "mfpmail: "+im.Interrupted()+"\r\n")
		}
		return resultInterrupted, 130
	case errors.Is(err, tea.ErrProgramKilled) || sess.Context().Err() != nil:
		return resultDisconnected, 0
	case err != nil:
		return resultError, 1
	case result == "":
		result = resultQuit
	}
	switch result {
	case resultIdle:
		fmt.Fprint(sess, s.o.Text(env, "serve.idle", "idle", s.o.IdleTimeout.String())+"\r\n")
	case resultShutdown:
		fmt.Fprint(sess, s.o.Text(env, "serve.stopped")+"\r\n")
	}
	return result, 0
}

// programOptions are Wish's for the session (its output, environment,
// window size, and a colour profile from the client's TERM and
// COLORTERM), with the client's input read through the idle watch.
// NO_COLOR with any value turns colour off, as no-color.org asks (Wish
// only honours values that read as true).
func programOptions(ctx context.Context, sess ssh.Session, in io.Reader, env []string) []tea.ProgramOption {
	opts := append(bm.MakeOptions(sess), tea.WithInput(in), tea.WithContext(ctx), tea.WithoutSignalHandler())
	if noColor(env) {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	return opts
}

// noColor reports whether the client asked for no colour: NO_COLOR set
// to any non-empty value.
func noColor(env []string) bool { return Getenv(env, "")("NO_COLOR") != "" }

// enter counts a session in, unless the server is full or stopping.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping || (s.o.MaxSessions > 0 && s.active.Load() >= int64(s.o.MaxSessions)) {
		return false
	}
	s.active.Add(1)
	return true
}

func (s *Server) leave() { s.active.Add(-1) }

func (s *Server) register(p *tea.Program) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return false
	}
	s.programs[p] = struct{}{}
	return true
}

func (s *Server) unregister(p *tea.Program) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.programs, p)
}

// idleReader is the client's input; every read (a key press, a paste)
// restarts the idle timer.
type idleReader struct {
	r     io.Reader
	mu    sync.Mutex
	timer *time.Timer
	d     time.Duration
}

func (i *idleReader) Read(b []byte) (int, error) {
	n, err := i.r.Read(b)
	if n > 0 {
		i.mu.Lock()
		if i.timer != nil {
			i.timer.Reset(i.d)
		}
		i.mu.Unlock()
	}
	return n, err
}

func (i *idleReader) stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.timer != nil {
		i.timer.Stop()
	}
}

// cleanField keeps a client-chosen name fit for a log line or a file
// name: letters, digits and . _ - only, at most 32.
func cleanField(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 32 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}

// CleanName is cleanField for callers building file names.
func CleanName(s string) string { return cleanField(s) }
