package demo

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// TenantOptions configure a simulated Entra ID tenant.
type TenantOptions struct {
	Scenario Scenario // "" = ScenarioOK
	Listen   string   // "" = "127.0.0.1:0"
	CA       *CA      // nil = NewCA()
	// Interval is the "interval" sent with a device code, in seconds:
	// 0 = 5; negative = the field is left out (RFC 8628 allows that).
	Interval int
	// ExpiresIn is the "expires_in" of a device code, in seconds: 0 = 900
	// (30 in the code-expired scenario).
	ExpiresIn int
	// AutoApprove > 0: the simulated user acts (approves, or declines in
	// the declined scenario; never in code-expired) that long after a code
	// is issued. 0 = only Approve, Decline or the /devicelogin page.
	AutoApprove time.Duration
	// PublicClientDisabled: "Allow public client flows" is off in the app
	// registration, so the token endpoint answers AADSTS7000218.
	PublicClientDisabled bool
	// OnEvent, if set, is called (from server goroutines, never with a lock
	// held) on every notable event. Details never hold a token or a device
	// code; user codes are fine.
	OnEvent func(Event)
}

// Event is something the simulated tenant did, for the demo UI and the
// log of `mfpmail demo-tenant`.
type Event struct {
	Time time.Time
	// Kind: device_code_issued, poll, approved, declined, expired,
	// token_issued, device_code_reused, consent_granted, consent_declined,
	// graph_me, request_refused.
	Kind   string
	Detail string
}

// Tenant is the simulated Entra ID (v2 device code and token endpoints,
// /devicelogin and /adminconsent pages) and Microsoft Graph /v1.0/me, over
// HTTPS on loopback.
type Tenant struct {
	opts TenantOptions
	ca   *CA
	key  *signingKey
	ln   net.Listener
	srv  *http.Server
	url  string

	mu       sync.Mutex
	closed   bool
	scenario Scenario
	consent  bool
	mfaDone  bool // mfa-required: the simulated user completed MFA once
	byDevice map[string]*deviceAuth
	byUser   map[string]*deviceAuth
	access   map[string]*issuedToken
	refresh  map[string]*refreshGrant
	secrets  []string
	requests map[string]int
	reuses   int
}

// appDisplayName is the name of the device vendor's app (ClientID).
const appDisplayName = "MFP Scan to E-mail (simulated vendor app)"

// Resources the simulated tenant can mint tokens for.
const (
	resOutlook = "https://outlook.office.com"
	resGraph   = "https://graph.microsoft.com"
)

// knownPermissions are the delegated permissions each resource exposes
// (those a client may ask for; others are invalid_scope).
var knownPermissions = map[string][]string{
	resOutlook: {"SMTP.Send", "IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "EWS.AccessAsUser.All", "Mail.Send", "User.Read"},
	resGraph: {"User.Read", "User.ReadBasic.All", "User.Read.All", "Mail.Send", "Mail.Read", "SMTP.Send",
		"IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "Directory.Read.All"},
}

// appPermissions are the delegated permissions configured in the vendor's
// app registration: what an administrator consents to.
var appPermissions = map[string][]string{
	resOutlook: {"SMTP.Send"},
	resGraph:   {"User.Read"},
}

const (
	accessTokenLifetime = 3599 // seconds, as Entra ID sends
	minAccessTokenLen   = 1200
)

type codeState int

const (
	codePending  codeState = iota
	codeApproved           // the user signed in; the next poll gets the outcome
	codeDeclined           // the user declined; the next poll hears it
	codeDone               // an outcome was delivered; further redemptions are refused
)

type deviceAuth struct {
	deviceCode string
	userCode   string
	clientID   string
	tenant     string // canonical tenant segment it was issued on
	scopes     scopeSet
	issued     time.Time
	expires    time.Time
	state      codeState
	user       User
	polls      []time.Time
	timer      *time.Timer
	expiryTold bool
}

// refreshGrant is what a refresh token stands for.
type refreshGrant struct {
	user     User
	clientID string
	tenant   string
	scopes   scopeSet
}

type issuedToken struct {
	info TokenInfo
	user User
}

// StartTenant starts the simulated tenant.
func StartTenant(opts TenantOptions) (*Tenant, error) {
	if opts.Scenario == "" {
		opts.Scenario = ScenarioOK
	}
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	ca := opts.CA
	if ca == nil {
		var err error
		if ca, err = NewCA(); err != nil {
			return nil, err
		}
	}
	key, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("simulated tenant: %w", err)
	}
	t := &Tenant{
		opts:     opts,
		ca:       ca,
		key:      key,
		ln:       ln,
		url:      "https://" + ln.Addr().String(),
		scenario: opts.Scenario,
		consent:  opts.Scenario != ScenarioConsentRequired,
		byDevice: map[string]*deviceAuth{},
		byUser:   map[string]*deviceAuth{},
		access:   map[string]*issuedToken{},
		refresh:  map[string]*refreshGrant{},
		requests: map[string]int{},
	}
	t.srv = &http.Server{
		Handler:           t.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // nothing is logged but through OnEvent
	}
	go func() { _ = t.srv.Serve(tls.NewListener(ln, ca.ServerTLSConfig())) }()
	return t, nil
}

// URL is https://127.0.0.1:PORT, the authority and the Graph base URL.
func (t *Tenant) URL() string { return t.url }

// CA is the CA that signed the server's certificate.
func (t *Tenant) CA() *CA { return t.ca }

// Close stops the server and every pending timer. It can be called again.
func (t *Tenant) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	for _, da := range t.byDevice {
		if da.timer != nil {
			da.timer.Stop()
			da.timer = nil
		}
	}
	t.mu.Unlock()
	return t.srv.Close()
}

