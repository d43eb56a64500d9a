package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/assets"
	"mfpmail/flow"
)

// A served session: the summary shows the report as text to copy, and r
// saves it at once under the name the server chose (no name is asked: a
// client may not pick where the server writes).
func TestServedSummaryReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mfpmail-report-alice-20261204-150405-1.md")
	m := New(Options{Config: flow.Config{Lang: assets.EN, Tenant: "contoso.com"}, Report: path,
		ReportFixed: true, ReportText: true})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	lobbyState(m, assets.EN)
	goto_(m, flow.StepSummary)
	sum := m.screen().(*summaryScreen)
	sum.vp.SetYOffset(10000)
	shown := ansi.Strip(sum.vp.View())
	// The report ends with the handover for the customer's administrator.
	_, _, _, date := flow.HandoverHeadings(assets.EN)
	if !strings.Contains(shown, "### "+date) || !strings.Contains(shown, assets.T(assets.EN, "handover.date")[:40]) {
		t.Errorf("the end of the summary does not show the report's text:\n%s", shown)
	}
	_, cmd := m.Update(keyMsg("r"))
	if sum.path.Focused() || cmd == nil {
		t.Fatalf("r asked for a file name (or did nothing) in a served session")
	}
	m.Update(cmd())
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the report was not saved at the server's name: %v", err)
	}
	if v := ansi.Strip(m.Frame()); !strings.Contains(v, "Report written to") {
		t.Errorf("no confirmation on the screen:\n%s", v)
	}
}
