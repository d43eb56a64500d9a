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

// maxFileName is the longest file name most file systems take.
const maxFileName = 255

// CheckReportPath says, before any work is done, whether a report can be
// written there: a known extension, a name that is not a directory or
// another special file, and an existing, writable directory.
func CheckReportPath(path string) error {
	if _, err := ReportFormat(path); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("--report %q: is a directory; give a file name ending in .md or .json", path)
	} else if err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("--report %q: is not a regular file; give a file name ending in .md or .json", path)
	}
	if base := filepath.Base(path); len(base) > maxFileName {
		return fmt.Errorf("--report: the file name is %d bytes long; give at most %d", len(base), maxFileName)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("--report %q: the directory %s does not exist", path, dir)
	}
	f, err := os.CreateTemp(dir, ".mfpmail-check-*")
	if err != nil {
		return fmt.Errorf("--report %q: cannot write in %s", path, dir)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// isSymlinkErr: the open failed because the last element is a link.
func isSymlinkErr(err error) bool {
	return errors.Is(err, errSymlink)
}
