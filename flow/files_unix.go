//go:build unix

package flow

import (
	"os"
	"syscall"
)

// errSymlink is what open(2) with O_NOFOLLOW says about a link.
var errSymlink = syscall.ELOOP

// openNoFollow opens path for writing without following a symbolic link
// at its last element, creating it 0600.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|syscall.O_NOFOLLOW, 0o600)
}
