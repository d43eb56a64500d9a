package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"mfpmail/flow"
)

// consentScreen shows the administrator consent link as text and as a QR
// code, for a Global Administrator to open on a phone or another machine.
type consentScreen struct {
	frame
	qrOnly bool // v: the QR code alone, for a short window
	note   string
	code   qrBlock // the link as a QR code, drawn once
	hasQR  bool
}

type consentMsg struct{}

func newConsent(c *Common) *consentScreen {
	s := &consentScreen{frame: newFrame(c)}
	if !c.Opts.NoQR {
		s.code, s.hasQR = c.drawQR(c.Opts.Config.ConsentURL())
	}
	s.refresh()
	return s
}

func (s *consentScreen) Init() tea.Cmd { return nil }

func (s *consentScreen) SetSize(w, h int) { s.resize(w, h); s.refresh() }

func (s *consentScreen) qr() (qrBlock, bool) { return s.code, s.hasQR }

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
	s.vp.SetWidth(w)
	var b strings.Builder
	b.WriteString(wrap(pg.Lead, w) + "\n\n")
	b.WriteString(st.Label.Render(s.c.T("ui.consent.link")) + "\n")
	// The link is printed unbroken by styles so that it can be selected
	// and copied even where it wraps (it is longer than any line); every
	// piece is a hyperlink to the whole of it.
	b.WriteString(st.linkStyle(url).Render(ansi.Hardwrap(url, w, false)) + "\n")
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
		if in := s.c.State.SignIn; in != nil && in.Problem != nil && in.Problem.BackTo == flow.StepConsent {
			// The sign-in failed for want of this consent: straight back
			// to it, for a new code, rather than through every step between.
			return s, gotoCmd(flow.StepSignIn)
		}
		return s, nil
	case copiedMsg:
		s.note = msg.note(s.c, "ui.consent.copied")
		s.refresh()
		return s, nil
	case tea.KeyPressMsg:
		k := s.c.Keys
		switch {
		case key.Matches(msg, k.ToggleQR) && s.qrAlone():
			s.qrOnly = !s.qrOnly
			return s, nil
		case s.qrOnly && key.Matches(msg, k.CloseQR):
			s.qrOnly = false
			return s, nil
		case s.qrOnly && !key.Matches(msg, k.Copy) && !key.Matches(msg, k.Grant):
			return s, nil // the page underneath does not scroll unseen
		case key.Matches(msg, k.Next):
			return s, nextCmd
		case key.Matches(msg, k.Back):
			return s, backCmd
		case key.Matches(msg, k.Copy) && s.c.canCopy():
			return s, s.c.copyCmd(s.c.Opts.Config.ConsentURL())
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
			return lipgloss.PlaceHorizontal(s.w, lipgloss.Center, q.View(s.c))
		}
		return wrap(s.c.T("ui.consent.qr_too_small", "w", itoa(q.W+2), "h", itoa(q.H+5)), s.w)
	}
	if q, side := s.side(); side {
		return lipgloss.JoinHorizontal(lipgloss.Top, s.c.Styles.plain().Width(s.vp.Width()).Render(s.vp.View()), "  ", q.View(s.c))
	}
	return s.vp.View()
}

// qrAlone reports whether the QR code can be shown on its own (v): it
// fits the window but not beside the text.
func (s *consentScreen) qrAlone() bool {
	q, ok := s.qr()
	_, side := s.side()
	return ok && !side && q.H <= s.h && q.W <= s.w
}

func (s *consentScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	var ks []key.Binding
	if s.qrOnly {
		ks = []key.Binding{k.CloseQR}
	} else {
		ks = []key.Binding{k.Next, k.Back}
		if s.qrAlone() {
			ks = append(ks, k.ToggleQR)
		}
	}
	// In the demo, the trainer's g comes before c: the link is copied
	// with c as the screen itself says.
	if s.c.Opts.Demo != nil {
		ks = append(ks, k.Grant)
	}
	if s.c.canCopy() {
		ks = append(ks, k.Copy)
	}
	if !s.qrOnly {
		ks = append(ks, scrollKey(s.c, s.vp)...)
	}
	return ks
}

func (s *consentScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func itoa(i int) string {
	return strconv.Itoa(i)
}
