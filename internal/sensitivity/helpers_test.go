package sensitivity

import (
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
	"github.com/capscore/capscore/internal/weights"
)

// bundled returns the bundled rubric, its default weights and the bundled
// assessments.
func bundled(t testing.TB) Input {
	t.Helper()
	r, _, err := load.Rubric("")
	if err != nil {
		t.Fatal(err)
	}
	as, ds := load.Assessments(load.BundledAssessments(), r)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	return Input{Rubric: r, Assessments: as, Weights: weights.Defaults(r)}
}

// synthetic returns n generated assessments of the bundled Japan file's
// shape, deterministic from the seed.
func synthetic(t testing.TB, r *rubric.Rubric, n int, seed uint64) []*assessment.Assessment {
	t.Helper()
	files, err := corpus.Files(r, corpus.Options{Countries: n, Revisions: 1, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	inputs := make([]load.Input, len(files))
	for i, f := range files {
		inputs[i] = load.Input{Name: f.Name, Data: f.Data}
	}
	as, ds := load.Assessments(inputs, r)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	return as
}
