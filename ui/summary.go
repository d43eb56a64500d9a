package ui

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"mfpmail/flow"
)

// summaryScreen lists every check — pass, warn, fail, skipped, with the
// fix — and then the values the device must hold.
type summaryScreen struct {
	frame
	path    textinput.Model // the report's file name, while asking
	confirm bool            // asking whether to overwrite
	askQuit bool            // asking whether to quit with the results unsaved
	note    string
	noteErr bool
	// reply is the field for what the device shows after the scan's "no";
	// scanAt the line of the scan question.
	reply  deviceReply
	scanAt int
}

type reportMsg struct {
	path string
	err  error
}

func (reportMsg) owner() flow.StepID { return flow.StepSummary }

// reportExistsMsg: whether the chosen report file is already there, or
// why it cannot be written there (problem, in the wizard's words).
type reportExistsMsg struct {
	path    string
	exists  bool
	problem string
}

func (reportExistsMsg) owner() flow.StepID { return flow.StepSummary }

func newSummary(c *Common) *summaryScreen {
	s := &summaryScreen{frame: newFrame(c), reply: newDeviceReply(c, flow.CheckDeviceScan)}
	s.path = c.newInput()
	// The label goes on its own line above the name (foot), so that the
	// suggested name shows whole in every language.
	s.path.Prompt = ""
	s.path.CharLimit = 1024
	s.path.SetWidth(max(10, s.w-2))
	s.refresh()
	return s
}

func (s *summaryScreen) Init() tea.Cmd { return nil }

func (s *summaryScreen) SetSize(w, h int) {
	s.resize(w, h)
	s.path.SetWidth(max(10, w-2))
	s.refresh()
}

