package flow

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
	"mfpmail/smtpcheck"
)

// Problem is a failure explained for the technician: what happened in
// plain words, the exact fix, and what the identity provider said, as
// received, for whoever reads the sign-in logs.
type Problem struct {
	ID     string // stable, e.g. "consent-required"
	Title  string
	Detail string
	Fix    string
	// BackTo is the step that fixes it ("" = stay). Retry: a new code helps.
	BackTo StepID
	Retry  bool
	// Recognised: the answer is in the table of documented errors.
	Recognised bool
	// Source names the document the diagnosis rests on: title and address.
	Source string

	// As received from the identity provider.
	HTTPStatus    int
	Code          string // OAuth "error"
	Description   string // first line of "error_description"
	ErrorCodes    []int  // AADSTS numbers
	TraceID       string
	CorrelationID string
	Timestamp     string
	Host          string

	Err error `json:"-"`
	// fixCLI is Fix in the command line's terms (see Check).
	fixCLI string
}

func (p *Problem) Error() string {
	s := p.Title
	if p.Code != "" {
		s += " (" + p.Code
		if len(p.ErrorCodes) > 0 {
			s += fmt.Sprintf(", AADSTS%d", p.ErrorCodes[0])
		}
		s += ")"
	}
	return s
}

func (p *Problem) Unwrap() error { return p.Err }

// Received is the identity provider's answer on one line, for the screen:
// "HTTP 400 · invalid_grant · AADSTS65001 · correlation id …".
func (p *Problem) Received() string {
	var parts []string
	if p.HTTPStatus != 0 {
		parts = append(parts, "HTTP "+strconv.Itoa(p.HTTPStatus))
	}
	if p.Code != "" {
		parts = append(parts, p.Code)
	}
	for _, c := range p.ErrorCodes {
		parts = append(parts, fmt.Sprintf("AADSTS%d", c))
	}
	if p.CorrelationID != "" {
		parts = append(parts, "correlation id "+p.CorrelationID)
	}
	if p.TraceID != "" {
		parts = append(parts, "trace id "+p.TraceID)
	}
	return strings.Join(parts, " · ")
}

// oauthErrorBody is Microsoft's error JSON; the standard fields are RFC 6749's.
type oauthErrorBody struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	ErrorCodes    []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
}

// entry of the diagnosis catalogue: the texts are in assets under
// diag.<id>.title / .detail / .fix. group says which OAuth error classes
// an AADSTS number may refine (see aadsts.go).
type entry struct {
	id     string
	backTo StepID
	retry  bool
	group  string
	source smtpcheck.Source
}

// problem fills the texts of a diagnosis. Every value put into them is
// cleaned first: many come from the identity provider, a proxy or Graph.
func (e entry) problem(lang assets.Lang, kv ...string) *Problem {
	for i := 1; i < len(kv); i += 2 {
		kv[i] = untrusted.String(kv[i], untrusted.MaxLine)
	}
	p := &Problem{
		ID:     e.id,
		Title:  assets.T(lang, "diag."+e.id+".title", kv...),
		Detail: assets.T(lang, "diag."+e.id+".detail", kv...),
		Fix:    assets.T(lang, "diag."+e.id+".fix", kv...),
		BackTo: e.backTo,
		Retry:  e.retry,
		Source: e.source.String(),
	}
	if k := "diag." + e.id + ".fix.cli"; assets.Has(assets.EN, k) {
		p.fixCLI = assets.T(lang, k, kv...)
	}
	return p
}

// AsProblem is the Problem a sign-in function returned. StartSignIn and
// WaitForSignIn diagnose their own errors, so callers never diagnose again.
func AsProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	if err != nil {
		return &Problem{ID: "unknown", Title: err.Error(), Err: err}
	}
	return nil
}

// DiagnoseSignIn turns any error of the sign-in (device code request,
// polling, refresh, Graph) into a Problem. parent is the caller's context:
// a deadline the library set itself (the code's expiry) is told apart from
// the technician cancelling. host names the identity endpoint.
func DiagnoseSignIn(lang assets.Lang, parent context.Context, host string, err error) *Problem {
	if err == nil {
		return nil
	}
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	kv := []string{"host", host}
	var ae *AnswerError
	switch {
	case parent != nil && errors.Is(parent.Err(), context.DeadlineExceeded):
		// The caller's own deadline (check --timeout), not the code's.
		p = entry{id: "run-timeout", retry: true}.problem(lang, kv...)
	case parent != nil && parent.Err() != nil:
		p = entry{id: "cancelled", retry: true}.problem(lang, kv...)
	case errors.As(err, &ae) && ae.Slow:
		p = entry{id: "too-slow", retry: true}.problem(lang, "host", host, "wait", ae.Wait.String())
	case errors.As(err, &ae):
		p = entry{id: "no-answer", retry: true}.problem(lang, "host", host, "wait", ae.Wait.String())
	case errors.Is(err, context.DeadlineExceeded):
		// x/oauth2 ends polling at the code's expiry with its own deadline.
		p = entry{id: "code-expired", retry: true}.problem(lang, kv...)
	default:
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			p = diagnoseResponse(lang, host, re.Response, re.Body, re.ErrorCode, re.ErrorDescription)
		} else {
			p = diagnoseNetwork(lang, host, err)
		}
	}
	p.Host = host
	p.Err = err
	return p
}

