package ui

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

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
		gen   int
		reach flow.Reach
		res   *smtpcheck.Result
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
	reach   *flow.Reach
	res     *smtpcheck.Result
	showLog bool
	note    string
	vp      viewport.Model // the transcript
	resVP   viewport.Model // the result, when it is longer than the screen
	spin    spinner.Model
	w, h    int
}

func (sendLineMsg) owner() flow.StepID   { return flow.StepTestSend }
func (sendResultMsg) owner() flow.StepID { return flow.StepTestSend }

func newTestSend(c *Common) *testSendScreen {
	s := &testSendScreen{c: c, vp: viewport.New(c.Width, c.Height), spin: spinner.New(spinner.WithSpinner(spinner.Line)), w: c.Width, h: c.Height}
	s.vp.KeyMap = viewportKeys(c.Keys)
	s.resVP = viewport.New(c.Width, c.Height)
	s.resVP.KeyMap = viewportKeys(c.Keys)
	s.to = textinput.New()
	s.to.Prompt = ""
	s.to.CharLimit = 254
	to := c.Opts.To
	if to == "" && c.State.Session != nil {
		to = c.State.Session.Identity.PrimaryAddress()
	}
	s.to.SetValue(to)
	if c.State.Send != nil {
		s.res, s.state, s.lines = c.State.Send, sendDone, c.State.Send.Transcript
	}
	return s
}

func (s *testSendScreen) Init() tea.Cmd { return nil }

func (s *testSendScreen) Typing() bool { return s.to.Focused() }

func (s *testSendScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.to.Width = max(10, w-24)
	s.vp.Width = w
	s.vp.Height = h
}

func (s *testSendScreen) host() (string, int) {
	h, p := s.c.Opts.SMTPHost, s.c.Opts.SMTPPort
	if d := s.c.Opts.Demo; d != nil {
		h, p = d.SMTP() // it moves when the trainer switches scenarios
	}
	if h == "" {
		h = "smtp.office365.com"
	}
	if p == 0 {
		p = 587
	}
	return h, p
}

func (s *testSendScreen) start() tea.Cmd {
	addr, err := mail.ParseAddress(strings.TrimSpace(s.to.Value()))
	if err != nil || !strings.Contains(addr.Address, "@") {
		s.toErr = s.c.T("ui.send.bad_to", "value", s.to.Value())
		return nil
	}
	sess := s.c.State.Session
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
	s.state, s.lines, s.res, s.reach, s.showLog, s.note = sendRunning, nil, nil, nil, false, ""
	ctx, cancel := context.WithCancel(s.c.Ctx)
	s.cancel = cancel
	host, port := s.host()
	a := s.c.State.Answers
	id := sess.Identity
	dev := a.DeviceEmail
	if dev == "" {
		dev = id.PrimaryAddress()
	}
	opts := smtpcheck.Options{
		Host: host, Port: port, RootCAs: s.c.Opts.SMTPRoots,
		User: id.UPN, Token: sess.AccessToken(), From: a.SenderOrUPN(id.UPN), To: []string{addr.Address},
		DeviceEmail: dev, WizardVersion: s.c.Opts.Version, Lang: s.c.Lang,
	}
	ch := make(chan smtpcheck.Line, 512)
	log := s.c.log()
	opts.OnLine = func(l smtpcheck.Line) {
		log.Debug("smtp", "line", l.String()) // already redacted
		select {
		case ch <- l:
		default: // the screen is behind; the full transcript comes with the result
		}
	}
	gen, lang := s.gen, s.c.Lang
	run := func() tea.Msg {
		defer close(ch)
		r := flow.ReachTCP(ctx, lang, host, port)
		if !r.OK() {
			return sendResultMsg{gen: gen, reach: r}
		}
		res := smtpcheck.Send(ctx, opts)
		return sendResultMsg{gen: gen, reach: r, res: &res}
	}
	return tea.Batch(s.spin.Tick, run, drain(gen, ch))
}

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

