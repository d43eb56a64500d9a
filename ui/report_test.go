package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mfpmail/assets"
	"mfpmail/flow"
)

// The summary writes the report under the name typed, says where by its
// absolute path, offers an .html name first, and the report names the
// device, the site and the technician the wizard holds.
func TestSummaryReportAbsoluteWithDevice(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	dev := flow.DeviceInfo{Model: "Apeos C3060", Site: "Contoso HQ 3F", Technician: "Hanako Sato"}
	m := New(Options{Config: flow.Config{Lang: assets.EN}, Device: dev})
	if got := m.c.State.Device; got != dev {
		t.Fatalf("state device %+v", got)
	}
	s := newSummary(m.c)
	msg, ok := s.write("r.html")().(reportMsg)
	if !ok || msg.err != nil {
		t.Fatalf("write: %+v", msg)
	}
	want := filepath.Join(dir, "r.html")
	if msg.path != want {
		t.Errorf("report named %q, want %q", msg.path, want)
	}
	s.Update(msg)
	if !strings.Contains(s.note, want) {
		t.Errorf("note %q does not name %s", s.note, want)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"<!DOCTYPE html>", "Apeos C3060", "Contoso HQ 3F", "Hanako Sato"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("report lacks %q", w)
		}
	}
	if p := (Options{}).ReportPath(m.c.ReportMeta().Now); !strings.HasSuffix(p, ".html") {
		t.Errorf("the summary offers %q, want an .html name", p)
	}
}
