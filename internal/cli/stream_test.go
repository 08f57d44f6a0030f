package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/testcorpus/corpus"
	"github.com/capscore/capscore/internal/testfix"
)

// Results of `score DIR` come in file order whatever the number of cores,
// and a broken file anywhere fails the run with its problems.
func TestScoreManyFilesDeterministic(t *testing.T) {
	r := testfix.Rubric(t, "")
	dir := t.TempDir()
	if _, _, err := corpus.Write(dir, r, corpus.Options{Countries: 5, Revisions: 3, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	var outs []string
	for _, procs := range []int{1, 2, 5} {
		prev := runtime.GOMAXPROCS(procs)
		res := runCLI(t, nil, "score", dir, "--format", "json")
		runtime.GOMAXPROCS(prev)
		if res.code != ExitOK || res.stderr != "" {
			t.Fatalf("GOMAXPROCS=%d: exit %d: %s", procs, res.code, res.stderr)
		}
		outs = append(outs, res.stdout)
	}
	if outs[0] != outs[1] || outs[0] != outs[2] {
		t.Fatal("output depends on the number of cores")
	}
	var doc struct{ Assessments []struct{ File string } }
	if err := json.Unmarshal([]byte(outs[0]), &doc); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, a := range doc.Assessments {
		files = append(files, a.File)
	}
	if len(files) != 15 || !slices.IsSorted(files) {
		t.Errorf("got %d results in order %v, want 15 in file order", len(files), files)
	}

	bad := filepath.Join(dir, "AAC", "2023.yaml")
	if err := os.WriteFile(bad, []byte("country: X\ncode: XX\nrubric: iiss-seven-pillars\nrevision: \"1\"\nas_of: 2020\nfindings: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, nil, "score", dir, "--format", "json")
	// Results before the broken file may have been written, but never a
	// whole document.
	if res.code != ExitInvalid || json.Valid([]byte(res.stdout)) || !strings.HasPrefix(outs[0], res.stdout) {
		t.Fatalf("broken file: exit %d, stdout %d bytes, want exit 1 and a cut-short document", res.code, len(res.stdout))
	}
	if want := bad + ":2:7:"; !strings.Contains(res.stderr, want) {
		t.Errorf("stderr does not name %s:\n%s", want, res.stderr)
	}
}
