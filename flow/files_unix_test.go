//go:build unix

package flow_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"mfpmail/flow"
)

// A FIFO at the log's path would block the program on open: refused.
func TestOpenLogRefusesFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := flow.OpenLog(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("FIFO: %v", err)
	}
}
