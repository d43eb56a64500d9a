package demo

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const tenantTestScopes = "https://outlook.office.com/SMTP.Send offline_access openid profile email"

// tenantHarness is a started tenant and a client that trusts its CA.
type tenantHarness struct {
	t      *testing.T
	tn     *Tenant
	c      *http.Client
	mu     sync.Mutex
	events []Event
}

func startTestTenant(t *testing.T, opts TenantOptions) *tenantHarness {
	t.Helper()
	h := &tenantHarness{t: t}
	if opts.OnEvent == nil {
		opts.OnEvent = func(ev Event) {
			h.mu.Lock()
			h.events = append(h.events, ev)
			h.mu.Unlock()
		}
	}
	tn, err := StartTenant(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tn.Close() })
	h.tn = tn
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: tn.CA().Pool(), MinVersion: tls.VersionTLS12}}
	t.Cleanup(tr.CloseIdleConnections)
	h.c = &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return h
}

func (h *tenantHarness) eventLog() []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Event(nil), h.events...)
}

type httpReply struct {
	status int
	header http.Header
	raw    string
	json   map[string]any
}

func (r httpReply) str(k string) string { s, _ := r.json[k].(string); return s }

func (h *tenantHarness) do(req *http.Request) httpReply {
	h.t.Helper()
	resp, err := h.c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	r := httpReply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &r.json); err != nil {
			h.t.Fatalf("%s %s: bad JSON %q: %v", req.Method, req.URL.Path, b, err)
		}
	}
	return r
}

func (h *tenantHarness) post(path string, form url.Values, hdr ...string) httpReply {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.tn.URL()+path, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return h.do(req)
}

func (h *tenantHarness) get(path string, hdr ...string) httpReply {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.tn.URL()+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return h.do(req)
}

type deviceCodeReply struct {
	UserCode, DeviceCode, URI string
}

func (h *tenantHarness) deviceCode(tenant, scope string) deviceCodeReply {
	h.t.Helper()
	r := h.post("/"+tenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {ClientID}, "scope": {scope}})
	if r.status != 200 {
		h.t.Fatalf("devicecode on %s: %d %s", tenant, r.status, r.raw)
	}
	return deviceCodeReply{UserCode: r.str("user_code"), DeviceCode: r.str("device_code"), URI: r.str("verification_uri")}
}

func (h *tenantHarness) poll(tenant, deviceCode string) httpReply {
	h.t.Helper()
	return h.post("/"+tenant+"/oauth2/v2.0/token", url.Values{
		"grant_type": {grantDeviceCode}, "client_id": {ClientID}, "device_code": {deviceCode},
	})
}

