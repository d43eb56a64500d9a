package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// The device's own prerequisites, asked on the step where the technician
// acts on them (flow.PrereqsAt): a test from this laptop cannot prove
// them, so the answers go into the report and come first in what to check
// when the device's sign-in or scan fails. Keys 1 and 2 cycle the answer
// of the step's first and second question: none, yes, no, none.

// prereqView draws the step's questions with the answers given.
func prereqView(c *Common, step flow.StepID, w int) string {
	ids := flow.PrereqsAt(step)
	if len(ids) == 0 {
		return ""
	}
	st := c.Styles
	gen := c.Opts.Config.UI
	var b strings.Builder
	b.WriteString(st.Title.Render(wrap(c.T("ui.prereq.title"), w)) + "\n")
	for i, id := range ids {
		q := c.T("device.prereq."+id+".ask", labelKV(c, gen)...)
		answer := c.State.Answers.Prereqs.Get(id)
		word := c.T("device.answer." + answerWord(answer))
		style := st.Muted
		switch answer {
		case flow.DeviceYes:
			style = st.OK
		case flow.DeviceNo:
			style = st.Warn
		}
		// The question is wrapped as plain text (brackets kept whole), the
		// answer goes on the line below it.
		b.WriteString(indentWrap(st.Key.Render(strconv.Itoa(i+1))+"  ", q, w) + "\n")
		b.WriteString("   " + style.Render(st.Sym.Arrow+" "+word) + "\n")
	}
	return b.String()
}

func answerWord(a string) string {
	if a == "" {
		return "none"
	}
	return a
}

// labelKV are the device's labels as {name} values for a text.
func labelKV(c *Common, gen flow.UIGen) []string {
	var kv []string
	for _, k := range flow.LabelKeys {
		kv = append(kv, k, flow.Label(c.Lang, gen, k))
	}
	return kv
}

// prereqKey answers a question from key 1 or 2; nil for other keys.
func prereqKey(c *Common, step flow.StepID, k tea.KeyPressMsg) tea.Cmd {
	ids := flow.PrereqsAt(step)
	if !key.Matches(k, c.Keys.Prereq) {
		return nil
	}
	i, err := strconv.Atoi(k.String())
	if err != nil || i < 1 || i > len(ids) {
		return nil
	}
	a := c.State.Answers
	next := map[string]string{"": flow.DeviceYes, flow.DeviceYes: flow.DeviceNo, flow.DeviceNo: ""}
	a.Prereqs = a.Prereqs.With(ids[i-1], next[a.Prereqs.Get(ids[i-1])])
	return func() tea.Msg { return answersMsg{a} }
}
