package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"mfpmail/flow"
)

// Model is the root of the wizard: it owns the place in the procedure
// (flow.Wizard), the screens, the header with the progress line, and the
// footer with the help.
type Model struct {
	c       *Common
	cancel  context.CancelFunc
	wiz     flow.Wizard
	screens map[flow.StepID]Screen
	help    help.Model
	flash   string
	width   int
	height  int
	quit    bool
}

// New builds the wizard.
func New(opts Options) *Model {
	opts.Config = opts.Config.WithDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	sym := opts.Term.symbols()
	c := &Common{
		Opts:   opts,
		Lang:   opts.Config.Lang,
		Styles: NewStyles(DefaultPalette(), sym),
		Keys:   NewKeyMap(opts.Config.Lang),
		Ctx:    ctx,
		Width:  76,
		Height: 19,
		State:  &State{Answers: opts.Answers, Device: opts.Device},
	}
	m := &Model{
		c:       c,
		cancel:  cancel,
		wiz:     flow.NewWizard(opts.Config.Account),
		screens: map[flow.StepID]Screen{},
		help:    help.New(),
	}
	m.help.ShortSeparator = "  "
	m.flash = opts.Notice
	return m
}

// Session is the signed-in account, if any (for tests and the report).
func (m *Model) Session() *flow.Session { return m.c.State.Session }

// State is what the run found out (for tests and the report).
func (m *Model) State() *State { return m.c.State }

// Step is the current step.
func (m *Model) Step() flow.StepID { return m.wiz.Current().ID }

func (m *Model) Init() tea.Cmd { return m.screen().Init() }

func (m *Model) screen() Screen {
	id := m.wiz.Current().ID
	s, ok := m.screens[id]
	if !ok {
		s = m.newScreen(id)
		s.SetSize(m.c.Width, m.c.Height)
		m.screens[id] = s
	}
	return s
}

func (m *Model) newScreen(id flow.StepID) Screen {
	switch id {
	case flow.StepWelcome:
		return newWelcome(m.c)
	case flow.StepConsent:
		return newConsent(m.c)
	case flow.StepSignIn:
		return newSignIn(m.c)
	case flow.StepNetwork:
		return newNetwork(m.c)
	case flow.StepDeviceSignIn:
		return newDevSignIn(m.c)
	case flow.StepIdentity:
		return newIdentity(m.c)
	case flow.StepSenderPolicy:
		return newSender(m.c)
	case flow.StepTestSend:
		return newTestSend(m.c)
	case flow.StepSummary:
		return newSummary(m.c)
	}
	return newPage(m.c, id)
}

