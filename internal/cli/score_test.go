package cli

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
	"github.com/capscore/capscore/internal/testfix"
)

// generateCorpus writes countries × revisions generated assessments of the
// given shape under a temporary folder and returns it with the files'
// names in the order they are read.
func generateCorpus(t *testing.T, countries, revisions int, shape corpus.Shape) (string, []string) {
	t.Helper()
	r := testfix.Rubric(t, "")
	dir := t.TempDir()
	if _, _, err := corpus.Write(dir, r, corpus.Options{Countries: countries, Revisions: revisions, Seed: 3, Shape: shape}); err != nil {
		t.Fatal(err)
	}
	names, err := load.Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir, names
}

// smallShape makes assessments a tenth of Japan's size whose results are
// as large as Japan's: every criterion still has its finding.
var smallShape = corpus.Shape{Sources: 8, ClaimsMin: 1, ClaimsMax: 1, RationaleWords: 4, ClaimWords: 4, SummaryWords: 4}

// hookWriter collects what is written and calls onWrite before each write.
type hookWriter struct {
	bytes.Buffer
	onWrite func(written int)
}

func (w *hookWriter) Write(p []byte) (int, error) {
	w.onWrite(w.Len())
	return w.Buffer.Write(p)
}

// Results are written while later files are still to be read: the first
// write breaks the last file, and the run then fails on it, after results
// in input order have reached the output.
func TestScoreStreamsWhileLoading(t *testing.T) {
	dir, names := generateCorpus(t, 50, 4, smallShape)
	last := names[len(names)-1]
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			good, err := os.ReadFile(last)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(last, good, 0o644)
			out := &hookWriter{}
			out.onWrite = func(int) {
				if out.Len() == 0 {
					if err := os.WriteFile(last, []byte("country: [\n"), 0o644); err != nil {
						t.Error(err)
					}
				}
			}
			var errb bytes.Buffer
			code := Run(context.Background(), []string{"score", dir, "--format", format}, IO{In: strings.NewReader(""), Out: out, Err: &errb}, func(string) (string, bool) { return "", false })
			if code != ExitInvalid || !strings.Contains(errb.String(), last+":1:") {
				t.Fatalf("exit %d, want %d and an error in %s (was the output held until every file was read?):\n%s", code, ExitInvalid, last, errb.String())
			}
			var files []string
			pattern := `"file": "([^"]+)"`
			if format == "csv" {
				pattern = `(?m)^([^,]+),[^\n]*,overall,`
			}
			for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(out.String(), -1) {
				files = append(files, m[1])
			}
			if len(files) == 0 || len(files) >= len(names) || !slices.Equal(files, names[:len(files)]) {
				t.Errorf("written before the failure: %d results %v, want the first files in input order", len(files), files)
			}
		})
	}
}

// The heap does not grow with the number of results written: peak live
// memory over 3,000 files stays well below the size of the output.
func TestScoreMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 3,000 files")
	}
	dir, names := generateCorpus(t, 300, 10, smallShape)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak, writes := ms.HeapAlloc, uint64(0), 0
	var total int
	out := &hookWriter{}
	out.onWrite = func(n int) {
		// Nothing is kept: only the size of what was written.
		total += out.Len()
		out.Reset()
		if writes++; writes%32 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	var errb bytes.Buffer
	code := Run(context.Background(), []string{"score", dir, "--format", "json"}, IO{In: strings.NewReader(""), Out: out, Err: &errb}, func(string) (string, bool) { return "", false })
	total += out.Len()
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	growth := int64(peak) - int64(base)
	t.Logf("%d files, %.1f MB written, peak live heap %.1f MB above the start", len(names), float64(total)/1e6, float64(growth)/1e6)
	// Writing results kept in memory until the end grew it by more than
	// the output; the window of files in flight and the decoders are a
	// few megabytes.
	if growth > int64(total)/4 {
		t.Errorf("live heap grew by %d bytes writing %d bytes of results", growth, total)
	}
}
