package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/assets"
	"mfpmail/flow"
)

type signInState int

const (
	signInRequesting signInState = iota
	signInWaiting
	signInDone
	signInFailed
)

// Messages of the sign-in. gen ties each to one attempt, so a late answer
// for a code that was replaced is ignored.
type (
	deviceCodeMsg struct {
		gen int
		dc  *flow.DeviceCode
		err error
	}
	signedInMsg struct {
		gen     int
		session *flow.Session
		err     error
	}
	tickMsg    struct{ gen int }
	newCodeMsg struct{}
	copiedMsg  struct{ err error }
	demoMsg    struct{ err error }
)

// signInScreen runs the device code flow: it asks for a code, shows it with
// the link and a QR code, counts down, and waits for the sign-in.
type signInScreen struct {
	c       *Common
	state   signInState
	gen     int
	cancel  context.CancelFunc
	dc      *flow.DeviceCode
	session *flow.Session
	problem *flow.Problem
	now     time.Time
	spin    spinner.Model
	note    string
	qrOnly  bool    // v: the QR code on its own, when it cannot sit beside the text
	code    qrBlock // the sign-in link as a QR code, drawn when the code came
	hasQR   bool
	w, h    int
}

func (deviceCodeMsg) owner() flow.StepID { return flow.StepSignIn }
func (signedInMsg) owner() flow.StepID   { return flow.StepSignIn }
func (tickMsg) owner() flow.StepID       { return flow.StepSignIn }

func newSignIn(c *Common) *signInScreen {
	sp := c.newSpinner()
	return &signInScreen{c: c, spin: sp, w: c.Width, h: c.Height}
}

func (s *signInScreen) SetSize(w, h int) { s.w, s.h = w, h }

// Init starts a sign-in when the screen is entered without one.
func (s *signInScreen) Init() tea.Cmd {
	if s.state == signInDone || s.state == signInWaiting {
		return nil
	}
	return s.start()
}

// start cancels any attempt in flight and asks for a new code.
func (s *signInScreen) start() tea.Cmd {
	s.stop()
	s.gen++
	s.state = signInRequesting
	s.dc, s.problem, s.session, s.note = nil, nil, nil, ""
	ctx, cancel := context.WithCancel(s.c.Ctx)
	s.cancel = cancel
	gen, cfg := s.gen, s.c.Opts.Config
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		dc, err := flow.StartSignIn(ctx, cfg)
		return deviceCodeMsg{gen: gen, dc: dc, err: err}
	})
}

func (s *signInScreen) stop() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

func (s *signInScreen) wait(ctx context.Context) tea.Cmd {
	gen, cfg, dc := s.gen, s.c.Opts.Config, s.dc
	return func() tea.Msg {
		sess, err := flow.WaitForSignIn(ctx, cfg, dc)
		return signedInMsg{gen: gen, session: sess, err: err}
	}
}

// tick schedules the next change of the countdown. With more than a
// minute left it moves in steps of ten seconds, in the last minute every
// second: a slow SSH link gets a handful of small redraws a minute, and
// nothing else on the screen changes while waiting.
func tick(gen int, expiry time.Time) tea.Cmd {
	return tea.Tick(nextTick(time.Until(expiry)), func(time.Time) tea.Msg { return tickMsg{gen} })
}

// nextTick is how long until the countdown shows another value.
func nextTick(left time.Duration) time.Duration {
	step := time.Second
	if left > 70*time.Second {
		step = 10 * time.Second
	}
	d := left % step
	if d < 200*time.Millisecond {
		d += step
	}
	return d
}

// countdown is what the screen shows for the time left: whole seconds in
// the last minute, else rounded to the ten-second step shown.
func countdown(left time.Duration) time.Duration {
	if left <= 0 {
		return 0
	}
	if left > 70*time.Second {
		return left.Round(10 * time.Second)
	}
	return left.Round(time.Second)
}