// diagnoseResponse reads an error response: Microsoft's JSON, any RFC 6749
// JSON, or something else altogether (a proxy's HTML page, an empty body).
func diagnoseResponse(lang assets.Lang, host string, resp *http.Response, body []byte, code, desc string) *Problem {
	status := 0
	ctype := ""
	if resp != nil {
		status = resp.StatusCode
		ctype = resp.Header.Get("Content-Type")
	}
	if status >= 300 && status < 400 {
		// Redirects are never followed: the request held a device code
		// or a refresh token, meant for this host only.
		p := entry{id: "redirected"}.problem(lang, "host", host, "status", strconv.Itoa(status),
			"location", assets.OrDash(resp.Header.Get(NotFollowedHeader)))
		p.HTTPStatus = status
		return p
	}
	b, jsonErr := parseErrorBody(body)
	if b.Error == "" {
		b.Error = untrusted.Name(code)
	}
	if b.Description == "" {
		b.Description = untrusted.Text(desc, untrusted.MaxText)
	}
	// Numbers in error_description are for people: they never decide the
	// class when "error" is known (Microsoft: never react to that field).
	descCodes := aadstsIn(b.Description)
	if jsonErr != nil && b.Error == "" {
		p := entry{id: "not-json"}.problem(lang, "host", host, "status", strconv.Itoa(status),
			"type", assets.OrDash(ctype), "excerpt", excerpt(body))
		p.HTTPStatus = status
		return p
	}
	e, known := classifyOAuth(b.Error, b.ErrorCodes, descCodes)
	first := strings.SplitN(strings.TrimSpace(b.Description), "\n", 2)[0]
	first = untrusted.Line(strings.TrimSpace(strings.TrimSuffix(first, "\r")))
	p := e.problem(lang, "host", host, "status", strconv.Itoa(status), "error", assets.OrDash(b.Error),
		"description", assets.OrDash(first), "correlation", assets.OrDash(b.CorrelationID))
	p.HTTPStatus = status
	p.Recognised = known
	p.Code = b.Error
	p.Description = first
	p.ErrorCodes = b.ErrorCodes
	if len(p.ErrorCodes) == 0 {
		p.ErrorCodes = descCodes // shown to whoever reads the sign-in logs
	}
	p.TraceID = b.TraceID
	p.CorrelationID = b.CorrelationID
	p.Timestamp = b.Timestamp
	return p
}

// parseErrorBody reads an error body and cleans every text in it: it came
// from outside and is shown, logged and written to reports.
func parseErrorBody(body []byte) (oauthErrorBody, error) {
	var b oauthErrorBody
	err := json.Unmarshal(body, &b)
	b.Error = untrusted.Name(b.Error)
	b.Description = untrusted.Text(b.Description, untrusted.MaxText)
	b.Timestamp = untrusted.Name(b.Timestamp)
	b.TraceID = untrusted.Name(b.TraceID)
	b.CorrelationID = untrusted.Name(b.CorrelationID)
	if len(b.ErrorCodes) > 20 {
		b.ErrorCodes = b.ErrorCodes[:20]
	}
	return b, err
}

var aadstsRE = lazyRegexp(`AADSTS(\d{4,8})`)

func aadstsIn(s string) []int {
	var out []int
	for _, m := range aadstsRE().FindAllStringSubmatch(s, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			out = append(out, n)
		}
	}
	return out
}

var tagRE = lazyRegexp(`<[^>]*>`)

// excerpt is a short, single-line, printable view of a body that was not
// what we expected (HTML tags dropped, control characters removed).
func excerpt(body []byte) string {
	s := tagRE().ReplaceAllString(string(body), " ")
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(empty)"
	}
	return untrusted.String(s, 121)
}

// diagnoseNetwork names the host and what failed on the way to it.
func diagnoseNetwork(lang assets.Lang, host string, err error) *Problem {
	kv := []string{"host", host, "reason", shortNetErr(err)}
	if proxy := proxyFor(host); proxy != "" {
		kv = append(kv, "proxy", proxy)
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "proxyconnect" {
			return entry{id: "proxy-failed"}.problem(lang, kv...)
		}
	}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &dnsErr):
		return entry{id: "dns-failed", retry: true}.problem(lang, kv...)
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return entry{id: "tls-failed"}.problem(lang, kv...)
	case isTimeout(err):
		return entry{id: "network-timeout", retry: true}.problem(lang, kv...)
	}
	return entry{id: "network-failed", retry: true}.problem(lang, kv...)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shortNetErr drops Go's wrapping ("Post \"https://…\": dial tcp …") down
// to the cause.
func shortNetErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		if se, ok := op.Err.(*os.SyscallError); ok {
			return se.Err.Error()
		}
		return op.Err.Error()
	}
	return err.Error()
}

// proxyFor is the proxy the environment sets for https://host, if any.
func proxyFor(host string) string {
	req := &http.Request{URL: &url.URL{Scheme: "https", Host: host}}
	u, err := http.ProxyFromEnvironment(req)
	if err != nil || u == nil {
		return ""
	}
	u.User = nil // never show proxy credentials
	return u.String()
}
