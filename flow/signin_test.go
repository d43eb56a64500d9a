package flow_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
)

// startTenant runs the simulated Entra ID on loopback for one test.
func startTenant(t *testing.T, o demo.TenantOptions) *demo.Tenant {
	t.Helper()
	if o.Interval == 0 {
		o.Interval = 1
	}
	ten, err := demo.StartTenant(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ten.Close() })
	return ten
}

func tenantConfig(ten *demo.Tenant, lang assets.Lang) flow.Config {
	return flow.Config{
		Lang:       lang,
		Authority:  ten.URL(),
		GraphURL:   ten.URL(),
		HTTPClient: flow.NewHTTPClient(ten.CA().Pool()),
	}.WithDefaults()
}

// signIn runs the whole device code flow and returns the session, the
// problem (if any) and the device code shown.
func signIn(t *testing.T, cfg flow.Config) (*flow.Session, *flow.Problem, *flow.DeviceCode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dc, err := flow.StartSignIn(ctx, cfg)
	if err != nil {
		return nil, asProblem(t, err), nil
	}
	s, err := flow.WaitForSignIn(ctx, cfg, dc)
	if err != nil {
		return nil, asProblem(t, err), dc
	}
	return s, nil, dc
}

func asProblem(t *testing.T, err error) *flow.Problem {
	t.Helper()
	p, ok := err.(*flow.Problem)
	if !ok {
		t.Fatalf("error %T %v is not a *flow.Problem", err, err)
	}
	return p
}

func wantProblem(t *testing.T, p *flow.Problem, id string) {
	t.Helper()
	if p == nil {
		t.Fatalf("signed in; want problem %q", id)
	}
	if p.ID != id {
		t.Fatalf("problem %q (%s: %s), want %q", p.ID, p.Title, p.Detail, id)
	}
	for _, s := range []string{p.Title, p.Detail, p.Fix} {
		if strings.Contains(s, "diag.") || strings.Contains(s, "{") {
			t.Errorf("problem text not filled in: %q", s)
		}
	}
}

func TestSignInApprovedAfterPending(t *testing.T) {
	t.Parallel()
	ten := startTenant(t, demo.TenantOptions{AutoApprove: 2500 * time.Millisecond})
	cfg := tenantConfig(ten, assets.EN)
	s, p, dc := signIn(t, cfg)
	if p != nil {
		t.Fatalf("problem: %s — %s", p.Title, p.Detail)
	}
	if got := s.Identity.UPN; got != "scanner@contoso.com" {
		t.Errorf("UPN = %q", got)
	}
	if got := s.Identity.PrimaryAddress(); got != "scanner@contoso.com" {
		t.Errorf("primary = %q", got)
	}
	if !s.Identity.FromGraph || len(s.Identity.ProxyAddresses) == 0 {
		t.Errorf("identity not enriched from Graph: %+v", s.Identity)
	}
	polls := ten.Polls(dc.UserCode)
	if len(polls) < 2 {
		t.Fatalf("%d polls, want several authorization_pending first", len(polls))
	}
	// One HTTP request per poll: the body carries the client id, no
	// Basic-then-body retry.
	if n := ten.Requests("/organizations/oauth2/v2.0/token"); n != len(polls)+1 { // +1: the Graph refresh
		t.Errorf("%d token requests for %d polls (+1 refresh)", n, len(polls))
	}
	for i := 1; i < len(polls); i++ {
		if gap := polls[i].Sub(polls[i-1]); gap < 900*time.Millisecond {
			t.Errorf("poll %d came %v after the previous one; interval is 1 s", i, gap)
		}
	}
	// No poll after the token was issued.
	time.Sleep(1200 * time.Millisecond)
	if n := len(ten.Polls(dc.UserCode)); n != len(polls) {
		t.Errorf("polled again after the token was issued (%d → %d)", len(polls), n)
	}
	if ten.ReusedDeviceCodes() != 0 {
		t.Error("a device code was redeemed twice")
	}
}

func TestSignInSlowDownGrowsInterval(t *testing.T) {
	t.Parallel()
	ten := startTenant(t, demo.TenantOptions{Scenario: demo.ScenarioSlowDown, AutoApprove: 500 * time.Millisecond})
	_, p, dc := signIn(t, tenantConfig(ten, assets.EN))
	if p != nil {
		t.Fatalf("problem: %s", p.Title)
	}
	polls := ten.Polls(dc.UserCode)
	if len(polls) < 2 {
		t.Fatalf("%d polls", len(polls))
	}
	// First poll answered slow_down: the next comes interval+5 s later.
	if gap := polls[1].Sub(polls[0]); gap < 5900*time.Millisecond {
		t.Errorf("after slow_down the next poll came %v later; want ≥ 6 s (1 s + 5 s)", gap)
	}
	// And the code says so, for the screen: the interval in use is 6 s.
	if !dc.SlowedDown() || dc.PollInterval() != 6*time.Second {
		t.Errorf("SlowedDown %v, PollInterval %v; want true, 6s", dc.SlowedDown(), dc.PollInterval())
	}
}