// pollUntilDone polls every 20 ms while the answer is authorization_pending.
func (h *tenantHarness) pollUntilDone(tenant, deviceCode string) httpReply {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := h.poll(tenant, deviceCode)
		if r.str("error") != "authorization_pending" || time.Now().After(deadline) {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var (
	aadGUIDPat = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	aadDescRE  = regexp.MustCompile(`^AADSTS(\d+): ([^\r\n]+)\r\nTrace ID: (` + aadGUIDPat + `)\r\nCorrelation ID: (` + aadGUIDPat + `)\r\nTimestamp: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ)$`)
	aadGUIDRE  = regexp.MustCompile(`^` + aadGUIDPat + `$`)
)

// wantAAD checks an Entra ID error answer in full.
func wantAAD(t *testing.T, r httpReply, status int, errCode string, aadsts int) {
	t.Helper()
	if r.status != status || r.str("error") != errCode {
		t.Fatalf("want %d %s AADSTS%d, got %d %s", status, errCode, aadsts, r.status, r.raw)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	m := aadDescRE.FindStringSubmatch(r.str("error_description"))
	if m == nil {
		t.Fatalf("error_description %q does not have Microsoft's shape", r.str("error_description"))
	}
	if m[1] != fmt.Sprint(aadsts) {
		t.Errorf("description has AADSTS%s, want %d", m[1], aadsts)
	}
	codes, _ := r.json["error_codes"].([]any)
	if len(codes) != 1 || codes[0] != float64(aadsts) {
		t.Errorf("error_codes = %v, want [%d]", r.json["error_codes"], aadsts)
	}
	if r.str("timestamp") != m[5] || r.str("trace_id") != m[3] || r.str("correlation_id") != m[4] {
		t.Errorf("timestamp/trace_id/correlation_id %q %q %q disagree with the description", r.str("timestamp"), r.str("trace_id"), r.str("correlation_id"))
	}
	if !aadGUIDRE.MatchString(r.str("trace_id")) || !aadGUIDRE.MatchString(r.str("correlation_id")) {
		t.Errorf("ids not GUIDs: %s", r.raw)
	}
	if want := fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts); r.str("error_uri") != want {
		t.Errorf("error_uri = %q, want %q", r.str("error_uri"), want)
	}
}

func TestDeviceCodeFields(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{})
	r := h.post("/"+TenantID+"/oauth2/v2.0/devicecode", url.Values{"client_id": {ClientID}, "scope": {tenantTestScopes}})
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	code := r.str("user_code")
	if !regexp.MustCompile(`^[A-Z0-9]{9}$`).MatchString(code) {
		t.Errorf("user_code %q", code)
	}
	if dc := r.str("device_code"); len(dc) < 100 {
		t.Errorf("device_code only %d chars", len(dc))
	}
	uri := h.tn.URL() + "/devicelogin"
	if r.str("verification_uri") != uri {
		t.Errorf("verification_uri %q", r.str("verification_uri"))
	}
	if r.json["expires_in"] != float64(900) || r.json["interval"] != float64(5) {
		t.Errorf("expires_in %v interval %v", r.json["expires_in"], r.json["interval"])
	}
	want := "To sign in, use a web browser to open the page " + uri + " and enter the code " + code + " to authenticate."
	if r.str("message") != want {
		t.Errorf("message %q", r.str("message"))
	}
	if _, ok := r.json["verification_uri_complete"]; ok {
		t.Error("verification_uri_complete must not be sent")
	}
	if len(r.json) != 6 {
		t.Errorf("fields: %v", r.json)
	}
	if got := h.tn.PendingUserCodes(); len(got) != 1 || got[0] != code {
		t.Errorf("PendingUserCodes = %v", got)
	}
	if !strings.HasPrefix(h.tn.URL(), "https://127.0.0.1:") {
		t.Errorf("URL %q", h.tn.URL())
	}
	// Every tenant spelling works; domains are case-insensitive.
	for _, ten := range []string{"common", "organizations", "consumers", strings.ToUpper(TenantDomain), TenantInitialDomain, strings.ToUpper(TenantID)} {
		h.deviceCode(ten, tenantTestScopes)
	}
	if n := h.tn.Requests("/" + TenantID + "/oauth2/v2.0/devicecode"); n != 1 {
		t.Errorf("Requests = %d", n)
	}
	// Japanese message on ?mkt=ja-JP.
	r = h.post("/organizations/oauth2/v2.0/devicecode?mkt=ja-JP", url.Values{"client_id": {ClientID}, "scope": {tenantTestScopes}})
	if !strings.Contains(r.str("message"), "サインイン") {
		t.Errorf("mkt=ja-JP message %q", r.str("message"))
	}
	// Events carry user codes, never device codes.
	evs := h.eventLog()
	if len(evs) == 0 || evs[0].Kind != "device_code_issued" || !strings.Contains(evs[0].Detail, code) {
		t.Errorf("events %v", evs)
	}
	for _, ev := range evs {
		for _, s := range h.tn.Secrets() {
			if strings.Contains(ev.Detail, s) {
				t.Errorf("event %v holds a secret", ev)
			}
		}
	}
}

func TestIntervalAndExpiryOptions(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{Interval: -1, ExpiresIn: 60})
	r := h.post("/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {ClientID}, "scope": {tenantTestScopes}})
	if _, ok := r.json["interval"]; ok {
		t.Errorf("interval sent: %s", r.raw)
	}
	if r.json["expires_in"] != float64(60) {
		t.Errorf("expires_in %v", r.json["expires_in"])
	}
	h2 := startTestTenant(t, TenantOptions{Interval: 1, Scenario: ScenarioCodeExpired})
	r = h2.post("/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {ClientID}, "scope": {tenantTestScopes}})
	if r.json["interval"] != float64(1) || r.json["expires_in"] != float64(30) {
		t.Errorf("interval %v expires_in %v", r.json["interval"], r.json["expires_in"])
	}
}

// verifyTestJWT checks an RS256 signature with pub and returns header and claims.
func verifyTestJWT(t *testing.T, tok string, pub *rsa.PublicKey) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %.40s…", tok)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("signature: %v", err)
	}
	var hdr, claims map[string]any
	for i, v := range []*map[string]any{&hdr, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	return hdr, claims
}

// jwksKey fetches the tenant's published signing key.
func (h *tenantHarness) jwksKey(tenant string) (string, *rsa.PublicKey) {
	h.t.Helper()
	r := h.get("/" + tenant + "/discovery/v2.0/keys")
	keys, _ := r.json["keys"].([]any)
	if len(keys) != 1 {
		h.t.Fatalf("jwks %s", r.raw)
	}
	k := keys[0].(map[string]any)
	n, err1 := base64.RawURLEncoding.DecodeString(k["n"].(string))
	e, err2 := base64.RawURLEncoding.DecodeString(k["e"].(string))
	if err1 != nil || err2 != nil {
		h.t.Fatal(err1, err2)
	}
	return k["kid"].(string), &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}

func TestApproveTokenAndDoubleRedemption(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{Interval: 1})
	dc := h.deviceCode("organizations", tenantTestScopes)
	r := h.poll("organizations", dc.DeviceCode)
	wantAAD(t, r, 400, "authorization_pending", 70016)

	if err := h.tn.Approve(dc.UserCode, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.tn.Approve(dc.UserCode, ""); !errors.Is(err, ErrCodeUsed) {
		t.Errorf("second Approve: %v", err)
	}
	if len(h.tn.PendingUserCodes()) != 0 {
		t.Error("approved code still pending")
	}
	r = h.poll("organizations", dc.DeviceCode)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if r.str("token_type") != "Bearer" || r.json["expires_in"] != float64(3599) || r.json["ext_expires_in"] == nil {
		t.Errorf("token response %s", r.raw)
	}
	if r.str("scope") != "https://outlook.office.com/SMTP.Send openid profile email offline_access" {
		t.Errorf("scope %q", r.str("scope"))
	}
	at, rt, idt := r.str("access_token"), r.str("refresh_token"), r.str("id_token")
	if len(at) < 1200 || rt == "" || idt == "" {
		t.Fatalf("tokens: %d chars access, refresh %v, id %v", len(at), rt != "", idt != "")
	}

	// ID token: RS256 with the published key, claims as Entra ID v2 sends.
	kid, pub := h.jwksKey("organizations")
	hdr, c := verifyTestJWT(t, idt, pub)
	if hdr["alg"] != "RS256" || hdr["kid"] != kid {
		t.Errorf("header %v", hdr)
	}
	u := Users[0]
	now := float64(time.Now().Unix())
	want := map[string]any{
		"aud": ClientID, "iss": "https://login.microsoftonline.com/" + TenantID + "/v2.0", "tid": TenantID,
		"preferred_username": u.UPN, "email": u.Mail, "name": u.Name, "oid": u.ObjectID, "ver": "2.0",
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("id_token %s = %v, want %v", k, c[k], v)
		}
	}
	if c["sub"] == "" || c["iat"].(float64) > now+1 || c["nbf"].(float64) > now+1 || c["exp"].(float64) <= now {
		t.Errorf("id_token sub/iat/nbf/exp %v %v %v %v", c["sub"], c["iat"], c["nbf"], c["exp"])
	}

	// Access token: a work JWT for Exchange Online, known to the validator.
	_, ac := verifyTestJWT(t, at, h.tn.key.public())
	if ac["aud"] != "https://outlook.office.com" || ac["scp"] != "SMTP.Send" || ac["upn"] != u.UPN || ac["tid"] != TenantID || ac["appid"] != ClientID {
		t.Errorf("access token claims %v", ac)
	}
	info, ok := h.tn.ValidateAccessToken(at)
	if !ok || info.UPN != u.UPN || info.TenantID != TenantID || info.Audience != "https://outlook.office.com" ||
		len(info.Scopes) != 1 || info.Scopes[0] != "SMTP.Send" || time.Until(info.Expiry) < 59*time.Minute {
		t.Errorf("ValidateAccessToken = %+v, %v", info, ok)
	}
	if _, ok := h.tn.ValidateAccessToken(at + "x"); ok {
		t.Error("unknown token validated")
	}
	secrets := strings.Join(h.tn.Secrets(), "\n")
	for _, s := range []string{dc.DeviceCode, at, rt, idt} {
		if !strings.Contains(secrets, s) {
			t.Errorf("Secrets lacks %.20s…", s)
		}
	}

	// Redeeming the device code again is refused and recorded.
	if h.tn.ReusedDeviceCodes() != 0 {
		t.Error("reuse recorded too early")
	}
	r = h.poll("organizations", dc.DeviceCode)
	wantAAD(t, r, 400, "invalid_grant", 90120)
	if h.tn.ReusedDeviceCodes() != 1 {
		t.Errorf("ReusedDeviceCodes = %d", h.tn.ReusedDeviceCodes())
	}
	polls := h.tn.Polls(strings.ToLower(dc.UserCode))
	if len(polls) != 3 || polls[1].Before(polls[0]) || polls[2].Before(polls[1]) {
		t.Errorf("Polls = %v", polls)
	}
	if h.tn.Requests("/organizations/oauth2/v2.0/token") != 3 {
		t.Errorf("Requests = %d", h.tn.Requests("/organizations/oauth2/v2.0/token"))
	}
	kinds := map[string]bool{}
	for _, ev := range h.eventLog() {
		kinds[ev.Kind] = true
		for _, s := range h.tn.Secrets() {
			if strings.Contains(ev.Detail, s) {
				t.Errorf("event %v holds a secret", ev)
			}
		}
	}
	for _, k := range []string{"device_code_issued", "poll", "approved", "token_issued", "device_code_reused"} {
		if !kinds[k] {
			t.Errorf("no %s event", k)
		}
	}

	// Without offline_access and openid: neither refresh nor ID token.
	dc = h.deviceCode(TenantDomain, "https://outlook.office.com/SMTP.Send")
	if err := h.tn.Approve(dc.UserCode, "lobby.printer@contoso.com"); err != nil {
		t.Fatal(err)
	}
	r = h.poll(TenantDomain, dc.DeviceCode)
	if r.status != 200 || r.json["refresh_token"] != nil || r.json["id_token"] != nil || r.str("scope") != "https://outlook.office.com/SMTP.Send" {
		t.Errorf("%s", r.raw)
	}
	if info, _ := h.tn.ValidateAccessToken(r.str("access_token")); info.UPN != "mfp-lobby@contoso.onmicrosoft.com" {
		t.Errorf("signed in as %q", info.UPN)
	}
}

