package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
)

// screenText is the wizard as drawn, without styles.
func screenText(m *Model) string { return ansi.Strip(m.Frame()) }

// keyLineOf is the last line of the wizard, the key line.
func keyLineOf(m *Model) string {
	lines := strings.Split(screenText(m), "\n")
	return lines[len(lines)-1]
}

// typeText types s into the focused field, one key a rune.
func typeText(m *Model, s string) {
	for _, r := range s {
		hit(m, string(r))
	}
}

// clearField empties the focused field (ctrl+u).
func clearField(m *Model) {
	_, cmd := m.Update(keyMsg("ctrl+u"))
	drive(m, cmd)
}

// The report's file name: a folder that does not exist is named, with
// what to do, and the prompt stays open with the name as typed; a name
// with another extension says which are allowed; the label stands above
// the suggested name, which shows whole in both languages.
func TestSummaryReportNameProblems(t *testing.T) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			m := newTestModel(t, l.lang, l.gen)
			lobbyState(m, l.lang)
			goto_(m, flow.StepSummary)
			hit(m, "r")
			suggested := m.screen().(*summaryScreen).path.Value()
			if !strings.Contains(screenText(m), suggested) {
				t.Errorf("the suggested name %q is not shown whole:\n%s", suggested, screenText(m))
			}
			clearField(m)
			typeText(m, "nodir/x.html")
			hit(m, "enter")
			s := m.screen().(*summaryScreen)
			want := assets.T(l.lang, "ui.report.no_dir", "dir", filepath.Join(dir, "nodir"))
			if !s.path.Focused() || s.path.Value() != "nodir/x.html" {
				t.Errorf("the prompt closed or lost the name: focused %v, %q", s.path.Focused(), s.path.Value())
			}
			if flat := strings.Join(strings.Fields(screenText(m)), ""); !strings.Contains(flat, strings.Join(strings.Fields(want), "")) {
				t.Errorf("want %q on the screen:\n%s", want, screenText(m))
			}
			if strings.Contains(screenText(m), ".tmp-") {
				t.Errorf("the screen names a temporary file:\n%s", screenText(m))
			}
			clearField(m)
			typeText(m, "x.txt")
			hit(m, "enter")
			if !s.path.Focused() || !strings.Contains(screenText(m), ".json") || !strings.Contains(screenText(m), ".html") {
				t.Errorf("a .txt name: want the prompt open and the allowed endings named:\n%s", screenText(m))
			}
			clearField(m)
			typeText(m, "r.md")
			hit(m, "enter")
			if _, err := os.Stat(filepath.Join(dir, "r.md")); err != nil || s.path.Focused() {
				t.Errorf("r.md not written (%v) or the prompt still open", err)
			}
		})
	}
}

// q on the summary with results no report holds asks first: n stays, y
// quits; once the report is written, q quits at once.
func TestSummaryQuitAsksWhenUnsaved(t *testing.T) {
	t.Chdir(t.TempDir())
	m := newTestModel(t, assets.EN, flow.UICWIS)
	lobbyState(m, assets.EN)
	goto_(m, flow.StepSummary)
	_, cmd := m.Update(press("q"))
	if cmd != nil || m.quit {
		t.Fatal("q quit with the results not written")
	}
	if !strings.Contains(screenText(m), "Quit anyway?") || !strings.Contains(keyLineOf(m), "y quit") {
		t.Errorf("no question:\n%s", screenText(m))
	}
	hit(m, "n")
	if m.quit || strings.Contains(screenText(m), "Quit anyway?") {
		t.Fatal("n did not stay")
	}
	hit(m, "q")
	hit(m, "y")
	if !m.quit {
		t.Fatal("y did not quit")
	}

	m = newTestModel(t, assets.EN, flow.UICWIS)
	lobbyState(m, assets.EN)
	goto_(m, flow.StepSummary)
	hit(m, "r")
	hit(m, "enter") // the suggested name
	if m.State().Reported == "" {
		t.Fatalf("no report written:\n%s", screenText(m))
	}
	if _, cmd := m.Update(press("q")); cmd == nil || !m.quit {
		t.Error("q after the report did not quit at once")
	}
}

// Ctrl+C ends the program as interrupted; the line says the step and what
// was lost.
func TestInterruptedLine(t *testing.T) {
	m := newTestModel(t, assets.EN, flow.UICWIS)
	goto_(m, flow.StepSignIn)
	_, cmd := m.Update(press("ctrl+c"))
	if cmd == nil {
		t.Fatal("ctrl+c did nothing")
	}
	if _, ok := cmd().(tea.InterruptMsg); !ok {
		t.Errorf("ctrl+c: %T, want tea.InterruptMsg", cmd())
	}
	if line := m.Interrupted(); !strings.Contains(line, "step 8/13") || !strings.Contains(line, "sign-in was not finished") {
		t.Errorf("during the sign-in: %q", line)
	}
	m = newTestModel(t, assets.EN, flow.UICWIS)
	m.State().Answers = flow.Answers{LoginCredentials: flow.LoginSystem} // answers are no results
	if line := m.Interrupted(); !strings.Contains(line, "step 1/13") || !strings.Contains(line, "nothing was lost") {
		t.Errorf("on the first screen: %q", line)
	}
	m = newTestModel(t, assets.JA, flow.UIIS)
	lobbyState(m, assets.JA)
	goto_(m, flow.StepSummary)
	if line := m.Interrupted(); !strings.Contains(line, "13/13") || !strings.Contains(line, assets.T(assets.JA, "ui.interrupt.unsaved")) {
		t.Errorf("on the summary, unsaved: %q", line)
	}
}

