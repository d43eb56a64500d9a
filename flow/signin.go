package flow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DeviceCode is what the technician needs to sign in (RFC 8628 §3.2). The
// device code itself stays inside: it is a credential, never shown.
type DeviceCode struct {
	UserCode        string
	VerificationURI string
	// VerificationURIComplete is set only when the provider sends it
	// (Microsoft does not); it then embeds the code.
	VerificationURIComplete string
	Issued                  time.Time
	Expiry                  time.Time
	Interval                time.Duration // as sent; 0 = absent (5 s is used)

	resp *oauth2.DeviceAuthResponse
	poll *pollState // slow_down answers while polling; nil before
}

// String never shows the device code.
func (d *DeviceCode) String() string {
	return fmt.Sprintf("user code %s at %s, expires %s", d.UserCode, d.VerificationURI, d.Expiry.Format(time.RFC3339))
}

// GoString keeps %#v from printing the device code.
func (d *DeviceCode) GoString() string { return d.String() }

// PollInterval is the interval polling uses now: the provider's, or 5 s
// when it sent none (RFC 8628 §3.2), plus 5 s for every slow_down so far
// (§3.5).
func (d *DeviceCode) PollInterval() time.Duration {
	i := d.Interval
	if i <= 0 {
		i = 5 * time.Second
	}
	if d.poll != nil {
		i += time.Duration(d.poll.slowDowns.Load()) * slowDownStep
	}
	return i
}

// QRTarget is what a phone should open: the complete URI when the provider
// gives one, else the verification URI (the code is shown beside it).
func (d *DeviceCode) QRTarget() string {
	if d.VerificationURIComplete != "" {
		return d.VerificationURIComplete
	}
	return d.VerificationURI
}

func (c Config) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.HTTPClient)
}

// StartSignIn asks for a device code (RFC 8628 §3.1). Errors are *Problem.
func StartSignIn(ctx context.Context, cfg Config) (*DeviceCode, error) {
	cfg = cfg.WithDefaults()
	issued := time.Now()
	resp, err := requestDeviceCode(ctx, cfg)
	if err != nil {
		return nil, DiagnoseSignIn(cfg.Lang, ctx, cfg.IdentityHost(), err)
	}
	dc, err := newDeviceCode(cfg, resp, issued)
	if err != nil {
		return nil, err
	}
	cfg.log().Info("device code issued", "verification_uri", dc.VerificationURI,
		"expires_in_s", int(dc.Expiry.Sub(issued).Seconds()), "interval_s", int(dc.Interval.Seconds()))
	return dc, nil
}

// Sane ranges for what the provider says about its code. Values outside
// are clamped, with a note in the log: a hostile or broken provider must
// not make the countdown absurd or stop polling.
const (
	minExpiresIn     = 5 * time.Second
	maxExpiresIn     = time.Hour
	defaultExpiresIn = 15 * time.Minute // Microsoft's, when expires_in is missing
	minInterval      = time.Second
	maxInterval      = time.Minute
	maxUserCode      = 32
	maxVerification  = 2048
)

// deviceAuthBody is the device authorization response (RFC 8628 §3.2).
// The numbers are read as numbers of any size, so that they can be
// clamped rather than overflow.
type deviceAuthBody struct {
	DeviceCode              string      `json:"device_code"`
	UserCode                string      `json:"user_code"`
	VerificationURI         string      `json:"verification_uri"`
	VerificationURL         string      `json:"verification_url"` // Google's spelling
	VerificationURIComplete string      `json:"verification_uri_complete"`
	ExpiresIn               json.Number `json:"expires_in"`
	Interval                json.Number `json:"interval"`
}

// requestDeviceCode posts the device authorization request. A status other
// than 200 comes back as *oauth2.RetrieveError, for DiagnoseSignIn.
func requestDeviceCode(ctx context.Context, cfg Config) (deviceAuthBody, error) {
	var b deviceAuthBody
	form := url.Values{"client_id": {cfg.ClientID}, "scope": {strings.Join(cfg.Scopes, " ")}}
	resp, body, err := post(ctx, cfg, cfg.Endpoint().DeviceAuthURL, form)
	if err != nil {
		return b, err
	}
	if resp.StatusCode != http.StatusOK {
		return b, retrieveError(resp, body)
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&b); err != nil {
		return b, retrieveError(resp, body)
	}
	if b.VerificationURI == "" {
		b.VerificationURI = b.VerificationURL
	}
	return b, nil
}