func TestSignInIntervalAbsentDefaultsToFive(t *testing.T) {
	t.Parallel()
	ten := startTenant(t, demo.TenantOptions{Interval: -1, AutoApprove: 200 * time.Millisecond})
	cfg := tenantConfig(ten, assets.EN)
	ctx := context.Background()
	dc, err := flow.StartSignIn(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if dc.Interval != 0 || dc.PollInterval() != 5*time.Second {
		t.Fatalf("interval %v / poll interval %v; want absent / 5 s", dc.Interval, dc.PollInterval())
	}
	start := time.Now()
	if _, err := flow.WaitForSignIn(ctx, cfg, dc); err != nil {
		t.Fatal(err)
	}
	polls := ten.Polls(dc.UserCode)
	if len(polls) != 1 || polls[0].Sub(start) < 4900*time.Millisecond {
		t.Errorf("polls %v after start %v; want one poll after 5 s", polls, start)
	}
	if dc.SlowedDown() || dc.PollInterval() != 5*time.Second {
		t.Errorf("no slow_down was sent, yet SlowedDown %v, PollInterval %v", dc.SlowedDown(), dc.PollInterval())
	}
}

func TestSignInFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		opts   demo.TenantOptions
		tenant string
		lang   assets.Lang
		want   string
		backTo flow.StepID
		text   string // must appear in Title+Detail+Fix
	}{
		{"declined", demo.TenantOptions{Scenario: demo.ScenarioDeclined, AutoApprove: 300 * time.Millisecond}, "", assets.EN, "declined", "", "declined"},
		{"expired", demo.TenantOptions{Scenario: demo.ScenarioCodeExpired, ExpiresIn: 2}, "", assets.EN, "code-expired", "", "new code"},
		{"consent", demo.TenantOptions{Scenario: demo.ScenarioConsentRequired, AutoApprove: 300 * time.Millisecond}, "", assets.EN, "consent-required", flow.StepConsent, "Global Administrator"},
		{"consent ja", demo.TenantOptions{Scenario: demo.ScenarioConsentRequired, AutoApprove: 300 * time.Millisecond}, "", assets.JA, "consent-required", flow.StepConsent, "グローバル管理者"},
		{"conditional access", demo.TenantOptions{Scenario: demo.ScenarioDeviceFlowBlocked, AutoApprove: 300 * time.Millisecond}, "", assets.EN, "ca-blocked", "", "Conditional Access"},
		{"unknown tenant", demo.TenantOptions{}, "fabrikam-not-here.com", assets.EN, "unknown-tenant", "", "--tenant"},
		{"public client off", demo.TenantOptions{PublicClientDisabled: true, AutoApprove: 300 * time.Millisecond}, "", assets.EN, "public-client-disabled", "", "Allow public client flows"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ten := startTenant(t, tc.opts)
			cfg := tenantConfig(ten, tc.lang)
			cfg.Tenant = tc.tenant
			_, p, _ := signIn(t, cfg)
			wantProblem(t, p, tc.want)
			if p.BackTo != tc.backTo {
				t.Errorf("BackTo = %q, want %q", p.BackTo, tc.backTo)
			}
			if all := p.Title + p.Detail + p.Fix; !strings.Contains(all, tc.text) {
				t.Errorf("diagnosis does not mention %q:\n%s", tc.text, all)
			}
		})
	}
}

func TestConsentThenRetrySucceeds(t *testing.T) {
	t.Parallel()
	ten := startTenant(t, demo.TenantOptions{Scenario: demo.ScenarioConsentRequired, AutoApprove: 300 * time.Millisecond})
	cfg := tenantConfig(ten, assets.EN)
	_, p, _ := signIn(t, cfg)
	wantProblem(t, p, "consent-required")
	if p.CorrelationID == "" || len(p.ErrorCodes) == 0 || p.ErrorCodes[0] != 65001 {
		t.Errorf("received fields not read from the body: %+v", p)
	}
	ten.GrantConsent()
	if _, p, _ := signIn(t, cfg); p != nil {
		t.Fatalf("after consent: %s", p.Title)
	}
}

func TestSignInNetworkRefused(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	cfg := flow.Config{Authority: "https://" + addr}.WithDefaults()
	_, p, _ := signIn(t, cfg)
	wantProblem(t, p, "network-failed")
	if !strings.Contains(p.Title, addr) || !strings.Contains(p.Fix, "DNS") {
		t.Errorf("diagnosis does not name the host and the DNS/proxy step: %s / %s", p.Title, p.Fix)
	}
}