// Where a screen holds more than it shows, the key line offers a scroll
// key: every screen, both languages, both web UIs, at 80×24, including
// the demo's consent screen.
func TestScrollKeyWhenContentOverflows(t *testing.T) {
	check := func(t *testing.T, where string, m *Model) {
		t.Helper()
		before, keys := screenText(m), keyLineOf(m)
		_, cmd := m.Update(keyMsg("pgdown"))
		drive(m, cmd)
		scroll, more := m.c.Keys.Scroll.Help(), m.c.Keys.More.Help()
		if screenText(m) != before && !strings.Contains(keys, scroll.Key+" "+scroll.Desc) && !strings.Contains(keys, more.Key+" "+more.Desc) {
			t.Errorf("%s: pgdown scrolled, but the key line %q offered no scroll key:\n%s", where, keys, before)
		}
	}
	for _, lang := range assets.Langs {
		for _, gen := range flow.UIGens {
			m := newTestModel(t, lang, gen)
			lobbyState(m, lang)
			for _, st := range m.wiz.Steps() {
				if st.ID == flow.StepWelcome || st.ID == flow.StepSignIn {
					continue // pgdown moves the focus / does nothing there
				}
				goto_(m, st.ID)
				check(t, string(lang)+"/"+string(gen)+"/"+string(st.ID), m)
			}
		}
		_, opts := startDemo(t, demo.ScenarioConsentRequired, lang)
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		goto_(m, flow.StepConsent)
		check(t, string(lang)+"/demo/consent", m)
	}
}

// Choosing Personal on the first screen changes the header at once.
func TestAccountChoiceReachesHeader(t *testing.T) {
	m := newTestModel(t, assets.EN, flow.UICWIS)
	hit(m, "2")
	if head := strings.Split(screenText(m), "\n")[0]; !strings.Contains(head, "Outlook.com") || !strings.Contains(head, "1/12") {
		t.Errorf("after 2 the header says %q", head)
	}
}

// One option mark on every screen: (•) for the chosen option, (*) in
// ASCII; never the cursor's ›.
func TestOneOptionMark(t *testing.T) {
	for _, term := range []Term{{}, {ASCII: true}} {
		m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS}, Term: term})
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		lobbyState(m, assets.EN)
		want := "(•)"
		if term.ASCII {
			want = "(*)"
		}
		for _, id := range []flow.StepID{flow.StepWelcome, flow.StepSenderPolicy} {
			goto_(m, id)
			if s := screenText(m); !strings.Contains(s, want) || strings.Contains(s, "(›)") || strings.Contains(s, "(>)") {
				t.Errorf("ascii=%v %s: want the mark %s only:\n%s", term.ASCII, id, want, s)
			}
		}
	}
}

// ? help on the summary names every key that goes back, and the Device
// Email Address field's key line names esc with enter.
func TestHelpAndFieldKeys(t *testing.T) {
	m := newTestModel(t, assets.EN, flow.UICWIS)
	lobbyState(m, assets.EN)
	goto_(m, flow.StepSummary)
	hit(m, "?")
	if !strings.Contains(screenText(m), "esc/b/backspace") {
		t.Errorf("? help on the summary:\n%s", screenText(m))
	}
	hit(m, "esc")
	goto_(m, flow.StepIdentity)
	hit(m, "e")
	if kl := keyLineOf(m); !strings.Contains(kl, "enter/esc done") {
		t.Errorf("the field's key line %q does not name esc", kl)
	}
}

// A sign-in that failed for want of consent: the key line says Enter
// goes back to the consent; without a step to go back to, a new code.
func TestSignInFailedKeyLine(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&flow.Problem{ID: "consent-required", Title: "x", BackTo: flow.StepConsent}, "enter back to consent"},
		{&flow.Problem{ID: "declined", Title: "x"}, "enter/n new code"},
	} {
		m := newTestModel(t, assets.EN, flow.UICWIS)
		goto_(m, flow.StepSignIn)
		s := m.screen().(*signInScreen)
		m.Update(signedInMsg{gen: s.gen, err: tc.err})
		if kl := keyLineOf(m); !strings.Contains(kl, tc.want) || strings.Contains(kl, "enter next") {
			t.Errorf("%v: key line %q, want %q", tc.err, kl, tc.want)
		}
	}
}

// Words: one spelling of organization, the vendor's app never in the
// vendor's own first person, a count of one not in the plural.
func TestWords(t *testing.T) {
	for _, lang := range assets.Langs {
		for _, k := range assets.Keys(lang) {
			text := assets.T(lang, k)
			for _, bad := range []string{"organis", "Organis", "our application", "our app", "弊社"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s %s: %q in %q", lang, k, bad, text)
				}
			}
		}
	}
	counts := assets.T(assets.EN, "ui.summary.counts", "pass", "1", "warn", "1", "fail", "1", "skip", "1")
	if strings.Contains(counts, "1 warnings") {
		t.Errorf("counts: %q", counts)
	}
}

// The procedure's last step (one scan from the device) shows on the
// summary only when the device can send.
func TestLastStepOnlyWhenDeviceCanSend(t *testing.T) {
	last := assets.T(assets.EN, "step.summary.tip.1")[:20]
	m := newTestModel(t, assets.EN, flow.UICWIS)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 60})
	lobbyState(m, assets.EN) // the test send was refused
	goto_(m, flow.StepSummary)
	if strings.Contains(screenText(m), last) {
		t.Errorf("checks failed, yet the summary says %q:\n%s", last, screenText(m))
	}
}
