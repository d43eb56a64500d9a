package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"mfpmail/flow"
)

// welcomeScreen says what the technician needs and asks three things:
// which kind of account will send (a work account: Exchange Online, needs
// consent; a personal one: Outlook.com, skips it), which web UI the device
// has (the menu names on every later screen follow it), and, optionally,
// which device at which site this is and who sets it up (for the report).
type welcomeScreen struct {
	c      *Common
	focus  int // a welcome row: wAccount, wWebUI, then the device fields
	choice int // 0 work, 1 personal
	gen    int // index in flow.UIGens
	fields []textinput.Model
	// In --demo: the scenario picker.
	picking bool
	pick    int
	top     int // first line shown, on short windows
	note    string
	w, h    int
}

// The rows of the welcome screen that take the focus.
const (
	wAccount = iota
	wWebUI
	wFirstField
)

// deviceFields are the text fields of the device and site, in order.
var deviceFields = []string{"model", "serial", "host", "site", "technician"}

// scenarioMsg: the simulated tenant now plays another scenario.
type scenarioMsg struct {
	name string
	err  error
}

// welcomeMsg: the technician confirmed the web UI and the device's
// details on the welcome screen.
type welcomeMsg struct {
	ui     flow.UIGen
	device flow.DeviceInfo
}

var accounts = []flow.Account{flow.AccountWork, flow.AccountPersonal}

func newWelcome(c *Common) *welcomeScreen {
	s := &welcomeScreen{c: c, w: c.Width, h: c.Height}
	if c.Opts.Config.Account == flow.AccountPersonal {
		s.choice = 1
	}
	for i, g := range flow.UIGens {
		if g == c.Opts.Config.UI {
			s.gen = i
		}
	}
	d := c.State.Device
	for i, v := range []string{d.Model, d.Serial, d.Host, d.Site, d.Technician} {
		in := textinput.New()
		in.Prompt = ""
		in.CharLimit = 128
		if deviceFields[i] == "host" {
			in.CharLimit = 253 // a DNS name
		}
		in.SetValue(v)
		s.fields = append(s.fields, in)
	}
	s.sizeFields()
	return s
}

func (s *welcomeScreen) Init() tea.Cmd { return nil }

func (s *welcomeScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.sizeFields()
	s.follow()
}

// fieldLabelWidth is the label column of the device fields.
func (s *welcomeScreen) fieldLabelWidth() int {
	lw := 0
	for _, f := range deviceFields {
		lw = max(lw, lipglossWidth(s.c.T("ui.welcome.device."+f)))
	}
	return min(lw+4, max(12, s.w/2))
}

func (s *welcomeScreen) sizeFields() {
	for i := range s.fields {
		s.fields[i].Width = max(10, s.w-s.fieldLabelWidth()-3)
	}
}

// device is the device and site as typed so far.
func (s *welcomeScreen) device() flow.DeviceInfo {
	v := func(i int) string { return strings.TrimSpace(s.fields[i].Value()) }
	return flow.DeviceInfo{Model: v(0), Serial: v(1), Host: v(2), Site: v(3), Technician: v(4)}
}

func (s *welcomeScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if m, ok := msg.(scenarioMsg); ok {
		if m.err != nil {
			s.note = m.err.Error()
		} else {
			s.note = s.c.T("demo.picker.changed", "name", m.name)
		}
		return s, nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil
	}
	if s.picking {
		return s.updatePicker(k)
	}
	gen := s.gen
	cmd := s.key(k)
	if k.Type != tea.KeyPgDown && k.Type != tea.KeyPgUp { // paging moves away from the focus
		s.follow()
	}
	if s.gen != gen { // the header and every later screen name this web UI
		w := welcomeMsg{ui: flow.UIGens[s.gen], device: s.device()}
		cmd = tea.Batch(cmd, func() tea.Msg { return w })
	}
	return s, cmd
}

