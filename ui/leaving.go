package ui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"mfpmail/flow"
)

// resultsKey sums up what the checks found, to tell whether a report
// written earlier still holds the results in force.
func resultsKey(checks []flow.Check) string {
	var b strings.Builder
	for _, c := range checks {
		b.WriteString(c.ID + "\x00" + string(c.Status) + "\x00" + c.Reason + "\x00" + c.Title + "\n")
	}
	return b.String()
}

// unsavedResults reports whether something has run (the reachability
// check, the sign-in, the test send) and no report written in this run
// holds the results as they stand. The answers alone are no results.
func (c *Common) unsavedResults() bool {
	st := c.State
	if st.Reach == nil && st.SignIn == nil && st.Send == nil {
		return false
	}
	return st.Reported == "" || st.ReportedKey != resultsKey(c.Outcome().Checks())
}

// reportPathProblem says, in the wizard's words, why a report cannot be
// written to path: its folder is missing or not a folder, the name is a
// folder, or the folder does not take new files. "" = it can be tried.
// It reads the file system: call it from a command only.
func reportPathProblem(c *Common, path string) string {
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return c.T("ui.report.is_dir", "path", path)
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c.T("ui.report.no_dir", "dir", dir)
	case err == nil && !st.IsDir():
		return c.T("ui.report.not_dir", "dir", dir)
	case err != nil:
		return c.T("ui.report.cannot_write", "dir", dir, "reason", reason(err))
	}
	f, err := os.CreateTemp(dir, ".mfpmail-report-check-*")
	if err != nil {
		return c.T("ui.report.cannot_write", "dir", dir, "reason", reason(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return ""
}

// reportProblem is why writing the report to path failed, in the
// wizard's words: the folder named, what to do, never the name of the
// temporary file the report is written to first.
func reportProblem(c *Common, path string, err error) string {
	dir := filepath.Dir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c.T("ui.report.no_dir", "dir", dir)
	case errors.Is(err, fs.ErrPermission):
		return c.T("ui.report.cannot_write", "dir", dir, "reason", reason(err))
	}
	return c.T("ui.report.failed", "path", path, "reason", reason(err))
}

// reason is an error's own words without the file name it carries (the
// message names the file or folder itself).
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Interrupted is the line the command prints when the wizard was
// interrupted (Ctrl+C, SIGINT): the step it stood at and what was lost.
func (m *Model) Interrupted() string {
	if m.c == nil { // interrupted before Init
		m.build()
	}
	c := m.c
	step := m.wiz.Current().ID
	at := c.T("ui.interrupt.at", "n", itoa(m.wiz.Pos()+1), "total", itoa(m.wiz.Len()), "title", c.page(step).Title)
	var what string
	switch {
	case step == flow.StepSignIn && c.Session() == nil:
		what = c.T("ui.interrupt.signin")
	case c.unsavedResults():
		what = c.T("ui.interrupt.unsaved")
	case c.State.Reported != "":
		what = c.T("ui.interrupt.saved", "path", c.State.Reported)
	default:
		what = c.T("ui.interrupt.nothing")
	}
	return at + " " + what
}
