package demo

import (
	"crypto/tls"
	"encoding/json"
	"errors"
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
		Handler:           http.HandlerFunc(t.serveHTTP),
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

// Errors of Approve and Decline.
var (
	ErrUnknownUserCode  = errors.New("no such code was issued")
	ErrCodeUsed         = errors.New("the code was already approved or declined")
	ErrCodeExpired      = errors.New("the code has expired")
	ErrUnknownUser      = errors.New("no such user in the simulated tenant")
	ErrWrongAccountType = errors.New("this kind of account cannot sign in where the code was requested")
)

// Approve makes the simulated user sign in with userCode as upn ("" = the
// scenario's account: the personal one when the code was requested on
// /consumers). The next poll then gets the scenario's outcome.
func (t *Tenant) Approve(userCode string, upn string) error {
	return t.act(userCode, true, upn, "Approve")
}

// Decline makes the simulated user refuse the sign-in.
func (t *Tenant) Decline(userCode string) error {
	return t.act(userCode, false, "", "Decline")
}

// normalizeUserCode accepts a code typed with spaces, dashes or in lower case.
func normalizeUserCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

func (t *Tenant) act(userCode string, approve bool, upn, via string) error {
	code := normalizeUserCode(userCode)
	t.mu.Lock()
	da := t.byUser[code]
	if da == nil {
		t.mu.Unlock()
		return fmt.Errorf("user code %q: %w", userCode, ErrUnknownUserCode)
	}
	if da.state != codePending {
		t.mu.Unlock()
		return fmt.Errorf("user code %s: %w", code, ErrCodeUsed)
	}
	if !time.Now().Before(da.expires) {
		t.mu.Unlock()
		return fmt.Errorf("user code %s: %w", code, ErrCodeExpired)
	}
	var ev Event
	if approve {
		var u User
		if upn == "" {
			u = t.scenario.SignInUser(da.tenant == "consumers")
		} else {
			var ok bool
			if u, ok = FindUser(strings.TrimSpace(upn)); !ok {
				t.mu.Unlock()
				return fmt.Errorf("%q: %w", upn, ErrUnknownUser)
			}
		}
		if !accountAllowed(da.tenant, u) {
			t.mu.Unlock()
			return fmt.Errorf("%s on /%s: %w", u.UPN, da.tenant, ErrWrongAccountType)
		}
		da.state, da.user = codeApproved, u
		ev = Event{Kind: "approved", Detail: fmt.Sprintf("user code %s: signed in as %s (%s)", code, u.UPN, via)}
	} else {
		da.state = codeDeclined
		ev = Event{Kind: "declined", Detail: fmt.Sprintf("user code %s: sign-in declined (%s)", code, via)}
	}
	if da.timer != nil {
		da.timer.Stop()
		da.timer = nil
	}
	t.mu.Unlock()
	t.emit(ev)
	return nil
}

// accountAllowed says whether u can sign in on the tenant segment canon:
// /consumers takes personal accounts only, /organizations and the tenant
// itself work accounts only, /common both.
func accountAllowed(canon string, u User) bool {
	switch canon {
	case "common":
		return true
	case "consumers":
		return u.Personal
	}
	return !u.Personal
}

// autoAct is the simulated user acting on their own (AutoApprove).
func (t *Tenant) autoAct(userCode string) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	if da := t.byUser[userCode]; da != nil {
		da.timer = nil
	}
	sc := t.scenario
	t.mu.Unlock()
	switch sc {
	case ScenarioCodeExpired:
		// The user never gets round to it.
	case ScenarioDeclined:
		_ = t.act(userCode, false, "", "simulated user")
	default:
		_ = t.act(userCode, true, "", "simulated user")
	}
}

// GrantConsent records that an administrator consented for the tenant.
func (t *Tenant) GrantConsent() {
	t.mu.Lock()
	already := t.consent
	t.consent = true
	t.mu.Unlock()
	if !already {
		t.emit(Event{Kind: "consent_granted", Detail: "an administrator consented to " + appDisplayName + " for " + TenantDomain})
	}
}

// ConsentGranted says whether the tenant has consented to the app.
func (t *Tenant) ConsentGranted() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.consent
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

// ---- HTTP ----

