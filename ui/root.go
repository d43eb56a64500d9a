package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"mfpmail/flow"
)

// Model is the root of the wizard: it owns the place in the procedure
// (flow.Wizard), the screens, the header with the progress line, and the
// footer with the help.
type Model struct {
	// opts: what the wizard was made with; build makes the rest from them.
	opts    Options
	c       *Common
	cancel  context.CancelFunc
	wiz     flow.Wizard
	screens map[flow.StepID]Screen
	// showHelp: the ? help takes the body's place.
	showHelp bool
	flash    string
	width    int
	height   int
	quit     bool
}

// New builds the wizard.
func New(opts Options) *Model {
	m := Deferred(opts)
	m.build()
	return m
}

// Deferred is the wizard with its texts, styles and first screen still to
// be built: Init builds them. Bubble Tea starts its frame timer before it
// calls Init and draws the first frame on the timer's first tick, so the
// building then happens while the timer runs instead of before it starts,
// and the first frame comes one build sooner. Update and View are only
// called after Init.
func Deferred(opts Options) *Model { return &Model{opts: opts} }

// build is New's work: the shared state, the procedure's pages and the
// first screen.
func (m *Model) build() {
	opts := m.opts
	opts.Config = opts.Config.WithDefaults()
	parent := opts.Ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	sym := opts.Term.symbols()
	c := &Common{
		Opts:   opts,
		Lang:   opts.Config.Lang,
		Styles: NewStyles(DefaultPalette(true), sym),
		Keys:   NewKeyMap(opts.Config.Lang),
		Ctx:    ctx,
		Width:  76,
		Height: 19,
		State:  &State{Answers: opts.Answers, Target: flow.Target{SMTPHost: opts.SMTPHost, SMTPPort: opts.SMTPPort, To: opts.To}.WithDefaults(), Device: opts.Device},
	}
	if opts.Demo != nil {
		c.State.Scenario = opts.Demo.Scenario()
	}
	c.preparePages()
	m.c, m.cancel = c, cancel
	m.wiz = flow.NewWizard(opts.Config.Account)
	m.screens = map[flow.StepID]Screen{}
	m.flash = opts.Notice
	m.screen() // built here and in Update, never in View
}

// Session is the signed-in account, if any (for tests and the report).
func (m *Model) Session() *flow.Session { return m.c.Session() }

// State is what the run found out (for tests and the report).
func (m *Model) State() *State { return m.c.State }

// Step is the current step.
func (m *Model) Step() flow.StepID { return m.wiz.Current().ID }

// Init starts the first screen and asks the terminal for its background
// colour. The answer comes as a message (or never, from a terminal that
// answers no query): nothing waits for it. The first frame is drawn for a
// dark background and redrawn if the answer says light.
func (m *Model) Init() tea.Cmd {
	if m.c == nil {
		m.build()
	}
	o := m.c.Opts
	if o.Term.NoColor || o.Term.Dumb {
		return m.screen().Init() // no colour to choose
	}
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.screen().Init()}
	if o.Environ != nil && o.Output != nil {
		cmds = append(cmds, detectColors(o.Output, o.Environ))
	}
	return tea.Batch(cmds...)
}

// restyle draws with the palette for the terminal's background; screens
// lay their content out again with the new styles.
func (m *Model) restyle(isDark bool) {
	m.c.Styles = NewStyles(DefaultPalette(isDark), m.c.Styles.Sym)
	for _, s := range m.screens {
		s.SetSize(m.c.Width, m.c.Height)
	}
}

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

// newScreen is the table of screens, one case a step; its cases share a
// shape because they are rows of one table, not twins to merge.
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

// recipientMsg: the technician set the test message's recipient.
type recipientMsg struct{ to string }

// Update handles the root's own keys and navigation, records what a
// message reports into the state, then passes the message to the screen
// it belongs to.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.c.preparePages() // for the web UI and account now chosen
	if cmd, handled := m.own(msg); handled {
		return m, cmd
	}
	rec := m.record(msg)
	return m, tea.Batch(rec, m.route(msg))
}

