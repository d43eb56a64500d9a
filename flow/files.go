package flow

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// OpenLog opens the support log for writing, from the start. A symbolic
// link at the path is refused (it could point the log at another file),
// so is anything but a regular file, and the file is made 0600 whatever
// it was before: the log names the account, the tenant and the hosts.
// Errors are one line naming the flag and the path.
func OpenLog(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--log %q: the directory %s does not exist", path, dir)
	}
	if st, err := os.Lstat(path); err == nil {
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("--log %q: is a symbolic link; give the path of a regular file", path)
		case !st.Mode().IsRegular():
			return nil, fmt.Errorf("--log %q: is not a regular file; give the path of a file", path)
		}
	}
	f, err := openNoFollow(path)
	if err != nil {
		if isSymlinkErr(err) {
			return nil, fmt.Errorf("--log %q: is a symbolic link; give the path of a regular file", path)
		}
		return nil, fmt.Errorf("--log %q: %v", path, unwrapPathErr(err))
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("--log %q: is not a regular file; give the path of a file", path)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("--log %q: cannot make it private (0600): %v", path, unwrapPathErr(err))
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("--log %q: %v", path, unwrapPathErr(err))
	}
	return f, nil
}

// isSymlinkErr: the open failed because the last element is a link.
func isSymlinkErr(err error) bool {
	return errors.Is(err, errSymlink)
}
