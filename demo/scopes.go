package demo

import (
	"net/http"
	"strings"
)

// The scope parameter: OpenID scopes plus the permissions of at most one
// resource.

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
				// AADSTS500011 InvalidResourceServicePrincipalNotFound, as
				// Microsoft's error code reference words it.
				return ss, aadErr(http.StatusBadRequest, "invalid_resource", 500011,
					"The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant, or if the request was sent to the wrong tenant.",
					sc[:i], TenantDomain)
			}
			perm = sc[i+1:]
		}
		if ss.resource != "" && ss.resource != res {
			// AADSTS700022 InvalidMultipleResourcesScope, as Microsoft's
			// error code reference words it.
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
			// AADSTS70011 InvalidScope, worded as Entra ID answers an unknown
			// scope (public captures; Microsoft's error code reference shows
			// the same sentence in its sample error response).
			return ss, aadErr(http.StatusBadRequest, "invalid_scope", 70011,
				"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", sc)
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