// own handles window size, the global keys and navigation.
func (m *Model) own(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return nil, true
	case tea.BackgroundColorMsg:
		m.restyle(msg.IsDark())
		return nil, true
	case tea.KeyPressMsg:
		m.flash = ""
		if done, cmd := m.rootKey(msg); done {
			return cmd, true
		}
	case nextMsg:
		w, err := m.wiz.Next()
		if errors.Is(err, flow.ErrNeedsSignIn) {
			m.flash = m.c.T("ui.flash.signin_first")
			return nil, true
		}
		return m.moveTo(w), true
	case backMsg:
		return m.moveTo(m.wiz.Back()), true
	case quitMsg:
		return m.doQuit(), true
	case gotoMsg:
		return m.moveTo(m.wiz.Goto(msg.step)), true
	}
	return nil, false
}

// record keeps what a message reports in the state. Results are recorded
// here, before the screen that asked for them sees them, so a screen
// entered a moment later (the summary) already has them. Every result is
// a flow record with the inputs it ran with; nothing is cleared by hand
// when a setting changes: the checks tell a stale record themselves. The
// returned command writes the support log.
func (m *Model) record(msg tea.Msg) tea.Cmd {
	st := m.c.State
	var logCmd tea.Cmd
	switch msg := msg.(type) {
	case accountMsg:
		if msg.account != m.wiz.Account() {
			m.c.Opts.Config.Account = msg.account
			m.wiz = m.wiz.WithAccount(msg.account)
			m.rebuild()
		}
	case signedInMsg:
		if !m.live(flow.StepSignIn, msg.gen) {
			break
		}
		out := m.c.Outcome()
		out.RecordSignIn(msg.session, flow.AsProblem(msg.err))
		st.SignIn = out.SignIn
		// Screens that show the account are built anew.
		delete(m.screens, flow.StepIdentity)
		delete(m.screens, flow.StepSenderPolicy)
		delete(m.screens, flow.StepTestSend)
	case deviceCodeMsg:
		if msg.err != nil && m.live(flow.StepSignIn, msg.gen) {
			out := m.c.Outcome()
			out.RecordSignIn(nil, flow.AsProblem(msg.err))
			st.SignIn = out.SignIn
		}
	case newCodeMsg:
		st.SignIn = nil
	case scenarioMsg:
		if msg.err == nil {
			// A new scenario is a new run: the device's settings are the
			// scenario's, and the simulated servers have moved.
			st.Scenario = msg.name
			st.Target.SMTPHost, st.Target.SMTPPort = msg.smtpHost, msg.smtpPort
			st.Target.To = m.c.Opts.To
			st.Answers = MergeAnswers(m.c.Opts.Answers, msg.answers)
			m.rebuild()
		}
	case reportMsg:
		if msg.err == nil {
			st.Reported, st.ReportedKey = msg.path, resultsKey(m.c.Outcome().Checks())
		}
	case answersMsg:
		st.Answers = msg.a
	case deviceAnswerMsg:
		m.recordDevice(msg)
	case deviceShownMsg:
		out := m.c.Outcome()
		out.ShowDevice(msg.id, msg.text)
		m.c.State.DeviceSignIn, m.c.State.DeviceScan = out.DeviceSignIn, out.DeviceScan
	case recipientMsg:
		// The signed-in account's own address is the default, not a
		// choice: it follows the account in force (a later sign-in as
		// another account); any other address (--to too) stays until changed.
		st.Target.To = msg.to
		if sess := m.c.Session(); sess != nil && strings.EqualFold(msg.to, sess.Identity.PrimaryAddress()) &&
			!strings.EqualFold(msg.to, m.c.Opts.To) {
			st.Target.To = ""
		}
	case welcomeMsg:
		m.applyWelcome(msg)
	case netDoneMsg:
		if m.live(flow.StepNetwork, msg.gen) {
			run := msg.run
			st.Reach = &run
		}
	case sendResultMsg:
		if m.live(flow.StepTestSend, msg.gen) {
			run := msg.run
			st.Send = &run
			out := m.c.Outcome()
			logCmd = func() tea.Msg { out.LogChecks(); return nil }
		}
	}
	m.wiz = m.wiz.WithSignIn(m.c.Session() != nil)
	return logCmd
}

