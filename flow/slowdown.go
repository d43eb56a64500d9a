package flow

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// pollState counts the slow_down answers of one device code's polling, so
// that the screen can show the interval really in use (RFC 8628 §3.5: each
// slow_down adds 5 seconds, for this and every later poll). The poll runs
// in its own goroutine while the screen reads the count.
type pollState struct{ slowDowns atomic.Int32 }

// slowDownStep is what RFC 8628 §3.5 adds to the interval on slow_down.
const slowDownStep = 5 * time.Second

// SlowedDown reports whether the identity provider has asked, with
// slow_down, for more time between polls.
func (d *DeviceCode) SlowedDown() bool {
	return d.poll != nil && d.poll.slowDowns.Load() > 0
}

// watchSlowDown returns a client that passes every request to c and counts
// slow_down answers from the token endpoint in d.
func (d *DeviceCode) watchSlowDown(c *http.Client, tokenURL string) *http.Client {
	st := d.poll // set by StartSignIn, before the screen ever reads it
	if st == nil {
		st = &pollState{}
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	w := *c
	w.Transport = slowDownWatch{next: next, tokenURL: tokenURL, state: st}
	return &w
}

type slowDownWatch struct {
	next     http.RoundTripper
	tokenURL string
	state    *pollState
}

// RoundTrip reads an error answer of the token endpoint (at most 1 MiB,
// as every other reader of it), notes a slow_down, and hands on the same
// bytes.
func (s slowDownWatch) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusBadRequest || r.URL.String() != s.tokenURL {
		return resp, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error == "slow_down" {
		s.state.slowDowns.Add(1)
	}
	return resp, nil
}