func TestDeclined(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{Scenario: ScenarioDeclined, AutoApprove: 30 * time.Millisecond})
	dc := h.deviceCode("organizations", tenantTestScopes)
	r := h.pollUntilDone("organizations", dc.DeviceCode)
	if r.status != 400 || r.str("error") != "authorization_declined" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	// Manual decline in another scenario, on a tenant that does not
	// approve by itself (it could beat the decline on a busy machine).
	h = startTestTenant(t, TenantOptions{Scenario: ScenarioOK})
	dc = h.deviceCode("organizations", tenantTestScopes)
	if err := h.tn.Decline(dc.UserCode); err != nil {
		t.Fatal(err)
	}
	if r := h.poll("organizations", dc.DeviceCode); r.str("error") != "authorization_declined" {
		t.Errorf("%s", r.raw)
	}
	if err := h.tn.Approve(dc.UserCode, ""); !errors.Is(err, ErrCodeUsed) {
		t.Errorf("Approve after decline: %v", err)
	}
}

func TestExpired(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{ExpiresIn: 1, Scenario: ScenarioCodeExpired, AutoApprove: 10 * time.Millisecond})
	dc := h.deviceCode("organizations", tenantTestScopes)
	wantAAD(t, h.poll("organizations", dc.DeviceCode), 400, "authorization_pending", 70016)
	time.Sleep(1100 * time.Millisecond)
	wantAAD(t, h.poll("organizations", dc.DeviceCode), 400, "expired_token", 70020)
	if err := h.tn.Approve(dc.UserCode, ""); !errors.Is(err, ErrCodeExpired) {
		t.Errorf("Approve after expiry: %v", err)
	}
	if len(h.tn.PendingUserCodes()) != 0 {
		t.Errorf("expired code still pending: %v", h.tn.PendingUserCodes())
	}
}

