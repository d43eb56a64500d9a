package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"mfpmail/flow"
)

// summaryScreen lists every check — pass, warn, fail, skipped, with the
// fix — and then the values the device must hold.
type summaryScreen struct {
	c    *Common
	vp   viewport.Model
	w, h int
}

func newSummary(c *Common) *summaryScreen {
	s := &summaryScreen{c: c, vp: viewport.New(c.Width, c.Height), w: c.Width, h: c.Height}
	s.vp.KeyMap = viewportKeys(c.Keys)
	s.refresh()
	return s
}

func (s *summaryScreen) Init() tea.Cmd { return nil }

func (s *summaryScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.vp.Width, s.vp.Height = w, h
	s.refresh()
}

func (s *summaryScreen) refresh() {
	st := s.c.Styles
	checks := s.c.Outcome().Checks()
	counts := map[flow.Status]int{}
	for _, c := range checks {
		counts[c.Status]++
	}
	var b strings.Builder
	head := s.c.T("ui.summary.counts", "pass", itoa(counts[flow.Pass]), "warn", itoa(counts[flow.Warn]),
		"fail", itoa(counts[flow.Fail]), "skip", itoa(counts[flow.Skip]))
	switch {
	case counts[flow.Fail] > 0:
		b.WriteString(st.Fail.Render(wrap(s.c.T("ui.summary.failed"), s.w)) + "\n")
	case counts[flow.Warn] > 0:
		b.WriteString(st.Warn.Render(wrap(s.c.T("ui.summary.warned"), s.w)) + "\n")
	default:
		b.WriteString(st.OK.Render(wrap(s.c.T("ui.summary.passed"), s.w)) + "\n")
	}
	b.WriteString(st.Muted.Render(head) + "\n\n")
	for _, c := range checks {
		b.WriteString(renderCheck(s.c, c, s.w, true))
	}
	cfg := s.c.Opts.Config
	pg := flow.PageFor(s.c.Lang, cfg.UI, cfg.Account, flow.StepSummary)
	settings := append([]flow.Setting(nil), pg.Settings...)
	if sess := s.c.State.Session; sess != nil {
		// The page names the field; the run knows the value.
		devLabel := flow.Label(s.c.Lang, cfg.UI, "device_email")
		for i := range settings {
			if settings[i].Label == devLabel {
				settings[i].Value = sess.Identity.UPN
			}
		}
	}
	if len(settings) > 0 {
		b.WriteString("\n" + st.Title.Render(s.c.T("ui.summary.values")) + "\n")
		b.WriteString(renderSettings(s.c, settings, s.w))
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (s *summaryScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.c.Keys.Back) {
		return s, backCmd
	}
	var cmd tea.Cmd
	s.vp, cmd = s.vp.Update(msg)
	return s, cmd
}

func (s *summaryScreen) View() string { return s.vp.View() }

func (s *summaryScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	return []key.Binding{k.Up, k.Back, k.Help, k.Quit}
}

func (s *summaryScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
