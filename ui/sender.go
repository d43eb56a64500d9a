package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"mfpmail/flow"
)

// senderScreen asks what the device is set to — [Login Credentials for
// Email Send], the two From-address settings — and which sender address
// the Email app uses, and checks each answer as it is given.
type senderScreen struct {
	c      *Common
	a      flow.Answers
	focus  int // 0..4
	sender textinput.Model
	name   textinput.Model
	w, h   int
}

const (
	fLogin = iota
	fGuest
	fNoAuth
	fSender
	fName
	nFields
)

func newSender(c *Common) *senderScreen {
	s := &senderScreen{c: c, a: c.State.Answers, w: c.Width, h: c.Height}
	if s.a.LoginCredentials == "" {
		s.a.LoginCredentials = flow.LoginSystem
	}
	if s.a.GuestEdit == "" {
		s.a.GuestEdit = "safe"
	}
	if s.a.NoAuthEdit == "" {
		s.a.NoAuthEdit = "safe"
	}
	upn := ""
	if c.State.Session != nil {
		upn = c.State.Session.Identity.UPN
	}
	s.sender = textinput.New()
	s.sender.Prompt = ""
	s.sender.Placeholder = upn
	s.sender.CharLimit = 254
	s.sender.SetValue(s.a.Sender)
	s.name = textinput.New()
	s.name.Prompt = ""
	s.name.Placeholder = c.T("ui.sender.name_placeholder")
	s.name.CharLimit = 128
	s.name.SetValue(s.a.DisplayName)
	return s
}

// Init reports the defaults, so the checks see them even if nothing is
// changed.
func (s *senderScreen) Init() tea.Cmd { return s.report() }

func (s *senderScreen) report() tea.Cmd {
	s.a.Sender = strings.TrimSpace(s.sender.Value())
	s.a.DisplayName = s.name.Value()
	a := s.a
	a.DeviceEmail = s.c.State.Answers.DeviceEmail
	a.DeviceSignIn = s.c.State.Answers.DeviceSignIn
	return func() tea.Msg { return answersMsg{a} }
}

func (s *senderScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.sender.Width = max(10, w-34)
	s.name.Width = max(10, w-34)
}

func (s *senderScreen) Typing() bool { return s.focus == fSender || s.focus == fName }

func (s *senderScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil
	}
	switch k.Type {
	case tea.KeyUp, tea.KeyShiftTab:
		return s, s.move(-1)
	case tea.KeyDown, tea.KeyTab:
		return s, s.move(1)
	case tea.KeyEnter:
		return s, tea.Sequence(s.report(), nextCmd)
	case tea.KeyEsc:
		return s, tea.Sequence(s.report(), backCmd)
	}
	switch s.focus {
	case fLogin, fGuest, fNoAuth:
		switch {
		case k.Type == tea.KeyLeft || k.Type == tea.KeyRight || k.String() == " ":
			s.toggle()
			return s, s.report()
		case key.Matches(k, s.c.Keys.Back):
			return s, tea.Sequence(s.report(), backCmd)
		}
		return s, nil
	}
	var cmd tea.Cmd
	if s.focus == fSender {
		s.sender, cmd = s.sender.Update(msg)
	} else {
		s.name, cmd = s.name.Update(msg)
	}
	return s, tea.Batch(cmd, s.report())
}

func (s *senderScreen) toggle() {
	flip := func(v string) string {
		if v == "safe" {
			return "other"
		}
		return "safe"
	}
	switch s.focus {
	case fLogin:
		if s.a.LoginCredentials == flow.LoginSystem {
			s.a.LoginCredentials = flow.LoginRemote
		} else {
			s.a.LoginCredentials = flow.LoginSystem
		}
	case fGuest:
		s.a.GuestEdit = flip(s.a.GuestEdit)
	case fNoAuth:
		s.a.NoAuthEdit = flip(s.a.NoAuthEdit)
	}
}

func (s *senderScreen) move(d int) tea.Cmd {
	s.focus = (s.focus + d + nFields) % nFields
	s.sender.Blur()
	s.name.Blur()
	switch s.focus {
	case fSender:
		return s.sender.Focus()
	case fName:
		return s.name.Focus()
	}
	return nil
}