func TestSlowDownFirstPoll(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{Scenario: ScenarioSlowDown, Interval: 1})
	dc := h.deviceCode("organizations", tenantTestScopes)
	r := h.poll("organizations", dc.DeviceCode)
	if r.status != 400 || r.str("error") != "slow_down" || r.str("trace_id") == "" || r.str("error_description") == "" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	wantAAD(t, h.poll("organizations", dc.DeviceCode), 400, "authorization_pending", 70016)
	if err := h.tn.Approve(dc.UserCode, ""); err != nil {
		t.Fatal(err)
	}
	if r := h.poll("organizations", dc.DeviceCode); r.status != 200 {
		t.Errorf("%s", r.raw)
	}
}

func TestConsentRequired(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{Scenario: ScenarioConsentRequired})
	if h.tn.ConsentGranted() {
		t.Fatal("consent granted at start")
	}
	dc := h.deviceCode("organizations", tenantTestScopes)
	if err := h.tn.Approve(dc.UserCode, ""); err != nil {
		t.Fatal(err)
	}
	wantAAD(t, h.poll("organizations", dc.DeviceCode), 400, "invalid_grant", 65001)

	// The administrator opens the procedure's link (with our host).
	link := "/common/adminconsent?client_id=" + ClientID + "&redirect_uri=https://opencds-fb.fujifilm.com/gen/mfp_aux/adminConsent.html"
	r := h.get(link)
	if r.status != 200 || !strings.Contains(r.raw, ClientID) || !strings.Contains(r.raw, "Accept") {
		t.Fatalf("consent page %d %s", r.status, r.raw)
	}
	r = h.post(link, url.Values{"client_id": {ClientID}, "action": {"accept"}})
	if r.status != 200 || !strings.Contains(r.raw, "Consent succeeded") {
		t.Fatalf("consent POST %d %s", r.status, r.raw)
	}
	if !h.tn.ConsentGranted() {
		t.Fatal("consent not recorded")
	}
	dc = h.deviceCode("organizations", tenantTestScopes)
	if err := h.tn.Approve(dc.UserCode, ""); err != nil {
		t.Fatal(err)
	}
	if r := h.poll("organizations", dc.DeviceCode); r.status != 200 {
		t.Errorf("after consent: %s", r.raw)
	}

	// An unknown app in the consent link gets Entra ID's error page.
	r = h.get("/" + TenantDomain + "/adminconsent?client_id=11111111-2222-3333-4444-555555555555&redirect_uri=x")
	if r.status != 400 || !strings.Contains(r.raw, "AADSTS700016") {
		t.Errorf("unknown client consent page %d %s", r.status, r.raw)
	}
}

