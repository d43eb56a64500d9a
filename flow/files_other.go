//go:build !unix

package flow

import (
	"errors"
	"io/fs"
	"os"
)

var errSymlink = errors.New("symbolic link")

// openNoFollow opens path for writing, creating it 0600; without
// O_NOFOLLOW a link is looked for just before the open.
func openNoFollow(path string) (*os.File, error) {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return nil, errSymlink
	}
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
}
