package flow

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
)

// Microsoft's defaults. Every one of them can be overridden, so that any
// RFC 8628 identity provider can stand in.
const (
	DefaultAuthority = "https://login.microsoftonline.com"
	DefaultGraphURL  = "https://graph.microsoft.com"
	// DefaultClientID is the device vendor's application, the one the
	// procedure's consent link names.
	DefaultClientID = "c88859d7-e6a2-48cb-acee-669df3387654"
	// DefaultRedirectURI is the page the procedure's consent link returns to.
	DefaultRedirectURI = "https://opencds-fb.fujifilm.com/gen/mfp_aux/adminConsent.html"
	// SMTPSendScope is Exchange Online's delegated permission for SMTP AUTH.
	SMTPSendScope = "https://outlook.office.com/SMTP.Send"
	// GraphUserReadScope reads the signed-in user's profile from Graph.
	GraphUserReadScope = "https://graph.microsoft.com/User.Read"
)

// DefaultScopes are requested at sign-in: one resource (Exchange Online),
// a refresh token, and an ID token with the user's names.
var DefaultScopes = []string{SMTPSendScope, "offline_access", "openid", "profile", "email"}

// Config is everything the sign-in needs to know about where to sign in.
type Config struct {
	Lang    assets.Lang
	UI      UIGen
	Account Account

	Authority     string // scheme://host[/path], no trailing slash
	Tenant        string // "" = organizations (work) or consumers (personal)
	ClientID      string
	Scopes        []string
	DeviceAuthURL string // "" = {Authority}/{tenant}/oauth2/v2.0/devicecode
	TokenURL      string // "" = {Authority}/{tenant}/oauth2/v2.0/token
	GraphURL      string // "" = DefaultGraphURL; "-" = do not ask Graph
	RedirectURI   string // for the consent link

	// HTTPClient carries the proxy from the environment and the trusted
	// roots. nil = NewHTTPClient(nil).
	HTTPClient *http.Client
	// Log is the support log (--log); nil = none. See WithLog.
	Log *slog.Logger
}

// WithDefaults fills every empty field with Microsoft's value.
func (c Config) WithDefaults() Config {
	if c.Lang == "" {
		c.Lang = assets.EN
	}
	if c.UI == "" {
		c.UI = DefaultUIGen(c.Lang)
	}
	if c.Account == "" {
		c.Account = AccountWork
	}
	if c.Authority == "" {
		c.Authority = DefaultAuthority
	}
	c.Authority = strings.TrimRight(c.Authority, "/")
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if len(c.Scopes) == 0 {
		c.Scopes = append([]string(nil), DefaultScopes...)
	}
	if c.GraphURL == "" {
		c.GraphURL = DefaultGraphURL
	}
	if c.RedirectURI == "" {
		c.RedirectURI = DefaultRedirectURI
	}
	if c.HTTPClient == nil {
		c.HTTPClient = NewHTTPClient(nil)
	}
	c.HTTPClient = guardClient(c.HTTPClient)
	return c
}

// TenantPath is the tenant segment of the endpoints.
func (c Config) TenantPath() string {
	if c.Tenant != "" {
		return c.Tenant
	}
	if c.Account == AccountPersonal {
		return "consumers"
	}
	return "organizations"
}

// Endpoint is the OAuth endpoint, with the client's parameters in the
// body: the library's auto-detection would otherwise send every poll twice.
func (c Config) Endpoint() oauth2.Endpoint {
	base := c.Authority + "/" + url.PathEscape(c.TenantPath()) + "/oauth2/v2.0"
	e := oauth2.Endpoint{
		DeviceAuthURL: base + "/devicecode",
		TokenURL:      base + "/token",
		AuthStyle:     oauth2.AuthStyleInParams,
	}
	if c.DeviceAuthURL != "" {
		e.DeviceAuthURL = c.DeviceAuthURL
	}
	if c.TokenURL != "" {
		e.TokenURL = c.TokenURL
	}
	return e
}