func (s *summaryScreen) refresh() {
	st := s.c.Styles
	checks := s.c.Outcome().Checks()
	counts := map[flow.Status]int{}
	for _, c := range checks {
		counts[c.Status]++
	}
	var b strings.Builder
	head := s.c.T("ui.summary.counts", "pass", itoa(counts[flow.Pass]), "warn", itoa(counts[flow.Warn]),
		"fail", itoa(counts[flow.Fail]), "skip", itoa(counts[flow.Skip]))
	// The headline in the same words as `check` and the reports.
	style := st.Warn
	switch flow.Headline(checks) {
	case flow.VerdictFailed:
		style = st.Fail
	case flow.VerdictReady:
		style = st.OK
	}
	b.WriteString(style.Render(wrap(flow.HeadlineText(s.c.Lang, s.c.Opts.Config.Account, checks), s.w)) + "\n")
	b.WriteString(st.Muted.Render(head) + "\n\n")
	s.scanAt = strings.Count(b.String(), "\n")
	s.reply.sync()
	b.WriteString(s.scanQuestion() + "\n")
	for _, c := range checks {
		b.WriteString(renderCheck(s.c, c, s.w, true))
	}
	cfg := s.c.Opts.Config
	pg := s.c.page(flow.StepSummary)
	settings := append([]flow.Setting(nil), pg.Settings...)
	if sess := s.c.Session(); sess != nil {
		// The page names the field; the run knows the value.
		devLabel := flow.Label(s.c.Lang, cfg.UI, "device_email")
		for i := range settings {
			if settings[i].Label == devLabel {
				settings[i].Value = sess.Identity.UPN
			}
		}
	}
	if len(settings) > 0 {
		b.WriteString("\n" + st.Title.Render(s.c.T("ui.summary.values")) + "\n")
		b.WriteString(renderSettings(s.c, settings, s.w))
	}
	// The procedure's last step, one scan to email from the device, once
	// the device can send: not while a check still fails, nor once the
	// scan was tried (arrived or not).
	a := s.c.Outcome().DeviceAnswerNow(flow.CheckDeviceScan)
	scanned := a == flow.DeviceYes || a == flow.DeviceNo
	if v := flow.Headline(checks); v != flow.VerdictFailed && v != flow.VerdictIncomplete && !scanned {
		for _, n := range pg.Notes {
			b.WriteString("\n" + renderNote(s.c, n, s.w))
		}
	}
	b.WriteString("\n" + s.handoverView())
	if s.c.Opts.ReportText {
		rep := flow.NewReport(s.c.Outcome(), s.c.ReportMeta())
		b.WriteString("\n" + st.Title.Render(s.c.T("serve.report.title")) + "\n\n")
		b.WriteString(wrap(string(rep.Markdown()), s.w))
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
	s.fitFoot()
}

// fitFoot leaves room below the list for the line about the report.
func (s *summaryScreen) fitFoot() {
	s.vp.SetHeight(s.h)
	if foot := s.foot(); foot != "" {
		s.vp.SetHeight(max(1, s.h-lipglossHeight(foot)-1))
	}
}

// Typing: the report's file name is being entered or confirmed, or the
// quit is being confirmed.
func (s *summaryScreen) Typing() bool {
	return s.path.Focused() || s.confirm || s.askQuit || s.reply.Typing()
}

// holdQuit is asked by the root when q is pressed here: with results not
// written to a report, the summary asks first (true: the question is up).
func (s *summaryScreen) holdQuit() bool {
	if s.askQuit || !s.c.unsavedResults() {
		return false
	}
	s.askQuit, s.note = true, ""
	s.fitFoot()
	return true
}

// Update handles msg, then makes room for the report's line (View draws).
func (s *summaryScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	defer s.fitFoot()
	return s.update(msg)
}

func (s *summaryScreen) update(msg tea.Msg) (Screen, tea.Cmd) {
	if !s.path.Focused() && !s.confirm && !s.askQuit {
		if handled, cmd := s.reply.route(msg, &s.vp, func() int { s.refresh(); return s.scanAt }); handled {
			return s, cmd
		}
	}
	switch msg := msg.(type) {
	case reportExistsMsg:
		switch {
		case msg.problem != "":
			// The prompt stays open with the name as typed, to be corrected.
			s.note, s.noteErr = msg.problem, true
			return s, s.path.Focus()
		case msg.exists:
			s.path.Blur()
			s.confirm = true
			return s, nil
		}
		s.path.Blur()
		return s, s.write(msg.path)
	case copiedMsg:
		if msg.err != nil {
			s.note, s.noteErr = s.c.T("ui.signin.copy_failed"), true
		} else {
			s.note, s.noteErr = s.c.T("ui.cmd.copied"), false
		}
		return s, nil
	case deviceAnswerMsg, deviceShownMsg: // recorded by the root: draw the new verdict
		s.refresh()
		return s, nil
	case reportMsg:
		if msg.err != nil {
			s.note, s.noteErr = reportProblem(s.c, msg.path, msg.err), true
			if !s.c.Opts.ReportFixed { // the name again, to be corrected
				return s, s.path.Focus()
			}
		} else {
			s.note, s.noteErr = s.c.T("ui.report.written", "path", msg.path), false
		}
		return s, nil
	case tea.KeyPressMsg:
		switch {
		case s.askQuit:
			return s, s.answerQuit(msg)
		case s.confirm:
			return s, s.answerOverwrite(msg)
		case s.path.Focused():
			return s, s.keyPath(msg)
		case key.Matches(msg, s.c.Keys.Report) && s.c.Opts.ReportFixed:
			s.note = ""
			return s, s.write(s.c.Opts.ReportPath(time.Now()))
		case key.Matches(msg, s.c.Keys.Report):
			return s, s.askPath()
		case key.Matches(msg, s.c.Keys.Back):
			return s, backCmd
		case s.scanKey(msg) != nil:
			return s, s.scanKey(msg)
		case key.Matches(msg, s.c.Keys.Copy) && s.fixCommands() != "" && s.c.canCopy():
			return s, s.c.copyCmd(s.fixCommands())
		}
	}
	var cmd tea.Cmd
	s.vp, cmd = s.vp.Update(msg)
	return s, cmd
}

// askPath opens the prompt for the report's file name, with a name
// suggested (r).
func (s *summaryScreen) askPath() tea.Cmd {
	if s.c.Opts.ReportFixed {
		return s.write(s.c.Opts.ReportPath(time.Now()))
	}
	s.note = ""
	s.path.SetValue(s.c.Opts.ReportPath(time.Now()))
	s.path.CursorEnd()
	return s.path.Focus()
}

// answerQuit takes y (quit without a report), n or esc (stay) and r
// (write the report first).
func (s *summaryScreen) answerQuit(k tea.KeyMsg) tea.Cmd {
	keys := s.c.Keys
	switch {
	case key.Matches(k, keys.QuitYes):
		s.askQuit = false
		return func() tea.Msg { return quitMsg{} }
	case key.Matches(k, keys.Stay):
		s.askQuit = false
	case key.Matches(k, keys.Report):
		s.askQuit = false
		return s.askPath()
	}
	return nil
}

// keyPath takes the keys while the report's file name is typed.
func (s *summaryScreen) keyPath(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, s.c.Keys.Save):
		p := strings.TrimSpace(s.path.Value())
		if _, err := flow.ReportFormat(p); err != nil {
			s.note, s.noteErr = s.c.T("ui.report.bad_ext", "path", p), true
			return nil
		}
		s.note = ""
		// Whether the file exists, and whether its folder takes it, is
		// asked in a command: no I/O in Update.
		c := s.c
		return func() tea.Msg {
			if problem := reportPathProblem(c, p); problem != "" {
				return reportExistsMsg{path: p, problem: problem}
			}
			_, err := os.Stat(p)
			return reportExistsMsg{path: p, exists: err == nil}
		}
	case key.Matches(msg, s.c.Keys.Cancel):
		s.path.Blur()
		s.note = ""
		return nil
	}
	var cmd tea.Cmd
	s.path, cmd = s.path.Update(msg)
	return cmd
}

