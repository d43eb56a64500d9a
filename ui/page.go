package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"mfpmail/flow"
)

// pageScreen shows one step of the procedure as the device's web UI has
// it: menu path, what to do, the values to enter, and the notes that
// matter here. It scrolls when the window is short.
type pageScreen struct {
	frame
	id flow.StepID
}

func newPage(c *Common, id flow.StepID) *pageScreen {
	p := &pageScreen{frame: newFrame(c), id: id}
	p.refresh()
	return p
}

func (p *pageScreen) Init() tea.Cmd { return nil }

func (p *pageScreen) SetSize(w, h int) { p.resize(w, h); p.refresh() }

func (p *pageScreen) refresh() {
	pg := p.c.page(p.id)
	p.vp.SetContent(renderPage(p.c, pg, p.w))
}

func (p *pageScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	var cmd tea.Cmd
	p.vp, cmd = navOrScroll(p.c, p.vp, msg)
	return p, cmd
}

// navOrScroll is the keys of a scrolling page: enter moves on, esc back,
// anything else scrolls the viewport.
func navOrScroll(c *Common, vp viewport.Model, msg tea.Msg) (viewport.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, c.Keys.Next):
			return vp, nextCmd
		case key.Matches(k, c.Keys.Back):
			return vp, backCmd
		}
	}
	return vp.Update(msg)
}

func (p *pageScreen) View() string { return p.vp.View() }

func (p *pageScreen) ShortHelp() []key.Binding {
	return append([]key.Binding{p.c.Keys.Next, p.c.Keys.Back}, scrollKey(p.c, p.vp)...)
}

func (p *pageScreen) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// scrollKey lists the scrolling keys when vp holds more than it shows.
func scrollKey(c *Common, vp viewport.Model) []key.Binding {
	if vp.TotalLineCount() > vp.Height() {
		return []key.Binding{c.Keys.Scroll}
	}
	return nil
}

// newViewport is a viewport of w×h that scrolls with the wizard's keys.
func newViewport(c *Common, w, h int) viewport.Model {
	vp := viewport.New(viewport.WithWidth(w), viewport.WithHeight(h))
	vp.KeyMap = viewportKeys(c.Keys)
	return vp
}

func viewportKeys(k KeyMap) viewport.KeyMap {
	km := viewport.DefaultKeyMap()
	km.Up, km.Down, km.PageUp, km.PageDown = k.LineUp, k.LineDown, k.PageUp, k.PageDown
	km.HalfPageUp = key.NewBinding(key.WithDisabled())
	km.HalfPageDown = key.NewBinding(key.WithDisabled())
	km.Left = key.NewBinding(key.WithDisabled())
	km.Right = key.NewBinding(key.WithDisabled())
	return km
}

// renderPage lays out a procedure page in w columns.
func renderPage(c *Common, pg flow.Page, w int) string {
	st := c.Styles
	var b strings.Builder
	if pg.Lead != "" {
		b.WriteString(st.Lead.Render(wrap(pg.Lead, w)))
		b.WriteString("\n")
	}
	if pg.MenuPath != "" {
		b.WriteString("\n")
		b.WriteString(indentWrap(st.Label.Render(c.T("ui.page.menu")+" "), pg.MenuPath, w, st.Path))
		b.WriteString("\n")
	}
	if len(pg.Actions) > 0 {
		b.WriteString("\n")
		for i, a := range pg.Actions {
			b.WriteString(indentWrap(st.Muted.Render(fmt.Sprintf("%d. ", i+1)), a, w))
			b.WriteString("\n")
		}
	}
	if len(pg.Settings) > 0 {
		b.WriteString("\n")
		b.WriteString(renderSettings(c, pg.Settings, w))
	}
	for _, n := range pg.Notes {
		b.WriteString("\n")
		b.WriteString(renderNote(c, n, w))
	}
	return strings.TrimRight(b.String(), "\n")
}

