package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"

	"github.com/capscore/capscore/internal/load"
)

// withOutput runs write against standard output, or against a temporary
// file beside --output that is renamed over it only when write succeeds, so
// a failed or interrupted command never leaves a partial file.
//
// --output writes regular files only: an existing target of any other kind
// (a device, a named pipe, a folder) is refused before anything is made. A
// symbolic link is followed to the file it names, which is replaced and
// the link kept. An existing file keeps its permissions (and its owner,
// where the system allows it); a new one gets 0644 less the umask.
//
// A target that is one of the files the command read (see
// pendingOutput.read) is refused at the rename, when every input has been
// read (score streams its inputs while it writes), and left unchanged.
func (a *app) withOutput(write func(w io.Writer) error) error {
	target := a.globals.output
	if target == "" || target == "-" {
		return write(a.io.Out)
	}
	label := a.outputLabel()
	final, st, err := resolveOutput(label, target)
	if err != nil {
		return err
	}
	perm := fs.FileMode(0o644) // less the umask, applied on creation
	if st != nil {
		perm = 0o600 // until the old permissions are copied
	}
	dir := filepath.Dir(final)
	tmp, err := a.outputs.create(dir, filepath.Base(final), perm)
	if errors.Is(err, errInterrupted) {
		return err
	} else if err != nil {
		return fmt.Errorf("%s: cannot create a file in %s: %w", label, dir, unwrapPath(err))
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		a.outputs.untrack(tmp.Name())
	}()
	fail := func(err error) error {
		return fmt.Errorf("%s: %w; the file is unchanged", label, unwrapPath(err))
	}
	file := &latch{w: tmp}
	buf := bufio.NewWriter(file)
	if err := write(buf); err != nil {
		if ferr := file.failed(); ferr != nil {
			return fail(ferr)
		}
		return err
	}
	if err := buf.Flush(); err != nil {
		return fail(err)
	}
	if st != nil {
		keepOwner(tmp, st)
		if err := tmp.Chmod(st.Mode().Perm()); err != nil {
			return fail(err)
		}
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	// The target may have been replaced while the output was made.
	if now, err := os.Lstat(final); err == nil && !now.Mode().IsRegular() {
		return notRegularOutput(label, target, final, now.Mode())
	}
	if in := a.outputs.inputAt(final); in != "" {
		return fmt.Errorf("%s is an input of this command (%s); choose another file", label, in)
	}
	if err := a.context().Err(); err != nil {
		return err
	}
	if err := a.outputs.commit(func() error { return os.Rename(tmp.Name(), final) }); err != nil {
		return fail(err)
	}
	done = true
	return nil
}

// outputLabel names the output setting in errors as it was given:
// "--output FILE" for the flag, "CAPSCORE_OUTPUT FILE" for the variable.
func (a *app) outputLabel() string {
	if src := a.globals.origin["output"]; src.env != "" {
		return src.env + " " + a.globals.output
	}
	return "--output " + a.globals.output
}

// resolveOutput follows target through any symbolic links to the path that
// is to be written, and returns that path's current state (nil when it does
// not exist yet). Anything there but a regular file is refused. label
// names the setting in errors (see outputLabel).
func resolveOutput(label, target string) (string, fs.FileInfo, error) {
	p := target
	for hops := 0; ; hops++ {
		st, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil, nil
		}
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", label, unwrapPath(err))
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			if !st.Mode().IsRegular() {
				return "", nil, notRegularOutput(label, target, p, st.Mode())
			}
			return p, st, nil
		}
		if hops == 40 {
			return "", nil, fmt.Errorf("%s: too many levels of symbolic links", label)
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", label, unwrapPath(err))
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
}

func notRegularOutput(label, target, final string, mode fs.FileMode) error {
	what := load.FileType(mode)
	if final != target {
		what = "links to " + final + ", which " + what
	}
	return fmt.Errorf("%s: %s, not a regular file; nothing was written. Choose a regular file, or omit -o to write to standard output", label, what)
}

// createTemp creates a new file beside the target, named after it, with
// permissions perm less the umask.
func createTemp(dir, base string, perm fs.FileMode) (*os.File, error) {
	for i := 0; ; i++ {
		name := filepath.Join(dir, fmt.Sprintf(".%s.tmp-%08x", base, rand.Uint32()))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		return f, err
	}
}

// unwrapPath drops the *PathError or *LinkError wrapper, whose path (a
// temporary file's) the caller replaces with the one the user gave.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// pendingOutput (nil: not tracked) lets Main give up on a command that does not stop when
// interrupted without its --output file appearing later: once abandoned,
// the temporary file is removed and no rename happens.
type pendingOutput struct {
	mu        sync.Mutex
	tmps      map[string]bool // temporary files not yet renamed
	abandoned bool
	committed bool
	// inputs are the files on disk the command has read.
	inputs []string
}

// read records files the command reads, so that --output never replaces
// one of them; bundled names and standard input are not files and are
// skipped.
func (p *pendingOutput) read(names ...string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range names {
		if n != "" && n != "-" && !load.IsBundled(n) {
			p.inputs = append(p.inputs, n)
		}
	}
}

// inputAt returns the recorded input that is the same file as target
// (through links, however named), or "" when none is.
func (p *pendingOutput) inputAt(target string) string {
	if p == nil {
		return ""
	}
	ts, err := os.Stat(target)
	if err != nil {
		return "" // not there yet: nothing read from it
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.inputs {
		if st, err := os.Stat(n); err == nil && os.SameFile(ts, st) {
			return n
		}
	}
	return ""
}

// create makes the temporary file (see createTemp) and records it, unless
// the output was abandoned.
func (p *pendingOutput) create(dir, base string, perm fs.FileMode) (*os.File, error) {
	if p == nil {
		return createTemp(dir, base, perm)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.abandoned {
		return nil, errInterrupted
	}
	f, err := createTemp(dir, base, perm)
	if err == nil {
		if p.tmps == nil {
			p.tmps = map[string]bool{}
		}
		p.tmps[f.Name()] = true
	}
	return f, err
}

// untrack forgets the temporary file tmp, renamed or removed.
func (p *pendingOutput) untrack(tmp string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.tmps, tmp)
}

// commit runs rename unless the output was abandoned.
func (p *pendingOutput) commit(rename func() error) error {
	if p == nil {
		return rename()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.abandoned {
		return errInterrupted
	}
	if err := rename(); err != nil {
		return err
	}
	p.committed = true
	return nil
}

// abandon stops any rename to come and removes the temporary files; it
// reports whether an output was already in place.
func (p *pendingOutput) abandon() (committed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.abandoned = true
	for tmp := range p.tmps {
		os.Remove(tmp)
	}
	return p.committed
}

var errInterrupted = errors.New("interrupted")

// latch passes writes on (to standard output, to a file) and keeps the
// first failure: every later write returns it, and the command fails with
// it whatever the code that wrote made of it.
type latch struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

func (l *latch) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	l.err = err
	return n, err
}

// failed returns the first failed write's error, or nil.
func (l *latch) failed() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}