func TestDeviceFlowBlocked(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{Scenario: ScenarioDeviceFlowBlocked, AutoApprove: time.Millisecond})
	dc := h.deviceCode(TenantID, tenantTestScopes)
	wantAAD(t, h.pollUntilDone(TenantID, dc.DeviceCode), 400, "invalid_grant", 53003)
}

// The policy scenarios refuse a work account's approved sign-in at the
// token endpoint with the error value and AADSTS number Entra ID sends.
func TestPolicyRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		sc     Scenario
		scopes string
		err    string
		aadsts int
		text   string
	}{
		{ScenarioMFARequired, tenantTestScopes, "interaction_required", 50076, "you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'."},
		{ScenarioNotAssigned, tenantTestScopes, "invalid_grant", 50105, "The signed in user 'scanner@contoso.com' is blocked because they are not a direct member of a group with access"},
		{ScenarioCAExchange, tenantTestScopes, "invalid_grant", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."},
	}
	for _, tc := range cases {
		h := startTestTenant(t, TenantOptions{Scenario: tc.sc, AutoApprove: time.Millisecond})
		dc := h.deviceCode(TenantID, tc.scopes)
		r := h.pollUntilDone(TenantID, dc.DeviceCode)
		wantAAD(t, r, 400, tc.err, tc.aadsts)
		if d := r.str("error_description"); !strings.HasPrefix(d, fmt.Sprintf("AADSTS%d: ", tc.aadsts)) || !strings.Contains(d, tc.text) {
			t.Errorf("%s: error_description %q", tc.sc, d)
		}
	}
}

// mfa-required: the next sign-in completes MFA and gets its tokens;
// ca-exchange refuses Exchange Online only, not a Graph-only sign-in.
func TestPolicyRefusalsLifted(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{Scenario: ScenarioMFARequired, AutoApprove: time.Millisecond})
	wantAAD(t, h.pollUntilDone(TenantID, h.deviceCode(TenantID, tenantTestScopes).DeviceCode), 400, "interaction_required", 50076)
	if r := h.pollUntilDone(TenantID, h.deviceCode(TenantID, tenantTestScopes).DeviceCode); r.status != 200 {
		t.Errorf("second sign-in: %d %s", r.status, r.raw)
	}
	h = startTestTenant(t, TenantOptions{Scenario: ScenarioCAExchange, AutoApprove: time.Millisecond})
	if r := h.pollUntilDone(TenantID, h.deviceCode(TenantID, "User.Read openid profile").DeviceCode); r.status != 200 {
		t.Errorf("Graph-only sign-in under a policy on Exchange Online: %d %s", r.status, r.raw)
	}
}

