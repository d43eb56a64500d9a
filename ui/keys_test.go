package ui

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"mfpmail/assets"
	"mfpmail/demo"
	"mfpmail/flow"
	"mfpmail/smtpcheck"
)

// keyMsg is the key press Bubble Tea sends for a key named as in
// key.WithKeys (" " and "space" are the space bar); other text is typed.
func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]tea.Key{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "backspace": {Code: tea.KeyBackspace},
		"delete": {Code: tea.KeyDelete}, "up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
		"left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight}, "pgup": {Code: tea.KeyPgUp},
		"pgdown": {Code: tea.KeyPgDown}, "home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd},
		"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "ctrl+u": {Code: 'u', Mod: tea.ModCtrl},
		" ": {Code: tea.KeySpace, Text: " "}, "space": {Code: tea.KeySpace, Text: " "},
	}
	if key, ok := named[k]; ok {
		return tea.KeyPressMsg(key)
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// candidateKeys are the keys a technician might press anywhere.
func candidateKeys() []string {
	ks := []string{"enter", "esc", "tab", "shift+tab", "backspace", "delete", "up", "down", "left", "right",
		"pgup", "pgdown", "home", "end", "space", "?", "ctrl+c", "Y", "N"}
	for r := 'a'; r <= 'z'; r++ {
		ks = append(ks, string(r))
	}
	for r := '0'; r <= '9'; r++ {
		ks = append(ks, string(r))
	}
	return ks
}

// editingKey: a key a text field takes as text or for moving the cursor.
func editingKey(k string) bool {
	return len([]rune(k)) == 1 || slices.Contains([]string{"space", "backspace", "delete", "left", "right", "home", "end"}, k)
}

// keyState is a screen in one state, built afresh for each key pressed.
type keyState struct {
	name string
	make func(t *testing.T) *Model
}

// effect presses k and reports whether anything happened: the screen
// changed or a command came back.
func effect(t *testing.T, st keyState, k string) bool {
	m := st.make(t)
	before := m.Frame()
	_, cmd := m.Update(keyMsg(k))
	return cmd != nil || m.Frame() != before
}

// listedKeys is what the wizard lists on its current screen: the key
// line's bindings and the ? help's, which must hold the key line's.
func listedKeys(t *testing.T, st keyState) (short, full []key.Binding) {
	m := st.make(t)
	s := m.screens[m.wiz.Current().ID]
	if m.showHelp {
		return m.rootKeys(), m.rootKeys()
	}
	return append(s.ShortHelp(), m.rootKeys()...), m.screenKeys(s)
}

func bindingName(b key.Binding) string { return b.Help().Key + " " + b.Help().Desc }

// TestKeysListedAndWorking walks every screen in its states: each key
// listed (key line or ? help) does something, and each key that does
// something is listed.
func TestKeysListedAndWorking(t *testing.T) {
	for _, st := range keyStates(t) {
		t.Run(st.name, func(t *testing.T) {
			short, full := listedKeys(t, st)
			inFull := map[string]bool{}
			keysListed := map[string]bool{}
			for _, b := range listed(full) {
				inFull[bindingName(b)] = true
				for _, k := range b.Keys() {
					keysListed[k] = true
				}
			}
			for _, b := range listed(short) {
				// ? help may name more keys for the same thing (esc/b/backspace).
				fuller := slices.ContainsFunc(listed(full), func(f key.Binding) bool {
					return f.Help().Desc == b.Help().Desc && !slices.ContainsFunc(b.Keys(), func(k string) bool {
						return !slices.Contains(f.Keys(), k)
					})
				})
				if !inFull[bindingName(b)] && !fuller {
					t.Errorf("key line lists %q, which ? help does not", bindingName(b))
				}
			}
			for _, b := range listed(full) {
				if !slices.ContainsFunc(b.Keys(), func(k string) bool { return effect(t, st, k) }) {
					t.Errorf("%q is listed but none of its keys %q does anything", bindingName(b), b.Keys())
				}
			}
			typing := st.make(t).typing()
			for _, k := range candidateKeys() {
				if keysListed[k] || typing && editingKey(k) {
					continue
				}
				if effect(t, st, k) {
					t.Errorf("key %q does something but is not listed", k)
				}
			}
		})
	}
}

// keyStates is every screen in the states a technician meets it in.
func keyStates(t *testing.T) []keyState {
	_, opts := startDemo(t, demo.ScenarioOK, assets.EN)
	base := func(demoOn bool) func(t *testing.T) *Model {
		return func(t *testing.T) *Model {
			o := Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS, Tenant: "contoso.com"}, Output: io.Discard}
			if demoOn {
				o = opts
				o.Output = io.Discard
			}
			m := New(o)
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			return m
		}
	}
	atRun := func(sent, demoOn bool, id flow.StepID, then ...func(*Model)) func(t *testing.T) *Model {
		return func(t *testing.T) *Model {
			m := base(demoOn)(t)
			if id != flow.StepWelcome {
				lobbyState(m, assets.EN)
				if !sent {
					m.State().Send = nil
				}
				goto_(m, id)
			}
			for _, f := range then {
				f(m)
			}
			return m
		}
	}
	at := func(demoOn bool, id flow.StepID, then ...func(*Model)) func(t *testing.T) *Model {
		return atRun(false, demoOn, id, then...)
	}
	keys := func(ks ...string) func(*Model) {
		return func(m *Model) {
			for _, k := range ks {
				m.Update(keyMsg(k))
			}
		}
	}
	size := func(w, h int) func(*Model) {
		return func(m *Model) { m.Update(tea.WindowSizeMsg{Width: w, Height: h}) }
	}
	code := func(m *Model) {
		m.Update(deviceCodeMsg{gen: m.screen().(*signInScreen).gen, dc: fixedCode()})
	}
	var states []keyState
	add := func(name string, f func(t *testing.T) *Model) { states = append(states, keyState{name, f}) }

	add("welcome", at(false, flow.StepWelcome))
	add("welcome/short", at(false, flow.StepWelcome, size(80, 12)))
	add("welcome/help", at(false, flow.StepWelcome, keys("?")))
	add("welcome/demo", at(true, flow.StepWelcome))
	add("welcome/demo-picker", at(true, flow.StepWelcome, keys("s")))
	add("consent", at(false, flow.StepConsent))
	add("consent/demo", at(true, flow.StepConsent))
	add("consent/short", at(false, flow.StepConsent, size(80, 16)))
	add("consent/qr-alone", at(false, flow.StepConsent, size(60, 40), keys("v"), func(m *Model) {
		if !m.screen().(*consentScreen).qrOnly {
			panic("consent: v did not show the QR code alone")
		}
	}))
	add("page", at(false, flow.StepSMTPServer))
	add("page/short", at(false, flow.StepSMTPServer, size(80, 12)))
	add("page/help", at(false, flow.StepSMTPServer, keys("?")))
	add("network/running", at(false, flow.StepNetwork))
	add("network/done", at(false, flow.StepNetwork, func(m *Model) {
		m.Update(netDoneMsg{gen: m.screen().(*networkScreen).gen, run: *m.State().Reach})
	}))
	add("sign-in/requesting", at(false, flow.StepSignIn))
	add("sign-in/waiting", at(false, flow.StepSignIn, code))
	add("sign-in/waiting-demo", at(true, flow.StepSignIn, code))
	add("sign-in/qr-alone", at(false, flow.StepSignIn, size(50, 40), code, keys("v"), func(m *Model) {
		if !m.screen().(*signInScreen).qrOnly {
			panic("sign-in: v did not show the QR code alone")
		}
	}))
	add("sign-in/narrow", at(false, flow.StepSignIn, size(50, 40), code))
	add("sign-in/done", at(false, flow.StepSignIn, code, func(m *Model) { signedIn(m, m.Session().Identity) }))
	add("sign-in/failed", at(false, flow.StepSignIn, code, func(m *Model) {
		m.Update(signedInMsg{gen: m.screen().(*signInScreen).gen, err: errors.New("refused")})
	}))
	add("identity", at(false, flow.StepIdentity))
	add("identity/typing", at(false, flow.StepIdentity, keys("e")))
	add("sender", at(false, flow.StepSenderPolicy))
	add("sender/typing", at(false, flow.StepSenderPolicy, keys("down", "down", "down")))
	add("test-send/idle", at(false, flow.StepTestSend))
	add("test-send/typing", at(false, flow.StepTestSend, keys("e")))
	add("test-send/running", at(false, flow.StepTestSend, func(m *Model) {
		s := m.screen().(*testSendScreen)
		s.state = sendRunning
		s.layout()
	}))
	add("test-send/done", atRun(true, false, flow.StepTestSend))
	add("test-send/done-demo", atRun(true, true, flow.StepTestSend))
	add("test-send/done-short", atRun(true, false, flow.StepTestSend, size(80, 16)))
	add("test-send/stale", func(t *testing.T) *Model {
		m := base(false)(t)
		lobbyState(m, assets.EN)
		m.State().Send.Result.Transcript = []smtpcheck.Line{{Dir: smtpcheck.Received, Text: "220 ready"}}
		m.State().Answers.Sender = "scan@contoso.com"
		goto_(m, flow.StepTestSend)
		if len(m.screen().(*testSendScreen).stale()) == 0 {
			t.Fatal("the send is not stale after the sender changed")
		}
		return m
	})
	add("test-send/auth-disabled-demo", func(t *testing.T) *Model {
		m := base(true)(t)
		lobbyState(m, assets.EN)
		m.State().Send.Result.Diagnosis.ID = smtpcheck.IDSMTPAuthDisabledMailbox
		goto_(m, flow.StepTestSend)
		if !m.screen().(*testSendScreen).canAdminFix() {
			t.Fatal("the administrator's fix (x) is not offered")
		}
		return m
	})
	add("test-send/transcript", func(t *testing.T) *Model {
		m := base(false)(t)
		lobbyState(m, assets.EN)
		m.State().Send.Result.Transcript = []smtpcheck.Line{{Dir: smtpcheck.Received, Text: "220 ready"}}
		goto_(m, flow.StepTestSend)
		m.Update(keyMsg("t"))
		if !m.screen().(*testSendScreen).showLog {
			t.Fatal("t did not open the transcript")
		}
		return m
	})
	add("summary", at(false, flow.StepSummary))
	add("summary/typing", at(false, flow.StepSummary, keys("r")))
	add("summary/quit-unsaved", at(false, flow.StepSummary, keys("q")))
	answered := func(ks ...string) func(*Model) {
		return func(m *Model) {
			for _, k := range ks {
				hit(m, k)
			}
		}
	}
	add("device-sign-in", at(false, flow.StepDeviceSignIn))
	add("device-sign-in/no", at(false, flow.StepDeviceSignIn, answered("n")))
	add("device-sign-in/typing", at(false, flow.StepDeviceSignIn, answered("n", "p")))
	add("device-sign-in/shown", at(false, flow.StepDeviceSignIn, answered("n", "p", "5", "enter")))
	add("summary/scan-no", at(false, flow.StepSummary, answered("n")))
	add("summary/scan-typing", at(false, flow.StepSummary, answered("n", "p")))
	add("summary/confirm", at(false, flow.StepSummary, func(m *Model) {
		s := m.screen().(*summaryScreen)
		s.confirm = true
		s.fitFoot()
	}))
	return states
}