func (s *signInScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case deviceCodeMsg:
		if msg.gen != s.gen {
			return s, nil
		}
		if msg.err != nil {
			s.fail(msg.err)
			return s, nil
		}
		s.dc, s.state, s.now = msg.dc, signInWaiting, time.Now()
		if !s.c.Opts.NoQR {
			s.code, s.hasQR = s.c.drawQR(s.dc.QRTarget())
		}
		ctx, cancel := context.WithCancel(s.c.Ctx)
		s.cancel = cancel
		return s, tea.Batch(s.wait(ctx), tick(s.gen, s.dc.Expiry))
	case signedInMsg:
		if msg.gen != s.gen {
			return s, nil
		}
		s.stop()
		if msg.err != nil {
			s.fail(msg.err)
			return s, nil
		}
		s.session, s.state = msg.session, signInDone
		return s, nil
	case tickMsg:
		if msg.gen != s.gen || s.state != signInWaiting {
			return s, nil
		}
		s.now = time.Now()
		return s, tick(s.gen, s.dc.Expiry)
	case spinner.TickMsg:
		return s, spinTick(&s.spin, msg, s.state == signInRequesting)
	case copiedMsg:
		s.note = msg.note(s.c, "ui.signin.copied")
		return s, nil
	case demoMsg:
		if msg.err != nil {
			s.note = msg.err.Error()
		} else {
			s.note = s.c.T("ui.signin.demo_approved")
		}
		return s, nil
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return s, nil
}

func (s *signInScreen) key(k tea.KeyPressMsg) (Screen, tea.Cmd) {
	keys := s.c.Keys
	switch {
	case key.Matches(k, keys.ToggleQR) && s.state == signInWaiting && s.qrAlone():
		s.qrOnly = !s.qrOnly
		return s, nil
	case key.Matches(k, keys.CloseQR) && s.qrOnly:
		s.qrOnly = false
		return s, nil
	case key.Matches(k, keys.Back):
		s.stop()
		if s.state != signInDone {
			s.state, s.dc = signInFailed, nil
			s.problem = nil
		}
		return s, backCmd
	case key.Matches(k, keys.NewCode) && s.state != signInRequesting:
		return s, tea.Batch(func() tea.Msg { return newCodeMsg{} }, s.start())
	case key.Matches(k, keys.Copy) && s.state == signInWaiting && s.c.canCopy():
		return s, s.c.copyCmd(s.dc.UserCode)
	case key.Matches(k, keys.Approve) && s.state == signInWaiting && s.c.Opts.Demo != nil:
		code, demo := s.dc.UserCode, s.c.Opts.Demo
		return s, func() tea.Msg { return demoMsg{demo.Approve(code)} }
	case key.Matches(k, keys.Next):
		switch s.state {
		case signInDone:
			return s, nextCmd
		case signInFailed:
			if s.problem != nil && s.problem.BackTo != "" {
				return s, gotoCmd(s.problem.BackTo)
			}
			return s, tea.Batch(func() tea.Msg { return newCodeMsg{} }, s.start())
		}
	}
	return s, nil
}

func (s *signInScreen) fail(err error) {
	s.state = signInFailed
	s.problem = flow.AsProblem(err) // flow diagnosed it
}

func (s *signInScreen) View() string {
	switch s.state {
	case signInRequesting:
		return s.spin.View() + " " + s.c.T("ui.signin.requesting", "host", s.c.Opts.Config.IdentityHost())
	case signInWaiting:
		return s.viewWaiting()
	case signInDone:
		return s.viewDone()
	}
	return s.viewFailed()
}

// qrLayout says where the QR code goes: beside the text (side), on its own
// when asked with v (alone: too wide to sit beside the text), or nowhere.
func (s *signInScreen) qrLayout() (q qrBlock, side, alone bool) {
	if s.dc == nil || !s.hasQR {
		return q, false, false
	}
	q = s.code
	side = q.H <= s.h && s.w-q.W-2 >= 34
	alone = !side && q.H+1 <= s.h && q.W <= s.w
	return q, side, alone
}

