package main

import (
	"strings"
	"testing"
)

// TestServeCtrlC: Ctrl+C in a served session ends it as on a local
// terminal: the line saying what was lost reaches the client, the exit
// status is 130, and the server logs the session as interrupted (not as
// a dropped connection).
func TestServeCtrlC(t *testing.T) {
	needSSH(t)
	s := startServe(t, "--demo")
	key := clientKey(t, s.dir, "k")
	c := s.client("dave", key, "dave", 80, 24, []string{"LANG=C.UTF-8"})
	c.waitFor("1/13", "Before you start")
	c.keys("C-c")
	c.at("after Ctrl+C")
	c.waitExit(130)
	if sc := c.tmux("capture-pane", "-p", "-J", "-t", "e2e"); !strings.Contains(sc, "mfpmail: interrupted at step 1/13") {
		t.Errorf("the client did not get the line:\n%s", frame(sc))
	}
	if log := s.errs.String(); !strings.Contains(log, "user=dave") || !strings.Contains(log, "result=interrupted") {
		t.Errorf("server log lacks the interrupted end:\n%s", log)
	}
}
