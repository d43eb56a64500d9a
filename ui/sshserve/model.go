package sshserve

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// sessionModel wraps a session's wizard: it ends the program when the
// server says so (idle, shutdown) and shows the server's notices on the
// wizard's last line, where the key line is.
type sessionModel struct {
	inner  tea.Model
	text   func(key string, kv ...string) string
	notice string
	result string // why the server ended the program; "" = it quit by itself
	width  int
}

type noticeKind int

const noticeShutdown noticeKind = iota

// noticeMsg: the server tells the session something (it is stopping).
type noticeMsg struct {
	kind noticeKind
	left time.Duration
}

// endMsg: the server ends the session's program.
type endMsg struct{ result string }

func (m *sessionModel) Init() tea.Cmd { return m.inner.Init() }

func (m *sessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case noticeMsg:
		secs := fmt.Sprint(int(msg.left.Round(time.Second).Seconds()))
		m.notice = m.text("serve.stopping", "secs", secs)
		return m, nil
	case endMsg:
		m.result = msg.result
		return m, tea.Quit
	case tea.WindowSizeMsg:
		m.width = msg.Width
	}
	var cmd tea.Cmd
	m.inner, cmd = m.inner.Update(msg)
	return m, cmd
}

func (m *sessionModel) View() tea.View {
	v := m.inner.View()
	if m.notice == "" {
		return v
	}
	// The notice is wrapped, never cut, and takes the wizard's last lines
	// (the key line, then the rule above it): the screen keeps its height.
	lines := strings.Split(v.Content, "\n")
	notice := strings.Split(ansi.Wrap(m.notice, max(1, m.width-2), ""), "\n")
	if len(notice) > len(lines) {
		notice = notice[len(notice)-len(lines):]
	}
	at := len(lines) - len(notice)
	for i, l := range notice {
		lines[at+i] = " \x1b[7m" + strings.TrimRight(l, " ") + "\x1b[27m"
	}
	v.Content = strings.Join(lines, "\n")
	return v
}

// Getenv looks a variable up in what the SSH client sent; TERM is the
// terminal type of its pty request, which wins over a TERM in the
// environment.
func Getenv(env []string, term string) func(string) string {
	return func(k string) string {
		if k == "TERM" {
			return term
		}
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], k+"="); ok {
				return v
			}
		}
		return ""
	}
}
