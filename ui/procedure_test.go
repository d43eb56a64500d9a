package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"mfpmail/assets"
	"mfpmail/flow"
)

// drive runs cmd as the program would and feeds what it returns to m,
// batches and sequences included. A cursor's blink is not followed: it
// only ticks.
func drive(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if msg == nil || strings.Contains(fmt.Sprintf("%T", msg), "cursor.") {
		return
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			drive(m, c)
		}
		return
	}
	if rv := reflect.ValueOf(msg); rv.Kind() == reflect.Slice && rv.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := range rv.Len() { // tea.Sequence
			drive(m, rv.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	_, next := m.Update(msg)
	drive(m, next)
}

// hit presses a key (as press names it) and runs what it asks for.
func hit(m *Model, k string) {
	var msg tea.KeyPressMsg
	switch k {
	case "down":
		msg = keyMsg("down")
	case "right":
		msg = keyMsg("right")
	case "pgdown":
		msg = keyMsg("pgdown")
	default:
		msg = press(k)
	}
	_, cmd := m.Update(msg)
	drive(m, cmd)
}

// splitBracket reports a line where a [ or 【 is not closed, or a ] or 】
// closes nothing: a bracketed name broken across lines.
func splitBracket(line string) bool {
	depth := 0
	for _, r := range line {
		switch r {
		case '[', '【':
			depth++
		case ']', '】':
			depth--
			if depth < 0 {
				return true
			}
		}
	}
	return depth != 0
}

func TestRenderCommandBreaksOnlyBetweenParameters(t *testing.T) {
	c := newTestModel(t, assets.EN, flow.UICWIS).c
	cmd := "Set-CASMailbox -Identity copier@contoso.com -SmtpClientAuthenticationDisabled $false"
	if got := ansi.Strip(renderCommand(cmd, 100, c.Styles.Value)); got != "    "+cmd {
		t.Errorf("fits: got %q", got)
	}
	out := ansi.Strip(renderCommand(cmd, 60, c.Styles.Value))
	lines := strings.Split(out, "\n")
	if len(lines) < 2 {
		t.Fatalf("not broken at 60:\n%s", out)
	}
	var joined []string
	for i, l := range lines {
		if ansi.StringWidth(l) > 60 {
			t.Errorf("line %q wider than 60", l)
		}
		l = strings.TrimSpace(l)
		if i < len(lines)-1 {
			if !strings.HasSuffix(l, " `") {
				t.Errorf("line %q does not end in a PowerShell continuation", l)
			}
			l = strings.TrimSuffix(l, " `")
		}
		if i > 0 && !strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "|") {
			t.Errorf("line %q does not start with a parameter", l)
		}
		joined = append(joined, l)
	}
	if strings.Join(joined, " ") != cmd {
		t.Errorf("the lines do not make the command: %q", strings.Join(joined, " "))
	}
	pipe := renderCommand("Get-CASMailbox -Identity copier@contoso.com | Format-List SmtpClientAuthentication", 50, c.Styles.Value)
	for _, l := range strings.Split(pipe, "\n") {
		if ansi.StringWidth(l) > 50 {
			t.Errorf("pipeline line %q wider than 50:\n%s", l, pipe)
		}
	}
	if got := commands("Do this:\n  " + cmd + "\nthen that."); len(got) != 1 || got[0] != cmd {
		t.Errorf("commands() = %q", got)
	}
}

// Every screen of every combination of language and web UI, both account
// types, at 80×24 (UTF-8 and ASCII), scrolled through: the header stays,
// the web UI's name is whole, no bracketed name is split and nothing but
// the key line is cut short with an ellipsis.
func TestEveryScreenLayout80x24(t *testing.T) {
	type combo struct {
		lang assets.Lang
		gen  flow.UIGen
		term Term
	}
	var combos []combo
	for _, l := range assets.Langs {
		for _, g := range flow.UIGens {
			combos = append(combos, combo{l, g, Term{}})
		}
	}
	combos = append(combos, combo{assets.EN, flow.UICWIS, Term{ASCII: true}}, combo{assets.EN, flow.UIIS, Term{ASCII: true}})
	for _, cb := range combos {
		for _, acct := range []flow.Account{flow.AccountWork, flow.AccountPersonal} {
			name := fmt.Sprintf("%s/%s/%s/ascii=%v", cb.lang, cb.gen, acct, cb.term.ASCII)
			m := New(Options{Config: flow.Config{Lang: cb.lang, UI: cb.gen, Account: acct}, Term: cb.term})
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			lobbyState(m, cb.lang)
			for _, st := range m.wiz.Steps() {
				goto_(m, st.ID)
				if st.ID == flow.StepSignIn {
					m.Update(deviceCodeMsg{gen: m.screen().(*signInScreen).gen, dc: fixedCode()})
				}
				for page := 0; page < 6; page++ {
					checkLayout(t, name+"/"+string(st.ID), m, cb.gen, cb.lang)
					m.Update(keyMsg("pgdown"))
				}
			}
		}
	}
}

