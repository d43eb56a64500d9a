package smtpcheck

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-smtp"

	"mfpmail/internal/untrusted"
)

// Reply is one server reply (RFC 5321 §4.2), possibly multi-line, with its
// enhanced status code (RFC 3463, announced by ENHANCEDSTATUSCODES, RFC 2034).
type Reply struct {
	Code int
	// Enhanced is class.subject.detail, e.g. {5,7,139}; {0,0,0} when the
	// reply carries none.
	Enhanced [3]int
	// Text is the text of every line without the code and the enhanced
	// code, lines joined by "\n", cleaned (see package untrusted).
	Text string
}

// HasEnhanced reports whether the reply carried an enhanced status code.
func (r Reply) HasEnhanced() bool { return r.Enhanced != [3]int{} }

// EnhancedString is "5.7.139", or "" when there is none.
func (r Reply) EnhancedString() string {
	if !r.HasEnhanced() {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d", r.Enhanced[0], r.Enhanced[1], r.Enhanced[2])
}

// String is the reply on one line as a technician would quote it:
// "535 5.7.3 Authentication unsuccessful [host]".
func (r Reply) String() string {
	s := strconv.Itoa(r.Code)
	if e := r.EnhancedString(); e != "" {
		s += " " + e
	}
	if t := strings.ReplaceAll(r.Text, "\n", " / "); t != "" {
		s += " " + t
	}
	return s
}

// ParseReply parses the lines of one reply, "250-…" lines followed by a
// final "250 …" line (a bare "250" is accepted as a final line). Every line
// must carry the same three-digit code. The enhanced code is taken from the
// first line that has one (RFC 2034 puts it on every line; some servers put
// it only on the last) and removed from each line that repeats it.
func ParseReply(lines []string) (Reply, error) {
	if len(lines) == 0 {
		return Reply{}, errors.New("smtpcheck: empty reply")
	}
	var r Reply
	texts := make([]string, len(lines))
	for i, l := range lines {
		l = strings.TrimRight(l, "\r\n")
		if len(l) < 3 {
			return Reply{}, fmt.Errorf("smtpcheck: reply line %d too short: %q", i+1, l)
		}
		code, ok := replyCode(l[:3])
		if !ok {
			return Reply{}, fmt.Errorf("smtpcheck: reply line %d has no code: %q", i+1, l)
		}
		if i == 0 {
			r.Code = code
		} else if code != r.Code {
			return Reply{}, fmt.Errorf("smtpcheck: reply line %d has code %d, first line %d", i+1, code, r.Code)
		}
		last := i == len(lines)-1
		sep := byte(' ')
		if len(l) > 3 {
			sep = l[3]
		}
		switch {
		case sep == '-' && last:
			return Reply{}, fmt.Errorf("smtpcheck: reply ends with a continuation line: %q", l)
		case sep == ' ' && !last:
			return Reply{}, fmt.Errorf("smtpcheck: reply line %d is final but more follow: %q", i+1, l)
		case sep != ' ' && sep != '-':
			return Reply{}, fmt.Errorf("smtpcheck: reply line %d: want space or '-' after the code: %q", i+1, l)
		}
		if len(l) > 4 {
			texts[i] = l[4:]
		}
	}
	// Enhanced code: the first line that starts with one.
	field := ""
	for _, t := range texts {
		if e, ok := cutEnhanced(t); ok {
			r.Enhanced = e
			field, _, _ = strings.Cut(t, " ")
			break
		}
	}
	if field != "" {
		for i, t := range texts {
			if t == field {
				texts[i] = ""
			} else if strings.HasPrefix(t, field+" ") {
				texts[i] = t[len(field)+1:]
			}
		}
	}
	r.Text = untrusted.Text(strings.Join(texts, "\n"), untrusted.MaxText)
	return r, nil
}

// replyOf is the reply go-smtp reported as an error, its text cleaned.
func replyOf(se *smtp.SMTPError) *Reply {
	return &Reply{Code: se.Code, Enhanced: [3]int(se.EnhancedCode), Text: untrusted.Text(se.Message, untrusted.MaxText)}
}

// replyCode reads a reply code: three digits, the first 1–5 (RFC 5321 §4.2).
func replyCode(s string) (int, bool) {
	if len(s) != 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0'), true
}

// cutEnhanced reads "class.subject.detail" (RFC 3463 §2: class 2, 4 or 5;
// subject and detail 1–3 digits) at the start of t, followed by a space or
// the end of the line.
func cutEnhanced(t string) (code [3]int, ok bool) {
	field, _, _ := strings.Cut(t, " ")
	parts := strings.Split(field, ".")
	if len(parts) != 3 {
		return code, false
	}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || (i == 0 && len(p) != 1) {
			return [3]int{}, false
		}
		n := 0
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return [3]int{}, false
			}
			n = n*10 + int(p[j]-'0')
		}
		code[i] = n
	}
	if code[0] != 2 && code[0] != 4 && code[0] != 5 {
		return [3]int{}, false
	}
	return code, true
}

// DecodeChallenge decodes the base64 text of a 334 reply, as sent during
// AUTH. JSON (the {"status":"401","schemes":"bearer","scope":…} form that
// XOAUTH2 servers use to say why a token was refused) comes back indented.
// Bytes that are not UTF-8 are shown Go-quoted. The text is cleaned.
func DecodeChallenge(b64 string) (string, error) {
	s := strings.TrimSpace(b64)
	if s == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		// Some servers drop the padding.
		var err2 error
		if b, err2 = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err2 != nil {
			return "", fmt.Errorf("smtpcheck: challenge is not base64: %w", err)
		}
	}
	if json.Valid(b) {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err == nil {
			return untrusted.Text(out.String(), untrusted.MaxText), nil
		}
	}
	if !utf8.Valid(b) {
		return untrusted.String(strconv.Quote(string(b)), untrusted.MaxText), nil
	}
	return untrusted.Text(string(b), untrusted.MaxText), nil
}