func TestRequestErrors(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{})
	form := url.Values{"client_id": {ClientID}, "scope": {tenantTestScopes}}

	// Unknown tenant, on both endpoints.
	wantAAD(t, h.post("/fabrikam.com/oauth2/v2.0/devicecode", form), 400, "invalid_request", 90002)
	wantAAD(t, h.post("/00000000-1111-2222-3333-444444444444/oauth2/v2.0/token", url.Values{"grant_type": {grantDeviceCode}}), 400, "invalid_request", 90002)

	// Unknown client.
	bad := url.Values{"client_id": {"11111111-2222-3333-4444-555555555555"}, "scope": {tenantTestScopes}}
	wantAAD(t, h.post("/organizations/oauth2/v2.0/devicecode", bad), 400, "unauthorized_client", 700016)

	// Scopes of two resources.
	two := url.Values{"client_id": {ClientID}, "scope": {"https://outlook.office.com/SMTP.Send https://graph.microsoft.com/User.Read"}}
	wantAAD(t, h.post("/organizations/oauth2/v2.0/devicecode", two), 400, "invalid_scope", 700022)

	// A correlation id given by the client comes back.
	corr := "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f"
	r := h.post("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {grantDeviceCode}, "client_id": {ClientID}, "device_code": {"nope"}},
		"client-request-id", corr)
	wantAAD(t, r, 400, "bad_verification_code", 70018)
	if r.str("correlation_id") != corr {
		t.Errorf("correlation_id %q", r.str("correlation_id"))
	}

	// A public client sending Basic credentials with an empty secret.
	dc := h.deviceCode("organizations", tenantTestScopes)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(ClientID+":"))
	r = h.post("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {grantDeviceCode}, "device_code": {dc.DeviceCode}}, "Authorization", basic)
	wantAAD(t, r, 401, "invalid_client", 700025)
	if len(h.tn.Polls(dc.UserCode)) != 1 {
		t.Errorf("the Basic request was not recorded as a poll")
	}

	// GET on the token endpoint.
	if r := h.get("/organizations/oauth2/v2.0/token"); r.status != 400 || r.str("error") != "invalid_request" {
		t.Errorf("GET token: %d %s", r.status, r.raw)
	}
	// Device code polled on another tenant endpoint than it was issued at.
	wantAAD(t, h.poll("consumers", dc.DeviceCode), 400, "bad_verification_code", 70018)

	// Public client flows switched off in the app registration.
	h2 := startTestTenant(t, TenantOptions{PublicClientDisabled: true, AutoApprove: time.Millisecond})
	dc = h2.deviceCode("organizations", tenantTestScopes)
	wantAAD(t, h2.poll("organizations", dc.DeviceCode), 401, "invalid_client", 7000218)
}