func (s *welcomeScreen) key(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyPgDown, tea.KeyPgUp:
		lines, _ := s.page()
		step := max(1, s.h-2)
		if k.Type == tea.KeyPgUp {
			step = -step
		}
		s.top = min(max(s.top+step, 0), max(0, len(lines)-s.h))
		return nil
	case tea.KeyUp, tea.KeyShiftTab:
		return s.move(-1)
	case tea.KeyDown, tea.KeyTab:
		return s.move(1)
	case tea.KeyEnter:
		a, w := accounts[s.choice], welcomeMsg{ui: flow.UIGens[s.gen], device: s.device()}
		return tea.Sequence(func() tea.Msg { return accountMsg{a} }, func() tea.Msg { return w }, nextCmd)
	}
	if s.focus >= wFirstField {
		if k.Type == tea.KeyEsc { // leave the field, so that q and ? act again
			return s.setFocus(wAccount)
		}
		var cmd tea.Cmd
		i := s.focus - wFirstField
		s.fields[i], cmd = s.fields[i].Update(k)
		return cmd
	}
	switch {
	case k.String() == "s" && s.c.Opts.Demo != nil:
		s.picking = true
		s.pick = 0
		for i, n := range s.c.Opts.Demo.Scenarios() {
			if n == s.c.Opts.Demo.Scenario() {
				s.pick = i
			}
		}
	case k.String() == "1", k.String() == "2":
		s.set(int(k.String()[0] - '1'))
	case k.Type == tea.KeyLeft, k.Type == tea.KeyRight, k.Type == tea.KeySpace:
		s.set(1 - s.current())
	}
	return nil
}

// current is the choice of the focused row (account or web UI).
func (s *welcomeScreen) current() int {
	if s.focus == wWebUI {
		return s.gen
	}
	return s.choice
}

func (s *welcomeScreen) set(i int) {
	if s.focus == wWebUI {
		s.gen = i
	} else {
		s.choice = i
	}
}

func (s *welcomeScreen) move(d int) tea.Cmd {
	n := wFirstField + len(s.fields)
	return s.setFocus((s.focus + d + n) % n)
}

func (s *welcomeScreen) setFocus(f int) tea.Cmd {
	s.focus = f
	for i := range s.fields {
		s.fields[i].Blur()
	}
	if f >= wFirstField {
		return s.fields[f-wFirstField].Focus()
	}
	return nil
}

// follow scrolls so that the focused row is in view.
func (s *welcomeScreen) follow() {
	lines, at := s.page()
	if s.h <= 0 || len(lines) <= s.h {
		s.top = 0
		return
	}
	if at < s.top {
		s.top = max(0, at-1)
	}
	if at >= s.top+s.h {
		s.top = at - s.h + 2
	}
	s.top = min(max(s.top, 0), len(lines)-s.h)
}

func (s *welcomeScreen) updatePicker(k tea.KeyMsg) (Screen, tea.Cmd) {
	names := s.c.Opts.Demo.Scenarios()
	switch {
	case key.Matches(k, s.c.Keys.Up):
		s.pick = (s.pick + len(names) - 1) % len(names)
	case key.Matches(k, s.c.Keys.Down):
		s.pick = (s.pick + 1) % len(names)
	case k.Type == tea.KeyEnter:
		s.picking = false
		name, demo := names[s.pick], s.c.Opts.Demo
		return s, func() tea.Msg { return scenarioMsg{name: name, err: demo.SetScenario(name)} }
	case k.Type == tea.KeyEsc:
		s.picking = false
	}
	return s, nil
}

// Typing: the picker or a device field takes the keys.
func (s *welcomeScreen) Typing() bool { return s.picking || s.focus >= wFirstField }

func (s *welcomeScreen) viewPicker() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(s.c.T("demo.picker.choose")) + "\n\n")
	names := s.c.Opts.Demo.Scenarios()
	nw := 0
	for _, n := range names {
		nw = max(nw, len(n))
	}
	for i, n := range names {
		head := "  " + n + strings.Repeat(" ", nw-len(n)+2)
		if i == s.pick {
			head = st.Code.Render(st.Sym.Arrow+" "+n) + strings.Repeat(" ", nw-len(n)+2)
		}
		b.WriteString(indentWrap(head, s.c.T("demo."+n+".title"), s.w, st.Muted) + "\n")
	}
	b.WriteString("\n" + renderFix(s.c, "", s.c.T("demo."+names[s.pick]+".note"), s.w))
	return b.String()
}

// View shows the part of the page that Update scrolled to.
func (s *welcomeScreen) View() string {
	if s.picking {
		return s.viewPicker()
	}
	lines, _ := s.page()
	if len(lines) <= s.h || s.h <= 0 {
		return strings.Join(lines, "\n")
	}
	top := min(max(s.top, 0), len(lines)-s.h)
	return strings.Join(lines[top:top+s.h], "\n")
}

