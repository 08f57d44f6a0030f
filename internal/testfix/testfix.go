// Package testfix loads the files that tests share - the bundled rubric
// and assessments, the fictional panel, fixtures under testdata - through
// load, the one way in, and fails the test on any problem. Only tests
// import it.
package testfix

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
)

// Path joins elem to the repository's root, wherever the test runs from.
func Path(elem ...string) string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(self), "..", ".."}, elem...)...)
}

// Rubric loads a rubric by any name load accepts; "" is the bundled one.
func Rubric(t testing.TB, name string) *rubric.Rubric {
	t.Helper()
	r, ds, err := load.Rubric(name)
	if err != nil {
		t.Fatalf("rubric %q: %v", name, err)
	}
	if ds.HasErrors() {
		t.Fatalf("rubric %q: %v", name, ds)
	}
	return r
}

// Assessments loads files and folders by any names load accepts (a
// bundled name such as "japan", a path made with Path) and validates them
// against r; with no name, the bundled assessments.
func Assessments(t testing.TB, r *rubric.Rubric, names ...string) []*assessment.Assessment {
	t.Helper()
	if len(names) == 0 {
		return Inputs(t, r, load.BundledAssessments())
	}
	files, err := load.Expand(names)
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := load.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	return Inputs(t, r, inputs)
}

// Inputs validates inputs already in memory (a generated corpus) against r.
func Inputs(t testing.TB, r *rubric.Rubric, inputs []load.Input) []*assessment.Assessment {
	t.Helper()
	as, ds := load.Assessments(inputs, r)
	if ds.HasErrors() {
		t.Fatalf("fixtures do not load: %v", ds.Errors())
	}
	return as
}

// Panel is the fictional panel of three assessors under testdata/panel,
// judged against the bundled rubric.
func Panel(t testing.TB) (*rubric.Rubric, []*assessment.Assessment) {
	t.Helper()
	r := Rubric(t, "")
	return r, Assessments(t, r, Path("testdata", "panel"))
}

// Corpus generates assessments of the bundled Japan file's shape (see
// testcorpus), deterministic from opt.Seed, and validates them against r.
func Corpus(t testing.TB, r *rubric.Rubric, opt corpus.Options) []*assessment.Assessment {
	t.Helper()
	files, err := corpus.Files(r, opt)
	if err != nil {
		t.Fatal(err)
	}
	inputs := make([]load.Input, len(files))
	for i, f := range files {
		inputs[i] = load.Input{Name: f.Name, Data: f.Data}
	}
	return Inputs(t, r, inputs)
}

// Fixture loads the bundled rubric and the named files' assessments, the
// bundled assessments first when bundled is set.
func Fixture(t testing.TB, bundled bool, files ...string) (*rubric.Rubric, []*assessment.Assessment) {
	t.Helper()
	r := Rubric(t, "")
	var inputs []load.Input
	if bundled {
		inputs = load.BundledAssessments()
	}
	extra, err := load.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	return r, Inputs(t, r, append(inputs, extra...))
}
