//go:build unix

package load_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/load"
)

// special makes, in dir, one entry of every kind that is not a regular
// file and returns their paths with the words the refusal must use. The
// device is a copy of /dev/null's node made inside dir, only when allowed
// (as root).
func special(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	out[fifo] = "named pipe"
	sock := filepath.Join(dir, "sock.yaml")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	out[sock] = "socket"
	sub := filepath.Join(dir, "sub.yaml")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	out[sub] = "directory"
	link := filepath.Join(dir, "link-to-fifo.yaml")
	if err := os.Symlink("fifo.yaml", link); err != nil {
		t.Fatal(err)
	}
	out[link] = "named pipe"
	dev := filepath.Join(dir, "dev.yaml")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		out[dev] = "device"
	}
	return out
}

// within fails the test if fn has not returned after a second: the point
// is that nothing waits on a pipe.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatalf("%s: still blocked after 1 s", what)
	}
}

func TestReadFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	for name, words := range special(t, dir) {
		within(t, name, func() {
			_, err := load.ReadFile(name)
			if err == nil || !errors.Is(err, load.ErrNotRegular) || !strings.HasPrefix(err.Error(), name+": ") || !strings.Contains(err.Error(), words) {
				t.Errorf("%s: got %v, want an error naming it and saying %q", name, err, words)
			}
		})
	}
	// A link to a regular file is read through.
	file := filepath.Join(dir, "file.yaml")
	if err := os.WriteFile(file, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("file.yaml", link); err != nil {
		t.Fatal(err)
	}
	if got, err := load.ReadFile(link); err != nil || string(got) != "a: 1\n" {
		t.Errorf("link to a file: got %q, %v", got, err)
	}
}

// TestReadFolderReportsNonRegular walks a folder holding a good file and
// one entry of every other kind named *.yaml: each of the others is an
// error naming it, and the read does not block.
func TestReadFolderReportsNonRegular(t *testing.T) {
	dir := t.TempDir()
	bad := special(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "good.yaml"), []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	within(t, "folder", func() {
		names, err := load.Expand([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		_, err = load.Read(names)
		if err == nil {
			t.Fatal("no error")
		}
		for name := range bad {
			if filepath.Base(name) == "sub.yaml" {
				continue // a folder is walked into, not read
			}
			if !strings.Contains(err.Error(), name+": ") {
				t.Errorf("%s not reported in %v", name, err)
			}
		}
		if strings.Contains(err.Error(), "good.yaml") {
			t.Errorf("good.yaml reported: %v", err)
		}
	})
}