func (s *testSendScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
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
		r := msg.reach
		s.reach = &r
		if msg.res == nil {
			return s, nil
		}
		s.res = msg.res
		s.lines = msg.res.Transcript
		s.refreshLog()
		return s, nil
	case spinner.TickMsg:
		if s.state != sendRunning {
			return s, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	case tea.KeyMsg:
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
	if s.state != sendDone || s.res == nil {
		return ""
	}
	return strings.Join(commands(s.res.Diagnosis.Fix), "\n")
}

func (s *testSendScreen) key(k tea.KeyMsg) (Screen, tea.Cmd) {
	keys := s.c.Keys
	if s.to.Focused() {
		switch k.Type {
		case tea.KeyEnter:
			return s, s.start()
		case tea.KeyEsc, tea.KeyTab:
			s.to.Blur()
			return s, nil
		}
		var cmd tea.Cmd
		s.to, cmd = s.to.Update(k)
		return s, cmd
	}
	if s.showLog {
		switch {
		case k.String() == "t", key.Matches(k, keys.Back):
			s.showLog = false
			return s, nil
		}
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(k)
		return s, cmd
	}
	switch {
	case (k.String() == "e" || k.Type == tea.KeyTab) && s.state != sendRunning:
		return s, s.to.Focus()
	case k.String() == "t" && len(s.lines) > 0 && s.state == sendDone:
		s.showLog = true
		s.refreshLog()
		s.vp.GotoBottom()
		return s, nil
	case key.Matches(k, keys.Retry) && s.state == sendDone:
		return s, s.start()
	case key.Matches(k, keys.Copy) && s.fixCommands() != "" && s.c.Opts.Clipboard != nil:
		text, clip := s.fixCommands(), s.c.Opts.Clipboard
		return s, func() tea.Msg { return copiedMsg{clip(text)} }
	case k.String() == "x" && s.canAdminFix():
		demo, upn := s.c.Opts.Demo, s.c.State.Session.Identity.UPN
		s.note = s.c.T("ui.send.demo_fixed", "upn", upn)
		return s, func() tea.Msg { demo.EnableSMTPAuth(upn); return nil }
	case key.Matches(k, keys.Next):
		if s.state == sendIdle {
			return s, s.start()
		}
		if s.state == sendDone {
			return s, nextCmd
		}
	case k.Type == tea.KeyUp || k.Type == tea.KeyDown || k.Type == tea.KeyPgUp || k.Type == tea.KeyPgDown:
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

// canAdminFix: in the demo, the trainer may play the administrator who
// re-enables SMTP AUTH for the mailbox.
func (s *testSendScreen) canAdminFix() bool {
	return s.c.Opts.Demo != nil && s.state == sendDone && s.res != nil && s.c.State.Session != nil &&
		s.res.Diagnosis.ID == smtpcheck.IDSMTPAuthDisabledMailbox
}

func (s *testSendScreen) refreshLog() {
	var b strings.Builder
	for _, l := range s.lines {
		b.WriteString(truncate(l.String(), s.w) + "\n")
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (s *testSendScreen) View() string {
	if s.showLog {
		return s.vp.View()
	}
	st := s.c.Styles
	var b strings.Builder
	host, port := s.host()
	upn, from := "", ""
	if sess := s.c.State.Session; sess != nil {
		upn = sess.Identity.UPN
		from = s.c.State.Answers.SenderOrUPN(upn)
	}
	b.WriteString(kv(s.c, s.c.T("ui.send.server"), s.serverLine(host, port), s.w))
	b.WriteString(kv(s.c, s.c.T("ui.send.auth_as"), upn, s.w))
	b.WriteString(kv(s.c, s.c.T("ui.send.from"), from, s.w))
	l := s.c.T("ui.send.to") + ":"
	field := s.to.View()
	b.WriteString(st.Label.Render(l+strings.Repeat(" ", max(1, labelWidth(s.c)-lipglossWidth(l)))) + field + "\n")
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
		b.WriteString(s.viewResult())
	}
	out := strings.TrimRight(b.String(), "\n")
	if lipglossHeight(out) <= s.h {
		return out
	}
	// A long explanation scrolls (up/down) rather than being cut.
	s.resVP.Width, s.resVP.Height = s.w, s.h
	s.resVP.SetContent(out)
	return s.resVP.View()
}

// serverLine is the server and, once a test has run, whether the
// connection was encrypted: "(STARTTLS)" only when TLS was set up, "no
// STARTTLS offered" when the server did not offer it.
func (s *testSendScreen) serverLine(host string, port int) string {
	addr := fmt.Sprintf("%s:%d", host, port)
	switch {
	case s.state != sendDone || s.res == nil:
		return addr
	case s.res.TLSVersion != "":
		return addr + " (STARTTLS)"
	case s.res.Diagnosis.ID == smtpcheck.IDNoSTARTTLS:
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
	if s.reach != nil && !s.reach.OK() {
		return renderProblem(s.c, s.reach.Problem, s.w)
	}
	if s.res == nil {
		return ""
	}
	d := s.res.Diagnosis
	var b strings.Builder
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
		if s.res.Reply != nil {
			b.WriteString(st.Muted.Render(indentWrap(s.c.T("ui.problem.received")+" ", replyLine(s.res.Reply), s.w)) + "\n")
		}
	}
	if s.res.TLSVersion != "" {
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.send.elapsed", "tls", s.res.TLSVersion, "ms", fmt.Sprint(s.res.Elapsed.Milliseconds())), s.w)) + "\n")
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
	edit := key.NewBinding(key.WithKeys("e"), key.WithHelp("e", s.c.T("ui.key.edit_to")))
	log := key.NewBinding(key.WithKeys("t"), key.WithHelp("t", s.c.T("ui.key.transcript")))
	send := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", s.c.T("ui.key.send")))
	switch {
	case s.to.Focused():
		return []key.Binding{send, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", s.c.T("ui.key.done")))}
	case s.showLog:
		return []key.Binding{k.Up, key.NewBinding(key.WithKeys("t"), key.WithHelp("t/esc", s.c.T("ui.key.close"))), k.Quit}
	case s.state == sendIdle:
		return []key.Binding{send, edit, k.Back, k.Help, k.Quit}
	case s.state == sendRunning:
		return []key.Binding{k.Back, k.Help, k.Quit}
	}
	ks := []key.Binding{k.Next, k.Retry, log, edit}
	if s.fixCommands() != "" && s.c.Opts.Clipboard != nil {
		ks = append(ks, k.Copy)
	}
	return append(ks, k.Back, k.Help, k.Quit)
}

func (s *testSendScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