// accountMsg: the technician chose the account type on the welcome screen.
type accountMsg struct{ account flow.Account }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		m.flash = ""
		switch {
		case msg.Type == tea.KeyCtrlC:
			return m.doQuit()
		case key.Matches(msg, m.c.Keys.Quit) && !m.typing():
			return m.doQuit()
		case key.Matches(msg, m.c.Keys.Help) && !m.typing():
			m.help.ShowAll = !m.help.ShowAll
			m.resize()
			return m, nil
		}
	case nextMsg:
		w, err := m.wiz.Next()
		if errors.Is(err, flow.ErrNeedsSignIn) {
			m.flash = m.c.T("ui.flash.signin_first")
			return m, nil
		}
		return m.moveTo(w)
	case backMsg:
		return m.moveTo(m.wiz.Back())
	case gotoMsg:
		return m.moveTo(m.wiz.Goto(msg.step))
	case accountMsg:
		if msg.account != m.wiz.Account() {
			m.c.Opts.Config.Account = msg.account
			m.wiz = m.wiz.WithAccount(msg.account)
			m.c.State.Session, m.c.State.SignInProblem, m.c.State.Send = nil, nil, nil
			// Screens that depend on the account are rebuilt.
			cur := m.screens[flow.StepWelcome]
			m.screens = map[flow.StepID]Screen{flow.StepWelcome: cur}
		}
		return m, nil
	case signedInMsg:
		if msg.err == nil && msg.session != nil {
			m.c.State.Session, m.c.State.SignInProblem = msg.session, nil
			m.c.State.Send = nil
			m.wiz = m.wiz.WithSignIn(true)
			// Screens that show the account are built anew.
			delete(m.screens, flow.StepIdentity)
			delete(m.screens, flow.StepSenderPolicy)
			delete(m.screens, flow.StepTestSend)
		} else if msg.err != nil {
			m.c.State.SignInProblem = flow.DiagnoseSignIn(m.c.Lang, m.c.Ctx, m.c.Opts.Config.IdentityHost(), msg.err)
		}
	case deviceCodeMsg:
		if msg.err != nil {
			m.c.State.SignInProblem = flow.DiagnoseSignIn(m.c.Lang, m.c.Ctx, m.c.Opts.Config.IdentityHost(), msg.err)
		}
	case newCodeMsg:
		m.c.State.Session = nil
		m.wiz = m.wiz.WithSignIn(false)
	case scenarioMsg:
		if msg.err == nil {
			// A new scenario is a new run: the account and the device's
			// settings are the scenario's.
			st := m.c.State
			st.Session, st.SignInProblem, st.Send, st.Reach = nil, nil, nil, nil
			st.Answers = MergeAnswers(m.c.Opts.Answers, DemoAnswers(m.c.Opts.Demo))
			m.wiz = m.wiz.WithSignIn(false)
			cur := m.screens[flow.StepWelcome]
			m.screens = map[flow.StepID]Screen{flow.StepWelcome: cur}
		}
	case answersMsg:
		m.c.State.Answers = msg.a
		return m, nil
	case welcomeMsg:
		m.applyWelcome(msg)
		return m, nil
	// Results are recorded here, before the screen that asked for them
	// sees them, so a screen entered a moment later (the summary) already
	// has them.
	case netDoneMsg:
		if ns, ok := m.screens[flow.StepNetwork].(*networkScreen); !ok || ns.gen != msg.gen {
			break // an answer for a check that was started again
		}
		m.c.State.Reach = msg.reach
		for _, r := range msg.reach {
			m.c.log().Info("reach", "host", r.Host, "port", r.Port, "ok", r.OK(), "proxy", r.Proxy, "ms", r.Elapsed.Milliseconds())
		}
	case sendResultMsg:
		if ts, ok := m.screens[flow.StepTestSend].(*testSendScreen); ok && ts.gen == msg.gen && msg.res != nil {
			r := *msg.res
			m.c.State.Send = &r
			m.c.log().Info("test send", "delivered", r.Delivered, "stage", r.Stage, "diagnosis", r.Diagnosis.ID, "tls", r.TLSVersion, "ms", r.Elapsed.Milliseconds())
			for _, c := range m.c.Outcome().Checks() {
				m.c.log().Info("check", "id", c.ID, "status", c.Status, "title", c.Title)
			}
		}
	}
	// A screen's own background work reports to that screen, even when
	// the technician has moved on meanwhile.
	id := m.wiz.Current().ID
	if o, ok := msg.(interface{ owner() flow.StepID }); ok {
		id = o.owner()
		if _, live := m.screens[id]; !live {
			return m, nil
		}
	}
	if id == m.wiz.Current().ID {
		s, cmd := m.screen().Update(msg)
		m.screens[id] = s
		return m, cmd
	}
	s, cmd := m.screens[id].Update(msg)
	m.screens[id] = s
	return m, cmd
}

func (m *Model) moveTo(w flow.Wizard) (tea.Model, tea.Cmd) {
	if w.Current().ID == m.wiz.Current().ID {
		m.wiz = w
		return m, nil
	}
	m.c.log().Info("step", "from", m.wiz.Current().ID, "to", w.Current().ID)
	m.wiz = w
	// The summary is always drawn from the latest state.
	delete(m.screens, flow.StepSummary)
	return m, m.screen().Init()
}

// typing reports whether the current screen has a focused text field, so
// that q and ? are typed rather than acted on.
func (m *Model) typing() bool {
	if t, ok := m.screen().(interface{ Typing() bool }); ok {
		return t.Typing()
	}
	return false
}

func (m *Model) doQuit() (tea.Model, tea.Cmd) {
	m.quit = true
	m.cancel() // stops polling and any network work at once
	return m, tea.Quit
}

const headerLines, footerLines = 3, 2

func (m *Model) resize() {
	if m.width == 0 {
		return
	}
	w := m.width - m.c.Styles.App.GetHorizontalFrameSize()
	m.help.Width = w
	footer := footerLines
	if m.help.ShowAll {
		footer = 1 + lipgloss.Height(m.helpView())
	}
	h := m.height - headerLines - footer
	if h < 3 {
		h = 3
	}
	m.c.Width, m.c.Height = w, h
	for _, s := range m.screens {
		s.SetSize(w, h)
	}
}

