//go:build unix

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ten thousand revisions of one country, each superseding the one before,
// validate in under two seconds of processor time: the supersedes check
// is linear (it took 8.7 s alone when it followed each chain to its end).
func TestValidateLongRevisionChain(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 10,000 files")
	}
	// Parallel only with tests whose work runs in child processes, so the
	// processor time measured below is this test's own.
	t.Parallel()
	const n = 10_000
	_, self, _, _ := runtime.Caller(0)
	bad := filepath.Join(filepath.Dir(self), "..", "..", "testdata", "bad")
	mini, err := os.ReadFile(filepath.Join(bad, "mini.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(filepath.Join(bad, "supersedes-self", "a2021.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The body from sources on: a valid assessment against mini.yaml.
	_, rest, ok := strings.Cut(string(body), "\nsources:\n")
	if !ok {
		t.Fatal("the template assessment has no sources")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "chain")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "mini.yaml"), mini, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		day := time.Date(2021, 6, 28+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		head := fmt.Sprintf("country: Testland\ncode: TST\nrubric: mini\nrevision: r%d\nas_of: %s\n", i, day)
		if i > 0 {
			head += fmt.Sprintf("supersedes: r%d\n", i-1)
		}
		name := filepath.Join(dir, fmt.Sprintf("r%05d.yaml", i))
		if err := os.WriteFile(name, []byte(head+"sources:\n"+rest), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Processor time, which the load of a shared machine does not
	// inflate as it does wall time.
	start := cpuTime()
	res := runCLI(t, nil, "--rubric", filepath.Join(tmp, "mini.yaml"), "validate", dir)
	elapsed := cpuTime() - start
	if res.code != 0 || res.stdout != fmt.Sprintf("0 error(s), 0 warning(s) in %d file(s)\n", n) {
		t.Fatalf("exit %d\n%.2000s%.2000s", res.code, res.stdout, res.stderr)
	}
	if limit := 2 * time.Second * raceSlowdown; elapsed > limit {
		t.Errorf("validating %d revisions of one country took %v of processor time, over %v", n, elapsed, limit)
	}
}

// cpuTime is the processor time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
