package demo

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The device authorization endpoint (RFC 8628 section 3.1-3.2) and the
// simulated user who approves or declines a user code.

type deviceCodeResponse struct {
	UserCode        string `json:"user_code"`
	DeviceCode      string `json:"device_code"`
	VerificationURI string `json:"verification_uri"`
	ExpiresIn       int    `json:"expires_in"`
	Interval        *int   `json:"interval,omitempty"`
	Message         string `json:"message"`
}

func (t *Tenant) serveDeviceCode(w http.ResponseWriter, r *http.Request, canon string) {
	ss, e := deviceCodeRequest(r)
	if e != nil {
		t.refuse(w, r, e)
		return
	}
	da, expiresIn, ok := t.newDeviceAuth(canon, ss)
	if !ok {
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	resp := deviceCodeResponse{
		UserCode:        da.userCode,
		DeviceCode:      da.deviceCode,
		VerificationURI: t.url + "/devicelogin",
		ExpiresIn:       expiresIn,
		Message:         deviceCodeMessage(r.URL.Query().Get("mkt"), t.url+"/devicelogin", da.userCode),
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
		da.userCode, canon, ss.String(), expiresIn)})
	writeJSONReply(w, http.StatusOK, resp)
}

// deviceCodeRequest checks a device code request: a form with the
// vendor's client ID and a valid scope.
func deviceCodeRequest(r *http.Request) (scopeSet, *aadError) {
	if e := readPostForm(r); e != nil {
		return scopeSet{}, e
	}
	if e := checkClient(r.PostForm.Get("client_id")); e != nil {
		return scopeSet{}, e
	}
	rawScope := r.PostForm.Get("scope")
	if strings.TrimSpace(rawScope) == "" {
		return scopeSet{}, missingParam("scope")
	}
	return parseScopes(rawScope)
}

// newDeviceAuth issues a device code and its user code for ss on the
// tenant segment canon; expiresIn is its lifetime in seconds. false: the
// tenant is closed.
func (t *Tenant) newDeviceAuth(canon string, ss scopeSet) (da *deviceAuth, expiresIn int, ok bool) {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, 0, false
	}
	expiresIn = t.opts.ExpiresIn
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
	da = &deviceAuth{
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
	return da, expiresIn, true
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
