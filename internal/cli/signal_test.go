package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestInterruptLeavesOutputAlone builds capscore, starts a long
// `sensitivity --output` run, interrupts it, and checks that the target is
// as it was (absent, or with its old content) and that no temporary file is
// left beside it.
func TestInterruptLeavesOutputAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "capscore")
	build := exec.Command("go", "build", "-o", bin, "github.com/capscore/capscore/cmd/capscore")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, existing := range []bool{false, true} {
			name := sig.String()
			if existing {
				name += " over an existing file"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				target := filepath.Join(dir, "out.txt")
				old := []byte("the previous report\n")
				if existing {
					if err := os.WriteFile(target, old, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				cmd := exec.Command(bin, "sensitivity", "--samples", "10000000", "--output", target)
				cmd.Dir = dir
				cmd.Env = []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir}
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(300 * time.Millisecond)
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatalf("the run ended before the signal (%v); it is meant to take seconds", err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case err := <-done:
					if err == nil {
						t.Fatalf("exit 0 after %v", sig)
					}
				case <-time.After(10 * time.Second * raceSlowdown):
					cmd.Process.Kill()
					t.Fatalf("still running 10 s after %v", sig)
				}
				if bytes.Contains(stderr.Bytes(), []byte("goroutine ")) {
					t.Errorf("stack trace on %v:\n%s", sig, stderr.String())
				}
				got, err := os.ReadFile(target)
				switch {
				case existing && !bytes.Equal(got, old):
					t.Errorf("target changed to %q (err %v)", got, err)
				case !existing && !os.IsNotExist(err):
					t.Errorf("target exists after the interrupt: %q", got)
				}
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if e.Name() != "out.txt" {
						t.Errorf("left behind: %s", e.Name())
					}
				}
			})
		}
	}
}
