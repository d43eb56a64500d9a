package corpus

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// SMTPServer is a loopback SMTP server that behaves like Exchange Online's
// submission endpoint (STARTTLS, then AUTH XOAUTH2) and answers with the
// given reply at one stage: greeting, ehlo, starttls, auth, mail, rcpt or
// data. Every other command gets an ordinary success.
type SMTPServer struct {
	Port  int
	CAPEM []byte // the CA that signed its certificate

	ln    net.Listener
	cfg   *tls.Config
	stage string
	reply []string
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

// StartSMTP starts a replay server for one test and stops it when the
// test ends.
func StartSMTP(tb testing.TB, stage string, reply []string) *SMTPServer {
	tb.Helper()
	cfg, caPEM, err := loopbackTLS()
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &SMTPServer{Port: ln.Addr().(*net.TCPAddr).Port, CAPEM: caPEM, ln: ln, cfg: cfg, stage: stage, reply: reply}
	s.wg.Add(1)
	go s.accept()
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and every connection it holds.
func (s *SMTPServer) Close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *SMTPServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c)
		}()
	}
}

// session is one client connection.
type session struct {
	conn net.Conn
	r    *bufio.Reader
	tls  bool
}

func (ss *session) say(lines ...string) {
	for _, l := range lines {
		io.WriteString(ss.conn, l+"\r\n")
	}
}

// replay sends the corpus reply; true when it ends the session (a 421 or
// a refused greeting closes the connection, as RFC 5321 §3.8 has it).
func (s *SMTPServer) replay(ss *session, at string) (sent, closed bool) {
	if at != s.stage {
		return false, false
	}
	ss.say(s.reply...)
	last := s.reply[len(s.reply)-1]
	return true, at == "greeting" || strings.HasPrefix(last, "421")
}

func (s *SMTPServer) serve(c net.Conn) {
	ss := &session{conn: c, r: bufio.NewReader(c)}
	if sent, closed := s.replay(ss, "greeting"); closed {
		return
	} else if !sent {
		ss.say("220 replay.example Microsoft ESMTP MAIL Service ready")
	}
	for {
		l, err := ss.r.ReadString('\n')
		if err != nil {
			return
		}
		if !s.command(ss, strings.TrimRight(l, "\r\n")) {
			return
		}
	}
}

// command answers one command; false ends the session.
func (s *SMTPServer) command(ss *session, l string) bool {
	f := strings.Fields(l)
	verb := ""
	if len(f) > 0 {
		verb = strings.ToUpper(f[0])
	}
	stage := map[string]string{"EHLO": "ehlo", "HELO": "ehlo", "STARTTLS": "starttls", "AUTH": "auth",
		"MAIL": "mail", "RCPT": "rcpt"}[verb]
	if verb == "AUTH" && len(f) == 2 {
		ss.say("334 ")
		if _, err := ss.r.ReadString('\n'); err != nil {
			return false
		}
	}
	if verb == "DATA" {
		return s.data(ss)
	}
	if stage != "" && !(stage == "ehlo" && ss.tls) {
		if sent, closed := s.replay(ss, stage); sent {
			return !closed
		}
	}
	switch verb {
	case "EHLO", "HELO":
		if ss.tls {
			ss.say("250-replay.example Hello [127.0.0.1]", "250-SIZE 157286400", "250-ENHANCEDSTATUSCODES", "250 AUTH LOGIN XOAUTH2")
		} else {
			ss.say("250-replay.example Hello [127.0.0.1]", "250-SIZE 157286400", "250-ENHANCEDSTATUSCODES", "250 STARTTLS")
		}
	case "STARTTLS":
		ss.say("220 2.0.0 SMTP server ready")
		tc := tls.Server(ss.conn, s.cfg)
		if tc.Handshake() != nil {
			return false
		}
		ss.conn, ss.r, ss.tls = tc, bufio.NewReader(tc), true
	case "AUTH":
		ss.say("235 2.7.0 Authentication successful")
	case "MAIL":
		ss.say("250 2.1.0 Sender OK")
	case "RCPT":
		ss.say("250 2.1.5 Recipient OK")
	case "QUIT":
		ss.say("221 2.0.0 Service closing transmission channel")
		return false
	default:
		ss.say("250 2.0.0 OK")
	}
	return true
}

// data reads the message and answers at its end.
func (s *SMTPServer) data(ss *session) bool {
	ss.say("354 Start mail input; end with <CRLF>.<CRLF>")
	for {
		l, err := ss.r.ReadString('\n')
		if err != nil {
			return false
		}
		if strings.TrimRight(l, "\r\n") == "." {
			break
		}
	}
	if sent, closed := s.replay(ss, "data"); sent {
		return !closed
	}
	ss.say("250 2.6.0 <test@replay.example> Queued mail for delivery")
	return true
}
