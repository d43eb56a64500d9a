package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

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
	// In --demo: the scenario picker and the scenarios' names.
	picking bool
	pick    int
	names   []string
	top     int      // first line shown, on short windows (pgup/pgdown)
	lines   []string // the page, laid out for the width
	at      int      // the line of the focused row in lines
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
	name     string
	err      error
	smtpHost string       // where the simulated Exchange Online now listens
	smtpPort int          //
	answers  flow.Answers // the new scenario's device settings
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
		in := c.newInput()
		in.Prompt = ""
		in.CharLimit = 128
		if deviceFields[i] == "host" {
			in.CharLimit = 253 // a DNS name
		}
		in.SetValue(v)
		s.fields = append(s.fields, in)
	}
	if c.Opts.Demo != nil {
		s.names = c.Opts.Demo.Scenarios()
	}
	s.sizeFields()
	s.refresh()
	return s
}

func (s *welcomeScreen) Init() tea.Cmd { return nil }

func (s *welcomeScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.sizeFields()
	s.refresh()
	s.follow()
}

// refresh lays the page out again for the width: View only draws.
func (s *welcomeScreen) refresh() {
	s.lines, s.at = s.layout()
	if len(s.lines) <= s.h || s.h <= 0 {
		s.top = 0
		return
	}
	s.top = min(max(s.top, 0), len(s.lines)-s.h)
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
		s.fields[i].SetWidth(max(10, s.w-s.fieldLabelWidth()-3))
	}
}

// device is the device and site as typed so far.
func (s *welcomeScreen) device() flow.DeviceInfo {
	v := func(i int) string { return strings.TrimSpace(s.fields[i].Value()) }
	return flow.DeviceInfo{Model: v(0), Serial: v(1), Host: v(2), Site: v(3), Technician: v(4)}
}

