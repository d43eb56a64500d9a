package demo

import (
	"net/http"
)

// OpenID Connect discovery: the signing keys and the configuration
// document of each tenant segment.

func (t *Tenant) serveKeys(w http.ResponseWriter, r *http.Request, canon string) {
	writeJSONReply(w, http.StatusOK, t.key.jwks())
}

func (t *Tenant) serveOpenIDConfig(w http.ResponseWriter, r *http.Request, canon string) {
	seg := r.PathValue("tenant")
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
