package demo

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Microsoft Graph GET /v1.0/me, with $select, and Graph's error bodies.

// graphProperties are the user properties /me can $select, in Graph's
// order. defaultGraph marks the ones returned without $select.
var graphProperties = []graphProperty{
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

// graphProperty is one property of a Graph user.
type graphProperty struct {
	name    string
	deflt   bool
	valueOf func(User) any
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
	at, status, code, msg := t.graphCaller(r)
	if at == nil {
		t.graphError(w, r, status, code, msg)
		return
	}
	sel := r.URL.Query().Get("$select")
	selected, unknown := graphSelect(sel)
	if unknown != "" {
		t.graphError(w, r, http.StatusBadRequest, "BadRequest",
			fmt.Sprintf("Could not find a property named '%s' on type 'microsoft.graph.user'.", unknown))
		return
	}
	reqID, clientReqID := graphIDs(r)
	w.Header().Set("request-id", reqID)
	w.Header().Set("client-request-id", clientReqID)
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, graphUserJSON(at.user, selected, strings.TrimSpace(sel) != ""))
	t.emit(Event{Kind: "graph_me", Detail: fmt.Sprintf("GET /v1.0/me for %s: 200", at.user.UPN)})
}

// graphCaller is the token a /me request carries, or Graph's refusal
// (status, code, message) when it is missing, unknown, expired, for
// another resource, a personal account's, or without a scope that reads
// the user. The codes and messages are Microsoft Graph's as public
// captures show them ("Microsoft Graph error responses and resource
// types" documents the JSON shape and the codes).
func (t *Tenant) graphCaller(r *http.Request) (at *issuedToken, status int, code, msg string) {
	const invalid = "InvalidAuthenticationToken"
	scheme, tok, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return nil, http.StatusUnauthorized, invalid, "Access token is empty."
	}
	t.mu.Lock()
	at = t.access[tok]
	t.mu.Unlock()
	switch {
	case at == nil && strings.Count(tok, ".") != 2:
		return nil, http.StatusUnauthorized, invalid, "IDX14100: JWT is not well formed, there are no dots (.)."
	case at == nil:
		return nil, http.StatusUnauthorized, invalid, "Access token validation failure."
	case !time.Now().Before(at.info.Expiry):
		return nil, http.StatusUnauthorized, invalid, "Lifetime validation failed, the token is expired."
	case at.info.Audience != resGraph:
		return nil, http.StatusUnauthorized, invalid, "Access token validation failure. Invalid audience."
	case at.user.Personal:
		// Measured (a public third-party write-up, 2026): Graph /me
		// refused a consumer token with 401.
		return nil, http.StatusUnauthorized, invalid, "Access token validation failure."
	}
	for _, s := range at.info.Scopes {
		switch s {
		case "User.Read", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All":
			return at, 0, "", ""
		}
	}
	return nil, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
}

// graphSelect is the properties a $select asks for, as indexes into
// graphProperties in the order asked (the default set when sel is
// empty), or the first name /me does not know.
func graphSelect(sel string) (selected []int, unknown string) {
	if strings.TrimSpace(sel) == "" {
		for i, p := range graphProperties {
			if p.deflt {
				selected = append(selected, i)
			}
		}
		return selected, ""
	}
	seen := map[int]bool{}
	for _, name := range strings.Split(sel, ",") {
		name = strings.TrimSpace(name)
		idx := slices.IndexFunc(graphProperties, func(p graphProperty) bool { return strings.EqualFold(p.name, name) })
		if idx < 0 {
			return nil, name
		}
		if !seen[idx] {
			seen[idx] = true
			selected = append(selected, idx)
		}
	}
	return selected, ""
}

// graphUserJSON is the /me answer for u. It is written by hand to keep
// @odata.context first, as Graph does; with a $select, the context names
// the properties chosen.
func graphUserJSON(u User, selected []int, explicit bool) string {
	ctx := "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
	if explicit {
		names := make([]string, len(selected))
		for i, idx := range selected {
			names[i] = graphProperties[idx].name
		}
		ctx = "https://graph.microsoft.com/v1.0/$metadata#users(" + strings.Join(names, ",") + ")/$entity"
	}
	var b strings.Builder
	b.WriteString(`{"@odata.context":`)
	writeJSONValue(&b, ctx)
	for _, idx := range selected {
		b.WriteString(",")
		writeJSONValue(&b, graphProperties[idx].name)
		b.WriteString(":")
		writeJSONValue(&b, graphProperties[idx].valueOf(u))
	}
	b.WriteString("}")
	return b.String()
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
