package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/flow"
)

// consentScreen shows the administrator consent link as text and as a QR
// code, for a Global Administrator to open on a phone or another machine.
type consentScreen struct {
	c      *Common
	vp     viewport.Model
	qrOnly bool // v: the QR code alone, for a short window
	note   string
	w, h   int
}

type consentMsg struct{}

func newConsent(c *Common) *consentScreen {
	s := &consentScreen{c: c, vp: viewport.New(c.Width, c.Height), w: c.Width, h: c.Height}
	s.vp.KeyMap = viewportKeys(c.Keys)
	s.refresh()
	return s
}

func (s *consentScreen) Init() tea.Cmd { return nil }

func (s *consentScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.vp.Width, s.vp.Height = w, h
	s.refresh()
}

func (s *consentScreen) qr() (qrBlock, bool) {
	if s.c.Opts.NoQR {
		return qrBlock{}, false
	}
	return s.c.qr(s.c.Opts.Config.ConsentURL())
}

// side reports whether the QR code fits beside the text.
func (s *consentScreen) side() (qrBlock, bool) {
	q, ok := s.qr()
	return q, ok && q.H <= s.h && s.w-q.W-2 >= 40
}

func (s *consentScreen) refresh() {
	st := s.c.Styles
	cfg := s.c.Opts.Config
	pg := s.c.page(flow.StepConsent)
	url := cfg.ConsentURL()
	w := s.w
	q, side := s.side()
	if side {
		w = s.w - q.W - 2
	}
	s.vp.Width = w
	var b strings.Builder
	b.WriteString(wrap(pg.Lead, w) + "\n\n")
	b.WriteString(st.Label.Render(s.c.T("ui.consent.link")) + "\n")
	// The link is printed unbroken by styles so that it can be selected
	// and copied even where it wraps.
	b.WriteString(st.URL.Render(ansi.Hardwrap(url, w, false)) + "\n")
	if s.note != "" {
		b.WriteString(st.OK.Render(wrap(s.note, w)) + "\n")
	}
	q, ok := s.qr()
	switch {
	case !ok || side:
	case q.H <= s.h && q.W <= s.w:
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.consent.qr_key"), w)) + "\n")
	default:
		b.WriteString(st.Muted.Render(wrap(s.c.T("ui.consent.qr_too_small", "w", itoa(q.W+2), "h", itoa(q.H+5)), w)) + "\n")
	}
	b.WriteString("\n")
	for i, a := range pg.Actions {
		b.WriteString(indentWrap(st.Muted.Render(itoa(i+1)+". "), a, w) + "\n")
	}
	for _, n := range pg.Notes {
		b.WriteString("\n" + renderNote(s.c, n, w))
	}
	if s.c.Opts.Demo != nil {
		b.WriteString("\n" + st.Demo.Render(wrap(s.c.T("ui.consent.demo"), w)))
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (s *consentScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case consentMsg:
		s.note = s.c.T("ui.consent.demo_granted")
		s.refresh()
		return s, nil
	case copiedMsg:
		if msg.err != nil {
			s.note = s.c.T("ui.signin.copy_failed")
		} else {
			s.note = s.c.T("ui.consent.copied")
		}
		s.refresh()
		return s, nil
	case tea.KeyMsg:
		k := s.c.Keys
		switch {
		case key.Matches(msg, k.ToggleQR):
			s.qrOnly = !s.qrOnly
			return s, nil
		case s.qrOnly && (key.Matches(msg, k.Back) || key.Matches(msg, k.Next)):
			s.qrOnly = false
			return s, nil
		case key.Matches(msg, k.Next):
			return s, nextCmd
		case key.Matches(msg, k.Back):
			return s, backCmd
		case key.Matches(msg, k.Copy) && s.c.Opts.Clipboard != nil:
			url, clip := s.c.Opts.Config.ConsentURL(), s.c.Opts.Clipboard
			return s, func() tea.Msg { return copiedMsg{clip(url)} }
		case key.Matches(msg, k.Grant) && s.c.Opts.Demo != nil:
			demo := s.c.Opts.Demo
			return s, func() tea.Msg { demo.GrantConsent(); return consentMsg{} }
		}
	}
	var cmd tea.Cmd
	s.vp, cmd = s.vp.Update(msg)
	return s, cmd
}

func (s *consentScreen) View() string {
	if s.qrOnly {
		q, ok := s.qr()
		if ok && q.H <= s.h && q.W <= s.w {
			return renderer(s.c.Styles.r).PlaceHorizontal(s.w, lipgloss.Center, q.View(s.c))
		}
		return wrap(s.c.T("ui.consent.qr_too_small", "w", itoa(q.W+2), "h", itoa(q.H+5)), s.w)
	}
	if q, side := s.side(); side {
		return lipgloss.JoinHorizontal(lipgloss.Top, s.c.Styles.plain().Width(s.vp.Width).Render(s.vp.View()), "  ", q.View(s.c))
	}
	return s.vp.View()
}

func (s *consentScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	ks := []key.Binding{k.Next, k.Back}
	if q, ok := s.qr(); ok && q.H <= s.h && q.W <= s.w {
		if _, side := s.side(); !side {
			ks = append(ks, k.ToggleQR) // only when it can be shown on its own
		}
	}
	if s.c.Opts.Clipboard != nil {
		ks = append(ks, k.Copy)
	}
	if s.c.Opts.Demo != nil {
		ks = append(ks, k.Grant)
	}
	if s.vp.TotalLineCount() > s.vp.Height {
		ks = append(ks, k.Up)
	}
	return append(ks, k.Help, k.Quit)
}

func (s *consentScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp(), {s.c.Keys.Up}}
}

func itoa(i int) string {
	return strconv.Itoa(i)
}