// post sends a form to an identity provider endpoint and returns the
// answer with its body read.
func post(ctx context.Context, cfg Config, endpoint string, form url.Values) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	body, err := readBody(resp)
	return resp, body, err
}

// retrieveError is an error answer in x/oauth2's shape, with RFC 6749's
// error fields read from the body when it has them. It keeps the status
// and headers but not the request, which could give back the refresh
// token it carried.
func retrieveError(resp *http.Response, body []byte) error {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &e)
	kept := &http.Response{Status: resp.Status, StatusCode: resp.StatusCode, Proto: resp.Proto, Header: resp.Header, Body: http.NoBody}
	return &oauth2.RetrieveError{Response: kept, Body: body, ErrorCode: e.Error, ErrorDescription: e.Description}
}

// newDeviceCode checks and clamps a device authorization response into
// the DeviceCode the screens show. Every outside value in it has the form
// it must have, or the sign-in fails here.
func newDeviceCode(cfg Config, b deviceAuthBody, issued time.Time) (*DeviceCode, error) {
	host := cfg.IdentityHost()
	if b.UserCode == "" || b.VerificationURI == "" || b.DeviceCode == "" {
		return nil, entry{id: "not-json"}.problem(cfg.Lang, "host", host, "status", "200",
			"type", "application/json", "excerpt", "device_code, user_code or verification_uri missing")
	}
	if err := ValidateVerificationURI(b.VerificationURI); err != nil {
		cfg.log().Info("invalid verification_uri", "value", b.VerificationURI, "why", err.Error())
		return nil, entry{id: "invalid-link"}.problem(cfg.Lang, "host", host, "reason", err.Error())
	}
	if err := ValidateUserCode(b.UserCode); err != nil {
		cfg.log().Info("invalid user_code", "why", err.Error())
		return nil, entry{id: "invalid-code"}.problem(cfg.Lang, "host", host, "reason", err.Error())
	}
	complete := b.VerificationURIComplete
	if complete != "" && ValidateVerificationURI(complete) != nil {
		cfg.log().Info("verification_uri_complete ignored: not a valid https link", "value", complete)
		complete = ""
	}
	expires := clampSeconds(cfg, "expires_in", b.ExpiresIn, minExpiresIn, maxExpiresIn, defaultExpiresIn)
	interval := clampSeconds(cfg, "interval", b.Interval, minInterval, maxInterval, 0)
	dc := &DeviceCode{
		UserCode:                b.UserCode,
		VerificationURI:         b.VerificationURI,
		VerificationURIComplete: complete,
		Issued:                  issued,
		Expiry:                  issued.Add(expires),
		Interval:                interval,
		poll:                    &pollState{},
	}
	dc.resp = &oauth2.DeviceAuthResponse{
		DeviceCode:              b.DeviceCode,
		UserCode:                b.UserCode,
		VerificationURI:         b.VerificationURI,
		VerificationURIComplete: complete,
		Expiry:                  dc.Expiry,
		Interval:                int64(dc.PollInterval() / time.Second),
	}
	return dc, nil
}

// clampSeconds reads a number of seconds the provider sent: absent gives
// def, a value outside [lo, hi] is clamped and noted in the log.
func clampSeconds(cfg Config, name string, n json.Number, lo, hi, def time.Duration) time.Duration {
	if n == "" {
		return def
	}
	f, err := n.Float64()
	var d time.Duration
	switch {
	case err != nil || f != f: // not a number
		d = def
		if d == 0 {
			d = lo
		}
	case f < lo.Seconds():
		d = lo
	case f > hi.Seconds():
		d = hi
	default:
		return time.Duration(f * float64(time.Second)).Round(time.Second)
	}
	cfg.log().Info("clamped a value the identity provider sent", "field", name, "sent", n.String(), "used_s", int(d.Seconds()))
	return d
}