func TestSignInDNSFailure(t *testing.T) {
	t.Parallel()
	cfg := flow.Config{Authority: "https://login.invalid"}.WithDefaults()
	_, p, _ := signIn(t, cfg)
	if p.ID != "dns-failed" && p.ID != "network-failed" {
		t.Fatalf("problem %q", p.ID)
	}
	if !strings.Contains(p.Title, "login.invalid") {
		t.Errorf("host not named: %s", p.Title)
	}
}

// A proxy or captive portal answering with HTML must still be explained.
func TestSignInHTMLResponse(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>Access denied by Example Proxy</h1><p>Policy 12</p></body></html>")
	}))
	t.Cleanup(srv.Close)
	cfg := flow.Config{Authority: srv.URL}.WithDefaults()
	_, p, _ := signIn(t, cfg)
	wantProblem(t, p, "not-json")
	if p.HTTPStatus != 502 || !strings.Contains(p.Detail, "Access denied by Example Proxy") || strings.Contains(p.Detail, "<h1>") {
		t.Errorf("detail = %q", p.Detail)
	}
	if !strings.Contains(p.Fix, "proxy") {
		t.Errorf("fix does not mention the proxy: %q", p.Fix)
	}
}

func TestSignInEmptyBody(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	_, p, _ := signIn(t, flow.Config{Authority: srv.URL}.WithDefaults())
	wantProblem(t, p, "not-json")
	if !strings.Contains(p.Detail, "503") || !strings.Contains(p.Detail, "(empty)") {
		t.Errorf("detail = %q", p.Detail)
	}
}

// An error the catalogue does not know is shown as received.
func TestSignInUnknownError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"fancy_new_error","error_description":"AADSTS999999: Something new happened.\r\nTrace ID: t-1\r\nCorrelation ID: c-1","error_codes":[999999],"trace_id":"t-1","correlation_id":"c-1"}`)
	}))
	t.Cleanup(srv.Close)
	_, p, _ := signIn(t, flow.Config{Authority: srv.URL}.WithDefaults())
	wantProblem(t, p, "unexpected")
	for _, want := range []string{"fancy_new_error", "AADSTS999999: Something new happened."} {
		if !strings.Contains(p.Detail, want) {
			t.Errorf("detail %q lacks %q", p.Detail, want)
		}
	}
	if p.CorrelationID != "c-1" || p.TraceID != "t-1" || !strings.Contains(p.Received(), "AADSTS999999") {
		t.Errorf("received = %q", p.Received())
	}
}

// A provider that is not Microsoft: plain RFC 8628, no interval, no Graph.
func TestSignInPlainRFC8628Provider(t *testing.T) {
	t.Parallel()
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/device":
			fmt.Fprint(w, `{"device_code":"dev-123","user_code":"WDJB-MJHT","verification_uri":"https://idp.example/device","verification_uri_complete":"https://idp.example/device?user_code=WDJB-MJHT","expires_in":60}`)
		case "/token":
			polls++
			if polls < 2 {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error":"authorization_pending"}`)
				return
			}
			fmt.Fprint(w, `{"access_token":"at-xyz","token_type":"Bearer","expires_in":3600}`)
		}
	}))
	t.Cleanup(srv.Close)
	cfg := flow.Config{Authority: srv.URL, DeviceAuthURL: srv.URL + "/device", TokenURL: srv.URL + "/token", GraphURL: "-"}.WithDefaults()
	ctx := context.Background()
	dc, err := flow.StartSignIn(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if dc.QRTarget() != "https://idp.example/device?user_code=WDJB-MJHT" {
		t.Errorf("QR target %q: the complete URI should be used when sent", dc.QRTarget())
	}
	// Interval absent: polling waits 5 s, so one pending poll costs 5 s;
	// cancel early instead and check it stops cleanly.
	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = flow.WaitForSignIn(ctx2, cfg, dc)
	p := asProblem(t, err)
	if p.ID != "cancelled" {
		t.Errorf("problem %q, want cancelled", p.ID)
	}
}

func TestDeviceCodeNeverPrinted(t *testing.T) {
	t.Parallel()
	ten := startTenant(t, demo.TenantOptions{AutoApprove: 200 * time.Millisecond})
	cfg := tenantConfig(ten, assets.EN)
	s, p, dc := signIn(t, cfg)
	if p != nil {
		t.Fatal(p.Title)
	}
	out := fmt.Sprintf("%v %+v %#v %s %v %+v %#v", dc, dc, dc, dc, s, s, s)
	for _, secret := range ten.Secrets() {
		if strings.Contains(out, secret) {
			t.Fatalf("a secret issued by the tenant appears in formatted output")
		}
	}
	if s.AccessToken() == "" {
		t.Fatal("no access token")
	}
}