// The key line keeps ? help and quit however narrow the window, drops
// the least important keys first, and never cuts a key in half.
func TestKeyLineFits(t *testing.T) {
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		m := New(Options{Config: flow.Config{Lang: lang, UI: flow.UICWIS}})
		lobbyState(m, lang)
		goto_(m, flow.StepTestSend)
		quit := m.c.T("ui.key.quit")
		for _, w := range []int{120, 80, 60, 40, 30, 20, 12} {
			m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			lines := strings.Split(string(view(m)), "\n")
			last := strings.TrimRight(lines[len(lines)-1], " ")
			if !strings.HasSuffix(last, "q "+quit) {
				t.Errorf("%s %d columns: key line %q does not end with q %s", lang, w, last, quit)
			}
			if w >= 20 && !strings.Contains(last, "? "+m.c.T("ui.key.help")) {
				t.Errorf("%s %d columns: key line %q lost ? help", lang, w, last)
			}
			if lipglossWidth(last) > w {
				t.Errorf("%s %d columns: key line %q is %d wide", lang, w, last, lipglossWidth(last))
			}
			// Whatever is shown is whole, in priority order.
			s := m.screen()
			want := []string{}
			for _, b := range listed(s.ShortHelp()) {
				want = append(want, b.Help().Key+" "+b.Help().Desc)
			}
			if w < 20 {
				continue
			}
			got := strings.Split(strings.TrimSpace(last), keySep)
			got = got[:len(got)-2] // ? help, q quit
			// The scroll key is the last to give way but the first key.
			scroll := m.c.Keys.Scroll.Help().Key + " " + m.c.Keys.Scroll.Help().Desc
			if len(got) > 1 && slices.Contains(want, scroll) && !slices.Contains(got, scroll) {
				t.Errorf("%s %d columns: keys %q dropped %q before the others", lang, w, got, scroll)
			}
			rest := slices.DeleteFunc(slices.Clone(want), func(s string) bool { return s == scroll })
			gotRest := slices.DeleteFunc(slices.Clone(got), func(s string) bool { return s == scroll })
			if !slices.Equal(gotRest, rest[:len(gotRest)]) {
				t.Errorf("%s %d columns: keys %q, want the first %d of %q (and scroll)", lang, w, got, len(gotRest), want)
			}
		}
	}
}

