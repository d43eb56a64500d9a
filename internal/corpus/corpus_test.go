package corpus

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
)

// Every entry names a known source, holds its source's text verbatim,
// says where it was assembled, and wants a diagnosis.
func TestEntriesHaveSources(t *testing.T) {
	replies, rs := Replies()
	for _, r := range replies {
		src, ok := rs[r.Source]
		if !ok || src.Title == "" || (src.URL == "" && src.Kind != "field-report") {
			t.Errorf("%q: source %q unknown or without an address", r.Lines, r.Source)
		}
		if !strings.Contains(strings.Join(r.Lines, "\n"), r.Verbatim) && r.Assembled == "" {
			t.Errorf("%q: the verbatim text %q is not in the reply and no assembly is noted", r.Lines, r.Verbatim)
		}
		if r.Want == "" || r.Stage == "" {
			t.Errorf("%q: no diagnosis or stage", r.Lines)
		}
	}
	errs, ts := TokenErrors()
	for _, e := range errs {
		if _, ok := ts[e.Source]; !ok {
			t.Errorf("%s: source %q unknown", e.Name, e.Source)
		}
		var b struct {
			Error string `json:"error"`
			Desc  string `json:"error_description"`
		}
		if err := json.Unmarshal(e.Body, &b); err != nil || b.Error == "" {
			t.Errorf("%s: body is not an OAuth error: %v", e.Name, err)
		}
		if !strings.Contains(b.Desc, e.Verbatim) {
			t.Errorf("%s: description %q lacks the verbatim text %q", e.Name, b.Desc, e.Verbatim)
		}
		if e.Want == "" || e.Status == 0 {
			t.Errorf("%s: no diagnosis or status", e.Name)
		}
	}
	if len(replies) < 40 || len(errs) < 30 {
		t.Errorf("corpus shrank: %d replies, %d token errors", len(replies), len(errs))
	}
}

// The replay server speaks SMTP with real STARTTLS and answers at the
// stage asked for.
func TestReplayServerStages(t *testing.T) {
	reply := []string{"550-5.7.1 first line", "550 5.7.1 second line"}
	for _, stage := range []string{"greeting", "ehlo", "starttls", "auth", "mail", "rcpt", "data"} {
		t.Run(stage, func(t *testing.T) {
			s := StartSMTP(t, stage, reply)
			got := talk(t, s)
			if !strings.Contains(got, "550-5.7.1 first line\n550 5.7.1 second line") {
				t.Errorf("stage %s: no replay in\n%s", stage, got)
			}
		})
	}
}

// talk drives a session up to the end of DATA and returns what the
// server said.
func talk(t *testing.T, s *SMTPServer) string {
	t.Helper()
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(s.Port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var conn net.Conn = c
	r := bufio.NewReader(conn)
	var seen []string
	read := func() string {
		var lines []string
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return strings.Join(lines, "\n")
			}
			l = strings.TrimRight(l, "\r\n")
			lines = append(lines, l)
			seen = append(seen, l)
			if len(l) < 4 || l[3] == ' ' {
				return strings.Join(lines, "\n")
			}
		}
	}
	send := func(cmd string) string { conn.Write([]byte(cmd + "\r\n")); return read() }
	if g := read(); !strings.HasPrefix(g, "220") {
		return strings.Join(seen, "\n")
	}
	if !strings.HasPrefix(send("EHLO test"), "250") || !strings.HasPrefix(send("STARTTLS"), "220") {
		return strings.Join(seen, "\n")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CAPEM)
	tc := tls.Client(c, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12})
	if err := tc.Handshake(); err != nil {
		t.Fatalf("TLS: %v", err)
	}
	conn, r = tc, bufio.NewReader(tc)
	for _, cmd := range []string{"EHLO test", "AUTH XOAUTH2 dXNlcj1hAWF1dGg9QmVhcmVyIHQBAQ==", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA"} {
		if rep := send(cmd); !strings.HasPrefix(rep, "2") && !strings.HasPrefix(rep, "3") {
			return strings.Join(seen, "\n")
		}
	}
	conn.Write([]byte("hello\r\n.\r\n"))
	read()
	return strings.Join(seen, "\n")
}