// SetScenario switches the scenario. It takes effect at the next request.
// Consent is reset with it: withdrawn for consent-required, granted for
// every other scenario.
func (t *Tenant) SetScenario(s Scenario) {
	if s == "" {
		s = ScenarioOK
	}
	t.mu.Lock()
	t.scenario = s
	t.consent = s != ScenarioConsentRequired
	t.mfaDone = false
	t.mu.Unlock()
}

// Scenario is the current scenario.
func (t *Tenant) Scenario() Scenario {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.scenario
}

// PendingUserCodes are the codes issued and not yet approved, declined or
// expired, oldest first.
func (t *Tenant) PendingUserCodes() []string {
	now := time.Now()
	t.mu.Lock()
	var das []*deviceAuth
	for _, da := range t.byUser {
		if da.state == codePending && now.Before(da.expires) {
			das = append(das, da)
		}
	}
	t.mu.Unlock()
	sort.Slice(das, func(i, j int) bool { return das[i].issued.Before(das[j].issued) })
	out := make([]string, len(das))
	for i, da := range das {
		out[i] = da.userCode
	}
	return out
}

// Polls are the arrival times of every token request for the device code
// behind userCode, whatever it was answered.
func (t *Tenant) Polls(userCode string) []time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if da := t.byUser[normalizeUserCode(userCode)]; da != nil {
		return append([]time.Time(nil), da.polls...)
	}
	return nil
}

// Requests is how many HTTP requests hit exactly path.
func (t *Tenant) Requests(path string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.requests[path]
}

// ReusedDeviceCodes is how many token requests tried to redeem a device
// code again after its outcome (token, refusal or decline) was delivered.
// A correct client never does.
func (t *Tenant) ReusedDeviceCodes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reuses
}

// Secrets are every device code, access, refresh and ID token issued so far.
func (t *Tenant) Secrets() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.secrets...)
}

// ValidateAccessToken looks up an access token this tenant issued. It
// implements TokenValidator; false if unknown or expired.
func (t *Tenant) ValidateAccessToken(tok string) (TokenInfo, bool) {
	t.mu.Lock()
	at := t.access[tok]
	t.mu.Unlock()
	if at == nil || !time.Now().Before(at.info.Expiry) {
		return TokenInfo{}, false
	}
	info := at.info
	info.Scopes = append([]string(nil), info.Scopes...)
	return info, true
}

var _ TokenValidator = (*Tenant)(nil)

func (t *Tenant) emit(evs ...Event) {
	if t.opts.OnEvent == nil {
		return
	}
	for _, ev := range evs {
		if ev.Kind == "" {
			continue
		}
		if ev.Time.IsZero() {
			ev.Time = time.Now()
		}
		t.opts.OnEvent(ev)
	}
}

// routes maps each endpoint to its handler. Every answer is marked not
// to be cached, and every request is counted by its path (Requests).
func (t *Tenant) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/devicelogin", t.serveDeviceLogin)
	mux.HandleFunc("/v1.0/me", t.serveGraphMe)
	perTenant := map[string]tenantHandler{
		"/oauth2/v2.0/devicecode":                t.serveDeviceCode,
		"/oauth2/v2.0/token":                     t.serveToken,
		"/discovery/v2.0/keys":                   t.serveKeys,
		"/v2.0/.well-known/openid-configuration": t.serveOpenIDConfig,
		"/adminconsent":                          t.serveAdminConsent,
		"/v2.0/adminconsent":                     t.serveAdminConsent,
	}
	for path, h := range perTenant {
		page := strings.HasSuffix(path, "/adminconsent") // a browser's page, not an API
		mux.Handle("/{tenant}"+path, t.inTenant(h, page))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		t.requests[r.URL.Path]++
		t.mu.Unlock()
		w.Header().Set("Cache-Control", "no-store, no-cache")
		w.Header().Set("Pragma", "no-cache")
		mux.ServeHTTP(w, r)
	})
}

// tenantHandler serves an endpoint under a tenant segment; canon is the
// segment resolved by resolveTenant.
type tenantHandler func(w http.ResponseWriter, r *http.Request, canon string)

// inTenant resolves the {tenant} segment and refuses an unknown tenant as
// Entra ID does: an error page for a browser's page, JSON for an API.
func (t *Tenant) inTenant(h tenantHandler, page bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seg := r.PathValue("tenant")
		canon, ok := resolveTenant(seg)
		if ok {
			h(w, r, canon)
			return
		}
		// AADSTS90002 InvalidTenantName, worded as Entra ID sends it
		// (quoted in Microsoft's MSAL.NET migration guide, "Migrate
		// confidential client applications from ADAL.NET to MSAL.NET").
		e := aadErr(http.StatusBadRequest, "invalid_request", 90002,
			"Tenant '%s' not found. This may happen if there are no active subscriptions for the tenant. Check to make sure you have the correct tenant ID. Check with your subscription administrator.", seg)
		if page {
			t.renderErrorPage(w, r, e)
			return
		}
		t.writeAADError(w, r, e)
	})
}