func (s *signInScreen) viewWaiting() string {
	st := s.c.Styles
	remaining := countdown(s.dc.Expiry.Sub(s.now))
	qr, showQR, alone := s.qrLayout()
	if s.qrOnly && alone {
		line := st.Code.Render(s.dc.UserCode) + "  " + st.linkStyle(s.dc.VerificationURI).Render(s.dc.VerificationURI) + "  " + mmss(remaining)
		return lipgloss.PlaceHorizontal(s.w, lipgloss.Center, qr.View(s.c)) + "\n" + truncate(line, s.w)
	}
	tw := s.w
	if showQR {
		tw = s.w - qr.W - 2
	}
	var b strings.Builder
	b.WriteString(wrap(s.c.T("ui.signin.open"), tw) + "\n")
	b.WriteString(st.linkStyle(s.dc.VerificationURI).Render(ansi.Hardwrap(s.dc.VerificationURI, tw, false)) + "\n\n")
	b.WriteString(wrap(s.c.T("ui.signin.enter"), tw) + "\n")
	b.WriteString(st.CodeBox.Render(st.Code.Render(spaced(s.dc.UserCode))) + "\n")
	b.WriteString(st.Value.Render(s.c.T("ui.signin.expires", "time", mmss(remaining))) + "\n")
	waiting := "ui.signin.waiting"
	if s.dc.SlowedDown() {
		waiting = "ui.signin.waiting_slow"
	}
	b.WriteString(st.Muted.Render(wrap(s.c.T(waiting, "seconds", fmt.Sprint(int(s.dc.PollInterval().Seconds()))), tw)) + "\n\n")
	b.WriteString(wrap(s.c.T("ui.signin.which_account"), tw) + "\n")
	if s.note != "" {
		b.WriteString(st.OK.Render(wrap(s.note, tw)) + "\n")
	} else if alone {
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.signin.qr_key"), tw)) + "\n")
	} else if !showQR && !s.c.Opts.NoQR {
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.signin.qr_too_small", "w", itoa(qr.W+2), "h", itoa(qr.H+6)), tw)) + "\n")
	}
	top := strings.TrimRight(b.String(), "\n")
	if showQR {
		top = lipgloss.JoinHorizontal(lipgloss.Top, s.c.Styles.plain().Width(tw).Render(top), "  ", qr.View(s.c))
	}
	// Below, across the whole width: the notes in order of importance, as
	// far as they fit; a tip never takes the place of an important note.
	out := strings.TrimRight(top, "\n ")
	for _, n := range s.c.page(flow.StepSignIn).Notes {
		note := strings.TrimRight(renderNote(s.c, n, s.w), "\n")
		room := s.h - lipgloss.Height(out) - lipgloss.Height(note)
		if room < 0 {
			break
		}
		if room == 0 { // no room for a blank line between
			out += "\n" + note
		} else {
			out += "\n\n" + note
		}
	}
	return out
}

func (s *signInScreen) viewDone() string {
	st := s.c.Styles
	id := s.session.Identity
	var b strings.Builder
	b.WriteString(st.OK.Render(st.Sym.OK+" "+s.c.T("ui.signin.done")) + "\n\n")
	b.WriteString(kv(s.c, s.c.T("ui.id.upn"), id.UPN, s.w))
	b.WriteString(kv(s.c, s.c.T("ui.id.primary"), id.PrimaryAddress(), s.w))
	b.WriteString("\n" + st.Muted.Render(wrap(s.c.T("ui.signin.done_next"), s.w)))
	return b.String()
}