func (m *Model) View() string {
	if m.quit {
		return ""
	}
	st := m.c.Styles
	w := m.c.Width
	body := m.screen().View()
	// Keep the frame steady: the body fills its height exactly.
	body = fitHeight(body, m.c.Height)

	var b strings.Builder
	b.WriteString(m.header(w))
	b.WriteString("\n")
	b.WriteString(body)
	b.WriteString("\n")
	b.WriteString(st.Rule.Render(strings.Repeat(st.Sym.Rule, w)))
	b.WriteString("\n")
	if m.flash != "" {
		b.WriteString(st.Warn.Render(truncate(m.flash, w)))
	} else {
		b.WriteString(m.helpView())
	}
	return m.c.Opts.Term.safe(st.App.Render(b.String()))
}

func (m *Model) header(w int) string {
	st := m.c.Styles
	c := m.c.Opts.Config
	right := st.StepNo.Render(fmt.Sprintf("%d/%d", m.wiz.Pos()+1, m.wiz.Len()))
	if m.c.Opts.Demo != nil {
		right = st.Demo.Render("DEMO "+m.c.Opts.Demo.Scenario()) + "  " + right
	}
	// The step counter and the demo badge always show. The web UI's name
	// is never cut: on a narrow window it takes its short form (CWIS, IS),
	// and then the account type gives way.
	room := w - lipgloss.Width(right) - 1
	account := m.c.T("ui.account." + string(c.Account))
	left := st.Brand.Render("mfpmail")
	for _, ctx := range []string{
		account + " · " + c.UI.Name(m.c.Lang),
		account + " · " + c.UI.ShortName(m.c.Lang),
		c.UI.ShortName(m.c.Lang),
	} {
		if l := left + st.Muted.Render("  "+ctx); lipgloss.Width(l) <= room {
			left = l
			break
		}
	}
	line1 := spread(left, right, w)

	step := m.wiz.Current()
	bar := m.progress()
	title := m.c.page(step.ID).Title
	line2 := bar + "  " + st.Title.Render(title)
	// Where the step sits in the vendor's procedure, so the paper and the
	// wizard can be followed side by side; left out when it does not fit.
	if ref := step.Ref(m.c.Lang); ref != "" {
		if l := line2 + "  " + st.Muted.Render(ref); lipgloss.Width(l) <= w {
			line2 = spread(line2, st.Muted.Render(ref), w)
		}
	}
	if lipgloss.Width(line2) > w {
		line2 = st.Title.Render(title) // a very narrow window: the title alone
	}
	line3 := st.Rule.Render(strings.Repeat(st.Sym.Rule, w))
	return line1 + "\n" + line2 + "\n" + line3
}

// helpView is the key line, or with ? the full help; the full help of a
// screen that quotes device labels no vendor procedure gives in this
// language and web UI says so.
func (m *Model) helpView() string {
	h := m.help.View(m.screen())
	if m.help.ShowAll && m.c.page(m.wiz.Current().ID).Rendered {
		h = m.c.Styles.Muted.Render(wrap(m.c.T("ui.help.rendered"), m.c.Width)) + "\n" + h
	}
	return h
}

// progress draws one cell per step: done, current, to do.
func (m *Model) progress() string {
	st := m.c.Styles
	var b strings.Builder
	for i := range m.wiz.Len() {
		switch {
		case i < m.wiz.Pos():
			b.WriteString(st.OK.Render(st.Sym.Done))
		case i == m.wiz.Pos():
			b.WriteString(st.Code.Render(st.Sym.Here))
		default:
			b.WriteString(st.Muted.Render(st.Sym.Todo))
		}
	}
	return b.String()
}

func spread(left, right string, w int) string {
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		gap = 1
	}
	return left + strings.Repeat(" ", gap) + right
}

// MergeAnswers keeps what the technician gave on the command line and
// fills the rest from the scenario.
func MergeAnswers(flags, scenario flow.Answers) flow.Answers {
	a := scenario
	if flags.DeviceEmail != "" {
		a.DeviceEmail = flags.DeviceEmail
	}
	if flags.LoginCredentials != "" {
		a.LoginCredentials = flags.LoginCredentials
	}
	if flags.GuestEdit != "" {
		a.GuestEdit, a.NoAuthEdit = flags.GuestEdit, flags.NoAuthEdit
	}
	if flags.Sender != "" {
		a.Sender = flags.Sender
	}
	if flags.DisplayName != "" {
		a.DisplayName = flags.DisplayName
	}
	return a
}
