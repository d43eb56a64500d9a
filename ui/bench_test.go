package ui

// Benchmarks of drawing the sign-in screen while it waits (the screen the
// wizard sits on longest, redrawn once a second for the countdown). No
// network: the device code is made up, no command is run. They measure;
// they assert nothing about time.
//
//	go test -run '^$' -bench . -benchmem ./ui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/assets"
	"mfpmail/flow"
)

// benchCode is a device code like the demo's (loopback URL, so the QR code
// has the demo's size).
func benchCode(expiry time.Time) *flow.DeviceCode {
	return &flow.DeviceCode{
		UserCode:        "EV2GN3KEZ",
		VerificationURI: "https://127.0.0.1:34619/devicelogin",
		Issued:          expiry.Add(-15 * time.Minute),
		Expiry:          expiry,
		Interval:        5 * time.Second,
	}
}

// benchSignIn is the wizard at 80×24 on the sign-in screen, waiting.
func benchSignIn(b *testing.B, expiry time.Time, noQR bool) *Model {
	b.Helper()
	m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS, Tenant: "contoso.com"}, NoQR: noQR, Output: io.Discard})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(gotoMsg{flow.StepSignIn})
	s, ok := m.screen().(*signInScreen)
	if !ok {
		b.Fatalf("screen %T, want the sign-in screen", m.screen())
	}
	m.Update(deviceCodeMsg{gen: s.gen, dc: benchCode(expiry)})
	if v := ansi.Strip(m.Frame()); !strings.Contains(v, "devicelogin") || !strings.Contains(v, "Code expires in") {
		b.Fatal("the sign-in screen is not waiting with a code")
	}
	return m
}

// profiles: no colour (NO_COLOR) and 256 colours (what xterm-256color
// gets); the program downsamples each frame to its profile.
var benchProfiles = []struct {
	name string
	p    colorprofile.Profile
}{
	{"ascii", colorprofile.Ascii},
	{"ansi256", colorprofile.ANSI256},
}

// BenchmarkSignInView is one frame of the waiting sign-in screen:
// Model.View() at 80×24, with the QR code (as the wizard runs) and with
// --no-qr (the difference is the QR code's share: it is drawn anew on
// every frame). frame-bytes is the size of the whole frame (what a full
// repaint writes).
func BenchmarkSignInView(b *testing.B) {
	for _, pr := range benchProfiles {
		for _, noQR := range []bool{false, true} {
			name := pr.name + "/qr"
			if noQR {
				name = pr.name + "/noqr"
			}
			b.Run(name, func(b *testing.B) {
				m := benchSignIn(b, time.Now().Add(15*time.Minute), noQR)
				b.ReportAllocs()
				var n int
				for b.Loop() {
					n = len(downsample(pr.p, m.Frame()))
				}
				b.ReportMetric(float64(n), "frame-bytes")
			})
		}
	}
}

// BenchmarkSignInTick is what the wizard does once a second while it
// waits: the countdown tick through the root model's Update, then a frame.
// changed-lines and changed-bytes are the lines of the frame that differ
// from the previous second's (Bubble Tea's renderer rewrites only those),
// an estimate of the bytes written to the terminal per second, before the
// renderer's cursor movements.
func BenchmarkSignInTick(b *testing.B) {
	for _, pr := range benchProfiles {
		b.Run(pr.name, func(b *testing.B) {
			expiry := time.Now().Add(15 * time.Minute)
			// Two frames one second apart on the countdown.
			prev := strings.Split(downsample(pr.p, benchSignIn(b, expiry.Add(-time.Second), false).Frame()), "\n")
			m := benchSignIn(b, expiry, false)
			cur := strings.Split(downsample(pr.p, m.Frame()), "\n")
			lines, bytes := 0, 0
			for i := range cur {
				if i >= len(prev) || cur[i] != prev[i] {
					lines++
					bytes += len(cur[i])
				}
			}
			gen := m.screen().(*signInScreen).gen
			b.ReportAllocs()
			for b.Loop() {
				m.Update(tickMsg{gen})
				_ = downsample(pr.p, m.Frame())
			}
			b.ReportMetric(float64(lines), "changed-lines")
			b.ReportMetric(float64(bytes), "changed-bytes")
		})
	}
}

// downsample is a frame as the program writes it to a terminal of
// profile p.
func downsample(p colorprofile.Profile, s string) string {
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: p}
	_, _ = w.WriteString(s)
	return b.String()
}
