//go:build unix

package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// umask returns the process's file creation mask.
func umask() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}

// TestOutputRefusesNonRegular gives --output a named pipe, a folder, a
// device node and links to them, all made in a temporary folder (never a
// real /dev node: a bug would destroy it). Each is refused with exit 1 and
// a message naming the path, and is left as it was.
func TestOutputRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	targets := map[string]string{}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	targets[fifo] = "is a named pipe (FIFO)"
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	targets[folder] = "is a directory"
	// A copy of /dev/null's node, made where only root may.
	dev := filepath.Join(dir, "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		targets[dev] = "is a character device"
	} else {
		t.Logf("no device node (%v); that case is left out", err)
	}
	for name, what := range map[string]string{"fifo": "is a named pipe (FIFO)", "folder": "is a directory"} {
		link := filepath.Join(dir, "link-to-"+name)
		if err := os.Symlink(name, link); err != nil {
			t.Fatal(err)
		}
		targets[link] = "links to " + filepath.Join(dir, name) + ", which " + what
	}
	before := entries(t, dir)
	for target, what := range targets {
		st, err := os.Lstat(target)
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"schema", "assessment", "-o", target},
			{"score", "--format", "json", "--output", target},
		} {
			res := runCLI(t, nil, args...)
			want := "capscore: --output " + target + ": " + what + ", not a regular file"
			if res.code != ExitInvalid || !strings.HasPrefix(res.stderr, want) || !strings.Contains(res.stderr, "omit -o") || res.stdout != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and %q", args, res.code, res.stdout, res.stderr, want)
			}
			now, err := os.Lstat(target)
			if err != nil || now.Mode() != st.Mode() || now.ModTime() != st.ModTime() {
				t.Errorf("%v: %s changed: %v, %v (was %v)", args, target, now.Mode(), err, st.Mode())
			}
		}
	}
	if got := entries(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
		t.Errorf("folder now holds %v, was %v", got, before)
	}
	if got := entries(t, folder); len(got) != 0 {
		t.Errorf("written into the folder: %v", got)
	}
}

// TestOutputModes: an existing file keeps its permissions; a new one gets
// 0644 less the umask.
func TestOutputModes(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o664} {
		target := filepath.Join(dir, "out.json")
		if err := os.WriteFile(target, []byte("old"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(target, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		if res := runCLI(t, nil, "schema", "rubric", "-o", target); res.code != ExitOK {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		st, err := os.Stat(target)
		if err != nil || st.Mode().Perm() != mode {
			t.Errorf("existing %v file became %v (%v)", mode, st.Mode().Perm(), err)
		}
		if data, _ := os.ReadFile(target); !strings.HasPrefix(string(data), "{") {
			t.Errorf("not written: %q", data)
		}
	}
	target := filepath.Join(dir, "new.json")
	if res := runCLI(t, nil, "schema", "rubric", "-o", target); res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o644&^umask() {
		t.Errorf("new file is %v, want %v (%v)", st.Mode().Perm(), 0o644&^umask(), err)
	}
	if got := entries(t, dir); strings.Join(got, " ") != "new.json out.json" {
		t.Errorf("left behind: %v", got)
	}
}

// TestOutputThroughSymlink: --output on a link replaces the file it names
// (by a relative link, through a chain, or one that does not exist yet)
// and keeps the link.
func TestOutputThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "data", "report.json")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("data/report.json", link); err != nil {
		t.Fatal(err)
	}
	chain := filepath.Join(dir, "chain.json")
	if err := os.Symlink("link.json", chain); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{link, chain} {
		if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if res := runCLI(t, nil, "schema", "rubric", "-o", target); res.code != ExitOK {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		if dest, err := os.Readlink(target); err != nil || (dest != "data/report.json" && dest != "link.json") {
			t.Errorf("%s is no longer the link: %q, %v", target, dest, err)
		}
		data, _ := os.ReadFile(real)
		st, _ := os.Stat(real)
		if !strings.HasPrefix(string(data), "{") || st.Mode().Perm() != 0o600 {
			t.Errorf("through %s: the file holds %.20q with mode %v", target, data, st.Mode().Perm())
		}
	}
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.Symlink("data/later.json", dangling); err != nil {
		t.Fatal(err)
	}
	if res := runCLI(t, nil, "schema", "rubric", "-o", dangling); res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "data", "later.json")); err != nil || !strings.HasPrefix(string(data), "{") {
		t.Errorf("dangling link: the file it names holds %.20q (%v)", data, err)
	}
	if got := strings.Join(entries(t, filepath.Join(dir, "data")), " "); got != "later.json report.json" {
		t.Errorf("left behind: %v", got)
	}
}

// TestOutputErrorsNameTheTarget: an error names the path given, never the
// temporary file.
func TestOutputErrorsNameTheTarget(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]string{
		filepath.Join(dir, "missing", "x.txt"): "--output " + filepath.Join(dir, "missing", "x.txt") + ": cannot create a file in " + filepath.Join(dir, "missing") + ": no such file or directory",
		filepath.Join(file, "x.txt"):           "--output " + filepath.Join(file, "x.txt") + ": not a directory",
	} {
		res := runCLI(t, nil, "schema", "rubric", "-o", target)
		if res.code != ExitInvalid || !strings.Contains(res.stderr, want) || strings.Contains(res.stderr, ".tmp-") {
			t.Errorf("-o %s: exit %d, stderr %q; want %q", target, res.code, res.stderr, want)
		}
	}
}