// ? help keeps the header, says what the step is for, and lists every
// key of the screen.
func TestHelpKeepsHeader(t *testing.T) {
	for _, l := range langs {
		m := newTestModel(t, l.lang, l.gen)
		lobbyState(m, l.lang)
		goto_(m, flow.StepTestSend)
		m.Update(keyMsg("?"))
		out := string(view(m))
		lines := strings.Split(out, "\n")
		if len(lines) != 24 {
			t.Fatalf("%s: %d lines, want 24", l.name, len(lines))
		}
		if !strings.Contains(lines[0], "mfpmail") || !strings.Contains(lines[1], m.c.page(flow.StepTestSend).Title) {
			t.Errorf("%s: header gone:\n%s", l.name, out)
		}
		purpose := strings.Fields(m.c.T("ui.help.purpose.test-send"))[0]
		if !strings.Contains(out, purpose) {
			t.Errorf("%s: no purpose line:\n%s", l.name, out)
		}
		for _, b := range listed(m.screenKeys(m.screen())) {
			if !strings.Contains(out, b.Help().Desc) {
				t.Errorf("%s: help lacks %q:\n%s", l.name, bindingName(b), out)
			}
		}
		m.Update(keyMsg("esc"))
		if strings.Contains(string(view(m)), m.c.T("ui.help.keys")) {
			t.Errorf("%s: esc did not close the help", l.name)
		}
	}
}

