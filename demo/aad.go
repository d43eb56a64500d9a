package demo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Entra ID's side of every answer: the tenant segment, error bodies with
// their trace and correlation IDs, form parsing and the client check.

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
		// AADSTS900561, worded as Microsoft's error code reference gives it.
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

// missingParam is AADSTS900144, worded as Microsoft's error code
// reference gives it.
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
		// AADSTS700016 UnauthorizedClient_DoesNotMatchRequest; the sentence
		// follows Microsoft's error code reference, with the identifier and
		// the directory named as Entra ID names them.
		return aadErr(http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
			clientID, TenantDomain)
	}
	return nil
}