func TestRefreshGraphAndMe(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{})
	dc := h.deviceCode("organizations", tenantTestScopes)
	if err := h.tn.Approve(dc.UserCode, ""); err != nil {
		t.Fatal(err)
	}
	tok := h.poll("organizations", dc.DeviceCode)
	rt := tok.str("refresh_token")
	refresh := func(scope string) httpReply {
		return h.post("/organizations/oauth2/v2.0/token", url.Values{
			"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {rt}, "scope": {scope},
		})
	}
	g := refresh("https://graph.microsoft.com/User.Read")
	if g.status != 200 || g.str("scope") != "https://graph.microsoft.com/User.Read" || g.str("refresh_token") == "" {
		t.Fatalf("%d %s", g.status, g.raw)
	}
	gt := g.str("access_token")
	info, ok := h.tn.ValidateAccessToken(gt)
	if !ok || info.Audience != "https://graph.microsoft.com" || len(info.Scopes) != 1 || info.Scopes[0] != "User.Read" {
		t.Errorf("graph token %+v", info)
	}

	u := Users[0]
	me := h.get("/v1.0/me", "Authorization", "Bearer "+gt)
	if me.status != 200 || me.str("userPrincipalName") != u.UPN || me.str("mail") != u.Mail || me.str("id") != u.ObjectID ||
		me.str("displayName") != u.Name || me.str("@odata.context") != "https://graph.microsoft.com/v1.0/$metadata#users/$entity" {
		t.Fatalf("/me %d %s", me.status, me.raw)
	}
	for _, k := range []string{"givenName", "surname", "businessPhones", "jobTitle"} {
		if _, ok := me.json[k]; !ok {
			t.Errorf("/me lacks %s", k)
		}
	}
	if _, ok := me.json["proxyAddresses"]; ok {
		t.Error("proxyAddresses is not in the default set")
	}
	if !strings.HasPrefix(me.raw, `{"@odata.context":`) {
		t.Errorf("@odata.context not first: %.60s", me.raw)
	}

	sel := "userPrincipalName,mail,proxyAddresses,otherMails,displayName,id"
	me = h.get("/v1.0/me?"+url.Values{"$select": {sel}}.Encode(), "Authorization", "Bearer "+gt)
	if me.status != 200 {
		t.Fatalf("%d %s", me.status, me.raw)
	}
	if len(me.json) != 7 {
		t.Errorf("$select returned %d fields: %s", len(me.json), me.raw)
	}
	pa, _ := me.json["proxyAddresses"].([]any)
	if len(pa) != len(u.ProxyAddresses) || pa[0] != u.ProxyAddresses[0] || me.json["otherMails"] == nil {
		t.Errorf("proxyAddresses/otherMails: %s", me.raw)
	}
	if !strings.Contains(me.str("@odata.context"), "users("+sel+")") {
		t.Errorf("@odata.context %q", me.str("@odata.context"))
	}
	if r := h.get("/v1.0/me?$select=nosuchthing", "Authorization", "Bearer "+gt); r.status != 400 {
		t.Errorf("bad $select: %d", r.status)
	}

	// Graph refuses no token, a foreign token and the Exchange token.
	for _, auth := range []string{"", "Bearer garbage", "Bearer " + tok.str("access_token")} {
		r := h.get("/v1.0/me", "Authorization", auth)
		e, _ := r.json["error"].(map[string]any)
		inner, _ := e["innerError"].(map[string]any)
		if r.status != 401 || e["code"] != "InvalidAuthenticationToken" || e["message"] == "" ||
			inner["date"] == nil || inner["request-id"] == nil || inner["client-request-id"] == nil {
			t.Errorf("%q: %d %s", auth[:min(len(auth), 12)], r.status, r.raw)
		}
	}

	// Two resources at once; then consent withdrawn.
	wantAAD(t, refresh("https://graph.microsoft.com/User.Read https://outlook.office.com/SMTP.Send"), 400, "invalid_scope", 700022)
	h.tn.SetScenario(ScenarioConsentRequired)
	wantAAD(t, refresh("https://graph.microsoft.com/User.Read"), 400, "invalid_grant", 65001)
	h.tn.SetScenario(ScenarioOK)
	// No scope: the original resource and scopes, with a fresh ID token.
	r := h.post("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {rt}})
	if r.status != 200 || r.str("id_token") == "" || !strings.HasPrefix(r.str("scope"), "https://outlook.office.com/SMTP.Send") {
		t.Errorf("refresh without scope: %s", r.raw)
	}
	wantAAD(t, h.post("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {"bogus"}}),
		400, "invalid_grant", 9002313)
}

func TestPersonalAccount(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{AutoApprove: time.Millisecond})
	dc := h.deviceCode("consumers", tenantTestScopes)
	tok := h.pollUntilDone("consumers", dc.DeviceCode)
	if tok.status != 200 {
		t.Fatalf("%s", tok.raw)
	}
	at := tok.str("access_token")
	if !strings.HasPrefix(at, "EwB") || len(at) < 1200 || strings.Count(at, ".") == 2 {
		t.Errorf("personal access token should be opaque, got %.20s… (%d)", at, len(at))
	}
	pu := ScenarioOK.SignInUser(true)
	_, c := verifyTestJWT(t, tok.str("id_token"), h.tn.key.public())
	if c["tid"] != ConsumerTenantID || c["preferred_username"] != pu.Mail || c["iss"] != "https://login.microsoftonline.com/"+ConsumerTenantID+"/v2.0" {
		t.Errorf("personal id_token %v", c)
	}
	if info, ok := h.tn.ValidateAccessToken(at); !ok || info.TenantID != ConsumerTenantID || info.UPN != pu.UPN {
		t.Errorf("%+v %v", info, ok)
	}
	g := h.post("/consumers/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID},
		"refresh_token": {tok.str("refresh_token")}, "scope": {"https://graph.microsoft.com/User.Read offline_access"}})
	if g.status != 200 {
		t.Fatalf("%s", g.raw)
	}
	me := h.get("/v1.0/me", "Authorization", "Bearer "+g.str("access_token"))
	if e, _ := me.json["error"].(map[string]any); me.status != 401 || e["code"] != "InvalidAuthenticationToken" {
		t.Errorf("personal /me %d %s", me.status, me.raw)
	}
	// A work account cannot sign in on /consumers, a personal one not on /organizations.
	h.tn.SetScenario(ScenarioCodeExpired) // the simulated user stays away
	dc = h.deviceCode("consumers", tenantTestScopes)
	if err := h.tn.Approve(dc.UserCode, Users[0].UPN); !errors.Is(err, ErrWrongAccountType) {
		t.Errorf("work account on consumers: %v", err)
	}
	dc = h.deviceCode("organizations", tenantTestScopes)
	if err := h.tn.Approve(dc.UserCode, pu.UPN); !errors.Is(err, ErrWrongAccountType) {
		t.Errorf("personal account on organizations: %v", err)
	}
	if err := h.tn.Approve(dc.UserCode, "nobody@contoso.com"); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestDeviceLoginPage(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{})
	dc := h.deviceCode("organizations", tenantTestScopes)
	page := h.get("/devicelogin")
	if page.status != 200 || !strings.Contains(page.raw, `name="code"`) || !strings.Contains(page.raw, "copier@contoso.com") {
		t.Fatalf("%d %s", page.status, page.raw)
	}
	r := h.post("/devicelogin", url.Values{"code": {"ZZZZZZZZZ"}, "user": {""}, "action": {"approve"}})
	if r.status != 400 || !strings.Contains(r.raw, "recognise") {
		t.Errorf("unknown code: %d", r.status)
	}
	typed := strings.ToLower(dc.UserCode[:4] + " " + dc.UserCode[4:])
	r = h.post("/devicelogin", url.Values{"code": {typed}, "user": {"copier@contoso.com"}, "action": {"approve"}})
	if r.status != 200 || !strings.Contains(r.raw, "copier@contoso.com") {
		t.Fatalf("approve via page: %d %s", r.status, r.raw)
	}
	tok := h.poll("organizations", dc.DeviceCode)
	if info, _ := h.tn.ValidateAccessToken(tok.str("access_token")); info.UPN != "copier@contoso.com" {
		t.Errorf("signed in as %q", info.UPN)
	}
	dc = h.deviceCode("organizations", tenantTestScopes)
	r = h.post("/devicelogin", url.Values{"code": {dc.UserCode}, "action": {"decline"}})
	if r.status != 200 || !strings.Contains(r.raw, "declined") {
		t.Errorf("decline via page: %d", r.status)
	}
	if r := h.poll("organizations", dc.DeviceCode); r.str("error") != "authorization_declined" {
		t.Errorf("%s", r.raw)
	}
}