// Every step has its line for ? help, in both languages.
func TestHelpPurposeTexts(t *testing.T) {
	for _, st := range flow.Procedure {
		for _, lang := range []assets.Lang{assets.EN, assets.JA} {
			if k := "ui.help.purpose." + string(st.ID); !assets.Has(lang, k) {
				t.Errorf("no %s in %s", k, lang)
			}
		}
	}
}

// A notice shown at the start keeps ? help and q quit in the key line;
// too long for it, the notice shows whole above it.
func TestFlashKeepsQuit(t *testing.T) {
	notice := strings.TrimSpace(strings.Repeat("Japanese is off: the terminal cannot show it. ", 3))
	m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS}, Notice: notice})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	lines := strings.Split(string(view(m)), "\n")
	last := strings.TrimRight(lines[len(lines)-1], " ")
	if !strings.HasSuffix(last, "? help  q quit") || lipglossWidth(last) > 80 {
		t.Errorf("footer %q", last)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(view(m))), " "), notice) {
		t.Errorf("the notice is not whole:\n%s", view(m))
	}
	m.Update(keyMsg("down"))
	lines = strings.Split(string(view(m)), "\n")
	if last := lines[len(lines)-1]; strings.Contains(last, "Japanese") {
		t.Errorf("the notice stayed after a key: %q", last)
	}
}
