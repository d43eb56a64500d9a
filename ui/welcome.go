package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"mfpmail/flow"
)

// welcomeScreen says what the technician needs and asks which kind of
// account will send: a work account (Exchange Online, needs consent) or a
// personal one (Outlook.com, skips it).
type welcomeScreen struct {
	c      *Common
	choice int // 0 work, 1 personal
	// In --demo: the scenario picker and the scenarios' names.
	picking bool
	pick    int
	names   []string
	top     int      // first line shown, on short windows (pgup/pgdown)
	lines   []string // the page, laid out for the width
	note    string
	w, h    int
}

// scenarioMsg: the simulated tenant now plays another scenario.
type scenarioMsg struct {
	name     string
	err      error
	smtpHost string       // where the simulated Exchange Online now listens
	smtpPort int          //
	answers  flow.Answers // the new scenario's device settings
}

var accounts = []flow.Account{flow.AccountWork, flow.AccountPersonal}

func newWelcome(c *Common) *welcomeScreen {
	s := &welcomeScreen{c: c, w: c.Width, h: c.Height}
	if c.Opts.Config.Account == flow.AccountPersonal {
		s.choice = 1
	}
	if c.Opts.Demo != nil {
		s.names = c.Opts.Demo.Scenarios()
	}
	s.refresh()
	return s
}

func (s *welcomeScreen) Init() tea.Cmd    { return nil }
func (s *welcomeScreen) SetSize(w, h int) { s.w, s.h = w, h; s.refresh() }

// refresh lays the page out again and keeps the first line shown in
// range: View only draws.
func (s *welcomeScreen) refresh() {
	s.lines = strings.Split(strings.TrimRight(s.page(), "\n"), "\n")
	if len(s.lines) <= s.h || s.h <= 0 {
		s.top = 0
		return
	}
	s.top = min(max(s.top, 0), len(s.lines)-s.h)
}

// Update handles msg, then lays the page out for View.
func (s *welcomeScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	defer s.refresh()
	return s.update(msg)
}

func (s *welcomeScreen) update(msg tea.Msg) (Screen, tea.Cmd) {
	if m, ok := msg.(scenarioMsg); ok {
		if m.err != nil {
			s.note = m.err.Error()
		} else {
			s.note = s.c.T("demo.picker.changed", "name", m.name)
		}
		return s, nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil
	}
	if s.picking {
		return s.updatePicker(k)
	}
	keys := s.c.Keys
	switch {
	case key.Matches(k, keys.More) && s.more():
		if key.Matches(k, keys.PageUp) {
			s.top -= max(1, s.h-2)
		} else {
			s.top += max(1, s.h-2)
		}
		return s, nil
	case key.Matches(k, keys.Scenario) && s.c.Opts.Demo != nil:
		s.picking = true
		s.pick = max(0, slices.Index(s.names, s.c.State.Scenario))
		return s, nil
	case key.Matches(k, keys.ChooseOne):
		s.choice = 0
	case key.Matches(k, keys.ChooseTwo):
		s.choice = 1
	case key.Matches(k, keys.Choose):
		s.choice = 1 - s.choice
	case key.Matches(k, keys.Next):
		a := accounts[s.choice]
		return s, tea.Sequence(func() tea.Msg { return accountMsg{a} }, nextCmd)
	}
	return s, nil
}

func (s *welcomeScreen) updatePicker(k tea.KeyMsg) (Screen, tea.Cmd) {
	names, keys := s.names, s.c.Keys
	switch {
	case key.Matches(k, keys.LineUp):
		s.pick = (s.pick + len(names) - 1) % len(names)
	case key.Matches(k, keys.LineDown):
		s.pick = (s.pick + 1) % len(names)
	case key.Matches(k, keys.Pick):
		s.picking = false
		name, demo := names[s.pick], s.c.Opts.Demo
		return s, func() tea.Msg {
			if err := demo.SetScenario(name); err != nil {
				return scenarioMsg{name: name, err: err}
			}
			host, port := demo.SMTP()
			return scenarioMsg{name: name, smtpHost: host, smtpPort: port, answers: DemoAnswers(demo)}
		}
	case key.Matches(k, keys.Cancel):
		s.picking = false
	}
	return s, nil
}