// recordDevice keeps an answer about the device itself, with the inputs
// in force (so a later change of account makes it stale).
func (m *Model) recordDevice(msg deviceAnswerMsg) {
	out := m.c.Outcome()
	out.AnswerDevice(msg.id, msg.answer)
	m.c.State.DeviceSignIn, m.c.State.DeviceScan = out.DeviceSignIn, out.DeviceScan
}

// live reports whether a screen's answer belongs to the attempt it has
// running (gen), rather than to one it started again since.
func (m *Model) live(id flow.StepID, gen int) bool {
	g, ok := m.screens[id].(interface{ attempt() int })
	return ok && g.attempt() == gen
}

// rebuild drops every screen but the welcome screen: they are built anew
// for the new account type or scenario.
func (m *Model) rebuild() {
	cur := m.screens[flow.StepWelcome]
	m.screens = map[flow.StepID]Screen{flow.StepWelcome: cur}
}

// route passes a message to the screen it belongs to: a screen's own
// background work reports to that screen, even when the technician has
// moved on meanwhile.
func (m *Model) route(msg tea.Msg) tea.Cmd {
	id := m.wiz.Current().ID
	if o, ok := msg.(interface{ owner() flow.StepID }); ok {
		id = o.owner()
		if _, live := m.screens[id]; !live {
			return nil
		}
	}
	if id == m.wiz.Current().ID {
		s, cmd := m.screen().Update(msg)
		m.screens[id] = s
		return cmd
	}
	s, cmd := m.screens[id].Update(msg)
	m.screens[id] = s
	return cmd
}

func (m *Model) moveTo(w flow.Wizard) tea.Cmd {
	if w.Current().ID == m.wiz.Current().ID {
		m.wiz = w
		return nil
	}
	from, to, log := m.wiz.Current().ID, w.Current().ID, m.c.log()
	m.wiz = w
	// The summary is always drawn from the latest state; a screen entered
	// again is laid out anew, from what changed while it was away (a
	// sender changed since the test message was sent).
	delete(m.screens, flow.StepSummary)
	s := m.screen()
	s.SetSize(m.c.Width, m.c.Height)
	return tea.Batch(func() tea.Msg { log.Info("step", "from", from, "to", to); return nil }, s.Init())
}

// rootKey handles the keys of every screen: quit, and ? help, which
// while open takes every key but its own and quit. done: the key was
// taken here.
func (m *Model) rootKey(k tea.KeyPressMsg) (done bool, cmd tea.Cmd) {
	keys := m.c.Keys
	switch {
	case key.Matches(k, keys.QuitTyping): // ctrl+c, on every screen
		return true, m.interrupt()
	case key.Matches(k, keys.Quit) && !m.typing():
		if h, ok := m.screens[m.wiz.Current().ID].(interface{ holdQuit() bool }); ok && h.holdQuit() {
			return true, nil // the screen asks first
		}
		return true, m.doQuit()
	case m.showHelp:
		if key.Matches(k, keys.CloseHelp) {
			m.showHelp = false
		}
		return true, nil
	case key.Matches(k, keys.Help) && !m.typing():
		m.showHelp = true
		return true, nil
	}
	return false, nil
}

// rootKeys are the keys the root adds to the screen's own: ? help and
// quit, or while the help is open, the keys that close it.
func (m *Model) rootKeys() []key.Binding {
	keys := m.c.Keys
	switch {
	case m.showHelp:
		return []key.Binding{keys.CloseHelp, keys.Quit}
	case m.typing():
		return []key.Binding{keys.QuitTyping}
	}
	return []key.Binding{keys.Help, keys.Quit}
}