// ValidateVerificationURI accepts the link a person is sent to: an https
// URL (http only on loopback, for a lab provider) of printable ASCII, at
// most 2,048 bytes, with a host and no user info.
func ValidateVerificationURI(s string) error {
	if len(s) > maxVerification {
		return fmt.Errorf("longer than %d bytes", maxVerification)
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return errors.New("holds a character that is not printable ASCII")
		}
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || !u.IsAbs():
		return errors.New("not an absolute URL")
	case u.User != nil:
		return errors.New("holds user info")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return errors.New("not an https:// link")
}

// ValidateUserCode accepts the code a person types: 1 to 32 characters of
// printable ASCII without spaces.
func ValidateUserCode(s string) error {
	if s == "" || len(s) > maxUserCode {
		return fmt.Errorf("not 1 to %d characters long", maxUserCode)
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return errors.New("holds a character that is not printable ASCII")
		}
	}
	return nil
}

// Session is a signed-in account. Its tokens live in memory only and are
// reachable only through AccessToken, for the SMTP test send.
type Session struct {
	token    *oauth2.Token
	Identity Identity
}

// AccessToken is the bearer token for SMTP.Send. Secret.
func (s *Session) AccessToken() string {
	if s == nil || s.token == nil {
		return ""
	}
	return s.token.AccessToken
}

// String never shows a token.
func (s *Session) String() string { return "session of " + s.Identity.UPN }

// GoString keeps %#v from printing tokens.
func (s *Session) GoString() string { return s.String() }

// WaitForSignIn polls the token endpoint until the user signs in, declines,
// the code expires or ctx is cancelled (RFC 8628 §3.4–3.5). It polls at the
// provider's interval (5 s if none), adds 5 s on slow_down, sends one HTTP
// request per poll, and stops the moment a token is issued. It then reads
// who signed in (see LookupIdentity). Errors are *Problem.
func WaitForSignIn(ctx context.Context, cfg Config, dc *DeviceCode) (*Session, error) {
	cfg = cfg.WithDefaults()
	start := time.Now()
	poll := cfg
	poll.HTTPClient = dc.watchSlowDown(cfg.HTTPClient, cfg.Endpoint().TokenURL)
	tok, err := cfg.OAuth2().DeviceAccessToken(poll.ctx(ctx), dc.resp)
	if err != nil {
		p := DiagnoseSignIn(cfg.Lang, ctx, cfg.IdentityHost(), err)
		cfg.log().Info("sign-in failed", "diagnosis", p.ID, "received", p.Received(), "waited_ms", time.Since(start).Milliseconds())
		return nil, p
	}
	s := &Session{token: tok}
	s.Identity = LookupIdentity(ctx, cfg, s)
	cfg.log().Info("signed in", "upn", s.Identity.UPN, "primary", s.Identity.PrimaryAddress(), "graph", s.Identity.FromGraph, "waited_ms", time.Since(start).Milliseconds())
	return s, nil
}

// refresh redeems the refresh token for another resource (RFC 6749 §6).
// x/oauth2's TokenSource cannot name a scope, so the request is made here;
// Entra ID mints one token per resource and wants the scope said.
func refresh(ctx context.Context, cfg Config, s *Session, scope string) (*oauth2.Token, error) {
	if s.token.RefreshToken == "" {
		return nil, fmt.Errorf("no refresh token (offline_access was not granted)")
	}
	form := url.Values{
		"client_id":     {cfg.ClientID},
		"grant_type":    {"refresh_token"},
		"refresh_token": {s.token.RefreshToken},
		"scope":         {scope},
	}
	resp, body, err := post(ctx, cfg, cfg.Endpoint().TokenURL, form)
	if err != nil {
		return nil, err
	}
	var t struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
	}
	jerr := json.Unmarshal(body, &t)
	if resp.StatusCode != http.StatusOK || jerr != nil || t.AccessToken == "" {
		return nil, retrieveError(resp, body)
	}
	if t.RefreshToken != "" {
		s.token.RefreshToken = t.RefreshToken
	}
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType,
		Expiry: time.Now().Add(time.Duration(t.ExpiresIn) * time.Second)}, nil
}