// Typing: the picker takes the keys while it is open.
func (s *welcomeScreen) Typing() bool { return s.picking }

func (s *welcomeScreen) viewPicker() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(s.c.T("demo.picker.choose")) + "\n\n")
	names := s.names
	for i, n := range names {
		line := "  " + n
		if i == s.pick {
			line = st.Code.Render(st.Sym.Arrow+" "+n) + "  " + st.Muted.Render(s.c.T("demo."+n+".title"))
		} else {
			line += "  " + st.Muted.Render(s.c.T("demo."+n+".title"))
		}
		b.WriteString(truncate(line, s.w) + "\n")
	}
	b.WriteString("\n" + wrap(s.c.T("demo."+names[s.pick]+".note"), s.w))
	return b.String()
}

// View shows the top of the page, and scrolls to keep the choice in view
// on short windows (up/down move the choice, so the page follows).
func (s *welcomeScreen) View() string {
	if s.picking {
		return s.viewPicker()
	}
	if len(s.lines) <= s.h || s.h <= 0 {
		return strings.Join(s.lines, "\n")
	}
	return strings.Join(s.lines[s.top:s.top+s.h], "\n")
}

// more reports whether the page is taller than the window.
func (s *welcomeScreen) more() bool { return len(s.lines) > s.h }

func (s *welcomeScreen) page() string {
	st := s.c.Styles
	pg := s.c.page(flow.StepWelcome)
	var b strings.Builder
	if s.c.Opts.Demo != nil {
		sc := s.c.State.Scenario
		// The trainer's note is in the picker (s); here, one line.
		b.WriteString(st.Demo.Render(truncate(s.c.T("demo.picker.title")+": "+sc+" · "+s.c.T("demo."+sc+".title"), s.w)) + "\n")
		if s.note != "" {
			b.WriteString(st.OK.Render(wrap(s.note, s.w)) + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(wrap(pg.Lead, s.w))
	b.WriteString("\n\n")
	b.WriteString(st.Title.Render(s.c.T("ui.welcome.which")))
	b.WriteString("\n")
	for i, a := range accounts {
		mark := "( ) "
		style := st.Text
		if i == s.choice {
			mark = "(" + st.Sym.Arrow + ") "
			if s.c.Opts.Term.ASCII {
				mark = "(*) "
			}
			style = st.Value
		}
		line := mark + string(rune('1'+i)) + "  " + s.c.T("ui.welcome."+string(a))
		b.WriteString(style.Render(truncate(line, s.w)))
		b.WriteString("\n")
		b.WriteString(st.Muted.Render(indentWrap("       ", s.c.T("ui.welcome."+string(a)+".hint"), s.w)))
		b.WriteString("\n")
	}
	if len(pg.Actions) > 0 {
		b.WriteString("\n")
		b.WriteString(st.Title.Render(s.c.T("ui.welcome.need")))
		b.WriteString("\n")
		for _, a := range pg.Actions {
			b.WriteString(indentWrap(st.Muted.Render(st.Sym.Bullet+" "), a, s.w))
			b.WriteString("\n")
		}
	}
	for _, n := range pg.Notes {
		b.WriteString("\n")
		b.WriteString(renderNote(s.c, n, s.w))
	}
	return b.String()
}

func (s *welcomeScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	if s.picking {
		return []key.Binding{k.PickMove, k.Pick, k.Cancel}
	}
	ks := []key.Binding{k.Choose, k.Next}
	if s.c.Opts.Demo != nil {
		ks = append(ks, k.Scenario)
	}
	if s.more() {
		ks = append(ks, k.More)
	}
	return ks
}

func (s *welcomeScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
