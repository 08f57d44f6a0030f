package load_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
)

func bundledRubric(t testing.TB) *rubric.Rubric {
	t.Helper()
	r, _, err := load.Rubric("")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// writeCorpus writes a small generated corpus plus one broken file and
// returns the sorted names.
func writeCorpus(t *testing.T, r *rubric.Rubric, countries, revisions int) []string {
	t.Helper()
	dir := t.TempDir()
	if _, _, err := corpus.Write(dir, r, corpus.Options{Countries: countries, Revisions: revisions, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "AAB", "2020.yaml")
	if err := os.WriteFile(bad, []byte("country: Broken\ncode: bad\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	names, err := load.Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// Stream hands files over in the order of names whatever the number of
// cores, with the same assessments and diagnostics as Assessments.
func TestStreamOrderMatchesAssessments(t *testing.T) {
	r := bundledRubric(t)
	names := writeCorpus(t, r, 6, 5)
	inputs, err := load.Read(names)
	if err != nil {
		t.Fatal(err)
	}
	want, wantDiags := load.Assessments(inputs, r)
	if !wantDiags.HasErrors() {
		t.Fatal("the broken file was not reported")
	}
	for _, procs := range []int{1, 2, 7} {
		prev := runtime.GOMAXPROCS(procs)
		var got []string
		var gotDiags int
		var i int
		err := load.Stream(context.Background(), names, r, func(l load.Loaded) error {
			if l.Name != names[i] {
				t.Fatalf("GOMAXPROCS=%d: file %d is %s, want %s", procs, i, l.Name, names[i])
			}
			i++
			gotDiags += len(l.Diags)
			if l.Assessment != nil {
				got = append(got, l.Assessment.File)
			}
			return nil
		})
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		var wantFiles []string
		for _, a := range want {
			wantFiles = append(wantFiles, a.File)
		}
		if !reflect.DeepEqual(got, wantFiles) || gotDiags != len(wantDiags) {
			t.Errorf("GOMAXPROCS=%d: got %d assessments and %d diagnostics, want %d and %d", procs, len(got), gotDiags, len(wantFiles), len(wantDiags))
		}
	}
}

func TestStreamStopsOnError(t *testing.T) {
	r := bundledRubric(t)
	names := writeCorpus(t, r, 10, 4)
	stop := errors.New("stop")
	calls := 0
	err := load.Stream(context.Background(), names, r, func(load.Loaded) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("got %v after %d calls, want stop after 3", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = load.Stream(ctx, names, r, func(load.Loaded) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("got %v after %d calls, want context.Canceled after 1", err, calls)
	}
}

func TestStreamReportsUnreadableFiles(t *testing.T) {
	r := bundledRubric(t)
	missing := filepath.Join(t.TempDir(), "gone.yaml")
	var got []load.Loaded
	err := load.Stream(context.Background(), []string{missing}, r, func(l load.Loaded) error {
		got = append(got, l)
		return nil
	})
	if err != nil || len(got) != 1 || got[0].Err == nil || got[0].Assessment != nil {
		t.Fatalf("got %+v, %v; want one result carrying the read error", got, err)
	}
}

func TestStreamInputsBundled(t *testing.T) {
	r := bundledRubric(t)
	inputs := load.BundledAssessments()
	var n int
	err := load.StreamInputs(context.Background(), inputs, r, func(l load.Loaded) error {
		if l.Assessment == nil || l.Name != inputs[n].Name {
			t.Errorf("bundled %s: %v", inputs[n].Name, l.Diags)
		}
		n++
		return nil
	})
	if err != nil || n != len(inputs) {
		t.Fatalf("streamed %d of %d bundled assessments: %v", n, len(inputs), err)
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		data string
		want load.Kind
	}{
		{"id: x\npillars:\n  - id: strategy\n", load.RubricFile},
		{"country: Japan\nfindings: {}\n", load.AssessmentFile},
		{"findings :\n", load.AssessmentFile},
		{"country: X\npillars: []\n", load.RubricFile},
		{"  pillars:\n", load.Unknown},
		{"pillarsx: 1\n", load.Unknown},
		{"weights:\n  offence: 2\n", load.Unknown},
		{"", load.Unknown},
	} {
		if got := load.Sniff([]byte(tc.data)); got != tc.want {
			t.Errorf("Sniff(%q) = %v, want %v", tc.data, got, tc.want)
		}
	}
}
