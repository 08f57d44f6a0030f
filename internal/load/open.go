package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Open opens name for reading only if it is a regular file (following
// symbolic links). The file is opened without blocking and its type is
// taken from the opened descriptor, so a named pipe, a device, a socket or
// a folder is refused at once and cannot be swapped in between a check and
// the open.
func Open(name string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		// Some kinds cannot be opened at all (a socket); say what it is
		// rather than the system's "no such device or address".
		if st, serr := os.Stat(name); serr == nil && !st.Mode().IsRegular() {
			return nil, nil, NotRegular(name, st.Mode())
		}
		return nil, nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, NotRegular(name, st.Mode())
	}
	return f, st, nil
}

// ErrNotRegular is wrapped by every error about a path that is not a
// regular file.
var ErrNotRegular = errors.New("not a regular file")

// NotRegular is the error for name, of type mode, where a regular file is
// expected.
func NotRegular(name string, mode fs.FileMode) error {
	return fmt.Errorf("%s: %s, %w; capscore reads regular files only", name, FileType(mode), ErrNotRegular)
}

// FileType says what a file of this mode is, for messages.
func FileType(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "is a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "is a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "is a socket"
	case mode&fs.ModeCharDevice != 0:
		return "is a character device"
	case mode&fs.ModeDevice != 0:
		return "is a device"
	case mode&fs.ModeSymlink != 0:
		return "is a symbolic link"
	case mode.IsRegular():
		return "is a regular file"
	}
	return "is of an unknown kind"
}