// Update handles msg, then lays the page out for View.
func (s *welcomeScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	defer s.refresh()
	if m, ok := msg.(scenarioMsg); ok {
		if m.err != nil {
			s.note = m.err.Error()
		} else {
			s.note = s.c.T("demo.picker.changed", "name", m.name)
		}
		return s, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	if s.picking {
		return s.updatePicker(k)
	}
	gen, choice := s.gen, s.choice
	cmd := s.key(k)
	s.refresh()
	if !key.Matches(k, s.c.Keys.More) { // paging moves away from the focus
		s.follow()
	}
	if s.gen != gen { // the header and every later screen name this web UI
		w := welcomeMsg{ui: flow.UIGens[s.gen], device: s.device()}
		cmd = tea.Batch(cmd, func() tea.Msg { return w })
	}
	if s.choice != choice { // the header and the step count follow the choice at once
		a := accounts[s.choice]
		cmd = tea.Batch(cmd, func() tea.Msg { return accountMsg{a} })
	}
	return s, cmd
}

func (s *welcomeScreen) key(k tea.KeyPressMsg) tea.Cmd {
	keys := s.c.Keys
	switch {
	case key.Matches(k, keys.More) && s.more():
		step := max(1, s.h-2)
		if key.Matches(k, keys.PageUp) {
			step = -step
		}
		s.top = min(max(s.top+step, 0), max(0, len(s.lines)-s.h))
		return nil
	case key.Matches(k, keys.FieldPrev):
		return s.move(-1)
	case key.Matches(k, keys.FieldNext):
		return s.move(1)
	case key.Matches(k, keys.Next):
		a, w := accounts[s.choice], welcomeMsg{ui: flow.UIGens[s.gen], device: s.device()}
		return tea.Sequence(func() tea.Msg { return accountMsg{a} }, func() tea.Msg { return w }, nextCmd)
	}
	if s.focus >= wFirstField {
		if key.Matches(k, keys.FieldLeave) { // leave the field, so that q and ? act again
			return s.setFocus(wAccount)
		}
		var cmd tea.Cmd
		i := s.focus - wFirstField
		s.fields[i], cmd = s.fields[i].Update(k)
		return cmd
	}
	switch {
	case key.Matches(k, keys.Scenario) && s.c.Opts.Demo != nil:
		s.picking = true
		s.pick = max(0, slices.Index(s.names, s.c.State.Scenario))
	case key.Matches(k, keys.ChooseOne):
		s.set(0)
	case key.Matches(k, keys.ChooseTwo):
		s.set(1)
	case key.Matches(k, keys.Change):
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
	lines, at := s.lines, s.at
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

func (s *welcomeScreen) updatePicker(k tea.KeyPressMsg) (Screen, tea.Cmd) {
	names, keys := s.names, s.c.Keys
	switch {
	case key.Matches(k, keys.LineUp):
		s.pick = (s.pick + len(names) - 1) % len(names)
	case key.Matches(k, keys.LineDown):
		s.pick = (s.pick + 1) % len(names)
	case key.Matches(k, keys.Pick):
		s.picking = false
		name, demo := names[s.pick], s.c.Opts.Demo
		return s, func() tea.Msg {
			if err := demo.SetScenario(name); err != nil {
				return scenarioMsg{name: name, err: err}
			}
			host, port := demo.SMTP()
			return scenarioMsg{name: name, smtpHost: host, smtpPort: port, answers: DemoAnswers(demo)}
		}
	case key.Matches(k, keys.Cancel):
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
	names := s.names
	nw := 0
	for _, n := range names {
		nw = max(nw, len(n))
	}
	rows := make([]string, len(names))
	for i, n := range names {
		head := "  " + n + strings.Repeat(" ", nw-len(n)+2)
		if i == s.pick {
			head = st.Code.Render(st.Sym.Arrow+" "+n) + strings.Repeat(" ", nw-len(n)+2)
		}
		rows[i] = indentWrap(head, s.c.T("demo."+n+".title"), s.w, st.Muted)
	}
	note := "\n" + renderFix(s.c, "", s.c.T("demo."+names[s.pick]+".note"), s.w)
	b.WriteString(strings.Join(pickerWindow(rows, s.pick, s.h-3-lipglossHeight(note)), "\n") + "\n")
	b.WriteString(note)
	return b.String()
}

// pickerWindow is the run of rows that fits in h lines and holds the
// chosen one, so the list scrolls with the choice and the chosen scenario's
// note below it stays on screen.
func pickerWindow(rows []string, pick, h int) []string {
	if h <= 0 {
		return rows
	}
	top, end := pick, pick+1
	used := lipglossHeight(rows[pick])
	for grew := true; grew; {
		grew = false
		if end < len(rows) && used+lipglossHeight(rows[end]) <= h {
			used += lipglossHeight(rows[end])
			end, grew = end+1, true
		}
		if top > 0 && used+lipglossHeight(rows[top-1]) <= h {
			top--
			used += lipglossHeight(rows[top])
			grew = true
		}
	}
	return rows[top:end]
}

// View shows the part of the page that Update scrolled to.
func (s *welcomeScreen) View() string {
	if s.picking {
		return s.viewPicker()
	}
	if len(s.lines) <= s.h || s.h <= 0 {
		return strings.Join(s.lines, "\n")
	}
	return strings.Join(s.lines[s.top:s.top+s.h], "\n")
}

// more reports whether the page is taller than the window.
func (s *welcomeScreen) more() bool { return len(s.lines) > s.h }

// layout is the whole welcome page as lines, and the line of the focused row.
func (s *welcomeScreen) layout() (lines []string, focusLine int) {
	st := s.c.Styles
	pg := s.c.page(flow.StepWelcome)
	w := &welcomeWriter{s: s}
	if s.c.Opts.Demo != nil {
		sc := s.c.State.Scenario
		// The trainer's note is in the picker (s); here, the scenario's name.
		w.WriteString(st.Demo.Render(wrap(s.c.T("demo.picker.title")+": "+sc+" · "+s.c.T("demo."+sc+".title"), s.w)) + "\n")
		if s.note != "" {
			w.WriteString(st.OK.Render(wrap(s.note, s.w)) + "\n")
		}
		w.WriteString("\n")
	}
	w.WriteString(wrap(pg.Lead, s.w) + "\n\n")
	s.accountRows(w)
	s.webUIRows(w)
	s.deviceRows(w)
	if len(pg.Actions) > 0 {
		w.WriteString("\n" + st.Title.Render(s.c.T("ui.welcome.need")) + "\n")
		for _, a := range pg.Actions {
			w.WriteString(indentWrap(st.Muted.Render(st.Sym.Bullet+" "), a, s.w) + "\n")
		}
	}
	for _, n := range pg.Notes {
		w.WriteString("\n" + renderNote(s.c, n, s.w))
	}
	return strings.Split(strings.TrimRight(w.String(), "\n"), "\n"), w.focusLine
}

// welcomeWriter builds the welcome page and notes the line where the
// focused row starts.
type welcomeWriter struct {
	strings.Builder
	s         *welcomeScreen
	focusLine int
}

// row starts a row that can take the focus, and returns its cursor.
func (w *welcomeWriter) row(r int) string {
	if r != w.s.focus {
		return "  "
	}
	w.focusLine = strings.Count(w.String(), "\n")
	return w.s.c.Styles.Code.Render(w.s.c.Styles.Sym.Arrow + " ")
}

func (s *welcomeScreen) radio(on bool) string { return radio(s.c, on) }

func (s *welcomeScreen) accountRows(w *welcomeWriter) {
	st := s.c.Styles
	w.WriteString(w.row(wAccount) + st.Title.Render(wrap(s.c.T("ui.welcome.which"), s.w-2)) + "\n")
	for i, a := range accounts {
		style := st.Text
		if i == s.choice {
			style = st.Value
		}
		w.WriteString(indentWrap("  "+s.radio(i == s.choice)+string(rune('1'+i))+"  ", s.c.T("ui.welcome."+string(a)), s.w, style) + "\n")
		w.WriteString(indentWrap("         ", s.c.T("ui.welcome."+string(a)+".hint"), s.w, st.Muted) + "\n")
	}
}

func (s *welcomeScreen) webUIRows(w *welcomeWriter) {
	st := s.c.Styles
	w.WriteString("\n")
	w.WriteString(w.row(wWebUI) + st.Title.Render(wrap(s.c.T("ui.welcome.ui_which"), s.w-2)) + "\n")
	var opts []string
	for i, g := range flow.UIGens {
		style := st.Text
		if i == s.gen {
			style = st.Value
		}
		opts = append(opts, style.Render(s.radio(i == s.gen)+g.Name(s.c.Lang)+" ("+g.ShortName(s.c.Lang)+")"))
	}
	if lipglossWidth(strings.Join(opts, "   "))+4 <= s.w {
		w.WriteString("    " + strings.Join(opts, "   ") + "\n")
	} else {
		for _, o := range opts {
			w.WriteString("    " + o + "\n")
		}
	}
	w.WriteString(indentWrap("    ", s.c.T("ui.welcome.ui_tell"), s.w, st.Muted) + "\n")
}

func (s *welcomeScreen) deviceRows(w *welcomeWriter) {
	st := s.c.Styles
	w.WriteString("\n" + st.Title.Render(wrap(s.c.T("ui.welcome.device"), s.w)) + "\n")
	lw := s.fieldLabelWidth()
	for i, f := range deviceFields {
		row := wFirstField + i
		cur := w.row(row)
		labels := strings.Split(wrap(s.c.T("ui.welcome.device."+f), lw-2), "\n")
		field := inputView(s.fields[i])
		if s.focus != row && s.fields[i].Value() == "" {
			field = st.Muted.Render("-")
		}
		for j, l := range labels {
			line := cur + st.Label.Render(l)
			if j > 0 {
				line = "  " + st.Label.Render(l)
			}
			if j == len(labels)-1 {
				line += strings.Repeat(" ", max(1, lw-lipglossWidth(l))) + field
			}
			w.WriteString(line + "\n")
		}
	}
}

func (s *welcomeScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	if s.picking {
		return []key.Binding{k.PickMove, k.Pick, k.Cancel}
	}
	if s.focus >= wFirstField {
		return []key.Binding{k.Field, k.Next, k.FieldLeave}
	}
	ks := []key.Binding{k.Field, k.Option, k.Next}
	if s.c.Opts.Demo != nil {
		// The trainer's s before left/right: the options' numbers (1, 2)
		// show how to choose when the key line has no room for both.
		ks = []key.Binding{k.Field, k.Next, k.Scenario, k.Option}
	}
	if s.more() {
		ks = append(ks, k.More)
	}
	return ks
}

func (s *welcomeScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

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
