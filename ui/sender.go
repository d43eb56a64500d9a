package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

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
	// Nothing is preselected: an answer nobody gave is "not confirmed".
	s := &senderScreen{c: c, a: c.State.Answers, w: c.Width, h: c.Height}
	upn := ""
	if c.Session() != nil {
		upn = c.Session().Identity.UPN
	}
	s.sender = c.newInput()
	s.sender.Prompt = ""
	s.sender.Placeholder = upn
	s.sender.CharLimit = 254
	s.sender.SetValue(s.a.Sender)
	s.name = c.newInput()
	s.name.Prompt = ""
	s.name.Placeholder = c.T("ui.sender.name_placeholder")
	s.name.CharLimit = 128
	s.name.SetValue(s.a.DisplayName)
	return s
}

// Init reports the answers as they stand (the flags', or none).
func (s *senderScreen) Init() tea.Cmd { return s.report() }

func (s *senderScreen) report() tea.Cmd {
	s.a.Sender = strings.TrimSpace(s.sender.Value())
	s.a.DisplayName = s.name.Value()
	a := s.a
	a.DeviceEmail = s.c.State.Answers.DeviceEmail
	return func() tea.Msg { return answersMsg{a} }
}

func (s *senderScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.sender.SetWidth(max(10, w-34))
	s.name.SetWidth(max(10, w-34))
}

func (s *senderScreen) Typing() bool { return s.focus == fSender || s.focus == fName }

func (s *senderScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	keys := s.c.Keys
	switch {
	case key.Matches(k, keys.FieldPrev):
		return s, s.move(-1)
	case key.Matches(k, keys.FieldNext):
		return s, s.move(1)
	case key.Matches(k, keys.Next):
		return s, tea.Sequence(s.report(), nextCmd)
	case key.Matches(k, keys.BackEsc):
		return s, tea.Sequence(s.report(), backCmd)
	}
	if !s.Typing() {
		switch {
		case key.Matches(k, keys.Change):
			s.toggle()
			return s, s.report()
		case key.Matches(k, keys.Back):
			return s, tea.Sequence(s.report(), backCmd)
		}
		return s, nil
	}
	var cmd tea.Cmd
	before := s.sender.Value() + "\x00" + s.name.Value()
	if s.focus == fSender {
		s.sender, cmd = s.sender.Update(msg)
	} else {
		s.name, cmd = s.name.Update(msg)
	}
	if s.sender.Value()+"\x00"+s.name.Value() == before {
		return s, cmd
	}
	return s, tea.Batch(cmd, s.report())
}

