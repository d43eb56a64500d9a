package flow

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
)

// Identity is who signed in: from the ID token's claims, enriched from
// Microsoft Graph when it can be reached.
type Identity struct {
	UPN            string   // preferred_username (work accounts: the UPN); Graph userPrincipalName wins
	Mail           string   // Graph "mail": the primary SMTP address the device will take
	Email          string   // the ID token's email claim
	Name           string   // display name
	TenantID       string   // tid
	ObjectID       string   // oid
	ProxyAddresses []string // "SMTP:" primary, "smtp:" aliases
	Personal       bool     // a Microsoft account (Outlook.com)

	FromGraph    bool     // Graph /me answered
	GraphProblem *Problem // why Graph did not, if it did not
}

// ConsumerTenantID is the tid of every personal Microsoft account.
const ConsumerTenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"

// PrimaryAddress is the address the device will take as its Device Email
// Address: Graph's mail, else the primary proxy address, else the email
// claim, else the UPN.
func (id Identity) PrimaryAddress() string {
	if id.Mail != "" {
		return id.Mail
	}
	for _, p := range id.ProxyAddresses {
		if strings.HasPrefix(p, "SMTP:") {
			return p[5:]
		}
	}
	if id.Email != "" {
		return id.Email
	}
	return id.UPN
}

// LookupIdentity reads the ID token's claims, then asks Graph /me with a
// Graph token obtained from the refresh token. If Graph cannot be reached
// or refuses, the claims stand and GraphProblem says why.
func LookupIdentity(ctx context.Context, cfg Config, s *Session) Identity {
	id := lookupIdentity(ctx, cfg.WithDefaults(), s)
	id.clean()
	return id
}

func lookupIdentity(ctx context.Context, cfg Config, s *Session) Identity {
	var id Identity
	if raw, ok := s.token.Extra("id_token").(string); ok && raw != "" {
		if c, err := parseIDToken(raw); err == nil {
			id.UPN = c.PreferredUsername
			id.Email = c.Email
			id.Name = c.Name
			id.TenantID = c.TID
			id.ObjectID = c.OID
		}
	}
	id.Personal = id.TenantID == ConsumerTenantID
	if cfg.GraphURL == "-" {
		id.GraphProblem = entry{id: "graph-off"}.problem(cfg.Lang)
		return id
	}
	graphHost := hostOf(cfg.GraphURL)
	gt, err := refresh(ctx, cfg, s, GraphUserReadScope)
	if err != nil {
		id.GraphProblem = graphProblem(cfg.Lang, ctx, cfg.IdentityHost(), err)
		return id
	}
	me, err := graphMe(ctx, cfg, gt.AccessToken)
	if err != nil {
		id.GraphProblem = graphProblem(cfg.Lang, ctx, graphHost, err)
		return id
	}
	id.FromGraph = true
	if me.UserPrincipalName != "" {
		id.UPN = me.UserPrincipalName
	}
	id.Mail = me.Mail
	id.ProxyAddresses = me.ProxyAddresses
	if me.DisplayName != "" {
		id.Name = me.DisplayName
	}
	if me.ID != "" {
		id.ObjectID = me.ID
	}
	return id
}

// maxProxyAddresses caps how many addresses are kept from Graph.
const maxProxyAddresses = 100

// clean makes every field of an Identity fit to show: all of them come
// from the ID token or from Graph.
func (id *Identity) clean() {
	for _, f := range []*string{&id.UPN, &id.Mail, &id.Email, &id.Name, &id.TenantID, &id.ObjectID} {
		*f = untrusted.Name(*f)
	}
	if len(id.ProxyAddresses) > maxProxyAddresses {
		id.ProxyAddresses = id.ProxyAddresses[:maxProxyAddresses]
	}
	for i, a := range id.ProxyAddresses {
		id.ProxyAddresses[i] = untrusted.Name(a)
	}
}

// graphProblem wraps any Graph failure: the sign-in itself succeeded, so
// this is a note, with the cause underneath.
func graphProblem(lang assets.Lang, ctx context.Context, host string, err error) *Problem {
	var ge *graphHTTPError
	var inner *Problem
	if errors.As(err, &ge) {
		inner = &Problem{Title: fmt.Sprintf("HTTP %d %s", ge.status, ge.code), HTTPStatus: ge.status, Code: ge.code, Description: ge.msg}
	} else {
		inner = DiagnoseSignIn(lang, ctx, host, err)
	}
	p := entry{id: "graph-unavailable"}.problem(lang, "host", host, "reason", inner.Title)
	p.HTTPStatus, p.Code, p.Description = inner.HTTPStatus, inner.Code, inner.Description
	p.ErrorCodes, p.TraceID, p.CorrelationID = inner.ErrorCodes, inner.TraceID, inner.CorrelationID
	p.Host = host
	p.Err = err
	return p
}

type idClaims struct {
	PreferredUsername string `json:"preferred_username"`
	Email             string `json:"email"`
	Name              string `json:"name"`
	TID               string `json:"tid"`
	OID               string `json:"oid"`
}

// parseIDToken reads the claims of an ID token received straight from the
// token endpoint over verified TLS (OpenID Connect Core §3.1.3.7 allows
// relying on TLS instead of the signature in that case). Access tokens are
// never decoded: Microsoft's may not be JWTs at all.
func parseIDToken(raw string) (idClaims, error) {
	var c idClaims
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return c, errors.New("id_token is not a JWS")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return c, fmt.Errorf("id_token payload: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("id_token claims: %w", err)
	}
	return c, nil
}

type graphUser struct {
	ID                string   `json:"id"`
	DisplayName       string   `json:"displayName"`
	UserPrincipalName string   `json:"userPrincipalName"`
	Mail              string   `json:"mail"`
	ProxyAddresses    []string `json:"proxyAddresses"`
}

// graphError is Graph's error shape.
type graphError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func graphMe(ctx context.Context, cfg Config, token string) (graphUser, error) {
	var u graphUser
	q := url.Values{"$select": {"id,displayName,userPrincipalName,mail,proxyAddresses"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		strings.TrimRight(cfg.GraphURL, "/")+"/v1.0/me?"+q.Encode(), nil)
	if err != nil {
		return u, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := cfg.HTTPClient.Do(req)
	if err != nil {
		return u, err
	}
	body, err := readBody(resp)
	if err != nil {
		return u, err
	}
	if resp.StatusCode != http.StatusOK {
		var ge graphError
		_ = json.Unmarshal(body, &ge)
		return u, &graphHTTPError{status: resp.StatusCode, code: untrusted.Name(ge.Error.Code),
			msg: untrusted.Line(ge.Error.Message)}
	}
	if err := json.Unmarshal(body, &u); err != nil {
		return u, &graphHTTPError{status: resp.StatusCode}
	}
	return u, nil
}

// graphHTTPError is Graph's refusal, its texts cleaned.
type graphHTTPError struct {
	status    int
	code, msg string
}

func (e *graphHTTPError) Error() string {
	return fmt.Sprintf("Graph answered HTTP %d %s %s", e.status, e.code, e.msg)
}

func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host
	}
	return u
}

func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