func (t *Tenant) serveHTTP(w http.ResponseWriter, r *http.Request) {
	t.mu.Lock()
	t.requests[r.URL.Path]++
	t.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")

	switch r.URL.Path {
	case "/devicelogin":
		t.serveDeviceLogin(w, r)
		return
	case "/v1.0/me":
		t.serveGraphMe(w, r)
		return
	}
	seg, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if !ok || seg == "" {
		http.NotFound(w, r)
		return
	}
	rest = "/" + rest
	var handler func(http.ResponseWriter, *http.Request, string)
	switch rest {
	case "/oauth2/v2.0/devicecode":
		handler = t.serveDeviceCode
	case "/oauth2/v2.0/token":
		handler = t.serveToken
	case "/adminconsent", "/v2.0/adminconsent":
		handler = t.serveAdminConsent
	case "/discovery/v2.0/keys":
		handler = t.serveKeys
	case "/v2.0/.well-known/openid-configuration":
		handler = t.serveOpenIDConfig
	default:
		http.NotFound(w, r)
		return
	}
	canon, ok := resolveTenant(seg)
	if !ok {
		e := aadErr(http.StatusBadRequest, "invalid_request", 90002,
			"Tenant '%s' not found. Check that the tenant ID or domain name is right and that you are signing in to the right cloud. This also happens when the tenant has no active subscription.", seg)
		if rest == "/adminconsent" || rest == "/v2.0/adminconsent" {
			t.renderErrorPage(w, r, e)
			return
		}
		t.writeAADError(w, r, e)
		return
	}
	handler(w, r, canon)
}

// resolveTenant maps the tenant segment of a path to "common",
// "organizations", "consumers" or "contoso" (the simulated tenant, by id or
// domain, case-insensitive).
func resolveTenant(seg string) (string, bool) {
	switch l := strings.ToLower(seg); l {
	case "common", "organizations", "consumers":
		return l, true
	case strings.ToLower(TenantID), strings.ToLower(TenantDomain), strings.ToLower(TenantInitialDomain):
		return "contoso", true
	}
	return "", false
}

// aadError is an Entra ID error answer.
type aadError struct {
	status int
	code   string // the OAuth "error"
	aadsts int    // 0 = no AADSTS number (slow_down)
	text   string
}

func aadErr(status int, code string, aadsts int, format string, args ...any) *aadError {
	return &aadError{status: status, code: code, aadsts: aadsts, text: fmt.Sprintf(format, args...)}
}

func (e *aadError) summary() string {
	if e.aadsts == 0 {
		return e.code
	}
	return fmt.Sprintf("%s AADSTS%d", e.code, e.aadsts)
}

