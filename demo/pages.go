package demo

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The web pages of the simulated tenant: the device sign-in page a trainer
// opens in a browser, and the administrator consent page.

// pageTemplates are parsed on first use (the first page a browser asks
// for), not when the program starts.
var pageTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("layout").Parse(pagesText))
})

const pagesText = `{{define "top"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – simulated tenant</title>
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
main{max-width:440px;margin:48px auto;background:#fff;padding:36px 44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}
.banner{font-size:12px;color:#605e5c;margin-bottom:20px;text-transform:uppercase;letter-spacing:.05em}
label{display:block;margin:16px 0 4px;font-weight:600}
input[type=text],select{width:100%;box-sizing:border-box;padding:8px;font-size:16px;border:1px solid #8a8886}
input[type=text]{text-transform:uppercase;letter-spacing:.12em;font-family:Consolas,monospace}
.buttons{margin-top:24px;display:flex;gap:8px;justify-content:flex-end}
button{padding:8px 22px;font-size:15px;border:1px solid #8a8886;background:#fff;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
.ok{border-left:4px solid #107c10;padding:8px 12px;background:#dff6dd}
.err{border-left:4px solid #a4262c;padding:8px 12px;background:#fde7e9}
.small{font-size:12px;color:#605e5c}
ul.perms li{margin:6px 0}
code{font-family:Consolas,monospace}
</style></head><body><main>
<div class="banner">mfpmail demo · simulated Microsoft Entra ID · {{.Domain}}</div>
{{end}}
{{define "bottom"}}<p class="small">This page belongs to a training simulation running on this computer. Nothing here reaches Microsoft.</p>
</main></body></html>{{end}}

{{define "devicelogin"}}{{template "top" .}}
<h1>Enter code</h1>
{{if .Error}}<p class="err">{{.Error}}</p>{{end}}
<p>Type the code shown on the device (or in the wizard) to let it use an account of the simulated tenant.</p>
<form method="post" action="/devicelogin">
<label for="code">Code</label>
<input type="text" id="code" name="code" value="{{.Code}}" autocomplete="off" autofocus maxlength="20" required>
<label for="user">Sign in as</label>
<select id="user" name="user">
<option value="">The scenario's account ({{.DefaultUser}})</option>
{{range .Users}}<option value="{{.UPN}}"{{if .Selected}} selected{{end}}>{{.Name}} – {{.UPN}}{{if .Personal}} (personal account){{end}}</option>
{{end}}</select>
<div class="buttons">
<button type="submit" name="action" value="decline">Decline</button>
<button type="submit" name="action" value="approve" class="primary">Approve</button>
</div>
</form>
{{template "bottom" .}}{{end}}

{{define "devicelogin_done"}}{{template "top" .}}
<h1>{{.Title}}</h1>
{{if .Approved}}<p class="ok">You are signed in as <b>{{.UPN}}</b> for <b>{{.App}}</b> (code <code>{{.Code}}</code>).</p>
<p>The device picks the result up at its next poll. You can close this window.</p>
{{else}}<p class="err">You declined the sign-in for code <code>{{.Code}}</code>. The device will be told that nobody signed in.</p>
<p>You can close this window.</p>{{end}}
<p><a href="/devicelogin">Enter another code</a></p>
{{template "bottom" .}}{{end}}

{{define "consent"}}{{template "top" .}}
<h1>Permissions requested</h1>
<p><b>{{.App}}</b><br><span class="small">Application (client) id <code>{{.ClientID}}</code></span></p>
<p>This app would like to:</p>
<ul class="perms">
<li>Sign users in and read their basic profile (name, user principal name, e-mail addresses)</li>
<li>Send e-mail as the signed-in user through authenticated SMTP (SMTP.Send)</li>
<li>Keep access to what it was given, so the device does not have to sign in again (offline access)</li>
</ul>
<p>If you accept, this app can do the above for <b>every user of {{.Domain}}</b>; no user will be asked again. An administrator can remove the permissions later under Enterprise applications.</p>
<form method="post">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<div class="buttons">
<button type="submit" name="action" value="cancel">Cancel</button>
<button type="submit" name="action" value="accept" class="primary">Accept</button>
</div>
</form>
{{template "bottom" .}}{{end}}

{{define "consent_done"}}{{template "top" .}}
<h1>{{.Title}}</h1>
{{if .Approved}}<p class="ok">Consent succeeded: <b>{{.App}}</b> may now sign in the users of {{.Domain}} and send mail for them.</p>
{{else}}<p class="err">Consent was not granted. Nothing changed.</p>{{end}}
<p>You can close this tab.</p>
{{template "bottom" .}}{{end}}

{{define "error"}}{{template "top" .}}
<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="err">AADSTS{{.Code}}: {{.Message}}</p>
<p class="small">Request Id: {{.TraceID}}<br>Correlation Id: {{.CorrelationID}}<br>Timestamp: {{.Timestamp}}</p>
{{template "bottom" .}}{{end}}
`

type userOption struct {
	UPN, Name          string
	Personal, Selected bool
}