func checkLayout(t *testing.T, where string, m *Model, gen flow.UIGen, lang assets.Lang) {
	t.Helper()
	lines := splitLines(ansi.Strip(m.Frame()))
	if len(lines) != 24 {
		t.Errorf("%s: %d lines", where, len(lines))
		return
	}
	if !strings.Contains(lines[0], "mfpmail") {
		t.Errorf("%s: the header's first line is gone: %q", where, lines[0])
	}
	if !strings.Contains(lines[0], gen.Name(lang)) && !strings.Contains(lines[0], gen.ShortName(lang)+" ") {
		t.Errorf("%s: the web UI's name is cut: %q", where, lines[0])
	}
	for i, l := range lines[:len(lines)-1] { // the key line is fitted elsewhere
		if splitBracket(l) {
			t.Errorf("%s: line %d splits a bracketed name: %q\n%s", where, i+1, l, strings.Join(lines, "\n"))
		}
		// A URL longer than the whole line is the one thing shown as far as
		// the line goes (its hyperlink holds all of it).
		url := strings.HasPrefix(strings.TrimSpace(l), "https://")
		if !url && (strings.Contains(l, "…") || (m.c.Opts.Term.ASCII && strings.Contains(l, "~"))) {
			t.Errorf("%s: line %d is cut short: %q", where, i+1, l)
		}
	}
}

func TestHeaderUsesShortWebUINameWhenNarrow(t *testing.T) {
	m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS}})
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 24})
	head := splitLines(ansi.Strip(m.Frame()))[0]
	if strings.Contains(head, "CentreWare") || !strings.Contains(head, "CWIS") {
		t.Errorf("at 60 columns the header is %q; want the short name CWIS, whole", head)
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	if head := splitLines(ansi.Strip(m.Frame()))[0]; !strings.Contains(head, "CentreWare Internet Services") {
		t.Errorf("at 100 columns the header is %q; want the full name", head)
	}
}

func TestHeaderShowsProcedureStep(t *testing.T) {
	for _, l := range langs {
		m := newTestModel(t, l.lang, l.gen)
		goto_(m, flow.StepServiceProvider)
		want := map[assets.Lang]string{assets.EN: "SMTP server settings 4–5", assets.JA: "SMTP サーバー設定 4〜5"}[l.lang]
		if line := splitLines(ansi.Strip(m.Frame()))[1]; !strings.Contains(line, want) {
			t.Errorf("%s: title line %q does not name %q", l.name, line, want)
		}
	}
}

func TestWelcomeChoosesWebUIAndDevice(t *testing.T) {
	m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS},
		Device: flow.DeviceInfo{Site: "Head office"}})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !strings.Contains(ansi.Strip(m.Frame()), "Which web UI does the device have?") {
		t.Fatalf("the first screen does not ask for the web UI:\n%s", ansi.Strip(m.Frame()))
	}
	hit(m, "down")  // to the web UI
	hit(m, "right") // Internet Services
	if m.c.Opts.Config.UI != flow.UIIS {
		t.Fatalf("web UI is %s after choosing Internet Services", m.c.Opts.Config.UI)
	}
	if head := splitLines(ansi.Strip(m.Frame()))[0]; !strings.Contains(head, "Internet Services") || strings.Contains(head, "CentreWare") {
		t.Errorf("header still names the old web UI: %q", head)
	}
	hit(m, "down") // model
	for _, r := range "C7130" {
		hit(m, string(r))
	}
	hit(m, "enter")
	if m.Step() != flow.StepConsent {
		t.Errorf("at %s after enter", m.Step())
	}
	if d := m.State().Device; d.Model != "C7130" || d.Site != "Head office" {
		t.Errorf("device %+v; want the model typed and the site from the options", d)
	}
	if got := m.c.ReportMeta().Device.Model; got != "C7130" {
		t.Errorf("report heading names model %q", got)
	}
}

func TestDeviceSignInAnswerIsKept(t *testing.T) {
	for _, l := range langs {
		m := newTestModel(t, l.lang, l.gen)
		lobbyState(m, l.lang)
		goto_(m, flow.StepDeviceSignIn)
		view := ansi.Strip(m.Frame())
		if !strings.Contains(view, flow.Label(l.lang, l.gen, "open_auth_page")) {
			t.Errorf("%s: the device's sign-in screen does not name %s:\n%s", l.name, flow.Label(l.lang, l.gen, "open_auth_page"), view)
		}
		hit(m, "n")
		if got := m.c.Outcome().DeviceAnswerNow(flow.CheckDeviceSignIn); got != flow.DeviceNo {
			t.Errorf("%s: answer %q after n", l.name, got)
		}
		if v := ansi.Strip(m.Frame()); !strings.Contains(v, assets.T(l.lang, "ui.devsignin.trouble")) {
			t.Errorf("%s: after n the screen does not show what to do:\n%s", l.name, v)
		}
		hit(m, "y")
		if got := m.c.Outcome().DeviceAnswerNow(flow.CheckDeviceSignIn); got != flow.DeviceYes {
			t.Errorf("%s: answer %q after y", l.name, got)
		}
	}
}

