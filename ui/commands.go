package ui

import (
	"regexp"
	"strings"

	"charm.land/lipgloss/v2"
)

// A fix text gives each command (Exchange Online PowerShell) on a line of
// its own, indented: "  Set-CASMailbox -Identity … $false". Such a line is
// never wrapped like prose. It is drawn indented under the text; when it
// is wider than the window it is broken only between parameters, with
// PowerShell's line continuation (a backtick), so that what is on the
// screen can still be typed or pasted as it stands. c copies the commands
// whole, on one line each.
var commandLine = regexp.MustCompile(`^\s{2,}([A-Z][a-z]+-[A-Za-z]+)(\s|$)`)

// commands are the command lines of a text, trimmed, in order.
func commands(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if commandLine.MatchString(l) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// commandIndent is how far a command is indented under its text.
const commandIndent = 4

// renderCommand lays out one command in w columns: on one line if it
// fits, else broken before a parameter (" -Name") or a pipe, each broken line ending
// in " `" and the next one indented two more.
func renderCommand(cmd string, w int, style lipgloss.Style) string {
	pad := strings.Repeat(" ", commandIndent)
	if commandIndent+lipgloss.Width(cmd) <= w {
		return pad + style.Render(cmd)
	}
	var parts []string // the cmdlet, then each parameter with its value, each pipe
	for _, f := range strings.Fields(cmd) {
		if len(parts) == 0 || strings.HasPrefix(f, "-") || f == "|" {
			parts = append(parts, f)
		} else {
			parts[len(parts)-1] += " " + f
		}
	}
	var lines []string
	cur := ""
	for _, p := range parts {
		indent := commandIndent
		if len(lines) > 0 {
			indent += 2
		}
		if cur != "" && indent+lipgloss.Width(cur+" "+p+" `") > w {
			lines = append(lines, cur)
			cur = p
			continue
		}
		if cur == "" {
			cur = p
		} else {
			cur += " " + p
		}
	}
	lines = append(lines, cur)
	for i, l := range lines {
		if i < len(lines)-1 {
			l += " `"
		}
		ind := pad
		if i > 0 {
			ind += "  "
		}
		lines[i] = ind + style.Render(l)
	}
	return strings.Join(lines, "\n")
}

// renderFix draws a fix text after prefix ("Fix: ") with a hanging indent:
// prose wraps, commands keep their own lines (renderCommand).
func renderFix(c *Common, prefix, text string, w int) string {
	pw := lipgloss.Width(prefix)
	pad := strings.Repeat(" ", pw)
	var out []string
	for i, para := range strings.Split(text, "\n") {
		head := pad
		if i == 0 {
			head = prefix
		}
		switch {
		case commandLine.MatchString(para):
			cmd := renderCommand(strings.TrimSpace(para), w-pw, c.Styles.Value)
			out = append(out, pad+strings.ReplaceAll(cmd, "\n", "\n"+pad))
		case para == "":
			out = append(out, "")
		default:
			out = append(out, indentWrap(head, para, w))
		}
	}
	return strings.Join(out, "\n")
}
