package ui

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
	"mfpmail/smtpcheck"
)

type sendState int

const (
	sendIdle sendState = iota
	sendRunning
	sendDone
)

type (
	sendLineMsg struct {
		gen  int
		line smtpcheck.Line
		next <-chan smtpcheck.Line
	}
	sendResultMsg struct {
		gen int
		run flow.SendRun
		err error
	}
)

// testSendScreen sends a real message through the SMTP server as the
// signed-in account, shows each line of the exchange as it happens, and
// explains the server's reply.
type testSendScreen struct {
	c       *Common
	state   sendState
	gen     int
	cancel  context.CancelFunc
	to      textinput.Model
	toErr   string
	lines   []smtpcheck.Line
	run     *flow.SendRun // the send on screen: this screen's, or the one recorded before it was built
	showLog bool
	note    string
	vp      viewport.Model // the transcript
	resVP   viewport.Model // the result, when it is longer than the screen
	spin    spinner.Model
	w, h    int
	// Laid out by Update for View: the screen, or it in resVP when long.
	plain string
	long  bool
}

func (sendLineMsg) owner() flow.StepID   { return flow.StepTestSend }
func (sendResultMsg) owner() flow.StepID { return flow.StepTestSend }

func newTestSend(c *Common) *testSendScreen {
	s := &testSendScreen{c: c, vp: viewport.New(viewport.WithWidth(c.Width), viewport.WithHeight(c.Height)), spin: c.newSpinner(), w: c.Width, h: c.Height}
	s.vp.KeyMap = viewportKeys(c.Keys)
	s.resVP = viewport.New(viewport.WithWidth(c.Width), viewport.WithHeight(c.Height))
	s.resVP.KeyMap = viewportKeys(c.Keys)
	s.to = c.newInput()
	s.to.Prompt = ""
	s.to.CharLimit = 254
	s.to.SetValue(c.State.Target.Recipient(c.Session()))
	if run := c.State.Send; run != nil {
		s.run, s.state = run, sendDone
		if run.Result != nil {
			s.lines = run.Result.Transcript
		}
	}
	s.layout()
	return s
}

func (s *testSendScreen) attempt() int { return s.gen }

// res is the SMTP exchange on screen, if the server could be reached.
func (s *testSendScreen) res() *smtpcheck.Result {
	if s.run == nil {
		return nil
	}
	return s.run.Result
}

// stale lists what changed since the send on screen ran; nil while it
// still applies.
func (s *testSendScreen) stale() []flow.Input {
	if s.run == nil || s.state != sendDone {
		return nil
	}
	return s.run.Inputs.Changed(s.c.Outcome().Now(), flow.Evidence(flow.CheckTestSend))
}

func (s *testSendScreen) Init() tea.Cmd { return nil }

func (s *testSendScreen) Typing() bool { return s.to.Focused() }

func (s *testSendScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.to.SetWidth(max(10, w-24))
	s.vp.SetWidth(w)
	s.vp.SetHeight(h)
	s.layout()
}

func (s *testSendScreen) start() tea.Cmd {
	addr, err := mail.ParseAddress(strings.TrimSpace(s.to.Value()))
	if err != nil || !strings.Contains(addr.Address, "@") {
		s.toErr = s.c.T("ui.send.bad_to", "value", s.to.Value())
		return nil
	}
	sess := s.c.Session()
	if sess == nil {
		s.toErr = s.c.T("ui.id.none")
		return nil
	}
	s.toErr = ""
	s.to.Blur()
	if s.cancel != nil {
		s.cancel()
	}
	s.gen++
	s.state, s.lines, s.run, s.showLog, s.note = sendRunning, nil, nil, false, ""
	ctx, cancel := context.WithCancel(s.c.Ctx)
	s.cancel = cancel
	to := addr.Address
	target := s.c.State.Target
	target.To = to
	ch := make(chan smtpcheck.Line, 512)
	opts := flow.SendOptions{Target: target, Roots: s.c.Opts.SMTPRoots, Version: s.c.Opts.Version,
		Scenario: s.c.State.Scenario, OnLine: func(l smtpcheck.Line) {
			select {
			case ch <- l:
			default: // the screen is behind; the full transcript comes with the result
			}
		}}
	gen, cfg, answers := s.gen, s.c.Opts.Config, s.c.State.Answers
	run := func() tea.Msg {
		defer close(ch)
		r, err := flow.TestSend(ctx, cfg, sess, answers, opts)
		return sendResultMsg{gen: gen, run: r, err: err}
	}
	// The recipient is in force before the send's result comes back.
	return tea.Sequence(recipientCmd(to), tea.Batch(s.spin.Tick, run, drain(gen, ch)))
}

