package corpus

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// IdP is a loopback HTTPS identity provider in Entra ID's shape: a device
// code endpoint, a token endpoint that answers with the given error (or,
// with none, signs scanner@contoso.com in), and Graph's /v1.0/me.
type IdP struct {
	URL   string
	CAPEM []byte
}

// UPN is the account the replay identity provider signs in.
const UPN = "scanner@contoso.com"

// StartIdP starts a replay identity provider for one test and stops it
// when the test ends. status 0: the token endpoint succeeds.
func StartIdP(tb testing.TB, status int, body []byte) *IdP {
	tb.Helper()
	cfg, caPEM, err := loopbackTLS()
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/devicecode"):
			answer(w, http.StatusOK, mustJSON(map[string]any{"device_code": "replay-device-code-0123456789", "user_code": "REPLAY12",
				"verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900, "interval": 1,
				"message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code REPLAY12 to authenticate."}))
		case strings.HasSuffix(r.URL.Path, "/token") && status != 0:
			answer(w, status, body)
		case strings.HasSuffix(r.URL.Path, "/token"):
			answer(w, http.StatusOK, mustJSON(map[string]any{"token_type": "Bearer", "expires_in": 3599,
				"scope": "https://outlook.office.com/SMTP.Send", "access_token": "replay-access-token-0123456789",
				"refresh_token": "replay-refresh-token-0123456789", "id_token": idToken()}))
		case strings.HasPrefix(r.URL.Path, "/v1.0/me"):
			answer(w, http.StatusOK, mustJSON(map[string]any{"id": "00000000-0000-0000-0000-000000000001",
				"displayName": "Scanner", "userPrincipalName": UPN, "mail": UPN, "proxyAddresses": []string{"SMTP:" + UPN}}))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.TLS = cfg.Clone()
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	return &IdP{URL: srv.URL, CAPEM: caPEM}
}

func answer(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(status)
	w.Write(body)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// idToken is an unsigned id_token naming the replay account in a work tenant.
func idToken() string {
	enc := base64.RawURLEncoding.EncodeToString
	claims := mustJSON(map[string]any{"preferred_username": UPN, "name": "Scanner", "email": UPN,
		"tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "oid": "00000000-0000-0000-0000-000000000001", "ver": "2.0"})
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(claims) + ".sig"
}
