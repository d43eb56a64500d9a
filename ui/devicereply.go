package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// deviceReply is the field under a device question answered "no" (the
// device's sign-in, the scan to email): p opens it, the technician types
// or pastes what the device shows, and the explanation appears under it.
// Enter or esc closes it and records the text with the answer it belongs
// to (so it goes stale with that answer and reaches the report).
type deviceReply struct {
	id string // flow.CheckDeviceSignIn or flow.CheckDeviceScan
	f  explainField
}

func newDeviceReply(c *Common, id string) deviceReply {
	r := deviceReply{id: id, f: newExplainField(c)}
	r.f.SetWidth(c.Width)
	r.sync()
	return r
}

// open: the question was answered "no" and the answer holds.
func (r deviceReply) open() bool { return r.f.c.Outcome().DeviceAnswerNow(r.id) == flow.DeviceNo }

// sync shows what was recorded, unless the technician is typing.
func (r *deviceReply) sync() {
	if r.f.Focused() {
		return
	}
	text := ""
	if s := r.f.c.Outcome().DeviceShownNow(r.id, r.f.c.Lang); s != nil {
		text = s.Text
	}
	r.f.SetText(text)
}

// Typing: the field has the keyboard.
func (r deviceReply) Typing() bool { return r.f.Focused() }

// update takes msg when it is the field's; handled is false otherwise.
func (r *deviceReply) update(msg tea.Msg) (handled bool, cmd tea.Cmd) {
	keys := r.f.c.Keys
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case !r.f.Focused():
		if isKey && key.Matches(k, keys.Paste) && r.open() {
			return true, r.f.Focus()
		}
		return false, nil
	case isKey && key.Matches(k, keys.FieldDone):
		r.f.Blur()
		id, text := r.id, r.f.Text()
		return true, func() tea.Msg { return deviceShownMsg{id, text} }
	}
	r.f, cmd = r.f.Update(msg)
	return true, cmd
}

// route takes msg when it belongs to the field: pgup/pgdn while typing
// page vp around the field; every other key of the field goes to it, and
// then the screen is drawn anew by redraw, which returns the line where
// the field starts. When the field opened or closed, vp shows that line,
// so the field and its explanation are in view. handled is false when msg
// is not the field's.
func (r *deviceReply) route(msg tea.Msg, vp *viewport.Model, redraw func() (at int)) (handled bool, cmd tea.Cmd) {
	if r.scrolls(msg) {
		*vp, cmd = vp.Update(msg)
		return true, cmd
	}
	wasClosed := !r.Typing()
	if handled, cmd = r.update(msg); !handled {
		return false, nil
	}
	at := redraw()
	if wasClosed == r.Typing() { // opened or closed
		vp.SetYOffset(at)
	}
	return true, cmd
}

// scrolls: while typing, pgup/pgdn page the screen around the field
// (the field takes every other key).
func (r deviceReply) scrolls(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && r.f.Focused() && key.Matches(k, r.f.c.Keys.FieldScroll)
}

// keys are the keys to list: closing while typing (and paging the screen
// when it holds more than it shows), p while the field can open.
func (r deviceReply) keys(vp viewport.Model) []key.Binding {
	switch {
	case r.f.Focused() && vp.TotalLineCount() > vp.Height():
		return []key.Binding{r.f.c.Keys.FieldDone, r.f.c.Keys.FieldScroll}
	case r.f.Focused():
		return []key.Binding{r.f.c.Keys.FieldDone}
	case r.open():
		return []key.Binding{r.f.c.Keys.Paste}
	}
	return nil
}

// view is the field with its explanation, or the line saying that p
// opens it; "" while the question is not answered "no".
func (r deviceReply) view(w int) string {
	if !r.open() {
		return ""
	}
	if !r.f.Focused() && r.f.Text() == "" {
		return r.f.c.Styles.Muted.Render(wrap(r.f.c.T("ui.devicereply.hint"), w)) + "\n"
	}
	r.f.SetWidth(w)
	return r.f.View(w)
}
