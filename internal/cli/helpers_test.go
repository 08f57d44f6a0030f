package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// update rewrites golden files: go test ./internal/cli -update
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// result is what one in-process run printed.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs capscore in-process with the given environment (nothing else
// from the real environment leaks in) and returns what it printed.
func runCLI(t testing.TB, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
	code := Run(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errb}, getenv)
	return result{out.String(), errb.String(), code}
}

// golden compares got with testdata/NAME (beside this file, wherever the
// test has moved to), or rewrites it under -update.
func golden(t testing.TB, name, got string) {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// chdirRepo runs the test from the repository root, so paths in output read
// as a user would type them (assessments/japan/2021.yaml).
func chdirRepo(t *testing.T) {
	t.Helper()
	t.Chdir("../..")
}
