package flow_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/internal/reportschema"
)

// runDemo does a whole unattended run against the simulated tenant and
// Exchange Online, and returns the outcome and every secret issued.
func runDemo(t *testing.T, sc demo.Scenario, lang assets.Lang) (flow.Outcome, []string) {
	t.Helper()
	ten := startTenant(t, demo.TenantOptions{Scenario: sc, AutoApprove: 200 * time.Millisecond})
	srv, err := demo.StartSMTP(demo.SMTPOptions{Validator: ten, CA: ten.CA(), Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	out := flow.Run(context.Background(), flow.RunOptions{
		Config:   tenantConfig(ten, lang),
		SMTPHost: srv.Host(), SMTPPort: srv.Port(), SMTPRoots: ten.CA().Pool(),
		Answers: flow.Answers{LoginCredentials: flow.LoginSystem, GuestEdit: "safe", NoAuthEdit: "safe", Sender: sc.DefaultSender()},
		Version: "test",
	})
	if len(srv.Messages()) > 0 && out.Send == nil {
		t.Fatal("message delivered but no send result")
	}
	return out, ten.Secrets()
}

func TestReportBothFormatsNoSecrets(t *testing.T) {
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			out, secrets := runDemo(t, demo.ScenarioUPNMismatch, lang)
			if out.Send == nil || out.Send.Result == nil || !out.Send.Result.Delivered {
				t.Fatalf("test send did not happen: %+v", out.Send)
			}
			rep := flow.NewReport(out, flow.ReportMeta{Version: "1.0", RunBy: "tech", Host: "jump1", Demo: "upn-mismatch", Now: time.Now()})
			dir := t.TempDir()
			for _, name := range []string{"r.md", "r.json"} {
				p := filepath.Join(dir, name)
				if err := flow.WriteReport(p, rep); err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				s := string(b)
				for _, sec := range secrets {
					if strings.Contains(s, sec) {
						t.Fatalf("%s holds a secret the tenant issued", name)
					}
				}
				for _, want := range []string{"mfp-lobby@contoso.onmicrosoft.com", "lobby.printer@contoso.com", "device-email", "AUTH XOAUTH2", "<redacted>", "jump1", "smtp.office365.com"} {
					if !strings.Contains(s, want) {
						t.Errorf("%s lacks %q", name, want)
					}
				}
				if strings.HasSuffix(name, ".json") {
					reportschema.Check(t, b)
					var v struct {
						Schema string
						Failed bool
						Checks []flow.Check
					}
					if err := json.Unmarshal(b, &v); err != nil {
						t.Fatal(err)
					}
					if v.Schema != flow.ReportSchema || !v.Failed || len(v.Checks) != len(flow.CheckIDs) {
						t.Errorf("json report: %+v", v)
					}
				} else if lang == assets.JA && !strings.Contains(s, "設定レポート") {
					t.Errorf("Japanese report is not in Japanese")
				}
			}
			// No temporary file is left behind.
			entries, _ := os.ReadDir(dir)
			if len(entries) != 2 {
				t.Errorf("files left: %v", entries)
			}
		})
	}
}

func TestReportPathChecks(t *testing.T) {
	if err := flow.CheckReportPath("/nonexistent/dir/r.md"); err == nil || !strings.Contains(err.Error(), "--report") {
		t.Errorf("missing dir: %v", err)
	}
	if err := flow.CheckReportPath(filepath.Join(t.TempDir(), "r.txt")); err == nil {
		t.Error("a .txt report was accepted")
	}
	if err := flow.CheckReportPath(filepath.Join(t.TempDir(), "r.json")); err != nil {
		t.Error(err)
	}
}