func recipientCmd(to string) tea.Cmd { return func() tea.Msg { return recipientMsg{to: to} } }

// drain reads one transcript line; Update asks for the next (glow's
// channel-drain pattern: only Update touches the model).
func drain(gen int, ch <-chan smtpcheck.Line) tea.Cmd {
	return func() tea.Msg {
		l, ok := <-ch
		if !ok {
			return nil
		}
		return sendLineMsg{gen: gen, line: l, next: ch}
	}
}

// Update handles msg, then lays the screen out for View.
func (s *testSendScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	defer s.layout()
	return s.update(msg)
}

func (s *testSendScreen) update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case sendLineMsg:
		if msg.gen != s.gen || s.state != sendRunning {
			return s, nil
		}
		s.lines = append(s.lines, msg.line)
		return s, drain(msg.gen, msg.next)
	case sendResultMsg:
		if msg.gen != s.gen {
			return s, nil
		}
		s.state = sendDone
		if msg.err != nil {
			s.toErr = s.c.T("ui.id.none")
			return s, nil
		}
		run := msg.run
		s.run = &run
		if run.Result != nil {
			s.lines = run.Result.Transcript
			s.refreshLog()
		}
		return s, nil
	case spinner.TickMsg:
		return s, spinTick(&s.spin, msg, s.state == sendRunning)
	case tea.KeyPressMsg:
		return s.key(msg)
	case copiedMsg:
		if msg.err != nil {
			s.note = s.c.T("ui.signin.copy_failed")
		} else {
			s.note = s.c.T("ui.cmd.copied")
		}
		return s, nil
	}
	return s, nil
}

// fixCommands are the commands of the shown result's fix, one a line, for
// the clipboard; "" when it has none.
func (s *testSendScreen) fixCommands() string {
	if s.state != sendDone || s.res() == nil {
		return ""
	}
	return strings.Join(commands(s.res().Diagnosis.Fix), "\n")
}

func (s *testSendScreen) key(k tea.KeyPressMsg) (Screen, tea.Cmd) {
	keys := s.c.Keys
	if s.to.Focused() {
		return s, s.keyRecipient(k)
	}
	if s.showLog {
		if key.Matches(k, keys.CloseTranscript) {
			s.showLog = false
			return s, nil
		}
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(k)
		return s, cmd
	}
	switch {
	case key.Matches(k, keys.EditTo) && s.state != sendRunning:
		return s, s.to.Focus()
	case key.Matches(k, keys.Transcript) && s.canShowLog():
		s.showLog = true
		s.refreshLog()
		s.vp.GotoBottom()
		return s, nil
	case key.Matches(k, keys.Retry) && s.state == sendDone:
		return s, s.start()
	case key.Matches(k, keys.Copy) && s.fixCommands() != "" && s.c.canCopy():
		return s, s.c.copyCmd(s.fixCommands())
	case key.Matches(k, keys.AdminFix) && s.canAdminFix():
		demo, upn := s.c.Opts.Demo, s.c.Session().Identity.UPN
		s.note = s.c.T("ui.send.demo_fixed", "upn", upn)
		return s, func() tea.Msg { demo.EnableSMTPAuth(upn); return nil }
	case key.Matches(k, keys.Next):
		if s.state == sendIdle {
			return s, s.start()
		}
		if s.state == sendDone {
			return s, nextCmd
		}
	case key.Matches(k, keys.Scroll) && s.long:
		var cmd tea.Cmd
		s.resVP, cmd = s.resVP.Update(k)
		return s, cmd
	case key.Matches(k, keys.Back):
		if s.cancel != nil {
			s.cancel()
		}
		if s.state == sendRunning {
			s.state = sendIdle
		}
		return s, backCmd
	}
	return s, nil
}

