package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSuperviseEndsStuckCommand: a command that ignores its context is
// given up on stopGrace after a signal, or at once at a second one, and
// an --output file it would write afterwards never appears.
func TestSuperviseEndsStuckCommand(t *testing.T) {
	for _, second := range []bool{false, true} {
		var errb strings.Builder
		a := newApp(IO{Out: &strings.Builder{}, Err: &errb}, nil)
		dir := t.TempDir()
		target := filepath.Join(dir, "out.txt")
		release := make(chan struct{})
		started := make(chan struct{})
		renamed := make(chan error, 1)
		cmd := func(context.Context) int {
			tmp, err := a.outputs.create(dir, "out.txt", 0o644)
			if err != nil {
				t.Error(err)
			}
			close(started)
			<-release // stuck, deaf to the context
			renamed <- a.outputs.commit(func() error { return os.Rename(tmp.Name(), target) })
			return ExitOK
		}
		sigs := make(chan os.Signal, 2)
		grace := 200 * time.Millisecond
		if second {
			grace = time.Hour
		}
		result := make(chan int, 1)
		go func() { result <- a.supervise(sigs, grace, cmd) }()
		<-started
		sent := time.Now()
		sigs <- syscall.SIGINT
		if second {
			sigs <- syscall.SIGTERM
		}
		select {
		case code := <-result:
			if took := time.Since(sent); code != ExitInvalid || took > grace+500*time.Millisecond {
				t.Errorf("second signal %v: exit %d after %v", second, code, took)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("second signal %v: supervise did not give up", second)
		}
		if !strings.Contains(errb.String(), "capscore: interrupted") {
			t.Errorf("stderr %q", errb.String())
		}
		close(release)
		if err := <-renamed; err == nil {
			t.Errorf("the output was renamed after supervise gave up")
		}
		if got := entries(t, dir); len(got) != 0 {
			t.Errorf("left behind: %v", got)
		}
	}
}

// TestSuperviseWaitsForCommand: a command that stops at the signal gives
// its own exit status; one that never sees a signal runs to the end.
func TestSuperviseWaitsForCommand(t *testing.T) {
	a := newApp(IO{Out: &strings.Builder{}, Err: &strings.Builder{}}, nil)
	sigs := make(chan os.Signal, 1)
	if code := a.supervise(sigs, time.Hour, func(context.Context) int { return ExitUsage }); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	sigs <- syscall.SIGTERM
	code := a.supervise(sigs, time.Hour, func(ctx context.Context) int {
		<-ctx.Done()
		return 7
	})
	if code != 7 {
		t.Errorf("exit %d, want the command's 7", code)
	}
}

// TestCancelledRunWritesNothing runs every loading command with a context
// already cancelled, as after a signal: each ends with exit 1 and leaves
// its --output target as it was.
func TestCancelledRunWritesNothing(t *testing.T) {
	chdirRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"score", "assessments"},
		{"validate", "assessments"},
		{"explain", "offence", japan2021},
		{"compare", ruritania1, ruritania2},
		{"report", "assessments"},
		{"sensitivity", "assessments", "--samples", "200"},
		{"schema", "rubric"},
	} {
		dir := t.TempDir()
		target := filepath.Join(dir, "out.txt")
		if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errb strings.Builder
		code := Run(ctx, append(args, "-o", target), IO{In: strings.NewReader(""), Out: &out, Err: &errb}, func(string) (string, bool) { return "", false })
		if code != ExitInvalid || !strings.Contains(errb.String(), "capscore: interrupted; nothing was written") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
		if data, _ := os.ReadFile(target); string(data) != "old" {
			t.Errorf("%v: target now %.40q", args, data)
		}
		if got := entries(t, dir); len(got) != 1 {
			t.Errorf("%v: left behind: %v", args, got)
		}
	}
}

// entries lists dir, so a test can tell no temporary file was left.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
