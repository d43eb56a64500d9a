package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"mfpmail/assets"
	"mfpmail/flow"
)

// keySep is the space between two keys of the key line.
const keySep = "  "

// listed is the bindings of ks that are shown: enabled, with a help text.
func listed(ks []key.Binding) []key.Binding {
	var out []key.Binding
	for _, k := range ks {
		if k.Enabled() && k.Help().Key != "" {
			out = append(out, k)
		}
	}
	return out
}

func keyItem(c *Common, k key.Binding) string {
	st := c.Styles
	return st.Key.Render(k.Help().Key) + " " + st.Muted.Render(k.Help().Desc)
}

// keyLine is the footer: the screen's keys (most important first) as far
// as they fit in w columns, and then always the keys of fixed, which are
// never cut (? help, q quit). A flash message, if any, takes the place of
// the screen's keys until the next key, cut to the room left.
func keyLine(c *Common, ks, fixed []key.Binding, w int, flash string) string {
	var tail []string
	for _, k := range listed(fixed) {
		tail = append(tail, keyItem(c, k))
	}
	if flash != "" {
		return strings.Join(append([]string{truncate(flash, flashRoom(c, fixed, w))}, tail...), keySep)
	}
	var items []string
	var keep []bool // scroll keys: the last to give way
	for _, k := range listed(ks) {
		items = append(items, keyItem(c, k))
		keep = append(keep, isScrollKey(c, k))
	}
	width := func(parts []string) int {
		if len(parts) == 0 {
			return 0
		}
		n := lipgloss.Width(keySep) * (len(parts) - 1)
		for _, p := range parts {
			n += lipgloss.Width(p)
		}
		return n
	}
	// Too long: the screen's keys give way from the end, but a scroll key
	// stays while another can go (the first, most important key aside),
	// so that a page holding more than it shows says how to see the rest.
	for len(items) > 0 && width(append(append([]string{}, items...), tail...)) > w {
		i := giveWay(keep)
		items = append(items[:i], items[i+1:]...)
		keep = append(keep[:i], keep[i+1:]...)
	}
	// Narrower than the fixed keys themselves: the last of them (quit)
	// is the one kept whole.
	for len(tail) > 1 && width(tail) > w {
		tail = tail[1:]
	}
	return strings.Join(append(items, tail...), keySep)
}

// flashRoom is the width a flash message has in the key line: w less the
// fixed keys.
func flashRoom(c *Common, fixed []key.Binding, w int) int {
	var tail []string
	for _, k := range listed(fixed) {
		tail = append(tail, keyItem(c, k))
	}
	return w - lipgloss.Width(strings.Join(tail, keySep)) - lipgloss.Width(keySep)
}

// placeFlash places a flash message: in the key line (flash) when it fits
// beside the fixed keys; else whole, wrapped to w, on lines of its own
// above the key line (notice), so that no word of it (a fix to type) is
// cut. Both are "" without a message.
func placeFlash(c *Common, fixed []key.Binding, w int, msg string) (flash, notice string) {
	switch {
	case msg == "":
		return "", ""
	case lipgloss.Width(msg) <= flashRoom(c, fixed, w):
		return c.Styles.Warn.Render(msg), ""
	}
	return "", c.Styles.Warn.Render(wrap(msg, w))
}

// giveWay is the key of the key line to drop next: the last one that is
// neither the first nor a scroll key, else the last scroll key, else the
// first.
func giveWay(keep []bool) int {
	for i := len(keep) - 1; i > 0; i-- {
		if !keep[i] {
			return i
		}
	}
	return len(keep) - 1
}

// isScrollKey reports whether k is one of the keys that show the rest of
// a page (scroll, more).
func isScrollKey(c *Common, k key.Binding) bool {
	h := k.Help()
	for _, s := range []key.Binding{c.Keys.Scroll, c.Keys.More} {
		if h == s.Help() {
			return true
		}
	}
	return false
}

// helpView is the ? help of a step: what the step is for, then every key
// that works on the screen now, one a line. It takes the body's place, so
// the header stays where it is. Keys that do not fit in h lines go into a
// second column when the width allows.
func helpView(c *Common, id flow.StepID, ks []key.Binding, w, h int) string {
	st := c.Styles
	var b strings.Builder
	if p := "ui.help.purpose." + string(id); assets.Has(c.Lang, p) {
		b.WriteString(wrap(c.T(p), w) + "\n\n")
	}
	if c.page(id).Rendered {
		// Device labels no vendor procedure gives in this language and
		// web UI: say that they are the wizard's own wording.
		b.WriteString(st.Muted.Render(wrap(c.T("ui.help.rendered"), w)) + "\n\n")
	}
	b.WriteString(st.Title.Render(c.T("ui.help.keys")) + "\n")
	head := strings.TrimRight(b.String(), "\n")

	keys := listed(ks)
	kw := 0
	for _, k := range keys {
		kw = max(kw, lipgloss.Width(k.Help().Key))
	}
	rows := make([]string, len(keys))
	for i, k := range keys {
		kk := k.Help().Key
		rows[i] = "  " + st.Key.Render(kk) + strings.Repeat(" ", kw-lipgloss.Width(kk)+2) + st.Muted.Render(k.Help().Desc)
	}
	room := h - lipgloss.Height(head)
	colW := 0
	for _, r := range rows {
		colW = max(colW, lipgloss.Width(r))
	}
	if len(rows) > room && room > 0 && 2*colW+2 <= w {
		half := (len(rows) + 1) / 2
		left := strings.Join(rows[:half], "\n")
		right := strings.Join(rows[half:], "\n")
		return head + "\n" + lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(colW+2).Render(left), right)
	}
	for i := range rows {
		rows[i] = truncate(rows[i], w)
	}
	return head + "\n" + strings.Join(rows, "\n")
}

// flatten joins the groups of a FullHelp.
func flatten(groups [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
