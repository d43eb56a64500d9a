package ui

import (
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
	w, h   int
}

var accounts = []flow.Account{flow.AccountWork, flow.AccountPersonal}

func newWelcome(c *Common) *welcomeScreen {
	s := &welcomeScreen{c: c, w: c.Width, h: c.Height}
	if c.Opts.Config.Account == flow.AccountPersonal {
		s.choice = 1
	}
	return s
}

func (s *welcomeScreen) Init() tea.Cmd    { return nil }
func (s *welcomeScreen) SetSize(w, h int) { s.w, s.h = w, h }

func (s *welcomeScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil
	}
	switch {
	case k.String() == "1":
		s.choice = 0
	case k.String() == "2":
		s.choice = 1
	case key.Matches(k, s.c.Keys.Choose), key.Matches(k, s.c.Keys.Up), key.Matches(k, s.c.Keys.Down):
		s.choice = 1 - s.choice
	case key.Matches(k, s.c.Keys.Next):
		a := accounts[s.choice]
		return s, tea.Sequence(func() tea.Msg { return accountMsg{a} }, nextCmd)
	}
	return s, nil
}

func (s *welcomeScreen) View() string {
	st := s.c.Styles
	cfg := s.c.Opts.Config
	pg := flow.PageFor(s.c.Lang, cfg.UI, cfg.Account, flow.StepWelcome)
	var b strings.Builder
	b.WriteString(wrap(pg.Lead, s.w))
	b.WriteString("\n\n")
	b.WriteString(st.Title.Render(s.c.T("ui.welcome.which")))
	b.WriteString("\n")
	for i, a := range accounts {
		mark := "( ) "
		style := st.Text
		if i == s.choice {
			mark = "(" + st.Sym.Arrow + ") "
			if s.c.Opts.ASCII {
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
	return []key.Binding{s.c.Keys.Choose, s.c.Keys.Next, s.c.Keys.Help, s.c.Keys.Quit}
}

func (s *welcomeScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{s.c.Keys.Choose, s.c.Keys.Next}, {s.c.Keys.Help, s.c.Keys.Quit}}
}
