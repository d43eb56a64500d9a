package smtpcheck

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
)

// Direction says who produced a transcript line.
type Direction int

const (
	Sent     Direction = iota // the wizard to the server ("C:")
	Received                  // the server to the wizard ("S:")
	Info                      // a note by the wizard, not on the wire ("*:")
)

// String is the transcript marker: "C", "S" or "*".
func (d Direction) String() string {
	switch d {
	case Sent:
		return "C"
	case Received:
		return "S"
	}
	return "*"
}

// Line is one transcript line. Text never holds the access token: the AUTH
// command and the answer to a 334 are replaced by "<redacted>". Text is
// cleaned (see package untrusted): what the server sent can be shown and
// written anywhere as it is.
type Line struct {
	Time time.Time
	Dir  Direction
	Text string

	raw string // the line as sent, redacted, at most maxRawLine bytes
}

// maxRawLine caps the bytes of a line kept for the support log.
const maxRawLine = 4 << 10

// newLine builds a transcript line from redacted text: Text cleaned for
// any screen or file, the original kept for Quoted.
func newLine(at time.Time, dir Direction, text string) Line {
	raw := text
	if len(raw) > maxRawLine {
		raw = raw[:maxRawLine]
	}
	return Line{Time: at, Dir: dir, Text: untrusted.Line(text), raw: raw}
}

// String formats the line as "10:45:07.123 C: EHLO mfpmail.localhost".
func (l Line) String() string {
	return l.Time.Format("15:04:05.000") + " " + l.Dir.String() + ": " + l.Text
}

// Quoted formats the line for the support log with the text as sent, Go
// quoted: `10:45:07.123 S: "220 \x1b]0;…"`. It holds no token either.
func (l Line) Quoted() string {
	raw := l.raw
	if raw == "" {
		raw = l.Text
	}
	return l.Time.Format("15:04:05.000") + " " + l.Dir.String() + ": " + strconv.Quote(raw)
}

const redacted = "<redacted>"

// transcript turns the byte streams of both directions into lines, redacts
// secrets, summarises the message body and keeps every complete server
// reply. Send feeds it from one goroutine; the mutex only guards snapshots.
type transcript struct {
	mu      sync.Mutex
	now     func() time.Time
	onLine  func(Line)
	lang    assets.Lang
	secrets []string

	lines   []Line
	dropped int       // lines past MaxTranscriptLines, counted only
	partial [2][]byte // unterminated bytes per direction (Sent, Received)

	replyLines     []string
	replies        []Reply
	lastCmd        string // verb of the last command sent, upper case
	afterChallenge bool   // the last reply was a 334: the next sent line is a SASL response
	inData         bool   // between the 354 and the final "."
	inHeaders      bool
	bodyLines      int
}

func newTranscript(now func() time.Time, onLine func(Line), lang assets.Lang, secrets ...string) *transcript {
	t := &transcript{now: now, onLine: onLine, lang: lang}
	for _, s := range secrets {
		// Short strings would mangle innocent text; real secrets are long.
		if len(s) >= 8 {
			t.secrets = append(t.secrets, s)
		}
	}
	return t
}

// write takes raw bytes in one direction and emits each complete line.
func (t *transcript) write(dir Direction, b []byte) {
	if dir != Sent && dir != Received {
		return
	}
	t.partial[dir] = append(t.partial[dir], b...)
	for {
		i := bytes.IndexByte(t.partial[dir], '\n')
		if i < 0 {
			break
		}
		text := strings.TrimSuffix(string(t.partial[dir][:i]), "\r")
		t.partial[dir] = t.partial[dir][i+1:]
		t.line(dir, text)
	}
	if len(t.partial[dir]) == 0 {
		t.partial[dir] = nil // drop the backing array, which may hold the token
	}
}

// flush emits what is left of unterminated lines (a server that closed the
// connection mid-line) and forgets partial client bytes.
func (t *transcript) flush() {
	if len(t.partial[Received]) > 0 {
		t.line(Received, strings.TrimSuffix(string(t.partial[Received]), "\r"))
	}
	t.partial = [2][]byte{}
}

func (t *transcript) line(dir Direction, text string) {
	if dir == Received {
		t.replyLines = append(t.replyLines, text)
		if len(text) < 4 || text[3] != '-' {
			if r, err := ParseReply(t.replyLines); err == nil {
				t.replies = append(t.replies, r)
				t.afterChallenge = r.Code == 334
				if r.Code == 354 {
					t.inData, t.inHeaders, t.bodyLines = true, true, 0
				}
			}
			t.replyLines = nil
		}
		t.emit(Received, text)
		return
	}

	if t.inData {
		switch {
		case text == ".":
			if t.bodyLines > 0 {
				t.emit(Info, assets.T(t.lang, "smtp.info.body", "n", strconv.Itoa(t.bodyLines)))
			}
			t.inData = false
			t.emit(Sent, text)
		case t.inHeaders && text == "":
			t.inHeaders = false
		case t.inHeaders:
			t.emit(Sent, text)
		default:
			t.bodyLines++
		}
		return
	}
	f := strings.Fields(text)
	switch {
	case len(f) > 2 && strings.EqualFold(f[0], "AUTH"):
		// "AUTH XOAUTH2 <initial response>": the response holds the token.
		text = f[0] + " " + f[1] + " " + redacted
		t.lastCmd = "AUTH"
	case t.afterChallenge:
		// A SASL response. Empty and "*" (cancel) hold nothing secret.
		if text != "" && text != "*" {
			text = redacted
		}
	case len(f) > 0:
		t.lastCmd = strings.ToUpper(f[0])
	}
	t.afterChallenge = false
	t.emit(Sent, text)
}

