package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBinary builds capscore once and runs the tests that need the real
// program: signals and a standard output that fails.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "capscore")
	build := exec.Command("go", "build", "-o", bin, "github.com/capscore/capscore/cmd/capscore")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("interrupt", func(t *testing.T) { testInterrupt(t, bin) })
	t.Run("full", func(t *testing.T) { testDevFull(t, bin) })
}

// stopLimit is how soon after SIGINT or SIGTERM every command must end.
const stopLimit = time.Second

// testInterrupt starts long runs (a sensitivity analysis, the loading of
// thousands of files, a server holding a half-sent request), signals each
// once it is under way, and checks that it ends within stopLimit with exit
// 1 and no stack trace, and that its --output target is as it was (absent,
// or with its old content) with no temporary file left beside it.
func testInterrupt(t *testing.T, bin string) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT or SIGTERM to send on windows")
	}
	dir := t.TempDir()
	// Thousands of inputs cost one file's space: the others are hard links.
	many := filepath.Join(dir, "many")
	if err := os.Mkdir(many, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/countries/ruritania/2023.yaml")
	if err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(many, "a.yaml")
	if err := os.WriteFile(first, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range 6000 {
		if err := os.Link(first, filepath.Join(many, fmt.Sprintf("r%04d.yaml", i))); err != nil {
			t.Fatal(err)
		}
	}
	type run struct {
		name string
		args []string
		// ready returns once the command is under way.
		ready func(t *testing.T, stdout *bufio.Reader)
	}
	after := func(d time.Duration) func(*testing.T, *bufio.Reader) {
		return func(*testing.T, *bufio.Reader) { time.Sleep(d) }
	}
	runs := []run{
		{"sensitivity", []string{"sensitivity", "--samples", "10000000"}, after(300 * time.Millisecond)},
		{"score many files", []string{"score", many}, after(150 * time.Millisecond)},
		{"validate many files", []string{"validate", many}, after(150 * time.Millisecond)},
		{"compare many files", []string{"compare", many}, after(150 * time.Millisecond)},
		{"report many files", []string{"report", many}, after(150 * time.Millisecond)},
		{"serve", []string{"serve", "--addr", "127.0.0.1:0"}, serving},
	}
	for _, r := range runs {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			for _, existing := range []bool{false, true} {
				if r.name == "serve" && existing {
					continue // serve writes no file
				}
				name := r.name + " " + sig.String()
				if existing {
					name += " over an existing file"
				}
				t.Run(name, func(t *testing.T) {
					work := t.TempDir()
					target := filepath.Join(work, "out.txt")
					old := []byte("the previous report\n")
					if existing {
						if err := os.WriteFile(target, old, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					args := r.args
					if r.name != "serve" {
						args = append(append([]string{}, args...), "--output", target)
					}
					cmd := exec.Command(bin, args...)
					cmd.Dir = work
					cmd.Env = []string{"HOME=" + work, "XDG_CONFIG_HOME=" + work}
					var stderr bytes.Buffer
					cmd.Stderr = &stderr
					stdout, err := cmd.StdoutPipe()
					if err != nil {
						t.Fatal(err)
					}
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					out := bufio.NewReader(stdout)
					r.ready(t, out)
					go io.Copy(io.Discard, out)
					if err := cmd.Process.Signal(sig); err != nil {
						t.Fatalf("the run ended before the signal (%v); it is meant to take seconds", err)
					}
					sent := time.Now()
					done := make(chan error, 1)
					go func() { done <- cmd.Wait() }()
					select {
					case err := <-done:
						if took := time.Since(sent); took > stopLimit {
							t.Errorf("ended %v after %v, over %v", took.Round(time.Millisecond), sig, stopLimit)
						}
						// serve stops with 0 when it shuts down cleanly.
						if code := cmd.ProcessState.ExitCode(); code != ExitInvalid && !(r.name == "serve" && code == ExitOK) {
							t.Errorf("exit %d (%v) after %v, want 1", code, err, sig)
						}
					case <-time.After(10 * time.Second):
						cmd.Process.Kill()
						<-done
						t.Fatalf("still running 10 s after %v", sig)
					}
					if !strings.Contains(stderr.String(), "capscore: interrupted") && r.name != "serve" {
						t.Errorf("stderr does not say it was interrupted:\n%s", stderr.String())
					}
					if bytes.Contains(stderr.Bytes(), []byte("goroutine ")) {
						t.Errorf("stack trace on %v:\n%s", sig, stderr.String())
					}
					got, err := os.ReadFile(target)
					switch {
					case existing && !bytes.Equal(got, old):
						t.Errorf("target changed to %.40q (err %v)", got, err)
					case !existing && !os.IsNotExist(err):
						t.Errorf("target exists after the interrupt: %.40q", got)
					}
					for _, e := range entries(t, work) {
						if e != "out.txt" {
							t.Errorf("left behind: %s", e)
						}
					}
				})
			}
		}
	}
}

// serving waits for serve's first line, then opens a connection that sends
// half a request and stays open, which a graceful shutdown would wait on.
func serving(t *testing.T, stdout *bufio.Reader) {
	t.Helper()
	line, err := stdout.ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed %q: %v", line, err)
	}
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("no address in %q", line)
	}
	addr := strings.TrimSuffix(strings.Fields(line[i+len("http://"):])[0], "/")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
}

// testDevFull runs commands with standard output on /dev/full: each must
// exit 1 and say that the write failed.
func testDevFull(t *testing.T, bin string) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full here: %v", err)
	}
	defer full.Close()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"score"},
		{"score", "--format", "markdown"},
		{"validate"},
		{"weights"},
		{"weights", "ahp", protection},
		{"explain", "national-strategy", japan2021},
		{"compare", ruritania1, ruritania2},
		{"sensitivity", japan2021, "--samples", "200", "--sobol", "0"},
		{"schema", "assessment"},
		{"completion", "bash"},
		{"new", "assessment", "--country", "Ruritania", "--code", "RUR", "--as-of", "2026-01-01"},
		{"report", "-o", "-"},
		{"--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, args...)
			cmd.Dir = repo
			cmd.Env = []string{"HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}
			cmd.Stdout = full
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			want := "capscore: standard output: no space left on device; the output is incomplete"
			if code := cmd.ProcessState.ExitCode(); code != ExitInvalid || !strings.Contains(stderr.String(), want) {
				t.Errorf("exit %d (%v), stderr %q; want exit 1 and %q", code, err, stderr.String(), want)
			}
		})
	}
}
