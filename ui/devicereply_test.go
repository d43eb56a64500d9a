package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/flow"
)

// After a "no" to the device's sign-in or to its scan, p opens a field
// for what the device shows; a paste is explained on the spot, Enter
// closes the field and the text is recorded with the answer (and so in
// the report); a "yes" afterwards takes it back.
func TestDeviceReplyField(t *testing.T) {
	const throttled = "550 5.2.252 Sender throttled due to continuous send as denied errors."
	for _, l := range langs {
		for _, tc := range []struct {
			step  flow.StepID
			check string
			no    string
			paste string
			id    string
		}{
			{flow.StepDeviceSignIn, flow.CheckDeviceSignIn, "n", "Error: AADSTS50105 \x1b[2J", "not-assigned"},
			{flow.StepSummary, flow.CheckDeviceScan, "n", throttled, "sender-throttled"},
		} {
			t.Run(l.name+"/"+string(tc.step), func(t *testing.T) {
				m := newTestModel(t, l.lang, l.gen)
				lobbyState(m, l.lang)
				goto_(m, tc.step)
				paste := m.c.T("ui.key.paste")
				if strings.Contains(ansi.Strip(m.Frame()), paste) {
					t.Fatal("p is offered before the question is answered no")
				}
				hit(m, "p") // nothing to explain yet
				if m.typing() {
					t.Fatal("p opened the field before a no")
				}
				hit(m, tc.no)
				if v := ansi.Strip(m.Frame()); !strings.Contains(v, "p "+paste) {
					t.Fatalf("key line lacks p %s:\n%s", paste, v)
				}
				hit(m, "p")
				if !m.typing() {
					t.Fatal("p did not open the field")
				}
				hit(m, "q") // typed, not quit
				hit(m, "backspace")
				_, cmd := m.Update(tea.PasteMsg{Content: tc.paste})
				drive(m, cmd)
				want, err := flow.Explain(tc.paste, l.lang)
				if err != nil || want.ID != tc.id {
					t.Fatalf("Explain: %v %+v", err, want)
				}
				v := ansi.Strip(m.Frame())
				if lines := strings.Split(v, "\n"); len(lines) != 24 {
					t.Errorf("%d lines, want 24", len(lines))
				}
				flat := strings.Join(strings.Fields(v), "")
				if !strings.Contains(flat, strings.Join(strings.Fields(want.Title), "")) {
					t.Errorf("the explanation's title %q is not on screen:\n%s", want.Title, v)
				}
				if strings.Contains(m.Frame(), "\x1b[2J") {
					t.Error("the pasted escape reached the screen")
				}
				if m.c.Outcome().DeviceShownNow(tc.check, l.lang) != nil {
					t.Error("recorded before the field was closed")
				}
				hit(m, "enter")
				if m.typing() {
					t.Fatal("enter did not close the field")
				}
				got := m.c.Outcome().DeviceShownNow(tc.check, l.lang)
				if got == nil || got.Explanation == nil || got.Explanation.ID != tc.id || strings.ContainsRune(got.Text, 0x1b) {
					t.Fatalf("recorded %+v", got)
				}
				r := flow.NewReport(m.c.Outcome(), m.c.ReportMeta())
				if len(r.DeviceShown) != 1 || !strings.Contains(string(r.Markdown()), got.Text) {
					t.Errorf("report: %+v", r.DeviceShown)
				}
				// Closed, the text and its explanation stay on screen.
				if v := strings.Join(strings.Fields(ansi.Strip(m.Frame())), ""); !strings.Contains(v, strings.Join(strings.Fields(want.Title), "")) {
					t.Errorf("the explanation went with the field:\n%s", ansi.Strip(m.Frame()))
				}
				// esc closes too, keeping the text.
				hit(m, "p")
				hit(m, "esc")
				if m.typing() || m.c.Outcome().DeviceShownNow(tc.check, l.lang) == nil {
					t.Error("esc lost the text or left the field open")
				}
				hit(m, "y")
				if m.c.Outcome().DeviceShownNow(tc.check, l.lang) != nil {
					t.Error("the text outlived the no it explained")
				}
				if strings.Contains(ansi.Strip(m.Frame()), "p "+paste) {
					t.Error("p still offered after yes")
				}
			})
		}
	}
}
