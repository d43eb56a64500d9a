package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// identityScreen shows who signed in — the UPN, the primary address the
// device will take as its Device Email Address, the aliases — and checks
// the Device Email Address against the UPN. The technician may type the
// address the device actually holds.
type identityScreen struct {
	frame
	input textinput.Model
}

func newIdentity(c *Common) *identityScreen {
	m := &identityScreen{frame: newFrame(c)}
	m.input = c.newInput()
	m.input.Prompt = ""
	m.input.Placeholder = c.T("ui.id.device_placeholder")
	m.input.CharLimit = 254
	m.input.SetValue(c.State.Answers.DeviceEmail)
	m.refresh()
	return m
}

// Init asks for the Device Email Address once the device has signed in
// and none was given: the device set it itself, so the check runs on the
// value the device really holds, not on the wizard's guess.
func (m *identityScreen) Init() tea.Cmd {
	if m.c.Session() == nil || m.c.State.Answers.DeviceEmail != "" ||
		m.c.Outcome().DeviceAnswerNow(flow.CheckDeviceSignIn) != flow.DeviceYes {
		return nil
	}
	return m.focus()
}

// Typing: keys go to the address field while it has the focus.
func (m *identityScreen) Typing() bool { return m.input.Focused() }

func (m *identityScreen) SetSize(w, h int) {
	m.resize(w, h)
	m.input.SetWidth(max(10, w-22))
	m.refresh()
}

func (m *identityScreen) refresh() {
	st := m.c.Styles
	w := m.w
	s := m.c.Session()
	// The procedure's part: what the device does with the address, the
	// rule, and where to change it ([Device Details] dialog box).
	pg := m.c.page(flow.StepIdentity)
	lead := st.Lead.Render(wrap(pg.Lead, w)) + "\n\n"
	pg.Lead = ""
	if s == nil {
		m.vp.SetContent(lead + wrap(m.c.T("ui.id.none"), w) + "\n\n" + strings.TrimLeft(renderPage(m.c, pg, w), "\n"))
		return
	}
	id := s.Identity
	pg.Settings = append([]flow.Setting(nil), pg.Settings...)
	for i := range pg.Settings {
		pg.Settings[i].Value = id.UPN
	}
	var b strings.Builder
	b.WriteString(lead)
	b.WriteString(kv(m.c, m.c.T("ui.id.name"), id.Name, w))
	b.WriteString(kv(m.c, m.c.T("ui.id.upn"), id.UPN, w))
	b.WriteString(kv(m.c, m.c.T("ui.id.primary"), id.PrimaryAddress(), w))
	var aliases []string
	for _, p := range id.ProxyAddresses {
		if strings.HasPrefix(p, "smtp:") {
			aliases = append(aliases, p[5:])
		}
	}
	if len(aliases) > 0 {
		b.WriteString(kv(m.c, m.c.T("ui.id.aliases"), strings.Join(aliases, ", "), w))
	}
	b.WriteString(kv(m.c, m.c.T("ui.id.tenant"), id.TenantID, w))
	src := m.c.T("ui.id.source_claims")
	if id.FromGraph {
		src = m.c.T("ui.id.source_graph")
	}
	b.WriteString(kv(m.c, m.c.T("ui.id.source"), src, w))
	b.WriteString(m.askDevice(w))
	label := m.c.T("ui.id.device") + ":"
	field := inputView(m.input)
	if !m.input.Focused() && m.input.Value() == "" {
		field = st.Muted.Render(m.c.T("ui.id.device_hint"))
	}
	if lipglossWidth(label) > labelWidth-1 { // a long label gets its own line
		b.WriteString(st.Label.Render(wrap(label, w)) + "\n")
		label = ""
	}
	b.WriteString(st.Label.Render(label+strings.Repeat(" ", max(1, labelWidth-lipglossWidth(label)))) + field + "\n\n")

	cfg := m.c.Opts.Config
	chk := flow.DeviceEmailCheck(m.c.Lang, cfg.UI, id, m.input.Value())
	b.WriteString(renderCheck(m.c, chk, w, true))
	if id.GraphProblem != nil && id.GraphProblem.ID != "graph-off" {
		b.WriteString("\n" + st.Warn.Render(wrap(st.Sym.Warn+" "+id.GraphProblem.Title, w)) + "\n")
		b.WriteString(st.Muted.Render(wrap(id.GraphProblem.Detail, w)) + "\n")
	}
	b.WriteString("\n" + strings.TrimLeft(renderPage(m.c, pg, w), "\n") + "\n")
	m.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

// askDevice asks, while the field has the focus after the device signed
// in, for the address the device now shows.
func (m *identityScreen) askDevice(w int) string {
	if !m.input.Focused() || m.c.Outcome().DeviceAnswerNow(flow.CheckDeviceSignIn) != flow.DeviceYes {
		return ""
	}
	return "\n" + m.c.Styles.Title.Render(wrap(m.c.T("ui.id.read_device", labelKV(m.c, m.c.Opts.Config.UI)...), w)) + "\n"
}

func (m *identityScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if m.input.Focused() {
			if key.Matches(k, m.c.Keys.FieldDone) {
				m.input.Blur()
				m.refresh()
				a := m.c.State.Answers
				a.DeviceEmail = strings.TrimSpace(m.input.Value())
				return m, func() tea.Msg { return answersMsg{a} }
			}
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			m.refresh()
			return m, cmd
		}
		if key.Matches(k, m.c.Keys.EditDevice) && m.c.Session() != nil {
			return m, m.focus()
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = navOrScroll(m.c, m.vp, msg)
	return m, cmd
}

func (m *identityScreen) focus() tea.Cmd {
	cmd := m.input.Focus()
	m.refresh()
	return cmd
}

func (m *identityScreen) View() string { return m.vp.View() }

func (m *identityScreen) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.input.Focused() {
		return []key.Binding{k.FieldDone}
	}
	ks := []key.Binding{k.Next, k.Back}
	if m.c.Session() != nil {
		ks = append(ks, k.EditDevice)
	}
	return append(ks, scrollKey(m.c, m.vp)...)
}

func (m *identityScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.ShortHelp()}
}

// renderCheck shows one verdict: symbol and title, then (unless brief and
// passing) the detail and the fix.
func renderCheck(c *Common, chk flow.Check, w int, full bool) string {
	st := c.Styles
	var sym string
	var style = st.OK
	switch chk.Status {
	case flow.Pass:
		sym = st.Sym.OK
	case flow.Warn:
		sym, style = st.Sym.Warn, st.Warn
	case flow.Fail:
		sym, style = st.Sym.Fail, st.Fail
	default:
		sym, style = st.Sym.Skip, st.Muted
	}
	var b strings.Builder
	b.WriteString(indentWrap(style.Render(sym)+" ", chk.Title, w, style) + "\n")
	if full && chk.Status != flow.Pass && chk.Status != flow.Skip {
		pad := strings.Repeat(" ", lipglossWidth(sym)+1)
		if chk.Detail != "" {
			b.WriteString(indentWrap(pad, chk.Detail, w) + "\n")
		}
		if chk.Fix != "" {
			b.WriteString(renderFix(c, pad+st.Value.Render(c.T("ui.problem.fix")+" "), chk.Fix, w) + "\n")
		}
	}
	return b.String()
}