// screenKeys are every key that works on screen s (help closed). Going
// back is listed with all its keys (esc, b, backspace).
func (m *Model) screenKeys(s Screen) []key.Binding {
	keys := m.c.Keys
	root := []key.Binding{keys.Help, keys.Quit}
	if m.typing() {
		root = []key.Binding{keys.QuitTyping}
	}
	ks := flatten(s.FullHelp())
	for i := range ks {
		if ks[i].Help() == keys.Back.Help() {
			ks[i] = keys.BackAll
		}
	}
	return append(ks, root...)
}

// typing reports whether the current screen has a focused text field, so
// that q and ? are typed rather than acted on.
func (m *Model) typing() bool {
	if t, ok := m.screens[m.wiz.Current().ID].(interface{ Typing() bool }); ok {
		return t.Typing()
	}
	return false
}

func (m *Model) doQuit() tea.Cmd {
	m.quit = true
	m.cancel() // stops polling and any network work at once
	return tea.Quit
}

// quitMsg: a screen's question about quitting was answered yes.
type quitMsg struct{}

// interrupt ends the wizard on Ctrl+C: network work stops at once and the
// program ends as interrupted (the command says what was lost, exit 130).
func (m *Model) interrupt() tea.Cmd {
	m.quit = true
	m.cancel()
	return tea.Interrupt
}

const headerLines, footerLines = 3, 2

func (m *Model) resize() {
	if m.width == 0 {
		return
	}
	w := m.width - m.c.Styles.App.GetHorizontalFrameSize()
	h := m.height - headerLines - footerLines
	if h < 3 {
		h = 3
	}
	m.c.Width, m.c.Height = w, h
	for _, s := range m.screens {
		s.SetSize(w, h)
	}
}

// View is the frame on the alternate screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Frame())
	v.AltScreen = true
	return v
}

// Frame is the frame as text: header, the screen's body, the key line.
func (m *Model) Frame() string {
	if m.quit {
		return ""
	}
	st := m.c.Styles
	w := m.c.Width
	// The screen was built by Update when the step was entered; View only
	// draws it.
	s := m.screens[m.wiz.Current().ID]
	var body string
	switch {
	case m.showHelp && s != nil:
		body = helpView(m.c, m.wiz.Current().ID, m.screenKeys(s), w, m.c.Height)
	case s != nil:
		body = s.View()
	}
	// A flash too long for the key line shows whole above it, on lines the
	// body gives up until the next key; the frame keeps its height.
	flash, notice := placeFlash(m.c, m.rootKeys(), w, m.flash)
	h := m.c.Height
	if notice != "" {
		h = max(1, h-lipglossHeight(notice))
	}
	// Keep the frame steady: the body fills its height exactly.
	body = fitHeight(body, h)

	var b strings.Builder
	b.WriteString(m.header(w))
	b.WriteString("\n")
	b.WriteString(body)
	b.WriteString("\n")
	b.WriteString(st.Rule.Render(strings.Repeat(st.Sym.Rule, w)))
	b.WriteString("\n")
	var ks []key.Binding
	if s != nil && !m.showHelp {
		ks = s.ShortHelp()
	}
	if notice != "" {
		b.WriteString(notice + "\n")
	}
	b.WriteString(keyLine(m.c, ks, m.rootKeys(), w, flash))
	return m.c.Opts.Term.safe(st.App.Render(b.String()))
}

func (m *Model) header(w int) string {
	st := m.c.Styles
	c := m.c.Opts.Config
	right := st.StepNo.Render(fmt.Sprintf("%d/%d", m.wiz.Pos()+1, m.wiz.Len()))
	if m.c.Opts.Demo != nil {
		right = st.Demo.Render("DEMO "+m.c.State.Scenario) + "  " + right
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
	return flow.MergeAnswers(flags, scenario)
}
