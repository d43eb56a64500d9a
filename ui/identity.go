package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"mfpmail/flow"
)

// identityScreen shows who signed in: the UPN, the primary address the
// device will take as its Device Email Address, the aliases, and where the
// details came from.
type identityScreen struct {
	c       *Common
	session *flow.Session
	vp      viewport.Model
	w, h    int
}

func newIdentity(c *Common, s *flow.Session) *identityScreen {
	m := &identityScreen{c: c, session: s, vp: viewport.New(c.Width, c.Height), w: c.Width, h: c.Height}
	m.vp.KeyMap = viewportKeys(c.Keys)
	m.refresh()
	return m
}

func (m *identityScreen) Init() tea.Cmd { return nil }

func (m *identityScreen) SetSize(w, h int) {
	m.w, m.h = w, h
	m.vp.Width, m.vp.Height = w, h
	m.refresh()
}

func (m *identityScreen) refresh() {
	st := m.c.Styles
	w := m.w
	if m.session == nil {
		m.vp.SetContent(wrap(m.c.T("ui.id.none"), w))
		return
	}
	id := m.session.Identity
	var b strings.Builder
	b.WriteString(st.OK.Render(st.Sym.OK+" "+m.c.T("ui.id.signed_in")) + "\n\n")
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
	if id.FromGraph {
		b.WriteString(kv(m.c, m.c.T("ui.id.source"), m.c.T("ui.id.source_graph"), w))
	} else {
		b.WriteString(kv(m.c, m.c.T("ui.id.source"), m.c.T("ui.id.source_claims"), w))
	}
	b.WriteString("\n")
	same := strings.EqualFold(strings.TrimSpace(id.UPN), strings.TrimSpace(id.PrimaryAddress()))
	if same {
		b.WriteString(indentWrap(st.OK.Render(st.Sym.OK+" "), m.c.T("ui.id.match", "upn", id.UPN), w) + "\n")
	} else {
		b.WriteString(indentWrap(st.Fail.Render(st.Sym.Fail+" "), m.c.T("ui.id.mismatch", "upn", id.UPN, "primary", id.PrimaryAddress()), w) + "\n")
	}
	if id.GraphProblem != nil && id.GraphProblem.ID != "graph-off" {
		b.WriteString("\n" + st.Warn.Render(wrap(id.GraphProblem.Title, w)) + "\n")
		b.WriteString(st.Muted.Render(wrap(id.GraphProblem.Detail, w)) + "\n")
	}
	pg := flow.PageFor(m.c.Lang, m.c.Opts.Config.UI, m.c.Opts.Config.Account, flow.StepIdentity)
	for _, n := range pg.Notes {
		b.WriteString("\n" + renderNote(m.c, n, w))
	}
	m.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (m *identityScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.c.Keys.Next):
			return m, nextCmd
		case key.Matches(k, m.c.Keys.Back):
			return m, backCmd
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return m, cmd
}

func (m *identityScreen) View() string { return m.vp.View() }

func (m *identityScreen) ShortHelp() []key.Binding {
	k := m.c.Keys
	ks := []key.Binding{k.Next, k.Back}
	if m.vp.TotalLineCount() > m.vp.Height {
		ks = append(ks, k.Up)
	}
	return append(ks, k.Help, k.Quit)
}

func (m *identityScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.ShortHelp()}
}