// renderSettings lays out device fields and their values as a table:
// labels in the first column, values in the second. A label too long for
// its column wraps inside it (a bracketed name stays whole); when the
// window is too narrow for two columns, each value goes under its label.
func renderSettings(c *Common, ss []flow.Setting, w int) string {
	st := c.Styles
	lw, vw := 0, 0
	for _, s := range ss {
		lw = max(lw, lipgloss.Width(s.Label))
		vw = max(vw, lipgloss.Width(s.Value))
	}
	const indent, gap = 2, 2
	room := w - indent - gap - vw // what the values leave for the labels
	stacked := room < min(lw, w/3)
	lw = min(lw, room)
	var b strings.Builder
	for _, s := range ss {
		value := st.Value.Render(s.Value)
		if stacked {
			b.WriteString(indentWrap("  ", s.Label, w, st.Label) + "\n")
			b.WriteString(indentWrap("      ", s.Value, w, st.Value) + "\n")
			if s.Note != "" {
				b.WriteString(indentWrap("      ", s.Note, w, st.Muted) + "\n")
			}
			continue
		}
		var labels []string
		if lipgloss.Width(s.Label) > lw {
			// Too wide for the column: the label gets the line (a
			// bracketed name stays whole), the value the line below.
			b.WriteString(indentWrap("  ", s.Label, w, st.Label) + "\n")
		} else {
			labels = strings.Split(wrap(s.Label, lw), "\n")
		}
		col := w - indent - lw - gap // room for the value and its note
		b.WriteString(settingColumns(c, labels, settingRight(c, s, value, col), lw))
	}
	return b.String()
}

// settingRight is a setting's value, then its note beside it or below.
func settingRight(c *Common, s flow.Setting, value string, col int) []string {
	const gap = 2
	right := []string{value}
	if s.Note == "" {
		return right
	}
	if lipgloss.Width(s.Value)+gap+lipgloss.Width(s.Note) <= col {
		right[0] += strings.Repeat(" ", gap) + c.Styles.Muted.Render(s.Note)
		return right
	}
	for _, l := range strings.Split(wrap(s.Note, col), "\n") {
		right = append(right, c.Styles.Muted.Render(l))
	}
	return right
}

// settingColumns sets the label lines and the value lines side by side,
// the values in a column lw wide after the indent.
func settingColumns(c *Common, labels, right []string, lw int) string {
	const indent, gap = 2, 2
	var b strings.Builder
	for i := range max(len(labels), len(right)) {
		l, r := "", ""
		if i < len(labels) {
			l = labels[i]
		}
		if i < len(right) {
			r = right[i]
		}
		line := strings.Repeat(" ", indent) + c.Styles.Label.Render(l)
		if l == "" {
			line = strings.Repeat(" ", indent)
		}
		if r != "" {
			line += strings.Repeat(" ", lw-lipgloss.Width(l)+gap) + r
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func renderNote(c *Common, n flow.Note, w int) string {
	st := c.Styles
	var head string
	if n.Kind == "important" {
		head = st.Important.Render(c.T("ui.note.important")) + " "
	} else {
		head = st.Tip.Render(c.T("ui.note.tip")) + " "
	}
	return indentWrap(head, n.Text, w, st.NoteText) + "\n"
}

// frame is what every screen keeps: the shared settings, its size, and
// the viewport of a screen whose content scrolls.
type frame struct {
	c    *Common
	w, h int
	vp   viewport.Model
}

func newFrame(c *Common) frame {
	return frame{c: c, w: c.Width, h: c.Height, vp: newViewport(c, c.Width, c.Height)}
}

// resize takes a new size; the screen then lays its content out again.
func (f *frame) resize(w, h int) {
	f.w, f.h = w, h
	f.vp.SetWidth(w)
	f.vp.SetHeight(h)
}

// spinTick turns a spinner one frame while on; when off, it lets the
// ticks stop.
func spinTick(sp *spinner.Model, msg spinner.TickMsg, on bool) tea.Cmd {
	if !on {
		return nil
	}
	var cmd tea.Cmd
	*sp, cmd = sp.Update(msg)
	return cmd
}
