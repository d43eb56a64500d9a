package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// devSignInScreen is the device's own sign-in (procedure steps 6–9): what
// to click on the device and on Microsoft's pages, what to do when it
// fails, and the question whether it succeeded, whose answer goes into the
// run's answers (and so into the report).
type devSignInScreen struct {
	c  *Common
	vp viewport.Model
	// troubleAt is the line where "If the device's sign-in fails" starts.
	troubleAt int
}

func newDevSignIn(c *Common) *devSignInScreen {
	s := &devSignInScreen{c: c, vp: newViewport(c, c.Width, c.Height)}
	s.refresh()
	return s
}

func (s *devSignInScreen) Init() tea.Cmd { return nil }

func (s *devSignInScreen) SetSize(w, h int) {
	s.vp.SetWidth(w)
	s.vp.SetHeight(h)
	s.refresh()
}

func (s *devSignInScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		answer := ""
		switch {
		case key.Matches(k, s.c.Keys.Yes):
			answer = flow.DeviceSignInYes
		case key.Matches(k, s.c.Keys.No):
			answer = flow.DeviceSignInNo
		}
		if answer != "" {
			a := s.c.State.Answers
			a.DeviceSignIn = answer
			s.refreshWith(answer)
			if answer == flow.DeviceSignInNo { // what to do about it
				s.vp.SetYOffset(s.troubleAt)
			}
			return s, func() tea.Msg { return answersMsg{a} }
		}
	}
	var cmd tea.Cmd
	s.vp, cmd = navOrScroll(s.c, s.vp, msg)
	return s, cmd
}

func (s *devSignInScreen) refresh() { s.refreshWith(s.c.State.Answers.DeviceSignIn) }

func (s *devSignInScreen) refreshWith(answer string) {
	st := s.c.Styles
	w := s.vp.Width()
	pg := s.c.page(flow.StepDeviceSignIn)
	notes := pg.Notes
	pg.Notes = nil
	var b strings.Builder
	b.WriteString(renderPage(s.c, pg, w) + "\n")
	// The question right after the steps it asks about.
	b.WriteString("\n" + st.Title.Render(wrap(s.c.T("ui.devsignin.ask"), w)) + "\n")
	yes, no := st.Text, st.Text
	switch answer {
	case flow.DeviceSignInYes:
		yes = st.Value
	case flow.DeviceSignInNo:
		no = st.Value
	}
	b.WriteString("    " + yes.Render(s.c.T("ui.devsignin.yes")) + "     " + no.Render(s.c.T("ui.devsignin.no")) + "\n")
	switch answer {
	case flow.DeviceSignInYes:
		b.WriteString(st.OK.Render(wrap(st.Sym.OK+" "+s.c.T("ui.devsignin.answer.yes"), w)) + "\n")
	case flow.DeviceSignInNo:
		b.WriteString(st.Warn.Render(wrap(st.Sym.Warn+" "+s.c.T("ui.devsignin.answer.no"), w)) + "\n")
	}
	for _, n := range notes {
		b.WriteString("\n" + renderNote(s.c, n, w))
	}
	s.troubleAt = strings.Count(b.String(), "\n")
	if len(pg.Trouble) > 0 {
		b.WriteString("\n" + st.Title.Render(wrap(s.c.T("ui.devsignin.trouble"), w)) + "\n")
		for _, t := range pg.Trouble {
			b.WriteString(indentWrap(st.Muted.Render(st.Sym.Bullet+" "), t, w) + "\n")
		}
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (s *devSignInScreen) View() string { return s.vp.View() }

func (s *devSignInScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	return append([]key.Binding{k.Yes, k.No, k.Next, k.Back}, scrollKey(s.c, s.vp)...)
}

func (s *devSignInScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
