package flow

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The support log (--log FILE): every exchange with the identity provider
// and Graph, the SMTP transcript, timings and the wizard's decisions. A
// token, a refresh token, a device code or a user code never reaches it:
// every value under a secret name is replaced, and anything shaped like a
// JWT is replaced wherever it appears.

// NewLogger writes the support log as text lines to w.
func NewLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// OrDiscard is l, or a logger that drops everything when no log was
// asked for (nil).
func OrDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

func (c Config) log() *slog.Logger { return OrDiscard(c.Log) }

// secretNames are form fields and JSON keys whose values are credentials.
var secretNames = map[string]bool{
	"access_token": true, "refresh_token": true, "id_token": true, "device_code": true,
	"user_code": true, "code": true, "client_secret": true, "client_assertion": true,
	"assertion": true, "password": true, "authorization": true,
}

const redacted = "<redacted>"

// Redact removes credentials from a request or response body: form
// encoded or JSON. Anything else is cut short and scrubbed of JWTs.
func Redact(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return ""
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		var found []string
		v = redactJSON(v, &found)
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(v)
		// A secret may also be quoted in free text ("enter the code …").
		return scrubJWT(scrubValues(strings.TrimSpace(b.String()), found))
	}
	if q, err := url.ParseQuery(s); err == nil && strings.Contains(s, "=") && !strings.ContainsAny(s, " <>\n") {
		for k := range q {
			if secretNames[strings.ToLower(k)] {
				q[k] = []string{redacted}
			}
		}
		return scrubJWT(q.Encode())
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return scrubJWT(s)
}

func redactJSON(v any, found *[]string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if secretNames[strings.ToLower(k)] {
				if s, ok := x.(string); ok && len(s) >= 4 {
					*found = append(*found, s)
				}
				t[k] = redacted
			} else {
				t[k] = redactJSON(x, found)
			}
		}
	case []any:
		for i := range t {
			t[i] = redactJSON(t[i], found)
		}
	}
	return v
}

func scrubValues(s string, secrets []string) string {
	for _, x := range secrets {
		s = strings.ReplaceAll(s, x, redacted)
	}
	return s
}

// scrubJWT replaces anything that looks like a JWT (three base64url
// segments, the first starting "eyJ") and Microsoft's opaque consumer
// tokens ("EwB…").
func scrubJWT(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "eyJ") || strings.HasPrefix(s[i:], "EwB") {
			j := i
			for j < len(s) && isTokenChar(s[j]) {
				j++
			}
			if j-i >= 20 {
				b.WriteString(redacted)
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '+' || c == '/' || c == '=' || c == '!' || c == '*' || c == '$'
}

// loggingTransport logs each HTTP exchange, redacted, with its duration.
type loggingTransport struct {
	next http.RoundTripper
	log  *slog.Logger
}

func (loggingTransport) guarded() {}

// logURL is a URL as the log writes it: without user info, a query or a
// fragment, any of which could hold a secret.
func logURL(u *url.URL) string {
	cp := *u
	cp.User, cp.RawQuery, cp.ForceQuery, cp.Fragment, cp.RawFragment = nil, "", false, "", ""
	return cp.String()
}

func (t loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(io.LimitReader(rc, 64<<10))
			rc.Close()
		}
	}
	u := logURL(req.URL)
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	d := time.Since(start)
	if err != nil {
		t.log.Debug("http", "method", req.Method, "url", u, "request", Redact(reqBody), "error", scrubJWT(err.Error()), "ms", d.Milliseconds())
		return resp, err
	}
	// The transport below has read the body whole already.
	body, err := readBody(resp)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	t.log.Debug("http", "method", req.Method, "url", u, "request", Redact(reqBody),
		"status", resp.StatusCode, "response", Redact(body), "ms", d.Milliseconds())
	return resp, err
}

// WithLog returns the configuration with its HTTP exchanges logged.
func (c Config) WithLog(l *slog.Logger) Config {
	c = c.WithDefaults()
	if l == nil {
		return c
	}
	c.Log = l
	client := *c.HTTPClient
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	client.Transport = loggingTransport{next: next, log: l}
	c.HTTPClient = &client
	return c
}
