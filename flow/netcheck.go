package flow

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mfpmail/assets"
)

// Reach is the result of one network pre-check: a name resolved and a TCP
// connection opened, directly or through the HTTPS proxy.
type Reach struct {
	Host    string        `json:"host"`
	Port    int           `json:"port"`
	Addrs   []string      `json:"addresses,omitempty"`
	Proxy   string        `json:"proxy,omitempty"` // the proxy used, credentials removed
	Elapsed time.Duration `json:"elapsed_ns"`
	Problem *Problem      `json:"-"`
}

// OK reports whether the host was reached.
func (r Reach) OK() bool { return r.Problem == nil }

// ReachHTTPS checks that host:443 can be reached the way the sign-in will
// reach it: through HTTPS_PROXY when the environment sets one for it
// (an HTTP CONNECT tunnel), directly otherwise.
func ReachHTTPS(ctx context.Context, lang assets.Lang, host string) Reach {
	h, port := splitHostPort(host, 443)
	r := Reach{Host: h, Port: port}
	start := time.Now()
	defer func() { r.Elapsed = time.Since(start) }()
	req := &http.Request{URL: &url.URL{Scheme: "https", Host: net.JoinHostPort(h, strconv.Itoa(port))}}
	proxy, err := http.ProxyFromEnvironment(req)
	if err != nil {
		r.Problem = diagnoseNetwork(lang, h, err)
		return r
	}
	if proxy == nil {
		r = dialReach(ctx, lang, h, port)
		r.Elapsed = time.Since(start)
		return r
	}
	shown := *proxy
	shown.User = nil
	r.Proxy = shown.String()
	if err := connectThrough(ctx, proxy, h, port); err != nil {
		r.Problem = entry{id: "proxy-failed"}.problem(lang, "host", h, "proxy", r.Proxy, "reason", shortNetErr(err))
		r.Problem.Host = h
	}
	r.Elapsed = time.Since(start)
	return r
}

// ReachTCP checks that host:port resolves and accepts a TCP connection
// (SMTP does not go through web proxies).
func ReachTCP(ctx context.Context, lang assets.Lang, host string, port int) Reach {
	start := time.Now()
	r := dialReach(ctx, lang, host, port)
	r.Elapsed = time.Since(start)
	return r
}

func dialReach(ctx context.Context, lang assets.Lang, host string, port int) Reach {
	r := Reach{Host: host, Port: port}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, host)
	if err != nil {
		r.Problem = diagnoseNetwork(lang, host, err)
		r.Problem.Host = host
		return r
	}
	r.Addrs = addrs
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		r.Problem = diagnoseNetwork(lang, net.JoinHostPort(host, strconv.Itoa(port)), err)
		r.Problem.Host = host
		return r
	}
	c.Close()
	return r
}

// connectThrough opens a CONNECT tunnel to host:port through an HTTP proxy.
func connectThrough(ctx context.Context, proxy *url.URL, host string, port int) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	pport := proxy.Port()
	if pport == "" {
		pport = "80"
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(proxy.Hostname(), pport))
	if err != nil {
		return err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	target := net.JoinHostPort(host, strconv.Itoa(port))
	req := "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n"
	if u := proxy.User; u != nil {
		req += "Proxy-Authorization: Basic " + basicAuth(u) + "\r\n"
	}
	if _, err := c.Write([]byte(req + "\r\n")); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: http.MethodConnect})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("the proxy answered %s", resp.Status)
	}
	return nil
}

func basicAuth(u *url.Userinfo) string {
	p, _ := u.Password()
	return base64Std(u.Username() + ":" + p)
}

func splitHostPort(s string, def int) (string, int) {
	if h, p, err := net.SplitHostPort(s); err == nil {
		if n, err := strconv.Atoi(p); err == nil {
			return h, n
		}
		return h, def
	}
	return strings.Trim(s, "[]"), def
}

// NetworkCheck sums up the pre-checks.
func NetworkCheck(lang assets.Lang, reaches ...Reach) Check {
	var lines []string
	for _, r := range reaches {
		if !r.OK() {
			c := Check{ID: CheckNetwork, Status: Fail, Title: r.Problem.Title, Detail: r.Problem.Detail, Fix: r.Problem.Fix}
			return c
		}
		via := ""
		if r.Proxy != "" {
			via = " via " + r.Proxy
		}
		addr := ""
		if len(r.Addrs) > 0 {
			addr = " (" + r.Addrs[0] + ")"
		}
		lines = append(lines, fmt.Sprintf("%s:%d%s%s, %d ms", r.Host, r.Port, addr, via, r.Elapsed.Milliseconds()))
	}
	c := check(lang, CheckNetwork, Pass, "ok")
	c.Detail = strings.Join(lines, "\n")
	return c
}
