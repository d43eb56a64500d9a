package demo

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The token endpoint: device code polls (RFC 8628 section 3.4-3.5),
// refresh tokens, and the access, refresh and ID tokens it mints.

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
		// AADSTS70018 BadVerificationCode ("Microsoft Entra authentication
		// and authorization error codes", learn.microsoft.com/entra/
		// identity-platform/reference-error-codes); the sentence is the
		// simulation's own: no capture of Entra ID's wording was found.
		t.refuse(w, r, aadErr(http.StatusBadRequest, "bad_verification_code", 70018,
			"The provided device code is not valid. Check that it was copied whole from the device code response."))
		return
	}
	t.mu.Lock()
	code := da.userCode
	resp, evs, e := t.pollLocked(da, canon, pollN, time.Now())
	t.mu.Unlock()

	if e != nil {
		t.emit(append([]Event{{Kind: "poll", Detail: fmt.Sprintf("user code %s: %s", code, e.summary())}}, evs...)...)
		t.writeAADError(w, r, e)
		return
	}
	t.emit(append([]Event{{Kind: "poll", Detail: fmt.Sprintf("user code %s: token issued", code)}}, evs...)...)
	writeJSONReply(w, http.StatusOK, resp)
}

// pollLocked is the answer to the pollN-th poll of da on the tenant
// segment canon: the tokens, or the error of RFC 8628 section 3.5 (or
// Entra ID's own), and what happened meanwhile. t.mu is held.
func (t *Tenant) pollLocked(da *deviceAuth, canon string, pollN int, now time.Time) (*tokenResponse, []Event, *aadError) {
	code := da.userCode
	switch {
	case da.tenant != canon:
		return nil, nil, aadErr(http.StatusBadRequest, "bad_verification_code", 70018,
			"The provided device code is not valid at this endpoint: poll the token endpoint of the tenant ('%s') the code was requested from.", da.tenant)
	case da.state == codeDone:
		t.reuses++
		// AADSTS90120 InvalidDeviceFlowRequest, worded as Microsoft's
		// error code reference gives it.
		return nil, []Event{{Kind: "device_code_reused", Detail: fmt.Sprintf("user code %s: device code redeemed again after its outcome was delivered", code)}},
			aadErr(http.StatusBadRequest, "invalid_grant", 90120, "The request was already authorized or declined.")
	case da.state == codeDeclined:
		da.state = codeDone
		// "authorization_declined" is the error value Microsoft documents
		// for a refusal ("OAuth 2.0 device authorization grant",
		// learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code).
		// No AADSTS number or wording for it was found in Microsoft's pages
		// or a capture, so none is invented: a plain sentence, no number.
		return nil, nil, &aadError{status: http.StatusBadRequest, code: "authorization_declined",
			text: "The user declined the sign-in request."}
	case !now.Before(da.expires):
		var evs []Event
		if da.state == codePending && !da.expiryTold {
			evs = append(evs, Event{Kind: "expired", Detail: fmt.Sprintf("user code %s expired before anyone signed in", code)})
		}
		da.expiryTold = true
		if da.timer != nil {
			da.timer.Stop()
			da.timer = nil
		}
		// expired_token is the error value of "OAuth 2.0 device
		// authorization grant" (Microsoft) and RFC 8628 section 3.5.
		// Microsoft's error code reference lists CodeExpired as AADSTS70019,
		// but Entra ID answers an expired device code with AADSTS70020 and
		// this text (public field reports: Azure/azure-cli#22251,
		// MicrosoftDocs/azure-docs#92366, 2022).
		return nil, evs, aadErr(http.StatusBadRequest, "expired_token", 70020,
			"The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
	case t.scenario == ScenarioSlowDown && pollN == 1:
		// slow_down is RFC 8628's (section 3.5); Microsoft does not list it,
		// so the sentence is the simulation's own.
		return nil, nil, &aadError{status: http.StatusBadRequest, code: "slow_down",
			text: "The client is polling too quickly. Wait longer between polls: add 5 seconds to the interval."}
	case da.state == codePending:
		// AADSTS70016 AuthorizationPending; the wording as Entra ID sends it
		// (a public capture: an Invoke-RestMethod reply of 2021-05-03 quoted
		// in a published PowerShell script, with error_codes [70016]).
		return nil, nil, aadErr(http.StatusBadRequest, "authorization_pending", 70016,
			"OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
	}
	return t.approvedLocked(da, now)
}

// approvedLocked is the outcome of a sign-in the user approved: refused
// by the tenant's policies (refusalLocked) or for lack of consent, or the
// tokens. t.mu is held.
func (t *Tenant) approvedLocked(da *deviceAuth, now time.Time) (*tokenResponse, []Event, *aadError) {
	da.state = codeDone
	u := da.user
	if e := t.refusalLocked(da); e != nil {
		return nil, nil, e
	}
	if !u.Personal && !t.consentedLocked(da.scopes) {
		return nil, nil, consentError()
	}
	g := &refreshGrant{user: u, clientID: da.clientID, tenant: da.tenant, scopes: da.scopes}
	resp, ev := t.issueLocked(g, da.scopes, false, now)
	ev.Detail += fmt.Sprintf(" (user code %s)", da.userCode)
	return resp, []Event{ev}, nil
}

// refusalLocked is the scenario's refusal of a work account's approved
// sign-in, nil if there is none. Entra ID tells a policy refusal met in
// the browser to the polling device at the token endpoint (e.g. AADSTS53003
// after a device code sign-in: public field report Azure/azure-cli#32809,
// 2026). t.mu is held.
func (t *Tenant) refusalLocked(da *deviceAuth) *aadError {
	if da.user.Personal {
		return nil
	}
	switch t.scenario {
	case ScenarioDeviceFlowBlocked:
		return blockedByCA()
	case ScenarioCAExchange:
		// The policy names Office 365 Exchange Online as its target app: a
		// sign-in for Exchange Online (SMTP.Send) is refused, one for
		// Microsoft Graph alone is not.
		if da.scopes.resource == resOutlook {
			return blockedByCA()
		}
	case ScenarioMFARequired:
		// The first sign-in stops short of the MFA prompt; the next one
		// completes it.
		if !t.mfaDone {
			t.mfaDone = true
			return mfaRequired()
		}
	case ScenarioNotAssigned:
		return notAssigned(da.user.UPN)
	}
	return nil
}

// blockedByCA is AADSTS53003 BlockedByConditionalAccess ("Microsoft Entra
// authentication and authorization error codes"), worded as Entra ID sends
// it (public field reports: Azure/azure-cli#32809 after a device code
// sign-in; OfficeDev/BotBuilder-MicrosoftTeams#284 for the error value).
func blockedByCA() *aadError {
	return aadErr(http.StatusBadRequest, "invalid_grant", 53003,
		"Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.")
}

// mfaRequired is AADSTS50076 UserStrongAuthClientAuthNRequired ("Microsoft
// Entra authentication and authorization error codes": the user must use
// multifactor authentication), with the error value interaction_required
// and the wording Entra ID sends (public captures: ahaenggli/AzureAD-LDAP-
// wrapper#10, AzureAD/azure-activedirectory-library-for-java#247). The
// quoted id is Office 365 Exchange Online's application id.
func mfaRequired() *aadError {
	return aadErr(http.StatusBadRequest, "interaction_required", 50076,
		"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.")
}

// notAssigned is AADSTS50105 EntitlementGrantsNotFound ("Microsoft Entra
// authentication and authorization error codes": the signed-in user is not
// assigned to a role for the app; fix: assign the user to the app), worded
// as Entra ID shows it (public field report: soraxas/echo360#68, 2022).
// The error value is the one Entra ID uses for the other refusals after a
// device code sign-in (invalid_grant, as for AADSTS53003); no capture of
// this one at the token endpoint was found.
func notAssigned(upn string) *aadError {
	return aadErr(http.StatusBadRequest, "invalid_grant", 50105,
		"Your administrator has configured the application %s ('%s') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '%s' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.",
		appDisplayName, ClientID, upn)
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
	t.addTokensLocked(resp, g, ss, refreshing, now)
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

// addTokensLocked adds a refresh token to resp when offline_access was
// granted (and asked for, unless refreshing), and an ID token for openid.
// t.mu is held.
func (t *Tenant) addTokensLocked(resp *tokenResponse, g *refreshGrant, ss scopeSet, refreshing bool, now time.Time) {
	if g.scopes.oidc["offline_access"] && (refreshing || ss.oidc["offline_access"]) {
		prefix := "1.AXkA"
		if g.user.Personal {
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