type pageData struct {
	Title, Domain, App string
	Error, Code        string
	DefaultUser        string
	Users              []userOption
	Approved           bool
	UPN                string
	ClientID           string
	RedirectURI        string
	Message            string
	TraceID            string
	CorrelationID      string
	Timestamp          string
}

func (t *Tenant) renderPage(w http.ResponseWriter, status int, name string, d pageData) {
	d.Domain = TenantDomain
	d.App = appDisplayName
	var buf bytes.Buffer
	if err := pageTemplates().ExecuteTemplate(&buf, name, d); err != nil {
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// ---- /devicelogin ----

func (t *Tenant) serveDeviceLogin(w http.ResponseWriter, r *http.Request) {
	sc := t.Scenario()
	selected := ""
	d := pageData{Title: "Sign in to a device", DefaultUser: sc.SignInUser(false).UPN + "; on /consumers " + sc.SignInUser(true).UPN}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			d.Error = "The form could not be read."
			break
		}
		code := normalizeUserCode(r.PostForm.Get("code"))
		upn := strings.TrimSpace(r.PostForm.Get("user"))
		approve := r.PostForm.Get("action") != "decline"
		d.Code = code
		var err error
		if code == "" {
			err = ErrUnknownUserCode
		} else {
			err = t.act(code, approve, upn, "/devicelogin page")
		}
		if err == nil {
			d.Approved = approve
			if approve {
				d.Title = "You're signed in"
				t.mu.Lock()
				if da := t.byUser[code]; da != nil {
					d.UPN = da.user.UPN
				}
				t.mu.Unlock()
			} else {
				d.Title = "Sign-in declined"
			}
			t.renderPage(w, http.StatusOK, "devicelogin_done", d)
			return
		}
		d.Error = pageError(err)
		selected = upn
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	for _, u := range Users {
		d.Users = append(d.Users, userOption{UPN: u.UPN, Name: u.Name, Personal: u.Personal, Selected: strings.EqualFold(u.UPN, selected)})
	}
	status := http.StatusOK
	if d.Error != "" {
		status = http.StatusBadRequest
	}
	t.renderPage(w, status, "devicelogin", d)
}

func pageError(err error) string {
	switch {
	case errors.Is(err, ErrUnknownUserCode):
		return "We don't recognise this code. Check it and type it again."
	case errors.Is(err, ErrCodeUsed):
		return "This code was already used. Get a new code on the device."
	case errors.Is(err, ErrCodeExpired):
		return "This code has expired. Get a new code on the device."
	case errors.Is(err, ErrUnknownUser):
		return "That account does not exist in the simulated tenant."
	case errors.Is(err, ErrWrongAccountType):
		return "That kind of account cannot be used here: the device asked for a work account on /organizations or the tenant, or a personal account on /consumers. Pick another account."
	}
	return err.Error()
}

// ---- /{tenant}/adminconsent ----

func (t *Tenant) serveAdminConsent(w http.ResponseWriter, r *http.Request, canon string) {
	if canon == "consumers" {
		// AADSTS90130 NonConvergedAppV2GlobalEndpointNotSupported, as
		// Microsoft's error code reference words it: personal accounts have
		// no administrator to consent.
		t.renderErrorPage(w, r, aadErr(http.StatusBadRequest, "invalid_request", 90130,
			"The application isn't supported over the /common or /consumers endpoints. Use the /organizations or tenant-specific endpoint instead."))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	_ = r.ParseForm() // the query for GET; the query and the body for POST
	clientID := r.Form.Get("client_id")
	if clientID == "" {
		t.renderErrorPage(w, r, missingParam("client_id"))
		return
	}
	if !strings.EqualFold(clientID, ClientID) {
		t.renderErrorPage(w, r, checkClient(clientID))
		return
	}
	d := pageData{Title: "Permissions requested", ClientID: ClientID, RedirectURI: r.Form.Get("redirect_uri")}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		t.renderPage(w, http.StatusOK, "consent", d)
	case http.MethodPost:
		if r.PostForm.Get("action") == "accept" {
			t.GrantConsent()
			d.Approved = true
			d.Title = "Consent succeeded"
		} else {
			d.Title = "Consent not granted"
			t.emit(Event{Kind: "consent_declined", Detail: "the administrator cancelled the consent page"})
		}
		t.renderPage(w, http.StatusOK, "consent_done", d)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// renderErrorPage is Entra ID's error page for a browser request.
func (t *Tenant) renderErrorPage(w http.ResponseWriter, r *http.Request, e *aadError) {
	trace, corr := aadIDs(r)
	t.emit(Event{Kind: "request_refused", Detail: fmt.Sprintf("%s %s: %s", r.Method, r.URL.Path, e.summary())})
	t.renderPage(w, e.status, "error", pageData{
		Title:         "Sign-in error",
		Code:          fmt.Sprint(e.aadsts),
		Message:       e.text,
		TraceID:       trace,
		CorrelationID: corr,
		Timestamp:     time.Now().UTC().Format(aadTimestamp),
	})
}
