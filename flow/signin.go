package flow

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	resp, err := cfg.OAuth2().DeviceAuth(cfg.ctx(ctx))
	if err != nil {
		return nil, DiagnoseSignIn(cfg.Lang, ctx, cfg.IdentityHost(), err)
	}
	if resp.UserCode == "" || resp.VerificationURI == "" || resp.DeviceCode == "" {
		p := entry{id: "not-json"}.problem(cfg.Lang, "host", cfg.IdentityHost(), "status", "200",
			"type", "application/json", "excerpt", "device_code, user_code or verification_uri missing")
		return nil, p
	}
	cfg.log().Info("device code issued", "verification_uri", resp.VerificationURI, "expires_in_s", int(time.Until(resp.Expiry).Seconds()), "interval_s", resp.Interval)
	dc := &DeviceCode{
		UserCode:                resp.UserCode,
		VerificationURI:         resp.VerificationURI,
		VerificationURIComplete: resp.VerificationURIComplete,
		Issued:                  issued,
		Expiry:                  resp.Expiry,
		Interval:                time.Duration(resp.Interval) * time.Second,
		poll:                    &pollState{},
		resp:                    resp,
	}
	if dc.Expiry.IsZero() {
		// expires_in is required by RFC 8628; Microsoft's default is 15 min.
		dc.Expiry = issued.Add(15 * time.Minute)
		resp.Expiry = dc.Expiry
	}
	return dc, nil
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.Endpoint().TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	var t struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
		Error        string `json:"error"`
		Description  string `json:"error_description"`
	}
	jerr := json.Unmarshal(body, &t)
	if resp.StatusCode != http.StatusOK || jerr != nil || t.AccessToken == "" {
		return nil, &oauth2.RetrieveError{Response: resp, Body: body, ErrorCode: t.Error, ErrorDescription: t.Description}
	}
	if t.RefreshToken != "" {
		s.token.RefreshToken = t.RefreshToken
	}
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType,
		Expiry: time.Now().Add(time.Duration(t.ExpiresIn) * time.Second)}, nil
}