func (s *senderScreen) View() string {
	st := s.c.Styles
	cfg := s.c.Opts.Config
	lbl := func(k string) string { return flow.Label(s.c.Lang, cfg.UI, k) }
	pg := s.c.page(flow.StepSenderPolicy)
	var b strings.Builder
	b.WriteString(wrap(pg.Lead, s.w) + "\n\n")

	choice := func(i int, label, a, bOpt string, first bool) {
		cur := "  "
		if s.focus == i {
			cur = st.Code.Render(st.Sym.Arrow + " ")
		}
		b.WriteString(indentWrap(cur, label, s.w, st.Label) + "\n")
		opt := func(text string, on bool) string {
			mark := "( ) "
			if on {
				mark = "(*) "
				return st.Value.Render(mark + text)
			}
			return st.Muted.Render(mark + text)
		}
		if lipglossWidth(opt(a, first)+"   "+opt(bOpt, !first)) <= s.w-4 {
			b.WriteString("    " + opt(a, first) + "   " + opt(bOpt, !first) + "\n")
		} else { // one option a line
			b.WriteString("    " + opt(a, first) + "\n    " + opt(bOpt, !first) + "\n")
		}
	}
	choice(fLogin, lbl("login_credentials"), lbl("login_credentials_system"), lbl("login_credentials_remote"), s.a.LoginCredentials == flow.LoginSystem)
	choice(fGuest, lbl("from_guest_edit"), lbl("from_guest_edit_safe"), s.c.T("ui.sender.other"), s.a.GuestEdit == "safe")
	choice(fNoAuth, lbl("from_noauth_edit"), lbl("from_noauth_edit_safe"), s.c.T("ui.sender.other"), s.a.NoAuthEdit == "safe")
	field := func(i int, label string, in textinput.Model) {
		cur := "  "
		if s.focus == i {
			cur = st.Code.Render(st.Sym.Arrow + " ")
		}
		// A label longer than its column wraps inside it; the field
		// follows its last line.
		ls := strings.Split(wrap(label, 28), "\n")
		for i, l := range ls {
			if i > 0 {
				cur = "  "
			}
			line := cur + st.Label.Render(l)
			if i == len(ls)-1 {
				line += strings.Repeat(" ", max(1, 30-lipglossWidth(l))) + in.View()
			}
			b.WriteString(line + "\n")
		}
	}
	field(fSender, s.c.T("ui.sender.sender"), s.sender)
	field(fName, s.c.T("ui.sender.name"), s.name)
	b.WriteString("\n")

	upn := ""
	if s.c.State.Session != nil {
		upn = s.c.State.Session.Identity.UPN
	}
	cur := s.a
	cur.Sender = strings.TrimSpace(s.sender.Value())
	cur.DisplayName = s.name.Value()
	checks := []flow.Check{
		flow.LoginCredentialsCheck(s.c.Lang, cfg.UI, cur.LoginCredentials),
		flow.SenderPolicyCheck(s.c.Lang, cfg.UI, upn, cur),
	}
	// Each verdict gets its title; details and fixes as far as room allows.
	budget := s.h - lipglossHeight(b.String()) - 1
	parts := make([]string, len(checks))
	for i, c := range checks {
		parts[i] = renderCheck(s.c, c, s.w, false)
		budget -= lipglossHeight(parts[i])
	}
	for i, c := range checks {
		full := renderCheck(s.c, c, s.w, true)
		if extra := lipglossHeight(full) - lipglossHeight(parts[i]); extra > 0 && extra <= budget {
			parts[i], budget = full, budget-extra
		}
	}
	b.WriteString(strings.Join(parts, ""))
	return strings.TrimRight(b.String(), "\n")
}

func (s *senderScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	move := key.NewBinding(key.WithKeys("up", "down", "tab"), key.WithHelp("up/down", s.c.T("ui.key.field")))
	toggle := key.NewBinding(key.WithKeys("left", "right", " "), key.WithHelp("left/right", s.c.T("ui.key.change")))
	if s.Typing() {
		return []key.Binding{move, k.Next, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", s.c.T("ui.key.back")))}
	}
	return []key.Binding{move, toggle, k.Next, k.Back, k.Help, k.Quit}
}

func (s *senderScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