// answerOverwrite takes y (write over the file) or n (keep it).
func (s *summaryScreen) answerOverwrite(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, s.c.Keys.Overwrite):
		s.confirm = false
		return s.write(s.path.Value())
	case key.Matches(k, s.c.Keys.Keep):
		s.confirm = false
		s.note, s.noteErr = s.c.T("ui.report.kept"), false
	}
	return nil
}

// write saves the report in a command: file I/O stays out of Update.
func (s *summaryScreen) write(path string) tea.Cmd {
	rep := flow.NewReport(s.c.Outcome(), s.c.ReportMeta())
	return func() tea.Msg {
		// The note names the file by its absolute path: the customer's
		// copy has to be found again.
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return reportMsg{path: path, err: flow.WriteReport(path, rep)}
	}
}

func (s *summaryScreen) View() string {
	if foot := s.foot(); foot != "" {
		return s.vp.View() + "\n\n" + foot
	}
	return s.vp.View()
}

// foot is the line about the report below the list: the question, the
// file name being typed, or what became of it.
func (s *summaryScreen) foot() string {
	st := s.c.Styles
	var foot string
	switch {
	case s.askQuit:
		foot = st.Warn.Render(wrap(s.c.T("ui.quit.unsaved"), s.w))
	case s.confirm:
		foot = st.Warn.Render(wrap(s.c.T("ui.report.overwrite", "path", s.path.Value()), s.w))
	case s.path.Focused():
		foot = st.Label.Render(wrap(s.c.T("ui.report.prompt"), s.w)) + "\n" + inputView(s.path)
		if s.note != "" { // why the name was not taken
			foot += "\n" + st.Error.Render(wrap(s.note, s.w))
		}
	case s.note != "" && s.noteErr:
		foot = st.Error.Render(wrap(s.note, s.w))
	case s.note != "":
		foot = st.OK.Render(wrap(s.note, s.w))
	}
	return foot
}

func (s *summaryScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	if s.path.Focused() {
		return []key.Binding{k.Save, k.Cancel}
	}
	if s.confirm {
		return []key.Binding{k.Overwrite, k.Keep}
	}
	if s.askQuit {
		return []key.Binding{k.QuitYes, k.Stay, k.Report}
	}
	if s.reply.Typing() {
		return s.reply.keys(s.vp)
	}
	// The question on screen names y, n, t too; after a "no", p (what the
	// device shows) comes before them.
	ks := append([]key.Binding{k.Report}, s.reply.keys(s.vp)...)
	ks = append(ks, k.ScanYes, k.ScanNo, k.ScanNotTried)
	if s.fixCommands() != "" && s.c.canCopy() {
		ks = append(ks, k.Copy)
	}
	return append(ks, append(scrollKey(s.c, s.vp), k.Back)...)
}

// fixCommands are the commands in the fixes of the checks that did not
// pass, one a line, for the clipboard; "" when there are none.
func (s *summaryScreen) fixCommands() string {
	var out []string
	for _, c := range s.c.Outcome().Checks() {
		if c.Status == flow.Warn || c.Status == flow.Fail {
			out = append(out, commands(c.Fix)...)
		}
	}
	return strings.Join(out, "\n")
}

func (s *summaryScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
