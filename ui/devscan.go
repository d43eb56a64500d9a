package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// The question the procedure ends on, asked on the summary: did the
// device's own scan to email arrive? Its answer is the device-scan check,
// so it decides whether the headline may say "ready".

// scanQuestion draws the question, its keys and the answer given.
func (s *summaryScreen) scanQuestion() string {
	st := s.c.Styles
	answer := s.c.Outcome().DeviceAnswerNow(flow.CheckDeviceScan)
	// While another check has failed the device cannot send yet: the scan
	// comes once that is fixed, and the question says so rather than
	// calling itself the last step.
	ask := "ui.scan.ask"
	for _, c := range s.c.Outcome().Checks() {
		if c.ID != flow.CheckDeviceScan && c.Status == flow.Fail {
			ask = "ui.scan.ask.after-fix"
			break
		}
	}
	var b strings.Builder
	b.WriteString(st.Title.Render(wrap(s.c.T(ask), s.w)) + "\n")
	opt := func(k key.Binding, value string) string {
		text := k.Help().Key + "  " + s.c.T("ui.scan.opt."+value)
		if answer == value {
			return st.Value.Render(text)
		}
		return st.Text.Render(text)
	}
	k := s.c.Keys
	b.WriteString("    " + opt(k.ScanYes, flow.DeviceYes) + "     " + opt(k.ScanNo, flow.DeviceNo) + "     " +
		opt(k.ScanNotTried, flow.DeviceNotTried) + "\n")
	switch answer {
	case flow.DeviceYes:
		b.WriteString(st.OK.Render(wrap(st.Sym.OK+" "+s.c.T("ui.scan.answer.yes"), s.w)) + "\n")
	case flow.DeviceNo:
		b.WriteString(st.Fail.Render(wrap(st.Sym.Fail+" "+s.c.T("ui.scan.answer.no"), s.w)) + "\n")
		b.WriteString(s.reply.view(s.w))
	case flow.DeviceNotTried:
		b.WriteString(st.Warn.Render(wrap(st.Sym.Warn+" "+s.c.T("ui.scan.answer.not-tried"), s.w)) + "\n")
	}
	return b.String()
}

// scanKey answers the question from a key; nil when the key is not one
// of its answers.
func (s *summaryScreen) scanKey(k tea.KeyPressMsg) tea.Cmd {
	answer := ""
	switch {
	case key.Matches(k, s.c.Keys.ScanYes):
		answer = flow.DeviceYes
	case key.Matches(k, s.c.Keys.ScanNo):
		answer = flow.DeviceNo
	case key.Matches(k, s.c.Keys.ScanNotTried):
		answer = flow.DeviceNotTried
	default:
		return nil
	}
	return func() tea.Msg { return deviceAnswerMsg{flow.CheckDeviceScan, answer} }
}

// handoverView is the section for the customer's administrator, the same
// as in the reports: what ends the device's sign-in and what to do then.
func (s *summaryScreen) handoverView() string {
	st := s.c.Styles
	cfg := s.c.Opts.Config
	upn := ""
	if sess := s.c.Session(); sess != nil {
		upn = sess.Identity.UPN
	}
	h := flow.HandoverFor(s.c.Lang, cfg.UI, cfg.Account, upn)
	ends, again, confirm, date := flow.HandoverHeadings(s.c.Lang)
	var b strings.Builder
	b.WriteString(st.Title.Render(wrap(h.Title, s.w)) + "\n" + wrap(h.Lead, s.w) + "\n")
	list := func(head string, items ...string) {
		if len(items) == 0 || items[0] == "" {
			return
		}
		b.WriteString("\n" + st.Label.Render(wrap(head, s.w)) + "\n")
		for _, it := range items {
			b.WriteString(indentWrap(st.Muted.Render(st.Sym.Bullet+" "), it, s.w) + "\n")
		}
	}
	list(ends, h.Ends...)
	list(again, h.SignInAgain...)
	list(confirm, h.ConfirmOAuth)
	list(date, h.Deadline)
	return b.String()
}