func (s *senderScreen) toggle() {
	// An unanswered question takes the safe value first.
	flip := func(v string) string {
		if v == "safe" {
			return "other"
		}
		return "safe"
	}
	switch s.focus {
	case fLogin:
		if s.a.LoginCredentials == flow.LoginSystem { // unanswered → System
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
	pg := s.c.page(flow.StepSenderPolicy)
	form := wrap(pg.Lead, s.w) + "\n\n" + s.viewForm() + "\n"
	return strings.TrimRight(form+s.viewChecks(s.h-lipglossHeight(form)-1), "\n")
}

// radio is the mark of an option, chosen or not: the same on every
// screen, in ASCII where the terminal has no UTF-8 ("(*)").
func radio(c *Common, on bool) string {
	if !on {
		return "( ) "
	}
	return "(" + c.Styles.Sym.Bullet + ") "
}

// viewForm is the three choices and the two fields, the one with the
// focus marked.
func (s *senderScreen) viewForm() string {
	st := s.c.Styles
	lbl := func(k string) string { return flow.Label(s.c.Lang, s.c.Opts.Config.UI, k) }
	cursor := func(i int) string {
		if s.focus == i {
			return st.Code.Render(st.Sym.Arrow + " ")
		}
		return "  "
	}
	var b strings.Builder
	// onA, onB: which option is answered; neither while unanswered.
	choice := func(i int, label, a, bOpt string, onA, onB bool) {
		b.WriteString(indentWrap(cursor(i), label, s.w, st.Label) + "\n")
		opt := func(text string, on bool) string {
			if on {
				return st.Value.Render(radio(s.c, true) + text)
			}
			return st.Muted.Render(radio(s.c, false) + text)
		}
		if lipglossWidth(opt(a, onA)+"   "+opt(bOpt, onB)) <= s.w-4 {
			b.WriteString("    " + opt(a, onA) + "   " + opt(bOpt, onB) + "\n")
		} else { // one option a line
			b.WriteString("    " + opt(a, onA) + "\n    " + opt(bOpt, onB) + "\n")
		}
	}
	choice(fLogin, lbl("login_credentials"), lbl("login_credentials_system"), lbl("login_credentials_remote"),
		s.a.LoginCredentials == flow.LoginSystem, s.a.LoginCredentials == flow.LoginRemote)
	choice(fGuest, lbl("from_guest_edit"), lbl("from_guest_edit_safe"), s.c.T("ui.sender.other"), s.a.GuestEdit == "safe", s.a.GuestEdit == "other")
	choice(fNoAuth, lbl("from_noauth_edit"), lbl("from_noauth_edit_safe"), s.c.T("ui.sender.other"), s.a.NoAuthEdit == "safe", s.a.NoAuthEdit == "other")
	field := func(i int, label string, in textinput.Model) {
		// A label longer than its column wraps inside it; the field
		// follows its last line.
		ls := strings.Split(wrap(label, 28), "\n")
		for j, l := range ls {
			cur := cursor(i)
			if j > 0 {
				cur = "  "
			}
			line := cur + st.Label.Render(l)
			if j == len(ls)-1 {
				line += strings.Repeat(" ", max(1, 30-lipglossWidth(l))) + inputView(in)
			}
			b.WriteString(line + "\n")
		}
	}
	field(fSender, s.c.T("ui.sender.sender"), s.sender)
	field(fName, s.c.T("ui.sender.name"), s.name)
	return b.String()
}

// viewChecks is the verdicts on the answers: each gets its title, then
// details and fixes as far as budget lines allow.
func (s *senderScreen) viewChecks(budget int) string {
	cfg := s.c.Opts.Config
	upn := ""
	if s.c.Session() != nil {
		upn = s.c.Session().Identity.UPN
	}
	cur := s.a
	cur.Sender = strings.TrimSpace(s.sender.Value())
	cur.DisplayName = s.name.Value()
	checks := []flow.Check{
		flow.LoginCredentialsCheck(s.c.Lang, cfg.UI, cur.LoginCredentials),
		flow.SenderPolicyCheck(s.c.Lang, cfg.UI, upn, cur),
	}
	parts := make([]string, len(checks))
	for i, c := range checks {
		parts[i] = renderCheck(s.c, c, s.w, false)
		budget -= lipglossHeight(parts[i])
	}
	// Each verdict gets its details and fix if they fit, else at least its
	// fix: what to do is shown where the failure is.
	for i, c := range checks {
		for _, more := range []string{renderCheck(s.c, c, s.w, true), renderCheckFix(s.c, c, s.w)} {
			if extra := lipglossHeight(more) - lipglossHeight(parts[i]); extra > 0 && extra <= budget {
				parts[i], budget = more, budget-extra
				break
			}
		}
	}
	return strings.Join(parts, "")
}

// renderCheckFix is a verdict's title and fix, without its details.
func renderCheckFix(c *Common, chk flow.Check, w int) string {
	out := renderCheck(c, chk, w, false)
	if chk.Fix == "" || chk.Status == flow.Pass || chk.Status == flow.Skip {
		return out
	}
	pad := strings.Repeat(" ", lipglossWidth(c.Styles.Sym.Fail)+1)
	return out + renderFix(c, pad+c.Styles.Value.Render(c.T("ui.problem.fix")+" "), chk.Fix, w) + "\n"
}

func (s *senderScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	if s.Typing() {
		return []key.Binding{k.Field, k.Next, k.BackEsc}
	}
	return []key.Binding{k.Field, k.Change, k.Next, k.Back}
}

func (s *senderScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