// keyRecipient takes the keys while the recipient is typed: enter sends,
// esc or tab leaves the field.
func (s *testSendScreen) keyRecipient(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, s.c.Keys.Send):
		return s.start()
	case key.Matches(k, s.c.Keys.FieldLeave):
		s.to.Blur()
		if addr, err := mail.ParseAddress(strings.TrimSpace(s.to.Value())); err == nil {
			return recipientCmd(addr.Address)
		}
		return nil
	}
	var cmd tea.Cmd
	s.to, cmd = s.to.Update(k)
	return cmd
}

// canAdminFix: in the demo, the trainer may play the administrator who
// enables SMTP AUTH for the mailbox (which wins over the tenant's switch
// and security defaults), while one of those verdicts is on screen.
func (s *testSendScreen) canAdminFix() bool {
	r := s.res()
	if s.c.Opts.Demo == nil || s.state != sendDone || r == nil || s.c.Session() == nil || len(s.stale()) != 0 {
		return false
	}
	switch r.Diagnosis.ID {
	case smtpcheck.IDSMTPAuthDisabledMailbox, smtpcheck.IDSMTPAuthDisabledTenant, smtpcheck.IDSecurityDefaults:
		return true
	}
	return false
}

// canShowLog: the transcript of the send on screen can be opened (t).
func (s *testSendScreen) canShowLog() bool {
	return len(s.lines) > 0 && s.state == sendDone && len(s.stale()) == 0
}