func (s *signInScreen) viewFailed() string {
	if s.problem == nil {
		return s.c.T("ui.signin.stopped")
	}
	out := renderProblem(s.c, s.problem, s.w)
	if s.problem.BackTo != "" {
		out += "\n\n" + s.c.Styles.Muted.Render(wrap(s.c.T("ui.signin.enter_goes_back", "step",
			s.c.page(s.problem.BackTo).Title), s.w))
	} else {
		out += "\n\n" + s.c.Styles.Muted.Render(wrap(s.c.T("ui.signin.enter_new_code"), s.w))
	}
	// In the demo, how the trainer's scenario is meant to be resolved:
	// first, so that a long diagnosis never pushes it off the screen.
	if s.c.Opts.Demo != nil {
		if k := "demo." + s.c.State.Scenario + ".resolve"; assets.Has(s.c.Lang, k) {
			out = s.c.Styles.Demo.Render(wrap(s.c.T(k), s.w)) + "\n\n" + out
		}
	}
	return out
}

// renderProblem shows a diagnosis: what happened, the fix, and what the
// server said, for the administrator's logs.
func renderProblem(c *Common, p *flow.Problem, w int) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Fail.Render(wrap(st.Sym.Fail+" "+p.Title, w)) + "\n\n")
	b.WriteString(wrap(p.Detail, w) + "\n")
	if p.Fix != "" {
		b.WriteString("\n" + renderFix(c, st.Value.Render(c.T("ui.problem.fix")+" "), p.Fix, w) + "\n")
	}
	if r := p.Received(); r != "" {
		b.WriteString("\n" + st.Muted.Render(indentWrap(c.T("ui.problem.received")+" ", r, w)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// labelWidth is the label column of key/value lines, in columns.
const labelWidth = 22

// kv is one "label: value" line, the value in a column at labelWidth. A
// label too long for the column gets a line of its own (never cut), and a
// long value wraps within its column.
func kv(c *Common, label, value string, w int) string {
	st := c.Styles
	value = assets.OrDash(value)
	lw := labelWidth
	if w < lw+12 { // too narrow for two columns: one under the other
		return st.Label.Render(wrap(label+":", w)) + "\n" + indentWrap("  ", value, w, st.Value) + "\n"
	}
	l := label + ":"
	var head string
	if lipgloss.Width(l) > lw-1 {
		head = st.Label.Render(wrap(l, w)) + "\n"
		l = ""
	}
	pad := strings.Repeat(" ", lw-lipgloss.Width(l))
	return head + indentWrap(st.Label.Render(l)+pad, value, w, st.Value) + "\n"
}

func spaced(code string) string {
	return strings.Join(strings.Split(code, ""), " ")
}

func mmss(d time.Duration) string {
	s := int(d.Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// qrAlone reports whether the QR code can be shown on its own (v).
func (s *signInScreen) qrAlone() bool {
	_, _, alone := s.qrLayout()
	return alone
}

func (s *signInScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case signInWaiting:
		ks := []key.Binding{}
		if s.c.canCopy() {
			ks = append(ks, k.Copy)
		}
		if s.c.Opts.Demo != nil {
			ks = append(ks, k.Approve)
		}
		switch {
		case s.qrOnly:
			ks = append(ks, k.CloseQR)
		case s.qrAlone():
			ks = append(ks, k.ToggleQR)
		}
		ks = append(ks, k.NewCode)
		if !s.qrOnly {
			ks = append(ks, k.Back)
		}
		return ks
	case signInDone:
		return []key.Binding{k.Next, k.NewCode, k.Back}
	case signInFailed:
		// Enter does what the screen says it does.
		switch {
		case s.problem != nil && s.problem.BackTo == flow.StepConsent:
			return []key.Binding{k.ToConsent, k.NewCode, k.Back}
		case s.problem != nil && s.problem.BackTo != "":
			return []key.Binding{k.Next, k.NewCode, k.Back}
		}
		return []key.Binding{k.NewCodeEnter, k.Back}
	}
	return []key.Binding{k.Back}
}

func (s *signInScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()}
}

func (s *signInScreen) attempt() int { return s.gen }
