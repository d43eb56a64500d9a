package flow

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"time"
)

// How long an HTTP answer may take: its headers must arrive within
// HeaderWait of the request, its body within BodyWait of the headers.
// A body is read up to MaxBody bytes; the rest is not read.
const (
	HeaderWait = 30 * time.Second
	BodyWait   = 30 * time.Second
	MaxBody    = 1 << 20
)

// AnswerError is an HTTP exchange that ended without a whole answer in
// time: no headers (Slow false) or a body that dripped (Slow true).
type AnswerError struct {
	Slow bool
	Wait time.Duration
	Err  error
}

func (e *AnswerError) Error() string {
	if e.Slow {
		return "the answer's body did not arrive within " + e.Wait.String()
	}
	return "no answer within " + e.Wait.String()
}

func (e *AnswerError) Unwrap() error { return e.Err }

// NewHTTPClient returns a client that honours HTTPS_PROXY/NO_PROXY, speaks
// TLS 1.2 or newer, verifies certificates against the system roots plus
// extra (a lab CA, only when the technician asked for one), follows no
// redirect, and reads every answer whole within HeaderWait and BodyWait.
func NewHTTPClient(extra *x509.CertPool) *http.Client {
	return NewHTTPClientWaits(extra, HeaderWait, BodyWait)
}

// NewHTTPClientWaits is NewHTTPClient with other waits.
func NewHTTPClientWaits(extra *x509.CertPool, header, body time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: extra}
	// No Client.Timeout: it would hide which of the two waits ran out.
	return &http.Client{Transport: &boundedTransport{next: tr, header: header, body: body}, CheckRedirect: noRedirect}
}

// noRedirect keeps every redirect as the answer. The device code, the
// refresh token and the Graph bearer token go only to the URL they were
// meant for; a 3xx is diagnosed, never followed.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// guarded marks the transports this package puts in front of a client's.
type guarded interface{ guarded() }

// guardClient makes any client follow no redirect and read answers whole
// within the waits; a client from NewHTTPClient is returned as it is.
func guardClient(c *http.Client) *http.Client {
	if _, ok := c.Transport.(guarded); ok && c.CheckRedirect != nil {
		return c
	}
	cp := *c
	cp.CheckRedirect = noRedirect
	if _, ok := cp.Transport.(guarded); !ok {
		next := cp.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		cp.Transport = &boundedTransport{next: next, header: HeaderWait, body: BodyWait}
	}
	return &cp
}

// boundedTransport reads each answer whole before handing it on, so that
// every reader of a body (this package, x/oauth2, the log) sees the same
// bytes, at most MaxBody of them, and a slow server is told apart from a
// silent one.
type boundedTransport struct {
	next         http.RoundTripper
	header, body time.Duration
}

func (*boundedTransport) guarded() {}

var (
	errNoHeaders = errors.New("no headers in time")
	errSlowBody  = errors.New("body too slow")
)

func (t *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(t.header, func() { cancel(errNoHeaders) })
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	timer.Stop()
	if err != nil {
		cause := context.Cause(ctx)
		cancel(nil)
		if cause == errNoHeaders {
			return nil, &AnswerError{Wait: t.header, Err: err}
		}
		return nil, err
	}
	timer = time.AfterFunc(t.body, func() { cancel(errSlowBody) })
	body, err := readBody(resp)
	timer.Stop()
	cause := context.Cause(ctx)
	cancel(nil)
	if err != nil {
		if cause == errSlowBody || cause == errNoHeaders {
			return nil, &AnswerError{Slow: true, Wait: t.body, Err: err}
		}
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// Without a Location the client hands the 3xx back as it is,
		// whatever its CheckRedirect says (and a hostile Location cannot
		// even be parsed): the redirect is diagnosed, never followed.
		resp.Header.Del("Location")
		resp.Header.Set(NotFollowedHeader, loc)
	}
	return resp, nil
}

// NotFollowedHeader holds the Location of a redirect that was not
// followed, as the server sent it (clean it before showing it).
const NotFollowedHeader = "X-Mfpmail-Not-Followed"

// readBody reads and closes an answer's body, at most MaxBody bytes. It is
// the one place a body is read from the network.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, MaxBody))
}
