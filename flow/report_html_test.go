package flow_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
)

// pageText is the page's text as a reader sees it (entities decoded),
// and every element with its attributes.
func pageText(t *testing.T, b []byte) (text string, elems []*html.Node) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the page does not parse: %v", err)
	}
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			sb.WriteByte(' ')
		case html.ElementNode:
			elems = append(elems, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return sb.String(), elems
}

// urlsInTexts are every URL the embedded texts (the procedure's words)
// name, in both languages.
func urlsInTexts() map[string]bool {
	out := map[string]bool{}
	for _, l := range assets.Langs {
		for _, k := range assets.Keys(l) {
			for _, u := range urlRE.FindAllString(assets.T(l, k), -1) {
				out[u] = true
			}
		}
	}
	return out
}

var urlRE = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s"'<>()]+`)

func TestReportHTML(t *testing.T) {
	device := flow.DeviceInfo{Model: "Apeos C3060", Serial: "341234", Host: "192.0.2.44",
		Site: "Contoso <HQ> & Co, 3F", Technician: "Hanako Sato"}
	for _, sc := range []demo.Scenario{demo.ScenarioOK, demo.ScenarioUPNMismatch} {
		for _, lang := range []assets.Lang{assets.EN, assets.JA} {
			t.Run(string(sc)+"/"+string(lang), func(t *testing.T) {
				t.Parallel()
				out, secrets := runDemo(t, sc, lang)
				rep := flow.NewReport(out, flow.ReportMeta{Version: "0.2.0", RunBy: "tech", Host: "laptop7",
					Demo: string(sc), Now: time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC), Device: device})
				p := filepath.Join(t.TempDir(), "r.html")
				if err := flow.WriteReport(p, rep); err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				checkHTMLReport(t, b, rep, secrets)
			})
		}
	}
}

func checkHTMLReport(t *testing.T, b []byte, rep flow.Report, secrets []string) {
	t.Helper()
	for _, sec := range secrets {
		if bytes.Contains(b, []byte(sec)) {
			t.Fatal("the page holds a secret the tenant issued")
		}
	}
	text, elems := pageText(t, b)
	want := []string{rep.Tool, "2026-12-04 09:30 UTC", "Apeos C3060", "341234", "192.0.2.44",
		"Contoso <HQ> & Co, 3F", "Hanako Sato", "laptop7", rep.Account.UPN, rep.Account.PrimaryAddress,
		"AUTH XOAUTH2", "<redacted>", assets.T(assets.Lang(rep.Lang), "report.html.customer")}
	for _, c := range rep.Checks {
		want = append(want, c.Title, c.Fix, assets.T(assets.Lang(rep.Lang), "report.status."+string(c.Status)))
	}
	for _, s := range rep.Settings {
		want = append(want, s.Label, s.Value)
	}
	for _, w := range want {
		if w = strings.Join(strings.Fields(w), " "); w != "" && !strings.Contains(strings.Join(strings.Fields(text), " "), w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	ids := map[string]bool{}
	var style string
	var inDetails bool
	for _, n := range elems {
		switch n.Data {
		case "link", "script", "img", "iframe", "object", "embed", "base", "form":
			t.Errorf("the page has a <%s> element", n.Data)
		case "style":
			style = n.FirstChild.Data
		case "details":
			inDetails = strings.Contains(renderNode(n), "AUTH XOAUTH2")
		}
		for _, a := range n.Attr {
			if a.Key == "id" {
				ids[a.Val] = true
			}
			if a.Key == "href" || a.Key == "src" || urlRE.MatchString(a.Val) {
				t.Errorf("<%s %s=%q>: the page must fetch and link nothing", n.Data, a.Key, a.Val)
			}
		}
	}
	for _, c := range rep.Checks {
		if !ids["check-"+c.ID] {
			t.Errorf("no row for check %s", c.ID)
		}
	}
	if !inDetails {
		t.Error("the transcript is not folded in <details>")
	}
	for _, w := range []string{"@page", "size:auto", "@media print", "max-height:255mm", "break-inside:avoid"} {
		if !strings.Contains(strings.ReplaceAll(style, " ", ""), strings.ReplaceAll(w, " ", "")) {
			t.Errorf("the style has no %q", w)
		}
	}
	if strings.Contains(style, "url(") || strings.Contains(style, "@import") {
		t.Error("the style fetches something")
	}
	allowed := urlsInTexts()
	for _, u := range urlRE.FindAllString(text, -1) {
		if !allowed[u] && !strings.HasPrefix(u, "https://127.0.0.1:") {
			t.Errorf("the page names %s, which no procedure text names", u)
		}
	}
}

func renderNode(n *html.Node) string {
	var b bytes.Buffer
	html.Render(&b, n)
	return b.String()
}

// A technician's or server's text cannot become markup.
func TestReportHTMLEscapes(t *testing.T) {
	rep := flow.NewReport(flow.Outcome{Config: flow.Config{Lang: assets.EN}}, flow.ReportMeta{Version: "0.2.0",
		Now: time.Now(), Device: flow.DeviceInfo{Site: `<script>alert(1)</script>`, Model: `"><img src=x>`}})
	b, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	_, elems := pageText(t, b)
	for _, n := range elems {
		if n.Data == "script" || n.Data == "img" {
			t.Fatalf("a typed value became a <%s> element", n.Data)
		}
	}
	if !bytes.Contains(b, []byte("&lt;script&gt;")) {
		t.Error("the site is not shown escaped")
	}
}