func (t *transcript) info(text string) { t.emit(Info, text) }

func (t *transcript) emit(dir Direction, text string) {
	for _, s := range t.secrets {
		text = strings.ReplaceAll(text, s, redacted)
	}
	l := newLine(t.now(), dir, text)
	t.mu.Lock()
	if len(t.lines) >= MaxTranscriptLines {
		t.dropped++
		t.mu.Unlock()
		return
	}
	t.lines = append(t.lines, l)
	t.mu.Unlock()
	if t.onLine != nil {
		t.notify(l)
	}
}

// notify calls OnLine; a callback that panics is not called again.
func (t *transcript) notify(l Line) {
	defer func() {
		if recover() != nil {
			t.onLine = nil
		}
	}()
	t.onLine(l)
}

// scrub removes secrets from any text bound for the Result.
func (t *transcript) scrub(s string) string {
	for _, sec := range t.secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	return s
}

// snapshot is the transcript so far; past MaxTranscriptLines, a last
// line says how many were not kept.
func (t *transcript) snapshot() []Line {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]Line(nil), t.lines...)
	if t.dropped > 0 {
		out = append(out, newLine(t.now(), Info, assets.T(t.lang, "smtp.info.not-kept", "n", strconv.Itoa(t.dropped))))
	}
	return out
}

// lastReply is the last complete reply received, if any.
func (t *transcript) lastReply() (Reply, bool) {
	if len(t.replies) == 0 {
		return Reply{}, false
	}
	return t.replies[len(t.replies)-1], true
}

// logConn wraps the TCP connection. go-smtp (v0.26) attaches its
// DebugWriter only after STARTTLS, when DialStartTLS/NewClientStartTLS have
// already greeted and said EHLO, so while logging is on this wrapper
// records the plain-text part of the session itself, with directions. It also caps
// every deadline go-smtp sets at maxWait from now: go-smtp's own
// CommandTimeout (5 min) already applies to the greeting and first EHLO
// inside NewClientStartTLS, before the caller can lower it.
//
// While logging is on the bytes are plain text, and a reply past the caps
// ends the read with ErrEndlessReply (after STARTTLS, tlsSink does that).
type logConn struct {
	net.Conn
	tr      *transcript
	maxWait time.Duration
	logging atomic.Bool
	writes  atomic.Uint64 // Write calls on the TCP connection, logged or not
	plain   *cappedReader // reads the plain-text part, capped
}

func newLogConn(raw net.Conn, tr *transcript, maxWait time.Duration) *logConn {
	c := &logConn{Conn: raw, tr: tr, maxWait: maxWait, plain: &cappedReader{r: raw}}
	c.logging.Store(true)
	return c
}

func (c *logConn) Read(b []byte) (int, error) {
	if !c.logging.Load() {
		return c.Conn.Read(b) // TLS records: the plain text is capped in tlsSink
	}
	n, err := c.plain.Read(b)
	if n > 0 {
		c.tr.write(Received, b[:n])
	}
	return n, err
}

func (c *logConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	n, err := c.Conn.Write(b)
	if n > 0 && c.logging.Load() {
		c.tr.write(Sent, b[:n])
	}
	return n, err
}

func (c *logConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.cap(t)) }
func (c *logConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.cap(t)) }
func (c *logConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.cap(t)) }

func (c *logConn) cap(t time.Time) time.Time {
	if t.IsZero() || c.maxWait <= 0 {
		return t
	}
	if limit := time.Now().Add(c.maxWait); t.After(limit) {
		return limit
	}
	return t
}

// tlsSink is go-smtp's DebugWriter after STARTTLS. go-smtp (v0.26.0) sends
// both directions to the one writer without saying which is which; it calls
// it right after writing to the TLS connection (io.MultiWriter) or right
// after reading from it (io.TeeReader). A write of plain text always writes
// to the TCP connection below, a read normally does not, so a change in
// logConn's write count tells the direction.
//
// go-smtp reads through io.TeeReader into this writer, so an error from
// Write fails the read: a reply past the caps ends there with
// ErrEndlessReply, as it does before STARTTLS.
type tlsSink struct {
	conn *logConn
	seen uint64
	cap  replyCap
}

func (s *tlsSink) Write(b []byte) (int, error) {
	dir := Received
	if w := s.conn.writes.Load(); w != s.seen {
		s.seen, dir = w, Sent
	}
	if dir == Received {
		if err := s.cap.feed(b); err != nil {
			return 0, err
		}
	}
	s.conn.tr.write(dir, b)
	return len(b), nil
}
