package sshserve

import (
	"context"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"
)

// A client that asks to forward its agent is told no; the session itself
// still opens and a pty may still be asked for.
func TestAgentForwardingRefused(t *testing.T) {
	srv, err := New(Options{Listen: "127.0.0.1:0", HostKey: filepath.Join(t.TempDir(), "hk"),
		Program: func(Session) (tea.Model, func(), error) { return nil, func() {}, nil },
		Text:    func([]string, string, ...string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	c, err := gossh.Dial("tcp", srv.Addr(), &gossh.ClientConfig{User: "trainee",
		HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ok, err := s.SendRequest(agentRequest, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Error("agent forwarding was accepted")
	}
	// Other requests still reach the session handler.
	if err := s.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Errorf("pty after the refused agent request: %v", err)
	}
}