func TestHelpMarksWordingNotFromTheProcedure(t *testing.T) {
	note := map[assets.Lang]string{assets.EN: "(wording not from the vendor's procedure)", assets.JA: "(メーカーの手順書にない表記です)"}
	for _, tc := range []struct {
		lang   assets.Lang
		gen    flow.UIGen
		marked bool
	}{
		{assets.EN, flow.UICWIS, false}, {assets.JA, flow.UIIS, false},
		{assets.EN, flow.UIIS, true}, {assets.JA, flow.UICWIS, true},
	} {
		m := newTestModel(t, tc.lang, tc.gen)
		goto_(m, flow.StepFromAddress) // every label quoted from the procedures
		hit(m, "?")
		if got := strings.Contains(ansi.Strip(m.Frame()), note[tc.lang]); got != tc.marked {
			t.Errorf("%s+%s: help shows the note: %v, want %v\n%s", tc.lang, tc.gen, got, tc.marked, ansi.Strip(m.Frame()))
		}
	}
}

func TestWelcomeScreen(t *testing.T) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := newTestModel(t, l.lang, l.gen)
			golden.RequireEqual(t, view(m))
		})
	}
}

func TestDeviceSignInScreen(t *testing.T) {
	for _, l := range langs {
		t.Run(l.name, func(t *testing.T) {
			m := newTestModel(t, l.lang, l.gen)
			lobbyState(m, l.lang)
			goto_(m, flow.StepDeviceSignIn)
			golden.RequireEqual(t, view(m))
		})
	}
}

// TestURLsNeverBrokenAt80Columns: at 80 columns no URL on any screen is
// broken across lines (the Conditional Access link in the device's
// sign-in help once broke as "…concept-authen" / "tication-flows"); a URL
// that does not fit the rest of a line starts a line of its own, and
// every URL is a hyperlink (OSC 8) to the whole of it.
func TestURLsNeverBrokenAt80Columns(t *testing.T) {
	const ca = "https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows"
	for _, l := range assets.Langs {
		m := New(Options{Config: flow.Config{Lang: l, UI: flow.UICWIS, Account: flow.AccountWork}})
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		lobbyState(m, l)
		sawCA := false
		for _, st := range m.wiz.Steps() {
			goto_(m, st.ID)
			if st.ID == flow.StepSignIn {
				m.Update(deviceCodeMsg{gen: m.screen().(*signInScreen).gen, dc: fixedCode()})
			}
			for page := 0; page < 8; page++ {
				raw := m.Frame()
				sawCA = sawCA || strings.Contains(raw, ansi.SetHyperlink(ca))
				lines := splitLines(ansi.Strip(raw))
				for i, line := range lines {
					if j := strings.Index(line, "https://"); j >= 0 && !strings.Contains(ansi.Strip(raw), strings.TrimSpace(line[j:])) {
						t.Errorf("%s/%s line %d: %q", l, st.ID, i, line)
					}
					if strings.Contains(line, "tication-flows") && !strings.Contains(line, "https://") {
						t.Errorf("%s/%s: the Conditional Access link is broken at line %d:\n%s", l, st.ID, i, strings.Join(lines, "\n"))
					}
				}
				m.Update(keyMsg("pgdown"))
			}
		}
		if !sawCA {
			t.Errorf("%s: the Conditional Access link never showed as a hyperlink to the whole URL", l)
		}
	}
}

// TestWrapURLs: a URL that does not fit the rest of the line goes on its
// own line, whole; one longer than a line is shown as far as the line
// goes, its link whole; the words around it wrap as before.
func TestWrapURLs(t *testing.T) {
	url := "https://example.com/" + strings.Repeat("a", 30) // 50 columns
	out := wrap("For the details see "+url+". Then come back.", 60)
	want := "For the details see\n" + hyperlink(url, url+".") + " Then\ncome back."
	if out != want {
		t.Errorf("wrap at 60:\n%q\nwant\n%q", out, want)
	}
	long := "https://example.com/" + strings.Repeat("b", 60) // 80 columns
	out = wrap("See "+long+" now", 40)
	lines := strings.Split(out, "\n")
	if len(lines) != 3 || lines[0] != "See" || lines[2] != "now" {
		t.Fatalf("long URL:\n%q", out)
	}
	if !strings.HasPrefix(lines[1], ansi.SetHyperlink(long)) || ansi.StringWidth(lines[1]) != 40 || !strings.HasSuffix(ansi.Strip(lines[1]), "…") {
		t.Errorf("long URL line %q: want a 40-column line linking to the whole URL", lines[1])
	}
	// With a hanging indent, a long URL takes the whole width.
	out = indentWrap("• ", "See "+long, 81)
	if got := strings.Split(out, "\n"); len(got) != 2 || ansi.Strip(got[1]) != long {
		t.Errorf("indentWrap: %q", out)
	}
}