func TestConcurrentAndClose(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{AutoApprove: 5 * time.Millisecond})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dc := h.deviceCode("organizations", tenantTestScopes)
			if r := h.pollUntilDone("organizations", dc.DeviceCode); r.status != 200 {
				t.Errorf("%s", r.raw)
			}
			_ = h.tn.PendingUserCodes()
			_ = h.tn.Secrets()
		}()
	}
	wg.Wait()

	// Timers of pending codes stop on Close; Close is idempotent.
	h2 := startTestTenant(t, TenantOptions{AutoApprove: time.Hour})
	h2.deviceCode("organizations", tenantTestScopes)
	if err := h2.tn.Close(); err != nil {
		t.Fatal(err)
	}
	if err := h2.tn.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := h2.c.Get(h2.tn.URL() + "/devicelogin"); err == nil {
		t.Error("server still answers after Close")
	}
}

// TestRoutes: every endpoint answers under each tenant segment, an unknown
// tenant gets an error page on the browser's pages and JSON on the APIs,
// other paths are not found, and every answer is marked not to be cached.
func TestRoutes(t *testing.T) {
	t.Parallel()
	h := startTestTenant(t, TenantOptions{})
	for _, seg := range []string{"common", "organizations", "consumers", TenantID, strings.ToUpper(TenantDomain)} {
		r := h.get("/" + seg + "/v2.0/.well-known/openid-configuration")
		if r.status != 200 || !strings.HasSuffix(r.str("token_endpoint"), "/"+seg+"/oauth2/v2.0/token") {
			t.Errorf("openid-configuration on %s: %d %s", seg, r.status, r.raw)
		}
		if r := h.get("/" + seg + "/discovery/v2.0/keys"); r.status != 200 || r.json["keys"] == nil {
			t.Errorf("keys on %s: %d %s", seg, r.status, r.raw)
		}
	}
	wantAAD(t, h.get("/fabrikam.com/v2.0/.well-known/openid-configuration"), 400, "invalid_request", 90002)
	for _, p := range []string{"/fabrikam.com/adminconsent", "/fabrikam.com/v2.0/adminconsent"} {
		r := h.get(p + "?client_id=" + ClientID)
		if r.status != 400 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.raw, "AADSTS90002") {
			t.Errorf("%s: %d %s %s", p, r.status, r.header.Get("Content-Type"), r.raw)
		}
	}
	for _, p := range []string{"/", "/common", "/common/oauth2/v2.0/authorize", "/v1.0/users", "/devicelogin/x", "/a/b/oauth2/v2.0/token"} {
		r := h.get(p)
		if r.status != 404 {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store, no-cache" {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
	}
	if n := h.tn.Requests("/v1.0/users"); n != 1 {
		t.Errorf("Requests(/v1.0/users) = %d, want 1", n)
	}
}