// page is the whole welcome page as lines, and the line of the focused row.
func (s *welcomeScreen) page() (lines []string, focusLine int) {
	st := s.c.Styles
	pg := s.c.page(flow.StepWelcome)
	var b strings.Builder
	mark := func(row int) {
		if row == s.focus {
			focusLine = strings.Count(b.String(), "\n")
		}
	}
	cursor := func(row int) string {
		if row == s.focus {
			return st.Code.Render(st.Sym.Arrow + " ")
		}
		return "  "
	}
	radio := func(on bool) string {
		if on {
			if s.c.Opts.Term.ASCII {
				return "(*) "
			}
			return "(" + st.Sym.Arrow + ") "
		}
		return "( ) "
	}
	if d := s.c.Opts.Demo; d != nil {
		sc := d.Scenario()
		// The trainer's note is in the picker (s); here, the scenario's name.
		b.WriteString(st.Demo.Render(wrap(s.c.T("demo.picker.title")+": "+sc+" · "+s.c.T("demo."+sc+".title"), s.w)) + "\n")
		if s.note != "" {
			b.WriteString(st.OK.Render(wrap(s.note, s.w)) + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(wrap(pg.Lead, s.w) + "\n\n")

	mark(wAccount)
	b.WriteString(cursor(wAccount) + st.Title.Render(wrap(s.c.T("ui.welcome.which"), s.w-2)) + "\n")
	for i, a := range accounts {
		style := st.Text
		if i == s.choice {
			style = st.Value
		}
		b.WriteString(indentWrap("  "+radio(i == s.choice)+string(rune('1'+i))+"  ", s.c.T("ui.welcome."+string(a)), s.w, style) + "\n")
		b.WriteString(indentWrap("         ", s.c.T("ui.welcome."+string(a)+".hint"), s.w, st.Muted) + "\n")
	}

	b.WriteString("\n")
	mark(wWebUI)
	b.WriteString(cursor(wWebUI) + st.Title.Render(wrap(s.c.T("ui.welcome.ui_which"), s.w-2)) + "\n")
	var opts []string
	for i, g := range flow.UIGens {
		style := st.Text
		if i == s.gen {
			style = st.Value
		}
		opts = append(opts, style.Render(radio(i == s.gen)+g.Name(s.c.Lang)+" ("+g.ShortName(s.c.Lang)+")"))
	}
	if lipglossWidth(strings.Join(opts, "   "))+4 <= s.w {
		b.WriteString("    " + strings.Join(opts, "   ") + "\n")
	} else {
		for _, o := range opts {
			b.WriteString("    " + o + "\n")
		}
	}
	b.WriteString(indentWrap("    ", s.c.T("ui.welcome.ui_tell"), s.w, st.Muted) + "\n")

	b.WriteString("\n" + st.Title.Render(wrap(s.c.T("ui.welcome.device"), s.w)) + "\n")
	lw := s.fieldLabelWidth()
	for i, f := range deviceFields {
		row := wFirstField + i
		mark(row)
		label := s.c.T("ui.welcome.device." + f)
		labels := strings.Split(wrap(label, lw-2), "\n")
		field := s.fields[i].View()
		if s.focus != row && s.fields[i].Value() == "" {
			field = st.Muted.Render("-")
		}
		for j, l := range labels {
			line := cursor(row) + st.Label.Render(l)
			if j > 0 {
				line = "  " + st.Label.Render(l)
			}
			if j == len(labels)-1 {
				line += strings.Repeat(" ", max(1, lw-lipglossWidth(l))) + field
			}
			b.WriteString(line + "\n")
		}
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
	return strings.Split(strings.TrimRight(b.String(), "\n"), "\n"), focusLine
}

func (s *welcomeScreen) ShortHelp() []key.Binding {
	if s.picking {
		return []key.Binding{s.c.Keys.Up, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", s.c.T("ui.key.choose"))),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", s.c.T("ui.key.cancel")))}
	}
	move := key.NewBinding(key.WithKeys("up", "down", "tab"), key.WithHelp("up/down", s.c.T("ui.key.field")))
	if s.focus >= wFirstField {
		return []key.Binding{move, s.c.Keys.Next,
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", s.c.T("ui.key.done")))}
	}
	ks := []key.Binding{move, s.c.Keys.Choose, s.c.Keys.Next}
	if s.c.Opts.Demo != nil {
		ks = append(ks, key.NewBinding(key.WithKeys("s"), key.WithHelp("s", s.c.T("ui.key.scenario"))))
	}
	return append(ks, s.c.Keys.Help, s.c.Keys.Quit)
}

func (s *welcomeScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()}
}

// applyWelcome records the welcome screen's answers. A change of web UI
// changes the menu names on every screen, so those built already are
// drawn anew.
func (m *Model) applyWelcome(msg welcomeMsg) {
	m.c.State.Device = msg.device
	if msg.ui != m.c.Opts.Config.UI {
		m.c.Opts.Config.UI = msg.ui
		cur := m.screens[flow.StepWelcome]
		m.screens = map[flow.StepID]Screen{flow.StepWelcome: cur}
	}
}
