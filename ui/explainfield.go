package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// explainField is a field where the technician types or pastes what the
// device shows when its sign-in or scan to email failed (a reply from its
// job history, an AADSTS number); the wizard's explanation of it appears
// under the field as soon as the text can be read. A screen embeds it,
// passes it its messages while it has the focus, and records Text and
// Explanation in the run's answers.
type explainField struct {
	c     *Common
	input textinput.Model
	x     *flow.Explanation // nil: nothing readable typed yet
}

func newExplainField(c *Common) explainField {
	in := c.newInput()
	in.Placeholder = c.T("ui.explain.placeholder")
	in.CharLimit = flow.MaxDeviceShown
	in.Prompt = "› "
	return explainField{c: c, input: in}
}

// SetWidth fits the field to the screen's width (its screen's SetSize
// calls it).
func (f *explainField) SetWidth(w int) { f.input.SetWidth(max(10, w-3)) }

// Focus and Blur give and take the keyboard.
func (f *explainField) Focus() tea.Cmd { return f.input.Focus() }
func (f *explainField) Blur()          { f.input.Blur() }

// Focused reports whether the field has the keyboard.
func (f explainField) Focused() bool { return f.input.Focused() }

// SetText puts text in the field (what was recorded before) and explains it.
func (f *explainField) SetText(text string) {
	if text == f.input.Value() {
		return
	}
	f.input.SetValue(flow.CleanTyped(text))
	f.explain()
}

// explain reads the field's text anew.
func (f *explainField) explain() {
	f.x = nil
	if x, err := flow.Explain(f.input.Value(), f.c.Lang); err == nil {
		f.x = &x
	}
}

// Text is what was typed; Explanation what it means (nil if unreadable).
func (f explainField) Text() string                   { return f.input.Value() }
func (f explainField) Explanation() *flow.Explanation { return f.x }

// Update passes keys and pastes to the field and explains the text anew
// when it changed. Explaining is pure and quick: no command is needed.
func (f explainField) Update(msg tea.Msg) (explainField, tea.Cmd) {
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if v := f.input.Value(); v != before {
		// What the technician pastes is shown only cleaned and capped.
		if clean := flow.CleanTyped(v); clean != v {
			f.input.SetValue(clean)
		}
		f.explain()
	}
	return f, cmd
}

// View draws the field and, under it, the explanation in width columns.
func (f explainField) View(width int) string {
	st := f.c.Styles
	var b strings.Builder
	b.WriteString(st.Label.Render(wrap(f.c.T("ui.explain.label"), width)) + "\n")
	if v := f.input.Value(); !f.input.Focused() && v != "" {
		// Closed, the text shows whole: the field scrolls only while typed in.
		b.WriteString(indentWrap(f.input.Prompt, v, width) + "\n")
	} else {
		b.WriteString(f.input.View() + "\n")
	}
	switch {
	case f.x == nil && strings.TrimSpace(f.input.Value()) != "":
		b.WriteString(st.Muted.Render(wrap(f.c.T("ui.explain.unreadable"), width)) + "\n")
	case f.x != nil:
		title := st.Title
		if !f.x.Recognised {
			title = st.Warn
		}
		b.WriteString(title.Render(wrap(f.x.Title, width)) + "\n")
		b.WriteString(st.Text.Render(wrap(f.x.Cause, width)) + "\n")
		b.WriteString(st.Value.Render(wrap(f.c.T("ui.explain.fix")+" "+f.x.Fix, width)) + "\n")
		b.WriteString(st.Muted.Render(wrap(f.c.T("ui.explain.source")+" "+f.x.Source, width)) + "\n")
	}
	return b.String()
}