// OAuth2 is the x/oauth2 configuration of a public client.
func (c Config) OAuth2() *oauth2.Config {
	return &oauth2.Config{ClientID: c.ClientID, Endpoint: c.Endpoint(), Scopes: c.Scopes}
}

// ConsentURL is the administrator consent link as the procedure gives it,
// with the tenant in place of "common" when one was named.
func (c Config) ConsentURL() string {
	tenant := "common"
	if c.Tenant != "" && c.Tenant != "organizations" && c.Tenant != "consumers" {
		tenant = c.Tenant
	}
	// The procedure's link leaves the redirect URI unescaped; keep it so,
	// it is what administrators compare against.
	return c.Authority + "/" + url.PathEscape(tenant) + "/adminconsent?client_id=" +
		url.QueryEscape(c.ClientID) + "&redirect_uri=" + c.RedirectURI
}

// IdentityHost is the host name the sign-in talks to, for messages and the
// network pre-check.
func (c Config) IdentityHost() string {
	u, err := url.Parse(c.Endpoint().DeviceAuthURL)
	if err != nil {
		return c.Authority
	}
	return u.Host
}

// RootsWithCA returns the system roots plus the certificates in pemFile.
func RootsWithCA(pemFile string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	b, err := os.ReadFile(pemFile)
	if err != nil {
		return nil, fmt.Errorf("--ca-file %q: cannot read it (%v); give a PEM file holding the lab CA certificate", pemFile, unwrapPathErr(err))
	}
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("--ca-file %q: no PEM certificate found in it; give a PEM file holding the lab CA certificate", pemFile)
	}
	return pool, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ValidateURL checks an endpoint flag: an absolute https:// URL, or
// http:// to a loopback address only (a lab identity provider on this
// machine). Tokens never cross a network in clear.
//
// User info (user:password@) is refused, and the password is not repeated
// in the message: it would otherwise travel in every request and log line.
func ValidateURL(flagName, s string) error {
	u, err := url.Parse(s)
	if err == nil && u.User != nil {
		return fmt.Errorf("--%s %q: give the URL without user info (user:password@)", flagName, u.Redacted())
	}
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("--%s %q: give an absolute https:// URL, e.g. %s", flagName, s, DefaultAuthority)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("--%s %q: http:// is allowed only on loopback (127.0.0.1, ::1, localhost); use https://", flagName, s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--%s %q: give the URL without a query or fragment", flagName, s)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// guidRE and domainRE: only --tenant needs them.
var (
	guidRE   = lazyRegexp(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	domainRE = lazyRegexp(`^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$`)
)

// lazyRegexp is a pattern compiled on its first use rather than when the
// program starts: the package's patterns cost more of the start than all
// its other package-level values, and most runs use few of them.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// ValidateTenant accepts a tenant id (GUID), a verified domain, or one of
// organizations, consumers, common.
func ValidateTenant(s string) error {
	switch {
	case s == "organizations" || s == "consumers" || s == "common":
		return nil
	case guidRE().MatchString(s), domainRE().MatchString(s):
		return nil
	}
	return fmt.Errorf("--tenant %q: give the tenant's domain (e.g. contoso.com), its tenant id (a GUID), or organizations, consumers, common", s)
}

// ValidateHeaderValue accepts a value that goes into a mail header (the
// sender's display name): one line, no control characters, at most 200
// characters. A line break would start a header of its own.
func ValidateHeaderValue(flagName, s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return fmt.Errorf("--%s %q: give it on one line (no CR or LF): it goes into a mail header", flagName, s)
	}
	if !untrusted.Clean(s) {
		return fmt.Errorf("--%s %q: give it without control characters: it goes into a mail header", flagName, s)
	}
	if n := len([]rune(s)); n > 200 {
		return fmt.Errorf("--%s: %d characters; give at most 200", flagName, n)
	}
	return nil
}

// ValidateClientID accepts an application (client) id.
func ValidateClientID(s string) error {
	if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\r\n&?#/") {
		return fmt.Errorf("--client-id %q: give the application (client) id of the app registration, e.g. %s", s, DefaultClientID)
	}
	return nil
}
