package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// networkScreen is the procedure's DNS and proxy step, with a live
// pre-check from this machine: the sign-in host through HTTPS_PROXY when
// one is set, and the SMTP host directly.
type networkScreen struct {
	frame
	running bool
	gen     int
	reach   []flow.Reach
}

type netDoneMsg struct {
	gen int
	run flow.ReachRun
}

func (netDoneMsg) owner() flow.StepID { return flow.StepNetwork }

func newNetwork(c *Common) *networkScreen {
	return &networkScreen{frame: newFrame(c)}
}

// Init runs the pre-check each time the step is entered.
func (s *networkScreen) Init() tea.Cmd { return s.run() }

func (s *networkScreen) run() tea.Cmd {
	s.gen++
	s.running = true
	s.refresh()
	gen, ctx, cfg, scenario, target := s.gen, s.c.Ctx, s.c.Opts.Config, s.c.State.Scenario, s.c.State.Target
	return func() tea.Msg {
		return netDoneMsg{gen: gen, run: flow.CheckReach(ctx, cfg, scenario, target)}
	}
}

func (s *networkScreen) SetSize(w, h int) { s.resize(w, h); s.refresh() }

func (s *networkScreen) refresh() {
	st := s.c.Styles
	pg := s.c.page(flow.StepNetwork)
	var b strings.Builder
	b.WriteString(renderPage(s.c, pg, s.w) + "\n\n")
	b.WriteString(st.Title.Render(s.c.T("ui.net.title")) + "\n")
	switch {
	case s.running:
		b.WriteString(st.Muted.Render(s.c.T("ui.net.running")) + "\n")
	default:
		for i, r := range s.reach {
			what := s.c.T("ui.net.smtp")
			if i == 0 {
				what = s.c.T("ui.net.identity")
			}
			if r.OK() {
				addr := ""
				if len(r.Addrs) > 0 {
					addr = " → " + r.Addrs[0]
					if s.c.Opts.Term.ASCII {
						addr = " -> " + r.Addrs[0]
					}
				}
				via := ""
				if r.Proxy != "" {
					via = " " + s.c.T("ui.net.via", "proxy", r.Proxy)
				}
				line := fmt.Sprintf("%s %s:%d%s%s  %d ms", what, r.Host, r.Port, addr, via, r.Elapsed.Milliseconds())
				b.WriteString(indentWrap(st.OK.Render(st.Sym.OK)+" ", line, s.w) + "\n")
			} else {
				b.WriteString(renderCheck(s.c, flow.Check{Status: flow.Fail, Title: r.Problem.Title, Detail: r.Problem.Detail, Fix: r.Problem.Fix}, s.w, true))
			}
		}
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.net.note"), s.w)) + "\n")
	}
	b.WriteString("\n" + prereqView(s.c, flow.StepNetwork, s.w))
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (s *networkScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case netDoneMsg:
		if msg.gen != s.gen {
			return s, nil
		}
		s.running, s.reach = false, msg.run.Results
		s.refresh()
		return s, nil
	case answersMsg: // a prerequisite answered
		s.refresh()
		return s, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, s.c.Keys.Retry) && !s.running {
			return s, s.run()
		}
		if cmd := prereqKey(s.c, flow.StepNetwork, msg); cmd != nil {
			return s, cmd
		}
	}
	var cmd tea.Cmd
	s.vp, cmd = navOrScroll(s.c, s.vp, msg)
	return s, cmd
}

func (s *networkScreen) View() string { return s.vp.View() }

func (s *networkScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	ks := []key.Binding{k.Next, k.Back}
	if !s.running {
		ks = append(ks, k.Retry)
	}
	return append(ks, scrollKey(s.c, s.vp)...)
}

// FullHelp adds 1 and 2 (the device's prerequisites), which the screen
// names beside its questions.
func (s *networkScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(s.ShortHelp(), s.c.Keys.Prereq)}
}

func (s *networkScreen) attempt() int { return s.gen }
