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
	// troubleAt is the line where "If the device's sign-in fails" starts,
	// askAt the line of the question.
	troubleAt, askAt int
	// reply is the field for what the device shows after a "no".
	reply deviceReply
}

func newDevSignIn(c *Common) *devSignInScreen {
	s := &devSignInScreen{c: c, vp: newViewport(c, c.Width, c.Height), reply: newDeviceReply(c, flow.CheckDeviceSignIn)}
	s.refresh()
	return s
}

func (s *devSignInScreen) Init() tea.Cmd { return nil }

func (s *devSignInScreen) SetSize(w, h int) {
	s.vp.SetWidth(w)
	s.vp.SetHeight(h)
	s.refresh()
}

// Typing: what the device shows is being typed.
func (s *devSignInScreen) Typing() bool { return s.reply.Typing() }

func (s *devSignInScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg.(type) {
	case answersMsg, deviceAnswerMsg, deviceShownMsg: // recorded by the root: draw them
		s.refresh()
		return s, nil
	}
	if handled, cmd := s.reply.route(msg, &s.vp, func() int { s.refresh(); return s.troubleAt }); handled {
		return s, cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if cmd := prereqKey(s.c, flow.StepDeviceSignIn, k); cmd != nil {
			return s, cmd
		}
		answer := ""
		switch {
		case key.Matches(k, s.c.Keys.Yes):
			answer = flow.DeviceYes
		case key.Matches(k, s.c.Keys.No):
			answer = flow.DeviceNo
		}
		if answer != "" {
			s.refreshWith(answer)
			s.vp.SetYOffset(s.askAt)     // the answer, and what comes next
			if answer == flow.DeviceNo { // what to do about it
				s.vp.SetYOffset(s.troubleAt)
			}
			return s, func() tea.Msg { return deviceAnswerMsg{flow.CheckDeviceSignIn, answer} }
		}
	}
	var cmd tea.Cmd
	s.vp, cmd = navOrScroll(s.c, s.vp, msg)
	return s, cmd
}

func (s *devSignInScreen) refresh() {
	s.refreshWith(s.c.Outcome().DeviceAnswerNow(flow.CheckDeviceSignIn))
}

func (s *devSignInScreen) refreshWith(answer string) {
	s.reply.sync()
	st := s.c.Styles
	w := s.vp.Width()
	pg := s.c.page(flow.StepDeviceSignIn)
	notes := pg.Notes
	pg.Notes = nil
	var b strings.Builder
	b.WriteString(renderPage(s.c, pg, w) + "\n")
	b.WriteString("\n" + s.accountView(w))
	// The question right after the steps it asks about.
	s.askAt = strings.Count(b.String(), "\n") + 1
	b.WriteString("\n" + st.Title.Render(wrap(s.c.T("ui.devsignin.ask"), w)) + "\n")
	yes, no := st.Text, st.Text
	switch answer {
	case flow.DeviceYes:
		yes = st.Value
	case flow.DeviceNo:
		no = st.Value
	}
	b.WriteString("    " + yes.Render(s.c.T("ui.devsignin.yes")) + "     " + no.Render(s.c.T("ui.devsignin.no")) + "\n")
	switch answer {
	case flow.DeviceYes:
		b.WriteString(st.OK.Render(wrap(st.Sym.OK+" "+s.c.T("ui.devsignin.answer.yes"), w)) + "\n")
		b.WriteString(wrap(s.c.T("ui.devsignin.read_email", labelKV(s.c, s.c.Opts.Config.UI)...), w) + "\n")
	case flow.DeviceNo:
		b.WriteString(st.Warn.Render(wrap(st.Sym.Warn+" "+s.c.T("ui.devsignin.answer.no"), w)) + "\n")
	}
	for _, n := range notes {
		b.WriteString("\n" + renderNote(s.c, n, w))
	}
	// What to check when it fails: the device's own prerequisites first.
	s.troubleAt = strings.Count(b.String(), "\n")
	if v := s.reply.view(w); v != "" { // first what the device itself says
		b.WriteString("\n" + v)
	}
	b.WriteString("\n" + prereqView(s.c, flow.StepDeviceSignIn, w))
	if len(pg.Trouble) > 0 {
		b.WriteString("\n" + st.Title.Render(wrap(s.c.T("ui.devsignin.trouble"), w)) + "\n")
		for _, t := range pg.Trouble {
			b.WriteString(indentWrap(st.Muted.Render(st.Sym.Bullet+" "), t, w) + "\n")
		}
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

// accountView names the account the device must sign in as, and how to
// keep the browser from taking the administrator who gave the consent:
// then every scan fails with 535 5.7.3.
func (s *devSignInScreen) accountView(w int) string {
	st := s.c.Styles
	upn := s.c.T("handover.the_account")
	if sess := s.c.Session(); sess != nil {
		upn = sess.Identity.UPN
	}
	return st.Title.Render(wrap(s.c.T("ui.devsignin.as", "upn", upn), w)) + "\n" +
		wrap(s.c.T("ui.devsignin.private"), w) + "\n"
}

func (s *devSignInScreen) View() string { return s.vp.View() }

func (s *devSignInScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	if s.reply.Typing() {
		return s.reply.keys(s.vp)
	}
	ks := append([]key.Binding{k.Yes, k.No}, s.reply.keys(s.vp)...)
	return append(append(ks, k.Next, k.Back), scrollKey(s.c, s.vp)...)
}

// FullHelp adds 1 and 2 (the device's prerequisites), which the screen
// names beside its questions.
func (s *devSignInScreen) FullHelp() [][]key.Binding {
	if s.reply.Typing() {
		return [][]key.Binding{s.ShortHelp()}
	}
	return [][]key.Binding{append(s.ShortHelp(), s.c.Keys.Prereq)}
}