// aadErrorBody is Entra ID's error JSON, fields in Microsoft's order.
type aadErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes,omitempty"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri,omitempty"`
}

const aadTimestamp = "2006-01-02 15:04:05Z"

// ids returns a trace id and a correlation id: the client's
// client-request-id when it sent one, as Entra ID does.
func aadIDs(r *http.Request) (trace, corr string) {
	trace = guidV4()
	corr = strings.ToLower(strings.TrimSpace(r.Header.Get("client-request-id")))
	if !isLowerGUID(corr) {
		corr = guidV4()
	}
	return trace, corr
}

func isLowerGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

func (t *Tenant) errorBody(r *http.Request, e *aadError) aadErrorBody {
	trace, corr := aadIDs(r)
	ts := time.Now().UTC().Format(aadTimestamp)
	desc := e.text
	if e.aadsts != 0 {
		desc = fmt.Sprintf("AADSTS%d: %s", e.aadsts, e.text)
	}
	b := aadErrorBody{
		Error:            e.code,
		ErrorDescription: desc + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + corr + "\r\nTimestamp: " + ts,
		Timestamp:        ts,
		TraceID:          trace,
		CorrelationID:    corr,
	}
	if e.aadsts != 0 {
		b.ErrorCodes = []int{e.aadsts}
		b.ErrorURI = fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", e.aadsts)
	}
	return b
}

func (t *Tenant) writeAADError(w http.ResponseWriter, r *http.Request, e *aadError) {
	b := t.errorBody(r, e)
	w.Header().Set("x-ms-request-id", b.TraceID)
	writeJSONReply(w, e.status, b)
}

func writeJSONReply(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// readPostForm checks the method and reads the form body.
func readPostForm(r *http.Request) *aadError {
	if r.Method != http.MethodPost {
		return aadErr(http.StatusBadRequest, "invalid_request", 900561,
			"The endpoint only accepts POST requests. Received a %s request.", r.Method)
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return aadErr(http.StatusBadRequest, "invalid_request", 900144,
			"The request body must be application/x-www-form-urlencoded and could not be read.")
	}
	return nil
}

func missingParam(name string) *aadError {
	return aadErr(http.StatusBadRequest, "invalid_request", 900144,
		"The request body must contain the following parameter: '%s'.", name)
}

// checkClient validates client_id (in the body).
func checkClient(clientID string) *aadError {
	if clientID == "" {
		return missingParam("client_id")
	}
	if !strings.EqualFold(clientID, ClientID) {
		return aadErr(http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '%s' was not found in the directory '%s'. The application may not have been installed by an administrator of the tenant or consented to by any user in the tenant, or the authentication request may have been sent to the wrong tenant.",
			clientID, TenantDomain)
	}
	return nil
}

// ---- /devicecode ----

type deviceCodeResponse struct {
	UserCode        string `json:"user_code"`
	DeviceCode      string `json:"device_code"`
	VerificationURI string `json:"verification_uri"`
	ExpiresIn       int    `json:"expires_in"`
	Interval        *int   `json:"interval,omitempty"`
	Message         string `json:"message"`
}

func (t *Tenant) serveDeviceCode(w http.ResponseWriter, r *http.Request, canon string) {
	if e := readPostForm(r); e != nil {
		t.refuse(w, r, e)
		return
	}
	clientID := r.PostForm.Get("client_id")
	if e := checkClient(clientID); e != nil {
		t.refuse(w, r, e)
		return
	}
	rawScope := r.PostForm.Get("scope")
	if strings.TrimSpace(rawScope) == "" {
		t.refuse(w, r, missingParam("scope"))
		return
	}
	ss, e := parseScopes(rawScope)
	if e != nil {
		t.refuse(w, r, e)
		return
	}

	now := time.Now()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	expiresIn := t.opts.ExpiresIn
	if expiresIn <= 0 {
		expiresIn = 900
		if t.scenario == ScenarioCodeExpired {
			expiresIn = 30
		}
	}
	userCode := newUserCode()
	for t.byUser[userCode] != nil {
		userCode = newUserCode()
	}
	da := &deviceAuth{
		deviceCode: "DAQABIQEAAAD" + randomTokenText(240),
		userCode:   userCode,
		clientID:   ClientID,
		tenant:     canon,
		scopes:     ss,
		issued:     now,
		expires:    now.Add(time.Duration(expiresIn) * time.Second),
	}
	t.byDevice[da.deviceCode] = da
	t.byUser[userCode] = da
	t.secrets = append(t.secrets, da.deviceCode)
	if t.opts.AutoApprove > 0 {
		da.timer = time.AfterFunc(t.opts.AutoApprove, func() { t.autoAct(userCode) })
	}
	t.mu.Unlock()

	resp := deviceCodeResponse{
		UserCode:        userCode,
		DeviceCode:      da.deviceCode,
		VerificationURI: t.url + "/devicelogin",
		ExpiresIn:       expiresIn,
		Message:         deviceCodeMessage(r.URL.Query().Get("mkt"), t.url+"/devicelogin", userCode),
	}
	switch {
	case t.opts.Interval == 0:
		i := 5
		resp.Interval = &i
	case t.opts.Interval > 0:
		i := t.opts.Interval
		resp.Interval = &i
	}
	t.emit(Event{Kind: "device_code_issued", Detail: fmt.Sprintf("user code %s on /%s for %s, expires in %d s",
		userCode, canon, ss.String(), expiresIn)})
	writeJSONReply(w, http.StatusOK, resp)
}

// deviceCodeMessage is the instruction sentence, localized by ?mkt= as
// Entra ID does (English unless Japanese is asked for).
func deviceCodeMessage(mkt, uri, code string) string {
	if strings.HasPrefix(strings.ToLower(mkt), "ja") {
		return fmt.Sprintf("サインインするには、Web ブラウザーでページ %s を開き、コード %s を入力して認証してください。", uri, code)
	}
	return fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", uri, code)
}

// userCodeAlphabet: upper-case letters and digits, without the easily
// confused 0, O, 1 and I.
const userCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newUserCode returns 9 characters like Entra ID's user codes (e.g.
// "HDK7PQ2XM"), holding at least one letter and one digit.
func newUserCode() string {
	for {
		s := randomTokenText(9)
		var sb strings.Builder
		letters, digits := 0, 0
		for i := 0; i < len(s); i++ {
			c := userCodeAlphabet[strings.IndexByte(tokenAlphabet, s[i])%len(userCodeAlphabet)]
			if c >= '2' && c <= '9' {
				digits++
			} else {
				letters++
			}
			sb.WriteByte(c)
		}
		if letters > 0 && digits > 0 {
			return sb.String()
		}
	}
}

// refuse answers an Entra ID error and reports it.
func (t *Tenant) refuse(w http.ResponseWriter, r *http.Request, e *aadError) {
	t.emit(Event{Kind: "request_refused", Detail: fmt.Sprintf("%s %s: %s", r.Method, r.URL.Path, e.summary())})
	t.writeAADError(w, r, e)
}

// ---- scopes ----

// scopeSet is a parsed scope parameter: at most one resource.
type scopeSet struct {
	resource string          // resOutlook, resGraph, or "" when only OpenID scopes were asked
	perms    []string        // the resource's permissions, short names, canonical case
	oidc     map[string]bool // openid, profile, email, offline_access
}

var oidcOrder = []string{"openid", "profile", "email", "offline_access"}

// String is the scope string of a token response: the permissions with
// their resource, then the OpenID scopes.
func (s scopeSet) String() string {
	var parts []string
	for _, p := range s.perms {
		parts = append(parts, s.resource+"/"+p)
	}
	for _, o := range oidcOrder {
		if s.oidc[o] {
			parts = append(parts, o)
		}
	}
	return strings.Join(parts, " ")
}

func canonicalResource(s string) (string, bool) {
	switch strings.ToLower(strings.TrimRight(s, "/")) {
	case "https://outlook.office.com", "https://outlook.office365.com", "outlook.office.com", "outlook.office365.com":
		return resOutlook, true
	case "https://graph.microsoft.com", "graph.microsoft.com", "00000003-0000-0000-c000-000000000000":
		return resGraph, true
	}
	return "", false
}

func parseScopes(raw string) (scopeSet, *aadError) {
	ss := scopeSet{oidc: map[string]bool{}}
	defaultAsked := false
	for _, sc := range strings.Fields(raw) {
		l := strings.ToLower(sc)
		switch l {
		case "openid", "profile", "email", "offline_access":
			ss.oidc[l] = true
			continue
		}
		res, perm := resGraph, sc // a bare permission name belongs to Microsoft Graph
		if i := strings.LastIndex(sc, "/"); i >= 0 {
			var ok bool
			if res, ok = canonicalResource(sc[:i]); !ok {
				return ss, aadErr(http.StatusBadRequest, "invalid_resource", 500011,
					"The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant, or if the request was sent to the wrong tenant.",
					sc[:i], TenantDomain)
			}
			perm = sc[i+1:]
		}
		if ss.resource != "" && ss.resource != res {
			return ss, aadErr(http.StatusBadRequest, "invalid_scope", 700022,
				"The provided value for the input parameter scope is not valid because it contains more than one resource. Scope %s is not valid.", raw)
		}
		ss.resource = res
		if perm == ".default" {
			defaultAsked = true
			continue
		}
		canon := ""
		for _, k := range knownPermissions[res] {
			if strings.EqualFold(k, perm) {
				canon = k
			}
		}
		if canon == "" {
			return ss, aadErr(http.StatusBadRequest, "invalid_scope", 70011,
				"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope '%s' does not exist.", sc)
		}
		if !hasString(ss.perms, canon) {
			ss.perms = append(ss.perms, canon)
		}
	}
	if defaultAsked {
		if len(ss.perms) > 0 {
			return ss, aadErr(http.StatusBadRequest, "invalid_scope", 70011,
				"The provided value for the input parameter 'scope' is not valid. The scope '%s' combines the static scope '/.default' with dynamic scopes.", raw)
		}
		ss.perms = append(ss.perms, appPermissions[ss.resource]...)
	}
	if ss.resource == "" && len(ss.oidc) == 0 {
		return ss, aadErr(http.StatusBadRequest, "invalid_scope", 70011,
			"The provided value for the input parameter 'scope' is not valid.")
	}
	return ss, nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// consented says whether the tenant's consent covers ss (work accounts).
func (t *Tenant) consentedLocked(ss scopeSet) bool {
	if !t.consent {
		return false
	}
	for _, p := range ss.perms {
		if !hasString(appPermissions[ss.resource], p) {
			return false
		}
	}
	return true
}

func consentError() *aadError {
	return aadErr(http.StatusBadRequest, "invalid_grant", 65001,
		"The user or administrator has not consented to use the application with ID '%s' named '%s'. Send an interactive authorization request for this user and resource, or have an administrator grant consent for the tenant.",
		ClientID, appDisplayName)
}

// ---- /token ----

type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
}

const grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

func (t *Tenant) serveToken(w http.ResponseWriter, r *http.Request, canon string) {
	if e := readPostForm(r); e != nil {
		t.refuse(w, r, e)
		return
	}
	f := r.PostForm
	grantType := f.Get("grant_type")

	// A poll is recorded for its device code whatever the answer.
	var da *deviceAuth
	var pollN int
	if grantType == grantDeviceCode && f.Get("device_code") != "" {
		t.mu.Lock()
		if da = t.byDevice[f.Get("device_code")]; da != nil {
			da.polls = append(da.polls, time.Now())
			pollN = len(da.polls)
		}
		t.mu.Unlock()
	}

	scheme, _, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if strings.EqualFold(scheme, "Basic") || f.Get("client_secret") != "" || f.Get("client_assertion") != "" {
		t.refusePoll(w, r, da, aadErr(http.StatusUnauthorized, "invalid_client", 700025,
			"Client is public so neither 'client_assertion' nor 'client_secret' should be presented."))
		return
	}
	if e := checkClient(f.Get("client_id")); e != nil {
		t.refusePoll(w, r, da, e)
		return
	}
	if t.opts.PublicClientDisabled {
		t.refusePoll(w, r, da, aadErr(http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'."))
		return
	}
	switch grantType {
	case "":
		t.refuse(w, r, missingParam("grant_type"))
	case grantDeviceCode:
		if f.Get("device_code") == "" {
			t.refuse(w, r, missingParam("device_code"))
			return
		}
		t.pollDeviceCode(w, r, canon, da, pollN)
	case "refresh_token":
		t.redeemRefresh(w, r, canon)
	default:
		t.refuse(w, r, aadErr(http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '%s'.", grantType))
	}
}

func (t *Tenant) refusePoll(w http.ResponseWriter, r *http.Request, da *deviceAuth, e *aadError) {
	if da != nil {
		t.emit(Event{Kind: "poll", Detail: fmt.Sprintf("user code %s: %s", da.userCode, e.summary())})
		t.writeAADError(w, r, e)
		return
	}
	t.refuse(w, r, e)
}

func (t *Tenant) pollDeviceCode(w http.ResponseWriter, r *http.Request, canon string, da *deviceAuth, pollN int) {
	if da == nil {
		t.refuse(w, r, aadErr(http.StatusBadRequest, "bad_verification_code", 70018,
			"The provided device code is not valid. Check that it was copied whole from the device code response."))
		return
	}
	now := time.Now()
	var evs []Event
	var e *aadError
	var resp *tokenResponse

	t.mu.Lock()
	code := da.userCode
	switch {
	case da.tenant != canon:
		e = aadErr(http.StatusBadRequest, "bad_verification_code", 70018,
			"The provided device code is not valid at this endpoint: poll the token endpoint of the tenant ('%s') the code was requested from.", da.tenant)
	case da.state == codeDone:
		t.reuses++
		evs = append(evs, Event{Kind: "device_code_reused", Detail: fmt.Sprintf("user code %s: device code redeemed again after its outcome was delivered", code)})
		e = aadErr(http.StatusBadRequest, "invalid_grant", 90120,
			"The device code flow request was already authorized or declined. Start a new device code flow.")
	case da.state == codeDeclined:
		da.state = codeDone
		e = aadErr(http.StatusBadRequest, "authorization_declined", 70000,
			"The user declined the authentication request.")
	case !now.Before(da.expires):
		if da.state == codePending && !da.expiryTold {
			evs = append(evs, Event{Kind: "expired", Detail: fmt.Sprintf("user code %s expired before anyone signed in", code)})
		}
		da.expiryTold = true
		if da.timer != nil {
			da.timer.Stop()
			da.timer = nil
		}
		e = aadErr(http.StatusBadRequest, "expired_token", 70019,
			"Verification code expired. The user did not finish signing in before the device code expired. Start a new device code flow.")
	case t.scenario == ScenarioSlowDown && pollN == 1:
		e = &aadError{status: http.StatusBadRequest, code: "slow_down",
			text: "The client is polling too quickly. Wait longer between polls: add 5 seconds to the interval."}
	case da.state == codePending:
		e = aadErr(http.StatusBadRequest, "authorization_pending", 70016,
			"OAuth 2.0 device flow error. The user has not finished signing in yet. Keep polling at the given interval.")
	default: // approved: the outcome
		da.state = codeDone
		u := da.user
		switch {
		case !u.Personal && t.scenario == ScenarioDeviceFlowBlocked:
			e = aadErr(http.StatusBadRequest, "invalid_grant", 53003,
				"Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.")
		case !u.Personal && !t.consentedLocked(da.scopes):
			e = consentError()
		default:
			g := &refreshGrant{user: u, clientID: da.clientID, tenant: da.tenant, scopes: da.scopes}
			var ev Event
			resp, ev = t.issueLocked(g, da.scopes, false, now)
			ev.Detail += fmt.Sprintf(" (user code %s)", code)
			evs = append(evs, ev)
		}
	}
	t.mu.Unlock()

	if e != nil {
		t.emit(append([]Event{{Kind: "poll", Detail: fmt.Sprintf("user code %s: %s", code, e.summary())}}, evs...)...)
		t.writeAADError(w, r, e)
		return
	}
	t.emit(append([]Event{{Kind: "poll", Detail: fmt.Sprintf("user code %s: token issued", code)}}, evs...)...)
	writeJSONReply(w, http.StatusOK, resp)
}

func (t *Tenant) redeemRefresh(w http.ResponseWriter, r *http.Request, canon string) {
	f := r.PostForm
	rt := f.Get("refresh_token")
	if rt == "" {
		t.refuse(w, r, missingParam("refresh_token"))
		return
	}
	t.mu.Lock()
	g := t.refresh[rt]
	t.mu.Unlock()
	if g == nil {
		t.refuse(w, r, aadErr(http.StatusBadRequest, "invalid_grant", 9002313,
			"Invalid request. The refresh token is malformed or was not issued by this tenant."))
		return
	}
	if !strings.EqualFold(f.Get("client_id"), g.clientID) {
		t.refuse(w, r, aadErr(http.StatusBadRequest, "invalid_grant", 70000,
			"The provided grant was issued to a different client."))
		return
	}
	if !accountAllowed(canon, g.user) {
		t.refuse(w, r, aadErr(http.StatusBadRequest, "invalid_grant", 7000012,
			"The grant was obtained for a different tenant or account type; redeem the refresh token at the endpoint ('%s') it was issued at.", g.tenant))
		return
	}
	ss := g.scopes
	explicit := strings.TrimSpace(f.Get("scope")) != ""
	if explicit {
		var e *aadError
		if ss, e = parseScopes(f.Get("scope")); e != nil {
			t.refuse(w, r, e)
			return
		}
		if ss.resource == "" {
			ss.resource, ss.perms = g.scopes.resource, g.scopes.perms
		}
	}
	now := time.Now()
	t.mu.Lock()
	if !g.user.Personal && !t.consentedLocked(ss) {
		t.mu.Unlock()
		t.refuse(w, r, consentError())
		return
	}
	resp, ev := t.issueLocked(g, ss, true, now)
	t.mu.Unlock()
	ev.Detail += " (refresh)"
	t.emit(ev)
	writeJSONReply(w, http.StatusOK, resp)
}

// issueLocked mints the tokens of one response for g's user, for the
// resource of ss. t.mu is held.
func (t *Tenant) issueLocked(g *refreshGrant, ss scopeSet, refreshing bool, now time.Time) (*tokenResponse, Event) {
	u := g.user
	tid := TenantID
	if u.Personal {
		tid = ConsumerTenantID
	}
	res, perms := ss.resource, ss.perms
	if res == "" { // only OpenID scopes: Entra ID gives a Graph token
		res = resGraph
		for _, o := range []string{"openid", "profile", "email"} {
			if ss.oidc[o] {
				perms = append(perms, o)
			}
		}
	}
	info := TokenInfo{
		UPN:      u.UPN,
		TenantID: tid,
		Scopes:   append([]string(nil), perms...),
		Audience: res,
		Expiry:   now.Add(accessTokenLifetime * time.Second),
	}
	var at string
	if u.Personal {
		// Tokens for personal accounts are opaque (encrypted) blobs.
		at = "EwB" + randomTokenText(minAccessTokenLen+200)
	} else {
		at = t.workAccessToken(g, info, now)
	}
	t.access[at] = &issuedToken{info: info, user: u}
	t.secrets = append(t.secrets, at)

	resp := &tokenResponse{
		TokenType:    "Bearer",
		Scope:        ss.String(),
		ExpiresIn:    accessTokenLifetime,
		ExtExpiresIn: accessTokenLifetime,
		AccessToken:  at,
	}
	if g.scopes.oidc["offline_access"] && (refreshing || ss.oidc["offline_access"]) {
		prefix := "1.AXkA"
		if u.Personal {
			prefix = "M.C507_BAY.0.U.-"
		}
		rt := prefix + randomTokenText(900)
		t.refresh[rt] = g
		t.secrets = append(t.secrets, rt)
		resp.RefreshToken = rt
	}
	if ss.oidc["openid"] {
		resp.IDToken = t.idToken(g, ss, now)
		t.secrets = append(t.secrets, resp.IDToken)
	}
	what := "access token"
	if resp.RefreshToken != "" {
		what += ", refresh token"
	}
	if resp.IDToken != "" {
		what += ", ID token"
	}
	return resp, Event{Kind: "token_issued", Detail: fmt.Sprintf("%s for %s: audience %s, scopes %s",
		what, u.UPN, res, strings.Join(info.Scopes, " "))}
}

func (t *Tenant) workAccessToken(g *refreshGrant, info TokenInfo, now time.Time) string {
	u := g.user
	given, family := splitName(u.Name)
	claims := map[string]any{
		"aud":             info.Audience,
		"iss":             "https://sts.windows.net/" + info.TenantID + "/",
		"iat":             now.Unix(),
		"nbf":             now.Add(-5 * time.Minute).Unix(),
		"exp":             info.Expiry.Unix(),
		"acct":            0,
		"acr":             "1",
		"amr":             []string{"pwd", "mfa"},
		"app_displayname": appDisplayName,
		"appid":           g.clientID,
		"appidacr":        "0",
		"family_name":     family,
		"given_name":      given,
		"idtyp":           "user",
		"ipaddr":          "127.0.0.1",
		"name":            u.Name,
		"oid":             u.ObjectID,
		"platf":           "14",
		"puid":            "10032003" + strings.ToUpper(randomTokenText(8)),
		"rh":              "1.AXkA" + randomTokenText(60) + ".",
		"scp":             strings.Join(info.Scopes, " "),
		"sid":             guidV4(),
		"sub":             pairwiseSub(u.ObjectID, info.Audience),
		"tid":             info.TenantID,
		"unique_name":     u.UPN,
		"upn":             u.UPN,
		"uti":             randomTokenText(22),
		"ver":             "1.0",
		"xms_ftd":         randomTokenText(40),
	}
	tok, err := t.key.signPadded(claims, "aio", minAccessTokenLen)
	if err != nil {
		// Signing with a fresh in-memory key cannot fail in practice; an
		// opaque token still works with ValidateAccessToken.
		return "eyJ0eXAiOiJKV1QifQ." + randomTokenText(minAccessTokenLen)
	}
	return tok
}

func (t *Tenant) idToken(g *refreshGrant, ss scopeSet, now time.Time) string {
	u := g.user
	tid := TenantID
	if u.Personal {
		tid = ConsumerTenantID
	}
	claims := map[string]any{
		"aud": g.clientID,
		"iss": "https://login.microsoftonline.com/" + tid + "/v2.0",
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
		"aio": randomTokenText(120),
		"rh":  "1.AXkA" + randomTokenText(60) + ".",
		"sub": pairwiseSub(u.ObjectID, g.clientID),
		"tid": tid,
		"uti": randomTokenText(22),
		"ver": "2.0",
	}
	if ss.oidc["profile"] {
		claims["name"] = u.Name
		claims["preferred_username"] = u.UPN
		claims["oid"] = u.ObjectID
	}
	if ss.oidc["email"] && u.Mail != "" {
		claims["email"] = u.Mail
	}
	tok, err := t.key.sign(claims)
	if err != nil {
		return ""
	}
	return tok
}

// splitName guesses given and family names for the token claims.
func splitName(name string) (given, family string) {
	if g, f, ok := strings.Cut(name, ", "); ok {
		return f, g
	}
	if g, f, ok := strings.Cut(name, " "); ok {
		return g, f
	}
	return name, ""
}

// ---- discovery ----

func (t *Tenant) serveKeys(w http.ResponseWriter, r *http.Request, canon string) {
	writeJSONReply(w, http.StatusOK, t.key.jwks())
}

func (t *Tenant) serveOpenIDConfig(w http.ResponseWriter, r *http.Request, canon string) {
	seg := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
	issuer := "https://login.microsoftonline.com/{tenantid}/v2.0"
	if canon == "contoso" {
		issuer = "https://login.microsoftonline.com/" + TenantID + "/v2.0"
	} else if canon == "consumers" {
		issuer = "https://login.microsoftonline.com/" + ConsumerTenantID + "/v2.0"
	}
	base := t.url + "/" + seg
	writeJSONReply(w, http.StatusOK, map[string]any{
		"issuer":                                issuer,
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
	})
}

// ---- Graph /v1.0/me ----

// graphProperties are the user properties /me can $select, in Graph's
// order. defaultGraph marks the ones returned without $select.
var graphProperties = []struct {
	name    string
	deflt   bool
	valueOf func(User) any
}{
	{"businessPhones", true, func(User) any { return []string{} }},
	{"displayName", true, func(u User) any { return u.Name }},
	{"givenName", true, func(User) any { return nil }},
	{"jobTitle", true, func(User) any { return nil }},
	{"mail", true, func(u User) any { return nullIfEmpty(u.Mail) }},
	{"mobilePhone", true, func(User) any { return nil }},
	{"officeLocation", true, func(User) any { return nil }},
	{"preferredLanguage", true, func(User) any { return nil }},
	{"surname", true, func(User) any { return nil }},
	{"userPrincipalName", true, func(u User) any { return u.UPN }},
	{"id", true, func(u User) any { return u.ObjectID }},
	{"accountEnabled", false, func(User) any { return true }},
	{"mailNickname", false, func(u User) any { n, _, _ := strings.Cut(u.UPN, "@"); return n }},
	{"otherMails", false, func(User) any { return []string{} }},
	{"proxyAddresses", false, func(u User) any { return append([]string{}, u.ProxyAddresses...) }},
	{"userType", false, func(User) any { return "Member" }},
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (t *Tenant) serveGraphMe(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		t.graphError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "The method is not allowed on /me here; use GET.")
		return
	}
	scheme, tok, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		t.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return
	}
	t.mu.Lock()
	at := t.access[tok]
	t.mu.Unlock()
	switch {
	case at == nil && strings.Count(tok, ".") != 2:
		t.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed, there are no dots (.).")
		return
	case at == nil:
		t.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. The token was not issued to Microsoft Graph by this tenant.")
		return
	case !time.Now().Before(at.info.Expiry):
		t.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
		return
	case at.info.Audience != resGraph:
		t.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
		return
	case at.user.Personal:
		// Measured: Graph /me refuses consumer tokens with 401.
		t.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure.")
		return
	}
	readable := false
	for _, s := range at.info.Scopes {
		switch s {
		case "User.Read", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All":
			readable = true
		}
	}
	if !readable {
		t.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}

	var selected []int
	sel := r.URL.Query().Get("$select")
	if strings.TrimSpace(sel) == "" {
		for i, p := range graphProperties {
			if p.deflt {
				selected = append(selected, i)
			}
		}
	} else {
		seen := map[int]bool{}
		for _, name := range strings.Split(sel, ",") {
			name = strings.TrimSpace(name)
			idx := -1
			for i, p := range graphProperties {
				if strings.EqualFold(p.name, name) {
					idx = i
				}
			}
			if idx < 0 {
				t.graphError(w, r, http.StatusBadRequest, "BadRequest",
					fmt.Sprintf("Could not find a property named '%s' on type 'microsoft.graph.user'.", name))
				return
			}
			if !seen[idx] {
				seen[idx] = true
				selected = append(selected, idx)
			}
		}
	}
	ctx := "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
	if strings.TrimSpace(sel) != "" {
		names := make([]string, len(selected))
		for i, idx := range selected {
			names[i] = graphProperties[idx].name
		}
		ctx = "https://graph.microsoft.com/v1.0/$metadata#users(" + strings.Join(names, ",") + ")/$entity"
	}
	// Written by hand to keep @odata.context first, as Graph does.
	var b strings.Builder
	b.WriteString(`{"@odata.context":`)
	writeJSONValue(&b, ctx)
	for _, idx := range selected {
		b.WriteString(",")
		writeJSONValue(&b, graphProperties[idx].name)
		b.WriteString(":")
		writeJSONValue(&b, graphProperties[idx].valueOf(at.user))
	}
	b.WriteString("}")

	reqID, clientReqID := graphIDs(r)
	w.Header().Set("request-id", reqID)
	w.Header().Set("client-request-id", clientReqID)
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, b.String())
	t.emit(Event{Kind: "graph_me", Detail: fmt.Sprintf("GET /v1.0/me for %s: 200", at.user.UPN)})
}

func writeJSONValue(b *strings.Builder, v any) {
	j, _ := json.Marshal(v)
	b.Write(j)
}

func graphIDs(r *http.Request) (reqID, clientReqID string) {
	reqID = guidV4()
	clientReqID = strings.TrimSpace(r.Header.Get("client-request-id"))
	if clientReqID == "" || len(clientReqID) > 100 {
		clientReqID = reqID
	}
	return reqID, clientReqID
}

type graphErrorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

func (t *Tenant) graphError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	reqID, clientReqID := graphIDs(r)
	var b graphErrorBody
	b.Error.Code = code
	b.Error.Message = msg
	b.Error.InnerError.Date = time.Now().UTC().Format("2006-01-02T15:04:05")
	b.Error.InnerError.RequestID = reqID
	b.Error.InnerError.ClientRequestID = clientReqID
	w.Header().Set("request-id", reqID)
	w.Header().Set("client-request-id", clientReqID)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	}
	t.emit(Event{Kind: "graph_me", Detail: fmt.Sprintf("%s %s: %d %s", r.Method, r.URL.Path, status, code)})
	writeJSONReply(w, status, b)
}
