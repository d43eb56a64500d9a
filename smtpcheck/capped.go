package smtpcheck

import (
	"errors"
	"io"
)

// Caps on what a server can make the test send hold. A real server's
// longest reply is its EHLO answer, some twenty lines.
const (
	MaxReplyLines      = 100      // lines in one reply
	MaxReplyBytes      = 64 << 10 // bytes in one reply
	MaxTranscriptLines = 1000     // lines kept in a transcript; the rest are counted
)

// ErrEndlessReply: a reply went past MaxReplyLines or MaxReplyBytes. The
// session stops reading there, so memory stays bounded whatever the
// server sends.
var ErrEndlessReply = errors.New("smtpcheck: the server sent an endless reply")

// replyCap follows the replies in a stream of server bytes and says when
// the one being received goes past the caps. A reply ends with a line
// whose fourth character is not '-' (RFC 5321 §4.2.1).
type replyCap struct {
	lines int   // complete lines of the current reply
	size  int   // bytes of the current reply
	col   int   // bytes of the current line so far
	sep   byte  // the current line's fourth byte, once seen
	err   error // sticky: once past the caps, always past
}

// feed takes the next bytes; it returns ErrEndlessReply from the first
// call whose bytes take a reply past the caps, and on every call after.
func (c *replyCap) feed(b []byte) error {
	if c.err != nil {
		return c.err
	}
	for _, x := range b {
		c.size++
		if c.size > MaxReplyBytes {
			c.err = ErrEndlessReply
			return c.err
		}
		if c.col == 3 {
			c.sep = x
		}
		c.col++
		if x != '\n' {
			continue
		}
		if c.col >= 5 && c.sep == '-' {
			c.lines++ // a continuation line: the reply goes on
		} else {
			c.lines, c.size = 0, 0 // a final line ends the reply
		}
		c.col, c.sep = 0, 0
		if c.lines >= MaxReplyLines {
			c.err = ErrEndlessReply
			return c.err
		}
	}
	return nil
}

// cappedReader passes on a server's bytes until a reply goes past the
// caps; the read that would take it past returns ErrEndlessReply and no
// bytes, and so does every read after it.
type cappedReader struct {
	r   io.Reader
	cap replyCap
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.cap.err != nil {
		return 0, c.cap.err
	}
	n, err := c.r.Read(p)
	if n > 0 {
		if cerr := c.cap.feed(p[:n]); cerr != nil {
			return 0, cerr
		}
	}
	return n, err
}