func (s *testSendScreen) refreshLog() {
	var b strings.Builder
	for _, l := range s.lines {
		b.WriteString(truncate(l.String(), s.w) + "\n")
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (s *testSendScreen) View() string {
	switch {
	case s.showLog:
		return s.vp.View()
	case s.long:
		return s.resVP.View()
	}
	return s.plain
}

// layout draws the screen for View; a long explanation goes into resVP,
// to scroll (up/down) rather than be cut.
func (s *testSendScreen) layout() {
	out := s.draw()
	s.long = lipglossHeight(out) > s.h
	if s.long {
		s.resVP.SetWidth(s.w)
		s.resVP.SetHeight(s.h)
		s.resVP.SetContent(out)
	}
	s.plain = out
}

func (s *testSendScreen) draw() string {
	st := s.c.Styles
	var b strings.Builder
	host, port := s.c.State.Target.SMTPHost, s.c.State.Target.SMTPPort
	upn, from := "", ""
	if sess := s.c.Session(); sess != nil {
		upn = sess.Identity.UPN
		from = s.c.State.Answers.SenderOrUPN(upn)
	}
	b.WriteString(kv(s.c, s.c.T("ui.send.server"), s.serverLine(host, port), s.w))
	b.WriteString(kv(s.c, s.c.T("ui.send.auth_as"), upn, s.w))
	b.WriteString(kv(s.c, s.c.T("ui.send.from"), from, s.w))
	l := s.c.T("ui.send.to") + ":"
	field := inputView(s.to)
	b.WriteString(st.Label.Render(l+strings.Repeat(" ", max(1, labelWidth-lipglossWidth(l)))) + field + "\n")
	if s.toErr != "" {
		b.WriteString(st.Error.Render(wrap(s.toErr, s.w)) + "\n")
	}
	b.WriteString("\n")
	switch s.state {
	case sendIdle:
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.send.idle"), s.w)))
	case sendRunning:
		b.WriteString(s.spin.View() + " " + s.c.T("ui.send.running") + "\n")
		room := s.h - lipglossHeight(b.String()) - 1
		start := max(0, len(s.lines)-room)
		for _, l := range s.lines[start:] {
			b.WriteString(st.Muted.Render(truncate(l.String(), s.w)) + "\n")
		}
	case sendDone:
		if changed := s.stale(); len(changed) > 0 {
			// The old verdict says nothing about the settings now in force.
			b.WriteString(st.Warn.Render(wrap(s.c.T("ui.send.stale", "changed", inputNames(s.c, changed)), s.w)))
			break
		}
		b.WriteString(s.viewResult())
	}
	return strings.TrimRight(b.String(), "\n")
}

// serverLine is the server and, once a test has run, whether the
// connection was encrypted: "(STARTTLS)" only when TLS was set up, "no
// STARTTLS offered" when the server did not offer it.
func (s *testSendScreen) serverLine(host string, port int) string {
	addr := fmt.Sprintf("%s:%d", host, port)
	switch {
	case s.state != sendDone || s.res() == nil:
		return addr
	case s.res().TLSVersion != "":
		return addr + " (STARTTLS)"
	case s.res().Diagnosis.ID == smtpcheck.IDNoSTARTTLS:
		return addr + " (" + s.c.T("ui.send.no_starttls") + ")"
	}
	return addr
}

// deviceTip is the procedure's last word after a passing test: send one
// scan to email from the device, and what a success looks like there.
func (s *testSendScreen) deviceTip() string {
	var b strings.Builder
	for _, n := range s.c.page(flow.StepTestSend).Notes {
		b.WriteString("\n" + renderNote(s.c, n, s.w))
	}
	return b.String()
}

func (s *testSendScreen) viewResult() string {
	st := s.c.Styles
	var b strings.Builder
	if s.run != nil && !s.run.Reach.OK() {
		return renderProblem(s.c, s.run.Reach.Problem, s.w)
	}
	res := s.res()
	if res == nil {
		return ""
	}
	d := res.Diagnosis
	demoLine := ""
	if s.note != "" {
		demoLine = st.Demo.Render(renderFix(s.c, "", s.note, s.w)) + "\n"
	} else if s.canAdminFix() {
		demoLine = st.Demo.Render(wrap(s.c.T("ui.send.demo_fix"), s.w)) + "\n"
	}
	if d.OK {
		b.WriteString(st.OK.Render(wrap(st.Sym.OK+" "+d.Title, s.w)) + "\n")
		if d.Detail != "" {
			b.WriteString(wrap(d.Detail, s.w) + "\n")
		}
	} else {
		b.WriteString(st.Fail.Render(wrap(st.Sym.Fail+" "+d.Title, s.w)) + "\n")
		b.WriteString(demoLine)
		b.WriteString(wrap(d.Detail, s.w) + "\n")
		if d.Fix != "" {
			b.WriteString(renderFix(s.c, st.Value.Render(s.c.T("ui.problem.fix")+" "), d.Fix, s.w) + "\n")
		}
		if res.Reply != nil {
			b.WriteString(st.Muted.Render(indentWrap(s.c.T("ui.problem.received")+" ", replyLine(res.Reply), s.w)) + "\n")
		}
	}
	if res.TLSVersion != "" {
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.send.elapsed", "tls", res.TLSVersion, "ms", fmt.Sprint(res.Elapsed.Milliseconds())), s.w)) + "\n")
	}
	if d.OK {
		b.WriteString(s.deviceTip())
	}
	return b.String()
}

// replyLine is a server reply as it came: code, enhanced code, first line.
func replyLine(r *smtpcheck.Reply) string {
	s := fmt.Sprint(r.Code)
	if r.Enhanced != [3]int{} {
		s += fmt.Sprintf(" %d.%d.%d", r.Enhanced[0], r.Enhanced[1], r.Enhanced[2])
	}
	return s + " " + firstLine(r.Text)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (s *testSendScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch {
	case s.to.Focused():
		return []key.Binding{k.Send, k.FieldLeave}
	case s.showLog:
		return append([]key.Binding{k.CloseTranscript}, scrollKey(s.c, s.vp)...)
	case s.state == sendIdle:
		return []key.Binding{k.Send, k.EditTo, k.Back}
	case s.state == sendRunning:
		return []key.Binding{k.Back}
	}
	ks := []key.Binding{k.Next, k.Retry}
	if s.canAdminFix() {
		ks = append(ks, k.AdminFix)
	}
	if s.canShowLog() {
		ks = append(ks, k.Transcript)
	}
	ks = append(ks, k.EditTo)
	if s.fixCommands() != "" && s.c.canCopy() {
		ks = append(ks, k.Copy)
	}
	ks = append(ks, k.Back)
	if s.long {
		ks = append(ks, k.Scroll)
	}
	return ks
}

func (s *testSendScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

// inputNames lists inputs in the wizard's language.
func inputNames(c *Common, in []flow.Input) string {
	names := make([]string, len(in))
	for i, x := range in {
		names[i] = c.T("input." + string(x))
	}
	return strings.Join(names, c.T("check.stale.sep"))
}
